"""`python -m prs_worker.partition`: grouping tabular rows by partition_keys."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

try:
    import pandas as pd
except ImportError:  # pragma: no cover
    pd = None
PANDAS_FOR_WORKERS = pd is not None and harness.has_pandas()


try:
    import pyarrow  # noqa: F401

    HAS_PARQUET = True
except ImportError:
    HAS_PARQUET = False


def extract(partition_format):
    return {"op": "extract_columns_from_partition_format", "partitionFormat": partition_format}


@unittest.skipIf(pd is None, "pandas is not installed")
class Partition(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="prs-partition-")
        self.root = os.path.join(self.tmp, "table")
        self.out = os.path.join(self.tmp, ".prs", "partitions")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def file(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def partition(self, **request):
        request.setdefault("format", "delimited")
        request.setdefault("delimiter", ",")
        request.setdefault("header", "all_files_same_headers")
        request.setdefault("root", self.root)
        request.setdefault("out_dir", self.out)
        req = os.path.join(self.tmp, "req.json")
        res = os.path.join(self.tmp, "result.json")
        with open(req, "w") as f:
            json.dump(request, f)
        env = dict(os.environ, PYTHONPATH=harness.PYTHON_DIR)
        proc = subprocess.run(
            [sys.executable, "-m", "prs_worker.partition", "--request", req, "--result", res],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120,
        )
        result = None
        if proc.returncode == 0:
            with open(res) as f:
                result = json.load(f)
        return proc, result

    def test_groups_rows_by_key_columns_in_order_of_first_appearance(self):
        a = self.file("a.csv", "Store,Brand,qty\nB,x,1\nA,y,2\nB,x,3\n")
        b = self.file("b.csv", "Store,Brand,qty\nA,y,4\nC,z,5\nB,y,6\n")
        proc, result = self.partition(files=[a, b], keys=["Store", "Brand"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        parts = result["partitions"]
        self.assertEqual([p["key"] for p in parts], [
            {"Store": "B", "Brand": "x"}, {"Store": "A", "Brand": "y"}, {"Store": "C", "Brand": "z"},
            {"Store": "B", "Brand": "y"},
        ])
        self.assertEqual([p["rows"] for p in parts], [2, 2, 1, 1])
        self.assertEqual([p["file"] for p in parts], [os.path.join(self.out, "%d.pkl" % i) for i in range(4)])
        first = pd.read_pickle(parts[0]["file"])
        self.assertEqual(first["qty"].tolist(), [1, 3])
        self.assertEqual(first.index.tolist(), [0, 1])
        second = pd.read_pickle(parts[1]["file"])
        self.assertEqual(second["qty"].tolist(), [2, 4])

    def test_key_values_are_strings(self):
        a = self.file("a.csv", "year,v\n2020,1\n2021,2\n2020,3\n")
        proc, result = self.partition(files=[a], keys=["year"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([p["key"] for p in result["partitions"]], [{"year": "2020"}, {"year": "2021"}])
        self.assertEqual([p["rows"] for p in result["partitions"]], [2, 1])

    def test_partition_format_appends_columns_read_from_the_end_of_each_path(self):
        a = self.file("A/x/jan.csv", "qty\n1\n2\n")
        b = self.file("B/y/feb.csv", "qty\n3\n")
        c = self.file("A/x/mar.csv", "qty\n4\n")
        proc, result = self.partition(files=[a, b, c], keys=["Store", "Brand"],
                                      steps=[extract("{Store}/{Brand}/{fn}.csv")])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        parts = result["partitions"]
        self.assertEqual([p["key"] for p in parts], [{"Store": "A", "Brand": "x"}, {"Store": "B", "Brand": "y"}])
        self.assertEqual([p["rows"] for p in parts], [3, 1])
        df = pd.read_pickle(parts[0]["file"])
        self.assertEqual(list(df.columns), ["qty", "Store", "Brand", "fn"])
        self.assertEqual(df["fn"].tolist(), ["jan", "jan", "mar"])
        self.assertEqual(df["qty"].tolist(), [1, 2, 4])

    def test_partition_format_with_a_date(self):
        a = self.file("2021/03/05/a.csv", "v\n1\n")
        b = self.file("2021/03/06/b.csv", "v\n2\n")
        proc, result = self.partition(files=[a, b], keys=["day"], steps=[extract("{day:yyyy/MM/dd}/*.csv")])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([p["key"]["day"] for p in result["partitions"]], ["2021-03-05 00:00:00", "2021-03-06 00:00:00"])

    def test_path_not_matching_partition_format_exits_2(self):
        a = self.file("flat.csv", "v\n1\n")
        proc, _ = self.partition(files=[a], keys=["Store"], steps=[extract("{Store}/{fn}.parquet")])
        self.assertEqual(proc.returncode, 2)
        self.assertIn("flat.csv", proc.stderr.decode())
        self.assertIn("{Store}/{fn}.parquet", proc.stderr.decode())

    def test_missing_key_column_exits_2_naming_the_columns(self):
        a = self.file("a.csv", "Store,qty\nA,1\n")
        proc, result = self.partition(files=[a], keys=["Brand"])
        self.assertEqual(proc.returncode, 2)
        self.assertIsNone(result)
        err = proc.stderr.decode()
        self.assertIn("'Brand'", err)
        self.assertIn("Store, qty", err)
        self.assertNotIn("Traceback", err)

    def test_no_header_columns_are_numbered(self):
        a = self.file("a.csv", "A,1\nB,2\nA,3\n")
        proc, result = self.partition(files=[a], keys=["Column1"], header="no_header")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([p["rows"] for p in result["partitions"]], [2, 1])
        df = pd.read_pickle(result["partitions"][0]["file"])
        self.assertEqual(list(df.columns), ["Column1", "Column2"])

    def test_from_first_file_header(self):
        a = self.file("a.csv", "k,v\nA,1\n")
        b = self.file("b.csv", "B,2\nA,3\n")
        proc, result = self.partition(files=[a, b], keys=["k"], header="from_first_file")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([(p["key"]["k"], p["rows"]) for p in result["partitions"]], [("A", 2), ("B", 1)])

    def test_json_lines(self):
        a = self.file("a.jsonl", '{"k": "A", "v": 1}\n{"k": "B", "v": 2}\n{"k": "A", "v": 3}\n')
        proc, result = self.partition(files=[a], keys=["k"], format="json_lines")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([(p["key"]["k"], p["rows"]) for p in result["partitions"]], [("A", 2), ("B", 1)])

    def test_missing_values_form_their_own_group(self):
        a = self.file("a.csv", "k,v\nA,1\n,2\nA,3\n")
        proc, result = self.partition(files=[a], keys=["k"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([(p["key"]["k"], p["rows"]) for p in result["partitions"]], [("A", 2), ("nan", 1)])

    def test_skip_and_take_keep_rows_by_position_in_the_whole_table_then_chunk_per_file(self):
        a = self.file("a.csv", "id\n" + "".join("%d\n" % i for i in range(5)))
        b = self.file("b.csv", "id\n" + "".join("%d\n" % i for i in range(5, 10)))
        proc, result = self.partition(files=[a, b], keys=[], window={"start": 3, "end": 8}, mini_batch_size=4,
                                      read={"includePathColumn": True})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        frames = [pd.read_pickle(p["file"]) for p in result["partitions"]]
        self.assertEqual([f["id"].tolist() for f in frames], [[3], [4], [5], [6], [7]], "about 4 bytes: one row each")
        self.assertEqual(list(frames[0].columns), ["Path", "id"])
        self.assertEqual(frames[0]["Path"].tolist(), [a])

    @unittest.skipIf(HAS_PARQUET, "this interpreter can read parquet")
    def test_parquet_without_pyarrow_exits_2_naming_the_interpreter_and_the_fix(self):
        a = self.file("a.parquet", "PAR1")
        proc, _ = self.partition(files=[a], format="parquet", keys=[], mini_batch_size=1024)
        self.assertEqual(proc.returncode, 2)
        err = proc.stderr.decode()
        self.assertIn("read_parquet needs pyarrow", err)
        self.assertIn(sys.executable, err)
        self.assertNotIn("Traceback", err)

    @unittest.skipUnless(HAS_PARQUET, "pyarrow is not installed")
    def test_parquet_row_groups_are_never_split(self):
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = os.path.join(self.root, "t.parquet")
        os.makedirs(self.root, exist_ok=True)
        pq.write_table(pa.table({"id": list(range(10)), "s": ["x" * 50] * 10}), path, row_group_size=3)
        proc, result = self.partition(files=[path], format="parquet", keys=[], mini_batch_size=1,
                                      window={"start": 1, "end": None})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        frames = [pd.read_pickle(p["file"]) for p in result["partitions"]]
        self.assertEqual([f["id"].tolist() for f in frames], [[1, 2], [3, 4, 5], [6, 7, 8], [9]])


@unittest.skipIf(not PANDAS_FOR_WORKERS, "pandas is not installed")
class PartitionThenWorker(harness.WorkerTest):
    def test_partitions_feed_the_worker(self):
        """The pickles the partition command writes are what a worker reads for a `pickle` task."""
        table = self.write("table/a.csv", "k,v\nA,1\nB,2\nA,3\n")
        req = self.write(".prs/req.json", json.dumps({
            "files": [table], "format": "delimited", "delimiter": ",", "header": "all_files_same_headers",
            "keys": ["k"], "root": os.path.dirname(table), "out_dir": os.path.join(self.tmp, ".prs", "partitions")}))
        res = os.path.join(self.tmp, ".prs", "result.json")
        subprocess.run([sys.executable, "-m", "prs_worker.partition", "--request", req, "--result", res],
                       env=dict(os.environ, PYTHONPATH=harness.PYTHON_DIR), check=True, timeout=120)
        with open(res) as f:
            parts = json.load(f)["partitions"]
        w = self.start("def run(mb, ctx):\n    return [ctx.partition_key_value['k'] + ':' + str(mb['v'].sum())]\n",
                       input_kind="tabular")
        self.ready(w)
        for part in parts:
            started, done = self.run_task(w, {"kind": "pickle", "file": part["file"], "rows": part["rows"]},
                                          keys=part["key"])
            self.assertEqual(started["items"], part["rows"])
            self.assertEqual(done["type"], "done", done)
        self.stop(w)
        self.assertEqual(self.rows_bytes(), b"A:4\nB:2\n")


if __name__ == "__main__":
    unittest.main()
