"""prs_worker.v1_source: SDK v1 code read with `ast`, never run, as the migrate command's JSON."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PACKAGE_DIR)

from prs_worker.v1_source import read_source  # noqa: E402


def _write(name, text):
    folder = tempfile.mkdtemp(prefix="v1src-")
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def _notebook(*cells):
    return json.dumps({"cells": [{"cell_type": kind, "metadata": {}, "source": src} for kind, src in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 4})


def _assign(described, target):
    return [s for s in described["statements"] if s.get("target") == target]


class ReadSource(unittest.TestCase):
    def test_keyword_arguments_across_lines_and_comments(self):
        path = _write("v1.py", "config = ParallelRunConfig(\n    # the size\n    mini_batch_size=PipelineParameter(\n"
                               "        name='b', default_value='5'),  # trailing\n    node_count=2)\n")
        [stmt] = _assign(read_source(path), "config")
        call = stmt["value"]
        self.assertEqual(call["func"], {"k": "name", "id": "ParallelRunConfig", "at": {"line": 1, "col": 10}})
        self.assertEqual(call["kwargs"]["node_count"]["v"], 2)
        inner = call["kwargs"]["mini_batch_size"]
        self.assertEqual(inner["k"], "call")
        self.assertEqual(inner["kwargs"]["default_value"]["v"], "5")
        self.assertEqual(inner["at"]["line"], 3)

    def test_attribute_assignments_and_dotted_calls(self):
        path = _write("v1.py", "env.docker.base_image = DEFAULT_GPU_IMAGE\nx = os.environ.get('A', 4)\n")
        described = read_source(path)
        [image] = _assign(described, "env.docker.base_image")
        self.assertEqual(image["value"], {"k": "name", "id": "DEFAULT_GPU_IMAGE", "at": {"line": 1, "col": 25}})
        [x] = _assign(described, "x")
        self.assertEqual(x["value"]["func"]["path"], "os.environ.get")

    def test_notebook_cells_magics_and_writefile(self):
        path = _write("nb.ipynb", _notebook(
            ("markdown", "# title\n"),
            ("code", ["%pip install azureml-sdk\n", "!ls\n", "step = ParallelRunStep(name='a-b')\n"]),
            ("code", ["%%writefile score.py\n", "def run(mini_batch):\n", "    return mini_batch\n"]),
            ("code", "%%bash\necho hi\n"),
        ))
        described = read_source(path)
        [step] = _assign(described, "step")
        self.assertEqual(step["at"], {"line": 3, "col": 1, "cell": 2})
        self.assertEqual([s["text"] for s in described["skipped"]], ["%pip install azureml-sdk", "!ls", "%%bash"])
        self.assertEqual(described["writtenFiles"][0]["name"], "score.py")
        self.assertIn("def run(mini_batch):", described["writtenFiles"][0]["text"])
        self.assertEqual(described["syntaxErrors"], [])

    def test_a_broken_cell_is_reported_and_the_others_still_read(self):
        path = _write("nb.ipynb", _notebook(("code", "print('unclosed\n"), ("code", "x = 1\n")))
        described = read_source(path)
        self.assertEqual(described["syntaxErrors"][0]["at"]["cell"], 1)
        self.assertEqual(len(_assign(described, "x")), 1)

    def test_statements_inside_functions_name_their_scope(self):
        path = _write("v1.py", "def build():\n    step = ParallelRunStep(name='s')\n    return step\n")
        [step] = _assign(read_source(path), "step")
        self.assertEqual(step["scope"], "build")

    def test_calls_are_listed_for_entry_script_checks(self):
        path = _write("score.py", "def init():\n    global p\n    p = Model.get_model_path('mnist')\n    run = Run.get_context()\n")
        funcs = [c["func"] for c in read_source(path)["calls"]]
        self.assertEqual(funcs, ["Model.get_model_path", "Run.get_context"])

    def test_the_file_is_parsed_not_run(self):
        marker = os.path.join(tempfile.mkdtemp(), "ran")
        path = _write("v1.py", f"open({marker!r}, 'w').write('x')\n")
        out = subprocess.run([sys.executable, "-m", "prs_worker.v1_source", path], cwd=PACKAGE_DIR,
                             capture_output=True, text=True, check=True)
        self.assertFalse(os.path.exists(marker))
        self.assertEqual([c["func"] for c in json.loads(out.stdout)["calls"]], ["open"])
