"""Benchmark fixtures.

- ``engine`` (indirect parametrization with an engine id from ``benchmarks.engines``):
  ``ours-cython``, ``ours-python``, ``orjson``, ``json_repair``, ``fast_json_repair``.
  Returns ``(name, load)`` where ``load(text, required_keys, options)`` parses. A peer that
  is not installed, or a compiled core that is not built, is skipped with the reason
  (``REPAIR_REQUIRE_EXTENSIONS=1`` turns a missing compiled core into a failure).

:func:`run` times one benchmark the way its size needs.
"""
import os
from pathlib import Path

import pytest

from . import engines as E


@pytest.fixture(scope="session")
def _engine_cache():
    return {}


@pytest.fixture
def engine(request, _engine_cache):
    name = request.param
    reason = E.unavailable(name)
    if reason is not None:
        if name == "ours-cython" and os.environ.get("REPAIR_REQUIRE_EXTENSIONS", "") not in (
                "", "0") and not os.environ.get("REPAIR_NO_EXTENSIONS"):
            pytest.fail("REPAIR_REQUIRE_EXTENSIONS=1 but " + reason)
        pytest.skip(reason)
    if name not in _engine_cache:
        _engine_cache[name] = E.load(name)
    return name, _engine_cache[name]


def run(benchmark, fn, name, size):
    """Time ``fn()`` and return its result.

    Below 1 MB, pytest-benchmark calibrates (``benchmark(fn)``). From 1 MB on, a call takes
    long enough for a fixed number of rounds of one call each (``benchmark.pedantic``;
    :func:`benchmarks.engines.rounds`). Under ``--benchmark-disable`` ``fn`` runs once.
    """
    rounds = E.rounds(name, size)
    if rounds is None or getattr(benchmark, "disabled", False):
        return benchmark(fn)
    benchmark.extra_info["rounds"] = rounds
    return benchmark.pedantic(fn, rounds=rounds, iterations=1, warmup_rounds=0)


@pytest.hookimpl(optionalhook=True)
def pytest_benchmark_update_machine_info(config, machine_info):
    """Record what was compared: versions and which core ``repair.loads`` uses."""
    from importlib import metadata

    import repair.scanner
    versions = {}
    for dist in ("orjson", "json-repair", "fast-json-repair", "pytest-benchmark", "Cython"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    pkg = Path(repair.scanner.__file__).resolve().parent.parent
    machine_info["repair_bench"] = {
        "versions": versions,
        "repair_from": "the source tree" if pkg == Path(__file__).resolve().parent.parent
                       else str(pkg),
        "implementation": repair.scanner.IMPLEMENTATION,
        "compiled_core": getattr(repair.scanner.c_core, "__file__", None),
        "sizes": list(E.sizes()),
        "caps": dict(E.CAPS),
        # other work on the machine makes the numbers noisy: say how busy it was
        "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
    }
