"""`python -m prs_worker.partition --request req.json --result result.json` (PROTOCOL.md).

Reads tabular files in order, keeps the rows of the MLTable's skip/take window, applies its other steps
(extract_columns_from_partition_format, drop/keep, conversions; see table.py), then groups all rows by the
key columns (in order of first appearance), or cuts them into chunks, and pickles each for the workers.
"""
import argparse
import json
import os
import sys

from . import batch, table

EXIT_BAD_REQUEST = 2


class RequestError(Exception):
    """A problem with the request the user can fix: exit 2 with the message on stderr."""


def read_file(pd, path, request, index, first_columns):
    """One whole data file as the table's rows, before the MLTable's steps."""
    fmt = (request.get("format") or "delimited").lower()
    read = request.get("read") or {}
    encoding = table.codec(request.get("encoding"))
    if fmt == "json_lines":
        with open(path, "rb") as f:
            size = f.seek(0, 2)
        return batch.read_range({"kind": "range", "file": path, "start": 0, "end": size, "format": "json_lines",
                                 "encoding": request.get("encoding"), "read": dict(read, includePathColumn=False)})
    if fmt == "parquet":
        return pd.read_parquet(path, engine=_parquet_engine())
    if fmt != "delimited":
        raise RequestError("Unknown format %r: expected delimited, json_lines or parquet." % (fmt,))
    options = table.csv_options(request.get("delimiter") or ",", read)
    options["encoding"] = encoding
    header = (request.get("header") or "all_files_same_headers").lower()
    if header == "no_header":
        df = pd.read_csv(path, header=None, **options)
        df.columns = ["Column%d" % (i + 1) for i in range(df.shape[1])]
    elif header == "from_first_file" and index > 0 and first_columns is not None:
        # Only the first file has a header; the others are all data.
        df = pd.read_csv(path, header=None, names=list(first_columns), **options)
    else:
        df = pd.read_csv(path, **options)
        if header == "all_files_same_headers" and first_columns is not None and len(df.columns) == len(first_columns):
            df.columns = list(first_columns)
    table.check_single_line(df, path, read)
    return table.infer_dates(pd, df, read)


def _parquet_engine():
    for engine in ("pyarrow", "fastparquet"):
        try:
            __import__(engine)
            return engine
        except ImportError:
            continue
    raise RequestError(
        "read_parquet needs pyarrow (or fastparquet) in the interpreter that runs the entry script, %s, which "
        "has neither. Install it there (pip install pyarrow), choose another interpreter (--python), or write a "
        "CSV sample with an MLTable that says read_delimited." % (sys.executable,)
    )


def _row_group_bounds(path, rows):
    """[(first_row, end_row, bytes)] of each parquet row group: a row group is never split."""
    try:
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(path).metadata
        out, at = [], 0
        for i in range(meta.num_row_groups):
            group = meta.row_group(i)
            out.append((at, at + group.num_rows, group.total_byte_size))
            at += group.num_rows
        return out
    except ImportError:  # fastparquet: one unit per file
        return [(0, rows, os.path.getsize(path))]


def _chunks(path, fmt, rows, lo, hi, chunk_bytes):
    """Row slices [a, b) of the kept rows [lo, hi) of one file, each about chunk_bytes of source."""
    if fmt == "parquet":
        bounds, start, size = [], 0, 0
        for first, end, nbytes in _row_group_bounds(path, rows):
            size += nbytes
            if size >= chunk_bytes:
                bounds.append((start, end))
                start, size = end, 0
        if start < rows:
            bounds.append((start, rows))
    else:
        per = max(1, int(chunk_bytes // max(1.0, float(os.path.getsize(path)) / max(1, rows))))
        bounds = [(a, min(rows, a + per)) for a in range(lo, hi, per)]
    out = []
    for a, b in bounds:
        a, b = max(a, lo), min(b, hi)
        if a < b:
            out.append((a - lo, b - lo))
    return out


def _window(request):
    window = request.get("window") or {}
    start = int(window.get("start") or 0)
    end = window.get("end")
    return start, (None if end is None else int(end))


def partition(request):
    """Reads the table in order, keeps the rows of the skip/take window, applies the MLTable's steps, then
    pickles one group per key combination (keys given) or chunks of about mini_batch_size bytes (no keys)."""
    import pandas as pd

    files = request.get("files") or []
    keys = list(request.get("keys") or [])
    out_dir = request["out_dir"]
    read, steps = request.get("read") or {}, request.get("steps") or []
    start, end = _window(request)
    chunk_bytes = request.get("mini_batch_size")
    if not keys and not chunk_bytes:
        raise RequestError("No partition keys and no mini_batch_size were given.")

    os.makedirs(out_dir, exist_ok=True)
    partitions, frames, first_columns, position = [], [], None, 0
    for index, path in enumerate(files):
        if end is not None and position >= end:
            break
        raw = read_file(pd, path, request, index, first_columns)
        if first_columns is None:
            first_columns = list(raw.columns)
        rows = len(raw)
        lo, hi = max(0, start - position), rows if end is None else max(0, min(rows, end - position))
        position += rows
        if lo >= hi:
            continue
        kept = raw.iloc[lo:hi].reset_index(drop=True)
        # Whole rows (parquet: whole row groups), about chunk_bytes each, never across files (no keys).
        chunks = _chunks(path, (request.get("format") or "").lower(), rows, lo, hi, chunk_bytes or 1)
        frames.append((table.finish(pd, kept, path, read, steps), chunks))

    if (request.get("header") or "").lower() == "all_files_different_headers" and frames:
        union = []
        for df, _ in frames:
            union.extend(c for c in df.columns if c not in union)
        frames = [(df.reindex(columns=union), chunks) for df, chunks in frames]
    if not keys:
        for df, chunks in frames:
            for a, b in chunks:
                _pickle(df.iloc[a:b].reset_index(drop=True), out_dir, partitions, {})

    if keys:
        table_df = pd.concat([df for df, _ in frames], ignore_index=True, sort=False) if frames else pd.DataFrame()
        missing = [k for k in keys if k not in table_df.columns]
        if missing:
            raise RequestError(
                "The partition key column %s does not exist. The columns are: %s."
                % (", ".join("'%s'" % k for k in missing), ", ".join(str(c) for c in table_df.columns) or "(none)")
            )
        grouped = table_df.groupby(keys[0] if len(keys) == 1 else keys, sort=False, dropna=False)
        for key, group in grouped:
            if not isinstance(key, tuple):
                key = (key,)
            _pickle(group.reset_index(drop=True), out_dir, partitions, {k: str(v) for k, v in zip(keys, key)})
    return {"partitions": partitions}


def _pickle(df, out_dir, partitions, key):
    target = os.path.join(out_dir, "%d.pkl" % len(partitions))
    df.to_pickle(target)
    partitions.append({"file": target, "rows": int(len(df)), "key": key})


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m prs_worker.partition", allow_abbrev=False)
    parser.add_argument("--request", required=True)
    parser.add_argument("--result", required=True)
    args = parser.parse_args(argv)
    try:
        with open(args.request, "r", encoding="utf-8") as f:
            request = json.load(f)
        result = partition(request)
    except (RequestError, ValueError) as e:  # pandas ParserError and UnicodeDecodeError are ValueErrors
        sys.stderr.write("%s\n" % e)
        return EXIT_BAD_REQUEST
    tmp = args.result + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(result, f)
    os.replace(tmp, args.result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
