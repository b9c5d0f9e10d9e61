"""Batch repair: ``repair.batch.BatchRepairer`` (a picklable callable, usable as a Dask or
Spark UDF) and ``python -m repair --jsonl`` with one and several worker processes."""
import json
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

from repair.batch import BatchRepairer, Summary

from test_cli import err, out, run

RECORDS = [
    json.dumps("{'a': 1,}"),
    json.dumps({"text": "```json\n{\"b\": [1, 2\n```", "model": "qwen2.5", "id": 7}),
    json.dumps({"text": "no json here", "model": "llama3"}),
    json.dumps({"a": 1}),
    "not json at all",
    json.dumps('{"ok": true}'),
    json.dumps({"output": "{'x': None}", "model": "qwen2.5"}),
    json.dumps({"text": "{'original requirements': 'r'}", "required_keys": ["Original Requirements"]}),
]


def test_batch_repairer_results():
    fix = BatchRepairer()
    got = [fix(r) for r in RECORDS]
    assert got[0] == {"status": "repaired", "value": {"a": 1},
                      "kinds": ["extra_comma", "quote_style"], "missing_keys": []}
    assert got[1]["id"] == 7 and got[1]["model"] == "qwen2.5"
    assert got[1]["value"] == {"b": [1, 2]} and got[1]["status"] == "repaired"
    assert got[2]["status"] == "error" and "no JSON value found" in got[2]["error"]
    assert got[3] == {"status": "error", "error": "record has no string field 'text'"}
    assert got[4]["status"] == "error" and got[4]["error"].startswith("record is not JSON")
    assert got[5] == {"status": "unchanged", "value": {"ok": True}, "kinds": [],
                      "missing_keys": []}
    assert got[7]["value"] == {"Original Requirements": "r"}
    assert BatchRepairer(field="output")(RECORDS[6])["value"] == {"x": None}


def test_batch_repairer_pickles_and_runs_in_processes():
    fix = BatchRepairer(field="text", required_keys=["a"], preset="safe")
    clone = pickle.loads(pickle.dumps(fix))
    assert [clone(r) for r in RECORDS] == [fix(r) for r in RECORDS]
    with ProcessPoolExecutor(2) as pool:
        assert list(pool.map(fix, RECORDS)) == [fix(r) for r in RECORDS]


def test_summary():
    s = Summary()
    fix = BatchRepairer()
    for r in RECORDS:
        s.add(fix(r))
    text = s.render()
    assert text.startswith("8 records: 1 unchanged, 3 repaired, 4 error\n")
    assert "quote_style" in text and "qwen2.5" in text
    assert s.model_errors == {"llama3": 1, "qwen2.5": 1}   # the second has no "text"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_jsonl(tmp_path, jobs):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(RECORDS) + "\n\n", encoding="utf-8")
    proc = run(["--jsonl", "--jobs", jobs, str(src)], cwd=tmp_path)
    assert proc.returncode == 0, err(proc)
    lines = [json.loads(line) for line in out(proc).splitlines()]
    fix = BatchRepairer()
    assert lines == [fix(r) for r in RECORDS]      # in input order, blank lines skipped
    assert "8 records: 1 unchanged, 3 repaired, 4 error" in err(proc)
    assert "by model" in err(proc)


def test_cli_jsonl_field_keys_and_output_file(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"output": "{'answer': 42,"}) + "\n", encoding="utf-8")
    dst = tmp_path / "out.jsonl"
    proc = run(["--jsonl", "--field", "output", "-k", "Answer", "-o", str(dst), str(src)],
               cwd=tmp_path)
    assert proc.returncode == 0, err(proc)
    assert json.loads(dst.read_text(encoding="utf-8"))["value"] == {"Answer": 42}


def test_cli_jsonl_rejects_stream(tmp_path):
    proc = run(["--jsonl", "--stream"], cwd=tmp_path)
    assert proc.returncode == 2
