"""Where the code lives: the import roots every process of the project needs (the layer package,
each function's folder, the repository root). The Makefile exports the same list as PYTHONPATH;
scripts and tests that start subprocesses take it from here."""

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
    ".",
)


def pythonpath() -> str:
    """``PYTHONPATH`` for a subprocess that imports the project's code."""
    return os.pathsep.join(str(ROOT / directory) for directory in SOURCE_DIRS)
