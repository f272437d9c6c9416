"""prs_worker.table and batch.read_range: MLTable read options and transformations, as the mltable library applies them."""
import datetime
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

try:
    import pandas as pd
except ImportError:  # pragma: no cover
    pd = None

from prs_worker import batch, table  # noqa: E402


@unittest.skipIf(pd is None, "pandas is not installed")
class ReadOptions(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="prs-table-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, rel, data):
        path = os.path.join(self.tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path

    def rows(self, path, header=True, **extra):
        with open(path, "rb") as f:
            text = f.read()
        size = len(text)
        head_end = text.index(b"\n") + 1 if header else 0
        data = {"kind": "range", "file": path, "start": head_end, "end": size, "format": "delimited", "delimiter": ",",
                "header": {"file": path, "end": head_end} if header else None}
        data.update(extra)
        return batch.read_range(data)

    def test_only_an_empty_field_is_null_and_NA_stays_a_string(self):
        path = self.write("a.csv", "a,b\nNA,1\n,2\nnull,3\n")
        df = self.rows(path)
        self.assertEqual(df["a"].tolist()[0], "NA")
        self.assertTrue(pd.isna(df["a"].tolist()[1]))
        self.assertEqual(df["a"].tolist()[2], "null")

    def test_empty_as_string_keeps_empty_fields_as_empty_strings(self):
        path = self.write("a.csv", "a,b\nx,1\n,2\n")
        df = self.rows(path, read={"emptyAsString": True})
        self.assertEqual(df["a"].tolist(), ["x", ""])

    def test_an_MLTable_infers_iso_dates_as_the_library_does(self):
        path = self.write("d.csv", "day,when,n\n1990-06-14,1990-06-14 10:30:00,1\n,1990-06-21T00:00,2\n")
        df = self.rows(path, read={"inferColumnTypes": True})
        self.assertEqual([str(t) for t in df.dtypes], ["datetime64[ns]", "datetime64[ns]", "int64"])
        self.assertEqual(df["day"].tolist()[0], pd.Timestamp("1990-06-14"))
        self.assertEqual(str(self.rows(path)["day"].dtype), "object", "files read by extension: pandas as is")

    def test_infer_column_types_false_reads_text(self):
        path = self.write("a.csv", "a,b\n1,2.5\n")
        df = self.rows(path, read={"inferColumnTypes": False})
        self.assertEqual(df.iloc[0].tolist(), ["1", "2.5"])

    def test_include_path_column_is_first_and_named_Path(self):
        path = self.write("a.csv", "a\n1\n2\n")
        df = self.rows(path, read={"includePathColumn": True})
        self.assertEqual(list(df.columns), ["Path", "a"])
        self.assertEqual(df["Path"].tolist(), [path, path])
        named = self.rows(path, read={"includePathColumn": True, "pathColumn": "Source"})
        self.assertEqual(list(named.columns), ["Source", "a"])

    def test_latin1_and_utf8bom(self):
        latin = self.write("l.csv", "name\nJos\xe9\n".encode("latin-1"))
        self.assertEqual(self.rows(latin, encoding="latin1")["name"].tolist(), ["Jos\xe9"])
        bom = self.write("b.csv", b"\xef\xbb\xbfname\nx\n")
        size = os.path.getsize(bom)
        df = batch.read_range({"kind": "range", "file": bom, "start": 0, "end": size, "format": "delimited",
                               "delimiter": ",", "header": {"file": bom, "end": 8}, "encoding": "utf8bom"})
        self.assertEqual(list(df.columns), ["name"])

    def test_a_quoted_line_break_is_refused_unless_support_multi_line(self):
        path = self.write("q.csv", 'id,text\n1,"two\nlines"\n')
        with self.assertRaises(ValueError) as cm:
            self.rows(path, read={"supportMultiLine": False})
        self.assertIn("support_multi_line: true", str(cm.exception))
        self.assertIn("q.csv", str(cm.exception))
        self.assertEqual(self.rows(path, read={"supportMultiLine": True})["text"].tolist(), ["two\nlines"])
        self.assertEqual(self.rows(path)["text"].tolist(), ["two\nlines"], "files read by extension keep them")

    def test_columns_of_a_table_with_different_headers_are_combined_by_name(self):
        path = self.write("b.csv", "v,w\nb,c\n")
        df = self.rows(path, columns=["id", "v", "w"])
        self.assertEqual(list(df.columns), ["id", "v", "w"])
        self.assertTrue(pd.isna(df["id"].tolist()[0]))
        self.assertEqual(df["w"].tolist(), ["c"])

    def test_json_lines_invalid_lines_error_names_the_line_or_drop_skips_it(self):
        path = self.write("r.jsonl", '{"a": 1}\n{"a": 2\n{"a": 3}\n')
        data = {"kind": "range", "file": path, "start": 0, "end": os.path.getsize(path), "format": "json_lines"}
        with self.assertRaises(ValueError) as cm:
            batch.read_range(data)
        self.assertIn("r.jsonl, line 2", str(cm.exception))
        self.assertIn("invalid_lines: drop", str(cm.exception))
        df = batch.read_range(dict(data, read={"invalidLines": "drop"}))
        self.assertEqual(df["a"].tolist(), [1, 3])


@unittest.skipIf(pd is None, "pandas is not installed")
class Steps(unittest.TestCase):
    def frame(self):
        return pd.DataFrame({"id": ["1", "2", "x"], "flag": ["yes", "no", "maybe"], "day": ["2020-01-02", "bad", "2020-03-04"]})

    def test_partition_format_matches_the_end_of_the_path_and_appends_columns(self):
        df = table.finish(pd, pd.DataFrame({"q": [1, 2]}), "/mnt/out/1000/dominicks/partitioned_data.csv", {},
                          [{"op": "extract_columns_from_partition_format",
                            "partitionFormat": "{Store}/{Brand}/{file_name}.{extension}"}])
        self.assertEqual(list(df.columns), ["q", "Store", "Brand", "file_name", "extension"])
        self.assertEqual(df.iloc[0].tolist(), [1, "1000", "dominicks", "partitioned_data", "csv"])

    def test_partition_format_dates_become_datetimes(self):
        df = table.finish(pd, pd.DataFrame({"q": [1]}), "/d/2021/03/05/a.csv", {},
                          [{"op": "extract_columns_from_partition_format", "partitionFormat": "/{day:yyyy/MM/dd}/{n}.csv"}])
        self.assertEqual(df["day"].tolist(), [pd.Timestamp(datetime.datetime(2021, 3, 5))])

    def test_a_path_outside_the_partition_format_names_file_and_format(self):
        with self.assertRaises(ValueError) as cm:
            table.finish(pd, pd.DataFrame({"q": [1]}), "/d/a.txt", {},
                         [{"op": "extract_columns_from_partition_format", "partitionFormat": "{S}/{n}.csv"}])
        self.assertIn("/d/a.txt", str(cm.exception))
        self.assertIn("{S}/{n}.csv", str(cm.exception))

    def test_steps_apply_in_order_drop_then_keep(self):
        df = table.finish(pd, self.frame(), "/a.csv", {"includePathColumn": True},
                          [{"op": "drop_columns", "columns": ["Path", "missing"]},
                           {"op": "keep_columns", "columns": ["flag", "id"]}])
        self.assertEqual(list(df.columns), ["flag", "id"])

    def test_conversions_make_values_that_do_not_convert_null(self):
        conversions = [
            {"columns": ["id"], "type": "int"},
            {"columns": ["flag"], "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
            {"columns": ["day"], "type": "datetime", "formats": ["%Y-%m-%d"]},
        ]
        df = table.finish(pd, self.frame(), "/a.csv", {}, [{"op": "convert_column_types", "conversions": conversions}])
        self.assertEqual(str(df["id"].dtype), "float64")
        self.assertEqual(df["id"].tolist()[:2], [1.0, 2.0])
        self.assertTrue(pd.isna(df["id"].tolist()[2]))
        self.assertEqual(df["flag"].tolist(), [True, False, None])
        self.assertEqual(df["day"].tolist()[0], pd.Timestamp("2020-01-02"))
        self.assertTrue(pd.isna(df["day"].tolist()[1]))
        whole = table.finish(pd, pd.DataFrame({"n": ["1", "2"]}), "/a.csv", {},
                             [{"op": "convert_column_types", "conversions": [{"columns": ["n"], "type": "int"}]}])
        self.assertEqual(str(whole["n"].dtype), "int64")

    def test_boolean_mismatch_as_error_fails_naming_the_value(self):
        conversion = {"columns": ["flag"], "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"], "mismatchAs": "error"}
        with self.assertRaises(ValueError) as cm:
            table.finish(pd, self.frame(), "/a.csv", {}, [{"op": "convert_column_types", "conversions": [conversion]}])
        self.assertIn("'maybe'", str(cm.exception))

    def test_converting_a_column_the_table_lacks_names_the_columns(self):
        with self.assertRaises(ValueError) as cm:
            table.finish(pd, self.frame(), "/a.csv", {},
                         [{"op": "convert_column_types", "conversions": [{"columns": ["nope"], "type": "float"}]}])
        self.assertIn("'nope'", str(cm.exception))
        self.assertIn("id, flag, day", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
