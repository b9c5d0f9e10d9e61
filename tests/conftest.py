"""Shared test machinery: hypothesis profiles, the two-core ``engine`` fixture, seed corpus.

- Hypothesis profiles ``dev`` (quick, the default) and ``ci`` (thorough); pick one with
  ``HYPOTHESIS_PROFILE=ci``.
- ``engine``: a :class:`repair.Engine` bound to one core, parametrized with the ids
  ``cython`` and ``python``. The ``cython`` param is skipped when the compiled core is not
  built (unless ``REPAIR_REQUIRE_EXTENSIONS=1``: then a missing core is a failure, never a
  skip) and when ``REPAIR_NO_EXTENSIONS=1`` forces the pure twin. The fixture is
  session-scoped and holds no state, so it also works under ``@given``.
- ``engines``: every available engine, ``{"cython": Engine, "python": Engine}``, for the
  differential tests.
- ``corpus_case``: a test that asks for it is parametrized over every case of the
  project's ``corpus/`` (see ``repair.corpus``), with the case's label (else its id) as
  test id.
- ``seed_corpus``: the list of all cases of the seed the corpus was imported from
  (``REPAIR_SEED_DIR``, else ``<repo>/../shared/corpus-seed``); skipped with a reason naming
  the path when the directory is absent.
"""
import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

import repair
import repair.corpus
import repair.scanner

# dev: quick and random (every local run explores new examples); ci: derandomized, so a
# CI run is reproducible and a red CI always means a change broke something; long: deep
# random runs before a release (HYPOTHESIS_PROFILE=long).
settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("ci", max_examples=120, deadline=None, derandomize=True)
# the second CI suite (the pure twin forced): the first suite already ran the twin at
# the ci level beside the compiled core; this one checks the twin-only install path
settings.register_profile("ci-twin", max_examples=40, deadline=None, derandomize=True)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

REPO = Path(__file__).resolve().parent.parent
ENGINE_IDS = ("cython", "python")


def env_flag(name):
    return os.environ.get(name, "") not in ("", "0")


def engine_skip_reason(name):
    """Why the engine ``name`` is not available here, or ``None`` when it is."""
    if name == "cython":
        if env_flag("REPAIR_NO_EXTENSIONS"):
            return "pure twin forced by REPAIR_NO_EXTENSIONS"
        if repair.scanner.c_core is None and not env_flag("REPAIR_REQUIRE_EXTENSIONS"):
            return "compiled core not built"
    return None


def build_engine(name):
    """The Engine for ``name`` ("cython" or "python"); skips (or fails) like the fixture."""
    reason = engine_skip_reason(name)
    if reason is not None:
        pytest.skip(reason)
    if name == "cython":
        if repair.scanner.c_core is None:
            pytest.fail("REPAIR_REQUIRE_EXTENSIONS=1 but the compiled core repair._core "
                        "did not load")
        return repair.Engine(repair.scanner.c_core.Scanner)
    if name == "python":
        return repair.Engine(repair.scanner.py_core.Scanner)
    raise ValueError("unknown engine %r" % (name,))


def available_engines():
    """``{id: Engine}`` for every core that can run here."""
    return {name: build_engine(name) for name in ENGINE_IDS
            if engine_skip_reason(name) is None and
            (name != "cython" or repair.scanner.c_core is not None)}


@pytest.fixture(scope="session", params=ENGINE_IDS)
def engine(request):
    return build_engine(request.param)


@pytest.fixture(scope="session")
def engines():
    return available_engines()


# -- seed corpus ---------------------------------------------------------------------

def seed_dir():
    env = os.environ.get("REPAIR_SEED_DIR")
    if env:
        return Path(env)
    return REPO.parent / "shared" / "corpus-seed"


def seed_cases():
    """Every case of every ``*.jsonl`` in the seed directory, in file order
    (``[]`` when the directory is absent)."""
    d = seed_dir()
    if not d.is_dir():
        return []
    cases = []
    for path in sorted(d.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    case = json.loads(line)
                    case["_file"] = path.name
                    cases.append(case)
    return cases


@pytest.fixture(scope="session")
def seed_corpus():
    """All seed cases (skips when the seed directory is absent)."""
    cases = seed_cases()
    if not cases:
        pytest.skip("seed corpus not found: %s (set REPAIR_SEED_DIR)" % (seed_dir(),))
    return cases


# -- the project's corpus ------------------------------------------------------------

CORPUS_DIR = REPO / "corpus"


def corpus_cases():
    return repair.corpus.load(CORPUS_DIR)


def pytest_generate_tests(metafunc):
    if "corpus_case" in metafunc.fixturenames:
        cases = corpus_cases()
        metafunc.parametrize("corpus_case", cases, ids=[c.name for c in cases])
