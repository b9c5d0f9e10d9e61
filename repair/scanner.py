"""The chooser: the only module that imports the compiled core or its pure twin.

``REPAIR_NO_EXTENSIONS=1`` forces the pure twin; ``REPAIR_REQUIRE_EXTENSIONS=1`` makes a
missing compiled core an :class:`ImportError`. :data:`IMPLEMENTATION` says which is loaded.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Optional

__all__ = ["Scanner", "IMPLEMENTATION", "py_core", "c_core"]

from . import _core_py as py_core

if TYPE_CHECKING:
    from typing import Iterable, Literal, Protocol, overload

    from . import _core

    class Core(Protocol):
        """What the Python modules use of a core module. Both cores have it: the twin's
        stub (``_core_py.pyi``) re-exports the compiled core's (``_core.pyi``)."""

        @property
        def Scanner(self) -> type[_core.Scanner]: ...

        @property
        def Stream(self) -> type[_core.Stream]: ...

        def order_edits(self, edits: _core.Edits) -> _core.Edits: ...

        def applied_edits(self, edits: _core.Edits, start: int, end: int) -> _core.Edits: ...

        @overload
        def render(self, buf: str, start: int, end: int, edits: Iterable[_core.EditTuple],
                   text: Literal[True] = ...) -> tuple[bytes, bool]: ...

        @overload
        def render(self, buf: str, start: int, end: int, edits: Iterable[_core.EditTuple],
                   text: Literal[False]) -> tuple[None, bool]: ...

        def depth_exceeds(self, text: str, limit: int) -> bool: ...

        def broken_json_prefix(self, text: str, limit: int) -> bool: ...

_NO_EXT = os.environ.get("REPAIR_NO_EXTENSIONS", "") not in ("", "0")
_REQUIRE_EXT = os.environ.get("REPAIR_REQUIRE_EXTENSIONS", "") not in ("", "0")

if _NO_EXT and _REQUIRE_EXT:
    raise ImportError("REPAIR_NO_EXTENSIONS and REPAIR_REQUIRE_EXTENSIONS are both set")

c_core: Optional[Core] = None
if TYPE_CHECKING:
    from ._core import Scanner
elif _NO_EXT:
    Scanner = py_core.Scanner
else:
    try:
        from . import _core as c_core
    except ImportError:
        if _REQUIRE_EXT:
            raise
        c_core = None
    Scanner = c_core.Scanner if c_core is not None else py_core.Scanner

IMPLEMENTATION = "cython" if Scanner is not py_core.Scanner else "python"
