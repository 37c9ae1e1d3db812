"""End-to-end tests: the API over HTTP, signed in through Cognito as a client would.

By default the session starts the local stack (``python -m local.server``, what ``make dev``
runs) once, on free ports with its own state directory, and stops it with SIGTERM at the end.
With ``SEVA_OUTPUTS=<outputs.json>`` the tests target that running or deployed stack instead;
tests that need the emulator (demo accounts, forged tokens, admin confirmation) skip there.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from botocore import UNSIGNED
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
PYTHONPATH = [
    "layers/common/python",
    "functions/register",
    "functions/match",
    "functions/book",
    "functions/complaint",
    "functions/verify",
    ".",
]
START_TIMEOUT_S = 30
STOP_TIMEOUT_S = 10
HTTP_TIMEOUT_S = 10


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Stack:
    outputs: dict[str, Any]

    @property
    def api_url(self) -> str:
        return str(self.outputs["ApiUrl"]).rstrip("/")

    @property
    def is_local(self) -> bool:
        return "AwsEndpointUrl" in self.outputs

    @property
    def region(self) -> str:
        if "Region" in self.outputs:
            return str(self.outputs["Region"])
        return str(self.outputs["UserPoolId"]).split("_")[0]

    def url(self, path: str) -> str:
        return self.api_url + path

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.get(self.url(path), timeout=HTTP_TIMEOUT_S, **kwargs)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, self.url(path), timeout=HTTP_TIMEOUT_S, **kwargs)

    def cognito(self, *, signed: bool = False) -> Any:
        """A Cognito client as the app has one: unsigned calls (sign-up, sign-in); ``signed``
        for administrator calls, with the emulator's fake credentials in local mode."""
        kwargs: dict[str, Any] = {
            "region_name": self.region,
            "endpoint_url": self.outputs.get("AwsEndpointUrl"),
        }
        if not signed:
            kwargs["config"] = Config(signature_version=UNSIGNED)
        elif self.is_local:
            kwargs.update(aws_access_key_id="local", aws_secret_access_key="local")
        return boto3.client("cognito-idp", **kwargs)

    def sign_in(self, username: str, password: str) -> dict[str, str]:
        """``USER_PASSWORD_AUTH`` against the user pool: ``IdToken``, ``AccessToken``, ..."""
        result = self.cognito().initiate_auth(
            ClientId=self.outputs["UserPoolClientId"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        return dict(result["AuthenticationResult"])

    def id_token(self, username: str, password: str) -> str:
        return self.sign_in(username, password)["IdToken"]

    def demo_account(self, role: str) -> tuple[str, str]:
        account = (self.outputs.get("DemoAccounts") or {}).get(role)
        if not account:
            pytest.skip(f"no demo {role} account in this stack's outputs")
        return account["username"], account["password"]

    def demo_token(self, role: str) -> str:
        return self.id_token(*self.demo_account(role))

    def sign_up_citizen(self) -> tuple[str, str]:
        """A new citizen signs up with a phone number and is confirmed; (username, password)."""
        if not self.is_local:
            pytest.skip("confirming a self sign-up needs the emulator (no SMS code here)")
        username = f"+9197{uuid.uuid4().int % 10**8:08d}"
        password = f"Citizen#{uuid.uuid4().hex[:8]}1"
        self.cognito().sign_up(
            ClientId=self.outputs["UserPoolClientId"],
            Username=username,
            Password=password,
            UserAttributes=[{"Name": "phone_number", "Value": username}],
        )
        self.cognito(signed=True).admin_confirm_sign_up(
            UserPoolId=self.outputs["UserPoolId"], Username=username
        )
        return username, password


def _wait_until_healthy(process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"local stack exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    process.kill()
    pytest.fail(f"local stack not healthy within {START_TIMEOUT_S}s:\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def local_stack_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Path]]:
    state_dir = tmp_path_factory.mktemp("local-stack")
    log_path = state_dir / "server.log"
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "MOTO_PORT": str(free_port()),
        "LOCAL_STATE_DIR": str(state_dir),
        "PYTHONPATH": os.pathsep.join(str(ROOT / p) for p in PYTHONPATH),
        "PYTHONUNBUFFERED": "1",
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "local.server"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_healthy(process, f"http://127.0.0.1:{port}", log_path)
        outputs = json.loads((state_dir / "outputs.json").read_text(encoding="utf-8"))
        yield outputs, log_path
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail(f"local stack did not stop within {STOP_TIMEOUT_S}s of SIGTERM")
    assert code == 0, f"local stack exited with {code}:\n{log_path.read_text()}"


@pytest.fixture(scope="session")
def stack(request: pytest.FixtureRequest) -> Stack:
    deployed = os.environ.get("SEVA_OUTPUTS")
    if deployed:
        return Stack(json.loads(Path(deployed).read_text(encoding="utf-8")))
    outputs, _ = request.getfixturevalue("local_stack_process")
    return Stack(outputs)


@pytest.fixture
def local_only(stack: Stack) -> Stack:
    if not stack.is_local:
        pytest.skip("needs the local emulator")
    return stack


@pytest.fixture(scope="session")
def server_log(request: pytest.FixtureRequest) -> Path:
    if os.environ.get("SEVA_OUTPUTS"):
        pytest.skip("the server log exists only for a stack these tests started")
    _, log_path = request.getfixturevalue("local_stack_process")
    return Path(log_path)
