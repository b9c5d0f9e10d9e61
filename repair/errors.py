"""The one error class of the package, raised by both twins of the core and by the API."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

if TYPE_CHECKING:
    from .api import RepairResult

__all__ = ["RepairError", "RepairValidationError"]


class RepairError(ValueError):
    """No JSON value could be recovered from the text, or a limit was hit.

    Modelled on :class:`json.JSONDecodeError`:

    msg    the short, fixed message
    doc    the text being repaired (``str``; bytes input is decoded first, and for
           undecodable bytes it is the bytes object itself)
    pos    the offset in ``doc`` where the problem is (a byte offset for undecodable bytes)
    lineno the line of ``pos``, counted from 1
    colno  the column of ``pos``, counted from 1
    """

    def __init__(self, msg: str, doc: str | bytes | bytearray, pos: int) -> None:
        if isinstance(doc, (bytes, bytearray)):
            lineno = doc.count(b"\n", 0, pos) + 1
            colno = pos - doc.rfind(b"\n", 0, pos)
        else:
            lineno = doc.count("\n", 0, pos) + 1
            colno = pos - doc.rfind("\n", 0, pos)
        errmsg = "%s: line %d column %d (char %d)" % (msg, lineno, colno, pos)
        ValueError.__init__(self, errmsg)
        self.msg = msg
        self.doc = doc
        self.pos = pos
        self.lineno = lineno
        self.colno = colno

    def __reduce__(self) -> tuple[Any, ...]:
        return self.__class__, (self.msg, self.doc, self.pos)


class RepairValidationError(RepairError):
    """The repaired value does not validate against the model passed to ``loads``.

    ``result`` is the :class:`repair.RepairResult` (the value and the repair report),
    ``errors`` the validator's error list; the validator's exception is the
    ``__cause__``."""

    def __init__(self, msg: str, doc: str | bytes | bytearray, pos: int,
                 result: RepairResult | None = None,
                 errors: Sequence[Mapping[str, Any]] = ()) -> None:
        super().__init__(msg, doc, pos)
        self.result = result
        self.errors = errors

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (self.msg, self.doc, self.pos, self.result, self.errors))

