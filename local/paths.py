"""Where the code lives: the import roots every process of the project needs (the layer package,
each function's folder, the repository root). Scripts and tests that start subprocesses take them
from here. The files that cannot import this list (the Makefile's PYTHONPATH, pyproject's pytest,
mypy and ruff settings, cdk.json, docs/local.md) repeat it; tests/unit/test_import_roots.py holds
each copy to this one."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = (
    "layers/common/python",
    "functions/register",
    "functions/match",
    "functions/book",
    "functions/complaint",
    "functions/verify",
    "functions/notify",
    "functions/jobs",
    "functions/ondc",
    ".",
)


def pythonpath() -> str:
    """``PYTHONPATH`` for a subprocess that imports the project's code."""
    return os.pathsep.join(str(ROOT / directory) for directory in SOURCE_DIRS)
