"""The chooser: the only module that imports the compiled core or its pure twin.

``REPAIR_NO_EXTENSIONS=1`` forces the pure twin; ``REPAIR_REQUIRE_EXTENSIONS=1`` makes a
missing compiled core an :class:`ImportError`. :data:`IMPLEMENTATION` says which is loaded.
"""
import os
from typing import TYPE_CHECKING

__all__ = ["Scanner", "IMPLEMENTATION", "py_core", "c_core"]

from . import _core_py as py_core

_NO_EXT = os.environ.get("REPAIR_NO_EXTENSIONS", "") not in ("", "0")
_REQUIRE_EXT = os.environ.get("REPAIR_REQUIRE_EXTENSIONS", "") not in ("", "0")

if _NO_EXT and _REQUIRE_EXT:
    raise ImportError("REPAIR_NO_EXTENSIONS and REPAIR_REQUIRE_EXTENSIONS are both set")

c_core = None
if TYPE_CHECKING:
    from ._core_py import Scanner
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
