"""Generated LLM-like documents: every damage kind x size x engine.

Each benchmark times one ``loads`` of the damaged text (``orjson``: of the valid twin,
once per size, as the floor). ``extra_info`` holds group/kind/size/engine, the input's
UTF-8 size and whether the value equals the valid twin's (``None`` when that is not
defined: a truncated document, or a peer asked to restore key case, which it cannot be
told). Nothing here asserts a speed: ``python -m benchmarks.report`` compares.
"""
import orjson
import pytest

from . import docs
from . import engines as E
from .conftest import run


class PeerError:
    def __init__(self, exc):
        self.exc = exc


def _params():
    out = []
    for size in E.sizes():
        for kind in docs.KINDS:
            for name in E.engines_selected():
                if name == E.FLOOR and kind != "valid":
                    continue  # the floor is orjson on the valid twin: one per size
                out.append(pytest.param(kind, size, name,
                                        id="%s-%s-%s" % (kind, docs.size_name(size), name)))
    return out


@pytest.mark.parametrize("kind, size, engine", _params(), indirect=["engine"])
def test_doc(benchmark, kind, size, engine):
    name, load = engine
    reason = E.cap_reason(name, size)
    if reason is not None:
        pytest.skip(reason)
    text, valid = docs.case(kind, size)
    keys = docs.required_keys(kind)
    arg = valid if name == E.FLOOR else text

    benchmark.group = "docs %s %s" % (kind, docs.size_name(size))
    benchmark.extra_info.update({
        "suite": "docs", "kind": kind, "size": size, "size_name": docs.size_name(size),
        "engine": name, "input_bytes": len(arg.encode("utf-8")),
        "valid_bytes": len(valid.encode("utf-8")),
    })
    if name in E.PEERS:
        def call():  # a peer that gives up is recorded, not a failure of ours
            try:
                return load(arg, keys, None)
            except Exception as exc:
                return PeerError(exc)
    else:
        def call():
            return load(arg, keys, None)
    value = run(benchmark, call, name, size)
    if isinstance(value, PeerError):
        benchmark.extra_info["error"] = repr(value.exc)[:200]

    want = docs.expected(kind, orjson.loads(valid))
    if want is None or (kind == "key_case" and name in E.PEERS):
        correct = None
    else:
        correct = value == want
    benchmark.extra_info["correct"] = correct
