"""run()'s return value: the driver's rules, and append_row rendering into this worker's rows file."""
import io
import os
import sys

from prs_worker import errors

RETURN_TYPE_MESSAGE = (
    "The run() method in the entry script should return a list or a pandas DataFrame. "
    "The actual type of output '%s' is %s."
)

DEFAULT_TO_CSV = {"sep": " ", "header": False, "index": False}
# Keywords that make no sense when the worker owns the file: dropped (encoding is applied by the worker).
_DROPPED = ("path_or_buf", "mode", "compression", "storage_options")


def _dataframe_type():
    pd = sys.modules.get("pandas")  # a DataFrame can only exist if pandas is loaded
    return getattr(pd, "DataFrame", None) if pd is not None else None


def check(result):
    """(rows, is_dataframe): a tuple becomes a list; anything but a list or DataFrame raises ValueError."""
    if isinstance(result, list):
        return result, False
    if isinstance(result, tuple):
        return list(result), False
    df_type = _dataframe_type()
    if df_type is not None and isinstance(result, df_type):
        return result, True
    try:
        text = str(result)
    except Exception:
        text = "<unprintable>"
    message = RETURN_TYPE_MESSAGE % (text[:200], type(result).__name__)
    raise errors.mark(ValueError(message), "return_type")


def long_return_warning(returned, items):
    return (
        "run() returned %d results for a mini-batch of %d items; only %d count as succeeded "
        "(the driver logs the same warning)." % (returned, items, items)
    )


def render_list(rows):
    """`str(elem) + "\\n"` per element, exactly like the driver; also a warning if a line broke apart."""
    if not rows:
        return b"", None
    strs = [str(x) for x in rows]
    text = "\n".join(strs) + "\n"
    warning = None
    if text.count("\n") != len(strs):
        broken = [i for i, s in enumerate(strs) if "\n" in s]
        warning = (
            "%d of the %d elements run() returned hold a newline (first: element %d, %r), so they span "
            "several lines of the append_row output; return one line per item, or a DataFrame "
            "(to_csv quotes such values)." % (len(broken), len(strs), broken[0], strs[broken[0]][:80])
        )
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogateescape" if _only_escapes(text) else "backslashreplace")
    return data, warning


def _only_escapes(text):
    try:
        text.encode("utf-8", "surrogateescape")
        return True
    except UnicodeEncodeError:
        return False


def render_dataframe(df, to_csv, header):
    options = dict(to_csv)
    encoding = options.pop("encoding", None) or "utf-8"
    for key in _DROPPED:
        options.pop(key, None)
    if header is not None:
        options["header"] = header
    buf = io.StringIO()
    df.to_csv(buf, **options)
    return buf.getvalue().encode(encoding, "backslashreplace")


class RowsWriter:
    """This worker's append_row temp file: one write per mini-batch, offsets reported to the engine."""

    def __init__(self, path, to_csv=None, dataframe_header=False):
        self.path = path
        self.to_csv = dict(DEFAULT_TO_CSV)
        self.to_csv.update(to_csv or {})
        self.header_pending = bool(dataframe_header)
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        self._file = open(path, "ab", buffering=0)
        self.position = self._file.seek(0, os.SEEK_END)

    def write(self, rows, is_dataframe):
        """Renders the whole mini-batch, writes it at once; returns (start, end, warning, header_bytes)."""
        warning = None
        header_bytes = 0
        if is_dataframe:
            if self.header_pending and len(rows.columns):
                head = render_dataframe(rows.iloc[:0], self.to_csv, True)
                body = render_dataframe(rows, self.to_csv, False)
                header_bytes = len(head)
                data = head + body
            else:
                data = render_dataframe(rows, self.to_csv, False if self.header_pending else None)
        else:
            data, warning = render_list(rows)
        start = self.position
        if data:
            try:
                written = self._file.write(data)
                if written < len(data):
                    view = memoryview(data)
                    while written < len(data):
                        n = self._file.write(view[written:])
                        if not n:
                            raise OSError("could not write the append_row temp file %s" % self.path)
                        written += n
            except BaseException:
                self.position = self._file.seek(0, os.SEEK_END)
                raise
            self.position = start + len(data)
            if header_bytes:
                self.header_pending = False
        return start, self.position, warning, header_bytes

    def columns(self, df):
        """The column names of the rows as to_csv writes them: `columns=` if given, the index first if kept."""
        names = self.to_csv.get("columns")
        cols = [str(c) for c in (names if names is not None else df.columns)]
        if self.to_csv.get("index"):
            index_names = [n for n in getattr(df.index, "names", [df.index.name])]
            cols = [str(n) if n is not None else "" for n in index_names] + cols
        return cols

    def close(self):
        try:
            self._file.close()
        except Exception:
            pass
