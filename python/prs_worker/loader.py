"""Importing the entry script the way the driver does."""
import importlib
import importlib.machinery
import importlib.util
import os
import sys

from prs_worker import errors


def module_name(entry_script, code_dir):
    """The script's stem, or its dotted path relative to code_dir when it is nested (`batch_score.main`)."""
    stem = os.path.splitext(os.path.basename(entry_script))[0]
    if not code_dir:
        return stem
    rel = os.path.relpath(entry_script, code_dir)
    if rel.startswith(os.pardir + os.sep) or rel == os.pardir or os.path.isabs(rel):
        return stem
    parts = os.path.splitext(rel)[0].split(os.sep)
    if all(p.isidentifier() for p in parts):
        return ".".join(parts)
    return stem


def load(entry_script, code_dir=None, argv=()):
    """Puts code_dir first on sys.path, sets sys.argv, imports the script; returns the module."""
    entry_script = os.path.abspath(entry_script)
    if code_dir:
        code_dir = os.path.abspath(code_dir)
        if not sys.path or sys.path[0] != code_dir:
            sys.path.insert(0, code_dir)
    sys.argv = [entry_script] + [str(a) for a in (argv or ())]
    if not os.path.isfile(entry_script):
        missing = FileNotFoundError(2, "The entry script does not exist", entry_script)
        raise errors.mark(missing, "entry_script_missing")

    name = module_name(entry_script, code_dir)
    if "." in name:
        try:
            importlib.import_module(name.rpartition(".")[0])
        except ImportError:
            name = os.path.splitext(os.path.basename(entry_script))[0]
    loader = importlib.machinery.SourceFileLoader(name, entry_script)
    spec = importlib.util.spec_from_file_location(name, entry_script, loader=loader)
    module = importlib.util.module_from_spec(spec)
    previous = sys.modules.get(name)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        if previous is not None:
            sys.modules[name] = previous
        else:
            sys.modules.pop(name, None)
        raise
    return module


_CO_VARARGS = 0x04


def accepts_context(run):
    """True when run() takes a second positional argument (`run(mini_batch, mini_batch_context)`)."""
    code = getattr(run, "__code__", None)
    if code is not None and type(run).__name__ in ("function", "method") and not hasattr(run, "__wrapped__"):
        # A plain function or bound method: its code object says it without importing inspect (~4 ms).
        if code.co_flags & _CO_VARARGS:
            return True
        bound = 1 if getattr(run, "__self__", None) is not None else 0
        return code.co_argcount - bound >= 2
    import inspect

    try:
        signature = inspect.signature(run)
    except (TypeError, ValueError):
        return False
    positional = 0
    for p in signature.parameters.values():
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            positional += 1
        elif p.kind == p.VAR_POSITIONAL:
            return True
    return positional >= 2
