"""Keys kept in Secrets Manager (each ``SecretString`` is the key itself), fetched on first use and
kept for the life of the execution environment, thread-safe. The identity HMAC key and the cursor
key are read this way; neither rotates under a running function (docs/decisions.md)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from botocore.exceptions import BotoCoreError, ClientError

from sevamitra.edge.errors import DependencyFailed
from sevamitra.platform import aws


class SecretKey:
    """One key: ``secret_id()`` names it (read from settings when first needed)."""

    def __init__(self, secret_id: Callable[[], str], what: str) -> None:
        self._secret_id = secret_id
        self._what = what
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def get(self) -> bytes:
        if self._key is None:
            with self._lock:
                if self._key is None:
                    self._key = self._fetch()
        return self._key

    def clear(self) -> None:
        """Forget the key (tests; a new execution environment does this by itself)."""
        with self._lock:
            self._key = None

    def _fetch(self) -> bytes:
        return fetch_secret(self._secret_id(), self._what)


def fetch_secret(secret_id: str, what: str) -> bytes:
    """The ``SecretString`` of ``secret_id`` as bytes; ``DependencyFailed`` (503) when Secrets
    Manager fails or the secret is empty."""
    try:
        client = aws.client("secretsmanager")
        secret = client.get_secret_value(SecretId=secret_id).get("SecretString")
    except (ClientError, BotoCoreError) as exc:
        raise DependencyFailed(message=f"The {what} is unavailable; it is safe to retry.") from exc
    if not secret:
        raise DependencyFailed(message=f"The {what} is not configured.")
    return secret.encode("utf-8")
