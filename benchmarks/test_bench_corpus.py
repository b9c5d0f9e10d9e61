"""The corpus of real model failures, one benchmark per model family (corpus file) per engine.

Each benchmark times the loop over the family's cases that have an expected value (a case
whose ``expected`` is ``null`` has no valid twin for the floor). Ours get each case's
required keys and options; the peers get the same text; ``orjson`` parses the valid twins
(``orjson.dumps(expected)``): the floor. ``extra_info`` records the number of cases, how
many values equal the expected one, and how many calls raised (a ``RepairError`` from ours
or anything from a peer: the loop goes on).
"""
from collections import OrderedDict
from pathlib import Path

import orjson
import pytest

import repair.corpus

from . import engines as E
from .conftest import run

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _families():
    fams = OrderedDict()
    if CORPUS.is_dir():
        for case in repair.corpus.load(CORPUS):
            if case["expected"] is not None:
                fams.setdefault(Path(case.file).stem, []).append(case)
    return fams


FAMILIES = _families()


def _params():
    if not FAMILIES:
        return [pytest.param(None, None, marks=pytest.mark.skip(
            reason="no corpus at %s" % CORPUS))]
    return [pytest.param(fam, name, id="%s-%s" % (fam, name))
            for fam in FAMILIES for name in E.engines_selected()]


@pytest.mark.parametrize("family, engine", _params(), indirect=["engine"])
def test_corpus_family(benchmark, family, engine):
    name, load = engine
    cases = FAMILIES[family]
    if name == E.FLOOR:
        jobs = [(orjson.dumps(c["expected"]).decode("utf-8"), (), None) for c in cases]
    else:
        jobs = [(c["text"], c.keys, c.get("options")) for c in cases]

    def loop():
        out = []
        for text, keys, options in jobs:
            try:
                out.append(load(text, keys, options))
            except Exception as exc:  # RepairError from ours, anything from a peer
                out.append(_Failed(exc))
        return out

    benchmark.group = "corpus %s" % family
    benchmark.extra_info.update({
        "suite": "corpus", "family": family, "engine": name, "cases": len(cases),
        "input_bytes": sum(len(t.encode("utf-8")) for t, _, _ in jobs),
    })
    values = run(benchmark, loop, name, 0)
    benchmark.extra_info["errors"] = sum(isinstance(v, _Failed) for v in values)
    benchmark.extra_info["correct"] = sum(
        not isinstance(v, _Failed) and v == c["expected"] for v, c in zip(values, cases))


class _Failed:
    def __init__(self, exc):
        self.exc = exc
