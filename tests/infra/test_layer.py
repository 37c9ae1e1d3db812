"""The layer build: pip for arm64 / CPython 3.13 wheels only, of exactly pyproject's dependencies."""

from __future__ import annotations

import tomllib
from pathlib import Path

from infra.layer import copy_shared_package, pip_command, runtime_dependencies

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
    services = copied / "services.json"
    assert services.is_file()
    assert not services.is_symlink()
    assert services.read_bytes() == (ROOT / "data" / "services.json").read_bytes()
    assert (copied / "data" / "schema.py").is_file()
    assert not list(copied.rglob("__pycache__"))
    assert not list(copied.rglob("*.pyc"))
