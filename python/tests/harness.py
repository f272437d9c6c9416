"""Starts `python -m prs_worker` the way the engine does: messages on fd 3, a Unix socketpair."""
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = os.environ.get("PRS_TEST_PYTHON") or sys.executable
TIMEOUT = 30.0


def has_pandas(python=PYTHON):
    if python == sys.executable:
        try:
            import pandas  # noqa: F401

            return True
        except ImportError:
            return False
    return subprocess.call([python, "-c", "import pandas"], stderr=subprocess.DEVNULL) == 0


class Worker:
    """One worker process and our end of its fd 3 socket."""

    def __init__(self, config_path, rows, cwd, node="node0", process="process000", env=None, python=PYTHON,
                 pre_args=()):
        ours, theirs = socket.socketpair()
        self.sock = ours
        child_fd = theirs.fileno()
        environment = dict(os.environ)
        environment.update(env or {})
        # As the engine does: this folder first, then the user's PYTHONPATH.
        environment["PYTHONPATH"] = os.pathsep.join(p for p in [PYTHON_DIR, environment.get("PYTHONPATH")] if p)

        def fd3():
            os.dup2(child_fd, 3)  # dup2 clears close-on-exec: fd 3 survives the exec

        self.proc = subprocess.Popen(
            [python] + (list(pre_args) if pre_args else ["-u"])
            + ["-m", "prs_worker", "--config", config_path, "--node", node, "--process", process, "--rows", rows],
            cwd=cwd,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=fd3,
            close_fds=False,
        )
        theirs.close()
        self._buf = b""
        self.received = []

    def send(self, message):
        self.sock.sendall((json.dumps(message) + "\n").encode("utf-8"))

    def recv(self, timeout=TIMEOUT):
        """The next message; None at end of file."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no message from the worker in %.0fs; stderr so far: %s" % (timeout, self.stderr_now()))
            ready, _, _ = select.select([self.sock], [], [], left)
            if not ready:
                continue
            chunk = self.sock.recv(65536)
            if not chunk:
                if self._buf:
                    raise AssertionError("partial line at end of file: %r" % self._buf)
                return None
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        message = json.loads(line.decode("utf-8"))
        self.received.append(message)
        return message

    def recv_type(self, *types, timeout=TIMEOUT):
        """The next message whose type is one of types (log messages in between are kept in .received)."""
        while True:
            m = self.recv(timeout)
            if m is None:
                raise AssertionError("end of file while waiting for %s; stderr: %s" % (types, self.stderr_now()))
            if m["type"] in types:
                return m

    def logs(self):
        return [m for m in self.received if m["type"] == "log"]

    def stderr_now(self):
        try:
            self.proc.wait(2)
            return self.proc.stderr.read().decode("utf-8", "replace")
        except Exception:
            pass
        return "(still running)"

    def wait(self, timeout=TIMEOUT):
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        return code

    def finish(self):
        """(stdout, stderr) after the process ended."""
        out, err = self.proc.communicate(timeout=TIMEOUT)
        return out.decode("utf-8", "replace"), err.decode("utf-8", "replace")

    def close(self):
        try:
            self.sock.close()
        except Exception:
            pass
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.communicate(timeout=TIMEOUT)
        except Exception:
            pass


class WorkerTest(unittest.TestCase):
    """Helpers: a temp run folder, an entry script, a config; start a worker; run tasks."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="prs-test-")
        self.code = os.path.join(self.tmp, "code")
        self.logs = os.path.join(self.tmp, "logs")
        self.out = os.path.join(self.tmp, "outputs")
        self.wd = os.path.join(self.tmp, "wd", "node0", "process000")
        self.rows = os.path.join(self.tmp, ".prs", "rows", "node0.process000.0.txt")
        for d in (self.code, self.logs, self.out, self.wd, os.path.dirname(self.rows)):
            os.makedirs(d, exist_ok=True)
        self.workers = []
        self._ids = 0

    def tearDown(self):
        for w in self.workers:
            w.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, relpath, text, mode="w"):
        path = os.path.join(self.tmp, relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(text, bytes):
            with open(path, "wb") as f:
                f.write(text)
        else:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(textwrap.dedent(text))
        return path

    def script(self, source, name="score.py"):
        return self.write(os.path.join("code", name), source)

    def start(self, source=None, script=None, argv=(), append_row=True, to_csv=None, input_kind="files",
              logging_level="INFO", dataframe_header=None, hello=True, append_row_config=None, **kwargs):
        if script is None:
            script = self.script(source)
        config = {
            "protocol": 1,
            "entry_script": script,
            "code_dir": self.code,
            "argv": list(argv),
            "logging_level": logging_level,
            "log_dir": self.logs,
            "output_dir": self.out,
            "append_row": None,
            "input_kind": input_kind,
        }
        if append_row:
            config["append_row"] = {"to_csv": dict({"sep": " ", "header": False, "index": False}, **(to_csv or {}))}
            if dataframe_header is not None:
                config["append_row"]["dataframe_header"] = dataframe_header
        if append_row_config is not None:
            config["append_row"] = append_row_config
        config_path = os.path.join(self.tmp, ".prs", "worker-config.json")
        with open(config_path, "w") as f:
            json.dump(config, f)
        env = kwargs.pop("env", {})
        env.setdefault("AZUREML_BI_OUTPUT_PATH", self.out)
        w = Worker(config_path, self.rows, self.wd, env=env, **kwargs)
        self.workers.append(w)
        if hello:
            m = w.recv()
            if m is None:
                self.fail("no hello; stderr: %s" % w.stderr_now())
            self.assertEqual(m["type"], "hello")
        return w

    def ready(self, w):
        m = w.recv_type("ready", "init_failed")
        self.assertEqual(m["type"], "ready", "init failed: %s" % json.dumps(m, indent=1))
        return m

    def task(self, w, data, index=None, attempt=1, keys=None):
        self._ids += 1
        index = self._ids - 1 if index is None else index
        w.send({"type": "task", "id": self._ids, "index": index, "attempt": attempt, "data": data,
                "context": {"minibatch_index": index, "partition_key_value": keys or {}}})
        return self._ids

    def outcome(self, w, tid):
        """(started or None, done/failed message) for task tid."""
        started = None
        while True:
            m = w.recv_type("started", "done", "failed")
            self.assertEqual(m["id"], tid)
            if m["type"] == "started":
                started = m
                continue
            return started, m

    def run_task(self, w, data, **kw):
        tid = self.task(w, data, **kw)
        return self.outcome(w, tid)

    def files(self, *names):
        paths = []
        for n in names:
            paths.append(self.write(os.path.join("data", n), "content of %s\n" % n))
        return {"kind": "files", "files": paths}

    def rows_bytes(self, start=0, end=None):
        with open(self.rows, "rb") as f:
            data = f.read()
        return data[start:end]

    def stop(self, w):
        w.send({"type": "shutdown"})
        m = w.recv_type("shutdown_done")
        self.assertEqual(w.wait(), 0)
        return m
