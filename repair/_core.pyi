"""Type stub of the compiled core (``_core.pyx``): the interface the Python modules use.

The pure-Python twin ``_core_py.py`` has the same interface; its stub ``_core_py.pyi``
re-exports this one. Names marked "(stub only)" are type aliases that exist only here.
Helpers of the scanner's own (``_``-prefixed methods, the C-level state) are left out.
"""
from typing import Any, Iterable, Iterator, Literal, final, overload

from typing_extensions import TypeAlias

from .api import JSONValue, Job, RepairResult

# -- type aliases (stub only) -----------------------------------------------------------

EditTuple: TypeAlias = tuple[int, int, str, str]
"""One edit as the core records it: ``(kind, pos, removed, inserted)``; ``kind`` indexes
:data:`repair.kinds.NAMES`."""

Edits: TypeAlias = EditList | list[EditTuple]
"""The edits of one candidate: an :class:`EditList` (compiled core) or a list of tuples
(the twin), in position order."""

Candidate: TypeAlias = tuple[int, int, Edits, int]
"""What :meth:`Scanner.finish` lists: ``(start, end, edits, flags)``."""

# -- constants ----------------------------------------------------------------------------

# container types on the stack
OBJ: int
ARR: int
PAREN: int

# states of the machine
PROSE: int
KEY: int
COLON: int
VALUE: int
AFTER: int
STRING: int
THINK: int
TOP_AFTER: int

# candidate flags
TRUNCATED_END: int
CUT: int
IMPLICIT: int
SCALAR: int

# rule switches
RULE_IMPLICIT_ANYWHERE: int

# where a stream's scanner waits at a value string's closing quote (Stream._wait_state)
W_NONE: int
W_SPACE: int
W_COMMA: int
W_KEY: int
W_KEY_END: int
W_COLON: int
W_KEY_START: int
W_QUOTE1: int
W_QUOTE2: int
W_WORD: int
WORD_START: frozenset[str]
WORD_CHARS: frozenset[str]

LOOKAHEAD: int
NEED: int
ROW_ENDED: int
LOW_WATER_NONE: int

WS: str
QUOTES: str
STOPS: str
FULLWIDTH_MAP: dict[str, str]
OTHER_SPACE: str
LITERALS: dict[str, str]
LITERAL_PREFIXES: tuple[str, ...]
ESCAPES: str
CONTROL_ESCAPES: dict[str, str]

# -- functions ----------------------------------------------------------------------------

def is_ident(c: str) -> bool: ...
def fix_number(tok: str) -> str | None: ...
def apply_edits(buf: str, start: int, end: int, edits: Iterable[EditTuple]) -> str: ...

@final
class EditList:
    """(compiled core only) The edits of one candidate as C arrays; reads as the twin's
    list of tuples."""

    def append(self, edit: EditTuple) -> None: ...
    def clear(self) -> None: ...
    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: int, /) -> EditTuple: ...
    @overload
    def __getitem__(self, index: slice, /) -> list[EditTuple]: ...
    def __iter__(self) -> Iterator[EditTuple]: ...
    def __eq__(self, other: object, /) -> bool: ...

@overload
def render(buf: str, start: int, end: int, edits: Iterable[EditTuple],
           text: Literal[True] = ...) -> tuple[bytes, bool]: ...
@overload
def render(buf: str, start: int, end: int, edits: Iterable[EditTuple],
           text: Literal[False]) -> tuple[None, bool]: ...
def edit_order(edit: EditTuple) -> tuple[int, bool]: ...
def order_edits(edits: Edits) -> Edits: ...
def applied_edits(edits: Edits, start: int, end: int) -> Edits: ...
def depth_exceeds(text: str, limit: int) -> bool: ...
def broken_json_prefix(text: str, limit: int) -> bool: ...
def normalize_key(key: str) -> str: ...
def unescape_key(text: str) -> str: ...

# -- the scanner --------------------------------------------------------------------------

@final
class Scanner:
    """The push-based repair machine. ``feed()`` text, then ``finish()``."""

    @property
    def buf(self) -> str: ...
    @property
    def pos(self) -> int: ...
    @property
    def state(self) -> int: ...
    @property
    def edits(self) -> Edits: ...
    @property
    def candidates(self) -> list[Candidate]: ...
    @property
    def cand_start(self) -> int: ...
    @property
    def last_end(self) -> int: ...
    low_water: int

    def __init__(self, keymap: dict[str, str] | None = None, max_depth: int = 1000,
                 rules: int = 0) -> None: ...
    def feed(self, chunk: str) -> None: ...
    def finish(self) -> list[Candidate]: ...
    def committed(self) -> int: ...

# -- streaming ----------------------------------------------------------------------------

NOTHING: object

class Held(list[Any]): ...

@final
class Builder:
    """Builds the value of a strict-JSON text that arrives in pieces, in place."""

    @property
    def root(self) -> JSONValue: ...
    @property
    def state(self) -> int: ...
    @property
    def broken(self) -> bool: ...
    grew: bool
    text_grew: bool

    def __init__(self) -> None: ...
    def refresh(self) -> None: ...
    def feed(self, s: str, i: int, n: int) -> object: ...
    def end_scalar(self) -> None: ...

class Stream:
    """The per-chunk path of a stream (the base of :class:`repair.stream.StreamRepairer`)."""

    @property
    def scanner(self) -> Scanner: ...
    @property
    def job(self) -> Job: ...
    @property
    def builder(self) -> Builder: ...
    @property
    def closed(self) -> bool: ...
    result: RepairResult | None
    @property
    def builder_chars(self) -> int: ...
    @property
    def rebuilds(self) -> int: ...

    def attach(self, scanner: Scanner, job: Job) -> None: ...
    def feed(self, chunk: str | bytes, /) -> bool: ...
    @property
    def value(self) -> JSONValue: ...
    @property
    def text(self) -> str: ...
    def end_input(self) -> None: ...
    def final_value(self) -> tuple[int, int, JSONValue, Edits, bool] | None: ...

def feed_method(cls: type[Stream]) -> Any: ...
