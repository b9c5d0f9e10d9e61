"""Property tests (hypothesis), each run on both cores through the session-scoped
``engine`` fixture (ids ``cython`` / ``python``; see conftest).

Valid JSON passes through byte-identical; prefixes of valid JSON repair to valid JSON that
keeps every complete member; dropped/doubled closers, single quotes and key case are
undone exactly; any text gives valid JSON or RepairError; repair is idempotent; and the two
twins agree (differential).
"""
import json

import orjson
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from repair import RepairError

SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- strategies -----------------------------------------------------------------------

TRICKY_CHARS = list('"\\\'/`\n\r\t\x00\x1f\x7f{}[],:#*\u2028\u201c\u201d\uff1a\uff0c'
                    '\u00e9\u65e5\U0001f600')

# JSON text is UTF-8 (RFC 8259): a lone surrogate cannot travel in it, and orjson, which
# verifies every result, rejects it; values with one are not JSON values.
json_text = st.text(st.one_of(st.sampled_from(TRICKY_CHARS),
                              st.characters(blacklist_categories=("Cs",))), max_size=12)
json_ints = st.integers(min_value=-(2 ** 63), max_value=2 ** 63 - 1)
json_floats = st.floats(allow_nan=False, allow_infinity=False)
json_scalars = st.one_of(st.none(), st.booleans(), json_ints, json_floats, json_text)


def json_values(scalars=json_scalars, keys=json_text, max_leaves=12):
    return st.recursive(
        scalars,
        lambda children: st.one_of(st.lists(children, max_size=4),
                                   st.dictionaries(keys, children, max_size=4)),
        max_leaves=max_leaves)


json_containers = st.one_of(st.lists(json_values(), max_size=4),
                            st.dictionaries(json_text, json_values(), max_size=4))
nonempty_containers = st.one_of(st.lists(json_values(), min_size=1, max_size=4),
                                st.dictionaries(json_text, json_values(), min_size=1,
                                                max_size=4))

SEPARATORS = [(",", ":"), (", ", ": "), (" , ", " : "), (",\n", ":\t"), (",", ": ")]


@st.composite
def dumps_options(draw):
    return {
        "ensure_ascii": draw(st.booleans()),
        "indent": draw(st.sampled_from([None, None, 0, 1, 2, "\t"])),
        "separators": draw(st.sampled_from(SEPARATORS)),
    }


@st.composite
def serialized(draw, values=json_values()):
    """(value, its JSON text) with random whitespace and escaping."""
    value = draw(values)
    text = json.dumps(value, **draw(dumps_options()))
    text = draw(st.sampled_from(["", " ", "\n", "\t\r\n"])) + text
    text += draw(st.sampled_from(["", " ", "\n", " \n "]))
    return value, text


JSONISH_TOKENS = ['{', '}', '[', ']', ',', ':', '"', "'", 'true', '1', 'x', '\n', ' ',
                  'null', '-', '.', 'e', '\\', '/', '*', '#', '\u201c', '\u201d', '\uff1a',
                  '\uff0c', '...', '```json', '```', '<think>', '</think>', '[CONTENT]',
                  '[/CONTENT]', '"a"', "'b'", '\\"', 'NaN', '+', '0x', '(', ')', 'True',
                  'None', '"key": ', '\\n', '\\u12', '日本']

token_text = st.lists(st.sampled_from(JSONISH_TOKENS), max_size=30).map("".join)


@st.composite
def damaged_json(draw):
    """A serialized value with a few random cuts, insertions and deletions."""
    _, text = draw(serialized())
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["delete", "insert", "truncate"]))
        pos = draw(st.integers(0, len(text)))
        if op == "delete":
            text = text[:pos] + text[pos + 1:]
        elif op == "insert":
            text = text[:pos] + draw(st.sampled_from(JSONISH_TOKENS)) + text[pos:]
        else:
            text = text[:max(pos, 1)]
    return text


jsonish = st.one_of(token_text, damaged_json())


def repair_or_error(engine, text, **options):
    """The result, or ``None`` for a RepairError; any other exception fails the test.
    A result's text must parse with orjson to its value."""
    try:
        res = engine.repair(text, **options)
    except RepairError as err:
        assert 0 <= err.pos <= len(err.doc)
        return None
    assert orjson.loads(res.text) == res.value
    return res


# -- (a) valid JSON is returned byte-identical ------------------------------------------

@SETTINGS
@given(doc=serialized())
def test_valid_json_is_unchanged(engine, doc):
    value, text = doc
    assert engine.repair_llm_output(text) == text
    res = engine.repair(text)
    assert res.value == value
    assert res.changed is False and res.edits == ()


# -- (b) prefixes ---------------------------------------------------------------------

@st.composite
def serialized_object_with_offsets(draw):
    """A top-level object serialized member by member: (value, text, [(key, end)]) where
    ``end`` is the offset just past the member's value."""
    value = draw(st.dictionaries(json_text, json_values(max_leaves=6), max_size=5))
    ensure_ascii = draw(st.booleans())
    item_sep, key_sep = draw(st.sampled_from(SEPARATORS))
    text = "{" + draw(st.sampled_from(["", " ", "\n  "]))
    ends = []
    for i, (k, v) in enumerate(value.items()):
        if i:
            text += item_sep
        text += json.dumps(k, ensure_ascii=ensure_ascii) + key_sep
        text += json.dumps(v, ensure_ascii=ensure_ascii, separators=(item_sep, key_sep))
        ends.append((k, len(text)))
    text += draw(st.sampled_from(["", " ", "\n"])) + "}"
    return value, text, ends


@SETTINGS
@given(doc=serialized_object_with_offsets())
def test_object_prefixes_keep_complete_members(engine, doc):
    value, text, ends = doc
    for cut in range(1, len(text)):
        prefix = text[:cut]
        complete = {k: value[k] for k, end in ends if end <= cut}
        if not complete:
            repair_or_error(engine, prefix)
            continue
        res = repair_or_error(engine, prefix)
        assert res is not None, "RepairError on %r" % (prefix,)
        assert isinstance(res.value, dict), (prefix, res.text)
        for k, v in complete.items():
            assert k in res.value, (prefix, res.text, k)
            assert res.value[k] == v, (prefix, res.text, k)


@settings(SETTINGS, max_examples=max(10, settings().max_examples // 2))
@given(value=json_containers, opts=dumps_options())
def test_container_prefixes_give_valid_json(engine, value, opts):
    text = json.dumps(value, **opts)
    for cut in range(1, len(text)):
        repair_or_error(engine, text[:cut])


# -- (c) dropped or doubled final closer ------------------------------------------------

@pytest.mark.parametrize("text, value", [("[", []), ("{", {}), ("[\n  ", []),
                                         ("{\n  ", {})],
                         ids=["bracket", "brace", "bracket_ws", "brace_ws"])
def test_lone_opener(engine, text, value):
    assert engine.loads(text) == value


@SETTINGS
@given(value=nonempty_containers, opts=dumps_options())
def test_dropped_final_closer(engine, value, opts):
    text = json.dumps(value, **opts)
    assert engine.loads(text[:-1]) == value


@SETTINGS
@given(value=json_containers, opts=dumps_options())
def test_doubled_final_closer(engine, value, opts):
    text = json.dumps(value, **opts)
    assert engine.loads(text + text[-1]) == value


# -- (d) single quotes ------------------------------------------------------------------

QUOTE_LIKE = "\"'`\\\u2018\u2019\u201c\u201d\uff02\uff07"
plain_text = st.text(st.characters(blacklist_characters=QUOTE_LIKE,
                                   blacklist_categories=("Cs", "Cc")), max_size=12)


@SETTINGS
@given(value=json_values(scalars=st.one_of(st.none(), st.booleans(), json_ints,
                                           json_floats, plain_text),
                         keys=plain_text),
       opts=dumps_options())
def test_single_quotes(engine, value, opts):
    opts["ensure_ascii"] = False
    text = json.dumps(value, **opts)
    swapped = text.replace('"', "'")
    assert engine.loads(swapped) == value


# -- (e) key case ---------------------------------------------------------------------

letter_keys = st.from_regex(r"[A-Za-z]{1,8}( [A-Za-z]{1,8}){0,3}", fullmatch=True)
# values hold no object keys made of letters, so only top-level keys can match
plain_values = json_values(keys=st.text("0123456789", max_size=3), max_leaves=5)


@SETTINGS
@given(value=st.dictionaries(letter_keys, plain_values, min_size=1, max_size=5),
       opts=dumps_options())
def test_key_case_is_restored(engine, value, opts):
    assume(len({k.lower() for k in value}) == len(value))
    lowered = {k.lower(): v for k, v in value.items()}
    text = json.dumps(lowered, **opts)
    res = engine.repair(text, required_keys=list(value))
    assert res.value == value
    assert list(res.value) == list(value)
    # only the keys change: the text is the original's serialization
    assert res.text == json.dumps(value, **opts)
    assert res.missing_keys == ()
    assert {e.kind for e in res.edits} <= {"key_case"}


# -- (f) any text: valid JSON or RepairError --------------------------------------------

@SETTINGS
@given(text=st.text())
def test_arbitrary_text(engine, text):
    repair_or_error(engine, text)


@SETTINGS
@given(text=jsonish)
def test_jsonish_text(engine, text):
    repair_or_error(engine, text)


@SETTINGS
@given(data=st.binary(max_size=40))
def test_arbitrary_bytes(engine, data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        with pytest.raises(RepairError) as info:
            engine.repair(data)
        assert info.value.pos == exc.start
    else:
        a, b = repair_or_error(engine, data), repair_or_error(engine, text)
        assert (a and a.text) == (b and b.text)


# -- (g) idempotence --------------------------------------------------------------------

@SETTINGS
@given(text=jsonish)
def test_idempotent(engine, text):
    res = repair_or_error(engine, text)
    if res is not None:
        again = engine.repair(res.text)
        assert again.text == res.text
        assert again.value == res.value
        assert again.changed is False and again.edits == ()


@SETTINGS
@given(text=jsonish, keys=st.lists(st.sampled_from(["a", "A", "key", "Key", "b"]),
                                   max_size=3))
def test_idempotent_with_keys(engine, text, keys):
    res = repair_or_error(engine, text, required_keys=keys)
    if res is not None:
        again = engine.repair(res.text, required_keys=keys)
        assert again.text == res.text


# -- (h) differential: the compiled core and its pure twin agree ------------------------

def _outcome(engine, text, **options):
    try:
        res = engine.repair(text, **options)
    except RepairError as err:
        return ("error", err.msg, err.pos)
    return ("ok", res.text, res.edits, res.span, res.missing_keys, res.changed)


def _both(engines):
    if len(engines) < 2:
        pytest.skip("differential test needs both cores (compiled core not available)")
    return engines["cython"], engines["python"]


@SETTINGS
@given(text=jsonish, keys=st.lists(st.sampled_from(["a", "A b", "key", "[/CONTENT]"]),
                                   max_size=2))
def test_twins_agree_on_jsonish_text(engines, text, keys):
    c, py = _both(engines)
    assert _outcome(c, text, required_keys=keys) == _outcome(py, text, required_keys=keys)


@SETTINGS
@given(text=st.text())
def test_twins_agree_on_arbitrary_text(engines, text):
    c, py = _both(engines)
    assert _outcome(c, text) == _outcome(py, text)


@SETTINGS
@given(doc=serialized_object_with_offsets(), policy=st.sampled_from(
    ["best", "first", "last", "all"]))
def test_twins_agree_on_prefixes(engines, doc, policy):
    c, py = _both(engines)
    _, text, _ = doc
    for cut in range(1, len(text)):
        assert _outcome(c, text[:cut], policy=policy) == _outcome(py, text[:cut],
                                                                  policy=policy)
