"""MLTable rows as the `mltable` library gives them: read options, then the transformations after the read
step, in the MLTable file's order (the engine already applied skip/take when it planned the mini-batches).

Shared by the worker (one mini-batch's rows, batch.py) and the partitioner (the whole table, partition.py).
The choices where the library and its docs are silent are listed in docs/semantics.md, "MLTable".
"""
import datetime
import re

ENCODINGS = {
    "utf8": "utf-8",
    "utf8bom": "utf-8-sig",
    "ascii": "ascii",
    "latin1": "latin-1",
    "iso88591": "latin-1",
    "windows1252": "cp1252",
}

_DATE_TOKENS = [
    ("yyyy", r"\d{4}", "%Y"),
    ("MM", r"\d{2}", "%m"),
    ("dd", r"\d{2}", "%d"),
    ("HH", r"\d{2}", "%H"),
    ("mm", r"\d{2}", "%M"),
    ("ss", r"\d{2}", "%S"),
]

_TRUE = {"true", "1", "yes", "t", "y"}
_FALSE = {"false", "0", "no", "f", "n"}


def codec(encoding):
    """Python codec of an MLTable encoding name (default utf8)."""
    return ENCODINGS.get((encoding or "utf8").lower().replace("-", "").replace("_", ""), "utf-8")


def csv_options(delimiter, read):
    """pandas.read_csv keywords for a read_delimited step's options.

    Only an empty field is null (empty_as_string: false, the default) or nothing is (true): strings such as
    "NA" or "null" stay strings, as the library reads them. infer_column_types: false keeps every column text.
    """
    read = read or {}
    options = {"sep": delimiter or ",", "keep_default_na": False}
    if len(options["sep"]) > 1:
        options = dict(options, sep=re.escape(options["sep"]), engine="python")
    if read.get("emptyAsString"):
        options["na_filter"] = False
    else:
        options["na_values"] = [""]
    if read.get("inferColumnTypes") is False:
        options["dtype"] = str
    return options


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def infer_dates(pd, df, read):
    """infer_column_types (an MLTable's default): text columns whose values are all ISO dates become
    datetimes, as the library's inference makes them; pandas already infers numbers and true/false."""
    if (read or {}).get("inferColumnTypes") is not True:
        return df
    for column in df.columns:
        values = df[column]
        if values.dtype != object:
            continue
        present = values.dropna()
        first = present.iat[0] if len(present) else None
        if not (isinstance(first, str) and _ISO_DATE.match(first)):
            continue  # the usual case, decided by one value
        nulls = len(values) - len(present)
        formats = ["%Y-%m-%d", None] if len(first) == 10 else [None]
        for fmt in formats:
            try:
                converted = _iso_datetimes(pd, values, fmt)
            except (TypeError, ValueError):
                continue
            if int(converted.isna().sum()) == nulls:  # every value parsed: a date column
                df[column] = converted
                break
    return df


def _iso_datetimes(pd, values, fmt):
    """ISO date strings to datetime64; a known format parses several times faster than pandas' guessing."""
    if fmt:
        return pd.to_datetime(values, format=fmt, errors="coerce")
    if int(pd.__version__.split(".")[0]) >= 2:
        return pd.to_datetime(values, format="ISO8601", errors="coerce")
    return pd.to_datetime(values, errors="coerce", infer_datetime_format=True)


def check_single_line(df, path, read):
    """support_multi_line: false (the default) — the cloud splits a quoted line break into two records."""
    if (read or {}).get("supportMultiLine") is not False:
        return  # only an MLTable's read_delimited says false; files read by extension keep quoted line breaks
    for column in df.columns:
        values = df[column]
        if values.dtype != object:
            continue
        try:
            hits = values.str.contains("[\r\n]", regex=True, na=False)
        except AttributeError:  # no strings in this column
            continue
        if hits.any():
            row = int(hits.values.argmax())
            raise ValueError(
                "%s: the value of column %r in row %d of this mini-batch holds a line break inside quotes. "
                "The MLTable's read_delimited has support_multi_line: false (the default), so the cloud reads it "
                "as two records with misaligned fields. Fix: set `support_multi_line: true` under read_delimited."
                % (path, str(column), row + 1)
            )


class PartitionFormat(object):
    """`{Store}/{Brand}/{file_name}.{extension}`: matches the END of a path; `{d:yyyy/MM/dd}` is a datetime."""

    def __init__(self, fmt):
        self.format = fmt
        pattern = fmt.replace("\\", "/").lstrip("/")
        regex, self.columns, self.dates, last = "", [], {}, 0
        for m in re.finditer(r"\{([^{}:]+)(?::([^{}]*))?\}|\*", pattern):
            regex += re.escape(pattern[last:m.start()])
            last = m.end()
            if m.group(0) == "*":
                regex += r"[^/]*"
                continue
            name, layout = m.group(1).strip(), m.group(2)
            if layout:
                rx, strp = _date_pattern(layout)
                regex += "(%s)" % rx
                self.dates[name] = strp
            else:
                regex += r"([^/]+)"
            self.columns.append(name)
        regex += re.escape(pattern[last:])
        self.regex = re.compile("(?:^|/)" + regex + "$")

    def values(self, path):
        """{column: value} for `path`; raises ValueError naming the file when it does not fit."""
        m = self.regex.search(path.replace("\\", "/"))
        if m is None:
            raise ValueError(
                "%s does not fit the partition format %r of extract_columns_from_partition_format (the format "
                "describes the end of each path). Move the file into that layout or leave it out of the MLTable's paths."
                % (path, self.format)
            )
        out = {}
        for i, name in enumerate(self.columns):
            value = m.group(i + 1)
            out[name] = datetime.datetime.strptime(value, self.dates[name]) if name in self.dates else value
        return out


def _date_pattern(layout):
    regex, strp, i = "", "", 0
    while i < len(layout):
        for token, rx, code in _DATE_TOKENS:
            if layout.startswith(token, i):
                regex += rx
                strp += code
                i += len(token)
                break
        else:
            regex += re.escape(layout[i])
            strp += layout[i].replace("%", "%%")
            i += 1
    return regex, strp


def finish(pd, df, path, read, steps):
    """The rows run() sees: the path column (first), then each step in order, for rows read from `path`."""
    read = read or {}
    if read.get("includePathColumn"):
        name = read.get("pathColumn") or "Path"
        if name in df.columns:
            df = df.drop(columns=[name])
        df.insert(0, name, path)
    for step in steps or []:
        df = apply_step(pd, df, path, step)
    return df


def apply_step(pd, df, path, step):
    op = step.get("op")
    if op == "extract_columns_from_partition_format":
        values = PartitionFormat(step["partitionFormat"]).values(path)
        df = df.copy() if df.empty else df
        for name, value in values.items():
            if isinstance(value, datetime.datetime):
                df[name] = pd.Series([pd.Timestamp(value)] * len(df), index=df.index, dtype="datetime64[ns]")
            else:
                df[name] = pd.Series([value] * len(df), index=df.index, dtype=object)
        return df
    if op == "drop_columns":
        # A column selector, as the library's: names that are not there select nothing.
        return df.drop(columns=[c for c in step["columns"] if c in df.columns])
    if op == "keep_columns":
        return df[[c for c in step["columns"] if c in df.columns]]
    if op == "convert_column_types":
        df = df.copy()
        for conversion in step["conversions"]:
            for column in conversion["columns"]:
                if column not in df.columns:
                    raise ValueError(
                        "convert_column_types names the column %r, which the table does not have (its columns: %s)."
                        % (column, ", ".join(str(c) for c in df.columns))
                    )
                df[column] = convert(pd, df[column], conversion, column)
        return df
    if op in ("skip", "take"):
        return df  # applied to the whole table when the mini-batches were planned
    raise ValueError("Unknown MLTable step %r (this worker speaks protocol 1)." % (op,))


def convert(pd, values, conversion, column):
    """One column to an MLTable simple type; a value that does not convert becomes null, as in the library."""
    kind = conversion["type"]
    if kind == "string":
        return values.map(lambda v: v if _is_null(pd, v) else str(v)).astype(object)
    if kind == "float":
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if kind == "int":
        numbers = pd.to_numeric(values, errors="coerce")
        numbers = numbers.where(numbers == numbers.round())
        return numbers.astype("int64") if not numbers.isna().any() else numbers.astype("float64")
    if kind == "boolean":
        return _to_bool(pd, values, conversion, column)
    if kind == "datetime":
        formats = conversion.get("formats") or []
        if not formats:
            return pd.to_datetime(values, errors="coerce")
        out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        text = values.astype(str)
        for fmt in formats:
            missing = out.isna()
            if not missing.any():
                break
            out[missing] = pd.to_datetime(text[missing], format=fmt, errors="coerce")
        return out
    raise ValueError("Unknown column type %r for column %r." % (kind, column))


def _is_null(pd, v):
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _to_bool(pd, values, conversion, column):
    trues = {str(v) for v in conversion.get("trueValues") or []}
    falses = {str(v) for v in conversion.get("falseValues") or []}
    mismatch = conversion.get("mismatchAs")

    def one(v):
        if _is_null(pd, v):
            return None
        text = str(v)
        if trues or falses:
            if text in trues:
                return True
            if text in falses:
                return False
        elif isinstance(v, bool):
            return v
        elif text.strip().lower() in _TRUE:
            return True
        elif text.strip().lower() in _FALSE:
            return False
        if mismatch == "true":
            return True
        if mismatch == "false":
            return False
        if mismatch == "error":
            raise ValueError(
                "Column %r: %r is neither a true_value (%s) nor a false_value (%s), and mismatch_as is error."
                % (column, text, ", ".join(sorted(trues)), ", ".join(sorted(falses)))
            )
        return None

    return values.map(one).astype(object)
