"""Page cursors for every list route: opaque to clients, tamper-proof, bound to one query.

A cursor carries DynamoDB's ``LastEvaluatedKey`` of the page before, and an HMAC over it and the
query's *scope*: the caller and everything that chose the rows (route, index, filters). So a cursor
edited by hand, made up, or taken from another caller's or another query's answer is refused with
422 ``invalid_cursor``; it can never open someone else's page. The key is a secret of its own
(``CURSOR_KEY_SECRET_ARN``): rotating it only invalidates cursors in flight, which clients get back
as 422 and restart from the first page.

Form: ``base64url(json(last_key)) "." base64url(hmac_sha256(key, scope NUL payload)[:16])``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from sevamitra.edge.errors import Unprocessable
from sevamitra.platform.keys import SecretKey
from sevamitra.platform.settings import settings

INVALID_CURSOR = "invalid_cursor"
# A DynamoDB key of a table and one index is a few hundred bytes; anything far longer is not ours.
MAX_CURSOR_CHARS = 1024
_MAC_BYTES = 16

_KEY = SecretKey(lambda: settings().cursor_key_secret_arn, "cursor key")


def clear_key_cache() -> None:
    """Forget the cached key (tests; a new execution environment does this by itself)."""
    _KEY.clear()


def scope_of(*parts: object) -> str:
    """The scope string of a query: its parts in order, unambiguously joined."""
    return json.dumps([str(part) for part in parts], ensure_ascii=False, separators=(",", ":"))


def encode(last_key: Mapping[str, Any] | None, scope: str) -> str | None:
    """The cursor of the next page, or ``None`` when there is none."""
    if not last_key:
        return None
    payload = json.dumps(last_key, sort_keys=True, separators=(",", ":")).encode()
    return f"{_b64(payload)}.{_b64(_mac(scope, payload))}"


def decode(cursor: str | None, scope: str) -> dict[str, Any] | None:
    """The ``ExclusiveStartKey`` a cursor stands for (``None`` for the first page); 422
    ``invalid_cursor`` unless we issued it for this very query."""
    if cursor is None or cursor == "":
        return None
    try:
        if len(cursor) > MAX_CURSOR_CHARS:
            raise ValueError("too long")
        encoded_payload, encoded_mac = cursor.split(".")
        payload, mac = _unb64(encoded_payload), _unb64(encoded_mac)
        if not hmac.compare_digest(mac, _mac(scope, payload)):
            raise ValueError("signature")
        last_key = json.loads(payload)
        if not isinstance(last_key, dict) or not last_key:
            raise ValueError("shape")
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise Unprocessable(INVALID_CURSOR) from exc
    return last_key


def _mac(scope: str, payload: bytes) -> bytes:
    message = scope.encode() + b"\x00" + payload
    return hmac.new(_KEY.get(), message, hashlib.sha256).digest()[:_MAC_BYTES]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text or not text.isascii():
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
