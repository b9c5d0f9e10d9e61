"""The package is typed: it ships ``py.typed``, and mypy passes on the source tree with
the configuration in ``pyproject.toml`` (strict, but for the modules still being
annotated, which it lists)."""
import subprocess
import sys
from pathlib import Path

import pytest

import repair

REPO = Path(__file__).resolve().parent.parent


def test_py_typed_ships_with_the_package():
    # the imported package: in CI the installed one, so this checks the package data
    assert (Path(repair.__file__).resolve().parent / "py.typed").is_file()


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
