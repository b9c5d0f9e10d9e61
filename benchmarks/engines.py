"""The engines the benchmarks compare, the sizes they run at, and the caps on slow engines.

Every engine is a callable ``load(text, required_keys, options) -> value``:

- ``ours-cython``: ``repair.Engine(repair.scanner.c_core.Scanner).loads`` (compiled core)
- ``ours-python``: ``repair.Engine(repair.scanner.py_core.Scanner).loads`` (pure twin)
- ``orjson``: ``orjson.loads``; the benchmarks hand it the *valid twin* of the input: it is
  the floor, not a repairer
- ``json_repair``, ``fast_json_repair``: the peers' ``loads(text)``; they take no required
  keys or options (optional dependencies: ``pip install '.[bench]'``)

This module does not import pytest: the report and the memory probe use it too.
"""
import importlib
import os

from . import docs

__all__ = ["ENGINES", "OURS", "PEERS", "FLOOR", "CAPS", "unavailable", "load", "sizes",
           "engines_selected", "cap_reason", "default_ours", "rounds"]

OURS = ("ours-cython", "ours-python")
FLOOR = "orjson"
PEERS = ("json_repair", "fast_json_repair")
ENGINES = OURS + (FLOOR,) + PEERS

# Largest size each engine is run at (bytes); above it the benchmark is skipped with
# "too slow at this size". Decided from measurement on a 2-core machine: see README.md.
# ``REPAIR_BENCH_NO_CAPS=1`` lifts them.
CAPS = {
}

# Rounds of one call for the slow engines from 1 MB on (elsewhere pytest-benchmark
# calibrates: at least 5 rounds, more while they fit in --benchmark-max-time): one call of
# json_repair on a damaged 10 MB document takes 3-15 s here, of ours 2-8 s.
_ROUNDS = {1_000_000: 5, 10_000_000: 3}
_ROUNDS_SLOW = {("json_repair", 10_000_000): 1}


def rounds(name, size):
    """How many rounds to time ``name`` at ``size``; ``None``: let pytest-benchmark
    calibrate (sizes under 1 MB, and the fast engines)."""
    if size < 1_000_000 or name in (FLOOR, "fast_json_repair"):
        return None
    return _ROUNDS_SLOW.get((name, size), _ROUNDS.get(size, 1 if size > 10_000_000 else 3))

_PIP = {"json_repair": "json-repair", "fast_json_repair": "fast-json-repair"}


def _flag(name):
    return os.environ.get(name, "") not in ("", "0")


def unavailable(name):
    """Why engine ``name`` cannot run here, or ``None`` when it can."""
    if name not in ENGINES:
        return "unknown engine %r" % (name,)
    if name == "ours-cython":
        if _flag("REPAIR_NO_EXTENSIONS"):
            return "pure twin forced by REPAIR_NO_EXTENSIONS"
        import repair.scanner
        if repair.scanner.c_core is None:
            return "compiled core not built (repair/_core*.so)"
        return None
    if name in PEERS:
        try:
            importlib.import_module(name)
        except ImportError:
            return "%s not installed (optional benchmark dependency: pip install %s)" % (
                name, _PIP[name])
    return None


def load(name):
    """The ``load(text, required_keys, options)`` callable of engine ``name``
    (raises ``RuntimeError`` when :func:`unavailable` says why not)."""
    reason = unavailable(name)
    if reason is not None:
        raise RuntimeError(reason)
    if name in OURS:
        import repair
        import repair.scanner
        core = repair.scanner.c_core if name == "ours-cython" else repair.scanner.py_core
        loads = repair.Engine(core.Scanner).loads

        def ours(text, required_keys=(), options=None):
            return loads(text, required_keys, **(options or {}))
        return ours
    mod = importlib.import_module(name)
    peer_loads = mod.loads

    def peer(text, required_keys=(), options=None):
        return peer_loads(text)
    return peer


def default_ours():
    """The engine ``repair.loads`` uses here: ``ours-cython`` when the compiled core is
    loaded, else ``ours-python``."""
    import repair.scanner
    return "ours-cython" if repair.scanner.IMPLEMENTATION == "cython" else "ours-python"


def cap_reason(name, size):
    """``"too slow at this size"`` (with the cap) when ``size`` is over ``name``'s cap."""
    cap = CAPS.get(name)
    if cap is not None and size > cap and not _flag("REPAIR_BENCH_NO_CAPS"):
        return "too slow at this size (capped at %s; REPAIR_BENCH_NO_CAPS=1 lifts it)" % (
            docs.size_name(cap),)
    return None


DEFAULT_SIZES = "1KB,10KB"


def sizes():
    """The document sizes to run: ``REPAIR_BENCH_SIZES`` (comma list such as
    ``1KB,10KB,100KB`` or ``all``), default 1 KB and 10 KB (the smoke run)."""
    spec = os.environ.get("REPAIR_BENCH_SIZES", "").strip() or DEFAULT_SIZES
    if spec.lower() == "all":
        return docs.SIZES
    return tuple(sorted({docs.parse_size(s) for s in spec.split(",") if s.strip()}))


def engines_selected():
    """``REPAIR_BENCH_ENGINES`` (comma list), default every engine."""
    spec = os.environ.get("REPAIR_BENCH_ENGINES", "").strip()
    if not spec:
        return ENGINES
    names = tuple(s.strip() for s in spec.split(",") if s.strip())
    bad = [n for n in names if n not in ENGINES]
    if bad:
        raise ValueError("REPAIR_BENCH_ENGINES: unknown engine(s) %s; known: %s"
                         % (", ".join(bad), ", ".join(ENGINES)))
    return names
