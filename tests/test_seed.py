"""Every case of the seed corpus (``../shared/corpus-seed/*.jsonl``), on both cores.

The repaired text must parse with orjson, and when the case has an ``expected`` value the
result must equal it. Cases the engine does not get right yet are listed, with the reason,
in ``tests/known_failures.json``; for those the test checks that they still fail (and then
xfails), so the list only shrinks: a listed case that passes fails the test until it is
removed from the list.
"""
import json
from pathlib import Path

import orjson
import pytest

from repair import RepairError

KNOWN_FAILURES_PATH = Path(__file__).with_name("known_failures.json")
KNOWN_FAILURES = json.loads(KNOWN_FAILURES_PATH.read_text(encoding="utf-8"))


def _keys(case):
    # `[/CONTENT]`-style tag names are not JSON keys
    return [k for k in case.get("required_keys") or () if k and not k.startswith("[")]


def _problem(engine, case):
    """What is wrong with the engine's answer for ``case``, or ``None``."""
    try:
        res = engine.repair(case["text"], required_keys=_keys(case))
    except RepairError as err:
        return "RepairError: %s" % (err,)
    try:
        value = orjson.loads(res.text)
    except orjson.JSONDecodeError as err:
        return "text is not valid JSON (%s): %r" % (err, res.text)
    if value != res.value:
        return ".value %r differs from the parsed .text %r" % (res.value, value)
    expected = case.get("expected")
    if expected is not None and res.value != expected:
        return "value %s != expected %s" % (
            json.dumps(res.value, ensure_ascii=False), json.dumps(expected, ensure_ascii=False))
    return None


def test_known_failures_name_seed_cases(seed_corpus):
    ids = {c["id"] for c in seed_corpus}
    assert len(ids) == len(seed_corpus), "duplicate case ids"
    assert sorted(set(KNOWN_FAILURES) - ids) == []
    assert all(isinstance(r, str) and r.strip() for r in KNOWN_FAILURES.values())


def test_seed_case(engine, seed_case):
    problem = _problem(engine, seed_case)
    case_id = seed_case["id"]
    if case_id in KNOWN_FAILURES:
        if problem is None:
            pytest.fail("remove %s from known_failures.json" % case_id)
        pytest.xfail("%s (%s)" % (KNOWN_FAILURES[case_id], problem))
    assert problem is None, "%s: %s\ninput: %r" % (case_id, problem, seed_case["text"])
