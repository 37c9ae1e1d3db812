"""The police callback signature: ``X-Seva-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>``
over ``"<t>.<raw body>"``, keyed by the shared secret. A contract between the verify function
(which checks it), the police systems and every client that answers as one (which make it), so it
lives in the layer.

Checked on the raw body bytes before anything parses them, compared in constant time, and
accepted only within ``TOLERANCE_S`` of now in either direction (a captured request cannot be
replayed later, and a clock far ahead is not trusted). Several ``v1`` values may be sent (while
a key is rotated); one match is enough.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from sevamitra.edge.errors import Unauthorized

HEADER = "X-Seva-Signature"
TOLERANCE_S = 300
_MAX_SIGNATURES = 5
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
_HEX_DIGEST = re.compile(r"^[0-9a-fA-F]{64}$")


def digest(key: bytes, timestamp: int | str, body: bytes) -> str:
    return hmac.new(key, str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def sign(key: bytes, timestamp: int, body: bytes) -> str:
    """The header value a police system sends."""
    return f"t={timestamp},v1={digest(key, timestamp, body)}"


def _parse(header: str) -> tuple[str, list[str]]:
    timestamp: str | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            raise Unauthorized("invalid_signature")
        if name == "t":
            if timestamp is not None or not _TIMESTAMP.match(value):
                raise Unauthorized("invalid_signature")
            timestamp = value
        elif name == "v1":
            if not _HEX_DIGEST.match(value):
                raise Unauthorized("invalid_signature")
            signatures.append(value.lower())
    if timestamp is None or not signatures or len(signatures) > _MAX_SIGNATURES:
        raise Unauthorized("invalid_signature")
    return timestamp, signatures


def verify(header: str | None, body: bytes, key: bytes, now: int) -> None:
    """Raise ``Unauthorized("invalid_signature")`` unless ``header`` signs ``body`` with ``key``
    at a time within ``TOLERANCE_S`` of ``now`` (unix seconds)."""
    if not header:
        raise Unauthorized("invalid_signature")
    timestamp, signatures = _parse(header)
    if abs(now - int(timestamp)) > TOLERANCE_S:
        raise Unauthorized("invalid_signature")
    expected = digest(key, timestamp, body)
    # Compare with every candidate (no early exit), each in constant time.
    matches = [hmac.compare_digest(expected, candidate) for candidate in signatures]
    if not any(matches):
        raise Unauthorized("invalid_signature")
