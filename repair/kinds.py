"""Edit kinds, shared by both twins of the core.

The core records an edit as ``(kind, pos, removed, inserted)`` with ``kind`` one of the
integers below; the API turns it into an :class:`repair.api.Edit` whose ``kind`` is the
name from :data:`NAMES`. Log lines start with ``repair_<name>``.
"""

MISSING_CLOSER = 0      # a container left open: closer inserted
EXTRA_CLOSER = 1        # a closer that closes nothing: removed
MISMATCHED_CLOSER = 2   # `}` written for `]` or the reverse: replaced
MISSING_QUOTE = 3       # a string's opening or closing quote inserted
QUOTE_STYLE = 4         # single, smart, backtick or triple quotes made `"`
UNQUOTED_KEY = 5        # a bare key quoted
UNQUOTED_VALUE = 6      # a bare word value quoted
FULLWIDTH = 7           # full-width `：，｛｝［］` made ASCII
EXTRA_COMMA = 8         # trailing, leading or doubled comma removed
MISSING_COMMA = 9       # comma inserted between two values
MISSING_COLON = 10      # colon inserted between key and value
MISSING_VALUE = 11      # `null` inserted for a member with no value
COMMENT = 12            # `//`, `/* */` or `#` comment removed
LITERAL = 13            # True/False/None/undefined/NaN/Infinity made JSON
NUMBER = 14             # 0xFF, .5, +1, 5., 007 made JSON numbers
ESCAPE = 15             # invalid backslash escape kept literally, or `\'` made `'`
CONTROL_CHAR = 16       # raw newline or control character in a string escaped
INNER_QUOTE = 17        # unescaped `"` inside a string escaped
CONCAT = 18             # "a" + "b" joined
ELLIPSIS = 19           # `...` placeholder removed
DOUBLED = 20            # doubled or restarted structure, echoed key removed
KEY_CASE = 21           # key renamed to the required spelling
KEY_AMBIGUOUS = 22      # a key matches a required key whose exact spelling is also present
TRUNCATED = 23          # a cut-off token completed or dropped
STRINGIFIED = 24        # escaped quotes of stringified JSON unescaped
IMPLICIT_OBJECT = 25    # braces inserted around bare `"key": value` members
LATEX = 26              # `\frac`-style LaTeX backslash kept literally
WRAPPER_CALL = 27       # `(1, 2)` tuple or `NumberLong("2")` call unwrapped
GARBAGE = 28            # stray text inside a container removed
NATIVE_TOOL = 29        # native tool-call markup (`<parameter=k>v</parameter>`) made JSON
BARE_TEXT = 30          # text with no JSON in it taken as the one required key's value
MISSING_OPENER = 31     # `[` inserted for a row of an array of rows that lost it

NAMES = (
    "missing_closer",
    "extra_closer",
    "mismatched_closer",
    "missing_quote",
    "quote_style",
    "unquoted_key",
    "unquoted_value",
    "fullwidth",
    "extra_comma",
    "missing_comma",
    "missing_colon",
    "missing_value",
    "comment",
    "literal",
    "number",
    "escape",
    "control_char",
    "inner_quote",
    "concat",
    "ellipsis",
    "doubled",
    "key_case",
    "key_ambiguous",
    "truncated",
    "stringified",
    "implicit_object",
    "latex",
    "wrapper_call",
    "garbage",
    "native_tool",
    "bare_text",
    "missing_opener",
)

#: Kinds that only report and change no text.
REPORT_ONLY = frozenset({KEY_AMBIGUOUS})
