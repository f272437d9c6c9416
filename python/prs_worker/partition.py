"""`python -m prs_worker.partition --request req.json --result result.json` (PROTOCOL.md).

Reads tabular files, adds the columns that `partition_format` parses from their paths, groups all rows by
the key columns (in order of first appearance) and pickles each group for the workers.
"""
import argparse
import json
import os
import re
import sys

EXIT_BAD_REQUEST = 2

_DATETIME_TOKENS = [
    ("yyyy", r"\d{4}", "%Y"),
    ("MM", r"\d{2}", "%m"),
    ("dd", r"\d{2}", "%d"),
    ("HH", r"\d{2}", "%H"),
    ("mm", r"\d{2}", "%M"),
    ("ss", r"\d{2}", "%S"),
]


class RequestError(Exception):
    """A problem with the request the user can fix: exit 2 with the message on stderr."""


def _datetime_pattern(fmt):
    """`yyyy/MM/dd` → (regex, strptime format)."""
    regex, strp, i = "", "", 0
    while i < len(fmt):
        for token, rx, code in _DATETIME_TOKENS:
            if fmt.startswith(token, i):
                regex += rx
                strp += code
                i += len(token)
                break
        else:
            regex += re.escape(fmt[i])
            strp += fmt[i].replace("%", "%%")
            i += 1
    return regex, strp


def compile_partition_format(partition_format):
    """(regex, columns, datetime formats): `{Store}/{Brand}/{fn}.csv` → named groups Store, Brand, fn.

    `{name}` matches within one path segment; `{name:yyyy/MM/dd}` parses a datetime; `*` matches anything
    within a segment and makes no column.
    """
    regex, columns, dates, i = "", [], {}, 0
    pattern = partition_format.replace("\\", "/").lstrip("/")
    for m in re.finditer(r"\{([^{}:]+)(?::([^{}]*))?\}|\*", pattern):
        regex += re.escape(pattern[i:m.start()])
        i = m.end()
        if m.group(0) == "*":
            regex += r"[^/]*"
            continue
        name, fmt = m.group(1).strip(), m.group(2)
        group = "c%d" % len(columns)
        if fmt:
            rx, strp = _datetime_pattern(fmt)
            regex += "(?P<%s>%s)" % (group, rx)
            dates[name] = strp
        else:
            regex += "(?P<%s>[^/]+)" % group
        columns.append(name)
    regex += re.escape(pattern[i:])
    return re.compile("^" + regex + "$"), columns, dates


def path_values(path, root, compiled):
    regex, columns, dates = compiled
    rel = os.path.relpath(path, root).replace(os.sep, "/") if root else path.replace(os.sep, "/")
    m = regex.match(rel)
    if m is None:
        raise RequestError("The file %s (%s under the root) does not match partition_format." % (path, rel))
    values = {}
    for n, name in enumerate(columns):
        value = m.group("c%d" % n)
        if name in dates:
            import datetime

            value = datetime.datetime.strptime(value, dates[name])
        values[name] = value
    return values


def read_file(pd, path, request, index, first_columns):
    fmt = (request.get("format") or "delimited").lower()
    if fmt == "json_lines":
        return pd.read_json(path, lines=True)
    if fmt == "parquet":
        return pd.read_parquet(path)
    if fmt != "delimited":
        raise RequestError("Unknown format %r: expected delimited, json_lines or parquet." % (fmt,))
    delimiter = request.get("delimiter") or ","
    options = {"sep": delimiter}
    if len(delimiter) > 1:
        options = {"sep": re.escape(delimiter), "engine": "python"}
    header = (request.get("header") or "all_files_same_headers").lower()
    if header == "no_header":
        df = pd.read_csv(path, header=None, **options)
        df.columns = ["Column%d" % (i + 1) for i in range(df.shape[1])]
        return df
    if header == "from_first_file" and index > 0 and first_columns is not None:
        # Only the first file has a header; the others are all data.
        return pd.read_csv(path, header=None, names=list(first_columns), **options)
    df = pd.read_csv(path, **options)
    if header == "all_files_same_headers" and first_columns is not None and len(df.columns) == len(first_columns):
        df.columns = list(first_columns)
    return df


def partition(request):
    import pandas as pd

    files = request.get("files") or []
    keys = list(request.get("keys") or [])
    if not keys:
        raise RequestError("No partition keys were given.")
    out_dir = request["out_dir"]
    compiled = compile_partition_format(request["partition_format"]) if request.get("partition_format") else None
    root = request.get("root")

    frames, first_columns = [], None
    for index, path in enumerate(files):
        df = read_file(pd, path, request, index, first_columns)
        if first_columns is None:
            first_columns = list(df.columns)
        if compiled is not None:
            values = path_values(path, root, compiled)
            for position, (name, value) in enumerate(values.items()):
                if name in df.columns:
                    df = df.drop(columns=[name])
                df.insert(position, name, value)
        frames.append(df)
    table = pd.concat(frames, ignore_index=True, sort=False) if frames else pd.DataFrame()

    missing = [k for k in keys if k not in table.columns]
    if missing:
        raise RequestError(
            "The partition key column %s does not exist. The columns are: %s."
            % (", ".join("'%s'" % k for k in missing), ", ".join(str(c) for c in table.columns) or "(none)")
        )

    os.makedirs(out_dir, exist_ok=True)
    partitions = []
    grouped = table.groupby(keys[0] if len(keys) == 1 else keys, sort=False, dropna=False)
    for n, (key, group) in enumerate(grouped):
        if not isinstance(key, tuple):
            key = (key,)
        target = os.path.join(out_dir, "%d.pkl" % n)
        group.reset_index(drop=True).to_pickle(target)
        partitions.append({"file": target, "rows": int(len(group)), "key": {k: str(v) for k, v in zip(keys, key)}})
    return {"partitions": partitions}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m prs_worker.partition", allow_abbrev=False)
    parser.add_argument("--request", required=True)
    parser.add_argument("--result", required=True)
    args = parser.parse_args(argv)
    try:
        with open(args.request, "r", encoding="utf-8") as f:
            request = json.load(f)
        result = partition(request)
    except RequestError as e:
        sys.stderr.write("%s\n" % e)
        return EXIT_BAD_REQUEST
    tmp = args.result + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(result, f)
    os.replace(tmp, args.result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
