"""The stack's API over HTTP, as an app calls it: ``Api`` (the base URL, the language, one
keep-alive session per thread) and ``Account`` (every call as one signed-in account)."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

import requests

from local.client import Unexpected

HTTP_TIMEOUT_S = 15.0


def is_healthy(api_url: str, *, timeout_s: float = 1.0) -> bool:
    """``GET /health`` answers 200."""
    try:
        with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=timeout_s) as response:  # noqa: S310 - the stack's own URL
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return False


class Api:
    """Requests to the API at ``url``: with ``lang``, every call asks for that language's messages;
    with ``keep_alive``, each thread reuses one connection (a load of many calls), else each call
    opens its own."""

    def __init__(
        self, url: str, *, lang: str | None = None, timeout_s: float = HTTP_TIMEOUT_S, keep_alive: bool = True
    ) -> None:
        self.url = url.rstrip("/")
        self.lang = lang
        self.timeout_s = timeout_s
        self.keep_alive = keep_alive
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """``method path`` (``json=``, ``data=``, ``params=`` as requests takes them), with
        ``Authorization: Bearer <token>`` when given."""
        sent = {"Accept-Language": self.lang} if self.lang else {}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        sent.update(headers or {})
        send = self._session().request if self.keep_alive else requests.request
        return send(method, self.url + path, headers=sent, timeout=self.timeout_s, **kwargs)


@dataclass(frozen=True)
class Account:
    """An app signed in as one account (its Cognito ID token), or no one (``token`` None)."""

    api: Api
    token: str | None = None
    username: str | None = None

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        data: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        return self.api.request(method, path, token=self.token, json=body, data=data, headers=headers)

    def ok(self, method: str, path: str, body: Any = None, *, status: int = 200, **sent: Any) -> Any:
        """The JSON answer of a call that must answer ``status`` (``sent``: ``data``, ``headers``);
        else ``Unexpected``. A ``local.client.Caller``."""
        response = self.call(method, path, body, **sent)
        if response.status_code != status:
            raise Unexpected(
                f"{method} {path}: expected {status}, got {response.status_code} {response.text[:500]}"
            )
        return response.json() if response.content else None
