"""Hypothesis damage operators: valid JSON documents broken the way models break them.

Each operator takes a JSON document (a Python value) and hypothesis' ``draw``, writes the
document in the layout it needs and returns a :class:`Damaged` ``(text, expected,
required_keys, ops)``: the damaged text, the value the model meant, and the required keys
to pass to the engine. ``expected`` is usually the document itself; operators that must
put something into the value to damage it (a raw newline, an inner quote, a backslash)
return the changed value.

The pipeline (:func:`damage`), so that operators compose:

1. ``prepare``: value-level changes (insert the quoted phrase, the backslashes, ...);
2. the value is cut into tokens (:func:`tokenize`) in a drawn :class:`Layout`, compact or
   pretty-printed like ``json.dumps``;
3. ``tokens``: token-level damage (quote style, literals, comments, commas, closers, ...);
   string tokens are rendered last from their flags, so several operators can restyle the
   same token;
4. ``text``: wrappers around the payload (fences, prose, ``<think>``, tags, tokens).

:data:`OPERATORS` maps each name to its operator; ``op.recoverable`` says whether the
damaged text must repair to exactly ``expected`` (all but ``truncation``, whose weaker
property is :func:`prefix_problem`). ``op.conflicts`` names the operators it cannot be
combined with (:func:`compatible`).

Document sources: :data:`llm_documents` (LLM-like objects and arrays) and
:data:`corpus_documents` (every dict or list ``expected`` value of the corpus,
``<repo>/corpus/*.jsonl``, else ``<repo>/../shared/corpus-seed/*.jsonl``).

Decisions about intent (DESIGN section 2), where an operator's output could be read two
ways; each operator filters what would make its intent ambiguous and says so:

- an invalid escape ``\\d`` means a literal backslash and ``d`` (DESIGN: "kept
  literally"), ``\\'`` means ``'`` (kinds.ESCAPE);
- ``NaN``/``Infinity`` are not generated (they repair to ``null``, not to a float);
- stringified JSON ``{\\"a\\": \\"b\\"}`` means ``{"a": "b"}``; only values whose strings hold
  no ``"``, backslash or control character are stringified (otherwise the number of
  escaping levels is a guess);
- required keys are only the keys whose normalised spelling is unique in the document
  (otherwise a rename would be a change of value, see :func:`safe_required_keys`).
"""
import copy
import json
import re
from pathlib import Path
from typing import Any, NamedTuple, Optional

from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
CORPUS_DIRS = (REPO / "corpus", REPO.parent / "shared" / "corpus-seed")

__all__ = ["Damaged", "Layout", "OPERATORS", "RECOVERABLE", "damage", "damaged",
           "combined", "compatible", "llm_documents", "corpus_documents", "corpus_values",
           "truncated", "prefix_problem", "value_diff", "safe_required_keys", "tokenize",
           "render"]


class Damaged(NamedTuple):
    text: str               # what the model wrote
    expected: Any           # what it meant
    required_keys: tuple    # what the caller passes as required_keys
    ops: tuple              # names of the operators applied, in order


# -- documents ----------------------------------------------------------------------

REAL_KEYS = [
    "name", "arguments", "tool_name", "tool_args", "tool_arguments", "parameters", "query",
    "thoughts", "text", "reasoning", "plan", "criticism", "speak", "command", "args",
    "score", "type", "id", "content", "status", "message", "inner_thoughts", "location",
    "celsius", "bbox", "errors", "headline", "final_decision", "final_feedback",
    "Original Requirements", "Required Python packages", "Anything UNCLEAR", "File list",
    "Implementation approach", "Competitive Quadrant Chart", "Data structures and interfaces",
    "filePath", "questionType", "is_cheating", "evidence_types", "x-axis", "quadrant-1",
    "Campaign: A", "水印时间", "设备名称", "prompt", "output", "reasoning_content", "html",
    "question", "limit", "similarity", "invoke_tool_name", "jsonrpc", "method", "label",
]
WORDS = [
    "the", "user", "file", "Paris", "weather", "score", "game", "2048", "data", "value",
    "naïve", "café", "résumé", "über", "日本語", "数据", "星期三", "Москва", "😀", "👋", "✓",
    "Hello", "world", "OK", "pending", "http://example.com/a?b=1&c=2", "v1.2.3", "e.g.",
    "—", "…", "%", "&", "@", "#", "*", "(x)", "[1]", "{a}", "<h3>", "x-axis", "don't",
    "it's", "“quoted”", "«fr»", "C:\\Users", "\\d+", 'say "hi"', "a/b", "//", "/*", "*/",
    "1,287", "3.14", "true", "null", "None", "...", ":", ";", ",", "!", "?",
]
CONTROL = ["\n", "\t", "\r\n", "\n\n", "\x00", "\x1f", "\x7f", "\u2028"]

_ident = st.from_regex(r"[a-z]{1,8}(_[a-z]{1,8}){0,2}", fullmatch=True)
_camel = st.from_regex(r"[a-z]{1,6}([A-Z][a-z]{1,6}){0,2}", fullmatch=True)
_title = st.from_regex(r"[A-Z][a-z]{1,8}( [A-Za-z][a-z]{0,8}){0,3}", fullmatch=True)
_any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=10).map(
    lambda s: avoid_known(s))

_real_key = st.sampled_from(REAL_KEYS)
# arbitrary text: one key in nine
llm_keys = st.one_of(_real_key, _real_key, _real_key, _ident, _ident, _camel, _title, _title,
                     _any_text.filter(bool))


@st.composite
def llm_strings(draw):
    """Sentences: words with unicode and punctuation, now and then a quote, a backslash, a
    brace, a control character, or arbitrary text."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(_any_text)
    parts = draw(st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS),
                                    _ident, st.sampled_from(CONTROL) if kind == 1
                                    else _ident), max_size=8))
    seps = draw(st.lists(st.sampled_from([" ", " ", " ", "", ", ", ". "]),
                         min_size=len(parts), max_size=len(parts)))
    return avoid_known("".join(p + s for p, s in zip(parts, seps)).strip(" "))


#: A closing smart quote and a comma at the end of a string (`\u201d ,"`) before a missing
#: comma on the same line loses the rest (test_damage.KNOWN_CONTENT_FAILURES keeps the minimal input): the
#: generated text leaves that ending out; remove this once the engine is fixed.
KNOWN_CONTENT_TRAP = re.compile(r"\u201d(?=\s*[,\uff0c]\s*$)")


def avoid_known(s):
    return KNOWN_CONTENT_TRAP.sub("", s)


json_ints = st.one_of(st.integers(-1000, 100000), st.integers(-(2 ** 63), 2 ** 63 - 1))
json_floats = st.one_of(st.integers(-100000, 100000).map(lambda n: n / 100),
                        st.floats(allow_nan=False, allow_infinity=False))
llm_scalars = st.one_of(llm_strings(), llm_strings(), json_ints, json_floats,
                        st.booleans(), st.none())
llm_values = st.recursive(
    llm_scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(llm_keys, children, max_size=5)),
    max_leaves=10)

#: LLM-like documents: mostly objects, sometimes arrays, never empty at the top.
llm_documents = st.one_of(
    st.dictionaries(llm_keys, llm_values, min_size=1, max_size=6),
    st.dictionaries(llm_keys, llm_values, min_size=1, max_size=6),
    st.dictionaries(llm_keys, llm_values, min_size=1, max_size=6),
    st.lists(llm_values, min_size=1, max_size=4))


def corpus_dir():
    for d in CORPUS_DIRS:
        if d.is_dir() and any(d.glob("*.jsonl")):
            return d
    return None


def corpus_values():
    """Every non-null dict or list ``expected`` value of the corpus (``[]`` without one)."""
    d = corpus_dir()
    if d is None:
        return []
    out = []
    for path in sorted(d.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    expected = json.loads(line).get("expected")
                    if isinstance(expected, (dict, list)) and expected:
                        out.append(expected)
    return out


CORPUS_VALUES = corpus_values()
corpus_documents = st.sampled_from(CORPUS_VALUES) if CORPUS_VALUES else st.nothing()
SOURCES = {"generated": llm_documents, "corpus": corpus_documents}


# -- value helpers --------------------------------------------------------------------

def value_diff(got, want, path="$"):
    """``None`` when ``got`` is ``want`` as JSON (types, values and key order), else where
    and how they first differ. ``1 == 1.0 == True`` in Python, not here."""
    if isinstance(want, bool) or want is None:
        ok = got is want
    elif isinstance(want, int):
        ok = type(got) is int and got == want
    elif isinstance(want, float):
        ok = type(got) is float and got == want
    elif isinstance(want, str):
        ok = isinstance(got, str) and got == want
    elif isinstance(want, list):
        if not isinstance(got, list):
            ok = False
        else:
            for i, (g, w) in enumerate(zip(got, want)):
                d = value_diff(g, w, "%s[%d]" % (path, i))
                if d:
                    return d
            if len(got) != len(want):
                return "%s: %d items, want %d" % (path, len(got), len(want))
            return None
    elif isinstance(want, dict):
        if not isinstance(got, dict):
            ok = False
        else:
            if list(got) != list(want):
                return "%s: keys %r, want %r" % (path, list(got), list(want))
            for k in want:
                d = value_diff(got[k], want[k], "%s[%r]" % (path, k))
                if d:
                    return d
            return None
    else:
        raise TypeError(type(want))
    return None if ok else "%s: %r, want %r" % (path, got, want)


def iter_keys(value):
    todo = [value]
    while todo:
        v = todo.pop()
        if isinstance(v, dict):
            yield from v
            todo.extend(v.values())
        elif isinstance(v, list):
            todo.extend(v)


def design_norm(key):
    """DESIGN's key normalisation: case-folded, runs of spaces, ``_`` and ``-`` alike."""
    return re.sub(r"[ _\-\t]+", " ", key.casefold())


def coarse_norm(key):
    """Coarser than any reading of DESIGN's normalisation (separators dropped): two keys
    that differ here can never be renamed into each other."""
    return re.sub(r"[ _\-\t]+", "", key.casefold())


def is_tag(key):
    return len(key) >= 3 and key[0] == "[" and key[-1] == "]"


def unique_spelling_keys(value):
    """The keys whose (coarse) normalised form has exactly one spelling in ``value``."""
    spellings = {}
    for k in iter_keys(value):
        spellings.setdefault(coarse_norm(k), set()).add(k)
    return {k for ks in spellings.values() if len(ks) == 1 for k in ks
            if coarse_norm(k) and not is_tag(k)}


def safe_required_keys(value):
    """The top-level keys of an object that can be required without renaming anything:
    no other key anywhere in the value normalises like them."""
    if not isinstance(value, dict):
        return ()
    ok = unique_spelling_keys(value)
    return tuple(k for k in value if k in ok)


def string_leaves(value, path=()):
    """``(path, string)`` for every string value (not key), in document order."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from string_leaves(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from string_leaves(v, path + (i,))
    elif isinstance(value, str):
        yield path, value


def set_at(value, path, new):
    """``value`` (deep-copied) with the node at ``path`` replaced by ``new``."""
    if not path:
        return new
    value = copy.deepcopy(value)
    node = value
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = new
    return value


def map_strings(value, fn, keys=True):
    """``value`` with ``fn`` applied to every string (and key, when ``keys``); keys that
    become equal keep the first's position and the last's value, like a dict literal."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out[fn(k) if keys else k] = map_strings(v, fn, keys)
        return out
    if isinstance(value, list):
        return [map_strings(v, fn, keys) for v in value]
    if isinstance(value, str):
        return fn(value)
    return value


# -- tokens and layout --------------------------------------------------------------

class Layout(NamedTuple):
    indent: Optional[str]   # None: one line
    after_comma: str        # one-line layout only
    after_colon: str
    ascii: bool             # \\uXXXX for non-ASCII, like ensure_ascii


@st.composite
def layouts(draw, pretty=None):
    if pretty is None:
        pretty = draw(st.booleans())
    ascii_ = draw(st.sampled_from([False, False, False, True]))
    if pretty:
        return Layout(draw(st.sampled_from(["  ", "    ", "\t", " "])), "", " ", ascii_)
    sep = draw(st.sampled_from([(", ", ": "), (",", ":"), (", ", ": "), (",", ": ")]))
    return Layout(None, sep[0][1:], sep[1][1:], ascii_)


class Tok:
    """A token of the written document. ``kind`` is one of open close key colon comma str
    scalar ws extra. Keys and string values (``key``/``str``) are rendered from ``value``
    and the style flags when the text is assembled (:func:`render`)."""

    q_open = q_close = '"'
    raw_ctrl = False        # \\n \\t \\r written raw
    raw_backslash = False   # backslashes written single (only before non-escape chars)
    esc_squote = False      # ' written \\'
    raw_dquote = False      # " written raw
    bare = False            # no quotes at all (unquoted key)
    py_repr = False         # written by Python's repr()
    stringified = False     # quotes written \\" (stringified JSON)
    ascii = False

    def __init__(self, kind, text="", value=None, path=()):
        self.kind = kind
        self.text = text
        self.value = value
        self.path = path
        self.start = self.end = 0

    def render(self):
        if self.kind not in ("key", "str"):
            return self.text
        s = self.value
        if self.py_repr:
            return repr(s)
        if self.bare:
            return s
        out = []
        for c in s:
            if c == '"':
                out.append('"' if self.raw_dquote else '\\"')
            elif c == "\\":
                out.append("\\" if self.raw_backslash else "\\\\")
            elif c == "'" and self.esc_squote:
                out.append("\\'")
            elif self.raw_ctrl and c in "\n\t\r":
                out.append(c)
            else:
                out.append(json.dumps(c, ensure_ascii=self.ascii)[1:-1])
        body = "".join(out)
        if self.stringified:
            return '\\"' + body + '\\"'
        return self.q_open + body + self.q_close

    def __repr__(self):
        return "Tok(%s, %r)" % (self.kind, self.render())


def tokenize(value, layout):
    toks = []

    def ws(s):
        if s:
            toks.append(Tok("ws", s))

    def emit(v, path, level):
        if isinstance(v, (dict, list)):
            is_obj = isinstance(v, dict)
            toks.append(Tok("open", "{" if is_obj else "[", path=path))
            items = list(v.items()) if is_obj else list(enumerate(v))
            for i, (k, x) in enumerate(items):
                if i:
                    toks.append(Tok("comma", ","))
                    if layout.indent is None:
                        ws(layout.after_comma)
                if layout.indent is not None:
                    ws("\n" + layout.indent * (level + 1))
                if is_obj:
                    t = Tok("key", value=k, path=path + (k,))
                    t.ascii = layout.ascii
                    toks.append(t)
                    toks.append(Tok("colon", ":"))
                    ws(layout.after_colon)
                emit(x, path + (k,), level + 1)
            if items and layout.indent is not None:
                ws("\n" + layout.indent * level)
            toks.append(Tok("close", "}" if is_obj else "]", path=path))
        elif isinstance(v, str):
            t = Tok("str", value=v, path=path)
            t.ascii = layout.ascii
            toks.append(t)
        else:
            toks.append(Tok("scalar", json.dumps(v), value=v, path=path))

    emit(value, (), 0)
    return toks


def render(toks):
    """The text of ``toks``; sets each token's ``start``/``end``."""
    parts = []
    pos = 0
    for t in toks:
        s = t.render()
        t.start, t.end = pos, pos + len(s)
        pos += len(s)
        parts.append(s)
    return "".join(parts)


def prev_sig(toks, i):
    """Index of the last non-whitespace token before ``i`` (or -1)."""
    i -= 1
    while i >= 0 and toks[i].kind == "ws":
        i -= 1
    return i


def nonempty_closers(toks):
    return [i for i, t in enumerate(toks)
            if t.kind == "close" and toks[prev_sig(toks, i)].kind != "open"]


def subset(draw, items, min_size=1):
    """A drawn non-empty (when possible) subset of ``items``, in order."""
    items = list(items)
    if not items:
        return []
    mask = draw(st.lists(st.booleans(), min_size=len(items), max_size=len(items)))
    chosen = [x for x, m in zip(items, mask) if m]
    if len(chosen) < min_size:
        chosen = [items[draw(st.integers(0, len(items) - 1))]]
    return chosen


class Ctx:
    """What operators tell the pipeline and each other."""

    def __init__(self):
        self.required_keys = None   # forced required keys (key_case)
        self.extra_keys = []        # tags such as [/CONTENT]
        self.open_end = False       # the payload was cut: nothing may follow it
        self.marks = {}             # operator name -> paths it prepared
        self.layout = None


# -- operators ------------------------------------------------------------------------

class Operator:
    name = None
    recoverable = True
    stage = 50              # order of application in a combination
    conflicts = frozenset()
    pretty = None           # True: needs the pretty-printed layout
    doc = ""

    def prepare(self, draw, value, ctx):
        return value

    def tokens(self, draw, toks, ctx):
        pass

    def text(self, draw, text, ctx):
        return text

    def __repr__(self):
        return "<operator %s>" % self.name


OPERATORS = {}


def register(cls):
    op = cls()
    OPERATORS[op.name] = op
    return cls


# ---- closers

@register
class MissingClosers(Operator):
    """Every closer at the end dropped (the model stopped right before them)."""
    name = "missing_closers"
    stage = 90
    conflicts = frozenset({"extra_closers", "mismatched_closer_end", "stray_closer"})

    def tokens(self, draw, toks, ctx):
        while toks and toks[-1].kind in ("close", "ws"):
            toks.pop()
        ctx.open_end = True


@register
class ExtraClosers(Operator):
    """One to three closers more after the end: ``{"a": 1}}``, ``{"a": 1}]``."""
    name = "extra_closers"
    stage = 90
    conflicts = frozenset({"missing_closers", "mismatched_closer_end"})

    def tokens(self, draw, toks, ctx):
        for c in draw(st.lists(st.sampled_from("}]"), min_size=1, max_size=3)):
            toks.append(Tok("ws", draw(st.sampled_from(["", "", "\n", " "]))))
            toks.append(Tok("close", c))


@register
class StrayCloser(Operator):
    """A closer of the wrong kind right before the last closer: ``{"a": "b"]}``."""
    name = "stray_closer"
    stage = 90
    conflicts = frozenset({"missing_closers", "mismatched_closer_end"})

    def tokens(self, draw, toks, ctx):
        i = max(i for i, t in enumerate(toks) if t.kind == "close")
        toks.insert(i, Tok("close", "]" if toks[i].text == "}" else "}"))


@register
class MismatchedCloserEnd(Operator):
    """The last closer of the wrong kind: ``{"a": 1]``, ``[1, 2}``."""
    name = "mismatched_closer_end"
    stage = 91
    conflicts = frozenset({"missing_closers", "extra_closers", "stray_closer",
                           "doubled_braces"})

    def tokens(self, draw, toks, ctx):
        i = max(i for i, t in enumerate(toks) if t.kind == "close")
        toks[i].text = "]" if toks[i].text == "}" else "}"


@register
class MismatchedCloser(Operator):
    """One closer of a nested container of the wrong kind: ``{"a": [1, 2}, "b": 3}``.
    Whether the wrong closer is read as a mismatch, or as closing the outer container
    early with an extra closer after it, the value is the same, except when members
    follow: then only the mismatch reading keeps them (DESIGN section 2)."""
    name = "mismatched_closer"
    stage = 80
    conflicts = frozenset({"doubled_braces"})

    def tokens(self, draw, toks, ctx):
        inner = [i for i, t in enumerate(toks) if t.kind == "close" and t.path]
        if not inner:
            return
        i = draw(st.sampled_from(inner))
        toks[i].text = "]" if toks[i].text == "}" else "}"


@register
class DoubledBraces(Operator):
    """Template leftovers around the payload: ``{{"a": 1}}`` (for an array, its objects:
    ``[{{"a": 1}}, 2]``)."""
    name = "doubled_braces"
    stage = 85
    conflicts = frozenset({"mismatched_closer", "mismatched_closer_end", "stringified",
                           "doubled_braces_nested"})

    def tokens(self, draw, toks, ctx):
        depth = 0 if isinstance(ctx.value, dict) else 1
        for t in toks:
            if t.kind in ("open", "close") and t.text in "{}" and len(t.path) == depth:
                t.text = t.text * 2


@register
class DoubledBracesNested(Operator):
    """A whole prompt template left in: every brace doubled, ``{{"a": {{"b": 1}}, "c": 2}}``
    (each ``{{`` pairs with a ``}}``)."""
    name = "doubled_braces_nested"
    stage = 85
    conflicts = frozenset({"mismatched_closer", "mismatched_closer_end", "stringified",
                           "doubled_braces"})

    def tokens(self, draw, toks, ctx):
        for t in toks:
            if t.kind in ("open", "close") and t.text in "{}":
                t.text = t.text * 2


# ---- quotes

def _quote_free(s, chars):
    return not any(c in s for c in chars)


@register
class SingleQuotes(Operator):
    """Keys and/or strings in single quotes (only strings holding no ``'``), inner ``"``
    written raw or escaped: ``{'a': 'say "hi"'}``."""
    name = "single_quotes"
    stage = 20
    conflicts = frozenset({"smart_quotes", "python_repr", "stringified", "inner_quotes"})

    def tokens(self, draw, toks, ctx):
        which = draw(st.sampled_from(["all", "keys", "values", "some"]))
        raw = draw(st.booleans())
        cands = [t for t in toks if t.kind in ("key", "str") and "'" not in t.value
                 and (which in ("all", "some") or (t.kind == "key") == (which == "keys"))]
        for t in (subset(draw, cands) if which == "some" else cands):
            t.q_open = t.q_close = "'"
            t.raw_dquote = raw


SMART = "\u201c\u201d\u2018\u2019"


@register
class SmartQuotes(Operator):
    """Typographic quotes as delimiters: ``{“a”: “b”}``, also only on one side
    (``"value2”``, as in the corpus). Strings holding a smart quote are left alone."""
    name = "smart_quotes"
    stage = 20
    conflicts = frozenset({"single_quotes", "python_repr", "stringified", "inner_quotes"})

    def tokens(self, draw, toks, ctx):
        mode = draw(st.sampled_from(["both", "both", "close", "open"]))
        cands = [t for t in toks if t.kind in ("key", "str") and _quote_free(t.value, SMART)]
        for t in subset(draw, cands):
            if mode in ("both", "open"):
                t.q_open = "\u201c"
            if mode in ("both", "close"):
                t.q_close = "\u201d"


@register
class UnquotedKeys(Operator):
    """Identifier-like keys written bare: ``{name: "x"}`` (keys that are literals such as
    ``true`` or ``None`` are left quoted)."""
    name = "unquoted_keys"
    stage = 25
    conflicts = frozenset({"python_repr", "stringified"})
    IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
    LITERALS = {"true", "false", "null", "True", "False", "None", "TRUE", "FALSE", "NULL",
                "undefined", "nil", "NaN", "nan", "Infinity", "inf"}

    def tokens(self, draw, toks, ctx):
        cands = [t for t in toks if t.kind == "key" and self.IDENT.match(t.value)
                 and t.value not in self.LITERALS]
        for t in subset(draw, cands):
            t.bare = True


@register
class InnerQuotes(Operator):
    """An unescaped quoted phrase inside a string value: ``"He said "hi" to me"``,
    ``"... an "Airbnb-free zone", which is ..."``, ``"...显示"按单号""``,
    ``"<h3 id="title">x</h3>"``. Only in strings that hold no quote, backslash, control
    character, colon or bracket of their own, so that nothing after the inner quote can
    read as a member boundary (``", note: b"`` could be a bare key and value)."""
    name = "inner_quotes"
    stage = 30
    conflicts = frozenset({"single_quotes", "smart_quotes", "python_repr", "stringified",
                           "raw_newlines", "missing_commas", "invalid_escapes"})
    PHRASES = ["hi", "dictator", "Airbnb-free zone", "offside", "Passie voor techniek",
               "按单号/客户/产品搜索", "折扣", "penalty", "OK", "v2"]
    BAD = re.compile(r'["\\:{}\[\]\x00-\x1f\u2028\u2029`\u201c\u201d]')

    def prepare(self, draw, value, ctx):
        cands = [(p, s) for p, s in string_leaves(value) if not self.BAD.search(s)]
        paths = []
        for p, s in subset(draw, cands):
            phrase = draw(st.sampled_from(self.PHRASES))
            form = draw(st.sampled_from(["mid", "punct", "end", "html"]))
            # never at the very start: `""hi" he said"` reads as an empty string
            words = s.split(" ") if s.strip() else ["say"]
            cut = draw(st.integers(1, len(words)))
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])
            if form == "punct" and not tail:
                form = "end"    # `"hi","` + `, "b": 1` is the OCR stutter of the corpus
            if form == "mid":
                new = " ".join(x for x in (head, '"%s"' % phrase, tail) if x)
            elif form == "punct":
                new = " ".join(x for x in (head, '"%s"%s' % (
                    phrase, draw(st.sampled_from([",", ".", "?", "!"]))), tail) if x)
            elif form == "end":
                new = s + ("，" if s and draw(st.booleans()) else " " if s else "") + \
                    '"%s"' % phrase
            else:
                new = '<h3 id="title">%s - "%s"?</h3>' % (s, phrase)
            value = set_at(value, p, new)
            paths.append(p)
        ctx.marks[self.name] = set(paths)
        return value

    def tokens(self, draw, toks, ctx):
        marked = ctx.marks.get(self.name, ())
        for t in toks:
            if t.kind == "str" and t.path in marked:
                t.raw_dquote = True


# ---- literals, comments, commas

@register
class PythonLiterals(Operator):
    """``True``/``False``/``None`` for ``true``/``false``/``null``."""
    name = "python_literals"
    stage = 40
    conflicts = frozenset({"stringified"})
    SPELL = {"true": "True", "false": "False", "null": "None"}

    def tokens(self, draw, toks, ctx):
        cands = [t for t in toks if t.kind == "scalar" and t.text in self.SPELL]
        for t in subset(draw, cands):
            t.text = self.SPELL[t.text]


def _repr_safe(c):
    r = repr(c)[1:-1]
    return not r.startswith("\\") or c in "\n\t\r\\'\"" or r.startswith("\\u")


@register
class PythonRepr(Operator):
    """The document as Python prints it: ``{'a': 'it\\'s "x"', 'b': True, 'c': None}``.
    Characters that Python writes as ``\\x..``/``\\U........`` (not JSON escapes) are
    left out of the value."""
    name = "python_repr"
    stage = 20
    conflicts = frozenset({"single_quotes", "smart_quotes", "inner_quotes", "raw_newlines",
                           "invalid_escapes", "stringified", "unquoted_keys"})

    def prepare(self, draw, value, ctx):
        return map_strings(value, lambda s: "".join(c for c in s if _repr_safe(c)))

    def tokens(self, draw, toks, ctx):
        for t in toks:
            if t.kind in ("key", "str"):
                t.py_repr = True
            elif t.kind == "scalar" and t.text in PythonLiterals.SPELL:
                t.text = PythonLiterals.SPELL[t.text]


COMMENT_TEXTS = ["define language", "the user's name", "TODO: fill in later",
                 'e.g. "Paris"', "see http://example.com/a?b=1", "list of {items}",
                 "score in [0, 1]", "必填", "optional, may be null", "#1 priority"]


@register
class Comments(Operator):
    """``//``, ``/* */`` and ``#`` comments between members: after a comma, after an
    opener, before a closer."""
    name = "comments"
    stage = 60
    conflicts = frozenset({"stringified"})

    def tokens(self, draw, toks, ctx):
        gaps = []
        nonempty = set(nonempty_closers(toks))
        for i, t in enumerate(toks):
            if t.kind == "comma":
                gaps.append(i + 1)
            elif t.kind == "close" and i in nonempty:
                gaps.append(i)              # before the closer (after the white space)
                j = prev_sig(toks, i)
                gaps.append(j + 1)          # right after the last value
                k = j
                while toks[k].kind != "open" or toks[k].path != t.path:
                    k -= 1
                gaps.append(k + 1)          # right after the opener
        for i in sorted(set(subset(draw, gaps)), reverse=True):
            style = draw(st.sampled_from(["//", "#", "/*"]))
            body = draw(st.sampled_from(COMMENT_TEXTS))
            nxt = toks[i] if i < len(toks) else None
            if style == "/*":
                text = " /* %s */ " % body
            else:
                text = " %s %s" % (style, body)
                if not (nxt is not None and nxt.kind == "ws" and nxt.text.startswith("\n")):
                    text += "\n"
            toks.insert(i, Tok("extra", text))


@register
class TrailingCommas(Operator):
    """A comma after the last member of some containers: ``[1, 2,]``."""
    name = "trailing_commas"
    stage = 70
    conflicts = frozenset({"stringified"})

    def tokens(self, draw, toks, ctx):
        for i in sorted(subset(draw, nonempty_closers(toks)), reverse=True):
            toks.insert(prev_sig(toks, i) + 1, Tok("comma", ","))


@register
class DoubledCommas(Operator):
    """A comma written twice: ``[1,, 2]``, ``{"a": 1, , "b": 2}``."""
    name = "doubled_commas"
    stage = 70
    conflicts = frozenset({"stringified"})

    def tokens(self, draw, toks, ctx):
        commas = [i for i, t in enumerate(toks) if t.kind == "comma"]
        for i in sorted(subset(draw, commas), reverse=True):
            toks.insert(i + 1, Tok("comma", draw(st.sampled_from([",", " ,", ", ,"]))))


@register
class MissingCommas(Operator):
    """Pretty-printed, with the comma at the end of some member lines left out:
    ``"a": "x"\\n  "b": 2`` (letta-183)."""
    name = "missing_commas"
    stage = 70
    pretty = True
    conflicts = frozenset({"stringified", "inner_quotes"})

    def tokens(self, draw, toks, ctx):
        commas = [i for i, t in enumerate(toks) if t.kind == "comma" and i + 1 < len(toks)
                  and toks[i + 1].kind == "ws" and toks[i + 1].text.startswith("\n")]
        for i in sorted(subset(draw, commas), reverse=True):
            del toks[i]


@register
class Fullwidth(Operator):
    """Full-width ``：`` and ``，`` (CJK input methods) for some colons and commas."""
    name = "fullwidth"
    stage = 75
    conflicts = frozenset({"stringified"})

    def tokens(self, draw, toks, ctx):
        cands = [t for t in toks if t.kind in ("colon", "comma") and t.text in ",:"]
        for t in subset(draw, cands):
            t.text = "\uff1a" if t.text == ":" else "\uff0c"


# ---- string contents

@register
class RawNewlines(Operator):
    """Newlines, tabs and CRLF written raw inside string values (MetaGPT's multi-line
    values). Strings without one get some inserted between words."""
    name = "raw_newlines"
    stage = 30
    conflicts = frozenset({"python_repr", "stringified", "inner_quotes", "invalid_escapes"})

    def prepare(self, draw, value, ctx):
        leaves = list(string_leaves(value))
        if not leaves:
            return value
        for p, s in subset(draw, leaves):
            if not any(c in s for c in "\n\t\r"):
                words = s.split(" ")
                for _ in range(draw(st.integers(1, 3))):
                    k = draw(st.integers(0, len(words)))
                    words.insert(k, draw(st.sampled_from(["\n", "\n    ", "\t", "\r\n",
                                                          "\n\t\tx-axis"])))
                value = set_at(value, p, " ".join(words))
        return value

    def tokens(self, draw, toks, ctx):
        for t in toks:
            if t.kind == "str" and any(c in t.value for c in "\n\t\r"):
                t.raw_ctrl = True


@register
class InvalidEscapes(Operator):
    """Backslashes the model did not escape: ``"C:\\Users\\me"``, ``"\\d+"`` (meaning the
    backslash itself, DESIGN: kept literally), and ``\\'`` for ``'`` (autogpt-626).
    Only in strings without control characters and with every backslash before a
    character that starts no JSON escape (``\\n`` or ``\\u`` would change meaning, and a
    string mixing raw backslashes with ``\\n`` falls under the LaTeX rule)."""
    name = "invalid_escapes"
    stage = 30
    conflicts = frozenset({"python_repr", "stringified", "raw_newlines", "inner_quotes"})
    SNIPPETS = ["C:\\Users\\me\\file.txt", "\\d+", "\\w+\\s*", "\\.", "\\$HOME", "50\\%",
                "a\\_b", "\\(x\\)", "\\[1\\]", "\\*", "\\-", "\\?", "\\ "]
    NOT_AFTER = set("\"\\/bfnrtu'x0123456789\n\r\t")

    @classmethod
    def raw_ok(cls, s):
        if any(ord(c) < 0x20 or c in "\u2028\u2029" for c in s):
            return False
        return all(s[i + 1:i + 2] and s[i + 1] not in cls.NOT_AFTER
                   for i, c in enumerate(s) if c == "\\")

    def prepare(self, draw, value, ctx):
        cands = [(p, s) for p, s in string_leaves(value) if self.raw_ok(s)]
        for p, s in subset(draw, cands):
            if draw(st.booleans()):
                words = s.split(" ")
                words.insert(draw(st.integers(0, len(words))),
                             draw(st.sampled_from(self.SNIPPETS)))
                new = " ".join(words)
                if self.raw_ok(new):
                    value = set_at(value, p, new)
        return value

    def tokens(self, draw, toks, ctx):
        squote = draw(st.booleans())
        for t in toks:
            if t.kind == "str" and self.raw_ok(t.value):
                t.raw_backslash = True
                t.esc_squote = squote and t.q_open != "'"


@register
class Stringified(Operator):
    """JSON that went through a JSON string once more: ``{\\"a\\": \\"b\\"}``, one-line or
    pretty with literal ``\\n`` for its newlines (allms-21). The value keeps no ``"``,
    backslash or control character (see the module docstring)."""
    name = "stringified"
    stage = 95     # conflicts: set below, once every operator is registered
    BAD = re.compile(r'["\\\x00-\x1f\u2028\u2029]')

    def prepare(self, draw, value, ctx):
        return map_strings(value, lambda s: self.BAD.sub("", s))

    def tokens(self, draw, toks, ctx):
        literal_nl = draw(st.booleans())
        for t in toks:
            if t.kind in ("key", "str"):
                t.stringified = True
            elif t.kind == "ws" and literal_nl:
                t.text = t.text.replace("\n", "\\n").replace("\t", "\\t")
        if literal_nl and draw(st.booleans()):
            toks.append(Tok("ws", "\\n"))


# ---- keys

def _recase(key, how):
    if how == "lower":
        return key.lower()
    if how == "upper":
        return key.upper()
    if how == "title":
        return key.title()
    if how == "capitalize":
        return key.capitalize()
    if how == "swapcase":
        return key.swapcase()
    if how == "underscores":
        return key.replace(" ", "_")
    if how == "spaces":
        return key.replace("_", " ").replace("-", " ")
    if how == "lower_underscores":
        return key.lower().replace(" ", "_")
    raise ValueError(how)


RECASINGS = ["lower", "upper", "title", "capitalize", "swapcase", "underscores", "spaces",
             "lower_underscores"]


@register
class KeyCase(Operator):
    """Keys re-cased (lower, upper, title, spaces and ``_`` swapped), at any depth, with
    the original spellings as required keys. Only keys whose normalised form has one
    spelling in the document, and only recasings that keep that form (``ı``.upper() is
    ``I``, whose case-fold is ``i``)."""
    name = "key_case"
    stage = 10
    conflicts = frozenset()

    def prepare(self, draw, value, ctx):
        order = []
        for k in iter_keys(value):
            if k not in order:
                order.append(k)
        unique = unique_spelling_keys(value)
        cands = [k for k in order if k in unique]
        ctx.marks[self.name] = chosen = {}
        for k in subset(draw, cands):
            how = draw(st.sampled_from(RECASINGS))
            new = _recase(k, how)
            if design_norm(new) != design_norm(k) or coarse_norm(new) != coarse_norm(k):
                new = k
            chosen[k] = new
        ctx.required_keys = tuple(chosen)
        return value

    def tokens(self, draw, toks, ctx):
        chosen = ctx.marks[self.name]
        for t in toks:
            if t.kind == "key" and t.value in chosen:
                t.value = chosen[t.value]


# ---- wrappers around the payload

PROSE_BEFORE = [
    "Here is the JSON output:", "Sure! Here is the properly formatted JSON output based on "
    "the given context:", "Here's the JSON you asked for:", "Action:",
    "I apologize for the confusion, here is another prompt:",
    "Sure, here is the output for the given product review in valid JSON format:",
    "### Action", "Okay, let me produce the result.", "以下是JSON格式的输出：",
    "Final Answer:", "Output (as requested, no extra text):",
]
PROSE_AFTER = [
    "Let me know if you need anything else.",
    "This action will get the weather information for Paris, and I will use the result "
    "as the final answer.",
    "Note: The `security_aspects` list is formatted as a valid Python list of strings.",
    "Thought: I will wait for the observation to gather the current temperature.",
    "Would you like to know more about a specific open incident?", "I hope this helps!",
    "###", "希望这对你有帮助。", "Explanation: the score reflects the criteria above.",
]
THINK_TEXTS = [
    "The user wants a JSON object. Let me think about the keys: name, age.",
    'I could answer {"name": "draft"} but the schema needs more fields {a, b}.',
    "Okay, so the format is [item, item] inside an object. {{template}} stuff is "
    "irrelevant.\n\nLet me write it.",
    "嗯，用户需要JSON。我应该输出 {\"结果\": ...} 这样的格式。",
    "First } then ] — no wait. Let me carefully produce valid JSON.",
]


def _prose(draw, pool):
    return draw(st.sampled_from(pool))


@register
class Fences(Operator):
    """A Markdown fence (```json, ```JSON, ```javascript or bare ```), on its own lines or
    inline (mobileagent-147), prose before and/or after, the closing fence sometimes
    missing."""
    name = "fences"
    stage = 100
    conflicts = frozenset({"stringified"})

    def text(self, draw, text, ctx):
        tag = draw(st.sampled_from(["json", "json", "JSON", "", "javascript", "jsonc"]))
        inline = draw(st.sampled_from([False, False, True]))
        nl = " " if inline else "\n"
        out = "```" + tag + nl + text
        if not ctx.open_end and draw(st.sampled_from([True, True, True, False])):
            out += nl + "```"
            if draw(st.booleans()):
                out += "\n\n" + _prose(draw, PROSE_AFTER) + "\n"
        if draw(st.booleans()):
            out = _prose(draw, PROSE_BEFORE) + draw(st.sampled_from([" ", "\n", "\n\n"])) + out
        return draw(st.sampled_from(["", "\n", " "])) + out


@register
class Prose(Operator):
    """Prose before and/or after the payload, no fence (smolagents, crewai, allms)."""
    name = "prose"
    stage = 110
    conflicts = frozenset()

    def text(self, draw, text, ctx):
        before, after = draw(st.sampled_from([(True, False), (False, True), (True, True)]))
        if ctx.open_end:
            before, after = True, False
        if before:
            text = _prose(draw, PROSE_BEFORE) + draw(st.sampled_from(["\n", "\n\n", " "])) + text
        if after:
            text += draw(st.sampled_from(["\n\n", " \n\n", "\n"])) + _prose(draw, PROSE_AFTER)
        return text


@register
class Think(Operator):
    """A ``<think>…</think>`` block before the payload (its text may hold braces and
    brackets); sometimes without the opening tag (chat templates that put ``<think>`` in
    the prompt) and then with brace-free text."""
    name = "think"
    stage = 130
    conflicts = frozenset()

    def text(self, draw, text, ctx):
        body = _prose(draw, THINK_TEXTS)
        if draw(st.sampled_from([True, True, True, False])):
            head = "<think>" + draw(st.sampled_from(["\n", ""])) + body
        else:
            head = re.sub(r"[{}\[\]\"]", "", body)
        return head + draw(st.sampled_from(["\n", ""])) + "</think>" + \
            draw(st.sampled_from(["\n\n", "\n", ""])) + text


@register
class ContentTags(Operator):
    """MetaGPT's ``[CONTENT]…[/CONTENT]``, also ``[content]``, the close tag without its
    slash or missing, a duplicated open tag, prose before; ``[/CONTENT]`` is passed as a
    required key, as MetaGPT does."""
    name = "content_tags"
    stage = 120
    conflicts = frozenset()

    def text(self, draw, text, ctx):
        lower = draw(st.sampled_from([False, False, False, True]))
        tag = "[content]" if lower else "[CONTENT]"
        close = draw(st.sampled_from(["slash", "slash", "noslash", "missing"]))
        nl = draw(st.sampled_from(["\n", " "]))
        out = tag + nl + text
        if not ctx.open_end and close != "missing":
            out += nl + (tag[:1] + "/" + tag[1:] if close == "slash" else tag)
        if draw(st.sampled_from([False, False, True])):
            out = tag + " tag\n" + out
        if draw(st.booleans()):
            out = _prose(draw, PROSE_BEFORE) + "\n\n" + out
        ctx.extra_keys.append("[/CONTENT]")
        return out


SPECIAL_AFTER = ["<|im_end|>", "</s>", "<|eot_id|>", "<|end|>", "<|endoftext|>",
                 "<｜end▁of▁sentence｜>", "<|return|>", "<|call|>"]
SPECIAL_AROUND = [("<|python_start|>", "<|python_end|>"), ("<tool_call>\n", "\n</tool_call>"),
                  ("[TOOL_CALLS]", ""), ("[TOOL_CALLS] ", ""),
                  ("<|im_start|>assistant\n", "<|im_end|>"),
                  ("<|start|>assistant<|channel|>final<|message|>", "<|return|>"),
                  ("<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>f\n",
                   "<｜tool▁call▁end｜><｜tool▁calls▁end｜>")]


@register
class SpecialTokens(Operator):
    """Chat-template special tokens left in the text: ``<|im_end|>``, ``</s>``,
    ``<|eot_id|>`` after the payload, ``<|python_start|>``, ``[TOOL_CALLS]``,
    ``<tool_call>`` around it."""
    name = "special_tokens"
    stage = 125
    conflicts = frozenset()

    def text(self, draw, text, ctx):
        if draw(st.booleans()):
            head, tail = draw(st.sampled_from(SPECIAL_AROUND))
        else:
            head, tail = "", draw(st.sampled_from(SPECIAL_AFTER))
        if ctx.open_end:
            tail = ""
        return head + text + draw(st.sampled_from(["", "", "\n"])) + tail


@register
class Truncation(Operator):
    """Cut off (``max_tokens``): the text ends at a drawn offset inside the document. Not
    recoverable; its property is :func:`prefix_problem`."""
    name = "truncation"
    recoverable = False
    stage = 99
    conflicts = frozenset(OPERATORS)    # combined with nothing


Stringified.conflicts = frozenset(OPERATORS) - {"key_case", "fences", "prose", "think",
                                                "content_tags", "special_tokens",
                                                "stringified", "truncation"}
for _name, _op in OPERATORS.items():     # conflicts are symmetric
    for _other in _op.conflicts:
        if _other in OPERATORS:
            OPERATORS[_other].conflicts = OPERATORS[_other].conflicts | {_name}


RECOVERABLE = tuple(n for n, op in OPERATORS.items() if op.recoverable)


def compatible(names):
    return all(b not in OPERATORS[a].conflicts for a in names for b in names if a != b)


# -- the pipeline ---------------------------------------------------------------------

def damage(draw, value, names):
    """Apply the operators ``names`` to ``value``; returns :class:`Damaged`."""
    ops = sorted((OPERATORS[n] for n in names), key=lambda op: op.stage)
    ctx = Ctx()
    for op in ops:
        value = op.prepare(draw, value, ctx)
    ctx.value = value
    pretty = True if any(op.pretty for op in ops) else None
    ctx.layout = layout = draw(layouts(pretty))
    toks = tokenize(value, layout)
    for op in ops:
        op.tokens(draw, toks, ctx)
    text = render(toks)
    for op in ops:
        text = op.text(draw, text, ctx)
    if ctx.required_keys is not None:
        keys = ctx.required_keys
    else:
        keys = safe_required_keys(value) if draw(st.booleans()) else ()
    keys = tuple(keys) + tuple(ctx.extra_keys)
    return Damaged(text, value, keys, tuple(op.name for op in ops))


@st.composite
def damaged(draw, names, documents):
    """Strategy: a document from ``documents`` damaged by the operators ``names``."""
    if isinstance(names, str):
        names = (names,)
    return damage(draw, draw(documents), names)


@st.composite
def combined(draw, documents, pool=RECOVERABLE, min_ops=2, max_ops=3, avoid=()):
    """Strategy: a document damaged by 2-3 compatible operators drawn from ``pool``,
    never two that form a pair in ``avoid`` (pairs with a known engine failure)."""
    avoid = {frozenset(p) for p in avoid}
    names = []
    for _ in range(draw(st.integers(min_ops, max_ops))):
        left = [n for n in pool if n not in names and compatible(names + [n])
                and not any(frozenset((n, m)) in avoid for m in names)]
        if not left:
            break
        names.append(draw(st.sampled_from(left)))
    return damage(draw, draw(documents), names)


# -- truncation -----------------------------------------------------------------------

class Node(NamedTuple):
    start: int
    end: int
    children: tuple     # ((key or index, Node), ...)


def node_tree(toks):
    """The offsets of every value of a rendered token list, as a tree of :class:`Node`."""
    stack = [[0, 0, []]]
    for t in toks:
        if t.kind == "open":
            stack.append([t.start, None, []])
        elif t.kind in ("close", "scalar", "str"):
            if t.kind == "close":
                start, _, children = stack.pop()
                node = Node(start, t.end, tuple(children))
            else:
                node = Node(t.start, t.end, ())
            parent = stack[-1][2]
            label = t.path[-1] if t.path else None
            parent.append((label, node))
    return stack[0][2][0][1]


LEADS = ["", "", "```json\n", "Here is the JSON output:\n\n", "<think>\nthe user wants "
         "{a, b}\n</think>\n\n", "[CONTENT]\n", "<|python_start|>"]


@st.composite
def truncated(draw, documents):
    """``(text, value, tree, cut, lead)``: the document written in a drawn layout, cut
    at ``cut`` (an offset into the document, ``0 < cut < len``), after the drawn
    wrapper start ``lead`` (text = lead + document[:cut])."""
    value = draw(documents)
    toks = tokenize(value, draw(layouts()))
    doc = render(toks)
    cut = draw(st.integers(1, len(doc) - 1))
    lead = draw(st.sampled_from(LEADS))
    return lead + doc[:cut], value, node_tree(toks), cut, lead


def prefix_problem(got, want, node, cut, path="$"):
    """``None`` when ``got`` (the repair of the text cut at ``cut``) is prefix-compatible
    with ``want`` (the original value at ``node``), else what is wrong. Prefix-compatible:

    - a value that ends before the cut (``node.end <= cut``) is there, unchanged;
    - a value not started before the cut (``node.start >= cut``) is absent, or ``null``
      (DESIGN: ``{"a": 1, "b":`` gives ``"b": null``);
    - a cut object is an object whose keys are the first keys of the original, in order
      (a cut key is dropped, no key invented); a cut array holds at most the original's
      items; both keep every complete member, and each member they keep is itself
      prefix-compatible;
    - a cut string is a string, a prefix of the original (a cut escape is dropped);
    - a cut number is a number or ``null``; a cut literal (``tr``) is the literal or
      ``null``.
    """
    if node.end <= cut:
        d = value_diff(got, want, path)
        return None if d is None else "complete value changed: " + d
    if node.start >= cut:
        return None if got is None else "%s: %r for a value not started" % (path, got)
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return "%s: %r, want a (cut) object" % (path, got)
        okeys, gkeys = list(want), list(got)
        if gkeys != okeys[:len(gkeys)]:
            return "%s: keys %r are not a prefix of %r" % (path, gkeys, okeys)
        complete = sum(1 for _, ch in node.children if ch.end <= cut)
        if len(gkeys) < complete:
            return "%s: complete member %r dropped" % (path, okeys[len(gkeys)])
        for (k, ch) in node.children[:len(gkeys)]:
            d = prefix_problem(got[k], want[k], ch, cut, "%s[%r]" % (path, k))
            if d:
                return d
        return None
    if isinstance(want, list):
        if not isinstance(got, list):
            return "%s: %r, want a (cut) array" % (path, got)
        if len(got) > len(want):
            return "%s: %d items, the original has %d" % (path, len(got), len(want))
        complete = sum(1 for _, ch in node.children if ch.end <= cut)
        if len(got) < complete:
            return "%s: complete item %d dropped" % (path, len(got))
        for i, (g, (_, ch)) in enumerate(zip(got, node.children)):
            d = prefix_problem(g, want[i], ch, cut, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    if isinstance(want, str):
        if isinstance(got, str) and want.startswith(got):
            return None
        return "%s: %r is not a prefix of %r" % (path, got, want)
    if isinstance(want, bool) or want is None:
        return None if got is None or got is want else "%s: %r for a cut %r" % (
            path, got, want)
    if got is None or (isinstance(got, (int, float)) and not isinstance(got, bool)):
        return None
    return "%s: %r for a cut number %r" % (path, got, want)
