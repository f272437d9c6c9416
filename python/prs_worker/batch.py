"""A task's `data` → the mini_batch run() receives: a list of paths or a pandas DataFrame.

pandas is imported only for tabular data, so file inputs work in environments without it.
"""
import io
import json
import sys
import warnings

from . import PROTOCOL_VERSION, table


def pandas():
    pd = sys.modules.get("pandas")
    if pd is None:
        import pandas as pd  # noqa: F811 - only tabular inputs need it
    return pd


class MiniBatchContext(object):
    """The second argument of `run(mini_batch, mini_batch_context)`."""

    __slots__ = ("partition_key_value", "minibatch_index", "dataset")

    def __init__(self, partition_key_value=None, minibatch_index=None, dataset=None):
        self.partition_key_value = partition_key_value if partition_key_value is not None else {}
        self.minibatch_index = minibatch_index
        self.dataset = dataset

    def __repr__(self):
        return "MiniBatchContext(partition_key_value=%r, minibatch_index=%r)" % (
            self.partition_key_value,
            self.minibatch_index,
        )


def load(data):
    """(mini_batch, items) for a task's data. Raises on unreadable data (the attempt then fails)."""
    kind = data.get("kind")
    if kind == "files":
        files = data["files"]
        return files, len(files)
    if kind == "range":
        df = read_range(data)
        return df, len(df)
    if kind == "pickle":
        df = pandas().read_pickle(data["file"])
        return df, len(df)
    raise ValueError(
        "Unknown mini-batch data kind %r (this worker speaks protocol %d)" % (kind, PROTOCOL_VERSION)
    )


def _read(path, start, end):
    with open(path, "rb") as f:
        if start:
            f.seek(start)
        return f.read(max(0, end - start))


def read_range(data):
    """A byte range of one file as a DataFrame, with the MLTable's read options and steps applied."""
    pd = pandas()
    path = data["file"]
    fmt = data.get("format") or "delimited"
    read = data.get("read") or {}
    if fmt == "json_lines":
        df = _json_lines(pd, data, read)
    elif fmt == "delimited":
        df = _delimited(pd, data, read)
    else:
        raise ValueError("Unknown tabular format %r: expected 'delimited' or 'json_lines'" % (fmt,))
    return table.finish(pd, df, path, read, data.get("steps"))


def _json_lines(pd, data, read):
    path = data["file"]
    start = int(data.get("start") or 0)
    body = _read(path, start, int(data["end"])).decode(table.codec(data.get("encoding")))
    if not body.strip():
        return pd.DataFrame()
    drop = read.get("invalidLines") == "drop"
    records = []
    for n, line in enumerate(body.splitlines()):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except ValueError as e:
            if drop:
                continue
            raise ValueError(
                "%s, line %d: not valid JSON (%s). The MLTable's read_json_lines has invalid_lines: error (the "
                "default); set `invalid_lines: drop` to skip such lines, as the cloud then does."
                % (path, _line_of(path, start) + n, e)
            )
    return pd.DataFrame.from_records(records) if records else pd.DataFrame()


def _line_of(path, offset):
    """1-based line number of the byte at `offset` (only for messages)."""
    count = 1
    with open(path, "rb") as f:
        left = offset
        while left > 0:
            chunk = f.read(min(left, 1 << 20))
            if not chunk:
                break
            count += chunk.count(b"\n")
            left -= len(chunk)
    return count


def _delimited(pd, data, read):
    path = data["file"]
    start = int(data.get("start") or 0)
    end = int(data["end"])
    header = data.get("header")
    options = table.csv_options(data.get("delimiter") or ",", read)
    options["encoding"] = table.codec(data.get("encoding"))

    if header:
        header_file = header.get("file") or path
        header_end = int(header["end"])
        if header_file == path and start < header_end:
            start = header_end  # never read the header row as data
        body = _read(path, start, end)
        head = _read(header_file, 0, header_end)
        if not head.endswith(b"\n"):
            head += b"\n"
        if not body.strip():
            return pd.read_csv(io.BytesIO(head), **options)  # no rows, the columns still named
        if options["encoding"] == "utf-8-sig" and header_file != path and body.startswith(b"\xef\xbb\xbf"):
            body = body[3:]  # from_first_file: another file's byte-order mark is not data
        # index_col=False: a row with more fields than the header must not silently become an index
        # (pandas' default); pandas warns about it instead, which we make an error for this mini-batch.
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            try:
                df = pd.read_csv(io.BytesIO(head + body), index_col=False, **options)
            except pd.errors.ParserWarning:
                df = None
        if df is None:
            columns = pd.read_csv(io.BytesIO(head), **options).columns
            raise pd.errors.ParserError(
                "A row in bytes %d-%d of %s has more fields than the header's %d (%s)."
                % (start, end, path, len(columns), ", ".join(str(c) for c in columns))
            )
    else:
        body = _read(path, start, end)
        if not body.strip():
            return pd.DataFrame()
        df = pd.read_csv(io.BytesIO(body), header=None, **options)
        df.columns = ["Column%d" % (i + 1) for i in range(df.shape[1])]
    if b'"' in body and body.count(b"\n") > len(df):
        # More line breaks than records: blank lines, or a quoted line break (which is what we look for).
        table.check_single_line(df, path, read)
    if data.get("columns"):
        # all_files_different_headers: every mini-batch has the table's columns, combined by name.
        df = df.reindex(columns=data["columns"])
    return table.infer_dates(pd, df, read)
