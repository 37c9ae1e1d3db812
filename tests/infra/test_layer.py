"""The layer build: pip for arm64 / CPython 3.13 wheels only, of exactly pyproject's dependencies,
compiled to CPython 3.13 bytecode that the deployed layer keeps."""

from __future__ import annotations

import stat
import sys
import tomllib
from pathlib import Path

import pytest

from infra.layer import (
    PYTHON_ENV,
    LayerBuildError,
    compile_command,
    copy_shared_package,
    pip_command,
    runtime_dependencies,
    runtime_python,
)
from sevamitra.edge.routes import Function

ROOT = Path(__file__).resolve().parents[2]


def test_the_layer_installs_exactly_the_runtime_dependencies_of_pyproject():
    with (ROOT / "pyproject.toml").open("rb") as file:
        assert runtime_dependencies() == tomllib.load(file)["project"]["dependencies"]


def test_pip_fetches_only_arm64_cpython313_wheels_into_the_layer(tmp_path):
    command = pip_command(tmp_path / "python", ["h3==4.5.0"])
    joined = " ".join(command)
    assert "--platform manylinux2014_aarch64" in joined
    assert "--only-binary=:all:" in command
    assert "--python-version 3.13" in joined
    assert "--implementation cp" in joined
    assert f"--target {tmp_path / 'python'}" in joined
    assert command[-1] == "h3==4.5.0"


def test_the_shared_package_is_copied_with_the_rate_card_as_a_real_file_and_no_bytecode(tmp_path):
    copied = copy_shared_package(tmp_path)
    services = copied / "domain" / "services.json"
    assert services.is_file()
    assert not services.is_symlink()
    assert services.read_bytes() == (ROOT / "data" / "services.json").read_bytes()
    assert (copied / "data" / "schema.py").is_file()
    assert not list(copied.rglob("__pycache__"))
    assert not list(copied.rglob("*.pyc"))


@pytest.mark.parametrize(
    "name", ["services.json", "search_terms.json", "districts.json", "service_area.json"]
)
def test_every_data_file_the_domain_reads_lands_in_the_layer_as_a_real_file(tmp_path, name):
    copied = copy_shared_package(tmp_path) / "domain" / name
    assert copied.is_file()
    assert not copied.is_symlink()
    assert copied.read_bytes() == (ROOT / "data" / name).read_bytes()


def test_the_layer_is_compiled_to_bytecode_the_runtime_uses_without_checking_sources(tmp_path):
    command = compile_command(tmp_path / "python", "/opt/cpython-3.13/bin/python3")
    assert command[:3] == ["/opt/cpython-3.13/bin/python3", "-m", "compileall"]
    assert " --invalidation-mode unchecked-hash " in " ".join(command)
    assert command[-1] == str(tmp_path / "python")


def _fake_interpreter(path: Path, prints: str) -> str:
    path.write_text(f"#!/bin/sh\necho {prints}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_the_bytecode_is_compiled_by_cpython313_the_lambda_runtime(tmp_path):
    python = _fake_interpreter(tmp_path / "python3", "cpython 3 13")
    assert runtime_python({PYTHON_ENV: python}) == python


@pytest.mark.parametrize("prints", ["cpython 3 11", "pypy 3 13", ""])
def test_another_interpreter_is_refused_with_how_to_get_the_right_one(tmp_path, prints):
    python = _fake_interpreter(tmp_path / "python3", prints) if prints else sys.executable + "-missing"
    with pytest.raises(LayerBuildError, match=r"CPython 3\.13") as refused:
        runtime_python({PYTHON_ENV: python})
    assert PYTHON_ENV in str(refused.value)


def test_the_deployed_layer_keeps_its_bytecode_and_the_functions_ship_source(dev):
    assets = [path for path in dev.outdir.glob("asset.*") if path.is_dir()]
    (layer,) = [asset for asset in assets if (asset / "python" / "sevamitra").is_dir()]
    assert (layer / "python" / "sevamitra" / "__pycache__" / "__init__.cpython-313.pyc").is_file()
    assert not (layer / ".stamp").exists()
    functions = [asset for asset in assets if asset != layer and any(asset.rglob("handler.py"))]
    assert len(functions) == len(Function)
    assert not [pyc for asset in functions for pyc in asset.rglob("*.pyc")]


def test_without_layer_python_a_pyenv_cpython313_is_found(tmp_path, monkeypatch):
    monkeypatch.setattr("infra.layer.shutil.which", lambda _: None)
    installed = tmp_path / ".pyenv" / "versions" / "3.13.9" / "bin"
    installed.mkdir(parents=True)
    python = _fake_interpreter(installed / "python3.13", "cpython 3 13")
    assert runtime_python({"HOME": str(tmp_path)}) == python
