"""The import roots are one list, ``local.paths.SOURCE_DIRS``; every other place that has to name
them (the Makefile, pyproject's pytest, mypy and ruff settings, cdk.json, docs/local.md) says the
same, in the same order, so a new function is added once and the rest fail here until they agree."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable

import pytest

from local.paths import ROOT, SOURCE_DIRS

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _pythonpath_in(text: str, pattern: str) -> list[str]:
    (value,) = re.findall(pattern, text, flags=re.MULTILINE)
    return value.split(":")


# Where each copy of the list is read from.
ROOT_LISTS: dict[str, Callable[[], list[str]]] = {
    "Makefile PYTHONPATH": lambda: _pythonpath_in(
        (ROOT / "Makefile").read_text(), r"^export PYTHONPATH := (\S+)$"
    ),
    "pytest pythonpath": lambda: PYPROJECT["tool"]["pytest"]["ini_options"]["pythonpath"],
    "mypy mypy_path": lambda: PYPROJECT["tool"]["mypy"]["mypy_path"].split(":"),
    "cdk.json app": lambda: _pythonpath_in(
        json.loads((ROOT / "cdk.json").read_text())["app"], r"^PYTHONPATH=(\S+) "
    ),
    "docs/local.md": lambda: _pythonpath_in(
        (ROOT / "docs/local.md").read_text(), r"^export PYTHONPATH=(\S+)$"
    ),
}


def test_every_function_folder_is_an_import_root():
    functions = sorted(
        f"functions/{path.name}"
        for path in (ROOT / "functions").iterdir()
        if path.is_dir() and not path.name.startswith((".", "_"))
    )
    assert sorted(d for d in SOURCE_DIRS if d.startswith("functions/")) == functions


@pytest.mark.parametrize("where", list(ROOT_LISTS))
def test_every_list_of_import_roots_is_source_dirs(where):
    assert ROOT_LISTS[where]() == list(SOURCE_DIRS)


def test_ruff_knows_exactly_the_packages_of_the_import_roots_as_first_party():
    packages = {
        package.name
        for root in SOURCE_DIRS
        for package in (ROOT / root).iterdir()
        if (package / "__init__.py").is_file()
    }
    assert set(PYPROJECT["tool"]["ruff"]["lint"]["isort"]["known-first-party"]) == packages


def test_no_script_keeps_a_list_of_function_folders_of_its_own():
    """A script that starts without the Makefile's PYTHONPATH takes the roots from
    ``local.paths``: a private copy missed ``functions/ondc`` and broke ``benchmarks/capacity.py``."""
    copies = [
        str(path.relative_to(ROOT))
        for folder in ("benchmarks", "local", "infra")
        for path in (ROOT / folder).rglob("*.py")
        if path != ROOT / "local/paths.py"
        and len(set(re.findall(r"[\"']functions/(\w+)[\"']", path.read_text(encoding="utf-8")))) > 1
    ]
    assert copies == []
