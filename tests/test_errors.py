"""RepairError: when there is nothing to recover, for bad input types, and at the limits.

Modelled on CPython's ``Lib/test/test_json/test_fail.py``: short fixed messages and exact
positions.
"""
import pickle

import pytest

import repair
from repair import RepairError

PROSE = [
    "I cannot help with that.",
    "Sorry, as an AI model I can't produce that output",
    "   \n\t ",
]


def _error(engine, text, **options):
    with pytest.raises(RepairError) as info:
        engine.repair(text, **options)
    return info.value


def _check_position(err):
    """lineno/colno agree with pos, and pos is within the doc."""
    assert 0 <= err.pos <= len(err.doc)
    nl = b"\n" if isinstance(err.doc, bytes) else "\n"
    assert err.lineno == err.doc.count(nl, 0, err.pos) + 1
    assert err.colno == err.pos - err.doc.rfind(nl, 0, err.pos)


@pytest.mark.parametrize("text", ["", b""], ids=["str", "bytes"])
def test_empty_input(engine, text):
    err = _error(engine, text)
    assert isinstance(err, ValueError)
    assert err.pos == 0
    assert err.lineno == 1 and err.colno == 1
    assert err.msg and len(err.msg) < 60


@pytest.mark.parametrize("text", PROSE, ids=["cannot_help", "apology", "whitespace"])
def test_prose_only(engine, text):
    err = _error(engine, text)
    assert err.doc == text
    _check_position(err)


def test_prose_message_is_fixed(engine):
    msgs = {_error(engine, t).msg for t in PROSE + [""]}
    assert len(msgs) == 1
    (msg,) = msgs
    assert msg and len(msg) < 60
    assert "cannot" not in msg  # the message does not quote the document


def test_prose_multi_line_position(engine):
    text = "Sorry,\n\n   I cannot help\nwith that request."
    err = _error(engine, text)
    _check_position(err)
    assert err.doc == text
    assert str(err).startswith(err.msg)
    assert "line %d column %d" % (err.lineno, err.colno) in str(err)


def test_prose_after_blank_lines_points_past_the_whitespace(engine):
    text = "\n\n  I cannot help with that."
    err = _error(engine, text)
    _check_position(err)
    assert err.pos >= 4  # not in the leading whitespace
    assert err.lineno == 3


def test_non_utf8_bytes(engine):
    err = _error(engine, b'{"a": "\xff"}')
    assert err.pos == 7
    assert err.lineno == 1 and err.colno == 8
    assert err.msg and len(err.msg) < 60


def test_non_utf8_bytes_on_a_later_line(engine):
    doc = b'{\n  "a": "ok",\n  "b": "\xc3\x28"\n}'
    err = _error(engine, doc)
    assert err.pos == doc.index(b"\xc3")
    assert err.lineno == 3
    assert err.colno == 9


def test_utf8_bytes_are_accepted(engine):
    assert engine.loads('{"a": "日本"'.encode("utf-8")) == {"a": "日本"}


@pytest.mark.parametrize("value", [None, 42, 1.5, bytearray(b"[1]"), ["[1]"],
                                   memoryview(b"[1]"), {"a": 1}],
                         ids=["None", "int", "float", "bytearray", "list", "memoryview",
                              "dict"])
def test_type_error(engine, value):
    with pytest.raises(TypeError):
        engine.repair(value)
    with pytest.raises(TypeError):
        engine.loads(value)
    with pytest.raises(TypeError):
        engine.repair_llm_output(value)


def test_module_functions_type_error():
    for fn in (repair.repair, repair.loads, repair.repair_llm_output):
        with pytest.raises(TypeError):
            fn(None)


def test_pickle_round_trip(engine):
    err = _error(engine, "Sorry,\nno JSON here.")
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(err, proto))
        assert type(back) is RepairError
        assert isinstance(back, ValueError)
        assert (back.msg, back.doc, back.pos, back.lineno, back.colno) == (
            err.msg, err.doc, err.pos, err.lineno, err.colno)
        assert str(back) == str(err)


def test_pickle_round_trip_constructed():
    err = RepairError("no JSON value found", "ab\ncd", 4)
    assert (err.lineno, err.colno) == (2, 2)
    back = pickle.loads(pickle.dumps(err))
    assert (back.msg, back.doc, back.pos, back.lineno, back.colno) == (
        "no JSON value found", "ab\ncd", 4, 2, 2)


def test_pickle_round_trip_bytes_doc(engine):
    err = _error(engine, b'[1, "\xfe"]')
    back = pickle.loads(pickle.dumps(err))
    assert (back.msg, back.doc, back.pos) == (err.msg, err.doc, err.pos)


# -- limits ---------------------------------------------------------------------------

def _result_or_repair_error(engine, text, **options):
    try:
        res = engine.repair(text, **options)
    except RepairError as err:
        _check_position(err)
        return err
    import orjson
    assert orjson.loads(res.text) == res.value
    return res


def test_million_open_brackets(engine):
    _result_or_repair_error(engine, "[" * 10**6)


def test_million_nested_brackets_closed(engine):
    _result_or_repair_error(engine, "[" * 10**6 + "]" * 10**6)


def test_hundred_thousand_open_members(engine):
    _result_or_repair_error(engine, '{"a":' * 10**5)


def test_hundred_thousand_open_braces(engine):
    _result_or_repair_error(engine, "{" * 10**5)


@pytest.mark.parametrize("text", ["[" * 20, "[" * 20 + "]" * 20, '{"a":' * 20 + "1"],
                         ids=["open", "closed", "members"])
def test_max_depth(engine, text):
    err = _error(engine, text, max_depth=10)
    assert "depth" in err.msg
    _check_position(err)


def test_max_depth_not_reached(engine):
    assert engine.loads("[" * 10, max_depth=10) == [[[[[[[[[[]]]]]]]]]]


def test_max_size(engine):
    text = '{"a": [1, 2, 3]}'
    err = _error(engine, text, max_size=10)
    _check_position(err)
    assert err.msg and len(err.msg) < 60
    err = _error(engine, text[:-1], max_size=10)
    _check_position(err)


def test_max_size_not_reached(engine):
    text = '{"a": [1, 2, 3]}'
    assert engine.loads(text, max_size=len(text)) == {"a": [1, 2, 3]}


@pytest.mark.parametrize("options", [{"policy": "most"}, {"preset": "lenient"},
                                     {"max_depth": 0}, {"max_size": -1}],
                         ids=["policy", "preset", "max_depth", "max_size"])
def test_bad_options_are_value_errors(engine, options):
    with pytest.raises(ValueError):
        engine.repair("[1]", **options)


def test_options_are_keyword_only(engine):
    with pytest.raises(TypeError):
        engine.repair("[1]", (), "first")


def test_strict_rejects_a_truncated_payload(engine):
    # the closers a repair would insert sit at the very end of the payload
    with pytest.raises(RepairError) as info:
        engine.repair('{"a": [1, 2', preset="strict")
    assert info.value.msg == "invalid JSON (strict preset)"
    assert info.value.pos == 11


@pytest.mark.parametrize("text, options", [
    ('<parameter=x>\ud800', {}),                 # native markup holding a lone surrogate
    ('\ud800', {"preset": "aggressive"}),         # bare text holding one
    ('["\ud800"]', {"preset": "strict"}),         # strict, no edit to blame
    ("1e1111", {"preset": "strict"}),
])
def test_unrepresentable_text_is_a_repair_error(engine, text, options):
    with pytest.raises(RepairError):
        engine.repair(text, ["a"], **options)
