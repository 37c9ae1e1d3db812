"""Build the common Lambda layer without Docker: ``python -m infra.layer [build/layer]``.

The layer is ``<dir>/python/``: the runtime dependencies of ``pyproject.toml``
(``[project].dependencies``) as arm64 / CPython 3.13 wheels, installed by pip with ``--platform``,
plus the shared package ``sevamitra``. ``make layer`` runs this (it needs PyPI); synth only
checks that the directory exists, so it needs no network.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
SHARED_PACKAGE = ROOT / "layers" / "common" / "python" / "sevamitra"
PLATFORM = "manylinux2014_aarch64"
PYTHON_VERSION = "3.13"
# What pip --target leaves beside the packages that nothing imports: console scripts with a
# local shebang, C headers and h3's static library.
NOT_IMPORTABLE = ("bin", "include", "lib64")


class LayerNotBuiltError(RuntimeError):
    pass


def runtime_dependencies(pyproject: Path = PYPROJECT) -> list[str]:
    with pyproject.open("rb") as file:
        return list(tomllib.load(file)["project"]["dependencies"])


def pip_command(target: Path, requirements: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",
        "--platform",
        PLATFORM,
        "--only-binary=:all:",
        "--python-version",
        PYTHON_VERSION,
        "--implementation",
        "cp",
        "--target",
        str(target),
        *requirements,
    ]


def build(layer_dir: Path) -> Path:
    """(Re)build ``layer_dir/python`` from scratch and return it."""
    target = layer_dir / "python"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    subprocess.run(pip_command(target, runtime_dependencies()), check=True)  # noqa: S603
    for name in NOT_IMPORTABLE:
        shutil.rmtree(target / name, ignore_errors=True)
    copy_shared_package(target)
    for cache in list(target.rglob("__pycache__")):
        shutil.rmtree(cache)
    return target


def copy_shared_package(target: Path, source: Path = SHARED_PACKAGE) -> Path:
    """Copy ``sevamitra`` into ``target``. copytree follows symlinks by default, so
    ``services.json`` (a link to ``data/services.json``) lands as the file it points to."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    return Path(shutil.copytree(source, target / source.name, ignore=skip))


def require_built(layer_dir: Path) -> Path:
    """``layer_dir`` if it holds a built layer; otherwise a clear error saying how to build it."""
    if not (layer_dir / "python" / "sevamitra").is_dir():
        raise LayerNotBuiltError(
            f"The Lambda layer is not built: {layer_dir / 'python' / 'sevamitra'} is missing. "
            "Run `make layer` (or `make synth`, which builds it first), or pass "
            "`--context layer_dir=<dir>` pointing at a built layer."
        )
    return layer_dir


if __name__ == "__main__":
    built = build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "layer")
    print(f"layer built in {built}")
