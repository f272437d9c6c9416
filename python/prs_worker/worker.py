"""The worker loop (PROTOCOL.md): hello → import + init() → ready → tasks → shutdown."""
import json
import os
import signal
import sys
import time

from prs_worker import PROTOCOL_VERSION, batch, entry_script, errors, loader, results
from prs_worker.channel import Channel, ChannelClosed

EXIT_INIT_FAILED = 72
EXIT_USAGE = 2

_now = time.perf_counter


def _pandas_version():
    """pandas' version without importing it (an import costs ~0.3 s); None when it is not importable."""
    pd = sys.modules.get("pandas")
    if pd is not None:
        return str(getattr(pd, "__version__", "unknown"))
    try:
        import importlib.util

        spec = importlib.util.find_spec("pandas")
    except Exception:
        return None
    if spec is None:
        return None
    try:
        site = os.path.dirname(os.path.dirname(spec.origin or ""))
        for entry in os.listdir(site):
            lower = entry.lower()
            if lower.startswith("pandas-") and lower[7:8].isdigit() and lower.endswith((".dist-info", ".egg-info")):
                return entry[len("pandas-"):].rsplit(".", 1)[0].rsplit("-py", 1)[0]
    except Exception:
        pass
    try:
        import importlib.metadata

        return importlib.metadata.version("pandas")
    except Exception:
        return "unknown"


def _flush_std():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


class Worker:
    def __init__(self, args, channel):
        self.args = args
        self.channel = channel
        self.node = args.node
        self.process = args.process
        self.module = None
        self.run = None
        self.two_args = False
        self.rows = None
        self.errors = errors.ErrorLog(None, self.node, self.process)
        # Hang-up handling: the watch thread ends the process at once while user code runs; while the
        # loop waits for messages, it sees the end of file itself (after any shutdown already queued).
        self.busy = True
        self.gone = False
        self.shutting_down = False

    # -- messages --------------------------------------------------------------------------------------
    def send(self, message):
        try:
            self.channel.send(message)
        except ChannelClosed:
            self._engine_gone()

    def _engine_gone(self):
        if not self.shutting_down:
            _flush_std()
            os._exit(0)

    def _on_hangup(self):
        self.gone = True
        if self.busy and not self.shutting_down:
            _flush_std()
            os._exit(0)

    # -- start-up --------------------------------------------------------------------------------------
    def init_failed(self, phase, err):
        self.errors.append(
            "%s of the entry script failed: %s: %s" % ("import" if phase == "import" else "init()", err["type"], err["message"]),
            err,
        )
        self.send({"type": "init_failed", "error": err, "phase": phase})
        _flush_std()
        logging = sys.modules.get("logging")  # imported by the entry script (or EntryScript().logger), if at all
        if logging is not None:
            try:
                logging.shutdown()
            except Exception:
                pass
        os._exit(EXIT_INIT_FAILED)

    def start(self):
        self.send(
            {
                "type": "hello",
                "protocol": PROTOCOL_VERSION,
                "pid": os.getpid(),
                "python": "%d.%d.%d" % sys.version_info[:3],
                "executable": sys.executable,
                "pandas": _pandas_version(),
            }
        )
        self.channel.watch_hangup(self._on_hangup)
        try:
            with open(self.args.config, "r", encoding="utf-8") as f:
                config = json.load(f)
        except Exception as e:
            self.init_failed("import", errors.from_exception(e))
        self.config = config
        self.errors = errors.ErrorLog(config.get("log_dir"), self.node, self.process)
        output_dir = config.get("output_dir") or os.environ.get("AZUREML_BI_OUTPUT_PATH")
        entry_script.configure(
            config.get("log_dir"),
            self.node,
            self.process,
            config.get("logging_level") or "INFO",
            output_dir,
            self.channel.send,
        )
        t0 = _now()
        try:
            append_row = config.get("append_row")
            if append_row is not None and self.args.rows:
                self.rows = results.RowsWriter(
                    self.args.rows,
                    append_row.get("to_csv"),
                    append_row.get("dataframe_header", config.get("dataframe_header", False)),
                )
            if config.get("input_kind") == "tabular":
                try:
                    batch.pandas()
                except ImportError as e:
                    raise ImportError(
                        "Tabular inputs reach run() as pandas DataFrames, but pandas cannot be imported "
                        "in this Python (%s): %s" % (sys.executable, e)
                    )
            self.module = loader.load(config["entry_script"], config.get("code_dir"), config.get("argv") or [])
            run = getattr(self.module, "run", None)
            if not callable(run):
                message = "The entry script %s defines no run(mini_batch) function." % config["entry_script"]
                raise errors.mark(AttributeError(message), "no_run_function")
        except BaseException as e:
            self.init_failed("import", errors.from_exception(e))
        init = getattr(self.module, "init", None)
        if callable(init):
            try:
                init()
            except BaseException as e:
                self.init_failed("init", errors.from_exception(e))
        # Looked up again after init(), in case init() rebinds it.
        self.run = getattr(self.module, "run", None) if callable(getattr(self.module, "run", None)) else run
        self.two_args = loader.accepts_context(self.run)
        self.send({"type": "ready", "seconds": round(_now() - t0, 6)})

    # -- the loop --------------------------------------------------------------------------------------
    def loop(self):
        recv = self.channel.recv
        while True:
            self.busy = False
            message = recv()
            if message is None:  # the engine went away
                _flush_std()
                os._exit(0)
            kind = message.get("type")
            if kind == "task":
                self.busy = True
                if self.gone:
                    _flush_std()
                    os._exit(0)
                self.task(message)
            elif kind == "shutdown":
                return self.shutdown()
            # anything else: a newer engine's message this worker does not know; ignore it

    def task(self, message):
        tid = message.get("id")
        data = message.get("data") or {}
        try:
            mini_batch, items = batch.load(data)
        except BaseException as e:
            err = errors.from_exception(e)
            self._log_failure(message, None, err)
            failed = {"type": "failed", "id": tid, "error": err, "seconds": 0.0}
            if data.get("kind") == "files":
                failed["items"] = len(data.get("files") or [])
            self.send(failed)
            return
        send = self.send
        send({"type": "started", "id": tid, "items": items})

        rows = self.rows
        position = rows.position if rows is not None else 0
        if items == 0 and not isinstance(mini_batch, list):  # an empty DataFrame: run() is not called
            send(
                {"type": "done", "id": tid, "items": 0, "returned": 0, "succeeded": 0, "rows_start": position,
                 "rows_end": position, "seconds": 0.0, "warning": None}
            )
            return

        t0 = _now()
        try:
            if self.two_args:
                context = message.get("context") or {}
                result = self.run(
                    mini_batch,
                    batch.MiniBatchContext(
                        context.get("partition_key_value") or {},
                        context.get("minibatch_index", message.get("index")),
                    ),
                )
            else:
                result = self.run(mini_batch)
        except BaseException as e:
            seconds = _now() - t0
            err = errors.from_exception(e)
            self._log_failure(message, items, err)
            send({"type": "failed", "id": tid, "items": items, "error": err, "seconds": round(seconds, 6)})
            return
        seconds = _now() - t0

        try:
            out, is_dataframe = results.check(result)
        except ValueError as e:
            err = errors.make("ValueError", str(e), frames=self._run_frame(), cause=errors.cause_of(e)[0])
            self._log_failure(message, items, err)
            send({"type": "failed", "id": tid, "items": items, "error": err, "seconds": round(seconds, 6)})
            return

        returned = len(out)
        warning = None
        header_bytes = 0
        if rows is not None:
            try:
                position, end, warning, header_bytes = rows.write(out, is_dataframe)
            except BaseException as e:
                err = errors.from_exception(e)
                self._log_failure(message, items, err)
                send({"type": "failed", "id": tid, "items": items, "error": err, "seconds": round(seconds, 6)})
                return
        else:
            end = position
        if returned > items:
            long_warning = results.long_return_warning(returned, items)
            warning = long_warning + " " + warning if warning else long_warning
        done = {"type": "done", "id": tid, "items": items, "returned": returned,
                "succeeded": returned if returned < items else items, "rows_start": position, "rows_end": end,
                "seconds": round(seconds, 6), "warning": warning,
                "returned_kind": "dataframe" if is_dataframe else "list"}
        if header_bytes:
            done["header_bytes"] = header_bytes
        if is_dataframe and rows is not None:
            try:
                done["columns"] = rows.columns(out)
            except Exception:
                pass  # names are a nicety for the results table; the rows are already written
        send(done)

    def _run_frame(self):
        """Where run() is defined: the place to look when it returned the wrong thing."""
        code = getattr(self.run, "__code__", None)
        if code is None:
            return []
        return [{"file": code.co_filename, "line": code.co_firstlineno, "function": code.co_name}]

    def _log_failure(self, message, items, err):
        data = message.get("data") or {}
        keys = (message.get("context") or {}).get("partition_key_value")
        described = errors.describe_items(data, partition_key_value=keys)
        header = "mini-batch %s (task %s), attempt %s, %s: %s: %s" % (
            message.get("index"),
            message.get("id"),
            message.get("attempt"),
            described if items is None or data.get("kind") in ("files", "pickle")
            else "%d rows from %s" % (items, described),
            err["type"],
            err["message"],
        )
        self.errors.append(header, err)

    # -- the end ---------------------------------------------------------------------------------------
    def shutdown(self):
        self.shutting_down = True
        self.busy = True
        err = None
        fn = getattr(self.module, "shutdown", None)
        if callable(fn):
            try:
                fn()
            except BaseException as e:
                err = errors.from_exception(e)
                self.errors.append("shutdown() failed: %s: %s" % (err["type"], err["message"]), err)
        try:
            self.channel.send({"type": "shutdown_done", "error": err})
        except ChannelClosed:
            pass
        if self.rows is not None:
            self.rows.close()
        return 0


_FLAGS = ("--config", "--node", "--process", "--rows")


def parse_args(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    # The engine always passes the four flags as pairs: read them without argparse (~8 ms to import).
    pairs = dict(zip(argv[0::2], argv[1::2]))
    if len(argv) == 2 * len(_FLAGS) and sorted(pairs) == sorted(_FLAGS):
        return _Args(pairs["--config"], pairs["--node"], pairs["--process"], pairs["--rows"])
    import argparse  # anything else (--help, a missing flag): argparse's usage and errors

    parser = argparse.ArgumentParser(prog="python -m prs_worker", allow_abbrev=False,
                                     description="A parallel run worker process (see PROTOCOL.md).")
    for flag in _FLAGS:
        parser.add_argument(flag, required=True)
    return parser.parse_args(argv)


class _Args(object):
    def __init__(self, config, node, process, rows):
        self.config = config
        self.node = node
        self.process = process
        self.rows = rows


def main(argv=None):
    args = parse_args(argv)
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError, AttributeError):
        pass
    try:
        channel = Channel(3)
    except OSError as e:
        sys.stderr.write(
            "prs_worker: file descriptor 3 is not open (%s). This program is started by the parallel run "
            "engine, which talks to it on fd 3; see PROTOCOL.md.\n" % (e,)
        )
        return EXIT_USAGE
    worker = Worker(args, channel)
    worker.start()
    return worker.loop()
