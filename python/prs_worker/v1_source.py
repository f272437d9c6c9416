"""Read Azure ML SDK v1 code (a .py file or a notebook's code cells) with Python's own parser.

Used by `parallel-run migrate`: prints one JSON document on stdout describing the file's statements as
plain data (assignments, calls with their keyword arguments, literals), so the converter on the Node side
never reads Python text itself. Nothing in the file is run: this only parses it with `ast`.

Usage: python -m prs_worker.v1_source FILE
"""

import ast
import json
import sys

# Cells of these magics hold no Python to read; %%writefile cells are kept as written files.
_SKIPPED_CELL_MAGICS = ("%%bash", "%%sh", "%%html", "%%javascript", "%%markdown", "%%latex", "%%capture")


def _dotted(node):
    """`a.b.c` for a chain of names, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


class _Encoder:
    def __init__(self, cell, line_offset, code):
        self.cell = cell
        self.line_offset = line_offset
        self.code = code

    def src(self, node):
        """The expression as Python writes it (ast.unparse, 3.9+), else as the file has it (3.8)."""
        if hasattr(ast, "unparse"):
            return ast.unparse(node)
        return ast.get_source_segment(self.code, node) or "..."

    def where(self, node):
        loc = {"line": getattr(node, "lineno", 0) + self.line_offset, "col": getattr(node, "col_offset", 0) + 1}
        if self.cell is not None:
            loc["cell"] = self.cell
        return loc

    def expr(self, node):
        out = self._expr(node)
        out["at"] = self.where(node)
        return out

    def _expr(self, node):
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, (str, int, float, bool)) or value is None:
                return {"k": "const", "v": value}
            return {"k": "other", "src": self.src(node)}
        if isinstance(node, ast.Name):
            return {"k": "name", "id": node.id}
        if isinstance(node, ast.Attribute):
            dotted = _dotted(node)
            if dotted is not None:
                return {"k": "dotted", "path": dotted}
            return {"k": "attr", "value": self.expr(node.value), "attr": node.attr}
        if isinstance(node, ast.Call):
            kwargs = {}
            star = False
            for kw in node.keywords:
                if kw.arg is None:
                    star = True
                else:
                    kwargs[kw.arg] = self.expr(kw.value)
            args = [self.expr(a) for a in node.args if not isinstance(a, ast.Starred)]
            star = star or any(isinstance(a, ast.Starred) for a in node.args)
            return {"k": "call", "func": self.expr(node.func), "args": args, "kwargs": kwargs, "star": star,
                    "src": self.src(node)}
        if isinstance(node, (ast.List, ast.Tuple)):
            return {"k": "list", "items": [self.expr(e) for e in node.elts]}
        if isinstance(node, ast.Dict):
            items = [[self.expr(k), self.expr(v)] for k, v in zip(node.keys, node.values) if k is not None]
            return {"k": "dict", "items": items}
        if isinstance(node, ast.Subscript):
            return {"k": "subscript", "value": self.expr(node.value), "index": self.expr(node.slice)}
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            if isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool):
                return {"k": "const", "v": -node.operand.value}
        return {"k": "other", "src": self.src(node)}


def _statements(tree, enc):
    """Assignments and expression statements anywhere in the file, with the function they sit in."""
    found = []

    def visit(body, scope):
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(stmt.body, stmt.name)
                continue
            if isinstance(stmt, ast.ClassDef):
                visit(stmt.body, stmt.name)
                continue
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    name = _dotted(target)
                    if name is not None:
                        found.append({"kind": "assign", "target": name, "value": enc.expr(stmt.value),
                                      "scope": scope, "at": enc.where(stmt)})
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                name = _dotted(stmt.target)
                if name is not None:
                    found.append({"kind": "assign", "target": name, "value": enc.expr(stmt.value),
                                  "scope": scope, "at": enc.where(stmt)})
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                found.append({"kind": "expr", "value": enc.expr(stmt.value), "scope": scope, "at": enc.where(stmt)})
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, field, None)
                if isinstance(inner, list):
                    visit(inner, scope)
            for handler in getattr(stmt, "handlers", []) or []:
                visit(handler.body, scope)

    visit(tree.body, None)
    return found


def _calls(tree, enc):
    """Every call to a dotted name (`Model.get_model_path`, `Run.get_context`), for entry-script checks."""
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name is not None:
                calls.append({"func": name, "src": enc.src(node), "call": enc.expr(node), "at": enc.where(node)})
    calls.sort(key=lambda c: (c["at"].get("cell", 0), c["at"]["line"], c["at"]["col"]))
    return calls


def _imports(tree, enc):
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names.append({"module": node.module, "name": alias.name, "at": enc.where(node)})
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names.append({"module": alias.name, "name": None, "at": enc.where(node)})
    return names


def _strip_magics(source, cell, skipped):
    """Blank out IPython line magics and shell escapes, keeping line numbers."""
    lines = source.split("\n")
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            skipped.append({"at": {"line": i + 1, "col": 1, **({"cell": cell} if cell is not None else {})},
                            "text": stripped})
            lines[i] = ""
    return "\n".join(lines)


def read_source(path):
    """The JSON-able description of one .py file or notebook."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    result = {"file": path, "notebook": path.endswith(".ipynb"), "statements": [], "calls": [], "imports": [],
              "writtenFiles": [], "skipped": [], "syntaxErrors": []}
    if result["notebook"]:
        try:
            notebook = json.loads(text)
        except ValueError as e:
            result["syntaxErrors"].append({"at": {"line": 1, "col": 1}, "message": f"not a notebook (JSON): {e}"})
            return result
        cells = []
        for index, cell in enumerate(notebook.get("cells", [])):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            if isinstance(source, list):
                source = "".join(source)
            cells.append((index + 1, source))
    else:
        cells = [(None, text)]

    for cell, source in cells:
        first = source.lstrip().split("\n", 1)[0].strip()
        if first.startswith("%%writefile"):
            name = first.split()[-1] if len(first.split()) > 1 else ""
            body = source.lstrip().split("\n", 1)[1] if "\n" in source.lstrip() else ""
            result["writtenFiles"].append({"name": name, "text": body, "at": {"line": 1, "col": 1, "cell": cell}})
            continue
        if first.startswith(_SKIPPED_CELL_MAGICS) or (first.startswith("%%") and cell is not None):
            result["skipped"].append({"at": {"line": 1, "col": 1, "cell": cell}, "text": first})
            continue
        code = _strip_magics(source, cell, result["skipped"])
        try:
            tree = ast.parse(code, filename=path)
        except SyntaxError as e:
            at = {"line": e.lineno or 1, "col": e.offset or 1}
            if cell is not None:
                at["cell"] = cell
            result["syntaxErrors"].append({"at": at, "message": e.msg})
            continue
        enc = _Encoder(cell, 0, code)
        result["statements"].extend(_statements(tree, enc))
        result["calls"].extend(_calls(tree, enc))
        result["imports"].extend(_imports(tree, enc))
    return result


def main(argv):
    if len(argv) != 1:
        sys.stderr.write("usage: python -m prs_worker.v1_source FILE\n")
        return 2
    try:
        described = read_source(argv[0])
    except OSError as e:
        sys.stderr.write(f"{argv[0]}: cannot be read ({e.strerror})\n")
        return 2
    except UnicodeDecodeError as e:
        sys.stderr.write(f"{argv[0]}: not UTF-8 text ({e.reason})\n")
        return 2
    json.dump(described, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
