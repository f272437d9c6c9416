"""What a worker's start costs: no module it does not need, bytecode cached where the engine says."""
import functools
import os
import subprocess
import sys
import tempfile
import unittest

PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PKG)

from prs_worker import loader, worker  # noqa: E402


def _python(code, env=None):
    full = dict(os.environ, PYTHONPATH=PKG, **(env or {}))
    return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, check=True).stdout


class Imports(unittest.TestCase):
    def test_worker_import_leaves_out_argparse_logging_inspect_traceback(self):
        out = _python(
            "import sys, prs_worker.worker; "
            "print(' '.join(m for m in ('argparse', 'logging', 'inspect', 'traceback') if m in sys.modules))"
        )
        self.assertEqual(out.strip(), "")

    def test_entry_script_logger_still_works_after_a_lazy_logging_import(self):
        out = _python(
            "from prs_worker import entry_script; entry_script.configure(None, 'node0', 'process000', 'WARNING'); "
            "import logging; lg = entry_script.EntryScript().logger; print(lg.level == logging.WARNING, lg.name)"
        )
        self.assertEqual(out.strip(), "True ParallelRunStep")


class Args(unittest.TestCase):
    def test_the_engines_four_flags_in_any_order(self):
        a = worker.parse_args(["--node", "n", "--rows", "r", "--config", "c", "--process", "p"])
        self.assertEqual((a.config, a.node, a.process, a.rows), ("c", "n", "p", "r"))

    def test_anything_else_gets_argparse_usage_errors(self):
        with self.assertRaises(SystemExit) as cm:
            worker.parse_args(["--config", "c", "--node", "n"])
        self.assertEqual(cm.exception.code, 2)
        with self.assertRaises(SystemExit):
            worker.parse_args(["--config", "c", "--node", "n", "--process", "p", "--rows", "r", "--extra", "x"])


class ContextArgument(unittest.TestCase):
    """The code-object shortcut answers exactly what inspect.signature answers."""

    def test_shortcut_agrees_with_inspect(self):
        import inspect

        def slow(run):
            try:
                params = inspect.signature(run).parameters.values()
            except (TypeError, ValueError):
                return False
            if any(p.kind == p.VAR_POSITIONAL for p in params):
                return True
            return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params) >= 2

        class Model:
            def run(self, mini_batch, context=None):
                return []

            def one(self, mini_batch):
                return []

            @classmethod
            def cls_two(cls, a, b):
                return []

            @staticmethod
            def static_one(a):
                return []

        def deco(fn):
            @functools.wraps(fn)
            def wrapper(*args, **kwargs):
                return fn(*args, **kwargs)

            return wrapper

        @deco
        def wrapped_one(mini_batch):
            return []

        def posonly(a, b, /):
            return []

        def kw(a, *, b):
            return []

        cases = [
            lambda a: a, lambda a, b: a, lambda *a: a, lambda a, b=1: a, posonly, kw, wrapped_one,
            Model().run, Model().one, Model.cls_two, Model.static_one, Model.run,
            functools.partial(lambda a, b, c: a, 1), len, print,
        ]
        for run in cases:
            self.assertEqual(loader.accepts_context(run), slow(run), run)


class BytecodeCache(unittest.TestCase):
    def test_worker_bytecode_goes_to_the_engines_cache_and_the_users_setting_is_restored(self):
        with tempfile.TemporaryDirectory() as cache:
            code = (
                "import runpy, sys; sys.argv = ['prs_worker']; "
                "import prs_worker.__main__ as m; main = m._import_main(); "
                "print(sys.dont_write_bytecode, sys.pycache_prefix, sys.modules['prs_worker.worker'].__cached__)"
            )
            out = _python(code, {"PYTHONDONTWRITEBYTECODE": "1", "PARALLEL_RUN_PYCACHE": cache})
            write, prefix, cached = out.split()
            self.assertEqual((write, prefix), ("True", "None"))
            self.assertTrue(cached.startswith(cache), cached)
            written = [f for _, _, files in os.walk(cache) for f in files if f.startswith("worker.")]
            self.assertTrue(written, "prs_worker/worker.py compiled into the cache")

    def test_a_cache_folder_that_cannot_be_made_is_not_used(self):
        with tempfile.TemporaryDirectory() as tmp:
            blocker = os.path.join(tmp, "file")
            with open(blocker, "w") as f:
                f.write("x")
            code = (
                "import sys; import prs_worker.__main__ as m; m._import_main(); "
                "print(sys.dont_write_bytecode, sys.pycache_prefix, sys.modules['prs_worker.worker'].__cached__)"
            )
            out = _python(code, {"PYTHONDONTWRITEBYTECODE": "1", "PARALLEL_RUN_PYCACHE": os.path.join(blocker, "cache")})
            write, prefix, cached = out.split()
            self.assertEqual((write, prefix), ("True", "None"))
            self.assertFalse(cached.startswith(tmp), cached)


if __name__ == "__main__":
    unittest.main()
