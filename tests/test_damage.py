"""Damage operators (``tests/damage.py``) applied to generated documents and to the
corpus' ``expected`` values, on both cores (the ``engine`` fixture).

- ``test_operator_repairs[<engine>-<operator>-<source>]``: for every recoverable operator,
  the damaged text repairs to exactly the value the model meant (types and key order
  included), and the repaired text parses with orjson to that value;
- ``test_combined_operators``: the same for two or three compatible operators at once;
- ``test_truncation_is_prefix_compatible``: a document cut anywhere repairs to a value
  that is prefix-compatible with the original (see :func:`damage.prefix_problem`).

Engine failures the operators found are kept with their minimal inputs:

- :data:`KNOWN_FAILURES` (per operator): that parametrization of
  ``test_operator_repairs`` is an ``xfail(strict=True)`` that runs the minimal inputs
  first, so it fails fast while the engine is wrong and fails loudly ("XPASS") once it is
  fixed and the operator's property holds: then remove the entry. Such operators are
  left out of the combinations.
- :data:`KNOWN_COMBINATION_FAILURES` (pairs that each pass alone: never drawn together),
  :data:`KNOWN_CONTENT_FAILURES` (string contents that fail whatever the operator: the
  generator leaves them out):
  each has its own strict-xfail test over the minimal inputs, which XPASSes once they are
  fixed.
"""
import re

import orjson
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from damage import (CORPUS_VALUES, OPERATORS, RECOVERABLE, SOURCES, Damaged, Layout,
                    combined, compatible, damaged, llm_documents, prefix_problem, render,
                    tokenize, truncated, value_diff)
from repair import RepairError

# the profile (conftest) sets max_examples: 50 by default, 120 (derandomized) with
# HYPOTHESIS_PROFILE=ci, 2000 with HYPOTHESIS_PROFILE=long
SETTINGS = settings(database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])
# each operator runs on 2 engines x 2 sources: half the profile's examples for generated
# documents, a quarter for the (few) corpus values: 75 per operator with the default
# profile, 450 with ci
PER_TEST = {"generated": max(10, settings().max_examples // 2),
            "corpus": max(5, settings().max_examples // 4)}


class Known:
    """An engine failure found by an operator: ``reason`` (operator: minimal input ->
    what comes out, want what), the minimal ``cases`` (Damaged) that show it, and the
    ``engines`` and ``sources`` it is seen on."""

    def __init__(self, reason, cases, engines=("cython", "python"),
                 sources=("generated", "corpus")):
        self.reason, self.cases, self.engines, self.sources = reason, cases, engines, sources


def case(text, expected, keys=(), op=""):
    return Damaged(text, expected, tuple(keys), (op,))


#: operator name -> Known
KNOWN_FAILURES = {
    "mismatched_closer": Known(
        "mismatched_closer: below the top level, a wrong closer that the closers within the "
        "look-ahead (256 characters) cannot settle: the next-character rule takes it for "
        "missing closers or a stray closer although only a typo keeps the members in "
        "place: `[{\"k\": [}, \"m\": \"x...x\"}]` (300 x) -> `[{\"k\": []}, "
        "\"m\", \"x...x\"]`, `{\"a\": {\"b\": {\"c\": 1]}, \"d\": \"x...x\"}` -> "
        "`d` inside `b`; want `[{\"k\": [], \"m\": ...}]` and `{\"a\": {\"b\": "
        "{\"c\": 1}}, \"d\": ...}` (the short forms, settled by the closers ahead, are "
        "in tests/test_rules.py). The first is decidable locally (`, \"m\":` is a key, so "
        "the container left open must be an object); the second only by the balance of "
        "closers beyond the look-ahead",
        [case('[{"k": [}, "m": "' + "x" * 300 + '"}]', [{"k": [], "m": "x" * 300}]),
         case('{"a": {"b": {"c": 1]}, "d": "' + "x" * 300 + '"}',
              {"a": {"b": {"c": 1}}, "d": "x" * 300})]),
    "inner_quotes": Known(
        "inner_quotes: a string ending in an inner quoted word (`\"say \"hi\"\"`), then a "
        "`//` comment: the doubled quote closes at its first quote and the second is "
        "dropped with the comment: `{\"name\": \"say \"hi\"\" // c\\n}` -> "
        "`{\"name\": \"say \\\"hi\"}`, want the string `say \"hi\"`",
        [case('{"name": "say "hi"" // c\n}', {"name": 'say "hi"'})]),
}


#: engine failures that depend on the content of a string, not on an operator: the
#: generated documents leave them out and
#: test_known_content_failures keeps their minimal inputs
KNOWN_CONTENT_FAILURES = [
    Known("a string ending in a closing smart quote and a comma (`\u201d,`), then a space and "
          "the next value on the same line with no comma: the `\u201d` closes the string "
          "and the rest is lost: `[\"the \u201cq\u201d,\" \"b\"]` -> `[\"the \u201cq\", "
          "\" \\\"b\"]`, want `[\"the \u201cq\u201d,\", \"b\"]`; the same before a line "
          "break is read right (tests/test_rules.py) (damage.KNOWN_CONTENT_TRAP leaves it out)",
          [case('["the \u201cq\u201d," "b"]', ["the \u201cq\u201d,", "b"])]),
]


#: pairs of operators that fail together (each passes alone): test_combined_operators
#: never draws them together, test_known_combination_failures keeps the minimal inputs
KNOWN_COMBINATION_FAILURES = {
    # (none at present; doubled_commas+fullwidth is fixed: tests/test_rules.py)
}


def known_failure(name, engine_id, source):
    k = KNOWN_FAILURES.get(name)
    if k is not None and engine_id in k.engines and source in k.sources:
        return k
    return None


# -- the check --------------------------------------------------------------------------

def describe(d, problem, res=None):
    lines = ["operators %s: %s" % ("+".join(d.ops), problem),
             "  input:         %r" % (d.text,),
             "  required_keys: %r" % (d.required_keys,)]
    if res is not None:
        lines.append("  output:        %r" % (res.text,))
        lines.append("  edits:         %r" % ([(e.kind, e.pos, e.removed, e.inserted)
                                              for e in res.edits],))
    lines.append("  expected:      %s" % (orjson.dumps(d.expected).decode(),))
    return "\n".join(lines)


def repair_problem(engine, d):
    """What is wrong with the engine's repair of ``d``, or ``None``."""
    try:
        res = engine.repair(d.text, required_keys=d.required_keys)
    except RepairError as err:
        return describe(d, "RepairError: %s" % (err,))
    try:
        parsed = orjson.loads(res.text)
    except orjson.JSONDecodeError as err:
        return describe(d, "output is not JSON (%s)" % (err,), res)
    diff = value_diff(parsed, res.value)
    if diff:
        return describe(d, ".text and .value differ: " + diff, res)
    diff = value_diff(res.value, d.expected)
    if diff:
        return describe(d, "wrong value: " + diff, res)
    return None


def engine_id(request):
    return request.node.callspec.params["engine"]


def run_known(known, engine):
    """Fail (-> xfail) while any minimal case still fails, naming those that pass."""
    problems = [repair_problem(engine, c) for c in known.cases]
    if any(problems):
        fixed = [c.text for c, p in zip(known.cases, problems) if p is None]
        pytest.fail("\n".join([known.reason] + [p for p in problems if p] +
                               (["fixed meanwhile: %r" % (fixed,)] if fixed else [])))


# -- the operator machinery itself --------------------------------------------------------

def test_registry():
    assert "truncation" in OPERATORS and "truncation" not in RECOVERABLE
    assert len(RECOVERABLE) == len(OPERATORS) - 1
    for name, op in OPERATORS.items():
        assert op.name == name
        for other in op.conflicts:
            assert other in OPERATORS, (name, other)
            assert name in OPERATORS[other].conflicts, (name, other)
    assert set(KNOWN_FAILURES) <= set(RECOVERABLE)


@SETTINGS
@given(value=llm_documents, layout=st.builds(
    Layout, st.sampled_from([None, "  ", "\t"]), st.sampled_from(["", " "]),
    st.sampled_from(["", " "]), st.booleans()))
def test_undamaged_layout_is_the_value(value, layout):
    """The serializer the operators start from writes valid JSON of the value."""
    assert value_diff(orjson.loads(render(tokenize(value, layout))), value) is None


@pytest.mark.parametrize("index", range(len(KNOWN_CONTENT_FAILURES)))
def test_known_content_failures(engine, index, request):
    known = KNOWN_CONTENT_FAILURES[index]
    request.applymarker(pytest.mark.xfail(reason=known.reason, strict=True))
    run_known(known, engine)


@pytest.mark.parametrize("pair", list(KNOWN_COMBINATION_FAILURES),
                         ids=["+".join(p) for p in KNOWN_COMBINATION_FAILURES])
def test_known_combination_failures(engine, pair, request):
    known = KNOWN_COMBINATION_FAILURES[pair]
    request.applymarker(pytest.mark.xfail(reason=known.reason, strict=True))
    run_known(known, engine)


# -- one operator -------------------------------------------------------------------------

def operator_params():
    for name in RECOVERABLE:
        for source in SOURCES:
            marks = []
            if source == "corpus" and not CORPUS_VALUES:
                marks.append(pytest.mark.skip(reason="no corpus found"))
            yield pytest.param(name, source, id="%s-%s" % (name, source), marks=marks)


@pytest.mark.parametrize("name, source", list(operator_params()))
def test_operator_repairs(engine, name, source, request):
    known = known_failure(name, engine_id(request), source)
    if known is not None:
        request.applymarker(pytest.mark.xfail(reason=known.reason, strict=True))
        run_known(known, engine)

    @settings(SETTINGS, max_examples=PER_TEST[source])
    @given(d=damaged(name, SOURCES[source]))
    def prop(d):
        problem = repair_problem(engine, d)
        assert problem is None, problem

    prop()


# -- combinations -------------------------------------------------------------------------

def combination_pool(engine_name):
    """Recoverable operators without a known failure on this engine (a combination must
    not fail for a reason already listed)."""
    return tuple(n for n in RECOVERABLE
                 if not any(known_failure(n, engine_name, s) for s in SOURCES))


@pytest.mark.parametrize("source", [
    pytest.param(s, marks=[pytest.mark.skip(reason="no corpus found")]
                 if s == "corpus" and not CORPUS_VALUES else []) for s in SOURCES])
def test_combined_operators(engine, source, request):
    pool = combination_pool(engine_id(request))

    @settings(SETTINGS, max_examples=2 * PER_TEST[source])
    @given(d=combined(SOURCES[source], pool, avoid=KNOWN_COMBINATION_FAILURES))
    def prop(d):
        assert compatible(list(d.ops))
        problem = repair_problem(engine, d)
        assert problem is None, problem

    prop()


# -- truncation -----------------------------------------------------------------------

@pytest.mark.parametrize("source", [
    pytest.param(s, marks=[pytest.mark.skip(reason="no corpus found")]
                 if s == "corpus" and not CORPUS_VALUES else []) for s in SOURCES])
def test_truncation_is_prefix_compatible(engine, source):
    @SETTINGS
    @given(t=truncated(SOURCES[source]))
    def prop(t):
        text, value, tree, cut, lead = t
        try:
            res = engine.repair(text)
        except RepairError as err:
            raise AssertionError("truncation: RepairError %s\n  input: %r" % (err, text))
        assert value_diff(orjson.loads(res.text), res.value) is None
        problem = prefix_problem(res.value, value, tree, cut)
        assert problem is None, "truncation at %d: %s\n  input:    %r\n  output:   %r\n" \
            "  original: %s" % (cut, problem, text, res.text, orjson.dumps(value).decode())

    prop()
