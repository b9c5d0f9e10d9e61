"""Fuzzing (issue 6, item 1) and no data loss (item 4), with hypothesis, on both cores.

Every input goes through ``fuzz/checks.py:check`` -- the same checks as the atheris harness
(``fuzz/fuzz_repair.py``) and the plain random fuzzer (``fuzz/random_fuzz.py``):

- the output parses with orjson (to ``.value``), or a RepairError is raised whose position
  fits its document -- never another exception;
- the compiled core and the pure twin agree on the outcome: text AND edits, span, missing
  keys, changed (or the error's message and position);
- bytes give what their decoded text gives, or a RepairError at the first bad byte;
- valid JSON comes back unchanged;
- repair is idempotent: through the API, and through the scanner alone (without the
  orjson fast path, which would make the API check trivial): the scanner leaves its own
  output alone;
- the edit report accounts for the output (:func:`checks.check_edits`).

Inputs: arbitrary text (``st.text()``, and an alphabet heavy in JSON punctuation and lone
surrogates), arbitrary bytes (``st.binary()``), corpus texts with random mutations, and
JSON-ish token soup with random options. ``test_fuzz_session`` runs the plain random
fuzzer for a fixed number of inputs (``REPAIR_FUZZ_INPUTS``; default 60,000 under
``REPAIR_CI=1``, about a minute, else 5,000) from a fixed seed (``REPAIR_FUZZ_SEED``;
``random`` for a fresh one).

Engine failures found by fuzzing are in :data:`REGRESSIONS` (``xfail(strict=True)``, with the
minimal input, the outcome and what is wanted). The properties and the session tolerate
exactly those classes of failure (:data:`KNOWN`: each has a predicate and a regression
case), so that they keep looking for new ones; remove a class once its regression XPASSes.

No data loss (item 4), over tests/damage.py's operators on generated documents and on the
corpus' documents:

- ``test_no_string_or_number_is_lost``: for every recoverable operator (and combinations),
  every string value and every number of the intended document is in the repaired value
  (as a multiset; types kept: ``1`` is not ``1.0``). Operators with a known failure in
  test_damage.KNOWN_FAILURES are left out (their minimal inputs are xfails there);
- ``test_edit_report_accounts_for_every_character``: for every operator, truncation
  included: each edit's ``removed`` is the input at its ``pos``, and the edits applied in
  order to ``text[span]`` give ``result.text`` -- so every character removed from the
  payload is reported, and every character added.
"""
import os
import random
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from damage import (CORPUS_VALUES, KNOWN_CONTENT_TRAP, OPERATORS, RECOVERABLE, SOURCES,
                    combined, damaged, llm_documents)
from repair import RepairError

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "fuzz"))
import checks  # noqa: E402
import mutate  # noqa: E402
import random_fuzz  # noqa: E402

SETTINGS = settings(database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])
CORPUS = mutate.corpus_texts()


# -- known failure classes (fuzz/checks.py; each has a regression case below) ------------

KNOWN = checks.KNOWN
known_class = checks.known_class


def run_checks(engines, text, options=None):
    """checks.check, tolerating the known failure classes (reported as hypothesis
    events)."""
    try:
        checks.check(text, engines, options=options)
    except checks.Finding as f:
        name = known_class(f)
        if name is None:
            raise
        event("known failure: " + name)


# -- properties -------------------------------------------------------------------------

SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
PUNCT = st.sampled_from(list('{}[],:"\'`\\/*#\n\r\t \x00\ufeff\u201c\u201d\uff1a\uff0c') +
                        ["\u2028", "\U0001f600"])
rich_text = st.text(st.one_of(PUNCT, PUNCT, st.characters(), SURROGATES), max_size=200)


@SETTINGS
@given(text=st.text(max_size=300))
def test_fuzz_text(engines, text):
    run_checks(engines, text)


@SETTINGS
@given(text=rich_text)
def test_fuzz_text_punctuation_and_surrogates(engines, text):
    run_checks(engines, text)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_fuzz_bytes(engines, data):
    run_checks(engines, data)


@st.composite
def mutated_corpus(draw):
    """A corpus text with 1-4 mutations drawn by hypothesis (so they shrink), and the
    case's required keys or none."""
    text, keys = draw(st.sampled_from(CORPUS))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "truncate", "replace"]))
        i = draw(st.integers(0, len(text)))
        j = min(len(text), i + draw(st.sampled_from([1, 2, 5, 20, 100])))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.sampled_from(mutate.TOKENS)) + text[i:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "truncate":
            text = text[:max(i, 1)]
        else:
            text = text[:i] + draw(st.sampled_from(mutate.CHARS)) + text[j:]
    return text, (keys if draw(st.booleans()) else [])


@pytest.mark.skipif(not CORPUS, reason="no corpus found")
@settings(SETTINGS, max_examples=2 * settings().max_examples)
@given(case=mutated_corpus())
def test_fuzz_mutated_corpus(engines, case):
    text, keys = case
    run_checks(engines, text, {"required_keys": keys} if keys else None)


@st.composite
def options(draw):
    out = {}
    if draw(st.booleans()):
        out["required_keys"] = draw(st.lists(st.sampled_from(mutate.KEY_POOL), max_size=2))
    out["policy"] = draw(st.sampled_from(["best", "first", "last", "all"]))
    out["preset"] = draw(st.sampled_from(["safe", "safe", "strict", "aggressive"]))
    return out


@SETTINGS
@given(tokens=st.lists(st.sampled_from(mutate.TOKENS), max_size=40), opts=options())
def test_fuzz_tokens_with_options(engines, tokens, opts):
    run_checks(engines, "".join(tokens), opts)


# -- the bounded random fuzzing session --------------------------------------------------------

def session_inputs():
    """How many inputs the session fuzzes: a fixed number, so that a run is
    reproducible (``REPAIR_FUZZ_INPUTS`` sets it; about a minute in CI)."""
    env = os.environ.get("REPAIR_FUZZ_INPUTS")
    if env:
        return int(env)
    return 60_000 if os.environ.get("REPAIR_CI", "") not in ("", "0") else 5_000


def test_fuzz_session():
    """The plain random fuzzer for a fixed number of inputs: no finding outside the
    known classes. The seed is fixed (``REPAIR_FUZZ_SEED``, default 6), so that CI is
    reproducible; ``REPAIR_FUZZ_SEED=random`` draws one (it is in the failure message)."""
    env = os.environ.get("REPAIR_FUZZ_SEED", "6")
    seed = random.SystemRandom().randrange(10 ** 9) if env == "random" else int(env)

    class Log:
        def write(self, s):
            pass

        def flush(self):
            pass

    want = session_inputs()
    # the time bound only guards against a hang; the input count ends the session
    count, findings, soft = random_fuzz.run(3600, seed, max_inputs=want, log=Log())
    found = [rec for rec in findings if known_class(rec["finding"]) is None]
    assert count == want
    assert not found, "seed %d: %d new finding(s) in %d inputs; first: %s" % (
        seed, len(found), count, found[0]["finding"])


# -- regressions: every engine failure fuzzing found ----------------------------------------------

def _xfail(id_, text, check, reason, **options):
    return pytest.param(text, options, check, id=id_,
                        marks=pytest.mark.xfail(strict=True, reason=reason))


def _fixed(id_, text, check, reason, **options):
    """A fuzzing finding the engine has been fixed for: a plain regression case."""
    return pytest.param(text, options, check, id=id_)


def _checks_pass(engines, text, options):
    checks.check(text, engines, options=options)


def _value(expected):
    def check(engines, text, options):
        for name, eng in engines.items():
            res = eng.repair(text, **options)
            assert res.value == expected, (name, res.text, res.edits)
    return check


def _payload_unchanged(payload):
    def check(engines, text, options):
        for name, eng in engines.items():
            res = eng.repair(text, **options)
            assert res.text == payload and res.edits == (), (name, res.text, res.edits)
    return check


LONG_KEY = "k" * 254

REGRESSIONS = [
    _fixed("surrogate_native_markup", "<parameter=x>\ud800", _checks_pass,
           "surrogate_dumps: native tool-call markup holding a lone surrogate: "
           "repair('<parameter=x>\\ud800') -> TypeError 'str is not valid UTF-8: "
           "surrogates not allowed' (orjson.dumps in api._whole); want valid JSON (the "
           "surrogate replaced) or a RepairError"),
    _fixed("top_level_string_smart_colon", "'\u201d:", _checks_pass,
           "scanner_idempotence: the repaired top-level string '\"\u201d:\"' was read "
           "again as a bare member whose key closes at the smart quote ('{\"\": \"\"}'); "
           "a straight quote ending the input right after the colon makes it one string"),
    _fixed("top_level_string_smart_colon_text", "'\u201d:!", _checks_pass,
           "scanner_idempotence: the same with text after the colon: '\"\u201d:!\"' "
           "was read again as '{\"\": \"!\"}'"),
    _fixed("smart_key_cut_after_colon_quote", '{"":null,"\u201d:"', _value({"": None}),
           "smart_key_prefix: a prefix of valid JSON whose last key holds `\u201d:` and is "
           "cut right after a straight quote: '{\"\":null,\"\u201d:\"' -> "
           "'{\"\":null,\"\":\"\"}' (the key closed at the smart quote, overwriting the "
           "complete member); want the cut key dropped (found by "
           "test_object_prefixes_keep_complete_members)"),
    _fixed("smart_empty_key_cut", '{"":null,"\u201d:\\', _value({"": None}),
           "smart_key_prefix: an empty key closed by a smart quote overwrote the complete "
           "member: '{\"\":null,\"\u201d:\\\\' -> '{\"\":null,\"\":\"\\\\\\\\\"}'; "
           "want the cut key dropped (an empty key is never closed by its smart quote)"),
    _fixed("stringified_smart_quote_comment", '{\\"a\\": \\"\u201cq\u201d //\\"}',
           _value({"a": "\u201cq\u201d //"}),
           "stringified_comment: in stringified JSON, `\u201d //` before the escaped "
           "closing quote was read as a comment that ended the string: "
           "'{\\\\\"a\\\\\": \\\\\"\u201cq\u201d //\\\\\"}' -> "
           "'{\"a\": \"\u201cq\"}' (found by test_no_string_or_number_is_lost, "
           "stringified)"),
    _fixed("smart_quote_before_closer_and_fence", "```json\n[\n  \"\u201d\n]\n```",
           _value([""]),
           "smart_quote_fence: a string opened by a straight quote and closed by a smart "
           "quote before the last closer and the payload's closing fence ran on to the "
           "end: '[\"\u201d\\n]\"]'; want [\"\"] (found by "
           "test_no_string_or_number_is_lost_combined: smart_quotes+missing_commas+fences)"),
    _fixed("surrogate_bare_text", "\ud800", _checks_pass,
           "surrogate_dumps: the aggressive preset's bare-text rule on a lone surrogate: "
           "repair('\\ud800', ['a'], preset='aggressive') -> TypeError 'str is not valid "
           "UTF-8: surrogates not allowed'; want valid JSON or a RepairError",
           required_keys=["a"], preset="aggressive"),
    _fixed("strict_surrogate", '["\ud800"]', _checks_pass,
           "strict_stop_iteration: strict preset, a candidate orjson rejects with no "
           "repair edit to blame: repair('[\"\\ud800\"]', preset='strict') -> StopIteration "
           "escapes from api.Job._choose (next() over the edits); want a RepairError",
           preset="strict"),
    _fixed("strict_huge_number", "1e1111", _checks_pass,
           "strict_stop_iteration: repair('1e1111', preset='strict') -> StopIteration "
           "(orjson rejects the out-of-range number, no edit to blame); want a RepairError",
           preset="strict"),
    _fixed("long_key_after_string", 'Here: {"a": "x", "%s": 1}' % LONG_KEY,
           _value({"a": "x", LONG_KEY: 1}),
           "long_key_after_string: DATA LOSS -- a key of 254+ characters after a string "
           "value, in a payload that goes through the scanner: 'Here: {\"a\": \"x\", "
           "\"k\"*254: 1}' -> '{\"a\":  1}' (the value \"x\" and the key dropped as a "
           "'doubled' key; 253 characters work); want the object unchanged. The fuzzer "
           "meets it as a valid output the scanner edits (keys grow long once escapes like "
           "\\u0000 are written out)"),
    _fixed("longer_key_after_string", 'Here: {"a": "x", "%s": 1}' % (LONG_KEY * 4),
           _value({"a": "x", LONG_KEY * 4: 1}),
           "long_key_after_string: a key longer than the look-ahead (1016 characters) "
           "after a string value: at the bound the comma is taken as structure, the text "
           "kept"),
    _fixed("smart_quote_comma_words_colon", '{"b": "q\u201d, a b: c",}',
           _value({"b": "q\u201d, a b: c"}),
           "smart_quote_comma: DATA LOSS -- a closing smart quote, a comma, words and a colon "
           "inside a string, in a text that needs any repair: '{\"b\": \"q\u201d, a b: "
           "c\",}' -> '{\"b\": \"q\", \"a b\": \"c\"}' (the string split into a "
           "new member); want {\"b\": \"q\u201d, a b: c\"}. Found by the no-data-loss "
           "property (invalid_escapes: '... \u201cquoted\u201d, the the http://...'); the "
           "one-word form is fixed, damage.KNOWN_CONTENT_TRAP leaves out only `word:`"),
    _fixed("smart_quote_closers_in_valid_payload", 'Here: ["\u201d}}a"]', _value(["\u201d}}a"]),
           "smart_quote_comma: DATA LOSS -- a valid string starting with a closing smart "
           "quote and two closers, in a payload that goes through the scanner: 'Here: "
           "[\"\u201d}}a\"]' -> '[\"\"]' (also 'Here: {\"a\": \"\u201d}}a\"}' -> "
           "'{\"a\": \"\"}'; one closer works); want [\"\u201d}}a\"]"),
    _fixed("ambiguous_key_dropped", '{"A": 1, "a"', _checks_pass,
           "ambiguous_key_dropped: not idempotent with required keys: repair('{\"A\": 1, "
           "\"a\"', ['a']) -> '{\"A\": 1}' (key_ambiguous: the exact spelling \"a\" is "
           "in the object -- but that key, cut off before its colon, is then dropped; "
           "missing_keys ('a',)); repairing that again gives '{\"a\": 1}'. Want "
           "'{\"a\": 1}' at once (the other spelling did not survive); found by the "
           "random fuzzer as '\"A\":,\"a\"'", required_keys=["a"]),
    _fixed("edit_inside_removal", '{"a":y":s":}', _checks_pass,
           "edit_inside_removal: the edit report lists an edit that was not applied: "
           "repair('{\"a\":y\":s\":}') -> '{\"a\":\"\"}' with edits ... "
           "('doubled', 8, 's\":', ''), ('missing_value', 10, '', ' null'): the insertion "
           "at 10 lies inside the text removed at 8..11, so apply_edits skips it, but the "
           "report keeps it; want a report whose edits, applied in order to text[span], "
           "give the output (drop the swallowed edit)"),
    _fixed("doubled_braces_missing_comma", '[{{}} ""]', _value([{}, ""]),
           "doubled_braces_missing_comma: DATA LOSS -- in an array, the item after a "
           "doubled-brace object with no comma between is dropped: '[{{}} \"\"]' -> "
           "'[{}]', '[{{\"a\": 1}} \"x\"}]' -> '[{\"a\": 1}]' (with a comma, or with "
           "single braces, it is kept); want [{}, \"\"]. Found by "
           "test_no_string_or_number_is_lost_combined (missing_commas + doubled_braces + "
           "stray_closer: '[\\n  {{}}\\n  \"\"\\n}]')"),
    _fixed("uppercase_exponent", 'Here: {"a": 2E2}', _payload_unchanged('{"a": 2E2}'),
           "uppercase_exponent: a valid number with `E` in a payload that goes through the "
           "scanner is rewritten: 'Here: {\"a\": 2E2}' -> '{\"a\": 2e2}' with a 'number' "
           "edit; want the payload unchanged (DESIGN: smallest edits; valid JSON is kept "
           "as written)"),
    _fixed("out_of_range_number", '{"a": 1e400}', _value({"a": None}),
           "out_of_range_number: a number orjson cannot hold loses the whole value: "
           "repair('{\"a\": 1e400}') -> RepairError 'could not repair the JSON value' "
           "('[1e309]' -> 'no JSON value found'); want {\"a\": null}, as for Infinity"),
    _fixed("top_level_smart_quote_comma", '"\u201d,"', _checks_pass,
           "scanner_idempotence: the top-level string '\"\u201d,\"' (from '\u2019\u201d,') "
           "was closed at the smart quote by the scanner alone, though the straight quote "
           "after the comma ends the input (random fuzzer, 10^7 run)"),
    _fixed("fullwidth_past_payload", "[{}}\uff0c-", _checks_pass,
           "edits: repair('[{}}\uff0c-') reported a fullwidth edit after the payload's end "
           "that inserts a comma the output does not hold (random fuzzer, 10^7 run)",
           required_keys=["Required Python packages"]),
    _fixed("key_missing_open_quote_renamed", '"":[-a":b', _checks_pass,
           "idempotence: with required key a, '\"\":[-a\":b' -> '{\"\":{\"-a\":\"b\"}}', "
           "which repairs again to '{\"\":{\"a\":\"b\"}}': a key read in an array turned "
           "object, with its opening quote missing, was matched with its closing quote "
           "(random fuzzer, 10^7 run)", required_keys=["a"]),
    _fixed("smart_quote_right_after_open", "'\u201d}}. ", _checks_pass,
           "scanner_idempotence: a string opened by another quote with a smart quote right "
           "after it ('\u2019\u201d}}. ', '`\u201d,1 ') repairs to '\"\u201d}}. \"', whose "
           "`\u201d` the scanner alone then took for the closing quote of an empty string "
           "(random fuzzer, 10^7 run on 6b72970)"),
    _fixed("empty_key_smart_quote_long_tail", "'\u201d: 'get_system" + "\x1f" * 40 + 'guts"',
           _checks_pass,
           "scanner_idempotence: '\"\u201d: ...\"' at the top level, with the straight "
           "quote past the look-ahead (control characters escaped), was read by the "
           "scanner alone as an implicit object whose key closed at the `\u201d` right "
           "after its opening quote (random fuzzer, 10^7 run on 6b72970)"),
    _fixed("smart_quote_space_quote_closer", "[false`\u201d},: ", _checks_pass,
           "scanner_idempotence: repair('[false`\u201d},: ') -> '[false,\"\u201d},: \"]', "
           "which the scanner alone then edits: the `\u201d` was closed because the straight "
           "quote after the space was taken to open a next string, though a `]` follows it at "
           "once (found by test_fuzz_session, seed 6)"),
    _xfail("smart_key_beyond_lookahead",
           '{"": [x9\u201d:\'y<|imnd|>' + "<|im_end|>" * 24 + '<|im_\u65e5":"8', _checks_pass,
           "smart_key_beyond_lookahead: '{\"\": [x9\u201d:\\'y<|im_end|>...(250 "
           "characters)\u65e5\":\"8' repairs to '{\"\": {\"x9\u201d:\\'y...\u65e5\":\"8\"}}' "
           "(the bare key runs to the straight quote); the scanner alone reads that "
           "output's key as closed at `\u201d:`, because the straight quote that would "
           "close it comes past the 256-character look-ahead. Want the same reading both "
           "times; the bound is what keeps the scan linear (random fuzzer, 10^7 run)"),
    _xfail("smart_quote_after_other_quote", '"":\'\u201d},6 \'""[', _checks_pass,
           "smart_quote_after_other_quote: '\"\":\\'\u201d},6 \\'\"\"[' repairs to "
           "'{\"\":\"\u201d},6 \",\"\":[]}' (the `\u201d` is content of the string "
           "opened by `'`); the scanner alone reads that output's `\u201d}` as the end of "
           "an empty string. Want one reading; an empty string closed by a smart quote "
           "(`\"a\": \"\u201d}`) is what smart-quote damage writes, so the rule cannot "
           "simply refuse it (random fuzzer, 10^7 run on 6b72970)"),
    _fixed("smart_quote_fullwidth_comma", '{"id": "251115\u201d\uff0c "category": "P"}',
           _value({"id": "251115", "category": "P"}),
           "DATA LOSS: a value closed by a smart quote before a fullwidth comma and the next "
           "key lost both: '{\"id\": \"251115\u201d\uff0c \"category\": \"P\"}' -> "
           "'{\"id\":  \"P\"}' (found by test_combined_operators, smart_quotes+fullwidth)"),
    _fixed("smart_key_valid_member_in_fence",
           'Here it is:\n```json\n{"\\"\u201d\uff1a{":null}\n```\nDone.',
           _payload_unchanged('{"\\"\u201d\uff1a{":null}'),
           "valid JSON in a fence, with prose around it, re-read and damaged: a key holding "
           "`\\\"` then `\u201d\uff1a{` -> '{\"\\\\\"\":{}}' (the smart-quote key rule "
           "took `\u201d\uff1a{` for the key's end and the straight quote for the opening "
           "quote of a value); want the payload as written (found by "
           "test_stream.py::test_prose_and_fences_never_leak, HYPOTHESIS_PROFILE=long)"),
]


@pytest.mark.parametrize("text, options, check", REGRESSIONS)
def test_regressions(engines, text, options, check):
    check(engines, text, options)


def test_known_classes_have_regressions():
    reasons = [p.marks[0].kwargs["reason"] for p in REGRESSIONS if p.marks]
    for name in KNOWN:
        assert any(r.startswith(name + ":") for r in reasons), name


# -- no data loss ------------------------------------------------------------------------------

def _leaves(value):
    """Multiset of the string values and numbers in ``value`` (keys and literals aside);
    no recursion."""
    out = Counter()
    todo = [value]
    while todo:
        v = todo.pop()
        if isinstance(v, dict):
            todo.extend(v.values())
        elif isinstance(v, list):
            todo.extend(v)
        elif isinstance(v, str):
            out[("str", v)] += 1
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out[(type(v).__name__, v)] += 1
    return out


def _known_damage_failures():
    """Operators with a known engine failure in test_damage (their failures are listed
    there with minimal inputs; a property cannot be a strict xfail)."""
    try:
        from test_damage import KNOWN_FAILURES
    except ImportError:     # pragma: no cover
        return set()
    return set(KNOWN_FAILURES)


KNOWN_DAMAGE = _known_damage_failures()
LOSSLESS_POOL = tuple(n for n in RECOVERABLE if n not in KNOWN_DAMAGE)
PER_OPERATOR = max(10, settings().max_examples // 2)


def _repair(engine, d):
    try:
        return engine.repair(d.text, required_keys=d.required_keys)
    except RepairError as err:
        raise AssertionError("%s: RepairError %s\n  input: %r" % ("+".join(d.ops), err,
                                                                 d.text))



def _avoid_known(d):
    """Leave out the known failures of test_damage's content and combination lists."""
    assume(not any(KNOWN_CONTENT_TRAP.search(s) for (t, s) in _leaves(d.expected)
                   if t == "str"))
    assume(not {"doubled_commas", "fullwidth"} <= set(d.ops))


def _lost(d, res):
    lost = _leaves(d.expected) - _leaves(res.value)
    assert not lost, "operators %s lost %r\n  input:  %r\n  output: %r" % (
        "+".join(d.ops), sorted(lost, key=repr)[:5], d.text, res.text)


def _accounted(d, res):
    problem = checks.check_edits(d.text, res)
    assert problem is None, "operators %s: %s\n  input:  %r\n  output: %r\n  edits: %r" % (
        "+".join(d.ops), problem, d.text, res.text, res.edits)


@pytest.mark.parametrize("name", LOSSLESS_POOL)
@pytest.mark.parametrize("source", ["generated", "corpus"])
def test_no_string_or_number_is_lost(engine, name, source):
    if source == "corpus" and not CORPUS_VALUES:
        pytest.skip("no corpus found")

    @settings(SETTINGS, max_examples=PER_OPERATOR)
    @given(d=damaged(name, SOURCES[source]))
    def prop(d):
        _avoid_known(d)
        res = _repair(engine, d)
        _lost(d, res)
        _accounted(d, res)

    prop()


@settings(SETTINGS, max_examples=2 * settings().max_examples)
@given(d=combined(llm_documents, LOSSLESS_POOL))
def test_no_string_or_number_is_lost_combined(engine, d):
    _avoid_known(d)
    res = _repair(engine, d)
    _lost(d, res)
    _accounted(d, res)


@pytest.mark.parametrize("name", sorted(OPERATORS))
def test_edit_report_accounts_for_every_character(engine, name):
    """Every operator (known failures and truncation included): whatever the value, the
    edits explain the output exactly."""
    @settings(SETTINGS, max_examples=PER_OPERATOR)
    @given(d=damaged(name, llm_documents))
    def prop(d):
        try:
            res = engine.repair(d.text, required_keys=d.required_keys)
        except RepairError:
            return
        _accounted(d, res)

    prop()


def test_edit_report_examples(engine):
    """The check itself, on hand-made cases: removals, insertions, closers dropped after
    the payload, prose around it."""
    for text in ['{"a": [1, 2', "Here: {'a': 1,} ok", '{"a": 1}}}', "[1 2 3]",
                 '```json\n{"a": "x",}\n```', '{"a": "x"]}', "[1, 2, ...]",
                 '<think>{}</think>{"A": 1}']:
        res = engine.repair(text, required_keys=["a"])
        assert checks.check_edits(text, res) is None, (text, res.text, res.edits)
