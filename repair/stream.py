"""Streaming repair: :class:`StreamRepairer` and the adapters for LLM server streams.

The text arrives in chunks. The same scanner as one-shot repair (compiled or pure) reads
each chunk once; after every chunk it reports how far the repaired text of the payload is
final (:meth:`Scanner.committed`). That final part, edits applied, is strict JSON text, and
a small incremental parser (the core's ``Builder``) extends the current value with it,
reading the buffer in place. Nothing is parsed twice, so feeding n characters in chunks of
any size costs O(n) in total.

The per-chunk path (``feed`` and ``.value``) is the core's ``Stream`` class, the compiled
one when the engine's scanner is compiled, else its pure twin: a :class:`StreamRepairer`
is an instance of a class made of both (see :func:`_implementation`), so no Python code
runs between ``feed()`` and the scanner, or when ``.value`` is read.

Snapshots are monotonic: a key once in ``.value`` stays, a value never changes type, a
string only grows. Keys, numbers and literals appear when complete; a partial escape
(``\\u12``) waits for its end; prose, fences, ``<think>`` and tags never reach the value.
``close()`` returns exactly what one-shot :func:`repair.repair` returns for the whole text.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, cast

import orjson

from .api import _core_of, _default
from .errors import RepairError
from .scanner import c_core, py_core

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Literal

    from typing_extensions import Self

    from ._core import Scanner, Stream
    from .api import Engine, Job, JSONValue, RepairResult
    from .rules.keys import RequiredKeys
    from .scanner import Core

__all__ = ["StreamRepairer", "iter_values", "openai_values", "openai_tool_call_values",
           "ollama_values"]

_NOTHING = object()

# the core Stream classes that can run here
_STREAMS = (py_core.Stream,) + ((c_core.Stream,) if c_core is not None else ())
_IMPLEMENTATIONS: dict[tuple[type[StreamRepairer], Core], type[Stream]] = {}


def _implementation(cls: type[StreamRepairer], core: Core) -> type[Stream]:
    """The class of the instances ``cls(...)`` makes for a core: ``cls`` on top of the
    core's ``Stream`` (first in the MRO, so ``feed`` and ``value`` are the core's).

    ``value`` is a slot of that class, which the core keeps up to date after every chunk
    that changes it: reading a slot costs about a sixth of calling the core's ``value``
    property, and a stream is read after every chunk. With the compiled core, ``feed`` is
    the core's too, as a method descriptor of that class, which the interpreter calls the
    fastest way (``feed_method()``)."""
    if issubclass(cls, _STREAMS):
        return cls
    impl = _IMPLEMENTATIONS.get((cls, core))
    if impl is None:
        slots = ("value",)
        impl = cast("type[Stream]", type(cls.__name__, (core.Stream, cls), {
            "__module__": cls.__module__, "__qualname__": cls.__qualname__,
            "__doc__": cls.__doc__, "__slots__": slots}))
        if core is c_core:
            # the core's feed() as a method of this very class: the interpreter calls it
            # straight, without the general call path (see the core's feed_method())
            impl.feed = c_core.feed_method(impl)  # type: ignore[attr-defined,method-assign]
        _IMPLEMENTATIONS[(cls, core)] = impl
    return impl


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
    result's value. Reading it is cheap: it is an attribute that ``feed()`` keeps up to
    date (the new characters of the string being streamed are added to it in place while
    only the value holds it, so a long string costs its length once, not once per
    chunk). A string the caller took from the value never changes. ``.text`` is the JSON text of ``.value`` (built on each
    read, O(length); after ``close()`` the result's text).
    ``close()`` ends the input and returns the :class:`RepairResult` that
    :func:`repair.repair` returns for the whole text; it raises :class:`RepairError` as
    that does. When the value built while streaming is the result's (the usual case),
    ``close()`` hands over that same object instead of parsing the text again: change
    the live value only after ``close()``, or change a copy. Options are those of
    :func:`repair.repair`; ``engine`` picks the core (default: the one
    :mod:`repair.scanner` chose).

    ``feed`` and ``.value`` run in the core (compiled when the engine's scanner is): an
    instance is of a class made of this one and the core's ``Stream``, so
    ``isinstance(s, StreamRepairer)`` holds. ``builder_chars`` counts the characters of
    repaired text the value builder read (the work: the length of the payload's repaired
    text), ``rebuilds`` the times the value was rebuilt because the scanner re-read text
    it had let through (a restarted member).

    The value shown while streaming is the first JSON value in the text; ``close()``
    applies the ``policy`` (by default the best value). One more difference can show at
    the end: when an object holds both a key's required spelling and another spelling of
    it, the other one is renamed while streaming and left alone by ``close()``.
    """

    # no instance __dict__ (with the compiled core): attribute reads go straight to the
    # core's slots and methods
    __slots__ = ()

    if TYPE_CHECKING:
        # provided by the core's Stream, which comes first in the instances' MRO
        closed: bool
        job: Job
        scanner: Scanner
        builder_chars: int
        rebuilds: int

        def feed(self, chunk: str | bytes, /) -> bool: ...

        @property
        def value(self) -> JSONValue: ...

        @property
        def text(self) -> str: ...

        def attach(self, scanner: Scanner, job: Job) -> None: ...

        def end_input(self) -> None: ...

        # (a slot of the core's Stream: declared as the descriptor it is)
        @property
        def result(self) -> RepairResult | None: ...

        @result.setter
        def result(self, result: RepairResult | None) -> None: ...

    def __new__(cls, required_keys: RequiredKeys = (), engine: Engine | None = None,
                **options: Any) -> StreamRepairer:
        engine = engine if engine is not None else _default
        core = _core_of(engine.scanner_cls)
        # (an instance of cls too: _implementation's class is made of both)
        return cast("StreamRepairer", core.Stream.__new__(_implementation(cls, core)))

    def __init__(self, required_keys: RequiredKeys = (), engine: Engine | None = None,
                 **options: Any) -> None:
        engine = engine if engine is not None else _default
        job = engine.prepare(required_keys, **options)
        self.attach(job.scanner(), job)

    # -- context manager and iteration ------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> Literal[False]:
        if exc_type is None and not self.closed:
            self.close()
        return False

    @classmethod
    def iter_values(cls, chunks: Iterable[str | bytes], required_keys: RequiredKeys = (),
                    **options: Any) -> Iterator[JSONValue]:
        """Yield a snapshot (a deep copy) of the value each time it grows; the final
        value last (the ``close()`` result's value, if it differs)."""
        return iter_values(chunks, required_keys, **options)

    # -- the end ------------------------------------------------------------------------

    def close(self) -> RepairResult:
        """End of input: the :class:`RepairResult` one-shot repair gives for the text."""
        if self.closed:
            # (None only when an earlier close() raised)
            return cast("RepairResult", self.result)
        self.end_input()
        # (an instance is of a class made of this one and the core's Stream)
        self.result = self.job.finish(self.scanner, cast("Stream", self))
        return self.result


def _snapshot(value: JSONValue) -> JSONValue:
    return orjson.loads(orjson.dumps(value)) if isinstance(value, (dict, list)) else value


def iter_values(chunks: Iterable[str | bytes], required_keys: RequiredKeys = (),
                **options: Any) -> Iterator[JSONValue]:
    """Feed ``chunks`` to a :class:`StreamRepairer`; yield a snapshot of the value each
    time it grows, and the final value (``close()``) last if it differs."""
    s = StreamRepairer(required_keys, **options)
    last: JSONValue = _NOTHING
    for chunk in chunks:
        if s.feed(chunk):
            last = _snapshot(s.value)
            yield last
    res = s.close()
    if last is _NOTHING or res.value != last:
        yield res.value


# -- server stream adapters ------------------------------------------------------------

def _get(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def openai_values(stream: Iterable[Any], required_keys: RequiredKeys = (),
                  **options: Any) -> Iterator[JSONValue]:
    """Values from an OpenAI-compatible chat-completion stream (the ``openai`` SDK's
    ``client.chat.completions.create(..., stream=True)``, as served by vLLM, FastChat,
    LLaMA-Factory, or the same chunks as dicts): the ``delta.content`` of choice 0,
    repaired as it grows. Yields a snapshot each time the value grows, the final value
    last."""
    def chunks() -> Iterator[str]:
        for chunk in stream:
            choices = _get(chunk, "choices") or ()
            for choice in choices:
                if (_get(choice, "index") or 0) != 0:
                    continue
                content = _get(_get(choice, "delta"), "content")
                if content:
                    yield content
    return iter_values(chunks(), required_keys, **options)


def openai_tool_call_values(stream: Iterable[Any], required_keys: RequiredKeys = (),
                            **options: Any) -> Iterator[tuple[int, Optional[str], Any]]:
    """Tool-call arguments from an OpenAI-compatible stream: yields ``(index, name,
    value)`` each time the arguments of tool call ``index`` grow, and for every call its
    final value last (``close()``; a call whose arguments cannot be repaired yields the
    :class:`RepairError` as its value)."""
    repairers: dict[int, StreamRepairer]
    names: dict[int, str]
    last: dict[int, JSONValue]
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


def ollama_values(stream: Iterable[Any], required_keys: RequiredKeys = (),
                  **options: Any) -> Iterator[JSONValue]:
    """Values from ollama's ``/api/chat`` stream: NDJSON lines (``bytes`` or ``str``, e.g.
    ``httpx``'s ``response.iter_lines()``) or the parsed objects (the ``ollama`` client's
    responses, or dicts); ``message.content`` is repaired as it grows. Yields a snapshot
    each time the value grows, the final value last."""
    def chunks() -> Iterator[str]:
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
