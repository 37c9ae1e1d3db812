"""Build the common Lambda layer without Docker: ``python -m infra.layer [build/layer]``.

The layer is ``<dir>/python/``: the runtime dependencies of ``pyproject.toml``
(``[project].dependencies``) as arm64 / CPython 3.13 wheels, installed by pip with ``--platform``,
plus the shared package ``sevamitra``, all compiled to CPython 3.13 bytecode. ``make layer`` runs
this (it needs PyPI and a CPython 3.13 interpreter); synth only checks that the directory exists,
so it needs no network.

Why bytecode: ``/opt`` is read-only in Lambda, so a layer shipped as source is compiled again on
every cold start (pydantic, Powertools, pynamodb, botocore: hundreds of milliseconds). The ``.pyc``
files are ``unchecked-hash``: the runtime uses them without comparing source timestamps, which
asset zips do not keep. The layer is rebuilt from scratch whenever its inputs change, so they
cannot go stale.

The functions' own code is read-only in Lambda too (``/var/task``), so it is compiled the same
way, into ``<dir>/functions/<function>/`` (source and bytecode); the CDK stack deploys each
function from there when it exists (``infra/constructs/functions.py``). Shipped as source, a
function's modules were compiled on every cold start: 30-150 ms of it (docs/capacity.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
SHARED_PACKAGE = ROOT / "layers" / "common" / "python" / "sevamitra"
PLATFORM = "manylinux2014_aarch64"
PYTHON_VERSION = "3.13"
FUNCTIONS_DIR = "functions"
"""Where in the layer build directory the compiled function packages go (not part of the layer)."""
FUNCTIONS_ROOT = ROOT / "functions"
PYTHON_ENV = "LAYER_PYTHON"
"""Environment variable naming the CPython 3.13 interpreter that compiles the layer's bytecode
(default: ``python3.13`` on ``PATH``)."""
# What pip --target leaves beside the packages that nothing imports: console scripts with a
# local shebang, C headers and h3's static library.
NOT_IMPORTABLE = ("bin", "include", "lib64")


class LayerNotBuiltError(RuntimeError):
    pass


class LayerBuildError(RuntimeError):
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
    python = runtime_python()
    subprocess.run(compile_command(target, python), check=True)  # noqa: S603
    build_functions(layer_dir / FUNCTIONS_DIR, python)
    return target


def build_functions(target: Path, python: str, source: Path = FUNCTIONS_ROOT) -> dict[str, Path]:
    """(Re)build ``target/<function>/<function>/``: each function's package, source and
    ``unchecked-hash`` bytecode compiled by ``python``; returns each function's asset directory."""
    shutil.rmtree(target, ignore_errors=True)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    assets = {}
    for package in sorted(p for p in source.iterdir() if (p / p.name / "__init__.py").is_file()):
        asset = target / package.name
        shutil.copytree(package / package.name, asset / package.name, ignore=skip)
        assets[package.name] = asset
    if assets:
        subprocess.run(compile_command(target, python), check=True)  # noqa: S603
    return assets


def function_asset(layer_dir: Path, function: str) -> Path:
    """What to deploy as ``function``'s code: its compiled build beside the layer when there is
    one, else its source directory."""
    built = layer_dir / FUNCTIONS_DIR / function
    return built if (built / function / "__init__.py").is_file() else FUNCTIONS_ROOT / function


def runtime_python(environ: Mapping[str, str] | None = None) -> str:
    """The CPython 3.13 interpreter that compiles the layer (bytecode is version-specific)."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    if env.get(PYTHON_ENV):
        candidates = [env[PYTHON_ENV]]
    else:  # on PATH, else where pyenv and uv install interpreters
        home, binary = Path(env.get("HOME", "~")).expanduser(), f"python{PYTHON_VERSION}"
        installed = [
            *home.glob(f".pyenv/versions/{PYTHON_VERSION}.*/bin/{binary}"),
            *home.glob(f".local/share/uv/python/cpython-{PYTHON_VERSION}.*/bin/{binary}"),
        ]
        candidates = [shutil.which(binary) or "", *map(str, sorted(installed))]
    for candidate in filter(None, candidates):
        if _is_runtime_python(candidate):
            return candidate
    raise LayerBuildError(
        f"The layer's bytecode is compiled by CPython {PYTHON_VERSION} (the Lambda runtime), and "
        f"none was found: install it (`uv python install {PYTHON_VERSION}`, `pyenv install "
        f"{PYTHON_VERSION}` or your package manager) or set {PYTHON_ENV} to its path."
    )


def _is_runtime_python(candidate: str) -> bool:
    probe = [candidate, "-c", "import sys; print(sys.implementation.name, *sys.version_info[:2])"]
    try:
        found = subprocess.run(probe, capture_output=True, text=True, check=False, timeout=30)  # noqa: S603
    except OSError:
        return False
    return found.stdout.split() == ["cpython", *PYTHON_VERSION.split(".")]


def compile_command(target: Path, python: str) -> list[str]:
    return [python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(target)]


def copy_shared_package(target: Path, source: Path = SHARED_PACKAGE) -> Path:
    """Copy ``sevamitra`` into ``target``. copytree follows symlinks by default, so
    ``domain/services.json`` (a link to ``data/services.json``) lands as the file it points to."""
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
