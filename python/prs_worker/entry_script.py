"""The `azureml_user.parallel_run.EntryScript` stand-in: a singleton with the same attributes as the cloud's.

The worker calls `configure()` before importing the entry script. Outside a worker (a unit test of the
user's script, say) EntryScript still works: its logger writes to stderr and its folders are under cwd.
"""
import os

_LOGGER_NAME = "ParallelRunStep"
_FORMAT = "%(asctime)s|%(levelname)s|%(process)d|%(threadName)s|%(funcName)s()|%(message)s"

_settings = {}


def configure(log_dir, node, process, logging_level="INFO", output_dir=None, send=None):
    """Called by the worker before the entry script is imported. `send` forwards log records."""
    _settings.clear()
    _settings.update(
        log_root=log_dir,
        node=node,
        process=process,
        logging_level=logging_level,
        output_dir=output_dir,
        send=send,
    )
    EntryScript._instance = None


# logging is imported when the logger is first used, not with the worker (~10 ms of every start).
def _level(value):
    import logging

    if isinstance(value, int):
        return value
    level = logging.getLevelName(str(value or "INFO").upper())
    return level if isinstance(level, int) else logging.INFO


def _forward_handler(send):
    """A logging.Handler that sends each record to the engine as a `log` message."""
    import logging

    class _ForwardHandler(logging.Handler):
        def __init__(self, send):
            logging.Handler.__init__(self)
            self._send = send
            self._exc_formatter = logging.Formatter()

        def emit(self, record):
            try:
                text = record.getMessage()
                if record.exc_info:
                    text += "\n" + self._exc_formatter.formatException(record.exc_info)
                if record.stack_info:
                    text += "\n" + record.stack_info
                self._send({"type": "log", "level": record.levelname, "message": text})
            except Exception:
                pass  # the engine is gone or the message is broken: the file still has the record

    return _ForwardHandler(send)


class EntryScript(object):
    """A helper for entry scripts: `EntryScript()` always returns the same object."""

    _instance = None

    def __new__(cls, *args, **kwargs):
        instance = EntryScript._instance
        if instance is None:
            instance = object.__new__(cls)
            instance._setup()
            EntryScript._instance = instance
        return instance

    def __init__(self, *args, **kwargs):  # the cloud's takes logging_level=None; settings come from the run
        pass

    def __reduce__(self):
        return (EntryScript, ())

    def _setup(self):
        s = _settings
        self._node = s.get("node") or "node0"
        self._process = s.get("process") or "process000"
        log_root = s.get("log_root")
        self._standalone = not log_root
        if self._standalone:
            log_root = os.path.join(os.getcwd(), "logs")
        self._log_dir = os.path.join(log_root, "user", "entry_script_log", self._node)
        self._output_dir = s.get("output_dir") or os.environ.get("AZUREML_BI_OUTPUT_PATH") or os.getcwd()
        self._working_dir = os.getcwd()
        self._logger = None
        self._level = s.get("logging_level")
        self._send = s.get("send")

    def _make_logger(self):
        import logging

        logger = logging.getLogger(_LOGGER_NAME)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            try:
                handler.close()
            except Exception:
                pass
        logger.setLevel(_level(self._level))
        logger.propagate = False
        if self._standalone:
            handler = logging.StreamHandler()
        else:
            os.makedirs(self._log_dir, exist_ok=True)
            handler = logging.FileHandler(
                os.path.join(self._log_dir, self._process + ".log.txt"), encoding="utf-8", delay=True
            )
        handler.setFormatter(logging.Formatter(_FORMAT))
        logger.addHandler(handler)
        if self._send is not None:
            logger.addHandler(_forward_handler(self._send))
        return logger

    @property
    def logger(self):
        """A logging.Logger at the job's logging_level: `logs/user/entry_script_log/<node>/<process>.log.txt`."""
        if self._logger is None:
            self._logger = self._make_logger()
        return self._logger

    @property
    def log_dir(self):
        """`logs/user/entry_script_log/<node>`: a folder for the script's own log files."""
        try:
            os.makedirs(self._log_dir, exist_ok=True)
        except OSError:
            pass
        return self._log_dir

    @property
    def agent_name(self):
        """The worker process's name, e.g. `process000`."""
        return self._process

    @property
    def node_id(self):
        return self._node

    @property
    def output_dir(self):
        """The job's output folder (also in AZUREML_BI_OUTPUT_PATH)."""
        return self._output_dir

    @property
    def working_dir(self):
        """This worker's own working directory."""
        return self._working_dir

    def __repr__(self):
        return "EntryScript(node_id=%r, agent_name=%r)" % (self._node, self._process)
