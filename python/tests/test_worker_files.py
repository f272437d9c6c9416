"""The worker through the real protocol, with file inputs (no pandas needed)."""
import os
import signal
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

sys.path.insert(0, harness.PYTHON_DIR)
import prs_worker  # noqa: E402

RETURN_MSG = "The run() method in the entry script should return a list or a pandas DataFrame. The actual type of output '%s' is %s."


class Startup(harness.WorkerTest):
    def test_hello_is_first_and_describes_python(self):
        w = self.start("def run(mb):\n    return mb\n", hello=False)
        m = w.recv()
        self.assertEqual(m["type"], "hello")
        self.assertEqual(m["protocol"], prs_worker.PROTOCOL_VERSION)
        self.assertEqual(m["pid"], w.proc.pid)
        self.assertRegex(m["python"], r"^3\.\d+\.\d+$")
        self.assertTrue(os.path.isabs(m["executable"]))
        if harness.PYTHON == sys.executable:
            self.assertEqual(m["python"], "%d.%d.%d" % sys.version_info[:3])
        if harness.PYTHON == sys.executable and harness.has_pandas():
            import pandas

            self.assertEqual(m["pandas"], pandas.__version__)
        ready = self.ready(w)
        self.assertIsInstance(ready["seconds"], float)
        self.stop(w)

    def test_init_runs_once_per_process_before_run(self):
        marker = os.path.join(self.tmp, "init-calls.txt")
        w = self.start(
            """
            calls = []
            def init():
                calls.append(1)
                with open(%r, "a") as f:
                    f.write("init\\n")
            def run(mini_batch):
                return ["init=%%d" %% len(calls) for _ in mini_batch]
            """ % marker
        )
        self.ready(w)
        for _ in range(3):
            started, done = self.run_task(w, self.files("a.txt", "b.txt"))
            self.assertEqual(done["type"], "done")
        self.stop(w)
        with open(marker) as f:
            self.assertEqual(f.read(), "init\n")
        self.assertEqual(self.rows_bytes(), b"init=1\n" * 6)

    def test_init_is_optional(self):
        w = self.start("def run(mb):\n    return mb\n")
        self.ready(w)
        self.stop(w)

    def test_init_failure_reports_and_exits_72(self):
        w = self.start(
            """
            import os

            def init():
                raise RuntimeError("model file missing")

            def run(mb):
                return mb
            """
        )
        m = w.recv_type("ready", "init_failed")
        self.assertEqual(m["type"], "init_failed")
        self.assertEqual(m["phase"], "init")
        self.assertEqual(m["error"]["type"], "RuntimeError")
        self.assertEqual(m["error"]["message"], "model file missing")
        self.assertNotIn("cause", m["error"], "an error of the user's own code has no cause the engine acts on")
        self.assertEqual(m["error"]["frames"][-1], {"file": os.path.join(self.code, "score.py"), "line": 5, "function": "init"})
        self.assertEqual(w.wait(), 72)
        with open(os.path.join(self.logs, "user", "error", "node0", "process000.txt")) as f:
            text = f.read()
        self.assertIn("init() of the entry script failed", text)
        self.assertIn("model file missing", text)

    def test_import_error_is_init_failed_in_phase_import(self):
        w = self.start("import numpy_does_not_exist_here\n\ndef run(mb):\n    return mb\n")
        m = w.recv_type("ready", "init_failed")
        self.assertEqual(m["type"], "init_failed")
        self.assertEqual(m["phase"], "import")
        self.assertEqual(m["error"]["type"], "ModuleNotFoundError")
        self.assertIn("numpy_does_not_exist_here", m["error"]["message"])
        self.assertEqual((m["error"]["cause"], m["error"]["module"]), ("missing_module", "numpy_does_not_exist_here"))
        self.assertEqual(m["error"]["frames"][-1]["file"], os.path.join(self.code, "score.py"))
        self.assertEqual(m["error"]["frames"][-1]["line"], 1)
        self.assertNotIn("prs_worker", m["error"]["traceback"])
        self.assertEqual(w.wait(), 72)

    def test_from_import_error_names_the_module(self):
        w = self.start("from os import no_such_name\n\ndef run(mb):\n    return mb\n")
        m = w.recv_type("ready", "init_failed")
        self.assertEqual((m["phase"], m["error"]["type"]), ("import", "ImportError"))
        self.assertIn("no_such_name", m["error"]["message"])
        self.assertIn("'os'", m["error"]["message"])
        self.assertEqual(m["error"]["cause"], "import_error")
        self.assertNotIn("module", m["error"], "os is there: no module is missing")
        self.assertEqual(w.wait(), 72)

    def test_syntax_error_points_at_the_line(self):
        w = self.start("def run(mb):\n    return mb\n\nx = (\n")
        m = w.recv_type("ready", "init_failed")
        self.assertEqual(m["phase"], "import")
        self.assertEqual(m["error"]["type"], "SyntaxError")
        self.assertEqual(m["error"]["cause"], "syntax_error")
        self.assertEqual(m["error"]["frames"][-1]["file"], os.path.join(self.code, "score.py"))
        self.assertEqual(w.wait(), 72)

    def test_indentation_error_is_a_syntax_error_cause(self):
        w = self.start("def run(mb):\nreturn mb\n")
        m = w.recv_type("ready", "init_failed")
        self.assertEqual((m["error"]["type"], m["error"]["cause"]), ("IndentationError", "syntax_error"))
        self.assertEqual(w.wait(), 72)

    def test_a_missing_submodule_names_the_whole_dotted_module(self):
        w = self.start("import os.no_such_submodule\n\ndef run(mb):\n    return mb\n")
        m = w.recv_type("ready", "init_failed")
        self.assertEqual((m["error"]["cause"], m["error"]["module"]), ("missing_module", "os.no_such_submodule"))
        self.assertEqual(w.wait(), 72)

    def test_missing_run_is_init_failed(self):
        w = self.start("def init():\n    pass\n")
        m = w.recv_type("ready", "init_failed")
        self.assertEqual((m["phase"], m["error"]["type"]), ("import", "AttributeError"))
        self.assertIn("run(mini_batch)", m["error"]["message"])
        self.assertEqual(m["error"]["cause"], "no_run_function")
        self.assertEqual(w.wait(), 72)

    def test_sys_exit_at_import_is_init_failed(self):
        w = self.start(
            """
            import argparse
            parser = argparse.ArgumentParser()
            parser.add_argument("--model", required=True)
            args = parser.parse_args()
            def run(mb):
                return mb
            """
        )
        m = w.recv_type("ready", "init_failed")
        self.assertEqual((m["phase"], m["error"]["type"]), ("import", "SystemExit"))
        self.assertIn("2", m["error"]["message"])
        self.assertEqual(w.wait(), 72)
        out, err = w.finish()
        self.assertIn("--model", err)  # argparse's usage went to the user's stderr, untouched

    def test_missing_entry_script(self):
        w = self.start(script=os.path.join(self.code, "nope.py"))
        m = w.recv_type("ready", "init_failed")
        self.assertEqual((m["phase"], m["error"]["type"]), ("import", "FileNotFoundError"))
        self.assertIn("nope.py", m["error"]["message"])
        self.assertEqual(m["error"]["cause"], "entry_script_missing")
        self.assertEqual(w.wait(), 72)

    def test_argv_reaches_parse_known_args(self):
        w = self.start(
            """
            import argparse, sys
            parser = argparse.ArgumentParser()
            parser.add_argument("--model")
            args, unknown = parser.parse_known_args()
            def run(mb):
                return [sys.argv[0], args.model, " ".join(unknown)]
            """,
            argv=["--append_row_file_name", "out.txt", "--model", "/abs/model"],
        )
        self.ready(w)
        _, done = self.run_task(w, self.files("a", "b", "c"))
        self.assertEqual(done["type"], "done")
        script = os.path.join(self.code, "score.py")
        self.assertEqual(self.rows_bytes().decode(), "%s\n/abs/model\n--append_row_file_name out.txt\n" % script)
        self.stop(w)

    def test_nested_entry_script_is_a_dotted_module(self):
        self.write("code/batch_score/__init__.py", "")
        self.write("code/batch_score/helpers.py", "VALUE = 'helped'\n")
        script = self.write(
            "code/batch_score/main.py",
            """
            from . import helpers
            def run(mb):
                return [__name__, helpers.VALUE]
            """,
        )
        w = self.start(script=script)
        self.ready(w)
        _, done = self.run_task(w, self.files("a", "b"))
        self.assertEqual(done["type"], "done", done)
        self.assertEqual(self.rows_bytes(), b"batch_score.main\nhelped\n")
        self.stop(w)

    def test_code_dir_siblings_import_and_file_is_absolute(self):
        self.write("code/util_mod.py", "def f(x):\n    return x * 2\n")
        w = self.start(
            """
            import os, util_mod
            HERE = os.path.realpath(os.path.join(__file__, '..'))
            def run(mb):
                return [util_mod.f(21), HERE, os.getcwd(), os.environ["AZUREML_BI_OUTPUT_PATH"]]
            """
        )
        self.ready(w)
        self.run_task(w, self.files("a"))
        lines = self.rows_bytes().decode().splitlines()
        self.assertEqual(lines, ["42", os.path.realpath(self.code), self.wd, self.out])
        self.stop(w)


@unittest.skipIf(harness.PYTHON != sys.executable or __import__("importlib").util.find_spec("debugpy") is None,
                 "debugpy is not installed")
class UnderDebugpy(harness.WorkerTest):
    def test_worker_runs_under_debugpy(self):
        """The engine's debug launch: `python -m debugpy --listen host:port -m prs_worker ...`."""
        import socket

        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        w = self.start("def run(mb):\n    return [len(mb)]\n",
                       pre_args=["-m", "debugpy", "--listen", "127.0.0.1:%d" % port])
        self.ready(w)
        _, done = self.run_task(w, self.files("a", "b"))
        self.assertEqual(done["type"], "done", done)
        self.stop(w)
        self.assertEqual(self.rows_bytes(), b"2\n")


class Run(harness.WorkerTest):
    def test_files_list_and_started_done(self):
        w = self.start(
            """
            def run(mini_batch):
                assert isinstance(mini_batch, list)
                return [os.path.basename(p) + " " + open(p).read().strip() for p in mini_batch]
            import os
            """
        )
        self.ready(w)
        data = self.files("a.png", "b.png")
        started, done = self.run_task(w, data)
        self.assertEqual(started, {"type": "started", "id": 1, "items": 2})
        self.assertEqual(done["items"], 2)
        self.assertEqual(done["returned"], 2)
        self.assertEqual(done["succeeded"], 2)
        self.assertIsNone(done["warning"])
        self.assertEqual((done["rows_start"], done["rows_end"]), (0, len(self.rows_bytes())))
        self.assertEqual(self.rows_bytes(), b"a.png content of a.png\nb.png content of b.png\n")
        self.stop(w)

    def test_two_argument_run_gets_context(self):
        w = self.start(
            """
            def run(mini_batch, mini_batch_context):
                c = mini_batch_context
                return [repr((sorted(c.partition_key_value.items()), c.minibatch_index, c.dataset))]
            """
        )
        self.ready(w)
        self.run_task(w, self.files("a"), index=7, keys={"Store": "A", "Brand": "x"})
        self.run_task(w, self.files("b"), index=8)
        self.assertEqual(
            self.rows_bytes().decode(),
            "([('Brand', 'x'), ('Store', 'A')], 7, None)\n([], 8, None)\n",
        )
        self.stop(w)

    def test_one_argument_run_with_default_gets_context_only_if_positional(self):
        w = self.start(
            """
            def run(mini_batch, *, flag="kw-only"):
                return [flag]
            """
        )
        self.ready(w)
        _, done = self.run_task(w, self.files("a"))
        self.assertEqual(done["type"], "done", done)
        self.assertEqual(self.rows_bytes(), b"kw-only\n")
        self.stop(w)

    def test_tasks_queued_two_deep_run_in_order(self):
        w = self.start("def run(mb):\n    return [len(mb)]\n")
        self.ready(w)
        a = self.task(w, self.files("a"))
        b = self.task(w, self.files("b", "c"))
        w.send({"type": "something_new", "x": 1})  # unknown messages are ignored
        c = self.task(w, self.files("d", "e", "f"))
        ids = [self.outcome(w, t)[1]["id"] for t in (a, b, c)]
        self.assertEqual(ids, [a, b, c])
        self.assertEqual(self.rows_bytes(), b"1\n2\n3\n")
        self.stop(w)

    def test_exception_fails_the_attempt_with_user_frames(self):
        w = self.start(
            """
            def helper(x):
                return 1 / 0

            def run(mini_batch):
                if len(mini_batch) == 2:
                    return helper(mini_batch)
                return mini_batch
            """
        )
        self.ready(w)
        started, failed = self.run_task(w, self.files("a", "b"), index=3, attempt=2)
        self.assertEqual(started["items"], 2)
        self.assertEqual(failed["type"], "failed")
        self.assertEqual(failed["items"], 2)
        err = failed["error"]
        self.assertEqual((err["type"], err["message"]), ("ZeroDivisionError", "division by zero"))
        script = os.path.join(self.code, "score.py")
        self.assertEqual(
            err["frames"],
            [{"file": script, "line": 7, "function": "run"}, {"file": script, "line": 3, "function": "helper"}],
        )
        self.assertTrue(err["traceback"].startswith("Traceback (most recent call last):"))
        self.assertNotIn("prs_worker", err["traceback"])
        self.assertIn("ZeroDivisionError: division by zero", err["traceback"])
        # the worker goes on
        _, done = self.run_task(w, self.files("c"))
        self.assertEqual(done["type"], "done")
        self.assertEqual(done["rows_start"], 0)
        with open(os.path.join(self.logs, "user", "error", "node0", "process000.txt")) as f:
            text = f.read()
        self.assertIn("mini-batch 3", text)
        self.assertIn("attempt 2", text)
        self.assertIn("2 file(s)", text)
        self.assertIn("a, ", text.replace(os.path.join(self.tmp, "data") + os.sep, ""))
        self.assertIn("ZeroDivisionError: division by zero", text)
        self.assertIn('line 3, in helper', text)
        self.stop(w)

    def test_sys_exit_in_run_fails_only_the_attempt(self):
        w = self.start("import sys\ndef run(mb):\n    sys.exit(3)\n")
        self.ready(w)
        _, failed = self.run_task(w, self.files("a"))
        self.assertEqual(failed["type"], "failed")
        self.assertEqual(failed["error"]["type"], "SystemExit")
        self.stop(w)

    def test_user_stdout_and_stderr_are_untouched(self):
        w = self.start(
            """
            import sys
            print("import-time print")
            def run(mb):
                print("hello from run")
                sys.stderr.write("err from run\\n")
                return mb
            """
        )
        self.ready(w)
        self.run_task(w, self.files("a"))
        self.stop(w)
        out, err = w.finish()
        self.assertEqual(out, "import-time print\nhello from run\n")
        self.assertEqual(err, "err from run\n")

    def test_shutdown_is_called_and_its_error_reported(self):
        marker = os.path.join(self.tmp, "shutdown.txt")
        w = self.start(
            """
            def run(mb):
                return mb
            def shutdown():
                open(%r, "w").write("closed")
                raise ValueError("cleanup broke")
            """ % marker
        )
        self.ready(w)
        m = self.stop(w)
        self.assertEqual(m["error"]["type"], "ValueError")
        self.assertEqual(m["error"]["message"], "cleanup broke")
        with open(marker) as f:
            self.assertEqual(f.read(), "closed")

    def test_shutdown_without_function(self):
        w = self.start("def run(mb):\n    return mb\n")
        self.ready(w)
        self.assertEqual(self.stop(w), {"type": "shutdown_done", "error": None})

    def test_end_of_file_exits_at_once_when_idle(self):
        w = self.start("def run(mb):\n    return mb\n")
        self.ready(w)
        w.sock.close()
        self.assertEqual(w.wait(timeout=10), 0)

    def test_end_of_file_exits_at_once_while_run_is_busy(self):
        w = self.start("import time\ndef run(mb):\n    time.sleep(60)\n    return mb\n")
        self.ready(w)
        self.task(w, self.files("a"))
        w.recv_type("started")
        t0 = time.monotonic()
        w.sock.close()
        w.wait(timeout=20)
        self.assertLess(time.monotonic() - t0, 10)

    def test_end_of_file_during_init_exits(self):
        w = self.start("import time\ndef init():\n    time.sleep(60)\ndef run(mb):\n    return mb\n")
        time.sleep(0.3)
        t0 = time.monotonic()
        w.sock.close()
        w.wait(timeout=20)
        self.assertLess(time.monotonic() - t0, 10)

    def test_sigint_is_ignored(self):
        w = self.start("def run(mb):\n    return mb\n")
        self.ready(w)
        w.proc.send_signal(signal.SIGINT)
        time.sleep(0.2)
        self.assertIsNone(w.proc.poll())
        _, done = self.run_task(w, self.files("a"))
        self.assertEqual(done["type"], "done")
        self.stop(w)


class Returns(harness.WorkerTest):
    def returning(self, expression, files=("a", "b", "c"), **start):
        w = self.start("def run(mini_batch):\n    return %s\n" % expression, **start)
        self.ready(w)
        started, outcome = self.run_task(w, self.files(*files))
        self.stop(w)
        return outcome

    def test_list(self):
        done = self.returning("[1, 2, 3]")
        self.assertEqual((done["type"], done["returned"], done["succeeded"]), ("done", 3, 3))
        self.assertEqual(self.rows_bytes(), b"1\n2\n3\n")

    def test_tuple_is_a_list(self):
        done = self.returning("('x', 'y', 'z')")
        self.assertEqual((done["type"], done["returned"], done["succeeded"]), ("done", 3, 3))
        self.assertEqual(done["returned_kind"], "list")
        self.assertEqual(self.rows_bytes(), b"x\ny\nz\n")

    def test_none_fails_with_the_drivers_message(self):
        failed = self.returning("None")
        self.assertEqual(failed["type"], "failed")
        self.assertEqual(failed["error"]["type"], "ValueError")
        self.assertEqual(failed["error"]["message"], RETURN_MSG % ("None", "NoneType"))
        self.assertEqual(failed["error"]["cause"], "return_type")
        self.assertEqual(
            failed["error"]["frames"], [{"file": os.path.join(self.code, "score.py"), "line": 1, "function": "run"}]
        )
        self.assertFalse(os.path.exists(self.rows) and self.rows_bytes())

    def test_str_fails_with_the_drivers_message(self):
        failed = self.returning("'result'")
        self.assertEqual(failed["error"]["message"], RETURN_MSG % ("result", "str"))

    def test_long_str_is_cut_at_200_characters(self):
        failed = self.returning("'x' * 500")
        self.assertEqual(failed["error"]["message"], RETURN_MSG % ("x" * 200, "str"))

    def test_dict_fails(self):
        failed = self.returning("{'a': 1}")
        self.assertEqual(failed["error"]["message"], RETURN_MSG % ("{'a': 1}", "dict"))

    def test_a_value_error_of_run_itself_has_no_return_type_cause(self):
        w = self.start("def run(mb):\n    raise ValueError('The run() method in the entry script should return a list')\n")
        self.ready(w)
        started, failed = self.run_task(w, self.files("a"))
        self.stop(w)
        self.assertEqual(failed["type"], "failed")
        self.assertNotIn("cause", failed["error"])

    def test_short_return_counts_what_came_back(self):
        done = self.returning("['only one']")
        self.assertEqual((done["type"], done["items"], done["returned"], done["succeeded"]), ("done", 3, 1, 1))
        self.assertIsNone(done["warning"])

    def test_long_return_succeeds_items_and_warns(self):
        done = self.returning("list(range(5))")
        self.assertEqual((done["items"], done["returned"], done["succeeded"]), (3, 5, 3))
        self.assertIn("returned 5 results", done["warning"])
        self.assertEqual(self.rows_bytes(), b"0\n1\n2\n3\n4\n")  # every returned row is written, like the driver

    def test_empty_list(self):
        done = self.returning("[]")
        self.assertEqual((done["type"], done["returned"], done["succeeded"]), ("done", 0, 0))
        self.assertEqual(done["rows_start"], done["rows_end"])

    def test_append_row_bytes_are_str_of_each_element(self):
        done = self.returning("['a b  c', 'héllo ✓', 3.5, None, ('t', 1), '']", files=("a",) * 6)
        self.assertEqual(self.rows_bytes(), "a b  c\nhéllo ✓\n3.5\nNone\n('t', 1)\n\n".encode("utf-8"))
        self.assertEqual((done["rows_start"], done["rows_end"]), (0, len(self.rows_bytes())))
        self.assertIsNone(done["warning"])

    def test_newline_in_element_is_written_as_is_with_a_warning(self):
        done = self.returning("['one', 'two\\nlines', 'three']")
        self.assertEqual(self.rows_bytes(), b"one\ntwo\nlines\nthree\n")
        self.assertIn("newline", done["warning"])
        self.assertIn("element 1", done["warning"])

    def test_rows_offsets_follow_each_other(self):
        w = self.start("def run(mini_batch):\n    return [os.path.basename(p) * 3 for p in mini_batch]\nimport os\n")
        self.ready(w)
        spans = []
        for names in (("a", "b"), ("cc",), ("d", "e", "f")):
            _, done = self.run_task(w, self.files(*names))
            spans.append((done["rows_start"], done["rows_end"]))
        self.stop(w)
        self.assertEqual(spans, [(0, 8), (8, 15), (15, 27)])
        self.assertEqual(self.rows_bytes(8, 15), b"cccccc\n")

    def test_rows_file_is_appended_not_truncated(self):
        with open(self.rows, "wb") as f:
            f.write(b"earlier generation\n")
        self.returning("['x']")
        self.assertEqual(self.rows_bytes(), b"earlier generation\nx\n")
        done = [m for m in self.workers[0].received if m["type"] == "done"][0]
        self.assertEqual((done["rows_start"], done["rows_end"]), (19, 21))

    def test_summary_only_writes_no_rows(self):
        done = self.returning("[1, 2, 3]", append_row=False)
        self.assertEqual((done["type"], done["succeeded"]), ("done", 3))
        self.assertEqual(done["rows_start"], done["rows_end"])
        self.assertFalse(os.path.exists(self.rows))

    def test_summary_only_still_checks_the_return_type(self):
        failed = self.returning("None", append_row=False)
        self.assertEqual(failed["error"]["message"], RETURN_MSG % ("None", "NoneType"))


class EntryScriptTest(harness.WorkerTest):
    def test_singleton_attributes_log_file_and_forwarded_records(self):
        w = self.start(
            """
            import os
            from azureml_user.parallel_run import EntryScript

            def init():
                es = EntryScript()
                es.logger.info("init on %s", es.agent_name)
                es.logger.debug("not at INFO")

            def run(mini_batch):
                es = EntryScript()
                assert es is EntryScript()
                assert EntryScript(logging_level="DEBUG") is es
                es.logger.warning("warned %d", len(mini_batch))
                try:
                    raise KeyError("k")
                except KeyError:
                    es.logger.exception("caught")
                return [es.agent_name, es.node_id, es.log_dir, es.output_dir, es.working_dir,
                        os.path.isdir(es.log_dir)]
            """
        )
        self.ready(w)
        self.run_task(w, self.files("a", "b"))
        self.stop(w)
        log_dir = os.path.join(self.logs, "user", "entry_script_log", "node0")
        self.assertEqual(
            self.rows_bytes().decode().splitlines(), ["process000", "node0", log_dir, self.out, self.wd, "True"]
        )
        logs = w.logs()
        self.assertEqual(logs[0], {"type": "log", "level": "INFO", "message": "init on process000"})
        self.assertEqual(logs[1], {"type": "log", "level": "WARNING", "message": "warned 2"})
        self.assertEqual(logs[2]["level"], "ERROR")
        self.assertTrue(logs[2]["message"].startswith("caught\nTraceback"))
        self.assertEqual(len(logs), 3)
        with open(os.path.join(log_dir, "process000.log.txt"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("init on process000", text)
        self.assertIn("warned 2", text)
        self.assertNotIn("not at INFO", text)

    def test_logging_level_debug_and_logging_from_threads(self):
        w = self.start(
            """
            import threading
            from azureml_user.parallel_run import EntryScript
            log = EntryScript().logger

            def run(mini_batch):
                log.debug("debug visible")
                threads = [threading.Thread(target=lambda n=n: [log.info("t%d-%d %s", n, i, "x" * 3000) for i in range(50)])
                           for n in range(4)]
                for t in threads: t.start()
                for t in threads: t.join()
                return mini_batch
            """,
            logging_level="DEBUG",
        )
        self.ready(w)
        _, done = self.run_task(w, self.files("a"))
        self.assertEqual(done["type"], "done")
        logs = w.logs()
        self.assertEqual(logs[0]["message"], "debug visible")
        self.assertEqual(len(logs), 1 + 200)  # every line parsed: nothing torn or interleaved
        self.stop(w)

    def test_node_and_process_names_come_from_the_command_line(self):
        w = self.start(
            "from azureml_user.parallel_run import EntryScript\n"
            "def run(mb):\n    return [EntryScript().agent_name, EntryScript().node_id]\n",
        )
        self.ready(w)
        self.run_task(w, self.files("a"))
        self.stop(w)
        self.assertEqual(self.rows_bytes(), b"process000\nnode0\n")


class WithoutPandas(harness.WorkerTest):
    """File inputs must work in an environment without pandas."""

    def blocker_env(self):
        blocker = os.path.join(self.tmp, "no_pandas")
        os.makedirs(blocker)
        with open(os.path.join(blocker, "sitecustomize.py"), "w") as f:
            f.write("import sys\nsys.modules['pandas'] = None  # as if not installed\n")
        return {"PYTHONPATH": blocker}

    def test_files_flow_without_pandas(self):
        w = self.start(
            """
            import sys
            def run(mini_batch):
                return [str('pandas' in sys.modules and sys.modules['pandas'] is not None)] + [None]
            """,
            env=self.blocker_env(),
            hello=False,
        )
        hello = w.recv()
        self.assertEqual(hello["type"], "hello")
        self.assertIsNone(hello["pandas"])
        self.ready(w)
        _, done = self.run_task(w, self.files("a", "b"))
        self.assertEqual(done["type"], "done", done)
        _, done = self.run_task(w, self.files("a"), index=0)
        self.assertEqual(done["type"], "done")
        self.stop(w)
        self.assertEqual(self.rows_bytes(), b"False\nNone\nFalse\nNone\n")

    def test_wrong_return_without_pandas(self):
        w = self.start("def run(mb):\n    return 42\n", env=self.blocker_env())
        self.ready(w)
        _, failed = self.run_task(w, self.files("a"))
        self.assertEqual(failed["error"]["message"], RETURN_MSG % ("42", "int"))
        self.stop(w)

    def test_tabular_without_pandas_is_init_failed(self):
        w = self.start("def run(mb):\n    return mb\n", env=self.blocker_env(), input_kind="tabular")
        m = w.recv_type("ready", "init_failed")
        self.assertEqual(m["type"], "init_failed")
        self.assertIn("pandas", m["error"]["message"])
        self.assertEqual(w.wait(), 72)


def _other_python():
    """An older interpreter without pandas, when this machine has one (pyenv's 3.8)."""
    for candidate in (os.environ.get("PRS_TEST_PYTHON38"), os.path.expanduser("~/.pyenv/versions/3.8.18/bin/python")):
        if candidate and os.path.exists(candidate):
            return candidate
    import glob

    found = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.8*/bin/python")))
    return found[0] if found else None


@unittest.skipUnless(_other_python(), "no Python 3.8 on this machine")
class Python38(harness.WorkerTest):
    def test_files_flow_on_python_38(self):
        python = _other_python()
        w = self.start(
            """
            from azureml_user.parallel_run import EntryScript
            def init():
                EntryScript().logger.info("hi")
            def run(mini_batch, context):
                return [len(mini_batch), context.minibatch_index]
            def shutdown():
                pass
            """,
            python=python,
            hello=False,
        )
        hello = w.recv()
        self.assertTrue(hello["python"].startswith("3.8"), hello)
        self.ready(w)
        _, done = self.run_task(w, self.files("a", "b"), index=4)
        self.assertEqual(done["type"], "done", done)
        _, failed = self.run_task(w, self.files("a"))
        self.stop(w)
        self.assertEqual(self.rows_bytes(), b"2\n4\n1\n1\n")


if __name__ == "__main__":
    unittest.main()
