"""Pure-Python twin of the compiled core ``repair/_core.pyx``.

This file is the readable specification of the scanner. The compiled core has the same
classes, methods and constants in the same order; a side-by-side diff reads as "added
types".

The scanner is a push-based state machine: ``feed(chunk)`` any number of times, then
``finish()``. It walks the text once with an explicit stack of open containers (no
recursion), skips the prose, fences, tags and ``<think>`` blocks around the payload, and
records *edits* ``(kind, pos, removed, inserted)`` against the input instead of writing
a copy of it: the repaired text of a candidate value is its span of the input with the
edits applied (see :func:`apply_edits`). Look-ahead is bounded by :data:`LOOKAHEAD`
characters, so every character is examined a bounded number of times.

Each finished top-level value is a *candidate* ``(start, end, edits, flags)``; choosing
among candidates is policy and lives in Python (``repair/api.py``).
"""
import json as _json
import re as _re

from .errors import RepairError
from .kinds import (
    COMMENT,
    CONCAT,
    CONTROL_CHAR,
    DOUBLED,
    ELLIPSIS,
    ESCAPE,
    EXTRA_CLOSER,
    EXTRA_COMMA,
    FULLWIDTH,
    GARBAGE,
    IMPLICIT_OBJECT,
    INNER_QUOTE,
    KEY_AMBIGUOUS,
    KEY_CASE,
    LATEX,
    LITERAL,
    MISMATCHED_CLOSER,
    MISSING_CLOSER,
    MISSING_COLON,
    MISSING_COMMA,
    MISSING_OPENER,
    MISSING_QUOTE,
    MISSING_VALUE,
    NUMBER,
    QUOTE_STYLE,
    STRINGIFIED,
    TRUNCATED,
    UNQUOTED_KEY,
    UNQUOTED_VALUE,
    WRAPPER_CALL,
)

# container types on the stack
OBJ = 0
ARR = 1
PAREN = 2          # `(1, 2)` tuple or `Name(value)` call

# states of the machine
PROSE = 0          # outside any value: text around the payload
KEY = 1            # in an object, before a key
COLON = 2          # in an object, after a key
VALUE = 3          # before a value
AFTER = 4          # after a value inside a container
STRING = 5         # inside a string
THINK = 6          # inside <think>...</think>
TOP_AFTER = 7      # right after a top-level value: stray closers are dropped

# candidate flags
TRUNCATED_END = 1  # containers were still open at the end of the input
CUT = 2            # the value was closed early because prose followed
IMPLICIT = 4       # braces were inserted around bare members
SCALAR = 8         # the payload is a bare string, number or literal

# rule switches (the API turns presets into these)
RULE_IMPLICIT_ANYWHERE = 1  # bare `"key": value` starts an object anywhere in prose

LOOKAHEAD = 256    # the furthest any decision looks past the current character
NEED = -1          # a look-ahead ran into the end of the buffer before the end of input
ROW_ENDED = -2     # st_run: the last element of the array was a row (an array)
LOW_WATER_NONE = 1 << 62   # low_water when nothing went in out of order

WS = " \t\n\r"
QUOTES = "\"'`\u201c\u201d\u2018\u2019"
STOPS = ",:[]{}()\"'`\u201c\u201d\u2018\u2019\uff1a\uff0c\uff3b\uff3d\uff5b\uff5d"
FULLWIDTH_MAP = {"\uff1a": ":", "\uff0c": ",", "\uff3b": "[", "\uff3d": "]", "\uff5b": "{", "\uff5d": "}"}
OTHER_SPACE = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u3000\ufeff"
LITERALS = {
    "true": "true", "false": "false", "null": "null",
    "True": "true", "False": "false", "None": "null",
    "TRUE": "true", "FALSE": "false", "NULL": "null",
    "undefined": "null", "nil": "null",
    "NaN": "null", "nan": "null", "Infinity": "null", "-Infinity": "null",
    "+Infinity": "null", "inf": "null", "-inf": "null",
}
LITERAL_PREFIXES = ("true", "false", "null", "True", "False", "None")
ESCAPES = "\"\\/bfnrtu"
CONTROL_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def is_ident(c):
    """A character of a bare key or word: letters, digits, `_`, `$`, `-`, `.`."""
    return c.isalnum() or c in "_$-.@/"


def fix_number(tok):
    """The JSON spelling of a number-like token, or None when it is not a number.

    Accepts what models write for numbers: `+1`, `.5`, `5.`, `007`, `0xFF`, `1_000`.
    """
    t = tok.replace("_", "") if "_" in tok else tok
    sign = ""
    if t and t[0] in "+-":
        sign = "-" if t[0] == "-" else ""
        t = t[1:]
    if not t:
        return None
    if t[:2] in ("0x", "0X"):
        h = t[2:]
        if h and all(ch in "0123456789abcdefABCDEF" for ch in h):
            return sign + str(int(h, 16))
        return None
    mant, e, exp = t, "", ""
    for k in range(len(t)):
        if t[k] in "eE":
            mant, e, exp = t[:k], t[k], t[k + 1:]
            break
    intpart, dot, frac = mant.partition(".")
    if not intpart and not frac:
        return None
    if not (intpart.isdigit() or not intpart) or not (frac.isdigit() or not frac):
        return None
    if not intpart.isascii() or not frac.isascii():
        return None
    if e:
        esign = exp[0] if exp and exp[0] in "+-" else ""
        edigits = exp[len(esign):]
        if not edigits:
            e = esign = ""      # `1e` / `1e-`: exponent cut off
        elif not (edigits.isdigit() and edigits.isascii()):
            return None
    intpart = intpart.lstrip("0") or "0"
    out = sign + intpart
    if frac:
        out += "." + frac
    if e:
        out += e + esign + edigits
    if (e and len(edigits) > 2) or len(intpart) > 300:
        f = float(out)
        if f == f * 2 and f != 0:
            return "null"       # beyond a double, like Infinity
    return out


def apply_edits(buf, start, end, edits):
    """The text of ``buf[start:end]`` with ``edits`` applied, built once.

    Edits are sorted by position (stably: edits at one position keep the order in which
    they were recorded); an edit that overlaps text an earlier edit removed is skipped.
    """
    out = []
    cur = start
    for kind, pos, removed, inserted in sorted(edits, key=edit_order):
        if pos < cur or pos > end:
            continue
        out.append(buf[cur:pos])
        out.append(inserted)
        cur = min(pos + len(removed), end)
    out.append(buf[cur:end])
    return "".join(out)


def render(buf, start, end, edits, text=True):
    """``apply_edits`` as UTF-8 bytes (a lone surrogate is passed through, for the JSON
    parser to reject), and whether the text differs from ``buf``: the span is not all of
    it, or an edit applied replaces text by other text. With ``text`` false, only the
    latter: ``(None, changed)``."""
    out = []
    cur = start
    changed = start != 0 or end != len(buf)
    for kind, pos, removed, inserted in sorted(edits, key=edit_order):
        if pos < cur or pos > end:
            continue
        if text:
            out.append(buf[cur:pos])
            out.append(inserted)
        if removed != inserted:
            changed = True
        cur = min(pos + len(removed), end)
    if not text:
        return None, changed
    out.append(buf[cur:end])
    return "".join(out).encode("utf-8", "surrogatepass"), changed


def edit_order(edit):
    # at one position, insertions go before removals: the removed text is gone anyway
    return (edit[1], edit[2] != "")


def order_edits(edits):
    """``edits`` sorted by :func:`edit_order` (stably)."""
    return sorted(edits, key=edit_order)


def applied_edits(edits, start, end):
    """The ordered ``edits`` without those :func:`apply_edits` skips (inside text an
    earlier edit removed), so that a report lists only what was applied. Edits past
    ``end`` that only remove (closers dropped after the payload) stay: they are reported,
    not applied; those past it that insert text (the scanner read on after the payload)
    describe nothing in the output and go. ``edits`` itself when every edit stays."""
    cur = start
    k = 0
    for k, e in enumerate(edits):
        pos = e[1]
        if pos < cur or (pos > end and e[3]):
            break
        if pos <= end:
            cur = min(pos + len(e[2]), end)
    else:
        return edits
    out = list(edits[:k])
    for e in edits[k:]:
        pos = e[1]
        if pos < cur or (pos > end and e[3]):
            continue
        out.append(e)
        if pos <= end:
            cur = min(pos + len(e[2]), end)
    return out


_JSON_STRING = _re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = _re.compile(r"[\[\]{}]")


def depth_exceeds(text, limit):
    """Is the *valid* JSON ``text`` nested deeper than ``limit`` containers?"""
    depth = 0
    for m in _BRACKETS.finditer(_JSON_STRING.sub("", text)):
        if m.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


_JSON_WS = " \t\n\r"
_JSON_ESCAPES = "\"\\/bfnrtu"
_HEX = "0123456789abcdefABCDEF"


def broken_json_prefix(text, limit):
    """Does the first ``limit`` characters of ``text`` already show that ``text`` is not
    one JSON value (RFC 8259)? ``False`` means "not known": the text may be JSON. The
    API asks before it hands a long text to orjson, which first encodes all of it."""
    n = len(text)
    lim = min(n, limit)
    stack = []          # "{" or "[" per open container
    want = "value"      # value, value_or_end, key, key_or_end, colon, after
    i = 0
    while True:
        while i < lim and text[i] in _JSON_WS:
            i += 1
        if i >= lim:
            # the end of the text: a complete value is JSON, anything else is not
            return lim == n and (want != "after" or bool(stack))
        c = text[i]
        if want == "after":
            if not stack:
                return True                 # text after the value
            if c == ",":
                want = "key" if stack[-1] == "{" else "value"
            elif c == ("}" if stack[-1] == "{" else "]"):
                stack.pop()
            else:
                return True
            i += 1
            continue
        if want == "colon":
            if c != ":":
                return True
            want = "value"
            i += 1
            continue
        if want in ("key", "key_or_end"):
            if c == "}" and want == "key_or_end":
                stack.pop()
                want = "after"
                i += 1
                continue
            if c != '"':
                return True
        elif want == "value_or_end" and c == "]":
            stack.pop()
            want = "after"
            i += 1
            continue
        # a value (or a key's string)
        if c == '"':
            i += 1
            while True:
                if i >= lim:
                    return lim == n
                c = text[i]
                if c == '"':
                    break
                if c < " ":
                    return True
                if c == "\\":
                    if i + 1 >= lim:
                        return lim == n
                    e = text[i + 1]
                    if e not in _JSON_ESCAPES:
                        return True
                    if e == "u":
                        for k in range(i + 2, i + 6):
                            if k >= lim:
                                return lim == n
                            if text[k] not in _HEX:
                                return True
                        i += 6
                        continue
                    i += 2
                    continue
                i += 1
            i += 1
            want = "colon" if want in ("key", "key_or_end") else "after"
        elif c == "{" or c == "[":
            if len(stack) >= 64:
                return False                # deep: left to orjson
            stack.append(c)
            want = "key_or_end" if c == "{" else "value_or_end"
            i += 1
        elif c == "-" or "0" <= c <= "9":
            j = i + 1 if c == "-" else i
            if j >= lim:
                return lim == n
            if text[j] == "0":
                j += 1
            elif "1" <= text[j] <= "9":
                while j < lim and "0" <= text[j] <= "9":
                    j += 1
            else:
                return True
            if j < lim and text[j] == ".":
                j += 1
                if j >= lim:
                    return lim == n
                if not "0" <= text[j] <= "9":
                    return True
                while j < lim and "0" <= text[j] <= "9":
                    j += 1
            if j < lim and text[j] in "eE":
                j += 1
                if j < lim and text[j] in "+-":
                    j += 1
                if j >= lim:
                    return lim == n
                if not "0" <= text[j] <= "9":
                    return True
                while j < lim and "0" <= text[j] <= "9":
                    j += 1
            if j >= lim and lim < n:
                return False                # the number may go on past the limit
            i = j
            want = "after"
        else:
            for word in ("true", "false", "null"):
                if text.startswith(word, i):
                    i += len(word)          # (past the limit: then "not known")
                    want = "after"
                    break
            else:
                return True


_NO_WANT = object()   # not looked up yet


def normalize_key(key):
    """Case-fold and treat runs of spaces, `_` and `-` alike: the key-map lookup form."""
    out = []
    gap = False
    for ch in key.casefold():
        if ch in " _-\t":
            gap = True
            continue
        if gap and out:
            out.append(" ")
        gap = False
        out.append(ch)
    return "".join(out)


def unescape_key(text):
    """A key as written between its quotes, with its JSON escapes decoded (`CAF\\u00c9`
    is `CAFÉ`); as written when they are not valid JSON."""
    try:
        return _json.loads('"' + text + '"')
    except ValueError:
        return text


class Scanner:
    """The push-based repair machine. ``feed()`` text, then ``finish()``.

    keymap     normalised key -> required spelling (see :func:`normalize_key`)
    max_depth  deepest nesting allowed before :class:`RepairError`
    rules      RULE_* switches
    """

    def __init__(self, keymap=None, max_depth=1000, rules=0):
        self.buf = ""
        self.pos = 0
        self.final = False
        self.state = PROSE
        self.keymap = keymap if keymap else None
        self.key_wants = {}    # key text -> its keymap entry (normalize_key is slow)
        self.max_depth = max_depth
        self.rules = rules
        # the stack of open containers, one entry per level in each list
        self.st_type = []
        self.st_open = []      # position of the opener (for a call: of its name)
        self.st_comma = []     # position of a comma waiting for the next member, or -1
        self.st_sep = []       # position of the comma before the current member, or -1
        self.st_count = []     # members so far
        self.st_keys = []      # keys seen in an object (only with a key map), else None
        self.st_run = []       # in an array of rows: start of the scalars after the last
                               # row, ROW_ENDED right after a row, else -1
        self.st_dbl = []       # doubled `{` of an open object (`{{`), each owing a `}`
        self.dbl_after = 0     # `}` owed right after the object that just closed
        self.paren_floor = -1   # opener of the outermost open `(` (its edits wait), or -1
        self.paren_depth = 0
        self.edits = []
        self.candidates = []
        self.cand_start = -1
        self.cand_flags = 0
        self.last_end = 0      # end of the last token of the current payload
        self.val_start = -1    # start of the last value
        self.val_str = False   # the last value was a string
        self.last_str_end = -1  # end of the last string value
        self.key_start = -1    # start of the current key token
        self.key_end = -1
        self.low_water = LOW_WATER_NONE  # lowest position where an edit went in or was
                                         # dropped since a stream last reset it
        self.implicit_ok = True  # a bare `"key":` may open an implicit object here
        self.fenced = False      # inside a ``` fence (opened in prose, not yet closed)
        # a bare token (_word()) or text (_bare_string()) the end of the input cut: where
        # it starts and how far its scan got, so that the next run goes on from there (a
        # long one fed in chunks is read once, not once per chunk)
        self.word_at = -1
        self.word_end = -1
        self.bare_at = -1
        self.bare_end = -1
        self.bare_paren = False
        self.cmt_at = -1         # ... and a comment (_comment()): where its end is sought
        self.cmt_from = -1
        # the string being scanned
        self.s_start = -1
        self.s_close = '"'
        self.s_key = False
        self.s_triple = False
        self.s_escaped = False   # delimited by `\"` (stringified JSON)
        self.s_bad_escape = False
        self.s_latex = []        # positions of `\f \b \t \n \r` + letter, maybe LaTeX
        self.s_fence = False     # a ```lang code block is open inside the string

    # -- input --------------------------------------------------------------------

    def feed(self, chunk):
        if not isinstance(chunk, str):
            raise TypeError("feed() takes str, not %s" % type(chunk).__name__)
        self._append(chunk)
        self._run()

    def _append(self, chunk):
        """Add ``chunk`` to the buffer, unread."""
        # with the only reference in a local, `+=` grows the str in place: amortised
        # linear over many small chunks
        buf = self.buf
        self.buf = None
        buf += chunk
        self.buf = buf

    def finish(self):
        """End of input: settle what is open and return the candidates."""
        self.final = True
        self._run()
        self._close_all(len(self.buf), TRUNCATED_END)
        return self.candidates

    def committed(self):
        """Streaming: the input position before which the current payload's repaired text
        is final (no later input can change an edit there), or -1 when no payload is open.

        Held back: a value the next token may still reinterpret (a string that may be an
        echoed key, be concatenated, or turn into a key of an object whose array lost its
        `]`; scalars after a row that may have lost its `[`), a pending comma, a key, and
        at the end of a string the spaces, commas and closers that may turn out to be
        structure, and LaTeX-looking escapes not yet decided.
        """
        if self.cand_start < 0 or self.state == PROSE or self.state == THINK or self.state == TOP_AFTER:
            return -1
        if not self.st_type:
            return self.cand_start          # a bare scalar payload: shown when complete
        st = self.state
        w = self.pos
        in_value_string = False
        if st == STRING:
            if self.s_key:
                w = self.s_start
            else:
                in_value_string = True
                buf = self.buf
                while w > self.s_start + 1 and buf[w - 1] in " \t\r\n,}]":
                    w -= 1
                if self.s_latex and self.s_latex[0] < w:
                    w = self.s_latex[0]
                # (content longer than the key's token is no prefix of the key)
                if (self.st_type[-1] == OBJ and self.pos - self.s_start - 1 <= self.key_end - self.key_start
                        and self._echo_prefix()):
                    w = self.s_start
        elif st == AFTER:
            w = self.last_end
            if self.val_str:
                w -= 1                      # the closing quote: `"a" + "b"` may follow
                if (self.st_type[-1] == OBJ and self.last_end - self.val_start - 2 <= self.key_end - self.key_start
                        and self._echo_prefix()):
                    w = self.val_start
        elif st == COLON:
            w = min(w, self.key_start)
            if self.st_sep[-1] >= 0 and self.st_sep[-1] < w:
                # a key with no value yet is dropped with the comma before it when the
                # payload ends (or a closing fence cuts it) there
                w = self.st_sep[-1]
        else:
            w = min(w, self.last_end)
        if self.st_comma[-1] >= 0 and self.st_comma[-1] < w:
            w = self.st_comma[-1]
        if self.st_type[-1] == ARR:
            if self.st_run[-1] >= 0 and self.st_run[-1] < w:
                w = self.st_run[-1]
            if self.st_sep[-1] < 0 and (self.st_count[-1] == 0 or (st == AFTER and self.val_str)):
                # `["k": 1]`: until its first comma the array may turn out an object
                w = min(w, self.st_open[-1])
            elif in_value_string or (st == AFTER and self.val_str):
                if len(self.st_type) >= 2 and self.st_type[-2] == OBJ:
                    # `{"a": [1, "b": 2}`: the string may be the next key
                    w = min(w, self.st_sep[-1])
        if self.paren_floor >= 0 and self.paren_floor < w:
            w = self.paren_floor
        return w if w > self.cand_start else self.cand_start

    def _echo_prefix(self):
        """Is the value string so far (or just closed) a prefix of its key, so that a
        `:` after it would make it an echoed key (`{"k": "k": "v"}`)?"""
        buf = self.buf
        s = self.key_start
        e = self.key_end
        if e - s >= 2 and buf[s] in QUOTES and buf[e - 1] in QUOTES:
            s += 1
            e -= 1
        if self.state == AFTER:
            start = self.val_start + 1
            end = self.last_end - 1
        else:
            start = self.s_start + 1
            end = self.pos
        return end - start <= e - s and buf.startswith(buf[start:end], s)

    # -- edits --------------------------------------------------------------------

    def _add(self, edit):
        """Record an edit, keeping the list sorted by position (edits at one position in
        the order they were recorded)."""
        edits = self.edits
        pos = edit[1]
        k = len(edits)
        while k > 0 and edits[k - 1][1] > pos:
            k -= 1
        if k == len(edits):
            edits.append(edit)
        else:
            edits.insert(k, edit)
        if pos < self.low_water:
            self.low_water = pos

    def _insert(self, kind, pos, text):
        self._add((kind, pos, "", text))

    def _delete(self, kind, start, end):
        self._drop_edits(start, end)
        self._add((kind, start, self.buf[start:end], ""))

    def _replace(self, kind, start, end, text):
        self._drop_edits(start, end)
        self._add((kind, start, self.buf[start:end], text))

    def _drop_edits(self, start, end):
        """Forget recorded edits that fall inside ``[start, end)`` (text about to go)."""
        edits = self.edits
        k = len(edits)
        while k > 0 and edits[k - 1][1] >= start:
            k -= 1
        if k == len(edits):
            return
        # an insertion at ``start`` stands before the removed text: it stays
        keep = [e for e in edits[k:] if e[1] >= end or (e[1] == start and not e[2])]
        del edits[k:]
        edits.extend(keep)
        if start < self.low_water:
            self.low_water = start

    # -- the loop -----------------------------------------------------------------

    def _run(self):
        n = len(self.buf)
        while self.pos < n:
            st = self.state
            if st == STRING:
                ok = self._string()
            elif st == PROSE:
                ok = self._prose()
            elif st == THINK:
                ok = self._think()
            elif st == TOP_AFTER:
                ok = self._top_after()
            else:
                ok = self._structure()
            if not ok:
                break

    # -- outside the payload ------------------------------------------------------

    def _prose(self):
        """Skip text until a value starts; tags, fences and `<think>` are skipped whole."""
        buf = self.buf
        n = len(buf)
        i = self.pos
        while i < n:
            c = buf[i]
            if c == "{" or c == "\uff5b":
                self._begin(i)
                return True
            if c == "[":
                r = self._bracket_kind(i)
                if r == NEED:
                    self.pos = i
                    return False
                if r > 0:            # a tag like [CONTENT] or [/CONTENT]: skip it
                    i = r
                    self.implicit_ok = True
                    continue
                if r == 0:
                    self._begin(i)
                    return True
                i += 1
                continue
            if c == "<":
                r = self._angle_tag(i)
                if r == NEED:
                    self.pos = i
                    return False
                if r == -2:           # <think>
                    self.pos = i + 7
                    self.state = THINK
                    return True
                if r > 0:
                    i = r
                    self.implicit_ok = True
                    continue
                i += 1
                continue
            if c == "`" and n - i < 3 and not self.final and buf[i:] == "`" * (n - i):
                self.pos = i         # maybe a fence
                return False
            if c == "`" and buf.startswith("```", i):
                j = i + 3
                while j < n and (buf[j].isalnum() or buf[j] in "_-+"):
                    j += 1
                if j >= n and not self.final:
                    self.pos = i     # the language tag may go on
                    return False
                i = j
                self.implicit_ok = True
                self.fenced = not self.fenced
                continue
            if c in WS:
                i += 1
                continue
            if c == "\\" and i + 1 >= n and not self.final:
                self.pos = i
                return False
            if c == "\\" and i + 1 < n and buf[i + 1] in "nrt":
                i += 2               # literal `\n` of an escaped log: still a line break
                continue
            if self.implicit_ok or (self.rules & RULE_IMPLICIT_ANYWHERE):
                r = self._start_of_text_value(i)
                if r == NEED:
                    self.pos = i
                    return False
                if r == 1:
                    return True
            self.implicit_ok = False
            i += 1
        self.pos = i
        return True

    def _start_of_text_value(self, i):
        """At the start of the text or after a tag: a bare member or scalar payload."""
        buf = self.buf
        c = buf[i]
        if c in QUOTES:
            r = self._key_colon_ahead(i)
            if r == NEED:
                return NEED
            if r == 1:
                self._begin_implicit(i)
                return 1
            if i == self._first_sig():
                self._begin_scalar(i)
                return 1
            return 0
        n = len(buf)
        if i == self._first_sig() and self._literal_start(i) == NEED:
            return NEED             # `nu` may become `null`
        if i == self._first_sig() and (c.isdigit() or c in "-+." or buf.startswith(LITERAL_PREFIXES, i)):
            e = i
            while e < n and buf[e] not in WS and buf[e] not in STOPS:
                e += 1
            if e == n and not self.final:
                return NEED
            tok = buf[i:e]
            if tok in LITERALS or fix_number(tok) is not None or (e == n and self._literal_prefix(tok)):
                self._begin_scalar(i)
                return 1
        return 0

    def _first_sig(self):
        """Position of the first character of the text that is not white space."""
        buf = self.buf
        i = 0
        n = len(buf)
        while i < n and (buf[i] in WS or buf[i] in OTHER_SPACE):
            i += 1
        return i

    def _bracket_kind(self, i):
        """At `[` in prose: end of a `[TAG]`/`[/TAG]` (>0), an array start (0), or text (-3)."""
        buf = self.buf
        n = len(buf)
        j = i + 1
        lim = min(n, i + 40)
        if j < lim and buf[j] == "/":
            j += 1
        k = j
        while k < lim and (buf[k].isalnum() or buf[k] == "_"):
            k += 1
        if k < lim and buf[k] == "]" and k > j and buf[j:k] not in LITERALS and fix_number(buf[j:k]) is None:
            return k + 1
        if k >= n and not self.final:
            return NEED
        m = i + 1
        while m < n and (buf[m] in WS or (buf[m] == "\\" and m + 1 < n and buf[m + 1] in "nrt")):
            m += 2 if buf[m] == "\\" else 1       # a literal `\n` of stringified JSON too
        if m >= n:
            return NEED if not self.final else 0
        d = buf[m]
        if d == "\\":
            # stringified JSON: `[\"a\"]`
            if m + 1 >= n:
                return NEED if not self.final else -3
            return 0 if buf[m + 1] == '"' else -3
        if d == "." and n - m < 3 and not self.final and buf[m:] == "." * (n - m):
            return NEED             # `[..` may become `[...`: an ellipsis, then items
        if d in "{[],\"'-\u201c\u2026" or d.isdigit() or d == "#" or buf.startswith("...", m):
            return 0
        if d == "/":
            if m + 1 >= n:
                return NEED if not self.final else -3
            return 0 if buf[m + 1] in "/*" else -3   # `[ // note` opens an array
        r = self._literal_start(m)
        return -3 if r == 0 else (0 if r == 1 else NEED)

    def _angle_tag(self, i):
        """At `<` in prose: -2 for `<think>`, the end of another tag (>0), or text (-3)."""
        buf = self.buf
        n = len(buf)
        if buf.startswith("<think>", i):
            return -2
        if n - i < 7 and not self.final and "<think>".startswith(buf[i:]):
            return NEED
        j = i + 1
        lim = min(n, i + LOOKAHEAD)
        while j < lim and buf[j] not in "<>{}\n":
            j += 1
        if j < lim and buf[j] == ">":
            return j + 1
        if j >= n and not self.final:
            return NEED
        return -3

    def _think(self):
        buf = self.buf
        k = buf.find("</think>", self.pos)
        if k < 0:
            if not self.final:
                self.pos = max(self.pos, len(buf) - 8)
                return False
            # never closed: what followed `<think>` is read as ordinary text
            self.state = PROSE
            return True
        self.pos = k + 8
        self.state = PROSE
        self.implicit_ok = True
        return True

    def _top_after(self):
        """After a top-level value: drop stray closers, then back to prose."""
        buf = self.buf
        n = len(buf)
        i = self.pos
        while i < n and buf[i] in WS:
            i += 1
        if i < n and buf[i] == "+" and self.candidates[-1][3] & SCALAR and self.val_str:
            # `"a" + "b"` as the whole payload: reopen the candidate and join
            start, end, edits, flags = self.candidates.pop()
            self.cand_start, self.edits, self.cand_flags = start, edits, flags
            r = self._concat(i)
            if r == 1:
                return True
            self.candidates.append((start, end, edits, flags))
            self.edits = []
            self.cand_start = -1
            if r == -1:
                self.pos = i
                return False
        if i < n and buf[i] in "}]":
            self.candidates[-1][2].append((EXTRA_CLOSER, i, buf[i], ""))
            self.pos = i + 1
            return True
        if i >= n and not self.final:
            self.pos = i
            return False
        self.pos = i
        self.state = PROSE
        self.implicit_ok = False
        return True

    # -- candidates ---------------------------------------------------------------

    def _begin(self, i):
        """A container opens the payload at ``i``."""
        self.cand_start = i
        self.cand_flags = 0
        self.edits = []
        self.state = VALUE
        self.pos = i
        self._structure()

    def _begin_implicit(self, i):
        self.cand_start = i
        self.cand_flags = IMPLICIT
        self.edits = []
        self._insert(IMPLICIT_OBJECT, i, "{")
        self._push(OBJ, i)
        self.state = KEY
        self.pos = i

    def _begin_scalar(self, i):
        self.cand_start = i
        self.cand_flags = SCALAR
        self.edits = []
        self.state = VALUE
        self.pos = i

    def _end_candidate(self, end):
        self.candidates.append((self.cand_start, end, self.edits, self.cand_flags))
        self.edits = []
        self.cand_start = -1
        self.state = TOP_AFTER

    # -- the stack ----------------------------------------------------------------

    def _push(self, kind, pos):
        if len(self.st_type) >= self.max_depth:
            raise RepairError("maximum nesting depth exceeded", self.buf, pos)
        self.st_type.append(kind)
        self.st_open.append(pos)
        self.st_comma.append(-1)
        self.st_sep.append(-1)
        self.st_count.append(0)
        self.st_run.append(-1)
        self.st_dbl.append(0)
        if kind == PAREN and self.paren_floor < 0:
            self.paren_floor = pos
            self.paren_depth = len(self.st_type)
        self.st_keys.append({} if (kind == OBJ and self.keymap is not None) else None)

    def _pop(self):
        """Close the top container; a finished top level ends the candidate."""
        dbl = self.st_dbl[-1]
        kind = self._pop_quiet()
        self._after_value(self.last_end, False)
        if self.st_type:
            self.st_run[-1] = ROW_ENDED if kind == ARR else -1
            self.dbl_after = dbl
        return kind

    def _closer_of(self, kind):
        return "}" if kind == OBJ else ("]" if kind == ARR else ")")

    def _after_value(self, end, is_str):
        """A value ended at ``end``: the container goes to AFTER, the top level ends."""
        self.last_end = end
        self.val_str = is_str
        self.dbl_after = 0
        if not self.st_type:
            self._end_candidate(end)
            return
        self.st_count[-1] += 1
        self.st_comma[-1] = -1
        if self.st_run[-1] == ROW_ENDED:
            self.st_run[-1] = self.val_start
        self.state = AFTER

    def _close_all(self, at, flag):
        """Close every open container (and a pending token) at the end of the payload."""
        if self.state == STRING:
            self._close_string_at_end()
        if self.cand_start < 0 or self.state in (PROSE, THINK, TOP_AFTER):
            return
        st = self.state
        if st == VALUE and self.st_type:
            if self.st_type[-1] == OBJ:
                self._insert(MISSING_VALUE, self.last_end, " null")
                self._after_value(self.last_end, False)
            elif self.st_comma[-1] >= 0:
                c = self.st_comma[-1]
                self._delete(EXTRA_COMMA, c, c + 1)
        elif st == VALUE:
            # a scalar payload that never started: nothing to close
            self.cand_start = -1
            self.state = PROSE
            return
        elif st in (KEY, COLON) and self.st_type:
            self._drop_partial_member()
        end = self.last_end
        while self.st_type:
            kind = self.st_type[-1]
            if kind == PAREN:
                self._close_paren_inner(end)
            else:
                self._insert(MISSING_CLOSER, end, self._closer_of(kind))
                self.cand_flags |= flag
                self._pop()

    def _drop_partial_member(self):
        """A key with no value at the end: drop it with the comma before it."""
        c = self.st_comma[-1]
        if self.state == COLON:
            start = self.key_start
            if c < 0:
                c = self._comma_before(start)
            if c >= 0:
                start = c
            else:
                self._drop_missing_comma()
            self._forget_key()
            self._delete(TRUNCATED, start, self.key_end)
            self.last_end = start
        elif c >= 0:
            self._delete(EXTRA_COMMA, c, c + 1)
            self.last_end = c
        else:
            self._drop_missing_comma()      # (`{"a": 1\` at the end: no member follows)

    def _comma_before(self, pos):
        j = pos - 1
        buf = self.buf
        while j >= 0 and buf[j] in WS:
            j -= 1
        if j >= 0 and buf[j] == "," and self.st_count and self.st_count[-1] > 0:
            return j
        return -1

    # -- structure ----------------------------------------------------------------

    def _structure(self):
        buf = self.buf
        n = len(buf)
        i = self.pos
        c = buf[i]
        if c in WS:
            i += 1
            while i < n and buf[i] in WS:
                i += 1
            self.pos = i
            return True
        st = self.state
        fw = FULLWIDTH_MAP.get(c)
        if fw is not None:
            self._replace(FULLWIDTH, i, i + 1, fw)
            c = fw
        if c == "/" or c == "#":
            r = self._comment(i, c, st)
            if r != 0:
                return r > 0
        if c in OTHER_SPACE:
            # no-break, zero-width and ideographic spaces, a BOM: removed
            self._delete(GARBAGE, i, i + 1)
            self.pos = i + 1
            return True
        if c == "\\" and i + 1 < n and buf[i + 1] in "nrt":
            # a literal `\n` between tokens of an escaped log: a line break
            self._delete(STRINGIFIED, i, i + 2)
            self.pos = i + 2
            return True
        if c == "\\" and i + 1 >= n and not self.final:
            return False
        if c == "`":
            r = self._fence_at(i)
            if r == NEED:
                return False
            if r == 1:
                # the closing fence of the payload: close what is open before it
                self._close_all(i, CUT)
                self.pos = i
                return True
        if c == "}" or c == "]" or c == ")":
            return self._closer(i, c)
        if c == ",":
            return self._comma(i)
        if c == ":":
            return self._colon(i)
        if st == KEY:
            return self._key(i, c)
        if st == COLON:
            return self._missing_colon(i, c)
        if st == AFTER:
            return self._after(i, c)
        return self._value(i, c)

    def _fence_at(self, i):
        """Does a ``` fence start at ``i``? 1, 0, or NEED."""
        buf = self.buf
        n = len(buf)
        if n - i < 3 and not self.final and buf[i:] == "`" * (n - i):
            return NEED
        return 1 if buf.startswith("```", i) else 0

    def _comment(self, i, c, st):
        """`//`, `/* */` and `#` comments where white space may stand: removed."""
        buf = self.buf
        n = len(buf)
        if c == "#":
            if st == VALUE:
                # `#fff` is a value; `# note` (a space after) is a comment
                if i + 1 >= n:
                    return 0 if self.final else -1
                if buf[i + 1] not in WS:
                    return 0
            end = buf.find("\n", self.cmt_from if self.cmt_at == i else i)
        else:
            if i + 1 >= n:
                return 0 if self.final else -1
            d = buf[i + 1]
            if d == "/":
                end = buf.find("\n", self.cmt_from if self.cmt_at == i else i)
            elif d == "*":
                end = buf.find("*/", self.cmt_from if self.cmt_at == i else i + 2)
                if end >= 0:
                    end += 2
            else:
                return 0
        if end < 0:
            if not self.final:
                # (the search goes on from here: the last character may begin `*/`)
                self.cmt_at = i
                self.cmt_from = max(i + 2, n - 1)
                return -1
            end = n
        self._delete(COMMENT, i, end)
        self.pos = end
        return 1

    def _closer(self, i, c):
        """`}`, `]` or `)`: close, or repair a mismatched or stray closer."""
        if not self.st_type:
            # a closer where the payload should start: stray, skip it
            self.pos = i + 1
            return True
        if c == "}" and self.dbl_after > 0 and self.state == AFTER:
            # `[{{"a": 1}}, 2]`: the second brace of an object whose `{` was doubled
            self.dbl_after -= 1
            self._delete(DOUBLED, i, i + 1)
            self.pos = i + 1
            return True
        kind = self.st_type[-1]
        want = self._closer_of(kind)
        if c == want:
            if kind == ARR and self.st_run[-1] >= 0 and self.state == AFTER and len(self.st_type) >= 2 and self.st_type[-2] == OBJ:
                # `[[1, 2], 3, 4], [5, 6]]` in an object: a row lost its `[`
                r = self._row_follows(i + 1)
                if r == NEED:
                    return False
                if r == 1:
                    self._insert(MISSING_OPENER, self.st_run[-1], "[")
                    self._after_value(i + 1, False)
                    self.st_run[-1] = ROW_ENDED
                    self.pos = i + 1
                    return True
            if len(self.st_type) == 1 and kind == OBJ:
                # `{"a": "x"\n},\n"b": 2}`: a brace that does not end the object
                r = self._member_follows(i + 1)
                if r == NEED:
                    return False
                if r == 1:
                    self._delete(EXTRA_CLOSER, i, i + 1)
                    self.pos = i + 1
                    return True
            return self._close_top(i, i + 1)
        want_kind = OBJ if c == "}" else (ARR if c == "]" else PAREN)
        # which reading of the stray closer does the next character agree with?
        nxt = self._next_sig(i + 1)
        if nxt == NEED:
            return False
        depth = len(self.st_type)
        deeper = -1
        k = depth - 2
        while k >= 0 and k >= depth - 8:
            if self.st_type[k] == want_kind:
                deeper = k
                break
            k -= 1
        if deeper >= 0 and self._fits(deeper, nxt):
            reading = 0             # missing closers
        elif nxt != want and kind != PAREN and self._fits(depth - 1, nxt):
            reading = 1             # a typo
        else:
            reading = 2             # a stray closer
        # ... unless the closers that follow fit another reading better (`{"k": [{], 2]}`)
        ahead = self._closers_ahead(i + 1, depth)
        if ahead is None:
            return False
        best = self._closers_fit(ahead, (deeper, depth - 1, depth)[reading])
        for r, keep in ((0, deeper), (1, depth - 1), (2, depth)):
            if r == reading or (r == 0 and (deeper < 0 or not self._fits(deeper, nxt))):
                continue
            if r == 1 and (kind == PAREN or not self._fits(depth - 1, nxt)):
                continue
            score = self._closers_fit(ahead, keep)
            if score > best:
                reading, best = r, score
        if reading == 0:
            # missing closers: close the inner containers, then this one
            self._settle_member()
            while len(self.st_type) - 1 > deeper:
                if self.st_type[-1] == PAREN:
                    self._close_paren_inner()
                else:
                    self._insert(MISSING_CLOSER, self.last_end, self._closer_of(self.st_type[-1]))
                    self._pop()
            return self._close_top(i, i + 1)
        if reading == 1:
            # a typo: `}` written for `]` or the reverse
            self._replace(MISMATCHED_CLOSER, i, i + 1, want)
            return self._close_top(i, i + 1)
        # closes nothing open: dropped
        self._delete(EXTRA_CLOSER, i, i + 1)
        self.pos = i + 1
        return True

    def _closers_ahead(self, i, most):
        """The closers from ``i`` on that close containers open before ``i`` (strings
        skipped; at most ``most`` + 1 of them, within LOOKAHEAD), then `$` when the input
        ends there; None when the buffer ends first (NEED)."""
        buf = self.buf
        n = len(buf)
        lim = min(n, i + LOOKAHEAD)
        out = []
        rel = 0
        while i < lim and len(out) <= most:
            ch = buf[i]
            if ch == '"':
                i += 1
                while i < lim and buf[i] != '"':
                    i += 2 if buf[i] == "\\" else 1
                if i >= lim:
                    break
            elif ch in "{[(":
                rel += 1
            elif ch in "}])":
                if rel:
                    rel -= 1
                else:
                    out.append(ch)
            i += 1
        if i >= n and len(out) <= most:
            if not self.final:
                return None
            out.append("$")
        return "".join(out)

    def _closers_fit(self, ahead, keep):
        """How well the closers ``ahead`` close the ``keep`` lowest open containers: 2 for
        each that matches (from the top down), 1 more when they close them all and the
        input ends there."""
        m = len(ahead)
        end = m > 0 and ahead[m - 1] == "$"
        if end:
            m -= 1
        t = 0
        while t < m and t < keep and ahead[t] == self._closer_of(self.st_type[keep - 1 - t]):
            t += 1
        return 2 * t + (1 if end and t == m and t == keep else 0)

    def _member_follows(self, i):
        """After a closer at ``i``: does `, "key":` follow (so the object goes on)?"""
        buf = self.buf
        n = len(buf)
        i = self._skip_ws(i)
        if i >= n:
            return 0 if self.final else NEED
        if buf[i] not in ",\uff0c":
            return 0
        i = self._skip_ws(i + 1)
        if i >= n:
            return 0 if self.final else NEED
        if buf[i] in QUOTES:
            return self._key_colon_ahead(i)
        return self._bare_key_ahead(i)

    def _row_follows(self, i):
        """After a `]` at ``i``: does `, [` follow (so the array of rows goes on)?"""
        buf = self.buf
        n = len(buf)
        i = self._skip_ws(i)
        if i >= n:
            return 0 if self.final else NEED
        if buf[i] != ",":
            return 0
        i = self._skip_ws(i + 1)
        if i >= n:
            return 0 if self.final else NEED
        return 1 if buf[i] == "[" else 0

    def _skip_ws(self, i):
        """The first position from ``i`` that is not white space (at most LOOKAHEAD on)."""
        buf = self.buf
        lim = min(len(buf), i + LOOKAHEAD)
        while i < lim and buf[i] in WS:
            i += 1
        return i

    def _fits(self, level, nxt):
        """Would the character ``nxt`` make sense once ``level`` and above are closed?"""
        if level == 0:
            return nxt == "" or nxt not in ",:"
        parent = self.st_type[level - 1]
        if nxt == ",":
            return True
        if nxt == "}":
            return parent == OBJ
        if nxt == "]":
            return parent == ARR
        if nxt == ")":
            return parent == PAREN
        return True

    def _next_sig(self, i):
        """The next character that is not white space (``""`` at the end of input)."""
        buf = self.buf
        n = len(buf)
        start = i
        i = self._skip_ws(i)
        if i >= n:
            return "" if self.final else NEED
        if i >= start + LOOKAHEAD:
            return " "
        c = buf[i]
        return FULLWIDTH_MAP.get(c, c)

    def _settle_member(self):
        """Before closing: a pending comma is trailing, a key without value gets null."""
        st = self.state
        if st == VALUE and self.st_type[-1] == OBJ:
            self._insert(MISSING_VALUE, self.last_end, " null")
            self._after_value(self.last_end, False)
        elif st == COLON:
            self._insert(MISSING_VALUE, self.last_end, ": null")
            self._after_value(self.last_end, False)
        elif self.st_comma[-1] >= 0:
            c = self.st_comma[-1]
            self._delete(EXTRA_COMMA, c, c + 1)
            self.st_comma[-1] = -1

    def _close_top(self, i, end):
        self._settle_member()
        if self.st_type[-1] == PAREN:
            self.last_end = end
            self._close_paren_at(i)
            self.pos = end
            return True
        self.last_end = end
        self._pop()
        self.pos = end
        return True

    def _close_paren_inner(self, end=-1):
        at = self.last_end if end < 0 else end
        self._paren_edits(at, -1)
        self._pop()

    def _close_paren_at(self, i):
        self._paren_edits(i, i)
        self._pop()

    def _paren_edits(self, close_at, close_pos):
        """A tuple becomes an array; a call with one argument becomes the argument."""
        start = self.st_open[-1]
        buf = self.buf
        k = start
        while buf[k] != "(":
            k += 1
        one = self.st_count[-1] == 1 and self.st_sep[-1] < 0
        if one and k > start:
            self._delete(WRAPPER_CALL, start, k + 1)
            if close_pos >= 0:
                self._delete(WRAPPER_CALL, close_pos, close_pos + 1)
            if self.val_str and buf.startswith("Number", start):
                # `NumberLong("2")`: the quoted digits are the number
                num = fix_number(buf[self.val_start + 1:self.last_str_end - 1])
                if num is not None:
                    self._replace(WRAPPER_CALL, self.val_start, self.last_str_end, num)
        else:
            self._replace(WRAPPER_CALL, start, k + 1, "[")
            if close_pos >= 0:
                self._replace(WRAPPER_CALL, close_pos, close_pos + 1, "]")
            else:
                self._insert(MISSING_CLOSER, close_at, "]")

    def _comma(self, i):
        st = self.state
        if st == AFTER:
            self.st_comma[-1] = i
            self.st_sep[-1] = i
            self.state = KEY if self.st_type[-1] == OBJ else VALUE
            self.pos = i + 1
            return True
        if st == VALUE and self.st_type and self.st_type[-1] == OBJ:
            # `{"a": , "b": 2}`: the value is missing
            self._insert(MISSING_VALUE, i, "null")
            self._after_value(i, False)
            return self._comma(i)
        if st == COLON:
            self._insert(MISSING_VALUE, self.last_end, ": null")
            self._after_value(self.last_end, False)
            return self._comma(i)
        # a leading or doubled comma
        self._delete(EXTRA_COMMA, i, i + 1)
        self.pos = i + 1
        return True

    def _colon(self, i):
        st = self.state
        if st == COLON:
            self.state = VALUE
            self.last_end = i + 1
            self.pos = i + 1
            return True
        kind = self.st_type[-1] if self.st_type else -1
        if st == AFTER and kind == OBJ and self.val_str:
            # `{"k": "k": "v"}`: the key was echoed as its own value
            self._delete(DOUBLED, self.val_start, i + 1)
            self.state = VALUE
            self.pos = i + 1
            return True
        if st == AFTER and kind == ARR and self.val_str:
            return self._colon_in_array(i)
        self._delete(GARBAGE, i, i + 1)
        self.pos = i + 1
        return True

    def _colon_in_array(self, i):
        """`["k": 1]` means an object; `{"a": [1, 2, "b": 3}` lost its `]`."""
        if self.st_count[-1] == 1 and self.st_sep[-1] < 0:
            o = self.st_open[-1]
            self._replace(MISMATCHED_CLOSER, o, o + 1, "{")
            self.st_type[-1] = OBJ
            if self.keymap is not None:
                self.st_keys[-1] = {}
            self.key_start = self.val_start
            self.key_end = self.last_end
            self._check_key()
            self.st_count[-1] = 0
            self.state = VALUE
            self.pos = i + 1
            return True
        if len(self.st_type) >= 2 and self.st_type[-2] == OBJ and self.st_sep[-1] >= 0:
            sep = self.st_sep[-1]
            key_end = self.last_end
            self._insert(MISSING_CLOSER, sep, "]")
            self.st_count[-1] -= 1
            self.last_end = sep
            self._pop_quiet()
            # the comma now separates members of the object; the string is its key
            self.st_comma[-1] = sep
            self.key_start = self.val_start
            self.key_end = key_end
            self._check_key()
            self.state = VALUE
            self.pos = i + 1
            return True
        self._delete(GARBAGE, i, i + 1)
        self.pos = i + 1
        return True

    def _pop_quiet(self):
        """Close the top container without ending a value (the caller sets the state)."""
        kind = self.st_type.pop()
        self.st_open.pop()
        self.st_comma.pop()
        self.st_sep.pop()
        self.st_count.pop()
        self.st_run.pop()
        self.st_dbl.pop()
        if len(self.st_type) < self.paren_depth:
            self.paren_floor = -1
            self.paren_depth = 0
        keys = self.st_keys.pop()
        if keys:
            self._settle_keys(keys)
        return kind

    # -- keys ---------------------------------------------------------------------

    def _key(self, i, c):
        """Before a key: a string, a bare word, or a repair."""
        if c == '"':
            r = self._key_colon_ahead(i)
            if r == NEED:
                return False
            if r == 0:
                s = self._stutter(i)
                if s == NEED:
                    return False
                if s > i:
                    self._delete(GARBAGE, i, s)
                    self.pos = s
                    return True
        if c in QUOTES or c == "\\":
            return self._open_string(i, c, True)
        if c == "{" or c == "[":
            return self._restart(i, c)
        if c == ".":
            r = self._ellipsis(i)
            if r != 0:
                return r > 0
        if c == "\u2026":
            return self._ellipsis(i) > 0
        return self._bare_key(i)

    def _restart(self, i, c):
        """A `{` where a key should be: the model restarted or doubled the object."""
        if c == "{" and len(self.st_type) >= 2 and self.st_type[-2] == ARR and self.st_count[-1] > 0:
            # `[{"a": 1, {"b": 2}]`: close this object, the brace starts the next element
            comma = self.st_comma[-1]
            at = comma if comma >= 0 else self.last_end
            self.st_comma[-1] = -1
            self._insert(MISSING_CLOSER, at, "}")
            self._pop_quiet()
            self.st_count[-1] += 1
            if comma >= 0:
                self.st_comma[-1] = comma
                self.st_sep[-1] = comma
            else:
                self._insert(MISSING_COMMA, at, ",")
            self.state = VALUE
            return self._value(i, c)
        # `{{"a": 1}}` or `{"a": 1, {"a": 1, ...`: the brace is doubled
        self.st_dbl[-1] += 1
        self._delete(DOUBLED, i, i + 1)
        self.pos = i + 1
        return True

    def _bare_key(self, i):
        """A key without quotes, up to the colon: `{a: 1}`. Else prose ends the value."""
        buf = self.buf
        n = len(buf)
        j = i
        lim = min(n, i + LOOKAHEAD)
        while j < lim and buf[j] not in ",:{}[]\"\n\uff1a\uff0c" and not (buf[j] == "/" and j + 1 < n and buf[j + 1] in "/*"):
            j += 1
        if j >= n and not self.final:
            return False
        e = j
        while e > i and buf[e - 1] in WS:
            e -= 1
        d = buf[j] if j < n else ""
        d = FULLWIDTH_MAP.get(d, d)
        if d == ":" and e > i:
            self._insert(UNQUOTED_KEY, i, '"')
            self._bare_key_escapes(i, e)
            self._insert(UNQUOTED_KEY, e, '"')
            self._key_token(i, e, i, e)
            return True
        if (d == "," or d == "}") and e > i and self._is_word(i, e):
            # `{ xxx }`: a key with no value
            self._insert(UNQUOTED_KEY, i, '"')
            self._insert(UNQUOTED_KEY, e, '"')
            self._key_token(i, e, i, e)
            return True
        if d == "" and self.final:
            # a bare partial key at the end: dropped with its comma
            self.pos = n
            self._drop_partial_member()
            self.state = AFTER if self.st_count[-1] else KEY
            self._close_all(n, TRUNCATED_END)
            return True
        # prose inside the object: the value ended before it
        return self._cut(i)

    def _bare_key_escapes(self, i, e):
        """The text of a bare key ``[i, e)`` as JSON string content: a backslash is a
        character of the key (`{a\\b: 1}`), unless it starts a `\\uXXXX` escape of a
        character that is not a surrogate (as in a JavaScript name); a control character
        is escaped."""
        buf = self.buf
        k = i
        while k < e:
            c = buf[k]
            if c == "\\":
                h = buf[k + 2:k + 6]
                if (k + 6 <= e and buf[k + 1] == "u" and all(ch in HEX for ch in h)
                        and not 0xD800 <= int(h, 16) <= 0xDFFF):
                    k += 6
                    continue
                self._insert(ESCAPE, k, "\\")
            elif c < " ":
                self._replace(CONTROL_CHAR, k, k + 1, CONTROL_ESCAPES.get(c, "\\u%04x" % ord(c)))
            k += 1

    def _is_word(self, i, e):
        buf = self.buf
        for k in range(i, e):
            if not (is_ident(buf[k]) or buf[k] == " "):
                return False
        return True

    def _cut(self, i):
        """Prose where a member should be: close everything after the last value."""
        if self.st_comma[-1] >= 0:
            c = self.st_comma[-1]
            self._delete(EXTRA_COMMA, c, c + 1)
            self.st_comma[-1] = -1
        end = self.last_end
        self.state = AFTER
        while self.st_type:
            kind = self.st_type[-1]
            if kind == PAREN:
                self._close_paren_inner(end)
            else:
                self._insert(MISSING_CLOSER, end, self._closer_of(kind))
                self._pop()
        self.cand_flags |= CUT
        self.pos = i
        self.state = PROSE
        return True

    def _key_token(self, start, end, cstart, cend):
        """A key was read (token ``[start, end)``, content ``[cstart, cend)``)."""
        self.key_start = start
        self.key_end = end
        self.last_end = end
        self.pos = end if end > self.pos else self.pos
        self.st_comma[-1] = -1
        self._check_key_content(cstart, cend)
        self.state = COLON

    def _check_key(self):
        """Rename a key read as a value (array turned object) if the key map says so."""
        buf = self.buf
        s = self.key_start
        e = self.key_end
        # the quotes the key has (either may be missing: `[-a": 1` holds the key `-a`)
        if e > s and buf[s] in QUOTES:
            s += 1
        if e > s and buf[e - 1] in QUOTES:
            e -= 1
        self._check_key_content(s, e)

    def _check_key_content(self, cstart, cend):
        if self.keymap is None:
            return
        text = self.buf[cstart:cend]
        keys = self.st_keys[-1]
        want = self.key_wants.get(text, _NO_WANT)
        if want is _NO_WANT:
            plain = unescape_key(text) if "\\" in text else text
            want = self.keymap.get(normalize_key(plain))
            # (the key map holds the required spellings JSON-escaped, as they are written)
            if want is not None and plain is not text and unescape_key(want) == plain:
                want = None     # the required key, written with other escapes
            self.key_wants[text] = want
        if want is not None and want != text:
            self._drop_edits(cstart, cend)
            if cend > cstart and self.buf[cstart] in '"\\':
                # the escape of a first `"` or `\` is part of the content renamed
                self._drop_inserted(INNER_QUOTE if self.buf[cstart] == '"' else ESCAPE, cstart)
            rename = (KEY_CASE, cstart, text, want)
            self._add(rename)
            keys[text] = rename
        elif keys is not None:
            keys[text] = None

    def _forget_key(self):
        """The current key is dropped: it no longer counts as a spelling the object has
        (`{"A": 1, "a"` with required `a`: the `A` is renamed)."""
        keys = self.st_keys[-1] if self.st_keys else None
        if not keys:
            return
        buf = self.buf
        s = self.key_start
        e = self.key_end
        if e - s >= 2 and buf[s] in QUOTES and buf[e - 1] in QUOTES:
            s += 1
            e -= 1
        keys.pop(buf[s:e], None)

    def _drop_missing_comma(self):
        """The member after a comma the scanner inserted is dropped (a key cut off at the
        end): the inserted comma goes too (`{"a": 1 "b"`)."""
        sep = self.st_sep[-1]
        if sep < 0 or sep >= len(self.buf) or self.buf[sep] in ",\uff0c":
            return
        self._drop_inserted(MISSING_COMMA, sep)
        self.st_sep[-1] = -1

    def _drop_inserted(self, kind, pos):
        """Forget the last insertion of ``kind`` recorded at ``pos`` (if any)."""
        edits = self.edits
        j = len(edits) - 1
        while j >= 0 and edits[j][1] >= pos:
            if edits[j][1] == pos and edits[j][0] == kind and not edits[j][2]:
                del edits[j]
                if pos < self.low_water:
                    self.low_water = pos
                return
            j -= 1

    def _settle_keys(self, keys):
        """A renamed key whose required spelling the object also has: left alone."""
        for text, rename in keys.items():
            if rename is None or rename[3] not in keys:
                continue
            edits = self.edits
            j = len(edits) - 1
            while j >= 0 and edits[j] is not rename:
                j -= 1
            if j < 0:
                continue
            edits[j] = (KEY_AMBIGUOUS, rename[1], "", "")
            if rename[1] < self.low_water:
                self.low_water = rename[1]

    def _missing_colon(self, i, c):
        """After a key, a value starts without a colon: `{"a" 1}`."""
        self._insert(MISSING_COLON, self.key_end, ":")
        self.state = VALUE
        return self._value(i, c)

    # -- after a value ------------------------------------------------------------

    def _after(self, i, c):
        """After a value: a comma is missing, strings are concatenated, or prose."""
        if c == "+":
            r = self._concat(i)
            if r != 0:
                return r > 0
        kind = self.st_type[-1]
        if c == "[":
            r = self._bracket_kind_inner(i)
            if r == NEED:
                return False
            if r > 0:
                return self._cut(i)
        if c == "." or c == "\u2026":
            r = self._ellipsis(i)
            if r != 0:
                return r > 0
        if kind == OBJ:
            if c in QUOTES or c == "\\":
                self._insert(MISSING_COMMA, self.last_end, ",")
                self.st_sep[-1] = self.last_end
                self.state = KEY
                return self._key(i, c)
            if c == "{":
                return self._restart(i, c)
            r = self._bare_key_ahead(i)
            if r == NEED:
                return False
            if r == 1:
                self._insert(MISSING_COMMA, self.last_end, ",")
                self.st_sep[-1] = self.last_end
                self.state = KEY
                return self._bare_key(i)
            return self._cut(i)
        # in an array: `[1 2]`
        if c.isalpha():
            r = self._value_word_ahead(i)
            if r == NEED:
                return False
            if r == 0:
                return self._cut(i)
        self._insert(MISSING_COMMA, self.last_end, ",")
        self.st_sep[-1] = self.last_end
        self.state = VALUE
        return self._value(i, c)

    def _bracket_kind_inner(self, i):
        """At `[` after a value: a `[TAG]` (its end) ends the payload, else 0."""
        r = self._bracket_kind(i)
        if r == NEED:
            return NEED
        return r if r > 0 else 0

    def _value_word_ahead(self, i):
        """Is the word at ``i`` a literal (so `[1 true]` is missing a comma)? 1, 0, or
        NEED when the word runs into the end of the buffer."""
        buf = self.buf
        n = len(buf)
        e = i
        while e < n and is_ident(buf[e]):
            e += 1
        if e >= n and not self.final:
            return NEED
        if e >= n and self._literal_prefix(buf[i:e]):
            return 1                # `[0, "", f` cut off: a literal
        return 1 if buf[i:e] in LITERALS else 0

    def _bare_key_ahead(self, i):
        """Does a bare key followed by `:` start at ``i`` (on this line)?"""
        buf = self.buf
        n = len(buf)
        j = i
        lim = min(n, i + LOOKAHEAD)
        while j < lim and (is_ident(buf[j]) or buf[j] == " "):
            j += 1
        if j >= n and not self.final:
            return NEED
        if j > i and j < n and buf[j] in ":\uff1a":
            return 1
        return 0

    def _concat(self, i):
        """`"a" + "b"`: the two strings are joined."""
        if not self.val_str:
            return 0
        buf = self.buf
        n = len(buf)
        j = i + 1
        lim = min(n, i + LOOKAHEAD)
        while j < lim and buf[j] in WS:
            j += 1
        if j >= n and not self.final:
            return -1
        if j >= n or buf[j] not in QUOTES:
            return 0
        close = self.last_end - 1
        self._delete(CONCAT, close, j + 1)
        q = buf[j]
        self.state = STRING
        self.s_close = self._closing_quote(q)
        self.s_key = False
        self.s_triple = False
        self.s_escaped = False
        self.pos = j + 1
        return 1

    def _ellipsis(self, i):
        """`...` or `…` standing for more members: removed."""
        buf = self.buf
        n = len(buf)
        if buf[i] == "\u2026":
            e = i + 1
        else:
            if n - i < 3 and not self.final:
                return -1
            if not buf.startswith("...", i):
                return 0
            e = i + 3
            while e < n and buf[e] == ".":
                e += 1
            if e >= n and not self.final:
                return -1
        self._delete(ELLIPSIS, i, e)
        self.pos = e
        return 1

    # -- values -------------------------------------------------------------------

    def _value(self, i, c):
        """Before a value: open a container or string, or read a bare token."""
        if c == "{":
            if self.state == VALUE and self.st_type and self.st_comma[-1] >= 0:
                self.st_comma[-1] = -1
            self._open(i, OBJ)
            return True
        if c == "[":
            if self.st_type and self.st_comma[-1] >= 0:
                self.st_comma[-1] = -1
            self._open(i, ARR)
            return True
        if c in QUOTES or c == "\\":
            return self._open_string(i, c, False)
        if c == "(":
            self.val_start = i
            self._push(PAREN, i)
            self.state = VALUE
            self.pos = i + 1
            return True
        if c == "." or c == "\u2026":
            r = self._ellipsis(i)
            if r != 0:
                return r > 0
        return self._word(i)

    def _open(self, i, kind):
        if self.st_type:
            self.st_comma[-1] = -1
        self.val_start = i
        self._push(kind, i)
        self.state = KEY if kind == OBJ else VALUE
        self.last_end = i + 1
        self.pos = i + 1

    def _word(self, i):
        """A bare token where a value should be: literal, number, call, or text."""
        buf = self.buf
        n = len(buf)
        j = self.word_end if self.word_at == i else i
        while j < n and buf[j] not in WS and buf[j] not in STOPS and buf[j] != "\\" and not (buf[j] == "/" and j + 1 < n and buf[j + 1] in "/*"):
            j += 1
        if j >= n and not self.final:
            # (the last character is read again: a `/` may begin a comment)
            self.word_at = i
            self.word_end = max(i, j - 1)
            return False
        if j == i:
            return self._bare_string(i)
        tok = buf[i:j]
        self.val_start = i
        if self.st_type and self.st_comma[-1] >= 0:
            self.st_comma[-1] = -1
        lit = LITERALS.get(tok)
        if lit is not None:
            if lit != tok:
                self._replace(LITERAL, i, j, lit)
            self.pos = j
            self._after_value(j, False)
            return True
        num = fix_number(tok) if tok else None
        if num is not None:
            if num != tok:
                self._replace(NUMBER, i, j, num)
            self.pos = j
            self._after_value(j, False)
            return True
        if j < n and buf[j] == "(" and tok and tok.replace("_", "a").replace(".", "a").isalnum():
            # `NumberLong("2")`, `ObjectId("...")`: a call around a value
            self._push(PAREN, i)
            self.state = VALUE
            self.pos = j + 1
            return True
        if j >= n and self._literal_prefix(tok):
            # `tr`, `fals`, `nul` cut off at the end
            full = next(L for L in LITERAL_PREFIXES if L.startswith(tok))
            self._replace(TRUNCATED, i, j, LITERALS[full])
            self.pos = j
            self._after_value(j, False)
            return True
        if j >= n and tok and tok[0] in "-+.0123456789" and fix_number(tok.rstrip(".eE+-")) is not None:
            part = tok.rstrip(".eE+-")
            self._replace(TRUNCATED, i, j, fix_number(part))
            self.pos = j
            self._after_value(j, False)
            return True
        if j >= n and tok in ("-", "+"):
            self._delete(TRUNCATED, i, j)
            self.pos = j
            self.state = VALUE
            return True
        return self._bare_string(i)

    def _literal_start(self, i):
        """Does a literal (`true`, `None` …) start at ``i``? 1, 0, or NEED while the buffer
        ends inside what may still become one."""
        buf = self.buf
        if buf.startswith(LITERAL_PREFIXES, i):
            return 1
        if len(buf) - i < 5 and self._literal_prefix(buf[i:]):
            return NEED if not self.final else 1    # `[tr` cut off: a literal
        return 0

    def _literal_prefix(self, tok):
        if not tok:
            return False
        for L in LITERAL_PREFIXES:
            if L.startswith(tok):
                return True
        return False

    def _bare_string(self, i):
        """Text without quotes where a value should be: quoted up to the delimiter."""
        buf = self.buf
        n = len(buf)
        paren = bool(self.st_type) and self.st_type[-1] == PAREN
        j = self.bare_end if self.bare_at == i and self.bare_paren == paren else i
        while j < n:
            c = buf[j]
            if c in ",}]\n\uff0c\uff5d" or (c == ")" and paren):
                break
            if c == '"':
                break
            if c == "/" and j + 1 < n and buf[j + 1] in "/*":
                break
            j += 1
        if j >= n and not self.final:
            # (as in _word(); the stop at `)` depends on the container: noted too)
            self.bare_at = i
            self.bare_end = max(i, j - 1)
            self.bare_paren = paren
            return False
        if j == i:
            # a character that can start nothing: removed
            self._delete(GARBAGE, i, i + 1)
            self.pos = i + 1
            return True
        self.val_start = i
        e = j
        while e > i and buf[e - 1] in WS:
            e -= 1
        if j < n and buf[j] == '"':
            # `hello"` : the opening quote is missing
            r = self._string_end(j, j + 1, '"', False)
            if r == NEED:
                return False
            if r == 1:
                self._insert(MISSING_QUOTE, i, '"')
                self._escape_run(i, j)
                self.pos = j + 1
                self._after_value(j + 1, True)
                return True
            # an inner quote: keep reading as text
            e = j
            self._insert(MISSING_QUOTE, i, '"')
            self.state = STRING
            self.s_start = i
            self.s_close = '"'
            self.s_key = False
            self.s_triple = False
            self.s_escaped = False
            self.s_bad_escape = False
            self.s_latex = []
            self.s_fence = False
            self.pos = j
            return True
        self._insert(UNQUOTED_VALUE, i, '"')
        self._escape_run(i, e)
        self._insert(UNQUOTED_VALUE, e, '"')
        self.pos = e
        self._after_value(e, True)
        return True

    def _escape_run(self, i, e):
        """Escape `"`, `\\` and control characters inside bare text being quoted."""
        buf = self.buf
        for k in range(i, e):
            ch = buf[k]
            if ch == '"' or ch == "\\":
                self._insert(INNER_QUOTE if ch == '"' else ESCAPE, k, "\\")
            elif ch < " ":
                self._replace(CONTROL_CHAR, k, k + 1, CONTROL_ESCAPES.get(ch, "\\u%04x" % ord(ch)))

    # -- strings ------------------------------------------------------------------

    def _closing_quote(self, q):
        if q == "\u201c":
            return "\u201d"
        if q == "\u2018":
            return "\u2019"
        return q

    def _open_string(self, i, c, is_key):
        buf = self.buf
        n = len(buf)
        start = i
        if c == "\\":
            # `\"` where a string should start: stringified JSON
            if i + 1 >= n:
                return False if not self.final else self._bare_start(i, is_key)
            if buf[i + 1] != '"':
                return self._bare_start(i, is_key)
            self._delete(STRINGIFIED, i, i + 1)
            self.s_escaped = True
            i += 1
            c = '"'
        else:
            self.s_escaped = False
        self.s_triple = False
        if c in "\"'" and n - i < 3 and not self.final and buf[i:] == c * (n - i):
            return False
        if c in "\"'" and buf.startswith(c * 3, i):
            self.s_triple = True
            self._replace(QUOTE_STYLE, i, i + 3, '"')
            self.pos = i + 3
        else:
            if c != '"':
                self._replace(QUOTE_STYLE, i, i + 1, '"')
            self.pos = i + 1
        if not is_key and self.st_type and self.st_comma[-1] >= 0:
            self.st_comma[-1] = -1
        self.s_start = start
        self.s_close = self._closing_quote(c)
        self.s_key = is_key
        self.s_bad_escape = False
        self.s_latex = []
        self.s_fence = False
        if is_key:
            self.key_start = start
        else:
            self.val_start = start
        self.state = STRING
        return True

    def _bare_start(self, i, is_key):
        if is_key:
            return self._bare_key(i)
        return self._word(i)

    def _string(self):
        """Inside a string: copy content, decide at every candidate closing quote."""
        buf = self.buf
        n = len(buf)
        i = self.pos
        close = self.s_close
        while i < n:
            c = buf[i]
            if c == close or (c == "\u201d" and close == '"') or (c == '"' and close == "\u201d") or (c == "\\" and self.s_escaped and i + 1 < n and buf[i + 1] == '"'):
                r = self._quote(i, c)
                if r == NEED:
                    self.pos = i
                    return False
                if r >= 0:
                    return True
                i = -r - 2
                continue
            if c == "\\":
                r = self._escape(i)
                if r == NEED:
                    self.pos = i
                    return False
                i = r
                continue
            if c == "\n" and self.fenced and not self.s_key:
                r = self._fence_line(i + 1)
                if r == NEED:
                    self.pos = i
                    return False
                if r == 2:
                    self.s_fence = True          # a code block inside the string opens
                elif r == 1 and self.s_fence:
                    self.s_fence = False         # ... and closes
                elif r == 1:
                    # the payload's closing fence: the string lost its closing quote
                    self._insert(MISSING_QUOTE, i, '"')
                    self._finish_string(i, i)
                    return True
            if c < " ":
                self._replace(CONTROL_CHAR, i, i + 1, CONTROL_ESCAPES.get(c, "\\u%04x" % ord(c)))
                i += 1
                continue
            if c == '"':
                # a `"` inside a string delimited otherwise
                self._insert(INNER_QUOTE, i, "\\")
            i += 1
        self.pos = i
        return True

    def _fence_line(self, i):
        """At the start of a line: a bare ``` fence (only spaces after it, then a line
        break or the end of the input) 1, a fence with a language tag 2, else 0; or NEED."""
        buf = self.buf
        n = len(buf)
        j = i
        lim = min(n, i + LOOKAHEAD)
        while j < lim and buf[j] in " \t":
            j += 1
        r = self._fence_at(j) if j < n else (NEED if not self.final else 0)
        if r != 1:
            return r
        j += 3
        while j < lim and buf[j] in " \t\r":
            j += 1
        if j >= n:
            return 1 if self.final else NEED
        if buf[j] == "\n":
            return 1
        return 2 if (buf[j].isalnum() and buf[j - 1] == "`") else 0

    def _quote(self, i, c):
        """At a possible closing quote: >=0 when the string ended (and was closed),
        NEED to wait for input, or ``-(next)-2`` to go on reading content at ``next``."""
        buf = self.buf
        if self.s_escaped:
            # `\"` closes a stringified string
            if c == "\\":
                self._delete(STRINGIFIED, i, i + 1)
                self._finish_string(i, i + 2)
                return 1
        if self.s_triple:
            if len(buf) - i < 3 and not self.final and buf[i:] == self.s_close * (len(buf) - i):
                return NEED
            if not buf.startswith(self.s_close * 3, i):
                if c == '"':
                    self._insert(INNER_QUOTE, i, "\\")
                return -(i + 1) - 2
            self._replace(QUOTE_STYLE, i, i + 3, '"')
            self._finish_string(i, i + 3)
            return 1
        r = self._string_end(i, i + 1, c, self.s_key)
        if r == NEED:
            return NEED
        if r == 1:
            if c != '"':
                self._replace(QUOTE_STYLE, i, i + 1, '"')
            self._finish_string(i, i + 1)
            return 1
        if r >= 2:
            # the string lost its closing quote before a line break: close it there
            split = r - 2
            self._drop_edits(split, i)
            self._insert(MISSING_QUOTE, split, '"')
            self._finish_string(split, split)
            return 1
        # an inner quote
        if c == '"':
            self._insert(INNER_QUOTE, i, "\\")
        return -(i + 1) - 2

    def _string_end(self, q, j, c, is_key):
        """Does the quote at ``q`` close the string? 1 yes, 0 no, NEED, or split+2
        when the string ended earlier at ``split`` (missing closing quote)."""
        buf = self.buf
        n = len(buf)
        k = j
        lim = min(n, j + LOOKAHEAD)
        while k < lim and buf[k] in WS:
            k += 1
        if k >= n:
            return 1 if self.final else NEED
        if k >= lim:
            return 1
        d = FULLWIDTH_MAP.get(buf[k], buf[k])
        if c != self.s_close:
            # `”` closing a `"` value (or the reverse) only where ASCII structure follows
            if q == self.s_start + 1 and not self.st_type and not buf.count("\n", j, k):
                # at the top level, right after the opening quote only at a line end:
                # `"”}}. "` is text (in a container `"a": "”}` is an empty string)
                return 0
            d = buf[k]
            if d == ":" or (d == "\uff1a" and is_key):
                if not is_key or q == self.s_start + 1:
                    return 0        # (nor is an empty key `"”:` closed by its smart quote)
                # `{"name”: 1}`: a key closed by `”`, unless a straight quote further on
                # the line closes it before a `:` (`{"a”:b": 1}`)
                m = k + 1
                lim = min(n, k + LOOKAHEAD)
                while m < lim and buf[m] != self.s_close and buf[m] != "\n":
                    m += 2 if buf[m] == "\\" else 1
                if m >= n:
                    return NEED if not self.final else 1
                if m >= lim or buf[m] == "\n":
                    return 1
                if m > k + 1 and all(ch in " \t\r[{" for ch in buf[k + 1:m]):
                    # the quote opens the value: `{"a”: ":"}`, `{"a”: [":"]}`; unless it
                    # closes the key before the rest of a member in strict JSON: then the
                    # text is valid as it stands (`{"\\"”：{":null}`) and the `”` is content
                    r = self._member_tail(m + 1)
                    if r == NEED:
                        return NEED
                    if r == 0:
                        return 1
                if buf[k + 1:m].rstrip(" \t\r").endswith(","):
                    # a comma ends a member before it: `{"a”: 0, ":": 1}`; unless the
                    # straight quote closes the key before the rest of a member in strict
                    # JSON: the text is valid as it stands (`{"“”:,":1}`)
                    r = self._member_tail(m + 1)
                    if r == NEED:
                        return NEED
                    return 1 if r == 0 else 0
                e = self._next_sig(m + 1)
                if e == NEED:
                    return NEED
                # a straight quote that ends the input ends the key too (`{"a”:"`)
                return 0 if (e == ":" or e == "") else 1
            if is_key:
                return 0
            if d == "," or (d == "\uff0c" and self.st_type):
                # (a fullwidth comma too, inside a container: `{"a": "1”， "b": 2}`)
                r = self._ascii_close_ahead(k + 1, True)
                if r == 1 and self.st_type and self.st_type[-1] == OBJ:
                    # ... unless a quoted key and its colon follow the comma:
                    # `{"t": “", "a": "x “q”, y"}`
                    m = self._skip_ws(k + 1)
                    if m < n and buf[m] in QUOTES:
                        e = self._key_colon_ahead(m)
                        if e == 1 or e == NEED:
                            return 1 if e == 1 else NEED
                if r == 1 or r == NEED:
                    return 0 if r == 1 else NEED
                if not self.st_type:
                    return 1        # (a top-level `"x”,"` is one string)
                return self._comma_ahead(k + 1)
            if d == "/" and k + 1 >= n and not self.final:
                return NEED
            if not self.s_escaped and ((d == "/" and k + 1 < n and buf[k + 1] in "/*") or (d == "#" and k + 1 < n and buf[k + 1] in " \t")):
                # `"NA” // note`: a comment after the string, unless a `"` later on the
                # line closes it, or starts the next line before the end of the container
                # (`"“q” // \n"}`: the string holds a raw line break)
                r = self._ascii_close_ahead(k, True)
                if r == 0:
                    r = self._close_next_line(k)
                return 0 if r == 1 else (NEED if r == NEED else 1)
            if d in QUOTES and k > j and buf.count("\n", j, k) and self.st_type:
                # `"x”` ends its line, a string follows: a missing comma; unless the next
                # line starts with the string's own closing quote before the end of the
                # container (`"“q” \n"}`: the string holds a raw line break)
                r = self._close_next_line(j)
                return 0 if r == 1 else (NEED if r == NEED else 1)
            if d not in "}]":
                return 0
            r = self._ascii_close_ahead(k)
            if r == 1 or r == NEED:
                return 0 if r == 1 else NEED
            if buf.count("\n", j, k):
                return 1            # `"x”` ends its line, a closer stands on the next
            if r == 2 and not (c == '"' and self.s_close == "\u201d"):
                # the look-ahead bound: the text stays content; but a straight quote
                # before a closer ends a string opened by `“` (`“x"], "b": ...`)
                return 0
            e = self._next_sig(k + 1)
            if e == NEED:
                return NEED
            if e == "[" or e == "`":
                # the payload's end: a `[/CONTENT]` tag or a closing fence follows
                m = self._skip_ws(k + 1)
                r = self._bracket_kind(m) if e == "[" else self._fence_at(m)
                return NEED if r == NEED else (1 if r > 0 else 0)
            if e == "" or e in ",]}":
                return 1
            if len(self.st_type) == 1 and (d == "}") == (self.st_type[0] == OBJ):
                # `{"a": "NA”}` and text on a later line: the closer ends the payload
                return 1 if buf.count("\n", k + 1, self._skip_ws(k + 1)) else 0
            return 0
        if is_key:
            # a key ends at its quote unless a letter follows at once: `"a"b": 1`
            return 1 if (k > j or not d.isalnum()) else 0
        if d == ":":
            if is_key or not self.st_type:
                return 1
            split = self._split_before(q)
            if split >= 0:
                return split + 2
            return 1
        if d in "}])":
            return 1
        if d == "+":
            return 1
        if d in QUOTES:
            if d != c and self.st_type and buf.count("\n", j, k):
                return 1            # `“x”` ends its line, a `"` opens the next: a missing comma
            if d != c:
                # `"x "hi" 'y' z"`: a quote later on the line closes the string
                r = self._ascii_close_ahead(k)
                if r == NEED:
                    return NEED
                if r == 1 or r == 2:
                    return 0        # (at the look-ahead bound the text stays content)
            if k == j and d == c:
                # `"...""`: a doubled quote; the last one of the run closes
                e = self._next_sig(k + 1)
                if e == NEED:
                    return NEED
                if e == "" or e in ",}]:":
                    return 0
            if k > j and d == c and buf.count("\n", j, k) == 0:
                # `{"a": "x "y" "}`: after a space, a lone quote right before the closer
                # ends the string; this one is content
                e = self._next_sig(k + 1)
                if e == NEED:
                    return NEED
                if e == "" or e in "}]":
                    return 0
            if k > j and d == '"' and self.st_type and self.st_type[-1] == OBJ:
                # `{"a": "x\n"\n"b": 1}`: the next key starts at the other quote, so this
                # one closes the string (a raw line break before it is content)
                r = self._key_colon_ahead(k)
                if r == NEED:
                    return NEED
                if r == 1:
                    return 1
            split = self._split_before(q)
            return split + 2 if split >= 0 else 1
        if d == ",":
            if is_key or not self.st_type:
                return 1
            return self._comma_ahead(k + 1)
        if (d == "/" or d == "\\") and k + 1 >= n and not self.final:
            return NEED
        if d == "`" and k > j and not is_key:
            r = self._fence_at(k)
            if r != 0:
                return r            # a fence on the next line ends the string
        if (d == "/" and k + 1 < n and buf[k + 1] in "/*") or (d == "#" and k > j):
            # a comment after the string, unless a quote later on the line closes the
            # string (`"x "hi" # y"`)
            r = self._ascii_close_ahead(k)
            return 0 if r == 1 else (NEED if r == NEED else 1)
        if d == "\\" and self.s_escaped:
            return 1
        if d == "\\" and k + 1 < n and buf[k + 1] in "nrt":
            return 1                # a literal `\n` of an escaped log follows
        # a letter or other text: an inner quote, unless a key starts on a new line
        if not is_key and self.st_type and self.st_type[-1] == OBJ:
            split = self._split_before(q)
            if split >= 0:
                r = self._key_colon_ahead(q)
                if r == NEED:
                    return NEED
                if r == 1:
                    return split + 2
        if c == "'" and not is_key and d.isalpha() and k == j:
            return 0                # `'don't'`: a letter right after the quote
        if k > j and buf.count("\n", j, k) and self.st_type:
            # the quote ends its line and text follows on the next: a missing comma
            return 1
        return 0

    def _split_before(self, q):
        """If the content before the quote at ``q`` ends in `,` + line break (+ spaces),
        the string lost its closing quote there: the position to close it, else -1."""
        buf = self.buf
        j = q - 1
        lim = max(self.s_start + 1, q - LOOKAHEAD)
        nl = False
        while j >= lim and buf[j] in WS:
            if buf[j] == "\n":
                nl = True
            j -= 1
        if not nl or j < lim:
            return -1
        if buf[j] == ",":
            return j
        return j + 1

    def _ascii_close_ahead(self, i, line_end=False):
        """After `”` in a string opened with `"` (or the reverse), followed by structure:
        does a closing quote of the string's own kind come later on the line, followed
        by the end of its container (`["x”,"]`, `["x”}}a"]`, `{"b": "q”, a b: c",}`)?
        Then the `”` and what follows are content. 1, 0, NEED, or 2 at the look-ahead
        bound. A quote right after the structure counts, and one after text; one after a space
        may open the next string (`["x”, "y"]`) and does not, unless a closer follows it at
        once (`["”}, "]`)."""
        buf = self.buf
        n = len(buf)
        close = self.s_close
        j = i
        lim = min(n, i + LOOKAHEAD)
        while j < lim and buf[j] in " \t\r\n,}]":
            j += 1
        text = quoted = False
        while j < lim and buf[j] != close and buf[j] != "\n":
            text = True
            if buf[j] in QUOTES:
                quoted = True
            if buf[j] == "\\" and self.s_escaped and j + 1 < n and buf[j + 1] == close:
                j += 1              # stringified JSON: `\"` is the closing quote
                break
            j += 2 if buf[j] == "\\" else 1
        if j >= n:
            return NEED if not self.final else 0
        if j >= lim:
            return 2                # the look-ahead bound: cannot tell
        if buf[j] != close:
            return 0
        if text and buf[j - 1] in WS:
            # (a quote right before a closer opens no string)
            e = self._next_sig(j + 1)
            if e == NEED:
                return NEED
            if e == "" or e not in "]}":
                return 0
        e = self._next_sig(j + 1)
        if e == NEED:
            return NEED
        if e == "/" or e == "#":
            m = self._skip_ws(j + 1)
            if e == "/" and m + 1 >= n:
                return NEED if not self.final else 0
            return 1 if (e == "#" or buf[m + 1] in "/*") else 0    # a comment follows
        if e == "" or e in ",]}":
            return 1
        # a quote that ends its line opens no string: it closes this one, right after
        # the structure (`["the “q” ,"\n  []\n]`), or after the text of what
        # looked like a comment or the next item (`["“q” //"\n  ""\n]`, ``line_end``)
        # when that text holds no quote
        if text and (not line_end or quoted):
            return 0
        return 1 if buf.count("\n", j + 1, self._skip_ws(j + 1)) else 0

    def _close_next_line(self, i):
        """After `”` and what looks like a comment, in a string opened with `"` (or the
        reverse): does the next line start with a closing quote of the string's own kind,
        followed by a `,`, a closer or the end of the input (`"“q” // \n"}`)? Then the
        string goes on past a raw line break and closes there. 1, 0 (also at the
        look-ahead bound), or NEED."""
        buf = self.buf
        n = len(buf)
        lim = min(n, i + LOOKAHEAD)
        j = buf.find("\n", i, lim)
        if j < 0:
            return NEED if (lim >= n and not self.final) else 0
        j += 1
        while j < lim and buf[j] in " \t\r":
            j += 1
        if j >= n:
            return NEED if not self.final else 0
        if j >= lim or buf[j] != self.s_close:
            return 0
        e = self._next_sig(j + 1)
        if e == NEED:
            return NEED
        return 1 if (e == "" or e in ",]}") else 0

    def _comma_ahead(self, k):
        """After `",`: does the text at ``k`` start the next member (1) or not (0)?"""
        buf = self.buf
        n = len(buf)
        lim = min(n, k + LOOKAHEAD)
        while k < lim and (buf[k] in WS or buf[k] == "," or buf[k] == "\uff0c"):
            k += 1                  # white space, and doubled commas (fullwidth too)
        if k >= n:
            return 1 if self.final else NEED
        if k >= lim:
            return 1
        d = buf[k]
        kind = self.st_type[-1]
        if d == "/" and k + 1 >= n and not self.final:
            return NEED
        if d == "#" or (d == "/" and k + 1 < n and buf[k + 1] in "/*"):
            return 1                # a comment after the comma
        if d == "`":
            r = self._fence_at(k)
            if r != 0:
                return r            # the closing fence: the comma was trailing
        if kind == OBJ:
            if d in QUOTES:
                r = self._key_colon_ahead(k)
                if r == 0 and d == '"':
                    r = self._stutter(k)
                    return 1 if r > 0 else r
                return 1 if r >= 1 else (NEED if r == NEED else 0)
            if d in "}]{[":
                return 1
            r = self._bare_key_ahead(k)
            return 1 if r == 1 else (NEED if r == NEED else 0)
        if d in QUOTES or d in "{[]}-" or d.isdigit():
            return 1
        return self._value_word_ahead(k)

    def _stutter(self, k):
        """At a `"` before a key: a run of stray quotes and commas (`",","key":`, an
        OCR-style stutter) before the real key? The position of the key's opening quote,
        0 (no), or NEED."""
        buf = self.buf
        n = len(buf)
        m = k
        lim = min(n, k + LOOKAHEAD)
        while m < lim and (buf[m] == '"' or buf[m] == "," or buf[m] in WS):
            m += 1
        if m >= n:
            return NEED if not self.final else 0
        if m >= lim or m - k < 3 or buf[m - 1] != '"':
            return 0
        r = self._key_colon_ahead(m - 1)
        if r == NEED:
            return NEED
        return m - 1 if r == 1 else 0

    def _key_colon_ahead(self, i):
        """Is there a quoted key followed by `:` at ``i``? 1, 0, NEED, or 2 when the
        input ends (or the look-ahead bound comes) before that is known."""
        buf = self.buf
        n = len(buf)
        q = buf[i]
        if q == "\\":
            if i + 1 >= n:
                return NEED if not self.final else 0
            if buf[i + 1] != '"':
                return 0
            i += 1
            q = '"'
        close = self._closing_quote(q)
        # `"key”:` / `“key":`: a key may close with the other double quote
        other = "\u201d" if close == '"' else ('"' if close == "\u201d" else close)
        j = i + 1
        lim = min(n, i + LOOKAHEAD)
        while j < lim and buf[j] != close and buf[j] != "\n":
            # (not right after the opening quote: an empty key `"”:` is not closed there)
            if j > i + 1 and buf[j] == other and self._next_sig(j + 1) == ":":
                r = self._string_tail(j + 1, close)
                if r == NEED:
                    return NEED
                if r == 0:
                    break
            if buf[j] == "\\":
                j += 1
            j += 1
        if j >= n:
            return NEED if not self.final else 2
        if j >= lim:
            return 2                # a key longer than the look-ahead: cannot tell
        if buf[j] == "\n":
            return 0
        j += 1
        while j < lim and buf[j] in WS:
            j += 1
        if j >= n:
            return NEED if not self.final else 2
        if j >= lim:
            return 2
        if buf[j] in ":\uff1a":
            return 1
        return 0

    def _string_tail(self, i, close):
        """After `”` and a `:` at the top level: does the first `close` quote after the
        `:` on this line end the input (`"”:"`, `"a”: b"`: the whole is one string, not
        a key)? 1, 0, or NEED."""
        if self.st_type:
            return 0
        buf = self.buf
        n = len(buf)
        k = self._skip_ws(i) + 1            # past the `:`
        lim = min(n, k + LOOKAHEAD)
        while k < lim and buf[k] != close and buf[k] != "\n":
            k += 2 if buf[k] == "\\" else 1
        if k >= n:
            return NEED if not self.final else 0
        if k >= lim or buf[k] != close:
            return 0
        e = self._next_sig(k + 1)
        if e == NEED:
            return NEED
        return 1 if e == "" else 0

    def _member_tail(self, i):
        """After a straight quote that may close a key: does the rest of a member in
        strict JSON follow at ``i`` -- `:`, then a string, number or literal complete
        within the look-ahead (a string on its line), then `,`, `}` or the end of the
        input? 1, 0 (also at the look-ahead bound), or NEED."""
        buf = self.buf
        n = len(buf)
        lim = min(n, i + LOOKAHEAD)
        k = self._skip_ws(i)
        if k >= n:
            return NEED if not self.final else 0
        if k >= lim or buf[k] != ":":
            return 0
        k = self._skip_ws(k + 1)
        if k >= n:
            return NEED if not self.final else 0
        if k >= lim:
            return 0
        if buf[k] == '"':
            k = self._quoted_end(k + 1, lim)
            if k >= n:
                return NEED if not self.final else 0
            if k >= lim or buf[k] != '"':
                return 0
            k += 1
        elif buf[k] == "[" or buf[k] == "{":
            k = self._short_container(k, lim)
            if k <= 0:
                return k
        else:
            e = k
            while e < lim and buf[e] not in WS and buf[e] not in STOPS:
                e += 1
            if e >= n and not self.final:
                return NEED
            if e >= lim and e < n:
                return 0
            tok = buf[k:e]
            if tok != "true" and tok != "false" and tok != "null" and fix_number(tok) != tok:
                return 0
            k = e
        k = self._skip_ws(k)
        if k >= n:
            return NEED if not self.final else 1
        if k >= lim:
            return 0
        return 1 if (buf[k] == "," or buf[k] == "}") else 0

    def _quoted_end(self, k, lim):
        """From ``k`` inside a straight-quoted string on its line: the position of its
        closing quote, of a control character, or ``lim`` (or past it) when neither
        comes first."""
        buf = self.buf
        while k < lim and buf[k] != '"' and buf[k] >= " ":
            k += 2 if buf[k] == "\\" else 1
        return k

    def _short_container(self, k, lim):
        """At the `[` or `{` of a member's value in _member_tail(): the position after
        its matching closer when the container ends before ``lim`` with only strings (on
        their line), tokens and punctuation in it (`{"\\"”:{":[]}`); 0 when it does
        not, NEED (as -1) when the input ends first."""
        buf = self.buf
        n = len(buf)
        opens = []
        while k < lim:
            c = buf[k]
            if c == "[" or c == "{":
                opens.append("]" if c == "[" else "}")
            elif c == "]" or c == "}":
                if opens.pop() != c:
                    return 0
                if not opens:
                    return k + 1
            elif c == '"':
                k = self._quoted_end(k + 1, lim)
                if k >= lim or buf[k] != '"':
                    break
            elif not (c in WS or c == "," or c == ":" or c.isascii() and (
                    c.isalnum() or c in "+-.")):
                return 0
            k += 1
        if k >= n and not self.final:
            return NEED
        return 0

    def _escape(self, i):
        """At a backslash in a string: the position after the escape (edits recorded)."""
        buf = self.buf
        n = len(buf)
        if i + 1 >= n:
            return NEED if not self.final else n
        d = buf[i + 1]
        if d in "\"\\/":
            return i + 2
        if d in "bfnrt":
            if i + 2 < n and buf[i + 2].isalpha():
                self.s_latex.append(i)
            elif i + 2 >= n and not self.final:
                return NEED
            return i + 2
        if d == "u":
            if n - i < 6 and not self.final:
                if all(ch in "0123456789abcdefABCDEF" for ch in buf[i + 2:n]):
                    return NEED
            h = buf[i + 2:i + 6]
            if len(h) == 4 and all(ch in "0123456789abcdefABCDEF" for ch in h):
                u = int(h, 16)
                if u < 0xD800 or u > 0xDFFF:
                    return i + 6
                if u < 0xDC00 and buf[i + 6:i + 8] == "\\u":
                    lo = buf[i + 8:i + 12]
                    if len(lo) == 4 and all(ch in "0123456789abcdefABCDEF" for ch in lo) and 0xDC00 <= int(lo, 16) <= 0xDFFF:
                        return i + 12
                if u < 0xDC00 and n - i < 12 and not self.final:
                    return NEED
                # a lone surrogate: no JSON parser takes it, the replacement character does
                self._replace(ESCAPE, i, i + 6, "\\ufffd")
                return i + 6
            if i + 2 + len(h) >= n and self.final and all(ch in "0123456789abcdefABCDEF" for ch in h):
                return n   # a cut-off `\u12`: settled at the end of the input
        if d == "'":
            self._delete(ESCAPE, i, i + 1)
            return i + 2
        # an invalid escape like `\d` or `C:\Users`: the backslash is kept literally
        self._insert(ESCAPE, i, "\\")
        self.s_bad_escape = True
        return i + 1

    def _finish_string(self, close_at, end):
        """The string closed at ``close_at``; its token ends at ``end``."""
        if self.s_bad_escape and self.s_latex:
            for p in self.s_latex:
                self._insert(LATEX, p, "\\")
        self.s_latex = []
        self.s_fence = False
        self.pos = end
        if self.s_key:
            start = self.key_start
            cs = start + (2 if self.s_escaped else 1)
            if self.s_triple:
                cs = start + 3
            self.st_comma[-1] = -1
            self.key_start = start
            self.key_end = end
            self.last_end = end
            self._check_key_content(cs, close_at)
            self.state = COLON
        else:
            self.last_str_end = end
            self._after_value(end, True)

    def _close_string_at_end(self):
        """The input ended inside a string: close it, leaving trailing closers out."""
        buf = self.buf
        n = len(buf)
        if self.s_key:
            # a partial key is dropped
            self.state = KEY
            c = self.st_comma[-1]
            start = c if c >= 0 else self.key_start
            if c < 0:
                self._drop_missing_comma()
            self._delete(TRUNCATED, start, n)
            self.last_end = start if c >= 0 else self.last_end
            if c < 0:
                self.last_end = self._before_ws(self.key_start)
            self.st_comma[-1] = -1
            self.state = AFTER if self.st_count[-1] else KEY
            return
        end = n
        # a cut-off escape: `"x\` or `"x\u12`
        k = n - 1
        while k > self.s_start and buf[k] in "0123456789abcdefABCDEF" and n - k <= 4:
            k -= 1
        if k > self.s_start and buf[k] == "u" and buf[k - 1] == "\\" and n - k <= 5 and not self._escaped_backslash(k - 1):
            # (a complete `\u0041` stays, unless it is a high surrogate without its low half)
            if n - k < 5 or (buf[k + 1] in "dD" and buf[k + 2] in "89abAB"):
                end = k - 1
        elif buf[n - 1] == "\\" and n - 1 > self.s_start and not self._escaped_backslash(n - 1):
            end = n - 1
        if end < n and end - 6 > self.s_start and buf[end - 6:end - 3] in ("\\uD", "\\ud") and buf[end - 3] in "89abAB":
            end -= 6                # the high half of a surrogate pair whose low half was cut
        if end < n:
            self._delete(TRUNCATED, end, n)
        else:
            # `{"a": "hello}`: closers the string swallowed are structure
            j = n - 1
            while j > self.s_start and buf[j] in " \t\r\n,}]":
                j -= 1
            if j < n - 1 and ("}" in buf[j + 1:n] or "]" in buf[j + 1:n]) and self.st_type:
                split = j + 1
                self._drop_edits(split, n)
                self._insert(MISSING_QUOTE, split, '"')
                self._finish_string(split, split)
                self.final = True
                self._run()
                return
        self._insert(MISSING_QUOTE, end, '"')
        self.cand_flags |= TRUNCATED_END
        self._finish_string(end, end)

    def _escaped_backslash(self, k):
        """Is the backslash at ``k`` itself escaped by the one before it?"""
        buf = self.buf
        m = 0
        j = k - 1
        while j > self.s_start and buf[j] == "\\":
            m += 1
            j -= 1
        return m % 2 == 1

    def _before_ws(self, k):
        buf = self.buf
        while k > 0 and buf[k - 1] in WS:
            k -= 1
        return k


# -- streaming: the value built as the repaired text grows ---------------------------------

import codecs as _codecs     # (imported here: only streaming uses them)

import orjson as _orjson
from types import MemberDescriptorType as _MemberDescriptorType

# states of the value builder
B_VALUE = 0        # before a value
B_STRING = 1       # inside a string (a key or a value)
B_SCALAR = 2       # inside a number or literal
B_AFTER = 3        # after a value inside a container
B_KEY = 4          # in an object, before a key
B_COLON = 5        # in an object, after a key
B_DONE = 6         # the value is complete

# escape states of the builder inside a string
E_NONE = 0         # not in an escape
E_BACKSLASH = 1    # after `\`
E_HEX = 2          # after `\u`, reading four hex digits
E_LOW = 3          # after a high surrogate `\ud83d`: its low half must follow, `\`
E_LOW_U = 4        # ... then `u`

NOTHING = object()  # Builder.root before the first value

SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n",
                  "r": "\r", "t": "\t"}
HEX = "0123456789abcdefABCDEF"

_PLAIN = _re.compile('[^"\\\\\x00-\x1f\ud800-\udfff]+')
# a stream's chunk of plain string content for the scanner (Stream._plain_chunk): no
# quote (nor the string's own closing quote, checked apart), backslash, control character
# or lone surrogate
_PLAIN_CHUNK = _re.compile('[^"\\\\\x00-\x1f\u201d\ud800-\udfff]*').match
_SCALAR_RUN = _re.compile(r"[^ \t\n\r,\]}:]+")
_WS_RUN = _re.compile(r"[ \t\n\r]*")
_SMALL_INT = _re.compile(r"-?(?:0|[1-9][0-9]{0,17})\Z")
# the builder's fast path in an object: a key without escapes and its colon (and the
# white space after it)
_KEY_COLON = _re.compile('"([^"\\\\\x00-\x1f\ud800-\udfff]*)"[ \t\n\r]*:[ \t\n\r]*').match


class Held(list):
    """Holds the new value of a key the object already has, until it is complete: the
    old value stays in view meanwhile (the last one wins, as in JSON)."""


class Builder:
    """Builds the value of a strict-JSON text that arrives in pieces, in place.

    Containers are created once and extended; the string being read is stored in its
    container under its final key (or index) and replaced by a longer string when
    :meth:`refresh` is called after more of it arrived. Escapes are decoded as soon as
    they are complete (a high surrogate waits for its low half). Numbers and literals are
    put when their end is seen (or :meth:`end_scalar` says they are complete). Input that
    cannot continue a JSON text stops the builder (``broken``) at that character: nothing
    after it reaches the value, and it never raises.
    """

    def __init__(self):
        self.root = NOTHING
        self.stack = []       # open containers
        self.keys = []        # per open container: the pending key of a dict, else None
        self.state = B_VALUE
        self.is_key = False   # the string being read is a key
        self.parts = []       # the decoded content of the string being read (of a value
                              # string: what its container does not show yet)
        self.esc = E_NONE     # where in an escape the string is
        self.hexval = 0       # the hex digits of a `\u` escape so far
        self.nhex = 0         # ... how many
        self.high = 0         # a high surrogate waiting for its low half, or 0
        self.tok = []         # the number or literal being read
        self.broken = False
        self.dirty = False    # the partial string in its container is out of date
        self.grew = False     # the value changed since the caller last cleared this
        self.text_grew = False  # ... or the string being read grew (shown unless broken)

    # -- placing values -------------------------------------------------------------

    def _put(self, v):
        if not self.stack:
            self.root = v
        else:
            top = self.stack[-1]
            if type(top) is dict and self.keys[-1] in top:
                top = Held()
                self.stack.append(top)
                self.keys.append(None)
            if type(top) is dict:
                top[self.keys[-1]] = v
            else:
                top.append(v)
        self.grew = True

    def _settle(self):
        """A value is complete: a held one replaces the old value of its key."""
        if self.stack and type(self.stack[-1]) is Held:
            held = self.stack.pop()
            self.keys.pop()
            self.stack[-1][self.keys[-1]] = held[0]
            self.grew = True
        self.state = B_AFTER if self.stack else B_DONE

    def _close(self, c):
        """``c`` closes the container on top."""
        if not self.stack or type(self.stack[-1]) is not (dict if c == "}" else list):
            self.broken = True
            return
        self.stack.pop()
        self.keys.pop()
        self._settle()

    def _extend_last(self, t):
        """Add ``t`` to the end of the partial string last put. In place when nothing
        else holds the string: CPython grows a str whose only reference is the local it
        is added to, so a long string read after every chunk costs its length once, not
        once per read. (Someone holding the str keeps it as it was: it is copied.)"""
        stack = self.stack
        if not stack:
            v = self.root
            self.root = None
            v += t
            self.root = v
        else:
            top = stack[-1]
            if type(top) is dict:
                k = self.keys[-1]
                v = top[k]
                top[k] = None
                v += t
                top[k] = v
            else:
                v = top[-1]
                top[-1] = None
                v += t
                top[-1] = v

    def _scalar(self):
        """The value of the number or literal read (``NOTHING`` when it is not one)."""
        tok = "".join(self.tok)
        self.tok = []
        if tok == "true":
            return True
        if tok == "false":
            return False
        if tok == "null":
            return None
        if _SMALL_INT.match(tok):
            return int(tok)
        try:
            return _orjson.loads(tok)
        except _orjson.JSONDecodeError:
            return NOTHING

    def refresh(self):
        """Bring the partial string in its container up to date (O(what it gained))."""
        if self.dirty and not self.broken:
            self.dirty = False
            parts = self.parts
            if parts:
                self._extend_last(parts[0] if len(parts) == 1 else "".join(parts))
                parts.clear()

    # -- the parser -------------------------------------------------------------------

    def feed(self, s, i, n):
        """Read ``s[i:n]``, the next piece of the text."""
        while i < n and not self.broken:
            st = self.state
            if st == B_STRING:
                if s[i] == '"' and self.esc == E_NONE:
                    # (what _string() does at once with the closing quote)
                    self._end_string()
                    i += 1
                else:
                    i = self._string(s, i, n)
                continue
            if st == B_SCALAR:
                m = _SCALAR_RUN.match(s, i, n)
                if m is not None:
                    self.tok.append(m.group())
                    i = m.end()
                if i < n:
                    self._scalar_done()
                continue
            i = _WS_RUN.match(s, i, n).end()
            if i >= n:
                return
            c = s[i]
            if st == B_VALUE:
                if c == "{" or c == "[":
                    v = {} if c == "{" else []
                    self._put(v)
                    self.stack.append(v)
                    self.keys.append(None)
                    self.state = B_KEY if c == "{" else B_VALUE
                    i += 1
                elif c == '"':
                    self._put("")
                    self.is_key = False
                    self.state = B_STRING
                    i += 1
                elif c == "]" and self.stack and type(self.stack[-1]) is list and not self.stack[-1]:
                    self._close(c)
                    i += 1
                else:
                    self.state = B_SCALAR
            elif st == B_KEY:
                if c == '"':
                    m = _KEY_COLON(s, i, n)
                    if m is not None:
                        self.keys[-1] = m.group(1)
                        self.state = B_VALUE
                        i = m.end()
                        continue
                    self.is_key = True
                    self.state = B_STRING
                elif c == "}" and not self.stack[-1]:
                    self._close(c)      # (`{}`; after a comma `}` is not JSON)
                else:
                    self.broken = True
                i += 1
            elif st == B_COLON:
                if c != ":":
                    self.broken = True
                self.state = B_VALUE
                i += 1
            elif st == B_AFTER:
                if c == ",":
                    self.state = B_KEY if type(self.stack[-1]) is dict else B_VALUE
                elif c == "}" or c == "]":
                    self._close(c)
                else:
                    self.broken = True
                i += 1
            else:               # B_DONE: the value is complete; only space may follow
                self.broken = True
                return

    def _string(self, s, i, n):
        """Read string content from ``s[i:n]``; the position after what was read."""
        parts = self.parts
        grown = False
        while i < n:
            if self.esc == E_NONE:
                m = _PLAIN.match(s, i, n)
                if m is not None:
                    parts.append(m.group())
                    grown = True
                    i = m.end()
                    if i >= n:
                        break
                c = s[i]
                i += 1
                if c == '"':
                    self._end_string()
                    return i
                if c != "\\":
                    self.broken = True      # a control character or a lone surrogate
                    return n
                self.esc = E_BACKSLASH
                continue
            c = s[i]
            i += 1
            out = self._escape(c)
            if out is None:
                self.broken = True
                return n
            if out:
                parts.append(out)
                grown = True
        if grown and not self.is_key:
            self.dirty = True
            self.text_grew = True
        return i

    def _escape(self, c):
        """One character of an escape: the text it completes ("" if none yet), or
        ``None`` when it cannot continue a JSON escape."""
        esc = self.esc
        if esc == E_BACKSLASH:
            if c == "u":
                self.esc = E_HEX
                self.hexval = self.nhex = 0
                return ""
            self.esc = E_NONE
            return SIMPLE_ESCAPES.get(c)
        if esc == E_HEX:
            if c not in HEX:
                return None
            self.hexval = self.hexval * 16 + int(c, 16)
            self.nhex += 1
            if self.nhex < 4:
                return ""
            code = self.hexval
            self.esc = E_NONE
            if self.high:
                if not 0xDC00 <= code <= 0xDFFF:
                    return None
                code = 0x10000 + ((self.high - 0xD800) << 10) + (code - 0xDC00)
                self.high = 0
                return chr(code)
            if 0xD800 <= code <= 0xDBFF:
                self.high = code
                self.esc = E_LOW
                return ""
            if 0xDC00 <= code <= 0xDFFF:
                return None
            return chr(code)
        if esc == E_LOW:
            if c != "\\":
                return None
            self.esc = E_LOW_U
            return ""
        # E_LOW_U
        if c != "u":
            return None
        self.esc = E_HEX
        self.hexval = self.nhex = 0
        return ""

    def _end_string(self):
        parts = self.parts
        text = parts[0] if len(parts) == 1 else "".join(parts)
        self.parts = []
        if self.is_key:
            self.keys[-1] = text
            self.state = B_COLON
        else:
            if text:
                self._extend_last(text)
            self.dirty = False
            self.grew = True
            self._settle()

    def _scalar_done(self):
        v = self._scalar()
        if v is NOTHING:
            self.broken = True
            return
        self._put(v)
        self._settle()

    def end_scalar(self):
        """The number or literal being read is complete: the scanner has passed it."""
        if self.state == B_SCALAR and self.tok and not self.broken:
            self._scalar_done()


# where a stream's scanner waits at a string's closing quote (Stream._wait_state)
W_NONE = 0         # not waiting so, or a character came that may decide
W_SPACE = 1        # white space after the quote
W_COMMA = 2        # a comma, then white space or more commas
W_KEY = 3          # inside an object: the text of a quoted key
W_KEY_END = 4      # white space after the key's closing quote
W_COLON = 5        # the key's colon, then white space: the value has not begun
W_KEY_START = 6    # in an object before a key: white space up to its opening quote
W_QUOTE1 = 7       # a value's opening quote: a triple quote may still follow
W_QUOTE2 = 8       # ... and a second one
W_WORD = 9         # a bare value (number, literal, word) that may go on

# (the characters a bare value waited through starts with, and goes on with: the match
# of _WaitMatch.value())
WORD_START = frozenset("0123456789-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
WORD_CHARS = WORD_START | frozenset(".+_")

# Per wait state, one match follows the wait as far as the text keeps it going
# (Stream._wait_scan()): the characters that keep the state and those that lead on to
# the states after it (a comma, a key's opening quote, its text and closing quote, the
# colon, a value's first characters), each step marked by an empty group. When the match
# ends before the text does, the next character may decide: the wait ends. Else the last
# marker matched (``lastindex``) tells the state reached, and the closing quote of the
# key or of the value's opening quote it is in.
_WAIT_WS = "[ \t\n\r]*"
_WAIT_COMMAS = "[ \t\n\r,\uff0c]*"
# a key's opening quote: its closing quote (the other closing quote of `"`: _other_close())
_KEY_QUOTES = {'"': '"', "'": "'", "`": "`", "\u201c": "\u201d", "\u201d": "\u201d",
               "\u2018": "\u2019", "\u2019": "\u2019"}


def _other_close(close):
    return "\u201d" if close == '"' else ('"' if close == "\u201d" else close)


class _WaitMatch:
    """The match of one wait state: ``match(s, i, n)``, and ``states[lastindex]``: the
    state a marker group marks and its closing quote (``None`` for the state itself)."""

    def __init__(self, build):
        self.marks = []
        pattern = _re.compile(build(self))
        self.match = pattern.match
        self.states = [None] * (pattern.groups + 1)
        for name, index in pattern.groupindex.items():
            self.states[index] = self.marks[int(name[1:])]

    def mark(self, state, close=None):
        self.marks.append((state, close))
        return "(?P<m%d>)" % (len(self.marks) - 1)

    def value(self):
        """After a key's colon (W_COLON): white space, then a value's opening quote (and
        a second one), or a bare value."""
        quotes = "|".join("%s%s(?:%s%s)?" % (q, self.mark(W_QUOTE1, q), q, self.mark(W_QUOTE2, q))
                          for q in "'\"")
        return "%s(?:%s|[0-9a-zA-Z-]%s[0-9a-zA-Z.+_-]*)?" % (_WAIT_WS, quotes, self.mark(W_WORD))

    def key_end(self):
        """After a key's closing quote (W_KEY_END): white space, its colon, the value."""
        return "%s(?::%s%s)?" % (_WAIT_WS, self.mark(W_COLON), self.value())

    def key(self, close):
        """Inside a key (W_KEY): anything but its closing quote, the other closing quote
        of `"`, a backslash, a control character or a lone surrogate; the closing quote."""
        return "[^%s%s\\\\\x00-\x1f\ud800-\udfff]*(?:%s%s%s)?" % (
            _re.escape(close), _re.escape(_other_close(close)), _re.escape(close),
            self.mark(W_KEY_END), self.key_end())

    def key_start(self):
        """A key's opening quote (in an object), then the key."""
        return "(?:%s)?" % "|".join("%s%s%s" % (_re.escape(q), self.mark(W_KEY, close), self.key(close))
                                    for q, close in _KEY_QUOTES.items())


_WAIT_MATCH = {}
for _obj in (False, True):
    _WAIT_MATCH[W_SPACE, _obj] = _WaitMatch(lambda b, obj=_obj: "%s(?:,%s%s%s)?" % (
        _WAIT_WS, b.mark(W_COMMA), _WAIT_COMMAS, b.key_start() if obj else ""))
    _WAIT_MATCH[W_COMMA, _obj] = _WaitMatch(lambda b, obj=_obj: _WAIT_COMMAS + (
        b.key_start() if obj else ""))
    _WAIT_MATCH[W_KEY_START, _obj] = _WaitMatch(lambda b, obj=_obj: _WAIT_WS + (
        b.key_start() if obj else ""))
    _WAIT_MATCH[W_KEY_END, _obj] = _WaitMatch(lambda b: b.key_end())
    _WAIT_MATCH[W_COLON, _obj] = _WaitMatch(lambda b: b.value())
    _WAIT_MATCH[W_QUOTE2, _obj] = _WaitMatch(lambda b: "")
    _WAIT_MATCH[W_WORD, _obj] = _WaitMatch(lambda b: "[0-9a-zA-Z.+_-]*")
for _close in set(_KEY_QUOTES.values()):
    _WAIT_MATCH[W_KEY, _close] = _WaitMatch(lambda b, close=_close: b.key(close))
for _close in "'\"":
    _WAIT_MATCH[W_QUOTE1, _close] = _WaitMatch(lambda b, close=_close: "(?:%s%s)?" % (
        close, b.mark(W_QUOTE2, close)))


class Stream:
    """The per-chunk path of a stream (the base of :class:`repair.stream.StreamRepairer`).

    The scanner reads each chunk once. After it, the part of the payload's repaired text
    that became final (:meth:`Scanner.committed`, or the end of the payload) goes to the
    :class:`Builder`: the buffer between edits and the inserted texts, read in place.
    :meth:`attach` sets it up; it has no ``__init__`` of its own.
    """

    def attach(self, scanner, job):
        """Stream into ``scanner``; ``job`` checks the size (``check_size``, called when
        the input grows past ``job.max_size``) and is kept for the caller."""
        self.scanner = scanner
        self.job = job
        self.max_size = -1 if job.max_size is None else job.max_size
        self.builder = Builder()
        self.emitted = -1          # input position up to which text went to the builder
        self._start = -1           # where the streamed payload starts
        self.cursor = 0            # edits of the payload before this index are consumed
        self.taken = []            # the edits applied to the value so far, in order
        self.taken_changed = False  # ... one of them replaces text by other text
        self.decoder = None
        self.closed = False
        self._result = None
        self.builder_chars = 0     # characters handed to the value builder (the work)
        self.rebuilds = 0          # times the value was rebuilt after a restart
        self.wait = W_NONE         # see _wait_state()
        self.held = 0              # see _plain_chunk()
        self.direct = False        # ... and _give()
        self.wait_limit = 0
        self.wait_close = ""
        self.wait_other = ""
        self.wait_obj = False
        slot = getattr(type(self), "value", None)
        self.value_slot = slot if type(slot) is _MemberDescriptorType else None
        self.shown_value = NOTHING
        self._show()

    @property
    def result(self):
        """The :class:`RepairResult` close() returned (None before)."""
        return self._result

    @result.setter
    def result(self, result):
        self._result = result
        self._show()

    def _show(self):
        """When the instance's class keeps ``value`` in a slot of its own (a
        :class:`~repair.stream.StreamRepairer`: reading a slot costs the caller less than
        calling a property), bring it up to date: the string being streamed is refreshed
        here, after every chunk that changed it, rather than when ``value`` is read (it
        grows in place: O(what it gained))."""
        slot = self.value_slot
        if slot is None:
            return
        if self._result is not None:
            v = self._result.value
        else:
            b = self.builder
            if b.dirty:
                b.refresh()
            v = None if b.root is NOTHING else b.root
        if v is not self.shown_value:
            slot.__set__(self, v)
            self.shown_value = v

    def feed(self, chunk, /):
        if type(chunk) is not str or self.closed:
            chunk = self._text_of(chunk)
        if not chunk:
            return False
        sc = self.scanner
        n = len(sc.buf) + len(chunk)
        if self.max_size >= 0 and n > self.max_size:
            # the error's doc is the text fed so far, so that its position points into it
            self.job.check_size(n, sc.buf + chunk)
        h = self.held
        self.held = 0
        if self.direct:
            # right after a chunk that went to the builder directly (_give()): nothing
            # changed since but the length of the string both read, so only the chunk
            # is checked (as _plain_chunk() checks it)
            m = len(chunk)
            if sc.s_close not in chunk and _PLAIN_CHUNK(chunk).end() == m:
                buf = sc.buf
                n = len(buf)
                sc.buf = None
                buf += chunk
                sc.buf = buf
                sc.pos = n + m
                if self._give(chunk, n, m, h) == 2:
                    return False
                if self.builder.dirty and self.value_slot is not None:
                    self._show()
                return True
            self.direct = False
        w = self.wait
        if w != W_NONE:
            # a stream's most common chunk: the wait goes on through it (_wait_scan(),
            # written out: one match)
            if n < self.wait_limit:
                wm = _WAIT_MATCH[w, self.wait_close if w == W_KEY or w == W_QUOTE1 else self.wait_obj]
                mt = wm.match(chunk)
                if mt.end() == len(chunk):
                    st = wm.states[mt.lastindex or 0]
                    if st is not None:
                        self.wait, close = st
                        if close is not None:
                            self.wait_close = close
                            self.wait_other = _other_close(close)
                    # (the scanner's _append(), written out)
                    buf = sc.buf
                    sc.buf = None
                    buf += chunk
                    sc.buf = buf
                    return False
            self.wait = W_NONE
        k = self._plain_chunk(chunk, h)     # (the wait ended, if there was one: W_NONE)
        if k:
            if k == 2:
                return False
            if self.value_slot is not None:
                self._show()
            return True
        # (the scanner's feed(): chunk is a str)
        buf = sc.buf
        sc.buf = None
        buf += chunk
        sc.buf = buf
        r = self.rebuilds
        sc._run()
        changed = self._advance()
        self._wait_state()
        if (changed or self.rebuilds != r) and self.value_slot is not None:
            self._show()            # (a new builder: its value, even when not grown)
        return changed

    def _plain_chunk(self, text, h):
        """A chunk of plain string content (no quote, backslash, control character or
        lone surrogate) read with the scanner inside a string, or of white space read
        between tokens, all of its input read: the scanner would only step over it, so it
        goes to the scanner's buffer directly. Outside a string, where the repaired text
        is final (Scanner.committed()) does not move: it is at most the end of the last
        token; inside a key, it is the key's start. When everything before it is final
        and taken (but for the ``h`` characters the last chunk held back), and the chunk
        only extends the value string, it goes to the builder directly too, all but its
        end that may turn out to be structure (spaces, commas, closers:
        Scanner.committed() holds them back, and so does ``held`` for the next chunk);
        else the usual hand-off. So too a chunk of such content up to the string's
        closing quote where the scanner would stop to wait (_stop_at_quote()). 0 when it
        is not such a chunk, else 1 when the value changed, 2 when not."""
        sc = self.scanner
        buf = sc.buf
        n = len(buf)
        m = end = len(text)         # (end: where the content ends in the chunk)
        if sc.final or sc.pos != n:
            return 0
        if sc.state != STRING:
            if sc.state == PROSE or sc.state == THINK or sc.state == TOP_AFTER or text.strip(WS):
                return 0
        elif sc.s_close in text or _PLAIN_CHUNK(text).end() != m:
            end = self._stop_at_quote(text, n)
            if end < 0:
                return 0
        # (the scanner's _append(), written out)
        sc.buf = None
        buf += text
        sc.buf = buf
        sc.pos = n + end
        if sc.state != STRING or sc.s_key:
            return 2
        b = self.builder
        if (b.state != B_STRING or b.is_key or b.esc != E_NONE or b.broken
                or self.emitted != n - h or sc.cand_start != self._start or sc.candidates
                or (h and not end)):
            return 1 if self._advance() else 2
        return self._give(text, n, end, h)

    def _give(self, text, n, end, h):
        """The content ``text[:end]`` of the value string, read at ``n`` after the ``h``
        characters held back, to the builder directly, all but its end that may turn out
        to be structure (held back in turn). A chunk that was all content leaves the
        stream ``direct``: the next one needs only its own check (feed()). 1 when the
        value changed, else 2."""
        self.direct = end == len(text)
        e = end
        while e and text[e - 1] in " \t\r\n,}]":
            e -= 1
        if not e:
            self.held = h + end
            return 2
        # (what the builder's _string() does with plain content)
        b = self.builder
        piece = text if e == len(text) else text[:e]
        if h:
            piece = self.scanner.buf[n - h:n] + piece
        if self.value_slot is not None and not b.dirty:
            # (what _show() would do next: the string in its container grows now)
            b._extend_last(piece)
        else:
            b.parts.append(piece)
            b.dirty = True
        b.text_grew = True
        self.emitted = n + e
        self.builder_chars += h + e
        self.held = end - e
        return 1

    def _stop_at_quote(self, text, n):
        """Is ``text`` (input from ``n`` on, the scanner inside a string at ``n``) plain
        content, the string's closing quote, then what a wait after it goes on through
        (_wait_state())? The scanner would step over the content and stop at the quote,
        undecided: the index of the quote in ``text``, with the wait noted, else -1.
        Only where the scanner's own look-ahead runs into the end of the input: white
        space after a key; after a value, white space, commas and the next quoted key up
        to its colon (the wait goes on through the colon, the scanner does not)."""
        sc = self.scanner
        close = sc.s_close
        if (close != '"' and close != "'") or sc.s_triple or sc.s_escaped or not sc.st_type:
            return -1
        q = text.find(close)
        m = len(text)
        if q < 0 or m - q >= LOOKAHEAD or _PLAIN_CHUNK(text, 0, q).end() != q:
            return -1
        self.wait = W_KEY_END if sc.s_key else W_SPACE
        self.wait_obj = sc.st_type[-1] == OBJ
        self.wait_limit = n + q + LOOKAHEAD
        self._wait_scan(text, q + 1, m)
        w = self.wait
        if w == W_KEY_END if sc.s_key else (w == W_SPACE or w == W_COMMA or w == W_KEY
                                             or w == W_KEY_END):
            return q
        self.wait = W_NONE
        return -1

    def _wait_state(self):
        """After the scanner stopped at the closing quote of a string, waiting for what
        follows it to tell whether the quote closes it: after a value string white space,
        then a comma, white space and a quoted key up to its colon; after a key white
        space up to its colon. Until a character comes that may decide, every chunk would
        leave the scanner where it is (its look-ahead runs into the end of the input
        again): note where in that wait the input is, so that feed() can add such chunks
        to the buffer without a run. The wait goes on through the key's colon and the
        white space after it: the scanner would pass them, but nothing reaches the value
        before the next value begins (a key is shown with its value), and on through
        the value's first characters while the scanner cannot start the value yet (an
        opening quote that may be triple, a number or word that may go on). So does a wait
        that starts in an object before a key (the scanner stopped there, or at the
        key's opening quote): white space, the quoted key's text, its colon; a run over
        them moves nothing but white space to the builder."""
        sc = self.scanner
        n = len(sc.buf)
        p = sc.pos
        self.wait = W_NONE
        if sc.state == KEY and not sc.final and sc.st_type and n - p < LOOKAHEAD:
            self.wait = W_KEY_START
            self.wait_obj = True
            self.wait_limit = p + LOOKAHEAD
            self._wait_scan(sc.buf, p, n)
            return
        if (sc.state != STRING or sc.final or p >= n or sc.s_triple
                or sc.s_escaped or not sc.st_type or n - p >= LOOKAHEAD):
            return
        c = sc.buf[p]
        if c != sc.s_close or (c != "'" and c != '"'):
            return
        self.wait = W_KEY_END if sc.s_key else W_SPACE
        self.wait_obj = sc.st_type[-1] == OBJ
        self.wait_limit = p + LOOKAHEAD
        self._wait_scan(sc.buf, p + 1, n)

    def _wait_scan(self, s, i, n):
        """Follow the wait through ``s[i:n]``; ``wait`` is W_NONE after a character that
        may decide. The scanner's path it mirrors: _string_end() skips white space after
        the quote and, at a comma inside a container, asks _comma_ahead(), which skips
        white space and commas and, inside an object at a quote, asks _key_colon_ahead():
        the key's text up to its closing quote (a line break, a backslash or the other
        closing quote of `"` may decide), white space, then the character that decides;
        after a key's colon, white space, then the value's first characters while the
        scanner cannot start it yet: one or two quotes (a triple quote may follow,
        _open_string()), or a bare value up to its end (_word()). One match of the
        state's _WaitMatch."""
        w = self.wait
        if w == W_NONE:
            return
        wm = _WAIT_MATCH[w, self.wait_close if w == W_KEY or w == W_QUOTE1 else self.wait_obj]
        m = wm.match(s, i, n)
        if m.end() < n:
            self.wait = W_NONE
            return
        st = wm.states[m.lastindex or 0]
        if st is not None:
            self.wait, close = st
            if close is not None:
                self.wait_close = close
                self.wait_other = _other_close(close)

    def _text_of(self, chunk):
        """The text of a chunk that is not a plain str (bytes are decoded as UTF-8,
        incrementally), or the error feed() raises."""
        if self.closed:
            raise ValueError("feed() after close()")
        if isinstance(chunk, bytes):
            if self.decoder is None:
                self.decoder = _codecs.getincrementaldecoder("utf-8")("strict")
            try:
                return self.decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise RepairError("input is not valid UTF-8", chunk, exc.start) from None
        if not isinstance(chunk, str):
            raise TypeError("feed() takes str or bytes, not %s" % type(chunk).__name__)
        return chunk

    def _advance(self):
        """Hand what became final to the builder; whether the value changed."""
        sc = self.scanner
        if self.builder.state == B_DONE:
            return False
        if self._start < 0:
            if sc.candidates:
                self._start = sc.candidates[0][0]
            elif sc.cand_start >= 0:
                self._start = sc.cand_start
            else:
                return False
            self.emitted = self._start
        ended = False
        if sc.candidates and sc.candidates[0][0] == self._start:
            edits = sc.candidates[0][2]
            w = sc.candidates[0][1]
            ended = True
        elif sc.cand_start == self._start:
            edits = sc.edits
            w = sc.committed()
        else:
            return False
        if sc.low_water < self.emitted:
            # the scanner re-read text already shown (a restarted member): rebuild
            self.rebuilds += 1
            self.builder = Builder()
            self.emitted = self._start
            self.cursor = 0
            self.taken = []
            self.taken_changed = False
        sc.low_water = LOW_WATER_NONE
        if w <= self.emitted:
            return False
        b = self.builder
        b.grew = False
        b.text_grew = False
        self._take(edits, w, ended)
        if ended or w == sc.last_end:
            b.end_scalar()
        # (the content of a string the builder broke in is not shown)
        return b.grew or (b.text_grew and not b.broken)

    def _take(self, edits, w, at_end):
        """Feed the builder the repaired text of the input ``[emitted, w)``. The scanner
        keeps its edits sorted by position, so the ones there follow the cursor."""
        k = self.cursor
        n = len(edits)
        j = k
        last = -1
        tie = False                 # two edits at one position: edit_order() decides
        while j < n:
            e = edits[j]
            pos = e[1]
            if pos > w or (pos == w and not at_end):
                break
            if e[2] and pos + len(e[2]) > w:
                w = pos             # a removal reaching past w waits, from its start on
                break
            if pos == last:
                tie = True
            last = pos
            j += 1
        while j > k and edits[j - 1][1] >= w and not (at_end and edits[j - 1][1] == w):
            j -= 1
        buf = self.scanner.buf
        cur = self.emitted
        if j > k:
            # the repaired text as one piece: one pass of the builder over it
            parts = []
            taken = self.taken
            for e in (order_edits(edits[k:j]) if tie else edits[k:j]):
                _kind, pos, removed, inserted = e
                if pos < cur or pos > w:
                    continue            # inside text an earlier edit removed
                if cur < pos:
                    parts.append(buf[cur:pos])
                parts.append(inserted)
                cur = pos + len(removed)
                if cur > w:
                    cur = w
                taken.append(e)
                if removed != inserted:
                    self.taken_changed = True
            if cur < w:
                parts.append(buf[cur:w])
            text = "".join(parts)
            if text:
                self.builder_chars += len(text)
                self.builder.feed(text, 0, len(text))
        elif cur < w:
            self.builder_chars += w - cur
            self.builder.feed(buf, cur, w)
        self.cursor = j
        self.emitted = w

    @property
    def value(self):
        """The current value: live, extended in place (see StreamRepairer)."""
        if self._result is not None:
            return self._result.value
        b = self.builder
        if b.dirty:
            b.refresh()
        return None if b.root is NOTHING else b.root

    @property
    def text(self):
        """The JSON text of ``value`` (built on each read)."""
        if self._result is not None:
            return self._result.text
        v = self.value
        if self.builder.root is NOTHING:
            return ""
        return _orjson.dumps(v).decode("utf-8")

    def end_input(self):
        """No more input: the rest of a UTF-8 character cut at the end goes to the scanner
        (or :class:`RepairError`); feed() raises from now on."""
        self.closed = True
        if self.decoder is not None:
            try:
                tail = self.decoder.decode(b"", True)
            except UnicodeDecodeError as exc:
                raise RepairError("input is not valid UTF-8", b"", exc.start) from None
            if tail:
                self.scanner.feed(tail)

    def final_value(self):
        """After the scanner's ``finish()``: ``(start, end, value, edits, changed)`` when
        the value built while streaming is that of the payload ``[start, end)`` as one-shot
        repair renders it (every edit of the payload taken, none changed below what was
        taken, the value complete), else ``None``. The rest of the payload is taken
        first. ``edits`` and ``changed`` are what the result reports
        (``applied_edits(order_edits(...))`` of the payload's edits, and ``render()``'s
        flag): the edits the builder took, in the order it took them, then those past the
        end that only remove."""
        sc = self.scanner
        if self._start < 0 or sc.low_water < self.emitted:
            return None             # (edits changed in text already taken)
        self._advance()
        b = self.builder
        if b.broken or b.state != B_DONE or b.root is NOTHING:
            return None
        if not sc.candidates or sc.candidates[0][0] != self._start:
            return None
        start, end, edits, _flags = sc.candidates[0]
        if self.emitted != end or (self.cursor < len(edits) and edits[self.cursor][1] <= end):
            return None
        applied = self.taken + [e for e in edits[self.cursor:] if not e[3]]
        changed = self.taken_changed or start != 0 or end != len(sc.buf)
        return start, end, b.root, applied, changed
