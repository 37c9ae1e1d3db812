"""End-to-end tests: the API over HTTP, signed in through Cognito as a client would.

By default the session starts the local stack (``python -m local.server``, what ``make dev``
runs) once, on free ports with its own state directory, and stops it with SIGTERM at the end.
With ``SEVA_OUTPUTS=<outputs.json>`` the tests target that running or deployed stack instead.
There, with administrator credentials for the stack's account in the environment, self sign-ups
are confirmed and staff accounts made through the user pool's admin API (the staff accounts are
deleted at the end), and the police key is read from Secrets Manager (``PoliceSecretArn``);
without credentials those tests skip, saying so. Tests that need the emulator itself (forged
tokens, the server log) skip there.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from local.paths import ROOT, pythonpath

START_TIMEOUT_S = 30
STOP_TIMEOUT_S = 10
HTTP_TIMEOUT_S = 10


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


STAFF_GROUPS = {"officer": "officers", "employer": "employers"}


@dataclass
class Stack:
    outputs: dict[str, Any]
    # Staff accounts made for these tests on a deployed stack: role -> (username, password).
    made_accounts: dict[str, tuple[str, str]] = field(default_factory=dict)

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
        """The local stack's demo account for ``role``; on a deployed stack, a staff account made
        for this session (``officer``, ``employer``) or a signed-up citizen."""
        account = (self.outputs.get("DemoAccounts") or {}).get(role)
        if account:
            return account["username"], account["password"]
        if self.is_local:
            pytest.skip(f"no demo {role} account in this stack's outputs")
        if role not in self.made_accounts:
            self.made_accounts[role] = (
                self._make_staff_account(STAFF_GROUPS[role])
                if role in STAFF_GROUPS
                else self.sign_up_citizen()
            )
        return self.made_accounts[role]

    def demo_token(self, role: str) -> str:
        return self.id_token(*self.demo_account(role))

    def _admin(self, what: str, call: Any, **kwargs: Any) -> Any:
        try:
            return call(UserPoolId=self.outputs["UserPoolId"], **kwargs)
        except (BotoCoreError, ClientError) as exc:
            if self.is_local:
                raise
            pytest.skip(
                f"{what} on a deployed stack needs administrator credentials for its user pool: {exc}"
            )

    def _make_staff_account(self, group: str) -> tuple[str, str]:
        username = f"+9196{uuid.uuid4().int % 10**8:08d}"
        password = f"Staff#{uuid.uuid4().hex[:12]}1"
        admin = self.cognito(signed=True)
        self._admin(
            "making a staff account",
            admin.admin_create_user,
            Username=username,
            UserAttributes=[{"Name": "phone_number", "Value": username}],
            MessageAction="SUPPRESS",
        )
        admin.admin_set_user_password(
            UserPoolId=self.outputs["UserPoolId"], Username=username, Password=password, Permanent=True
        )
        admin.admin_add_user_to_group(
            UserPoolId=self.outputs["UserPoolId"], Username=username, GroupName=group
        )
        return username, password

    def delete_made_accounts(self) -> None:
        admin = self.cognito(signed=True)
        for role, (username, _) in self.made_accounts.items():
            if role in STAFF_GROUPS:
                admin.admin_delete_user(UserPoolId=self.outputs["UserPoolId"], Username=username)

    def sign_up_citizen(self) -> tuple[str, str]:
        """A new citizen signs up with a phone number and is confirmed (by the administrator API:
        no SMS code here); (username, password)."""
        username = f"+9197{uuid.uuid4().int % 10**8:08d}"
        password = f"Citizen#{uuid.uuid4().hex[:8]}1"
        self.cognito().sign_up(
            ClientId=self.outputs["UserPoolClientId"],
            Username=username,
            Password=password,
            UserAttributes=[{"Name": "phone_number", "Value": username}],
        )
        self._admin(
            "confirming a self sign-up", self.cognito(signed=True).admin_confirm_sign_up, Username=username
        )
        return username, password

    def police_key(self) -> bytes:
        """The police callback key: in the local outputs, or read from Secrets Manager."""
        if self.outputs.get("PoliceSecretValue"):
            return str(self.outputs["PoliceSecretValue"]).encode()
        try:
            secrets = boto3.client("secretsmanager", region_name=self.region)
            value = secrets.get_secret_value(SecretId=self.outputs["PoliceSecretArn"])["SecretString"]
        except (BotoCoreError, ClientError) as exc:
            pytest.skip(f"signing the police callback needs read access to PoliceSecretArn: {exc}")
        return str(value).encode()


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
        "PYTHONPATH": pythonpath(),
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
def stack(request: pytest.FixtureRequest) -> Iterator[Stack]:
    deployed = os.environ.get("SEVA_OUTPUTS")
    if deployed:
        target = Stack(json.loads(Path(deployed).read_text(encoding="utf-8")))
        yield target
        target.delete_made_accounts()
        return
    outputs, _ = request.getfixturevalue("local_stack_process")
    yield Stack(outputs)


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
