"""The worker's pieces, in-process."""
import importlib.util
import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from prs_worker import batch, errors, loader, results  # noqa: E402
from prs_worker.channel import Channel, ChannelClosed  # noqa: E402

RETURN_MSG = results.RETURN_TYPE_MESSAGE


class Check(unittest.TestCase):
    def test_list_tuple(self):
        self.assertEqual(results.check([1, 2]), ([1, 2], False))
        self.assertEqual(results.check((1, 2)), ([1, 2], False))

    def test_exact_messages(self):
        cases = [
            (None, "The run() method in the entry script should return a list or a pandas DataFrame. "
                   "The actual type of output 'None' is NoneType."),
            ("abc", "The run() method in the entry script should return a list or a pandas DataFrame. "
                    "The actual type of output 'abc' is str."),
            (12, "The run() method in the entry script should return a list or a pandas DataFrame. "
                 "The actual type of output '12' is int."),
        ]
        for value, message in cases:
            with self.assertRaises(ValueError) as cm:
                results.check(value)
            self.assertEqual(str(cm.exception), message)

    def test_message_cuts_str_at_200(self):
        with self.assertRaises(ValueError) as cm:
            results.check("é" * 300)
        self.assertIn("'%s'" % ("é" * 200), str(cm.exception))
        self.assertNotIn("é" * 201, str(cm.exception))

    def test_unprintable_result(self):
        class Bad:
            def __str__(self):
                raise RuntimeError("no")

        with self.assertRaises(ValueError) as cm:
            results.check(Bad())
        self.assertTrue(str(cm.exception).endswith("'<unprintable>' is Bad."))

    def test_set_and_generator_are_rejected(self):
        for value in ({1}, (x for x in [1])):
            with self.assertRaises(ValueError):
                results.check(value)


class RenderList(unittest.TestCase):
    def test_str_plus_newline(self):
        data, warning = results.render_list(["a b", 1, None, "ü"])
        self.assertEqual(data, "a b\n1\nNone\nü\n".encode("utf-8"))
        self.assertIsNone(warning)

    def test_empty(self):
        self.assertEqual(results.render_list([]), (b"", None))

    def test_newline_warning(self):
        data, warning = results.render_list(["ok", "bad\nline", "also\nbad"])
        self.assertEqual(data, b"ok\nbad\nline\nalso\nbad\n")
        self.assertIn("2 of the 3 elements", warning)
        self.assertIn("element 1", warning)

    def test_surrogate_escaped_paths_round_trip(self):
        name = os.fsdecode(b"caf\xe9.png")
        data, _ = results.render_list([name])
        self.assertEqual(data, b"caf\xe9.png\n")


class Writer(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.path = os.path.join(self.tmp, "sub", "rows.txt")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_offsets(self):
        w = results.RowsWriter(self.path)
        self.assertEqual(w.write(["ab", "c"], False), (0, 5, None, 0))
        self.assertEqual(w.write([], False), (5, 5, None, 0))
        self.assertEqual(w.write(["d"], False), (5, 7, None, 0))
        w.close()
        w2 = results.RowsWriter(self.path)
        self.assertEqual(w2.position, 7)
        w2.close()
        with open(self.path, "rb") as f:
            self.assertEqual(f.read(), b"ab\nc\nd\n")

    @unittest.skipIf(importlib.util.find_spec("pandas") is None, "pandas is not installed")
    def test_dataframe_settings(self):
        import pandas as pd

        df = pd.DataFrame({"a": [1, 2], "b": ["x y", "z"]})
        w = results.RowsWriter(self.path, {"sep": ",", "mode": "a", "encoding": "utf-8"}, dataframe_header=True)
        start, end, warning, header = w.write(df, True)
        self.assertEqual((start, header), (0, 4))
        start, end, warning, header = w.write(df, True)
        self.assertEqual(header, 0)
        w.close()
        with open(self.path, "rb") as f:
            self.assertEqual(f.read(), b"a,b\n1,x y\n2,z\n1,x y\n2,z\n")


class Signature(unittest.TestCase):
    def test_accepts_context(self):
        def one(mb):
            pass

        def two(mb, ctx):
            pass

        def default(mb, ctx=None):
            pass

        def star(*args):
            pass

        def kwonly(mb, *, ctx=None):
            pass

        class Callable:
            def __call__(self, mb, ctx):
                pass

        self.assertFalse(loader.accepts_context(one))
        self.assertTrue(loader.accepts_context(two))
        self.assertTrue(loader.accepts_context(default))
        self.assertTrue(loader.accepts_context(star))
        self.assertFalse(loader.accepts_context(kwonly))
        self.assertTrue(loader.accepts_context(Callable()))
        self.assertFalse(loader.accepts_context(len))

    def test_module_name(self):
        code = os.path.join(os.sep, "abs", "code")
        self.assertEqual(loader.module_name(os.path.join(code, "score.py"), code), "score")
        self.assertEqual(loader.module_name(os.path.join(code, "batch_score", "main.py"), code), "batch_score.main")
        self.assertEqual(loader.module_name(os.path.join(code, "my-dir", "main.py"), code), "main")
        self.assertEqual(loader.module_name(os.path.join(os.sep, "elsewhere", "s.py"), code), "s")


class Errors(unittest.TestCase):
    def test_frames_innermost_last(self):
        def inner():
            raise KeyError("k")

        def outer():
            inner()

        try:
            outer()
        except KeyError as e:
            err = errors.from_exception(e)
        self.assertEqual(err["type"], "KeyError")
        self.assertEqual(err["message"], "'k'")
        self.assertEqual([f["function"] for f in err["frames"]][-2:], ["outer", "inner"])
        self.assertEqual(err["frames"][-1]["file"], os.path.abspath(__file__))
        self.assertIn("KeyError: 'k'", err["traceback"])
        json.dumps(err)

    def test_syntax_error_line_is_a_frame(self):
        try:
            compile("x = (\n", "/abs/bad.py", "exec")
        except SyntaxError as e:
            err = errors.from_exception(e)
        self.assertEqual(err["frames"][-1]["file"], "/abs/bad.py")
        self.assertEqual(err["frames"][-1]["line"], 1)

    def test_describe_items(self):
        self.assertEqual(errors.describe_items({"kind": "range", "file": "/x.csv", "start": 1, "end": 9}), "/x.csv bytes 1-9")
        text = errors.describe_items({"kind": "files", "files": ["f%d" % i for i in range(25)]}, limit=2)
        self.assertEqual(text, "25 file(s): f0, f1 … and 23 more")

    def test_partition_groups_are_named_by_their_keys_not_the_scratch_pickle(self):
        data = {"kind": "pickle", "file": "/run/.prs/partitions/3.pkl", "rows": 121}
        text = errors.describe_items(data, partition_key_value={"Store": "1000", "Brand": "dominicks"})
        self.assertEqual(text, "Store=1000, Brand=dominicks: 121 rows")
        self.assertNotIn(".prs", errors.describe_items(data))


class Context(unittest.TestCase):
    def test_attributes(self):
        c = batch.MiniBatchContext({"Store": "A"}, 3)
        self.assertEqual((c.partition_key_value, c.minibatch_index, c.dataset), ({"Store": "A"}, 3, None))
        self.assertEqual(batch.MiniBatchContext().partition_key_value, {})
        with self.assertRaises(AttributeError):
            c.other = 1

    def test_files_are_passed_through(self):
        files = ["/a", "/b"]
        self.assertEqual(batch.load({"kind": "files", "files": files}), (files, 2))

    def test_unknown_kind(self):
        with self.assertRaises(ValueError):
            batch.load({"kind": "blob"})


class StandaloneEntryScript(unittest.TestCase):
    """Outside a worker (the user's own unit tests), EntryScript still works."""

    def test_standalone(self):
        import subprocess

        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp, True)
        code = (
            "from azureml_user.parallel_run import EntryScript\n"
            "e = EntryScript()\n"
            "assert e is EntryScript() and EntryScript(logging_level='DEBUG') is e\n"
            "import pickle; assert pickle.loads(pickle.dumps(e)) is e\n"
            "e.logger.info('standalone %s', e.agent_name)\n"
            "print(e.log_dir, e.output_dir, e.working_dir, sep='|')\n"
        )
        python_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env = dict(os.environ, PYTHONPATH=python_dir)
        env.pop("AZUREML_BI_OUTPUT_PATH", None)
        proc = subprocess.run([sys.executable, "-c", code], cwd=tmp, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(b"standalone process000", proc.stderr)
        log_dir, output_dir, working_dir = proc.stdout.decode().strip().split("|")
        real = os.path.realpath(tmp)
        self.assertEqual(os.path.realpath(log_dir), os.path.join(real, "logs", "user", "entry_script_log", "node0"))
        self.assertEqual(os.path.realpath(output_dir), real)
        self.assertEqual(os.path.realpath(working_dir), real)


class ChannelTest(unittest.TestCase):
    """The channel on an fd that is not 3 (the class takes any fd)."""

    def setUp(self):
        self.ours, theirs = socket.socketpair()
        self.fd = os.dup(theirs.fileno())
        theirs.close()
        self.chan = Channel(self.fd)

    def tearDown(self):
        self.ours.close()
        try:
            os.close(self.fd)
        except OSError:
            pass

    def read_lines(self, count):
        buf = b""
        while buf.count(b"\n") < count:
            buf += self.ours.recv(1 << 20)
        return buf.split(b"\n")[:-1]

    def test_recv_reassembles_split_lines_and_skips_blank_ones(self):
        self.ours.sendall(b'{"type":"a"}\n\n{"type":')
        self.assertEqual(self.chan.recv(), {"type": "a"})
        self.ours.sendall(b'"b","x":"\xc3\xa9"}\nnot json\n{"type":"c"}\n')
        self.assertEqual(self.chan.recv(), {"type": "b", "x": "é"})
        self.assertEqual(self.chan.recv(), {"type": "c"})
        self.ours.close()
        self.assertIsNone(self.chan.recv())

    def test_send_is_one_compact_ascii_line(self):
        self.chan.send({"type": "log", "message": "é\nx", "n": 1})
        line = self.read_lines(1)[0]
        self.assertEqual(line, b'{"type":"log","message":"\\u00e9\\nx","n":1}')

    def test_threads_never_interleave(self):
        big = "y" * 200000

        def sender(n):
            for i in range(20):
                self.chan.send({"type": "log", "n": n, "i": i, "message": big})

        threads = [threading.Thread(target=sender, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        lines = self.read_lines(80)
        for t in threads:
            t.join()
        self.assertEqual(sorted((m["n"], m["i"]) for m in map(json.loads, lines)),
                         sorted((n, i) for n in range(4) for i in range(20)))

    def test_send_after_the_engine_left_raises(self):
        self.ours.close()
        with self.assertRaises(ChannelClosed):
            for _ in range(3):
                self.chan.send({"type": "x"})

    def test_hangup_watch(self):
        fired = threading.Event()
        self.assertTrue(self.chan.watch_hangup(fired.set))
        self.assertFalse(fired.wait(0.1))
        self.ours.sendall(b'{"type":"task"}\n')  # data does not wake it
        self.assertFalse(fired.wait(0.1))
        self.ours.close()
        self.assertTrue(fired.wait(5))


if __name__ == "__main__":
    unittest.main()
