"""The output path, on both cores: the scanner's edit records (tuples in the twin, C
arrays in the compiled core), ``render`` (the output built once, as UTF-8 bytes), the
probe that keeps a long damaged text from orjson, and ``loads``, which keeps no edits.
"""
import pickle

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import repair
from repair.api import _core_of

from test_properties import damaged_json, json_values

SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

DAMAGED = [
    "{'a': 'b', \"c\": [1, 2,], d: True}",
    'Here it is:\n```json\n{"a": "\u65e5\u672c", "b": [1, 2\n```\nbye',
    '{"a": "x\u201d, "b": NaN, /* c */ "c": 0xFF}',
    '[{"a": 1, {"b": 2}] ]]',
    '{"a": "C:\\Users\\\u00e9", "b": "\\ud800"}',
    '{"k": "k": "v", "e": "\U0001f600\ufffd"',
]


def _core(engine):
    return _core_of(engine.scanner_cls)


def _candidates(engine, text, keys=()):
    scanner = engine.prepare(keys).scanner()
    scanner.feed(text)
    return scanner.finish()


@pytest.mark.parametrize("text", DAMAGED)
def test_edit_records_read_as_the_twins_tuples(engines, text):
    """The compiled core's edit records read (len, index, slice, iteration, ==) as the
    very tuples the pure twin records."""
    got = {name: _candidates(eng, text) for name, eng in engines.items()}
    py = [(s, e, list(ed), f) for s, e, ed, f in got["python"]]
    for name, cands in got.items():
        assert [(s, e, list(ed), f) for s, e, ed, f in cands] == py, name
        for (_, _, edits, _), (_, _, want, _) in zip(cands, py):
            assert len(edits) == len(want)
            assert edits == want
            assert [edits[k] for k in range(len(edits))] == want
            assert edits[1:] == want[1:]
            if want:
                assert edits[-1] == want[-1]


@pytest.mark.parametrize("text", DAMAGED)
def test_render_is_apply_edits_in_utf8(engine, text):
    core = _core(engine)
    for start, end, edits, _ in _candidates(engine, text):
        ordered = core.order_edits(edits)
        out, changed = core.render(text, start, end, ordered)
        assert out == core.apply_edits(text, start, end, ordered).encode("utf-8", "surrogatepass")
        assert changed is True


@SETTINGS
@given(text=st.one_of(st.sampled_from(DAMAGED), damaged_json()))
def test_render_without_the_text_says_the_same_changed(engines, text):
    """render(..., text=False) gives the ``changed`` flag alone (a streamed result's text
    is rendered later, when read): the one render() gives with the bytes."""
    for engine in engines.values():
        core = _core(engine)
        for start, end, edits, _ in _candidates(engine, text):
            ordered = core.applied_edits(core.order_edits(edits), start, end)
            assert core.render(text, start, end, ordered, False) == (
                None, core.render(text, start, end, ordered)[1])
            # (a list of edit tuples, as the twin records them, takes the other path)
            listed = list(ordered)
            assert core.render(text, start, end, listed, False) == (
                None, core.render(text, start, end, listed)[1])


@pytest.mark.parametrize("policy", ["best", "all"])
@pytest.mark.parametrize("text", DAMAGED + ['{"a": 1}', "{'a': 1} and [2]"])
def test_results_pickle(engine, text, policy):
    res = engine.repair(text, policy=policy)
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(res, proto))
        assert type(back) is type(res)
        assert (back.text, back.value, back.edits, back.span, back.missing_keys,
                back.changed) == (res.text, res.value, res.edits, res.span,
                                  res.missing_keys, res.changed)


def test_render_of_no_edits_is_the_span(engine):
    core = _core(engine)
    text = ' {"\u00e9": ["\u65e5", "\U0001f600"]} '
    (start, end, edits, _), = _candidates(engine, text)
    assert core.render(text, start, end, core.order_edits(edits)) == (
        text.strip().encode("utf-8"), True)     # the span leaves the spaces out
    text = text.strip()
    (start, end, edits, _), = _candidates(engine, text)
    assert core.render(text, start, end, core.order_edits(edits)) == (text.encode(), False)


def test_render_passes_a_lone_surrogate_for_orjson_to_reject(engine):
    core = _core(engine)
    text = '["a\ud800b"'
    (start, end, edits, _), = _candidates(engine, text)
    out, _ = core.render(text, start, end, core.order_edits(edits))
    assert out == '["a\ud800b"]'.encode("utf-8", "surrogatepass")
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(out)
    with pytest.raises(repair.RepairError):
        engine.loads(text)


@pytest.mark.parametrize("text", DAMAGED)
def test_loads_keeps_no_edits_and_gives_the_repair_value(engine, text):
    res = engine.repair(text)
    assert engine.loads(text) == res.value
    assert orjson.loads(res.text) == res.value
    assert res.edits and res.changed


def test_text_is_decoded_when_read(engine):
    res = engine.repair("{'\u65e5': '\U0001f600'")
    assert res.text == '{"\u65e5": "\U0001f600"}'
    assert res.text is res.text


@pytest.mark.parametrize("text", ["{", "[1, 2", '{"a": 1}}', "{a: 1}", '"x', "tru", "[01]",
                                  '{"a" 1}', "[1,]", '["\\x"]', '["\x01"]', "1 2", "",
                                  "   ", "nul", "[1e]", "[-]", '{"a":1,}', "[.5]"])
def test_broken_json_prefix_names_broken_text(engine, text):
    assert _core(engine).broken_json_prefix(text, 4096) is True
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(text)


@pytest.mark.parametrize("text,limit", [('{"a": [1, 2, 3', 5), ('[1, 2, "ab', 8),
                                        ("[12345", 3), ("[true]", 3), ('{"a": 1}', 3)])
def test_broken_json_prefix_does_not_guess_past_its_limit(engine, text, limit):
    assert _core(engine).broken_json_prefix(text, limit) is False


@SETTINGS
@given(value=json_values(), indent=st.booleans(), pad=st.sampled_from(["", " ", "\n\t", "\r\n "]),
       limit=st.integers(1, 200))
def test_broken_json_prefix_never_names_valid_json(engine, value, indent, pad, limit):
    text = pad + orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0).decode() + pad
    assert _core(engine).broken_json_prefix(text, limit) is False


@SETTINGS
@given(value=json_values(), cut=st.integers(0, 400), junk=st.sampled_from(
    ["", ",", "]", "}", "'", "x", ":", '"', "\\", "\x00", "01", "..."]), limit=st.integers(1, 500))
def test_broken_json_prefix_only_names_what_orjson_rejects(engines, value, cut, junk, limit):
    text = orjson.dumps(value).decode()
    text = text[:cut] + junk + text[cut:]
    answers = {name: _core(eng).broken_json_prefix(text, limit) for name, eng in engines.items()}
    assert len(set(answers.values())) == 1, answers        # the twins agree
    if answers.popitem()[1]:
        with pytest.raises(orjson.JSONDecodeError):
            orjson.loads(text)


def test_long_damaged_text_repairs_as_the_short_one(engine):
    """From 64K characters on the probe and the paused collector are in play: the value
    is the same as for the text repeated fewer times."""
    item = "{'name': 'caf\u00e9', 'tags': ['a', 'b',], 'ok': True},\n"
    short, long = "[" + item * 3, "[" + item * 2000
    assert len(long) > 1 << 16
    assert engine.loads(long) == engine.loads(short)[:1] * 2000
    res = engine.repair(long)
    assert res.value == engine.loads(long) and len(res.edits) > 2000
