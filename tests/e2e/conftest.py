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

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests
from botocore.exceptions import BotoCoreError, ClientError

from local.client import load_outputs
from local.client.cognito import new_credentials
from local.client.launch import LocalStackProcess
from local.client.stack import StackClient

# Guards against a stack that hangs, not performance targets: a loaded 2-core machine starts the
# stack (demo data included) in 15-40 s.
START_TIMEOUT_S = 90
STOP_TIMEOUT_S = 20
HTTP_TIMEOUT_S = 10
STAFF_GROUPS = {"officer": "officers", "employer": "employers", "second_officer": "officers"}
# Clocks the tests wait out (API.md, "Clocks"): a complaint's response window of a few seconds.
SHORT_CLOCKS = {"COMPLAINT_RESPONSE_S": "4"}
T = TypeVar("T")


class Stack(StackClient):
    """The stack under test (``local.client.stack.StackClient``), with what only tests do: staff
    accounts made for the session on a deployed stack, and a skip, with the reason, where a
    deployed stack needs administrator credentials these tests do not have."""

    def __init__(self, outputs: dict[str, Any]) -> None:
        super().__init__(outputs, timeout_s=HTTP_TIMEOUT_S, keep_alive=False)
        # Staff accounts made for these tests on a deployed stack: role -> (username, password).
        self.made_accounts: dict[str, tuple[str, str]] = {}

    @property
    def api_url(self) -> str:
        return self.api.url

    def url(self, path: str) -> str:
        return self.api.url + path

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.api.request("GET", path, **kwargs)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.api.request(method, path, **kwargs)

    def _admin(self, what: str, call: Callable[..., T], *args: Any) -> T:
        try:
            return call(*args)
        except (BotoCoreError, ClientError) as exc:
            if self.is_local:
                raise
            pytest.skip(
                f"{what} on a deployed stack needs administrator credentials for its user pool: {exc}"
            )

    def demo_credentials(self, role: str) -> tuple[str, str]:
        """The local stack's demo account for ``role``; on a deployed stack, a staff account made
        for this session (``officer``, ``employer``) or a signed-up citizen."""
        account = (self.outputs.get("DemoAccounts") or {}).get(role)
        if account:
            return account["username"], account["password"]
        if self.is_local:
            pytest.skip(f"no demo {role} account in this stack's outputs")
        if role not in self.made_accounts:
            if role in STAFF_GROUPS:
                username, password = new_credentials("96")
                self._admin(
                    "making a staff account",
                    self.cognito.create_account,
                    username,
                    password,
                    STAFF_GROUPS[role],
                )
                self.made_accounts[role] = (username, password)
            else:
                self.made_accounts[role] = self.new_user()
        return self.made_accounts[role]

    def delete_made_accounts(self) -> None:
        for role, (username, _) in self.made_accounts.items():
            if role in STAFF_GROUPS:
                self.cognito.delete_account(username)

    def new_user(self) -> tuple[str, str]:
        """A new citizen signs up with a phone number and is confirmed (by the administrator API:
        no SMS code here); (username, password)."""
        username, password = new_credentials("97")
        self.cognito.sign_up(username, password)
        self._admin("confirming a self sign-up", self.cognito.confirm, username)
        return username, password

    def police_key(self) -> bytes:
        """The police callback key: in the local outputs, or read from Secrets Manager."""
        try:
            return super().police_key()
        except (BotoCoreError, ClientError) as exc:
            pytest.skip(f"signing the police callback needs read access to PoliceSecretArn: {exc}")


@pytest.fixture(scope="session")
def local_stack_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Path]]:
    process = LocalStackProcess(
        tmp_path_factory.mktemp("local-stack"),
        start_timeout_s=START_TIMEOUT_S,
        stop_timeout_s=STOP_TIMEOUT_S,
        env=SHORT_CLOCKS,
    )
    try:
        yield process.start(), process.log_path
    finally:
        code = process.stop()
    if code is None:
        pytest.fail(f"local stack did not stop within {STOP_TIMEOUT_S}s of SIGTERM")
    assert code == 0, f"local stack exited with {code}:\n{process.log()}"


@pytest.fixture(scope="session")
def stack(request: pytest.FixtureRequest) -> Iterator[Stack]:
    deployed = os.environ.get("SEVA_OUTPUTS")
    if deployed:
        target = Stack(load_outputs(Path(deployed)))
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
