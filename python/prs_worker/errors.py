"""`Err` objects (PROTOCOL.md) and the per-process error log `logs/user/error/<node>/<process>.txt`."""
import os
import time

_PKG_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _internal(filename):
    """Frames of this package or of importlib's machinery: noise in front of the user's own frames."""
    return filename.startswith(_PKG_DIR) or filename.startswith("<frozen importlib")


def _safe_str(value):
    try:
        return str(value)
    except Exception:
        try:
            return repr(value)
        except Exception:
            return "<unprintable %s>" % type(value).__name__


def _message(exc):
    if isinstance(exc, SystemExit):
        return "sys.exit(%r) was called" % (exc.code,)
    return _safe_str(exc)


def make(type_name, message, traceback_text=None, frames=None, cause=None, module=None):
    err = {
        "type": type_name,
        "message": message,
        "traceback": traceback_text if traceback_text is not None else "%s: %s\n" % (type_name, message),
        "frames": frames or [],
    }
    if cause:
        err["cause"] = cause
    if module:
        err["module"] = module
    return err


# What the engine acts on, as a field (PROTOCOL.md `Err.cause`) rather than by reading the message.
CAUSE_ATTRIBUTE = "prs_cause"


def mark(exc, cause):
    """Tags an exception this package raises with its cause (`entry_script_missing`, `no_run_function`)."""
    setattr(exc, CAUSE_ATTRIBUTE, cause)
    return exc


def cause_of(exc):
    """(cause, module) for exc: a syntax error, a missing module (and which), another import error, or a
    cause this package tagged it with; (None, None) for every other error."""
    tagged = getattr(exc, CAUSE_ATTRIBUTE, None)
    if tagged:
        return tagged, None
    if isinstance(exc, SyntaxError):  # IndentationError and TabError too
        return "syntax_error", None
    if isinstance(exc, ModuleNotFoundError):
        name = getattr(exc, "name", None)
        return "missing_module", name if isinstance(name, str) and name else None
    if isinstance(exc, ImportError):
        return "import_error", None
    return None, None


def from_exception(exc):
    """An Err for exc, with this package's and importlib's leading frames left out."""
    tb = exc.__traceback__
    user_tb = tb
    while user_tb is not None and _internal(user_tb.tb_frame.f_code.co_filename):
        user_tb = user_tb.tb_next
    if user_tb is None:  # the error is ours (or has no frames at all): keep everything
        user_tb = tb
    import traceback  # only when something failed: not on every worker's start

    try:
        text = "".join(traceback.format_exception(type(exc), exc, user_tb))
    except Exception:
        text = "%s: %s\n" % (type(exc).__name__, _message(exc))
    frames = [{"file": f.filename, "line": f.lineno, "function": f.name} for f in traceback.extract_tb(user_tb)]
    if isinstance(exc, SyntaxError) and exc.filename:
        # The offending line is not a frame: add it as the innermost one so editors can jump to it.
        frames.append({"file": exc.filename, "line": exc.lineno or 0, "function": "<module>"})
    cause, module = cause_of(exc)
    return make(type(exc).__name__, _message(exc), text, frames, cause, module)


def describe_items(data, limit=20, partition_key_value=None):
    """The mini-batch's items as a user reads them: file paths, `file.csv bytes 120-9000`, or for a
    partition-key group its key values (`Store=1000, Brand=dominicks: 121 rows`), never the scratch pickle."""
    if not isinstance(data, dict):
        return "?"
    kind = data.get("kind")
    if kind == "files":
        files = data.get("files") or []
        shown = ", ".join(files[:limit])
        more = " … and %d more" % (len(files) - limit) if len(files) > limit else ""
        return "%d file(s): %s%s" % (len(files), shown, more)
    if kind == "range":
        return "%s bytes %s-%s" % (data.get("file"), data.get("start"), data.get("end"))
    if kind == "pickle":
        keys = ", ".join("%s=%s" % (k, v) for k, v in (partition_key_value or {}).items()) or "partition"
        return "%s: %s rows" % (keys, data.get("rows"))
    return "?"


class ErrorLog:
    """Appends each failure, with its traceback, to `<log_dir>/user/error/<node>/<process>.txt`."""

    def __init__(self, log_dir, node, process):
        self.path = os.path.join(log_dir, "user", "error", node, process + ".txt") if log_dir else None

    def append(self, header, err):
        if not self.path:
            return
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            with open(self.path, "a", encoding="utf-8", errors="backslashreplace") as f:
                f.write("==== %s %s\n%s\n" % (stamp, header, err.get("traceback") or ""))
        except Exception:
            pass
