"""Scanner rules that were known failures (strict xfails in test_damage, test_fuzz,
test_adversarial, test_limits), now plain cases on both cores (the ``engine`` fixture):
the minimal input, the value the model meant, and why the rule reads it so.

Every case also checks that the repaired text parses to the value and that repairing the
repaired text changes nothing (idempotence).
"""
import orjson
import pytest

# (id, input, expected value, required_keys)
CASES = [
    # a look-ahead that meets its bound keeps the text as written
    ("long_key_after_string", 'Here: {"a": "x", "%s": 1}' % ("k" * 254),
     {"a": "x", "k" * 254: 1}, ()),
    ("longer_key_after_string", 'Here: {"a": "x", "%s": 1}' % ("k" * 1000),
     {"a": "x", "k" * 1000: 1}, ()),
    # a closing smart quote before structure is content when a straight quote later on
    # the line closes the string at the end of its container
    ("smart_quote_comma_end", '{"a": True, "b": "\u201cq\u201d,"}',
     {"a": True, "b": "\u201cq\u201d,"}, ()),
    ("smart_quote_comma_hash", '{"a": "\u201cq\u201d, #", "b": 1,}',
     {"a": "\u201cq\u201d, #", "b": 1}, ()),
    ("smart_quote_comma_in_array", '["\u201cq\u201d,",]', ["\u201cq\u201d,"], ()),
    ("smart_quote_comma_url", '{"a": True, "b": "\u201cq\u201d, http://x"}',
     {"a": True, "b": "\u201cq\u201d, http://x"}, ()),
    ("smart_quote_comma_smart_quote", '["a \u201cq\u201d, \u201cr\u201d b",]',
     ["a \u201cq\u201d, \u201cr\u201d b"], ()),
    ("smart_quote_comma_cut", '["\u201cq\u201d, \u201cq\u201d"',
     ["\u201cq\u201d, \u201cq\u201d"], ()),
    ("smart_quote_comma_words_colon", '{"b": "q\u201d, a b: c",}',
     {"b": "q\u201d, a b: c"}, ()),
    ("smart_quote_closers", 'Here: ["\u201d}}a"]', ["\u201d}}a"], ()),
    ("smart_quote_closers_object", 'Here: {"a": "\u201d}}a"}', {"a": "\u201d}}a"}, ()),
    # ... and still closes the string where the next member starts
    ("smart_quote_closes_before_key", '{"a": "x\u201d, "b": "y"}', {"a": "x", "b": "y"}, ()),
    ("smart_quote_closes_before_bare_key", '{"a": "x\u201d, b: "y"}',
     {"a": "x", "b": "y"}, ()),
    # ... and where the payload's last closer stands before text on a later line
    ("smart_quote_closes_before_prose",
     '{"members": "NA\u201d}\n\nLet me know if you need anything else.',
     {"members": "NA"}, ()),
    ("smart_quote_closes_before_prose_array", '["a", "b\u201d]\nThat is all.', ["a", "b"], ()),
    ("smart_quote_closer_then_text_same_line", '{"a": "x\u201d} y"}', {"a": "x\u201d} y"}, ()),
    ("smart_quote_closes_before_string", '["\u201cx\u201d, "y"]', ["\u201cx", "y"], ()),
    ("smart_quote_comment", '{"members": "NA\u201d // define language\n}',
     {"members": "NA"}, ()),
    ("smart_quote_comment_in_string", '{"members": "NA\u201d // define language"\n}',
     {"members": "NA\u201d // define language"}, ()),
    # ... but the comment is text when the next line starts with the string's own
    # closing quote before the end of its container: the string holds a raw line break
    ("smart_quote_comment_raw_line_break",
     '{"name": {"name": 0, "arguments": "\u201cquoted\u201d // \n"}]',
     {"name": {"name": 0, "arguments": "\u201cquoted\u201d // \n"}}, ()),
    ("smart_quote_hash_raw_line_break", '{"a": "x\u201d # c\n  ", "b": 1}',
     {"a": "x\u201d # c\n  ", "b": 1}, ()),
    ("smart_quote_comment_raw_line_break_in_array", '["x\u201d /* c */\n"]',
     ["x\u201d /* c */\n"], ()),
    ("smart_quote_raw_line_break", '{"name": "the the the \u201cquoted\u201d \n"}',
     {"name": "the the the \u201cquoted\u201d \n"}, ()),
    ("smart_quote_raw_line_break_comma", '{"a": "x\u201d\n", "b": 1}',
     {"a": "x\u201d\n", "b": 1}, ()),
    # ... and a comment still when the next line starts a member or an item
    ("smart_quote_comment_next_key", '{"a": "NA\u201d // c\n  "b": 1}',
     {"a": "NA", "b": 1}, ()),
    ("smart_quote_comment_next_item", '["x\u201d // c\n  "y"]', ["x", "y"], ()),
    ("smart_quote_comment_next_empty_item", '["x\u201d // c\n  "",\n  "z"]',
     ["x", "", "z"], ()),
    ("smart_quote_line_end_next_key", '{"a": "x\u201d\n"b": 1}', {"a": "x", "b": 1}, ()),
    ("smart_quote_line_end_next_item", '["x\u201d\n  "y"]', ["x", "y"], ()),
    ("smart_quote_before_end_tag", '[CONTENT]\n{"members": "NA\u201d]\n[/CONTENT]',
     {"members": "NA"}, ("[/CONTENT]",)),
    # a key closed by `\u201d` before `: "`: the straight quote opens the value ...
    ("smart_key_quote_opens_value", '{"a\u201d: ":"}', {"a": ":"}, ()),
    ("smart_key_quote_opens_array_value", '{"a\u201d: [":"]}', {"a": [":"]}, ()),
    ("smart_key_quote_opens_object_value", '{"a\u201d: {":": 1}}', {"a": {":": 1}}, ()),
    # ... unless it closes the key before the rest of a member in strict JSON (`:`, a
    # string, number or literal, then `,` or `}`): the payload is valid as it stands
    ("smart_quote_in_valid_key_fenced",
     'Here it is:\n```json\n{"\\"\u201d\uff1a{":null}\n```\nDone.',
     {'"\u201d\uff1a{': None}, ()),
    ("smart_quote_in_valid_key_next_member", 'Here: {"a\u201d\uff1a{":1, "b": 2}',
     {"a\u201d\uff1a{": 1, "b": 2}, ()),
    ("smart_quote_in_valid_key_string_value", 'Here: {"a\u201d: [":"]"}',
     {"a\u201d: [": "]"}, ()),
    # ... also where a comma stands between `\u201d:` and the straight quote (else the
    # comma ends a member: `{"a\u201d: 0, ":": 1}`)
    ("smart_quote_in_valid_key_comma", 'x {"\u201c\u201d:,":1} y', {"\u201c\u201d:,": 1}, ()),
    ("smart_quote_key_comma_ends_member", '{"a\u201d: 0, ":": 1}', {"a": 0, ":": 1}, ()),
    # a bare key's backslash is a character of the key, unless it starts a `\uXXXX`
    # escape of a character that is not a surrogate; a control character is escaped
    ("bare_key_backslash", '{a\\b: 1}', {"a\\b": 1}, ()),
    ("bare_key_cut_unicode_escape", '{"a": 1, \\u12\uff1a2}', {"a": 1, "\\u12": 2}, ()),
    ("bare_key_surrogate_escape", '{\\ud800: 1}', {"\\ud800": 1}, ()),
    ("bare_key_unicode_escape", '{\\u0041b: 1}', {"Ab": 1}, ()),
    ("bare_key_tab", '{a\tb: 1}', {"a\tb": 1}, ()),
    # a fullwidth comma counts as a comma after a string, doubled or alone
    ("doubled_commas_fullwidth", '{"a": "x",\uff0c "b": 1}', {"a": "x", "b": 1}, ()),
    ("doubled_fullwidth_commas", '{"a": "x"\uff0c\uff0c "b": 1}', {"a": "x", "b": 1}, ()),
    ("smart_quote_fullwidth_comma", '{"id": "251115\u201d\uff0c "category": "P"}',
     {"id": "251115", "category": "P"}, ()),
    ("smart_quote_fullwidth_comma_in_text", '{"a": "\u4ed6\u8bf4\u201c\u597d\u201d\uff0c\u7136\u540e", "b": 1}',
     {"a": "\u4ed6\u8bf4\u201c\u597d\u201d\uff0c\u7136\u540e", "b": 1}, ()),
    # a straight quote that ends its line right after `\u201d,` closes the string
    ("smart_quote_comma_line_end", '[\n  "the \u201cq\u201d ,"\n  []\n]',
     ["the \u201cq\u201d ,", []], ()),
    ("smart_quote_fullwidth_comma_line_end", '{"a": "the \u201cq\u201d\uff0c"\n"b": 1}',
     {"a": "the \u201cq\u201d\uff0c", "b": 1}, ()),
    ("smart_quote_comment_text_line_end", '{\n  "name": [\n    "",\n    "\u201cquoted\u201d //"\n    ""\n  ]\n}',
     {"name": ["", "\u201cquoted\u201d //", ""]}, ()),
    ("smart_quote_comma_comment_line_end",
     '{\n  "name": [\n    "",\n    "\u201cquoted\u201d, // the the"\n    ""\n  ]\n}',
     {"name": ["", "\u201cquoted\u201d, // the the", ""]}, ()),
    ("smart_quote_comma_before_key_line_end", '{"a": "\u201cx", "b": "y\u201d\n}',
     {"a": "\u201cx", "b": "y"}, ()),
    # a lone backslash at the end where the next key would start is no member
    ("backslash_at_end_after_value", '{"a":1\\', {"a": 1}, ()),
    ("backslash_at_end_after_object", '{"a":{"x\u201d:}\\', {"a": {"x": None}}, ()),
    ("top_level_smart_quote_comma", '"\u201d,"', "\u201d,", ()),
    # a doubled `{` owes a `}`: the second brace after the object is dropped, not taken
    # for the closer of the container around it
    ("doubled_braces_missing_comma", '[{{}} ""]', [{}, ""], ()),
    ("doubled_braces_missing_comma_stray", '[{{"a": 1}} "x"}]', [{"a": 1}, "x"], ()),
    ("doubled_braces_missing_comma_line", '[{{}}\n1]', [{}, 1], ()),
    ("doubled_braces_nested", '[[{{}}, 2]]', [[{}, 2]], ()),
    ("doubled_braces_in_object", '{{"k": [{{}}], "m": 2}}', {"k": [{}], "m": 2}, ()),
    ("doubled_braces_twice", '[{{"k": {{}}}}, 2]', [{"k": {}}, 2], ()),
    ("restarted_object_nested", '{"x": {"a": 1, {"b": 2}}, "y": 1}',
     {"x": {"a": 1, "b": 2}, "y": 1}, ()),
    ("doubled_brace_closed_once", '{"k": {{"a": 1}, "m": 2}', {"k": {"a": 1}, "m": 2}, ()),
    # a key cut off at the end is dropped with the comma before it, an inserted one too
    ("cut_key_after_missing_comma", '{"a": 1 "b"', {"a": 1}, ()),
    ("cut_key_after_missing_comma_open", '{"a": 1 "b', {"a": 1}, ()),
    ("alternating_quotes", '{"a": "\'"\'}', {"a": "'"}, ()),
    # ... and no longer counts as the exact spelling of a required key
    ("cut_key_not_ambiguous", '{"A": 1, "a"', {"a": 1}, ("a",)),
    ("complete_key_ambiguous", '{"A": 1, "a": 2}', {"A": 1, "a": 2}, ("a",)),
    # after a space, a lone quote right before the closer ends the string
    ("inner_quote_then_space", '{"a": "x "y" "}', {"a": 'x "y" '}, ()),
    ("inner_quote_then_space_array", '["x "y" "]', ['x "y" '], ()),
    ("two_strings_missing_comma", '{"a": "x" "b": 1}', {"a": "x", "b": 1}, ()),
    # an ellipsis may stand first in an array
    ("leading_ellipsis", "[..., 1]", [1], ()),
    ("leading_ellipsis_char", "[\u2026, 1]", [1], ()),
    # stringified JSON may start with `[`
    ("stringified_array", '[\\"a\\"]', ["a"], ()),
    ("stringified_array_newlines", '[\\n  1\\n]', [1], ()),
    ("regex_in_brackets_is_prose", 'Use [\\d+] here: {"a": 1}', {"a": 1}, ()),
    # keys are matched to required keys with their escapes decoded, and renamed to the
    # required spelling JSON-escaped
    ("key_case_escaped", '{"CAF\\u00c9": 1}', {"caf\u00e9": 1}, ("caf\u00e9",)),
    ("key_case_escaped_quote", '{"A\\"B": 1}', {'a"b': 1}, ('a"b',)),
    ("key_escaped_already_exact", 'Here: {"caf\\u00e9": 1}', {"caf\u00e9": 1}, ("caf\u00e9",)),
    ("key_single_quoted_with_quote", "{'\"x': 1}", {'"x': 1}, ('"x',)),
    ("key_single_quoted_quote_only", "{'\"': None}", {'"': None}, ('"',)),
    # a comment or another quote after an inner quote: content when a quote later on the
    # line closes the string
    ("inner_quotes_hash", '{"a": "x "hi" # y"}', {"a": 'x "hi" # y'}, ()),
    ("inner_quotes_single_quoted_word", '{"a": "x "hi" \'y\' z"}', {"a": 'x "hi" \'y\' z'}, ()),
    ("comment_after_string", '{"a": "x" # note\n}', {"a": "x"}, ()),
    ("comment_with_quotes_after_string", '{"a": "x" # the "best" one\n, "b": 1}',
     {"a": "x", "b": 1}, ()),
    ("single_quoted_key_after_string", '{"a": "x" \'b\': 1}', {"a": "x", "b": 1}, ()),
    # a raw line break at the end of a string, then the next key without a comma
    ("raw_newline_then_key", '{"a": "x\n"\n"b": 1}', {"a": "x\n", "b": 1}, ()),
    ("raw_newlines_then_key", '{"a": "\n 500m \n"\n  "b": "y"\n}',
     {"a": "\n 500m \n", "b": "y"}, ()),
    # a wrong closer: missing closers, a typo or a stray closer, whichever the closers
    # that follow agree with
    ("mismatched_closer_in_array", '{"k": [{], 2]}', {"k": [{}, 2]}, ()),
    ("mismatched_closer_in_object", '{"k": {"k": [}, "m": 2}}', {"k": {"k": [], "m": 2}}, ()),
    ("mismatched_closer_arrays", '[[[}], 2]', [[[]], 2], ()),
    ("mismatched_closer_object_in_arrays", '[[{]], 2]', [[{}], 2], ()),
    ("mismatched_closer_design", '{"a": [1, 2}, "b": 3}', {"a": [1, 2], "b": 3}, ()),
    ("stray_closer_in_array", '[1, 2}]', [1, 2], ()),
    ("missing_closer_at_end", '{"a": [1, 2}', {"a": [1, 2]}, ()),
    ("stray_bracket_in_object", '{"a": "b"]}', {"a": "b"}, ()),
    ("mismatched_closer_then_missing_closer", '[{], ""', [{}, ""], ()),
    # a literal cut off at the end after a comma is the next item
    ("cut_literal_after_empty_string", '[0, "", f', [0, "", False], ()),
    ("smart_quote_line_end_missing_comma", '[\n  "\u201d\n  ""\n]', ["", ""], ()),
    ("smart_quote_comma_then_comment", '{"a": "the \u201cquoted\u201d," /* note */ }',
     {"a": "the \u201cquoted\u201d,"}, ()),
    ("inner_quotes_long_line", '{"a": "The factor "hi" \'x\' is ' + "y " * 200 + 'done."}',
     {"a": 'The factor "hi" \'x\' is ' + "y " * 200 + "done."}, ()),
    # a key closed by a smart quote, its value a string that starts with `:`
    ("smart_key_then_colon_string", '{"name\u201d: ":"}', {"name": ":"}, ()),
    ("smart_key_then_colon_string_in_array", '[{"name\u201d: [":"]}]', [{"name": [":"]}], ()),
    ("smart_key_colon_inside_key", '{"a\u201d:b": 1}', {"a\u201d:b": 1}, ()),
    # ... but a straight quote after a comma opens the next key (hypothesis, smart_quotes)
    ("smart_key_then_member_with_colon_key", '[{"name\u201d: 0, ":": []}]',
     [{"name": 0, ":": []}], ()),
    ("smart_key_then_member_with_colon_in_key", '[{"name\u201d: [], ":;": []}]',
     [{"name": [], ":;": []}], ()),
    # a string closed by its smart quote at the end of its line, the next line opening
    # with a straight quote: a missing comma
    ("smart_empty_string_line_end_missing_comma",
     '{\n  "a": \u201c\u201d\n  "b": \u201c\u201d\n}', {"a": "", "b": ""}, ()),
    ("smart_string_line_end_missing_comma",
     '[\u201cx\u201d\n  "y"]', ["x", "y"], ()),
    # a “-opened string closed by a straight quote before `, "key":`, though a `”,` comes
    # later on the line
    ("smart_open_straight_close_before_key",
     '{"t": \u201c", "a": "the \u201cquoted\u201d, the"}',
     {"t": "", "a": "the \u201cquoted\u201d, the"}, ()),
    # the input ends right after a complete `\uXXXX` escape: it stays (a high surrogate
    # whose low half is missing goes, as a cut escape does)
    ("complete_escape_at_end", '{"a": "x\\u0041', {"a": "xA"}, ()),
    ("complete_control_escape_at_end", '{"a": "\\u0007', {"a": "\u0007"}, ()),
    ("high_surrogate_at_end", '{"a": "x\\ud83d', {"a": "x"}, ()),
    ("cut_escape_at_end", '{"a": "x\\u004', {"a": "x"}, ()),
    ("pair_at_end", '{"a": "x\\ud83d\\ude00', {"a": "x\U0001f600"}, ()),
    # `“x"` then a closer, on a line longer than the look-ahead: the straight quote
    # closes the string
    ("smart_open_straight_close_long_line", '{"a": [\u201cx"], "b": ["' + "y " * 150 + '"]}',
     {"a": ["x"], "b": ["y " * 150]}, ()),
]


@pytest.mark.parametrize("text, expected, keys", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_rule(engine, text, expected, keys):
    res = engine.repair(text, required_keys=keys)
    assert res.value == expected, (res.text, res.edits)
    assert orjson.loads(res.text) == expected
    again = engine.repair(res.text, required_keys=keys)
    assert again.text == res.text
