"""The chooser: the compiled core is loaded when required, the twin when forced, and the
two twins expose the same names."""
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import repair
import repair.scanner
PACKAGE_PARENT = str(Path(repair.__file__).resolve().parent.parent)


def env_flag(name):
    return os.environ.get(name, "") not in ("", "0")


@pytest.mark.skipif(not env_flag("REPAIR_REQUIRE_EXTENSIONS"),
                    reason="REPAIR_REQUIRE_EXTENSIONS is not set")
def test_compiled_core_loaded_when_required():
    assert repair.scanner.c_core is not None
    assert repair.IMPLEMENTATION == "cython"
    assert repair.scanner.Scanner is repair.scanner.c_core.Scanner


@pytest.mark.skipif(not env_flag("REPAIR_NO_EXTENSIONS"),
                    reason="REPAIR_NO_EXTENSIONS is not set")
def test_pure_twin_loaded_when_forced():
    assert repair.IMPLEMENTATION == "python"
    assert repair.scanner.Scanner is repair.scanner.py_core.Scanner


def test_implementation_names_the_loaded_scanner():
    assert repair.IMPLEMENTATION in ("cython", "python")
    if repair.IMPLEMENTATION == "cython":
        assert repair.scanner.Scanner is repair.scanner.c_core.Scanner
    else:
        assert repair.scanner.Scanner is repair.scanner.py_core.Scanner


def _run_python(code, **env_changes):
    env = dict(os.environ)
    env.pop("REPAIR_NO_EXTENSIONS", None)
    env.pop("REPAIR_REQUIRE_EXTENSIONS", None)
    env.update(env_changes)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60)


def test_no_extensions_env_forces_the_twin_at_import():
    proc = _run_python("import repair; print(repair.IMPLEMENTATION)",
                       REPAIR_NO_EXTENSIONS="1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "python"


def test_no_extensions_env_twin_still_repairs():
    proc = _run_python("import repair; print(repair.repair_llm_output('[1, 2'))",
                       REPAIR_NO_EXTENSIONS="1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[1, 2]"


def _public(obj):
    return {n for n in dir(obj) if not n.startswith("_")}


@pytest.mark.skipif(repair.scanner.c_core is None, reason="compiled core not built")
def test_twins_expose_the_same_names():
    py, c = repair.scanner.py_core, repair.scanner.c_core
    assert _public(py) - _public(c) == set()
    methods = {n for n in _public(c.Scanner) if callable(getattr(c.Scanner, n))}
    assert _public(py.Scanner) == methods
    # the compiled core's readable attributes are attributes of a twin scanner too
    assert _public(c.Scanner) - methods <= _public(py.Scanner())


@pytest.mark.skipif(repair.scanner.c_core is None, reason="compiled core not built")
def test_twins_share_constant_values():
    py, c = repair.scanner.py_core, repair.scanner.c_core
    for name in _public(py):
        value = getattr(py, name)
        if isinstance(value, (int, str, tuple, frozenset, dict)) and not isinstance(value, bool):
            assert getattr(c, name) == value, name


def test_job_pickles_and_keeps_its_core(engine):
    job = engine.prepare(("a",))
    again = pickle.loads(pickle.dumps(job))
    assert again.scanner_cls is job.scanner_cls
    assert again.run("{a: 1, 'b': [1 2").text == job.run("{a: 1, 'b': [1 2").text
