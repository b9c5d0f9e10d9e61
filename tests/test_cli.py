"""The command line, run as a real process: ``python -m repair``.

The child runs in a temporary directory with ``PYTHONPATH`` set to the directory the tests
imported ``repair`` from, so it runs the same package as the tests (the installed one in
CI) and never the source tree by accident. It inherits ``REPAIR_NO_EXTENSIONS`` and
``REPAIR_REQUIRE_EXTENSIONS``.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import repair

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
PACKAGE_ROOT = str(Path(repair.__file__).resolve().parent.parent)


def run(args=(), stdin=b"", cwd=None):
    """Run ``python -m repair *args`` with ``stdin`` (bytes or str); return the process."""
    if isinstance(stdin, str):
        stdin = stdin.encode("utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
    return subprocess.run(
        [sys.executable, "-m", "repair", *args],
        input=stdin, capture_output=True, cwd=cwd, env=env, timeout=60)


@pytest.fixture
def cli(tmp_path):
    def _run(args=(), stdin=b""):
        return run(args, stdin, cwd=tmp_path)
    return _run


def out(proc):
    return proc.stdout.decode("utf-8")


def err(proc):
    return proc.stderr.decode("utf-8")


# --- repair and pass-through -------------------------------------------------------

def test_missing_closers_are_added(cli):
    proc = cli(stdin='{"a": [1, 2')
    assert proc.returncode == 0, err(proc)
    assert out(proc).endswith("\n")
    assert json.loads(out(proc)) == {"a": [1, 2]}
    assert proc.stderr == b""


def test_valid_json_comes_back_byte_identical(cli):
    text = '{"z":1,  "a" : ["é", 1.0e3, -0, "\\u00e9"],\n\t"n": null}'.encode("utf-8")
    proc = cli(stdin=text)
    assert proc.returncode == 0, err(proc)
    assert proc.stdout == text + b"\n"


def test_file_argument_and_dash(cli, tmp_path):
    path = tmp_path / "reply.txt"
    path.write_bytes(b'Sure:\n```json\n{"a": [1, 2}\n```\n')
    by_file = cli([str(path)])
    by_dash = cli(["-"], stdin=path.read_bytes())
    assert by_file.returncode == by_dash.returncode == 0, err(by_file) + err(by_dash)
    assert json.loads(out(by_file)) == {"a": [1, 2]}
    assert by_file.stdout == by_dash.stdout


@pytest.mark.parametrize("name", ["truncated.txt", "metagpt_content.txt", "fenced.txt"])
def test_examples_repair(cli, name):
    proc = cli([str(EXAMPLES / name)])
    assert proc.returncode == 0, err(proc)
    value = json.loads(out(proc))
    assert isinstance(value, dict) and value


# --- errors and exit codes ---------------------------------------------------------

def test_prose_only_is_exit_1_with_one_line_naming_the_position(cli):
    proc = cli(stdin="I cannot help with that.")
    assert proc.returncode == 1
    assert proc.stdout == b""
    lines = err(proc).splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("repair: error: ")
    assert "line 1 column" in lines[0]


def test_empty_stdin_is_exit_1(cli):
    proc = cli(stdin=b"")
    assert proc.returncode == 1
    assert proc.stdout == b""
    assert err(proc).startswith("repair: error: ")


def test_invalid_utf8_is_exit_1_and_names_the_position(cli):
    proc = cli(stdin=b'{\n"a": "\xff"}')
    assert proc.returncode == 1
    assert proc.stdout == b""
    message = err(proc)
    assert "UTF-8" in message
    assert "line 2 column 7" in message  # the 0xff byte


@pytest.mark.parametrize("args", [
    ["--no-such-option"],
    ["--indent", "two"],
    ["--policy", "most"],
    ["--preset", "lenient"],
    ["--max-depth", "0"],
    ["--report=xml", "-"],
    ["--report=xml"],
    ["a.txt", "b.txt"],
])
def test_usage_errors_are_exit_2(cli, args):
    proc = cli(args, stdin='{"a": 1}')
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert "usage:" in err(proc)


def test_unreadable_file_is_exit_2(cli, tmp_path):
    proc = cli([str(tmp_path / "missing.txt")])
    assert proc.returncode == 2
    assert err(proc).startswith("repair: error: cannot read ")


# --- required keys -----------------------------------------------------------------

def test_key_option_renames_to_the_required_spelling(cli):
    proc = cli(["-k", "Original Requirements"], stdin='{"original requirements": 1}')
    assert proc.returncode == 0, err(proc)
    assert json.loads(out(proc)) == {"Original Requirements": 1}


def test_key_and_keys_combine(cli):
    text = '{"original requirements": "x", "product_goals": ["original requirements"]}'
    proc = cli(["-k", "Original Requirements", "--keys", "Product Goals, Anything UNCLEAR",
                "--report=json"], stdin=text)
    assert proc.returncode == 0, err(proc)
    # keys renamed, values untouched
    assert json.loads(out(proc)) == {"Original Requirements": "x",
                                     "Product Goals": ["original requirements"]}
    assert json.loads(err(proc))["missing_keys"] == ["Anything UNCLEAR"]


def test_text_report_names_missing_keys(cli):
    proc = cli(["--report", "-k", "Is Playable"], stdin='{"a": 1}')
    assert proc.returncode == 0, err(proc)
    assert "missing required key 'Is Playable'" in err(proc)


# --- report ------------------------------------------------------------------------

def test_text_report_lists_edits_with_line_and_column(cli):
    proc = cli(["--report"], stdin='{\n  "a": [1, 2')
    assert proc.returncode == 0, err(proc)
    assert json.loads(out(proc)) == {"a": [1, 2]}
    lines = err(proc).splitlines()
    assert lines, "no edits reported"
    assert "missing_closer at line 2 column 13: removed '' inserted ']'" in lines
    assert "missing_closer at line 2 column 13: removed '' inserted '}'" in lines


def test_report_before_file_argument(cli, tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text("[1, 2,]", encoding="utf-8")
    proc = cli(["--report", str(path)])
    assert proc.returncode == 0, err(proc)
    assert json.loads(out(proc)) == [1, 2]
    assert err(proc).startswith("extra_comma at line 1 column 6")


def test_json_report(cli):
    text = 'Here you go:\n{"a": [1, 2'
    proc = cli(["--report=json"], stdin=text)
    assert proc.returncode == 0, err(proc)
    assert json.loads(out(proc)) == {"a": [1, 2]}
    report = json.loads(err(proc))
    assert set(report) == {"edits", "span", "missing_keys", "changed"}
    assert report["changed"] is True
    assert report["missing_keys"] == []
    assert report["span"][0] == text.index("{")
    edits = report["edits"]
    assert isinstance(edits, list) and edits
    assert "missing_closer" in [e["kind"] for e in edits]
    for e in edits:
        assert set(e) == {"kind", "pos", "line", "col", "removed", "inserted"}
        before = text[:e["pos"]]
        assert e["line"] == before.count("\n") + 1
        assert e["col"] == len(before) - (before.rfind("\n") + 1) + 1


def test_json_report_of_valid_json_has_no_edits(cli):
    proc = cli(["--report=json"], stdin='[1, 2]')
    assert proc.returncode == 0, err(proc)
    assert json.loads(err(proc)) == {"edits": [], "span": [0, 6], "missing_keys": [],
                                     "changed": False}


# --- output shape ------------------------------------------------------------------

def test_indent_2(cli):
    proc = cli(["--indent", "2"], stdin='{"a": [1, 2')
    assert proc.returncode == 0, err(proc)
    assert out(proc) == '{\n  "a": [\n    1,\n    2\n  ]\n}\n'


def test_indent_4(cli):
    proc = cli(["--indent", "4"], stdin='{"a": {"b": "é"')
    assert proc.returncode == 0, err(proc)
    assert out(proc) == '{\n    "a": {\n        "b": "é"\n    }\n}\n'


def test_ensure_ascii(cli):
    proc = cli(["--ensure-ascii"], stdin='{"a": "é"}')
    assert proc.returncode == 0, err(proc)
    assert "\\u00e9" in out(proc)
    assert proc.stdout.isascii()
    assert json.loads(out(proc)) == {"a": "é"}


def test_ensure_ascii_astral_and_indent(cli):
    proc = cli(["--ensure-ascii", "--indent", "2"], stdin='{"a": "é😀"')
    assert proc.returncode == 0, err(proc)
    assert out(proc) == '{\n  "a": "\\u00e9\\ud83d\\ude00"\n}\n'
    assert json.loads(out(proc)) == {"a": "é😀"}


def test_output_file(cli, tmp_path):
    target = tmp_path / "out.json"
    proc = cli(["-o", str(target)], stdin='{"a": "é", "b": [1, 2')
    assert proc.returncode == 0, err(proc)
    assert proc.stdout == b""
    assert target.read_bytes() == '{"a": "é", "b": [1, 2]}\n'.encode("utf-8")


def test_output_file_untouched_on_failure(cli, tmp_path):
    target = tmp_path / "out.json"
    target.write_text("keep", encoding="utf-8")
    proc = cli(["-o", str(target)], stdin="no json here")
    assert proc.returncode == 1
    assert target.read_text(encoding="utf-8") == "keep"


# --- options passed to repair() ----------------------------------------------------

def test_policy(cli):
    text = 'first {"a": 1} then {"b": 2}'
    assert json.loads(out(cli(["--policy", "first"], stdin=text))) == {"a": 1}
    assert json.loads(out(cli(["--policy", "last"], stdin=text))) == {"b": 2}
    assert json.loads(out(cli(["--policy", "all"], stdin=text))) == [{"a": 1}, {"b": 2}]


def test_strict_preset_refuses_repairs(cli):
    assert cli(stdin="{'a': 1}").returncode == 0
    proc = cli(["--preset", "strict"], stdin="{'a': 1}")
    assert proc.returncode == 1
    assert "line 1 column" in err(proc)


def test_limits(cli):
    assert cli(["--max-depth", "3"], stdin="[[[1]]]").returncode == 0
    assert cli(["--max-depth", "2"], stdin="[[[1]]]").returncode == 1
    assert cli(["--max-size", "6"], stdin="[1, 2]").returncode == 0
    assert cli(["--max-size", "3"], stdin="[1, 2]").returncode == 1


# --- version -----------------------------------------------------------------------

def test_version_names_the_loaded_core(cli):
    proc = cli(["--version"])
    assert proc.returncode == 0
    assert out(proc) == "repair %s (%s core)\n" % (repair.__version__, repair.IMPLEMENTATION)
    assert repair.IMPLEMENTATION in ("cython", "python")


@pytest.mark.skipif(not os.environ.get("REPAIR_CI"), reason="only where .ci/run installed it")
def test_tests_run_against_the_installed_package():
    """.ci/run installs the package; the tests must not pick up the source tree."""
    assert Path(repair.__file__).resolve().parent != REPO / "repair"


# --- --stream ------------------------------------------------------------------------

def test_stream_prints_growing_values_then_the_final_json(tmp_path):
    """A slow writer: the CLI prints a line per growth, as the input arrives."""
    script = (
        "import sys, time\n"
        "for piece in ['Sure:\\n```json\\n{\"a\": ', '\"xy', 'z\", \"b\": [1, 2', ']}\\n```']:\n"
        "    sys.stdout.write(piece); sys.stdout.flush(); time.sleep(0.2)\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
    writer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    proc = subprocess.run([sys.executable, "-m", "repair", "--stream"], stdin=writer.stdout,
                          capture_output=True, cwd=tmp_path, env=env, timeout=60)
    writer.wait()
    assert proc.returncode == 0, err(proc)
    lines = out(proc).splitlines()
    values = [json.loads(line) for line in lines]
    assert values[-1] == {"a": "xyz", "b": [1, 2]}
    assert len(values) >= 4                     # it printed while the input arrived
    assert {"a": "xy"} in values
    for a, b in zip(values, values[1:]):
        assert set(a) <= set(b)


def test_stream_no_json_is_exit_1(cli):
    proc = cli(["--stream"], stdin="nothing to see")
    assert proc.returncode == 1
    assert "no JSON value found" in err(proc)
