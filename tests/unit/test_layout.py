"""Where code may live and what it may import (docs/decisions.md, "One stack client"): the scripts
of the local stack and the benchmarks are clients of the functions, never importers of them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from local.paths import ROOT
from sevamitra.edge.routes import Function

FUNCTION_PACKAGES = frozenset(function.value for function in Function)
SCRIPT_FOLDERS = ("local", "benchmarks")
MAX_SCRIPT_LINES = 500


def _modules(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def _imported(path: Path) -> set[str]:
    """The top-level packages ``path`` imports (absolute imports only, anywhere in the module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", _modules(*SCRIPT_FOLDERS), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_script_of_the_local_stack_or_the_benchmarks_imports_a_functions_package(path: Path) -> None:
    # The emulator reaches handlers by their handler path string (local/dispatch.py), not by import.
    assert sorted(_imported(path) & FUNCTION_PACKAGES) == []


@pytest.mark.parametrize("path", _modules(*SCRIPT_FOLDERS), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_script_of_the_local_stack_or_the_benchmarks_is_over_500_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_SCRIPT_LINES, f"{path.relative_to(ROOT)}: {lines} lines"


def test_the_police_signature_is_one_module_of_the_layer() -> None:
    assert (ROOT / "layers/common/python/sevamitra/edge/signing.py").is_file()
    assert not list(ROOT.glob("functions/*/*/signature.py"))


def test_the_invariants_oracle_is_test_code_and_the_local_stack_does_not_import_tests() -> None:
    assert (ROOT / "tests/oracle/invariants.py").is_file()
    assert not (ROOT / "local/invariants.py").exists()
    assert [str(p.relative_to(ROOT)) for p in _modules("local") if "tests" in _imported(p)] == []
