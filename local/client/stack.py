"""A running stack as its clients see it, from its outputs: the local stack's
``.local/outputs.json`` (``make dev``), or a deployed stack's (``cdk deploy --outputs-file``)."""

from __future__ import annotations

from typing import Any

from local.client.cognito import Cognito
from local.client.http import HTTP_TIMEOUT_S, Account, Api
from local.client.police import Police, police_key
from local.client.sms import Phones


class StackClient:
    def __init__(
        self,
        outputs: dict[str, Any],
        *,
        lang: str | None = None,
        timeout_s: float = HTTP_TIMEOUT_S,
        keep_alive: bool = True,
    ) -> None:
        self.outputs = dict(outputs)
        self.api = Api(str(outputs["ApiUrl"]), lang=lang, timeout_s=timeout_s, keep_alive=keep_alive)
        self.cognito = Cognito.from_outputs(self.outputs)
        self._police_key: bytes | None = None

    @property
    def is_local(self) -> bool:
        """The local stack (its emulator is in the outputs), not a deployed one."""
        return "AwsEndpointUrl" in self.outputs

    @property
    def region(self) -> str:
        return self.cognito.region

    def account(self, token: str | None = None, username: str | None = None) -> Account:
        """The API as the account whose ID token is ``token`` (None: no one)."""
        return Account(self.api, token, username)

    def signed_in(self, username: str, password: str) -> Account:
        return self.account(self.cognito.id_token(username, password), username)

    def new_user(self) -> tuple[str, str]:
        """A new account: signed up with a phone number and confirmed (username, password)."""
        return self.cognito.new_user()

    def signed_up(self) -> Account:
        """A citizen who signs up in the app and signs in."""
        return self.signed_in(*self.new_user())

    def demo_credentials(self, role: str) -> tuple[str, str]:
        """The local stack's demo account for ``role`` (``DemoAccounts``): (username, password)."""
        account = self.outputs["DemoAccounts"][role]
        return str(account["username"]), str(account["password"])

    def demo_token(self, role: str) -> str:
        return self.cognito.id_token(*self.demo_credentials(role))

    def as_demo(self, role: str) -> Account:
        return self.signed_in(*self.demo_credentials(role))

    def police_key(self) -> bytes:
        """The police callback key (read once)."""
        if self._police_key is None:
            self._police_key = police_key(self.outputs)
        return self._police_key

    def phones(self) -> Phones:
        """The local SMS outbox and carrier (``/_local/sms``; local stack only)."""
        return Phones(self.api)

    def police(self) -> Police:
        """The police department's system, answering with signed callbacks."""
        return Police(self.account(), self.police_key())
