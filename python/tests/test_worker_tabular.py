"""The worker through the real protocol, with tabular inputs (byte ranges and pickled partitions)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

try:
    import pandas as pd
except ImportError:  # pragma: no cover - the system Python here has it
    pd = None
if not harness.has_pandas():  # the workers' Python (PRS_TEST_PYTHON) lacks it
    pd = None

# run() answers with a description of the DataFrame it got, one line per fact.
DESCRIBE = """
    import json
    def run(mini_batch):
        return [json.dumps({"columns": [str(c) for c in mini_batch.columns],
                            "rows": mini_batch.astype(str).values.tolist(),
                            "type": type(mini_batch).__name__})]
"""


@unittest.skipIf(pd is None, "pandas is not installed")
class Ranges(harness.WorkerTest):
    def table(self, name, text):
        path = self.write(os.path.join("data", name), text.encode("utf-8"))
        return path, len(text.encode("utf-8"))

    def described(self, w, data):
        import json

        started, done = self.run_task(w, data)
        self.assertEqual(done["type"], "done", done)
        text = self.rows_bytes(done["rows_start"], done["rows_end"]).decode("utf-8")
        return started, done, json.loads(text)

    def test_range_with_header(self):
        path, size = self.table("x.csv", "a,b\n1,x\n2,y\n3,z\n")
        w = self.start(DESCRIBE, input_kind="tabular")
        self.ready(w)
        header = {"file": path, "end": 4}
        started, done, seen = self.described(
            w, {"kind": "range", "file": path, "start": 4, "end": 12, "format": "delimited", "delimiter": ",", "header": header}
        )
        self.assertEqual(started["items"], 2)
        self.assertEqual(done["items"], 2)
        self.assertEqual(seen, {"columns": ["a", "b"], "rows": [["1", "x"], ["2", "y"]], "type": "DataFrame"})
        _, _, seen = self.described(
            w, {"kind": "range", "file": path, "start": 12, "end": size, "format": "delimited", "delimiter": ",", "header": header}
        )
        self.assertEqual(seen["rows"], [["3", "z"]])
        self.assertEqual(seen["columns"], ["a", "b"])
        self.stop(w)

    def test_header_from_another_file(self):
        head, _ = self.table("head.csv", "id;name\n")
        path, size = self.table("part2.csv", "7;seven\n8;eight\n")
        w = self.start(DESCRIBE, input_kind="tabular")
        self.ready(w)
        _, _, seen = self.described(
            w, {"kind": "range", "file": path, "start": 0, "end": size, "format": "delimited", "delimiter": ";",
                "header": {"file": head, "end": 7}}  # without its newline
        )
        self.assertEqual(seen["columns"], ["id", "name"])
        self.assertEqual(seen["rows"], [["7", "seven"], ["8", "eight"]])
        self.stop(w)

    def test_range_without_header_names_columns_like_mltable(self):
        path, size = self.table("n.csv", "1,x,true\n2,y,false\n")
        w = self.start(DESCRIBE, input_kind="tabular")
        self.ready(w)
        _, _, seen = self.described(
            w, {"kind": "range", "file": path, "start": 0, "end": size, "format": "delimited", "delimiter": ",", "header": None}
        )
        self.assertEqual(seen["columns"], ["Column1", "Column2", "Column3"])
        self.assertEqual(seen["rows"], [["1", "x", "True"], ["2", "y", "False"]])
        self.stop(w)

    def test_quoted_newlines_and_delimiters_inside_a_field(self):
        text = 'id,text\n1,"hello\nworld"\n2,"a,b"\n3,"say ""hi"""\n'
        path, size = self.table("q.csv", text)
        w = self.start(DESCRIBE, input_kind="tabular")
        self.ready(w)
        started, _, seen = self.described(
            w, {"kind": "range", "file": path, "start": 8, "end": size, "format": "delimited", "delimiter": ",",
                "header": {"file": path, "end": 8}}
        )
        self.assertEqual(started["items"], 3)
        self.assertEqual(seen["rows"], [["1", "hello\nworld"], ["2", "a,b"], ["3", 'say "hi"']])
        self.stop(w)

    def test_tab_and_multi_character_delimiters(self):
        tab, tsize = self.table("t.tsv", "a\tb\n1\tx y\n")
        multi, msize = self.table("m.txt", "a||b\n1||x|y\n")
        w = self.start(DESCRIBE, input_kind="tabular")
        self.ready(w)
        _, _, seen = self.described(
            w, {"kind": "range", "file": tab, "start": 4, "end": tsize, "format": "delimited", "delimiter": "\t",
                "header": {"file": tab, "end": 4}}
        )
        self.assertEqual(seen["rows"], [["1", "x y"]])
        _, _, seen = self.described(
            w, {"kind": "range", "file": multi, "start": 5, "end": msize, "format": "delimited", "delimiter": "||",
                "header": {"file": multi, "end": 5}}
        )
        self.assertEqual(seen, {"columns": ["a", "b"], "rows": [["1", "x|y"]], "type": "DataFrame"})
        self.stop(w)

    def test_range_overlapping_the_header_skips_it(self):
        path, size = self.table("o.csv", "a,b\n1,x\n")
        w = self.start(DESCRIBE, input_kind="tabular")
        self.ready(w)
        _, _, seen = self.described(
            w, {"kind": "range", "file": path, "start": 0, "end": size, "format": "delimited", "delimiter": ",",
                "header": {"file": path, "end": 4}}
        )
        self.assertEqual(seen["rows"], [["1", "x"]])
        self.stop(w)

    def test_json_lines(self):
        text = '{"a": 1, "b": "x"}\n{"a": 2, "b": "y y"}\n{"a": 3, "b": "z"}\n'
        path, size = self.table("j.jsonl", text)
        first = len('{"a": 1, "b": "x"}\n')
        w = self.start(DESCRIBE, input_kind="tabular")
        self.ready(w)
        started, _, seen = self.described(
            w, {"kind": "range", "file": path, "start": first, "end": size, "format": "json_lines", "delimiter": ",", "header": None}
        )
        self.assertEqual(started["items"], 2)
        self.assertEqual(seen["columns"], ["a", "b"])
        self.assertEqual(seen["rows"], [["2", "y y"], ["3", "z"]])
        self.stop(w)

    def test_empty_range_skips_run(self):
        marker = os.path.join(self.tmp, "run-called")
        path, size = self.table("e.csv", "a,b\n1,x\n")
        w = self.start("def run(mb):\n    open(%r, 'w').close()\n    return mb\n" % marker, input_kind="tabular")
        self.ready(w)
        for header in ({"file": path, "end": 4}, None):
            started, done = self.run_task(
                w, {"kind": "range", "file": path, "start": 4, "end": 4, "format": "delimited", "delimiter": ",", "header": header}
            )
            self.assertEqual(done["type"], "done", done)
            self.assertEqual((done["items"], done["returned"], done["succeeded"]), (0, 0, 0))
            self.assertEqual(done["rows_start"], done["rows_end"])
        self.stop(w)
        self.assertFalse(os.path.exists(marker))

    def test_row_with_more_fields_than_the_header_fails(self):
        path, size = self.table("wide.csv", "a,b\n1,2,3,4\n5,6\n")
        w = self.start(DESCRIBE, input_kind="tabular")
        self.ready(w)
        _, failed = self.run_task(
            w, {"kind": "range", "file": path, "start": 4, "end": size, "format": "delimited", "delimiter": ",",
                "header": {"file": path, "end": 4}}
        )
        self.assertEqual(failed["type"], "failed")
        self.assertEqual(failed["error"]["type"], "ParserError")
        self.assertIn("more fields than the header's 2 (a, b)", failed["error"]["message"])
        self.stop(w)

    def test_bad_csv_fails_the_mini_batch_not_the_worker(self):
        path, size = self.table("bad.csv", "a,b\n1,2\n3,4,5,6\n")
        good, gsize = self.table("good.csv", "a,b\n1,2\n")
        w = self.start(DESCRIBE, input_kind="tabular")
        self.ready(w)
        started, failed = self.run_task(
            w, {"kind": "range", "file": path, "start": 4, "end": size, "format": "delimited", "delimiter": ",",
                "header": {"file": path, "end": 4}}, index=5
        )
        self.assertIsNone(started)
        self.assertEqual(failed["type"], "failed")
        self.assertEqual(failed["error"]["type"], "ParserError")
        self.assertIn("Expected 2 fields", failed["error"]["message"])
        with open(os.path.join(self.logs, "user", "error", "node0", "process000.txt")) as f:
            text = f.read()
        self.assertIn("mini-batch 5", text)
        self.assertIn("bad.csv bytes 4-%d" % size, text)
        _, done = self.run_task(
            w, {"kind": "range", "file": good, "start": 4, "end": gsize, "format": "delimited", "delimiter": ",",
                "header": {"file": good, "end": 4}}
        )
        self.assertEqual(done["type"], "done")
        self.stop(w)

    def test_missing_file_fails_the_mini_batch(self):
        w = self.start(DESCRIBE, input_kind="tabular")
        self.ready(w)
        _, failed = self.run_task(
            w, {"kind": "range", "file": os.path.join(self.tmp, "gone.csv"), "start": 0, "end": 10,
                "format": "delimited", "delimiter": ",", "header": None}
        )
        self.assertEqual(failed["error"]["type"], "FileNotFoundError")
        self.stop(w)


@unittest.skipIf(pd is None, "pandas is not installed")
class Pickles(harness.WorkerTest):
    def test_pickle_partition_with_context(self):
        path = os.path.join(self.tmp, ".prs", "partitions", "0.pkl")
        os.makedirs(os.path.dirname(path))
        pd.DataFrame({"Store": ["A", "A"], "v": [1, 2]}).to_pickle(path)
        w = self.start(
            """
            def run(mini_batch, ctx):
                return ["%s %d %s" % (ctx.partition_key_value, len(mini_batch), mini_batch["v"].sum())]
            """,
            input_kind="tabular",
        )
        self.ready(w)
        started, done = self.run_task(w, {"kind": "pickle", "file": path, "rows": 2}, keys={"Store": "A"})
        self.assertEqual(started["items"], 2)
        self.assertEqual(done["succeeded"], 1)
        self.assertEqual(self.rows_bytes(), b"{'Store': 'A'} 2 3\n")
        self.stop(w)


@unittest.skipIf(pd is None, "pandas is not installed")
class DataFrameReturns(harness.WorkerTest):
    SCRIPT = """
        import pandas as pd
        def run(mini_batch):
            return pd.DataFrame({"file": [p.rsplit("/", 1)[-1] for p in mini_batch],
                                 "label": ["a cat", "dög"][: len(mini_batch)],
                                 "score": [0.5, 2][: len(mini_batch)]})
    """

    def test_dataframe_rows_use_to_csv_with_spaces_quoted(self):
        w = self.start(self.SCRIPT)
        self.ready(w)
        _, done = self.run_task(w, self.files("x.png", "y.png"))
        self.assertEqual((done["type"], done["returned"], done["succeeded"]), ("done", 2, 2))
        self.assertEqual(self.rows_bytes(), 'x.png "a cat" 0.5\ny.png dög 2.0\n'.encode("utf-8"))
        self.assertEqual(done["rows_end"], len(self.rows_bytes()))
        self.assertNotIn("header_bytes", done)
        self.assertEqual(done["returned_kind"], "dataframe")
        self.assertEqual(done["columns"], ["file", "label", "score"])
        self.stop(w)

    def test_driver_defaults_when_config_has_no_to_csv(self):
        w = self.start(self.SCRIPT, append_row_config={})
        self.ready(w)
        self.run_task(w, self.files("x.png", "y.png"))
        self.stop(w)
        self.assertEqual(self.rows_bytes(), 'x.png "a cat" 0.5\ny.png dög 2.0\n'.encode("utf-8"))

    def test_settings_sep_comma(self):
        w = self.start(self.SCRIPT, to_csv={"sep": ","})
        self.ready(w)
        self.run_task(w, self.files("x.png", "y.png"))
        self.stop(w)
        self.assertEqual(self.rows_bytes(), "x.png,a cat,0.5\ny.png,dög,2.0\n".encode("utf-8"))

    def test_dataframe_header_only_before_the_first_dataframe(self):
        w = self.start(self.SCRIPT, dataframe_header=True)
        self.ready(w)
        _, first = self.run_task(w, self.files("x.png"))
        _, second = self.run_task(w, self.files("y.png"))
        self.stop(w)
        self.assertEqual(self.rows_bytes(), b'file label score\nx.png "a cat" 0.5\ny.png "a cat" 0.5\n')
        self.assertEqual((first["rows_start"], first["rows_end"], first["header_bytes"]), (0, 35, 17))
        self.assertEqual((second["rows_start"], second["rows_end"]), (35, 53))
        self.assertNotIn("header_bytes", second)

    def test_empty_dataframe_return(self):
        w = self.start("import pandas as pd\ndef run(mb):\n    return pd.DataFrame()\n")
        self.ready(w)
        _, done = self.run_task(w, self.files("x"))
        self.assertEqual((done["type"], done["returned"], done["succeeded"]), ("done", 0, 0))
        self.stop(w)

    def test_dataframe_longer_than_items_warns(self):
        w = self.start("import pandas as pd\ndef run(mb):\n    return pd.DataFrame({'a': range(4)})\n")
        self.ready(w)
        _, done = self.run_task(w, self.files("x", "y"))
        self.assertEqual((done["items"], done["returned"], done["succeeded"]), (2, 4, 2))
        self.assertIn("returned 4 results", done["warning"])
        self.assertEqual(self.rows_bytes(), b"0\n1\n2\n3\n")
        self.stop(w)

    def test_series_is_not_accepted(self):
        w = self.start("import pandas as pd\ndef run(mb):\n    return pd.Series([1])\n")
        self.ready(w)
        _, failed = self.run_task(w, self.files("x"))
        self.assertEqual(failed["error"]["type"], "ValueError")
        self.assertTrue(failed["error"]["message"].endswith(" is Series."), failed["error"]["message"])
        self.stop(w)

    def test_bad_to_csv_settings_fail_the_attempt(self):
        w = self.start(self.SCRIPT, to_csv={"no_such_keyword": 1})
        self.ready(w)
        _, failed = self.run_task(w, self.files("x"))
        self.assertEqual(failed["type"], "failed")
        self.assertEqual(failed["error"]["type"], "TypeError")
        self.assertIn("no_such_keyword", failed["error"]["message"])
        self.stop(w)


if __name__ == "__main__":
    unittest.main()
