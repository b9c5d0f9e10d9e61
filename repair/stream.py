"""Streaming repair: :class:`StreamRepairer` and the adapters for LLM server streams.

The text arrives in chunks. The same scanner as one-shot repair (compiled or pure) reads
each chunk once; after every chunk it reports how far the repaired text of the payload is
final (:meth:`Scanner.committed`). That final part, edits applied, is strict JSON text, and
a small incremental parser (:class:`_Builder`) extends the current value with it. Nothing
is parsed twice, so feeding n characters in chunks of any size costs O(n) in total.

Snapshots are monotonic: a key once in ``.value`` stays, a value never changes type, a
string only grows. Keys, numbers and literals appear when complete; a partial escape
(``\\u12``) waits for its end; prose, fences, ``<think>`` and tags never reach the value.
``close()`` returns exactly what one-shot :func:`repair.repair` returns for the whole text.
"""
import re

import orjson

from .api import _default
from .errors import RepairError
from .scanner import py_core

__all__ = ["StreamRepairer", "iter_values", "openai_values", "openai_tool_call_values",
           "ollama_values"]

# builder states
_VALUE, _STRING, _SCALAR, _AFTER, _KEY, _COLON, _DONE = range(7)

_WS = re.compile(r"[ \t\n\r]*")
_STR_STOP = re.compile(r'["\\]')
_SCALAR_END = re.compile(r"[ \t\n\r,\]}:]")
# an escape cut off at the end, or a high surrogate still waiting for its low half
_TAIL_ESCAPE = re.compile(
    r"(?<!\\)(?:\\\\)*(\\(?:u[0-9a-fA-F]{0,3})?|\\u[dD][89abAB][0-9a-fA-F]{2}"
    r"(?:\\(?:u[0-9a-fA-F]{0,3})?)?)\Z")
_NOTHING = object()


class _Held(list):
    """Holds the new value of a key the object already has, until it is complete: the
    old value stays in view meanwhile (the last one wins, as in JSON)."""


class _Builder:
    """Builds the value of a strict-JSON text that arrives in pieces, in place.

    Containers are created once and extended; the string being read is stored in its
    container under its final key (or index) and replaced by a longer string when more of
    it arrives. Input that is not a prefix of JSON text stops the builder (``broken``);
    it never raises.
    """

    __slots__ = ("root", "stack", "keys", "state", "raw", "is_key", "tok", "broken",
                 "dirty", "grew")

    def __init__(self):
        self.root = _NOTHING
        self.stack = []       # open containers
        self.keys = []        # per open container: the pending key of a dict, else None
        self.state = _VALUE
        self.raw = []         # the JSON-escaped content of the string being read
        self.is_key = False
        self.tok = []         # the number or literal being read
        self.broken = False
        self.dirty = False    # the partial string in its container is out of date
        self.grew = False     # the value changed since the last take_grew()

    # -- placing values -------------------------------------------------------------

    def _put(self, v):
        if not self.stack:
            self.root = v
        else:
            top = self.stack[-1]
            if type(top) is dict and self.keys[-1] in top:
                top = _Held()
                self.stack.append(top)
                self.keys.append(None)
            if type(top) is dict:
                top[self.keys[-1]] = v
            else:
                top.append(v)
        self.grew = True

    def _settle(self):
        """A value is complete: a held one replaces the old value of its key."""
        if self.stack and type(self.stack[-1]) is _Held:
            held = self.stack.pop()
            self.keys.pop()
            self.stack[-1][self.keys[-1]] = held[0]
        self.state = _AFTER if self.stack else _DONE

    def _set_last(self, v):
        """Replace the value last put (the partial string) by ``v``."""
        if not self.stack:
            self.root = v
        else:
            top = self.stack[-1]
            if type(top) is dict:
                top[self.keys[-1]] = v
            else:
                top[-1] = v

    def _decode(self, complete):
        raw = "".join(self.raw)
        cut = len(raw)
        if not complete:
            m = _TAIL_ESCAPE.search(raw, max(0, cut - 14))
            if m:
                cut = m.start(1)
        return orjson.loads('"' + raw[:cut] + '"')

    def refresh(self):
        """Bring the partial string in its container up to date (O(its length))."""
        if self.dirty and not self.broken:
            self.dirty = False
            try:
                self._set_last(self._decode(False))
            except orjson.JSONDecodeError:
                self.broken = True

    # -- the parser -------------------------------------------------------------------

    def feed(self, s):
        if self.broken or not s:
            return
        try:
            self._feed(s)
        except (orjson.JSONDecodeError, KeyError, IndexError, TypeError):
            self.broken = True

    def _feed(self, s):
        i = 0
        n = len(s)
        while i < n:
            st = self.state
            if st == _STRING:
                m = _STR_STOP.search(s, i)
                if m is None:
                    self.raw.append(s[i:])
                    if not self.is_key:
                        self.dirty = True
                        self.grew = True
                    return
                j = m.start()
                if s[j] == "\\":
                    # an escape: copy it whole when it is all here, else wait
                    k = j + (6 if j + 1 < n and s[j + 1] == "u" else 2)
                    if k > n:
                        self.raw.append(s[i:])
                        return
                    self.raw.append(s[i:k])
                    i = k
                    continue
                self.raw.append(s[i:j])
                i = j + 1
                text = self._decode(True)
                self.raw = []
                if self.is_key:
                    self.keys[-1] = text
                    self.state = _COLON
                else:
                    self._set_last(text)
                    self.dirty = False
                    self.grew = True
                    self._settle()
                continue
            if st == _SCALAR:
                m = _SCALAR_END.search(s, i)
                if m is None:
                    self.tok.append(s[i:])
                    return
                self.tok.append(s[i:m.start()])
                self._put(orjson.loads("".join(self.tok)))
                self.tok = []
                i = m.start()
                self._settle()
                continue
            i = _WS.match(s, i).end()
            if i >= n:
                return
            c = s[i]
            if st == _VALUE:
                if c == "{" or c == "[":
                    v = {} if c == "{" else []
                    self._put(v)
                    self.stack.append(v)
                    self.keys.append(None)
                    self.state = _KEY if c == "{" else _VALUE
                    i += 1
                elif c == '"':
                    self._put("")
                    self.is_key = False
                    self.state = _STRING
                    i += 1
                elif c == "]" and self.stack and type(self.stack[-1]) is list and not self.stack[-1]:
                    self._close()
                    i += 1
                else:
                    self.state = _SCALAR
            elif st == _KEY:
                if c == '"':
                    self.is_key = True
                    self.state = _STRING
                elif c == "}":
                    self._close()
                else:
                    self.broken = True
                    return
                i += 1
            elif st == _COLON:
                if c != ":":
                    self.broken = True
                    return
                self.state = _VALUE
                i += 1
            elif st == _AFTER:
                if c == ",":
                    self.state = _KEY if type(self.stack[-1]) is dict else _VALUE
                elif c == "}" or c == "]":
                    self._close()
                else:
                    self.broken = True
                    return
                i += 1
            else:               # _DONE: the value is complete
                return

    def end_scalar(self):
        """The number or literal being read is complete (the scanner has passed it)."""
        if self.state == _SCALAR and self.tok and not self.broken:
            try:
                self._put(orjson.loads("".join(self.tok)))
            except orjson.JSONDecodeError:
                self.broken = True
                return
            self.tok = []
            self._settle()

    def _close(self):
        self.stack.pop()
        self.keys.pop()
        self._settle()


class StreamRepairer:
    """Repair JSON while it streams in::

        with StreamRepairer(["answer"]) as s:
            for chunk in chunks:
                if s.feed(chunk):
                    show(s.value)
        result = s.result          # the RepairResult, as close() returned it

    ``feed(chunk)`` takes ``str`` (or UTF-8 ``bytes``, decoded incrementally) and returns
    whether ``.value`` changed. ``.value`` is the current value: a *live* object, the same
    dict or list after every chunk, extended in place by later chunks (copy it to keep a
    snapshot); ``None`` until the payload's first value appears; after ``close()`` the
    result's value. The string being streamed
    is rebuilt when it grows, at a cost of its length. ``.text`` is the JSON text of
    ``.value`` (built on each read, O(length); after ``close()`` the result's text). ``close()`` ends the input and returns the
    :class:`RepairResult` that :func:`repair.repair` returns for the whole text; it raises
    :class:`RepairError` as that does. Options are those of :func:`repair.repair`.

    The value shown while streaming is the first JSON value in the text; ``close()``
    applies the ``policy`` (by default the best value). One more difference can show at
    the end: when an object holds both a key's required spelling and another spelling of
    it, the other one is renamed while streaming and left alone by ``close()``.
    """

    def __init__(self, required_keys=(), engine=None, **options):
        self._engine = engine if engine is not None else _default
        self._keys = required_keys
        self._options = options
        self._prepared = self._engine.prepare(required_keys, **options)
        self._scanner = self._prepared.scanner()
        self._builder = _Builder()
        self._emitted = -1          # input position up to which text went to the builder
        self._start = -1            # where the streamed payload starts
        self._cursor = 0            # edits of the payload before this index are consumed
        self._decoder = None
        self._closed = False
        self.result = None
        self.builder_chars = 0      # characters handed to the value builder (the work)
        self.rebuilds = 0           # times the value was rebuilt after a restart

    # -- context manager and iteration ------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None and not self._closed:
            self.close()
        return False

    @classmethod
    def iter_values(cls, chunks, required_keys=(), **options):
        """Yield a snapshot (a deep copy) of the value each time it grows; the final
        value last (the ``close()`` result's value, if it differs)."""
        return iter_values(chunks, required_keys, **options)

    # -- feeding ------------------------------------------------------------------------

    def feed(self, chunk):
        if self._closed:
            raise ValueError("feed() after close()")
        if isinstance(chunk, bytes):
            if self._decoder is None:
                import codecs
                self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
            try:
                chunk = self._decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise RepairError("input is not valid UTF-8", chunk, exc.start) from None
        elif not isinstance(chunk, str):
            raise TypeError("feed() takes str or bytes, not %s" % type(chunk).__name__)
        if not chunk:
            return False
        n = len(self._scanner.buf) + len(chunk)
        if self._prepared.max_size is not None and n > self._prepared.max_size:
            # the error's doc is the text fed so far, so that its position points into it
            self._prepared.check_size(n, self._scanner.buf + chunk)
        self._scanner.feed(chunk)
        return self._advance()

    def _advance(self):
        sc = self._scanner
        if self._builder.state == _DONE:
            return False
        if self._start < 0:
            if sc.candidates:
                self._start = sc.candidates[0][0]
            elif sc.cand_start >= 0:
                self._start = sc.cand_start
            else:
                return False
            self._emitted = self._start
        if sc.candidates and sc.candidates[0][0] == self._start:
            start, end, edits, _flags = sc.candidates[0]
            w = end
        elif sc.cand_start == self._start:
            edits = sc.edits
            w = sc.committed()
        else:
            return False
        if sc.low_water < self._emitted:
            # the scanner re-read text already shown (a restarted member): rebuild
            self.rebuilds += 1
            self._builder = _Builder()
            self._emitted = self._start
            self._cursor = 0
        sc.low_water = py_core.LOW_WATER_NONE
        if w <= self._emitted:
            return False
        ended = bool(sc.candidates) and sc.candidates[0][0] == self._start
        b = self._builder
        b.grew = False
        piece = self._take(edits, w, ended and w == end)
        self.builder_chars += len(piece)
        b.feed(piece)
        if ended or w == sc.last_end:
            b.end_scalar()
        return b.grew

    def _take(self, edits, w, at_end):
        """The repaired text of the input ``[emitted, w)``. The scanner keeps its edits
        sorted by position, so the ones there follow the cursor."""
        k = self._cursor
        n = len(edits)
        j = k
        while j < n and (edits[j][1] < w or (at_end and edits[j][1] == w)):
            e = edits[j]
            if e[2] and e[1] + len(e[2]) > w:
                w = e[1]            # a removal reaching past w waits, from its start on
                break
            j += 1
        while j > k and edits[j - 1][1] >= w and not (at_end and edits[j - 1][1] == w):
            j -= 1
        text = py_core.apply_edits(self._scanner.buf, self._emitted, w, edits[k:j])
        self._cursor = j
        self._emitted = w
        return text

    # -- reading ------------------------------------------------------------------------

    @property
    def value(self):
        if self.result is not None:
            return self.result.value
        b = self._builder
        b.refresh()
        return None if b.root is _NOTHING else b.root

    @property
    def text(self):
        if self.result is not None:
            return self.result.text
        v = self.value
        if self._builder.root is _NOTHING:
            return ""
        return orjson.dumps(v).decode("utf-8")

    def close(self):
        """End of input: the :class:`RepairResult` one-shot repair gives for the text."""
        if self._closed:
            return self.result
        self._closed = True
        if self._decoder is not None:
            try:
                tail = self._decoder.decode(b"", True)
            except UnicodeDecodeError as exc:
                raise RepairError("input is not valid UTF-8", b"", exc.start) from None
            if tail:
                self._scanner.feed(tail)
        self.result = self._prepared.finish(self._scanner)
        return self.result


def _snapshot(value):
    return orjson.loads(orjson.dumps(value)) if isinstance(value, (dict, list)) else value


def iter_values(chunks, required_keys=(), **options):
    """Feed ``chunks`` to a :class:`StreamRepairer`; yield a snapshot of the value each
    time it grows, and the final value (``close()``) last if it differs."""
    s = StreamRepairer(required_keys, **options)
    last = _NOTHING
    for chunk in chunks:
        if s.feed(chunk):
            last = _snapshot(s.value)
            yield last
    res = s.close()
    if last is _NOTHING or res.value != last:
        yield res.value


# -- server stream adapters ------------------------------------------------------------

def _get(obj, name):
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def openai_values(stream, required_keys=(), **options):
    """Values from an OpenAI-compatible chat-completion stream (the ``openai`` SDK's
    ``client.chat.completions.create(..., stream=True)``, as served by vLLM, FastChat,
    LLaMA-Factory, or the same chunks as dicts): the ``delta.content`` of choice 0,
    repaired as it grows. Yields a snapshot each time the value grows, the final value
    last."""
    def chunks():
        for chunk in stream:
            choices = _get(chunk, "choices") or ()
            for choice in choices:
                if (_get(choice, "index") or 0) != 0:
                    continue
                content = _get(_get(choice, "delta"), "content")
                if content:
                    yield content
    return iter_values(chunks(), required_keys, **options)


def openai_tool_call_values(stream, required_keys=(), **options):
    """Tool-call arguments from an OpenAI-compatible stream: yields ``(index, name,
    value)`` each time the arguments of tool call ``index`` grow, and for every call its
    final value last (``close()``; a call whose arguments cannot be repaired yields the
    :class:`RepairError` as its value)."""
    repairers, names, last = {}, {}, {}
    for chunk in stream:
        for choice in _get(chunk, "choices") or ():
            for call in _get(_get(choice, "delta"), "tool_calls") or ():
                index = _get(call, "index") or 0
                fn = _get(call, "function")
                name = _get(fn, "name")
                if name:
                    names[index] = name
                s = repairers.get(index)
                if s is None:
                    s = repairers[index] = StreamRepairer(required_keys, **options)
                args = _get(fn, "arguments")
                if args and s.feed(args):
                    last[index] = _snapshot(s.value)
                    yield index, names.get(index), last[index]
    for index in sorted(repairers):
        try:
            value = repairers[index].close().value
        except RepairError as err:
            yield index, names.get(index), err
            continue
        if index not in last or last[index] != value:
            yield index, names.get(index), value


def ollama_values(stream, required_keys=(), **options):
    """Values from ollama's ``/api/chat`` stream: NDJSON lines (``bytes`` or ``str``, e.g.
    ``httpx``'s ``response.iter_lines()``) or the parsed objects (the ``ollama`` client's
    responses, or dicts); ``message.content`` is repaired as it grows. Yields a snapshot
    each time the value grows, the final value last."""
    def chunks():
        for item in stream:
            if isinstance(item, (bytes, str)):
                if not item.strip():
                    continue
                item = orjson.loads(item)
            content = _get(_get(item, "message"), "content")
            if content:
                yield content
            if _get(item, "done"):
                break
    return iter_values(chunks(), required_keys, **options)
