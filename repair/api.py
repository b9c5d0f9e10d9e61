"""repair_llm_output, loads, repair: fast path -> rules -> scanner -> choose and verify."""
from __future__ import annotations

import functools
import gc
import json.decoder
import json.scanner
import logging
import re
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple, Optional, cast

import orjson

from . import kinds
from .errors import RepairError, RepairValidationError
from .rules.keys import KeySpec, RequiredKeys
from .rules.native import bare_text, native_arguments
from .scanner import Scanner, c_core, py_core

if TYPE_CHECKING:
    from typing import Protocol

    from ._core import Candidate, Edits, EditTuple, Stream
    from .scanner import Core

    class _AlwaysMatches(Protocol):
        """A pattern that matches (maybe the empty string) at every position."""

        def match(self, string: str, pos: int = ...) -> re.Match[str]: ...

__all__ = ["Edit", "RepairResult", "Engine", "Job", "repair", "loads", "repair_llm_output"]

logger = logging.getLogger("repair")

PRESETS = {
    "strict": 0,   # validate and extract only: a payload needing any repair is an error
    "safe": 0,
    "aggressive": py_core.RULE_IMPLICIT_ANYWHERE,
}
POLICIES = ("best", "first", "last", "all")
DEFAULT_MAX_DEPTH = 1000
_NOT_FOUND: Any = object()   # (Any: it stands in for a JSON value)

JSONValue = Any
"""A JSON value as parsed (orjson): dict, list, str, int, float, bool or None."""


class Edit(NamedTuple):
    """One repair: at ``pos`` in the input, ``removed`` was replaced by ``inserted``."""

    kind: str
    pos: int
    removed: str
    inserted: str


class RepairResult:
    """What :func:`repair` found.

    text          the repaired JSON text of the chosen value (parses with orjson)
    value         that text, parsed
    edits         the :class:`Edit` records, in input order
    span          ``(start, end)``: where the payload was in the input
    missing_keys  required keys found nowhere in the value
    changed       whether ``text`` differs from the input: the payload is not all of it, or
                  an edit replaced text by other text
    """

    __slots__ = ("_text", "_out", "_render", "value", "_edits", "_raw", "span",
                 "missing_keys", "changed")

    _text: str | None
    _out: bytes | None
    _render: Callable[[], bytes] | None
    value: JSONValue
    _edits: tuple[Edit, ...] | None
    _raw: Iterable[EditTuple] | None
    span: tuple[int, int]
    missing_keys: tuple[str, ...]
    changed: bool

    def __init__(self, text: str | None, value: JSONValue, edits: Iterable[Edit],
                 span: tuple[int, int], missing_keys: tuple[str, ...], changed: bool,
                 raw: Iterable[EditTuple] | None = None, out: bytes | None = None,
                 render: Callable[[], bytes] | None = None) -> None:
        self._text = text
        self._out = out             # the text as UTF-8 bytes, decoded when read
        self._render = render       # ... or what makes those bytes, when first read (a
                                    # stream's value: most callers only want the value)
        self.value = value
        self._edits = None if raw is not None else tuple(edits)
        self._raw = raw             # the core's edit tuples, turned into Edits when read
        self.span = span
        self.missing_keys = missing_keys
        self.changed = changed

    @property
    def text(self) -> str:
        if self._text is None:
            # (_out or _render is set while _text is not)
            out = self._out if self._render is None else self._render()
            self._text = out.decode("utf-8")  # type: ignore[union-attr]
            self._out = self._render = None
        return self._text

    @property
    def edits(self) -> tuple[Edit, ...]:
        if self._edits is None:
            # (_raw is set while _edits is not)
            self._edits = tuple(_edit(e) for e in self._raw)  # type: ignore[union-attr]
            self._raw = None
        return self._edits

    def __getstate__(self) -> dict[str, Any]:
        # (the text and the edits as plain values: not the core's edit list, nor what
        # renders the text later)
        return {"text": self.text, "value": self.value, "edits": self.edits,
                "span": self.span, "missing_keys": self.missing_keys, "changed": self.changed}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["text"], state["value"], state["edits"],  # type: ignore[misc]
                      state["span"], state["missing_keys"], state["changed"])

    def __repr__(self) -> str:
        return "RepairResult(text=%r, edits=%d, span=%r, missing_keys=%r, changed=%r)" % (
            self.text if len(self.text) < 80 else self.text[:77] + "...",
            len(self.edits), self.span, self.missing_keys, self.changed)


def _as_text(text: str | bytes) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, bytes):
        try:
            return text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RepairError("input is not valid UTF-8", text, exc.start) from None
    raise TypeError("text must be str or bytes, not %s" % type(text).__name__)


def _check_options(policy: str, preset: str, max_depth: int, max_size: int | None) -> None:
    if policy not in POLICIES:
        raise ValueError("policy must be one of %s, not %r" % (", ".join(POLICIES), policy))
    if preset not in PRESETS:
        raise ValueError("preset must be one of %s, not %r" % (", ".join(PRESETS), preset))
    if not isinstance(max_depth, int) or max_depth < 1:
        raise ValueError("max_depth must be a positive int, not %r" % (max_depth,))
    if max_size is not None and (not isinstance(max_size, int) or max_size < 0):
        raise ValueError("max_size must be a non-negative int or None, not %r" % (max_size,))


def _core_of(scanner_cls: type[Scanner]) -> Core:
    """The core module a scanner class comes from."""
    return c_core if c_core is not None and scanner_cls is c_core.Scanner else py_core


class _Candidate:
    __slots__ = ("start", "end", "edits", "flags", "out", "changed", "value", "index",
                 "invented", "source")

    start: int
    end: int
    edits: Edits | tuple[()]
    flags: int
    out: bytes | None           # None until rendered(), when the value needed no parse
    changed: bool
    value: JSONValue
    index: int
    invented: bool | None
    source: tuple[Core, str]    # the core and the input, for rendered()

    def rendered(self) -> bytes:
        """The repaired text as UTF-8 bytes (rendered on the first call when the value
        came built, from a stream)."""
        if self.out is None:
            core, text = self.source
            self.out = core.render(text, self.start, self.end, self.edits)[0]
        return self.out

    @property
    def text(self) -> str:
        return self.rendered().decode("utf-8")


class Job:
    """One repair: the options, the key map, and the steps from text to result.
    :meth:`run` is one-shot repair; a stream feeds :meth:`scanner` itself and ends with
    :meth:`finish`, which gives the same result for the same text."""

    __slots__ = ("scanner_cls", "keys", "policy", "preset", "max_depth", "max_size")

    def __init__(self, scanner_cls: type[Scanner], keys: KeySpec, policy: str, preset: str,
                 max_depth: int, max_size: int | None) -> None:
        self.scanner_cls = scanner_cls
        self.keys = keys
        self.policy = policy
        self.preset = preset
        self.max_depth = max_depth
        self.max_size = max_size

    def check_size(self, n: int, text: str = "") -> None:
        if self.max_size is not None and n > self.max_size:
            raise RepairError("input longer than max_size", text, self.max_size)

    def scanner(self) -> Scanner:
        """A scanner with the key map and limits as data."""
        return self.scanner_cls(self.keys.keymap, self.max_depth, PRESETS[self.preset])

    def run(self, text: str, value_only: bool = False) -> RepairResult:
        """The result for ``text``; with ``value_only`` (for :func:`loads`) its edits are
        not kept (they are freed before the output is parsed) and read as ``()``."""
        if len(text) >= _GC_PAUSE_LEN and gc.isenabled():
            # building a large value, the cyclic collector would walk it again and again
            # (half of orjson's time at 10 MB); it runs once the value is complete
            gc.disable()
            try:
                return self._run(text, value_only)
            finally:
                gc.enable()
        return self._run(text, value_only)

    def _run(self, text: str, value_only: bool) -> RepairResult:
        found = self._whole_text(text)
        if found is not None:
            return found
        scanner = self.scanner()
        scanner.feed(text)
        return self._choose(text, scanner.finish(), value_only)

    def finish(self, scanner: Scanner, stream: Stream | None = None) -> RepairResult:
        """The result for the text a scanner was fed (in any chunks). With the ``stream``
        that fed it, the value it built is the result's value when it is the chosen
        payload's (:meth:`Stream.final_value`): the text is not parsed again."""
        text = scanner.buf
        found = self._whole_text(text)
        if found is not None:
            return found
        raw = scanner.finish()
        built = stream.final_value() if stream is not None else None
        return self._choose(text, raw, built=built)

    def _whole_text(self, text: str) -> RepairResult | None:
        """Results that need no scanning: valid JSON (the fast path) and native tool-call
        markup; else ``None``."""
        keys, policy = self.keys, self.policy
        # 1. fast path: valid JSON that needs no key rename comes back unchanged
        value = _valid_json(text, self.max_depth, self.scanner_cls)
        if value is not _NOT_FOUND and not keys.needs_rename(value):
            if policy == "all":
                out = "[" + text.strip() + "]"
                return RepairResult(out, [value], (), (0, len(text)), keys.missing(value), True)
            return RepairResult(text, value, (), (0, len(text)), keys.missing(value), False)

        # 2. native tool-call markup in place of JSON arguments (both patterns start
        # with one of these tags: the regular expressions only run where one is)
        if "<" not in text or ("<parameter=" not in text and "<arg_key>" not in text):
            return None
        native = native_arguments(text)
        if native is not None:
            return _whole(text, native, kinds.NATIVE_TOOL, keys, policy, self.preset)
        return None

    def _choose(self, text: str, raw: list[Candidate], value_only: bool = False,
                built: tuple[int, int, JSONValue, Edits, bool] | None = None) -> RepairResult:
        """3. Verify every candidate of the scanner with orjson, then choose by policy.
        ``built``: ``(start, end, value, edits, changed)``, the value of the candidate
        ``[start, end)`` already built from its repaired text by a stream (which needs no
        parse), the edits applied in order and whether they changed the text
        (:meth:`Stream.final_value`)."""
        keys, policy, preset = self.keys, self.policy, self.preset
        # order_edits / render from the scanner's own core (the compiled ones are
        # faster); looked up here, not kept on the job, so that a Job stays picklable
        core = _core_of(self.scanner_cls)
        cands: list[_Candidate] = []
        failed: _Candidate | None = None
        value_only = value_only and not logger.isEnabledFor(logging.INFO)
        for index, (start, end, edits, flags) in enumerate(raw):
            c = _Candidate()
            c.start, c.end, c.flags, c.index = start, end, flags, index
            c.source = (core, text)
            streamed = built if built is not None and built[:2] == (start, end) else None
            # (only the edits applied are reported: none inside text an earlier one
            # removed; a stream that built the value has them in order already)
            c.edits = (streamed[3] if streamed is not None
                       else core.applied_edits(core.order_edits(edits), start, end))
            c.invented = None
            # edits past the end (closers dropped after the payload) are outside it
            strict_bad = preset == "strict" and any(
                e[0] not in _STRICT_OK for e in c.edits if e[1] <= end)
            if streamed is not None and not strict_bad:
                # the stream built the value: its text is rendered when it is read
                c.out, c.changed = None, streamed[4]
                c.value = streamed[2]
                cands.append(c)
                continue
            c.out, c.changed = core.render(text, start, end, c.edits)
            if value_only and not strict_bad:
                # the edits go before the output is parsed: less memory at the peak
                if policy == "best" and len(raw) > 1:
                    c.invented = _invents(c.edits)
                c.edits.clear()
                edits.clear()
                c.edits = ()
            try:
                c.value = orjson.loads(c.out)
            except orjson.JSONDecodeError as exc:
                c.value = _deeper_than_orjson(c.out, exc, core)
                if c.value is _NOT_FOUND:
                    failed = failed or c
                    continue
            if strict_bad:
                failed = failed or c
                continue
            cands.append(c)
        if not cands:
            if failed is not None:
                if preset == "strict":
                    bad = [e[1] for e in failed.edits if e[0] not in _STRICT_OK and e[1] <= failed.end]
                    raise RepairError("invalid JSON (strict preset)", text,
                                      bad[0] if bad else failed.start)
                raise RepairError("could not repair the JSON value", text, failed.start)
            pos = len(text) - len(text.lstrip())
            if preset == "aggressive" and len(keys.keys) == 1 and text.strip():
                start, end, string = bare_text(text)
                return _whole(text, (start, end, {keys.keys[0]: string}), kinds.BARE_TEXT,
                              keys, policy, preset)
            raise RepairError("no JSON value found", text, pos)

        if policy == "all":
            out = "[" + ", ".join(c.text for c in cands) + "]"
            value = [c.value for c in cands]
            result = RepairResult(out, value, (), (cands[0].start, cands[-1].end),
                                  keys.missing(value), True,
                                  raw=[e for c in cands for e in c.edits])
        else:
            if policy == "first":
                best = cands[0]
            elif policy == "last":
                best = cands[-1]
            elif len(cands) == 1:
                best = cands[0]
            else:
                best = max(cands, key=lambda c: (keys.matched(c.value), _completeness(c), -c.index))
            result = RepairResult(None, best.value, (), (best.start, best.end),
                                  keys.missing(best.value), best.changed, raw=best.edits,
                                  out=best.out, render=best.rendered if best.out is None else None)
        if logger.isEnabledFor(logging.INFO) and result.edits:
            _log_edits(text, result.edits)
        return result


class Engine:
    """The API bound to one core: ``Engine(repair.scanner.py_core.Scanner)`` forces the
    pure twin. The module functions use the core chosen at import."""

    def __init__(self, scanner_cls: type[Scanner] = Scanner) -> None:
        self.scanner_cls = scanner_cls
        # the job of a call with no keys and default options, built once
        self._plain = Job(scanner_cls, KeySpec(()), "best", "safe", DEFAULT_MAX_DEPTH, None)

    def repair(self, text: str | bytes, required_keys: RequiredKeys = (), *,
               policy: str = "best", preset: str = "safe", max_depth: int = DEFAULT_MAX_DEPTH,
               max_size: Optional[int] = None) -> RepairResult:
        return self._run(text, required_keys, False, policy, preset, max_depth, max_size)

    def _run(self, text: str | bytes, required_keys: RequiredKeys, value_only: bool,
             policy: str, preset: str, max_depth: int, max_size: int | None) -> RepairResult:
        text = _as_text(text)
        if (type(required_keys) is tuple and not required_keys and policy == "best"
                and preset == "safe" and type(max_depth) is int
                and max_depth == DEFAULT_MAX_DEPTH and max_size is None):
            return self._plain.run(text, value_only)
        job = self.prepare(required_keys, policy=policy, preset=preset, max_depth=max_depth,
                           max_size=max_size)
        job.check_size(len(text), text)
        return job.run(text, value_only)

    def prepare(self, required_keys: RequiredKeys = (), *, policy: str = "best",
                preset: str = "safe", max_depth: int = DEFAULT_MAX_DEPTH,
                max_size: Optional[int] = None) -> Job:
        """The options checked and the key map built, for one text (one-shot or
        streamed)."""
        _check_options(policy, preset, max_depth, max_size)
        return Job(self.scanner_cls, _key_spec(required_keys), policy, preset, max_depth,
                   max_size)

    def loads(self, text: str | bytes, required_keys: RequiredKeys = (), *,
              model: Any = None, **options: Any) -> Any:
        if model is None:
            return self._loads(text, required_keys, **options)
        res = self.repair(text, required_keys or model, **options)
        return _validate(model, res, text)

    def _loads(self, text: str | bytes, required_keys: RequiredKeys, *, policy: str = "best",
               preset: str = "safe", max_depth: int = DEFAULT_MAX_DEPTH,
               max_size: Optional[int] = None) -> JSONValue:
        # the value only: the edits are not kept
        return self._run(text, required_keys, True, policy, preset, max_depth,
                         max_size).value

    def repair_llm_output(self, text: str | bytes, required_keys: RequiredKeys = (),
                          **options: Any) -> str:
        return self.repair(text, required_keys, **options).text


_WS = " \t\n\r"
# from this many characters on, one-shot repair pauses the cyclic garbage collector
_GC_PAUSE_LEN = 1 << 16
# from this many characters on, the first _PROBE_CHARS are checked for damage before
# orjson is tried
_PROBE_LEN = 1 << 16
_PROBE_CHARS = 4096
_PROBE_SHORT = 256
# the characters JSON text can start with (after white space)
_JSON_FIRST = frozenset('{["-0123456789tfn')


def _valid_json(text: str, max_depth: int, scanner_cls: type[Scanner]) -> JSONValue:
    """The value of ``text`` when it is one JSON value nested at most ``max_depth`` deep
    (orjson's spelling of JSON); ``_NOT_FOUND`` when it is not JSON; RepairError when it
    is, nested deeper. Text whose first and last characters say it is not JSON is not
    parsed at all."""
    n = len(text)
    i = 0
    while i < n and text[i] in _WS:
        i += 1
    if i == n or text[i] not in _JSON_FIRST:
        return _NOT_FOUND
    first = text[i]
    if first == "{" or first == "[":
        j = n - 1
        while text[j] in _WS:
            j -= 1
        if text[j] != ("}" if first == "{" else "]"):
            return _NOT_FOUND
    # orjson would encode all of a long text to UTF-8 (a copy kept on the str) before it
    # saw the damage near its start; on a short one, its error costs more than a look at
    # the first characters (the exception computes its line and column)
    if _core_of(scanner_cls).broken_json_prefix(
            text, _PROBE_CHARS if n >= _PROBE_LEN else _PROBE_SHORT):
        return _NOT_FOUND
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return _NOT_FOUND
    # orjson stops at 1024 levels itself; deeper than max_depth takes more than
    # max_depth openers and as many closers
    if max_depth < 1024 and n > 2 * max_depth + 1 and _core_of(scanner_cls).depth_exceeds(
            text, max_depth):
        raise RepairError("maximum nesting depth exceeded", text, 0)
    return value


# key renames and reports are not repairs of the JSON itself
_STRICT_OK = frozenset({kinds.KEY_CASE, kinds.KEY_AMBIGUOUS})
_INVENTED = frozenset({kinds.MISSING_VALUE, kinds.UNQUOTED_KEY, kinds.GARBAGE})


def _key_spec(required_keys: RequiredKeys) -> KeySpec:
    """``KeySpec(required_keys)``; built once for a tuple or list of str (callers pass
    the same keys call after call)."""
    if type(required_keys) is tuple or type(required_keys) is list:
        try:
            return _cached_key_spec(tuple(required_keys))
        except TypeError:           # not hashable: not keys; KeySpec says why
            pass
    return KeySpec(required_keys)


@functools.lru_cache(maxsize=256)
def _cached_key_spec(required_keys: tuple[str, ...]) -> KeySpec:
    return KeySpec(required_keys)


def _edit(e: EditTuple) -> Edit:
    return Edit(kinds.NAMES[e[0]], e[1], e[2], e[3])


def _validate(model: Any, res: RepairResult, text: str | bytes) -> Any:
    """``model.model_validate(res.value)``, a validation failure as a RepairError."""
    try:
        return model.model_validate(res.value)
    except ValueError as exc:           # pydantic.ValidationError is a ValueError
        errors = exc.errors() if hasattr(exc, "errors") else ()
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        msg = "the value does not match %s%s%s" % (
            getattr(model, "__name__", "the model"), (" at " + where) if where else "",
            (": " + first["msg"]) if first.get("msg") else "")
        doc = text if isinstance(text, str) else res.text
        raise RepairValidationError(msg, doc, res.span[0] if doc is text else 0, res,
                                    errors) from exc


def _whole(text: str, found: tuple[int, int, dict[str, JSONValue]], kind: int,
           keys: KeySpec, policy: str, preset: str) -> RepairResult:
    """The result for a value read from the text as a whole, not by the scanner: native
    tool-call markup or bare text. ``found`` is ``(start, end, dict)``."""
    value: JSONValue
    start, end, value = found
    if preset == "strict":
        raise RepairError("invalid JSON (strict preset)", text, start)
    value = keys.rename(value)
    try:
        out = orjson.dumps(value).decode("utf-8")
    except TypeError:           # a lone surrogate: not text JSON can carry
        raise RepairError("could not repair the JSON value", text, start) from None
    edits = (Edit(kinds.NAMES[kind], start, text[start:end], out),)
    if policy == "all":
        value, out = [value], "[" + out + "]"
    if logger.isEnabledFor(logging.INFO):
        _log_edits(text, edits)
    return RepairResult(out, value, edits, (start, end), keys.missing(value), True)


# -- values deeper than orjson's limit ------------------------------------------------------

ORJSON_MAX_DEPTH = 1024
# (matches at every position, if only the empty string: its match is never None)
_WS_RUN = cast("_AlwaysMatches", re.compile(r"[ \t\n\r]*"))
_NUMBER = json.scanner.NUMBER_RE
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]  # (not in the stubs)
_LITERALS = (("true", True), ("false", False), ("null", None))


def _deeper_than_orjson(text: str | bytes, exc: Exception, core: Core) -> JSONValue:
    """The value of the strict JSON ``text`` that orjson refused (``exc``) only for its
    depth, built without recursion; else ``_NOT_FOUND``. The scanner already enforced
    ``max_depth``, so a caller who allows more than orjson's 1024 levels gets the value."""
    if "depth" not in str(exc):
        return _NOT_FOUND
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if not core.depth_exceeds(text, ORJSON_MAX_DEPTH):
        return _NOT_FOUND
    try:
        return loads_deep(text)
    except ValueError:
        return _NOT_FOUND


def _key_at(s: str, i: int, n: int) -> tuple[str, int]:
    """A key and its colon at ``i``: (key, the position of its value)."""
    if i >= n or s[i] != '"':
        raise ValueError("expected a key at %d" % i)
    key, i = _scanstring(s, i + 1, True)
    i = _WS_RUN.match(s, i).end()
    if i >= n or s[i] != ":":
        raise ValueError("expected ':' at %d" % i)
    return key, _WS_RUN.match(s, i + 1).end()


def loads_deep(s: str) -> JSONValue:
    """Parse the strict JSON text ``s`` with an explicit stack: any depth, no recursion.
    Raises ValueError on anything but one JSON value."""
    value: JSONValue
    n = len(s)
    stack: list[Any] = []          # open containers
    keys: list[str | None] = []    # for each, the key of the member being read (objects)
    i = _WS_RUN.match(s, 0).end()
    while True:
        # a value starts at i
        c = s[i] if i < n else ""
        if c == "{" or c == "[":
            i = _WS_RUN.match(s, i + 1).end()
            if i < n and s[i] == ("}" if c == "{" else "]"):
                value = {} if c == "{" else []
                i += 1
            else:
                if c == "{":
                    stack.append({})
                    key, i = _key_at(s, i, n)
                    keys.append(key)
                else:
                    stack.append([])
                    keys.append(None)
                continue
        elif c == '"':
            value, i = _scanstring(s, i + 1, True)
        else:
            m = _NUMBER.match(s, i)
            if m is not None:
                integer, frac, exp = m.groups()
                value = float(m.group()) if (frac or exp) else int(integer)
                i = m.end()
            else:
                for word, value in _LITERALS:
                    if s.startswith(word, i):
                        i += len(word)
                        break
                else:
                    raise ValueError("expected a value at %d" % i)
        # the value is complete: add it to its container, close the containers that end
        while True:
            i = _WS_RUN.match(s, i).end()
            if not stack:
                if i != n:
                    raise ValueError("extra data at %d" % i)
                return value
            top = stack[-1]
            if type(top) is list:
                top.append(value)
            else:
                top[keys[-1]] = value
            c = s[i] if i < n else ""
            if c == ",":
                i = _WS_RUN.match(s, i + 1).end()
                if type(top) is dict:
                    keys[-1], i = _key_at(s, i, n)
                break
            if c != ("]" if type(top) is list else "}"):
                raise ValueError("expected ',' or a closer at %d" % i)
            i += 1
            value = stack.pop()
            keys.pop()


def _completeness(c: _Candidate) -> int:
    """2: closed as written; 1: closed but holding invented parts; 0: cut off."""
    if c.flags & (py_core.TRUNCATED_END | py_core.CUT):
        return 0
    if c.flags & py_core.SCALAR:
        return 1
    invented = c.invented if c.invented is not None else _invents(c.edits)
    return 1 if invented else 2


def _invents(edits: Iterable[EditTuple]) -> bool:
    for e in edits:
        if e[0] in _INVENTED:
            return True
    return False


def _log_edits(text: str, edits: Iterable[Edit]) -> None:
    for e in edits:
        line = text.count("\n", 0, e.pos) + 1
        col = e.pos - text.rfind("\n", 0, e.pos)
        logger.info("repair_%s at line %d column %d: removed %r, inserted %r",
                    e.kind, line, col, e.removed, e.inserted)


_default = Engine()


def repair(text: str | bytes, required_keys: RequiredKeys = (),
           **options: Any) -> RepairResult:
    """Repair ``text`` (str or UTF-8 bytes) and return a :class:`RepairResult`.

    Options (keyword-only): ``policy`` ("best", "first", "last", "all"), ``preset``
    ("strict", "safe", "aggressive"), ``max_depth`` (default 1000), ``max_size``
    (characters; default no limit). Raises :class:`RepairError` when no JSON value can be
    recovered or a limit is hit, :class:`TypeError` for input that is not str or bytes.

    orjson stops at 1024 levels of nesting: with ``max_depth`` above that, a deeper value
    is parsed by :func:`loads_deep` (an explicit stack, no recursion) and its ``.text``,
    valid JSON, is deeper than ``orjson.loads`` accepts.
    """
    return _default.repair(text, required_keys, **options)


def loads(text: str | bytes, required_keys: RequiredKeys = (), *, model: Any = None,
          **options: Any) -> Any:
    """Like :func:`repair`, returning the parsed value. With ``model`` (a pydantic model
    class), its fields are the required keys (unless given) and the value comes back
    validated as an instance; :class:`RepairValidationError` carries the repair report
    when it does not validate."""
    return _default.loads(text, required_keys, model=model, **options)


def repair_llm_output(text: str | bytes, required_keys: RequiredKeys = (),
                      **options: Any) -> str:
    """Like :func:`repair`, returning the repaired JSON text."""
    return _default.repair(text, required_keys, **options).text
