"""Native tool-call markup in place of JSON arguments, and bare text for a single required
key (aggressive preset), on both cores."""
import orjson
import pytest
from hypothesis import given, strategies as st

from repair import RepairError

QWEN = "<tool_call>\n<function={fn}>\n{params}</function>\n</tool_call>"
GLM = "{fn}\n{args}"


@pytest.mark.parametrize("text, expected", [
    ("<parameter=pattern>**</parameter>", {"pattern": "**"}),
    ("<tool_call>\n<function=grep>\n<parameter=pattern>\nfoo bar\n</parameter>\n"
     "<parameter=limit>\n10\n</parameter>\n</function>\n</tool_call>",
     {"pattern": "foo bar", "limit": 10}),
    ("<parameter=body>\n{\"a\": [1, true, null]}\n</parameter>", {"body": {"a": [1, True, None]}}),
    ("<parameter=text>\n  two\n  lines  \n</parameter>", {"text": "  two\n  lines  "}),
    ("<parameter=not_json>{oops</parameter>", {"not_json": "{oops"}),
    ("<arg_key>filePath</arg_key><arg_value>/home/x</arg_value>", {"filePath": "/home/x"}),
    ("read<arg_key>path</arg_key>\n<arg_value>/tmp</arg_value>\n"
     "<arg_key>n</arg_key>\n<arg_value>3</arg_value>", {"path": "/tmp", "n": 3}),
    # cut off inside the last value: what was written is kept
    ("<parameter=a>1</parameter><parameter=code>print(1)\nx = ", {"a": 1, "code": "print(1)\nx = "}),
])
def test_native_markup_becomes_json(engine, text, expected):
    res = engine.repair(text)
    assert res.value == expected
    assert orjson.loads(res.text) == expected
    assert [e.kind for e in res.edits] == ["native_tool"]
    assert res.changed


@pytest.mark.parametrize("text", [
    "Use <parameter=x>y</parameter> now",
    "Call it like <arg_key>k</arg_key><arg_value>v</arg_value> and then {\"a\": 1}",
])
def test_markup_inside_prose_is_not_taken(engine, text):
    try:
        value = engine.loads(text)
    except RepairError:
        return
    assert value == {"a": 1}


def test_native_keys_follow_required_spelling(engine):
    res = engine.repair("<arg_key>filepath</arg_key><arg_value>/x</arg_value>", ["filePath"])
    assert res.value == {"filePath": "/x"}
    assert res.missing_keys == ()


def test_native_markup_is_an_error_in_strict(engine):
    with pytest.raises(RepairError, match="strict") as info:
        engine.repair("  <parameter=a>b</parameter>", preset="strict")
    assert info.value.pos == 2


def test_native_policy_all(engine):
    assert engine.loads("<parameter=a>b</parameter>", policy="all") == [{"a": "b"}]


_names = st.from_regex(r"[a-z_][a-z0-9_]{0,11}", fullmatch=True)
_strings = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="<"),
                   min_size=1).filter(lambda s: s == s.strip() and not s[0] in "[{-0123456789"
                                      and s not in ("true", "false", "null"))


@given(st.dictionaries(_names, _strings, min_size=1, max_size=5), st.booleans())
def test_native_formats_property(engines, args, qwen):
    if qwen:
        params = "".join("<parameter=%s>\n%s\n</parameter>\n" % kv for kv in args.items())
        text = QWEN.format(fn="do_it", params=params)
    else:
        text = GLM.format(fn="do_it", args="\n".join(
            "<arg_key>%s</arg_key>\n<arg_value>%s</arg_value>" % kv for kv in args.items()))
    for engine in engines.values():
        assert engine.loads(text) == args


CODE = "import pandas as pd\n\n# Read the CSV file\ndf = pd.read_csv('t.csv')\ndf.head(10)"


def test_bare_text_is_the_single_keys_value_in_aggressive(engine):
    res = engine.repair("\n" + CODE + "\n", ["code"], preset="aggressive")
    assert res.value == {"code": CODE}
    assert [e.kind for e in res.edits] == ["bare_text"]
    fenced = "```python\n" + CODE + "\n```"
    assert engine.loads(fenced, ["code"], preset="aggressive") == {"code": CODE}


@pytest.mark.parametrize("keys, preset", [
    (["code"], "safe"),             # only the aggressive preset wraps text
    (["code", "lang"], "aggressive"),  # which key would it be?
    ([], "aggressive"),
])
def test_bare_text_otherwise_is_an_error(engine, keys, preset):
    with pytest.raises(RepairError, match="no JSON value found"):
        engine.repair(CODE, keys, preset=preset)


def test_bare_text_never_hides_json(engine):
    # text that holds a JSON value is repaired as JSON, not wrapped
    assert engine.loads("Here: {'code': 'x = 1'}", ["code"], preset="aggressive") == {"code": "x = 1"}
