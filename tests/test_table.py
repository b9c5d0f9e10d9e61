"""DESIGN §2, row by row: what the model wrote -> the value it meant.

Each case runs on both cores (the ``engine`` fixture). ``engine.loads`` must give the
value, and ``engine.repair_llm_output`` must give text that orjson parses to that value.
"""
import logging

import orjson
import pytest

from repair import Edit, RepairError, RepairResult

# (id, input, expected value, required_keys)
ROWS = [
    # missing closers
    ("missing_closers", '{"a": [1, 2', {"a": [1, 2]}, ()),
    # extra closers
    ("extra_closer_brace", '{"a": "b"}}', {"a": "b"}, ()),
    ("extra_closer_bracket", '{"a": "b"]}', {"a": "b"}, ()),
    # mismatched closer
    ("mismatched_closer", '{"a": [1, 2}, "b": 3}', {"a": [1, 2], "b": 3}, ()),
    # MetaGPT's three examples
    ("metagpt_1", '{"a":b"}}', {"a": "b"}, ()),
    ("metagpt_2", '{"a":b"]}', {"a": "b"}, ()),
    ("metagpt_3", '{"a":b"', {"a": "b"}, ()),
    # missing end / start quote
    ("missing_end_quote", '{"a": "hello}', {"a": "hello"}, ()),
    ("missing_start_quote", '{"a": hello"}', {"a": "hello"}, ()),
    # unquoted key / value
    ("unquoted_key", "{a: 1}", {"a": 1}, ()),
    ("unquoted_value", '{"a": hello world}', {"a": "hello world"}, ()),
    # single, smart, backtick quotes
    ("single_quotes", "{'a': 'b'}", {"a": "b"}, ()),
    ("smart_quotes", "{\u201ca\u201d: \u201cb\u201d}", {"a": "b"}, ()),
    ("backtick_quotes", "{`a`: `b`}", {"a": "b"}, ()),
    # full-width structure
    ("fullwidth", '{"a"\uff1a"b"\uff0c"c"\uff1a1}', {"a": "b", "c": 1}, ()),
    # commas
    ("comma_trailing", "[1, 2,]", [1, 2], ()),
    ("comma_leading", "[,1]", [1], ()),
    ("comma_doubled", "[1,,2]", [1, 2], ()),
    ("comma_missing_object", '{"a": 1 "b": 2}', {"a": 1, "b": 2}, ()),
    ("comma_missing_array", "[1 2]", [1, 2], ()),
    # missing colon / value
    ("missing_colon", '{"a" 1}', {"a": 1}, ()),
    ("missing_value", '{"a": , "b": 2}', {"a": None, "b": 2}, ()),
    # comments outside strings
    ("comment_line", '{"a": 1, // the first\n "b": 2}', {"a": 1, "b": 2}, ()),
    ("comment_block", '{"a": /* one */ 1}', {"a": 1}, ()),
    ("comment_hash", '{\n  "a": 1  # the first\n}', {"a": 1}, ()),
    ("comment_after_url_string", '{"url": "http://x.org/#top", // link\n "n": 1}',
     {"url": "http://x.org/#top", "n": 1}, ()),
    # wrappers
    ("prose_before", 'Here is the JSON you asked for: {"a": 1}', {"a": 1}, ()),
    ("prose_after", '{"a": 1}\nI hope this helps! Let me know.', {"a": 1}, ()),
    ("prose_around", 'Sure.\n\n{"a": 1}\n\nAnything else?', {"a": 1}, ()),
    ("fence_closed", 'Result:\n```json\n{"a": 1}\n```\nDone.', {"a": 1}, ()),
    ("fence_unclosed", '```json\n{"a": 1}\n', {"a": 1}, ()),
    ("fence_plain", '```\n[1, 2]\n```', [1, 2], ()),
    ("think_with_braces", '<think>I need { and [ in the answer}</think>\n{"a": 1}',
     {"a": 1}, ()),
    ("think_with_object", '<think>First try: {"a": 0}. No, it is 1.</think>\n{"a": 1}',
     {"a": 1}, ()),
    ("tool_call", '<tool_call>\n{"name": "f", "arguments": {"x": 1}}\n</tool_call>',
     {"name": "f", "arguments": {"x": 1}}, ()),
    ("python_start", '<|python_start|>{"name": "f", "parameters": {}}<|python_end|>',
     {"name": "f", "parameters": {}}, ()),
    ("tool_calls_token", '[TOOL_CALLS][{"name": "f", "arguments": {"x": 1}}]',
     [{"name": "f", "arguments": {"x": 1}}], ()),
    ("jsonp", 'cb({"a": 1});', {"a": 1}, ()),
    # MetaGPT tags
    ("content_tags", '[CONTENT]\n{"a": 1}\n[/CONTENT]', {"a": 1}, ()),
    ("content_tags_with_tag_key", '[CONTENT]\n{"a": 1}\n[/CONTENT]', {"a": 1},
     ("a", "[/CONTENT]")),
    ("content_tags_lowercase", '[content]\n{"a": 1}\n[/content]', {"a": 1}, ()),
    ("content_tags_missing_slash", '[CONTENT]\n{"a": 1}\n[CONTENT]', {"a": 1}, ()),
    ("content_tags_missing_end", '[CONTENT]\n{"a": 1}\n', {"a": 1}, ()),
    ("content_tags_duplicated_start", '[CONTENT]\n[CONTENT]\n{"a": 1}\n[/CONTENT]',
     {"a": 1}, ()),
    # truncation
    ("truncated_string", '{"a": "hel', {"a": "hel"}, ()),
    ("truncated_number", '{"a": 12.', {"a": 12}, ()),
    ("truncated_literal", '{"a": tr', {"a": True}, ()),
    ("truncated_after_colon", '{"a": 1, "b":', {"a": 1, "b": None}, ()),
    ("truncated_key", '{"a": 1, "b', {"a": 1}, ()),
    ("truncated_escape", '"x\\', "x", ()),
    ("truncated_unicode_escape", '"x\\u12', "x", ()),
    # non-JSON literals
    ("literal_True", '{"a": True}', {"a": True}, ()),
    ("literal_False", '{"a": False}', {"a": False}, ()),
    ("literal_None", '{"a": None}', {"a": None}, ()),
    ("literal_undefined", '{"a": undefined}', {"a": None}, ()),
    ("literal_NaN", '{"a": NaN}', {"a": None}, ()),
    ("literal_Infinity", '{"a": Infinity}', {"a": None}, ()),
    ("literal_python_list", "[True, False, None]", [True, False, None], ()),
    ("number_hex", '{"a": 0xFF}', {"a": 255}, ()),
    ("number_leading_dot", '{"a": .5}', {"a": 0.5}, ()),
    ("number_plus", '{"a": +1}', {"a": 1}, ()),
    ("number_trailing_dot", '{"a": 5.}', {"a": 5}, ()),
    ("number_leading_zeros", '{"a": 007}', {"a": 7}, ()),
    ("tuple", '{"a": (1, 2)}', {"a": [1, 2]}, ()),
    ("number_long", '{"a": NumberLong("2")}', {"a": 2}, ()),
    # strings
    ("inner_quotes", '{"a": "He said "hi" to me"}', {"a": 'He said "hi" to me'}, ()),
    ("raw_newline", '{"a": "line one\nline two"}', {"a": "line one\nline two"}, ()),
    ("raw_control_chars", '{"a": "tab\there\x01"}', {"a": "tab\there\x01"}, ()),
    ("concat", '{"a": "a" + "b"}', {"a": "ab"}, ()),
    # backslashes
    ("invalid_escape_regex", '{"re": "\\d+"}', {"re": r"\d+"}, ()),
    ("invalid_escape_path", '{"path": "C:\\Users"}', {"path": r"C:\Users"}, ()),
    # LaTeX
    ("latex", '"\\frac{a}{b} + \\(x\\)"', r"\frac{a}{b} + \(x\)", ()),
    ("latex_in_object", '{"f": "\\frac{a}{b} + \\(x\\)"}', {"f": r"\frac{a}{b} + \(x\)"}, ()),
    # ellipsis
    ("ellipsis_array", "[1, 2, ...]", [1, 2], ()),
    ("ellipsis_object", '{"a": 1, ...}', {"a": 1}, ()),
    # doubled / restarted structure
    ("doubled_braces", '{{"a": 1}}', {"a": 1}, ()),
    ("doubled_key", '{"k": "k": "v"}', {"k": "v"}, ()),
    ("restarted_object", '[{"a": 1, {"b": 2}]', [{"a": 1}, {"b": 2}], ()),
    # the closing fence ends a payload that is still open
    ("fence_closes_open_payload", "```json\n{'a': 'x', 'b': ['y', 'z'\n```",
     {"a": "x", "b": ["y", "z"]}, ()),
    ("fence_after_trailing_comma", '```json\n{"a": "x",\n```\nHope this helps.', {"a": "x"}, ()),
    ("fence_ends_unclosed_string", '```json\n{"a": "x\n```', {"a": "x"}, ()),
    ("code_block_inside_fenced_string", '```json\n{"a": "code:\n```py\nx\n```\nmore", "b": 1}\n```',
     {"a": "code:\n```py\nx\n```\nmore", "b": 1}, ()),
    # numbers beyond a double become null, like Infinity; valid spellings stay
    ("number_beyond_double", '{"a": 1e400, "b": [-1e999]}', {"a": None, "b": [None]}, ()),
    ("number_spelling_kept", 'Here: {"a": 2E2, "b": 1e-400}', {"a": 200.0, "b": 0.0}, ()),
    ("number_in_brackets_is_an_array", "[1e5,]", [100000.0], ()),
    # stray quote-comma runs between members (OCR-style stutter)
    ("stutter", '{"a":"1",","b":"2","",","c":"3"}', {"a": "1", "b": "2", "c": "3"}, ()),
    ("stutter_not_inner_quotes", '{"a": "say "," ok", "b": 1}', {"a": 'say "," ok', "b": 1}, ()),
    # a row of an array of rows lost its `[`
    ("row_missing_opener", '{"rows": [["a", 1], "b", 2], ["c", 3]]}',
     {"rows": [["a", 1], ["b", 2], ["c", 3]]}, ()),
    ("row_missing_opener_unclosed", '{"rows": [[1, 2], 3, 4], [5, 6]}',
     {"rows": [[1, 2], [3, 4], [5, 6]]}, ()),
    # stringified JSON
    ("stringified", '{\\"a\\": \\"b\\"}', {"a": "b"}, ()),
    # key case
    ("key_case_lower", '{"required python packages": ["flask"]}',
     {"Required Python packages": ["flask"]}, ("Required Python packages",)),
    ("key_case_snake", '{"required_python_packages": ["flask"]}',
     {"Required Python packages": ["flask"]}, ("Required Python packages",)),
]


def test_concat_top_level(engine):
    assert engine.loads('"a" + "b"') == "ab"
    assert engine.loads('"a" + \'b\' + "c"') == "abc"


@pytest.mark.parametrize("text, expected, keys", [r[1:] for r in ROWS],
                         ids=[r[0] for r in ROWS])
def test_row(engine, text, expected, keys):
    assert engine.loads(text, required_keys=keys) == expected
    out = engine.repair_llm_output(text, required_keys=keys)
    assert orjson.loads(out) == expected


@pytest.mark.parametrize("text, expected, keys", [r[1:] for r in ROWS],
                         ids=[r[0] for r in ROWS])
def test_row_result_is_consistent(engine, text, expected, keys):
    res = engine.repair(text, required_keys=keys)
    assert isinstance(res, RepairResult)
    assert orjson.loads(res.text) == res.value
    assert res.changed is True
    start, end = res.span
    assert 0 <= start < end <= len(text)
    for e in res.edits:
        assert isinstance(e, Edit)
        assert 0 <= e.pos <= len(text)
        # what an edit says it removed is in the input at that position
        assert text[e.pos:e.pos + len(e.removed)] == e.removed, e


def test_bytes_input(engine):
    assert engine.loads('{"a": "é", "b": [1'.encode()) == {"a": "é", "b": [1]}


# -- nothing to repair ----------------------------------------------------------------

VALID = [
    '{"a": 1}',
    '  {\n\t"a" :  [1,2 ,3]  ,"b":{}}\n\n',
    '{"k\\u00e9y": "\u65e5\u672c\u8a9e \U0001f600", "e": "\\n\\t\\"q\\"\\\\ \\/ \\ud83d\\ude00"}',
    "[]",
    "{}",
    '"just a string"',
    "0",
    "-1.5e+10",
    "null",
    "true",
    '{"nested": {"deep": [{"x": [[]]}, 1.0, -0, 1E2]}}',
    '{"a": 1, "a": 2}',
    '{"url": "http://x.org/#top", "c": "/* not a comment */", "d": "// nor this"}',
    '{"q": "He said \\"hi\\"", "t": "True", "n": "NaN"}',
    '[\r\n  1,\r\n  2\r\n]',
]


@pytest.mark.parametrize("text", VALID, ids=["valid_%d" % i for i in range(len(VALID))])
def test_valid_json_is_returned_unchanged(engine, text):
    assert engine.repair_llm_output(text) == text
    res = engine.repair(text)
    assert res.text == text
    assert res.value == orjson.loads(text)
    assert res.changed is False
    assert res.edits == ()
    assert res.missing_keys == ()


@pytest.mark.parametrize("text", VALID, ids=["valid_%d" % i for i in range(len(VALID))])
def test_valid_json_bytes_are_returned_unchanged(engine, text):
    assert engine.repair_llm_output(text.encode()) == text


def test_valid_json_with_required_keys_present_is_unchanged(engine):
    text = '{"Name": "x",  "Age": 3}'
    res = engine.repair(text, required_keys=["Name", "Age"])
    assert res.text == text
    assert res.changed is False
    assert res.missing_keys == ()


# -- edits ----------------------------------------------------------------------------

def test_extra_comma_edit(engine):
    res = engine.repair("[1, 2,]")
    assert res.text == "[1, 2]"
    assert Edit("extra_comma", 5, ",", "") in res.edits
    assert [e.kind for e in res.edits] == ["extra_comma"]


def test_missing_closer_edits(engine):
    res = engine.repair('{"a": [1, 2')
    assert res.text == '{"a": [1, 2]}'
    assert {e.kind for e in res.edits} == {"missing_closer"}
    assert "".join(e.inserted for e in res.edits) == "]}"
    assert all(e.pos == 11 and e.removed == "" for e in res.edits)


def test_extra_closer_edit(engine):
    res = engine.repair('{"a": "b"}}')
    assert res.text == '{"a": "b"}'
    assert res.edits == (Edit("extra_closer", 10, "}", ""),)


def test_mismatched_closer_edit(engine):
    res = engine.repair('{"a": [1, 2}, "b": 3}')
    assert res.text == '{"a": [1, 2], "b": 3}'
    assert res.edits == (Edit("mismatched_closer", 11, "}", "]"),)


def test_missing_comma_edit(engine):
    res = engine.repair("[1 2]")
    assert orjson.loads(res.text) == [1, 2]
    assert [e.kind for e in res.edits] == ["missing_comma"]
    assert res.edits[0].inserted.strip() == ","


KIND_CASES = [
    ("{a: 1}", "unquoted_key"),
    ('{"a": hello world}', "unquoted_value"),
    ("{'a': 'b'}", "quote_style"),
    ('{"a"\uff1a"b"}', "fullwidth"),
    ('{"a" 1}', "missing_colon"),
    ('{"a": , "b": 2}', "missing_value"),
    ('{"a": 1 /* c */}', "comment"),
    ('{"a": True}', "literal"),
    ('{"a": 0xFF}', "number"),
    ('{"a": "\\d"}', "escape"),
    ('{"a": "x\ny"}', "control_char"),
    ('{"a": "He said "hi" to me"}', "inner_quote"),
    ('{"a": "a" + "b"}', "concat"),
    ("[1, 2, ...]", "ellipsis"),
    ('{{"a": 1}}', "doubled"),
    ('{"a": tr', "truncated"),
    ('{\\"a\\": \\"b\\"}', "stringified"),
    ('{"f": "\\frac{a}{b} + \\(x\\)"}', "latex"),
    ('{"a": (1, 2)}', "wrapper_call"),
    ('{"a": "hello}', "missing_quote"),
    ('{"a": "b"}}', "extra_closer"),
    ('{"a": [1, 2}, "b": 3}', "mismatched_closer"),
    ("[1,,2]", "extra_comma"),
    ("[1 2]", "missing_comma"),
    ('{"a": [1', "missing_closer"),
]


@pytest.mark.parametrize("text, kind", KIND_CASES, ids=[k for _, k in KIND_CASES])
def test_edit_kind(engine, text, kind):
    kinds = [e.kind for e in engine.repair(text).edits]
    assert kind in kinds, kinds


def test_key_case_edit(engine):
    text = '{"full name": "Ann"}'
    res = engine.repair(text, required_keys=["Full Name"])
    assert res.text == '{"Full Name": "Ann"}'
    assert [e.kind for e in res.edits] == ["key_case"]
    (e,) = res.edits
    assert "full name" in e.removed and "Full Name" in e.inserted
    assert text[:e.pos] + e.inserted + text[e.pos + len(e.removed):] == res.text


# -- span -----------------------------------------------------------------------------

def test_span_points_at_the_payload(engine):
    text = 'Here is the JSON: {"a": 1} Thanks.'
    res = engine.repair(text)
    assert res.value == {"a": 1}
    assert res.span == (18, 26)
    assert text[res.span[0]:res.span[1]] == '{"a": 1}'
    assert res.text == '{"a": 1}'
    assert res.changed is True


def test_span_of_fenced_payload(engine):
    text = 'Sure:\n```json\n{"a": [1, 2]}\n```\n'
    res = engine.repair(text)
    assert text[res.span[0]:res.span[1]] == '{"a": [1, 2]}'
    assert res.text == '{"a": [1, 2]}'


def test_span_of_valid_json_is_whole_input(engine):
    text = '{"a": 1}'
    assert engine.repair(text).span == (0, len(text))


# -- required keys --------------------------------------------------------------------

def test_required_key_rename_at_depth(engine):
    text = ('{"people": [{"full name": "Ann"}, {"FULL_NAME": "Bob"}],'
            ' "meta": {"inner": {"full-name": "x", "other": 1}}}')
    res = engine.repair(text, required_keys=["Full Name"])
    assert res.value == {"people": [{"Full Name": "Ann"}, {"Full Name": "Bob"}],
                         "meta": {"inner": {"Full Name": "x", "other": 1}}}
    # only the keys change: the rest of the text is kept as written
    assert res.text == (text.replace('"full name"', '"Full Name"')
                        .replace('"FULL_NAME"', '"Full Name"')
                        .replace('"full-name"', '"Full Name"'))
    assert [e.kind for e in res.edits] == ["key_case"] * 3
    assert res.missing_keys == ()
    assert res.changed is True


def test_required_key_rename_with_other_repairs(engine):
    res = engine.repair("Output: {'original requirements': 'x', 'search_information': ",
                        required_keys=["Original Requirements", "Search Information"])
    assert res.value == {"Original Requirements": "x", "Search Information": None}


def test_required_keys_never_rename_values(engine):
    text = '{"a": "full name", "b": ["FULL_NAME"], "c": {"k": "full-name"}}'
    res = engine.repair(text, required_keys=["Full Name"])
    assert res.text == text
    assert res.value == orjson.loads(text)
    assert res.missing_keys == ("Full Name",)


def test_missing_keys_reported_not_invented(engine):
    res = engine.repair('{"a": 1, "x": 2', required_keys=["a", "b", "c"])
    assert res.value == {"a": 1, "x": 2}
    assert res.missing_keys == ("b", "c")


def test_missing_keys_on_valid_json(engine):
    res = engine.repair('{"a": 1}', required_keys=["b", "a"])
    assert res.missing_keys == ("b",)
    assert res.value == {"a": 1}


def test_tag_entries_are_not_keys(engine):
    res = engine.repair('[CONTENT]{"a": 1}[/CONTENT]', required_keys=["a", "[/CONTENT]"])
    assert res.value == {"a": 1}
    assert res.missing_keys == ()


def test_ambiguous_key_left_alone_and_reported(engine):
    text = '{"a_b": 1, "A B": 2}'
    res = engine.repair(text, required_keys=["A B"])
    assert res.text == text
    assert res.value == {"a_b": 1, "A B": 2}
    assert "key_ambiguous" in [e.kind for e in res.edits]
    assert res.missing_keys == ()


def test_ambiguous_key_in_repaired_text(engine):
    text = '{"a_b": 1, "A B": 2'
    res = engine.repair(text, required_keys=["A B"])
    assert res.value == {"a_b": 1, "A B": 2}
    assert res.text.startswith(text)
    assert "key_ambiguous" in [e.kind for e in res.edits]


# -- policies -------------------------------------------------------------------------

TWO = '{"a": 1} text {"b": 2, "c": 3}'


def test_policy_first(engine):
    res = engine.repair(TWO, policy="first")
    assert res.value == {"a": 1}
    assert TWO[res.span[0]:res.span[1]] == '{"a": 1}'


def test_policy_last(engine):
    res = engine.repair(TWO, policy="last")
    assert res.value == {"b": 2, "c": 3}
    assert TWO[res.span[0]:res.span[1]] == '{"b": 2, "c": 3}'


def test_policy_all(engine):
    res = engine.repair(TWO, policy="all")
    assert res.value == [{"a": 1}, {"b": 2, "c": 3}]
    assert orjson.loads(res.text) == [{"a": 1}, {"b": 2, "c": 3}]


def test_policy_best_without_keys_takes_the_first_complete(engine):
    assert engine.loads(TWO) == {"a": 1}
    assert engine.loads(TWO, policy="best") == {"a": 1}


def test_policy_best_prefers_more_required_keys(engine):
    assert engine.loads(TWO, required_keys=["b", "c"]) == {"b": 2, "c": 3}
    assert engine.loads(TWO, required_keys=["c"]) == {"b": 2, "c": 3}
    assert engine.loads(TWO, required_keys=["a"]) == {"a": 1}


def test_policy_best_prefers_complete_over_truncated(engine):
    assert engine.loads('{"a": 1} and then {"b": 2, "c": ') == {"a": 1}


# -- presets --------------------------------------------------------------------------

def test_strict_preset_refuses_repairs(engine):
    with pytest.raises(RepairError):
        engine.repair('{"a": 1,}', preset="strict")


def test_strict_preset_extracts_from_a_fence(engine):
    res = engine.repair('Here:\n```json\n{"a": 1}\n```\n', preset="strict")
    assert res.value == {"a": 1}
    assert res.text == '{"a": 1}'


def test_strict_preset_extracts_from_prose(engine):
    assert engine.loads('The answer is {"a": [1, 2]} as requested.', preset="strict") == {
        "a": [1, 2]}


def test_aggressive_preset_still_repairs(engine):
    assert engine.loads('{"a": [1, 2', preset="aggressive") == {"a": [1, 2]}


# -- logging --------------------------------------------------------------------------

def test_logging_one_line_per_edit(engine, caplog):
    with caplog.at_level(logging.INFO, logger="repair"):
        res = engine.repair("[1, 2,]")
    lines = [r.getMessage() for r in caplog.records if r.name == "repair"]
    assert len(lines) == len(res.edits) == 1
    assert lines[0].startswith("repair_extra_comma")


def test_logging_kinds_match_edits(engine, caplog):
    with caplog.at_level(logging.INFO, logger="repair"):
        res = engine.repair("{a: 'b',}")
    lines = [r.getMessage() for r in caplog.records if r.name == "repair"]
    assert [line.split()[0] for line in lines] == ["repair_" + e.kind for e in res.edits]


def test_no_log_for_valid_json(engine, caplog):
    with caplog.at_level(logging.INFO, logger="repair"):
        engine.repair('{"a": 1}')
    assert [r for r in caplog.records if r.name == "repair"] == []
