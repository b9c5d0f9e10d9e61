"""The package is typed: it ships ``py.typed`` and the stubs of the two cores
(``_core.pyi``, ``_core_py.pyi``), the stubs match the cores (mypy's stubtest), and mypy
passes on the source tree with the configuration in ``pyproject.toml`` (strict)."""
import importlib
import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

import repair

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["py.typed", "_core.pyi", "_core_py.pyi"])
def test_type_files_ship_with_the_package(name):
    # the imported package: in CI the installed one, so this checks the package data
    assert (Path(repair.__file__).resolve().parent / name).is_file()


# names of the stub that are not at run time: its type aliases; and what stubtest reports
# of the compiled classes that the stub leaves as they are (their C-level constructors,
# @disjoint_base)
STUBTEST_ALLOWLIST = """
repair\\._core(_py)?\\.(EditTuple|Edits|Candidate)
repair\\._core\\.Builder\\.__init__
repair\\._core\\.Stream
"""


def test_core_stubs_match_the_cores(tmp_path):
    """The stubs against the modules that run (mypy's stubtest): every name they declare
    exists in the core, with a matching signature. Run outside the source tree, so that
    in CI it checks the installed package."""
    pytest.importorskip("mypy", reason="mypy is not installed (it is in the test extra)")
    modules = ["repair._core_py"]
    try:
        importlib.import_module("repair._core")
        modules.insert(0, "repair._core")
    except ImportError:
        pass                    # the twin only
    allowlist = tmp_path / "allowlist.txt"
    allowlist.write_text(STUBTEST_ALLOWLIST)
    env = dict(os.environ)
    where = str(Path(repair.__file__).resolve().parent.parent)
    if where not in site.getsitepackages():
        # the package the tests import (a source tree): for the import and for mypy
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [where, env.get("PYTHONPATH")]))
        env["MYPYPATH"] = where
    proc = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "--ignore-missing-stub",
         "--ignore-unused-allowlist", "--allowlist", str(allowlist)] + modules,
        cwd=str(tmp_path), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=600)
    assert proc.returncode == 0, "the stubs do not match the cores:\n" + proc.stdout


def test_mypy_passes_on_the_package(tmp_path):
    pytest.importorskip("mypy", reason="mypy is not installed (it is in the test extra)")
    if not (REPO / "pyproject.toml").is_file() or not (REPO / "repair").is_dir():
        pytest.skip("no source tree with pyproject.toml beside the tests")
    # a fresh cache outside the tree: nothing is written into the repository
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy_cache"),
         "--no-error-summary", "repair"],
        cwd=str(REPO), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=600)
    assert proc.returncode == 0, "mypy found errors:\n" + proc.stdout
