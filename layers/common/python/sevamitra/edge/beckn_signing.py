"""Beckn request signing (beckn/protocol-specifications, BECKN-006 "Signing Beckn APIs in HTTP"):
``Authorization: Signature keyId="<subscriber_id>|<unique_key_id>|ed25519",algorithm="ed25519",
created="<unix s>",expires="<unix s>",headers="(created) (expires) digest",signature="<base64>"``.

The signature is Ed25519 over three lines: ``(created): <created>``, ``(expires): <expires>`` and
``digest: BLAKE-512=<base64 BLAKE2b-512 of the raw body>``. Both directions use this module: the
ondc function checks what buyer apps send and signs its callbacks; the fake buyer app of the
tests and the demo does the reverse, so it lives in the layer (as the police signature does).
Ed25519 keys travel as base64 of their 32 raw bytes.

``verify`` refuses (``Unauthorized``, which the handler answers with a 401 NACK) a missing or
malformed header, an algorithm other than ed25519, a window that has not started or has ended
(``created`` more than ``CLOCK_SKEW_S`` ahead of now, ``expires`` in the past, or a window longer
than ``MAX_WINDOW_S``), an unknown key, and a signature that does not match the body as received.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable
from typing import NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sevamitra.edge.errors import Unauthorized

HEADER = "Authorization"
ALGORITHM = "ed25519"
SIGNED_HEADERS = "(created) (expires) digest"
# A signer's clock may run this far ahead of ours.
CLOCK_SKEW_S = 60
# The longest validity a request may claim: a captured request is useless after it.
MAX_WINDOW_S = 3600
DEFAULT_TTL_S = 300
_PARAM = re.compile(r'\s*([a-zA-Z]+)="([^"]*)"\s*(?:,|$)')
_UNIX_TIME = re.compile(r"^[0-9]{1,12}$")
_MAX_HEADER = 2048


class KeyId(NamedTuple):
    subscriber_id: str
    unique_key_id: str


# (subscriber_id, unique_key_id) -> the signer's public key (base64), or None when unknown.
KeyLookup = Callable[[KeyId], str | None]


def digest(body: bytes) -> str:
    """``BLAKE-512=<base64 of BLAKE2b-512(body)>``, the digest line's value."""
    return "BLAKE-512=" + base64.b64encode(hashlib.blake2b(body, digest_size=64).digest()).decode()


def signing_string(created: int, expires: int, body: bytes) -> bytes:
    return f"(created): {created}\n(expires): {expires}\ndigest: {digest(body)}".encode()


def private_key(seed_b64: str) -> Ed25519PrivateKey:
    """A private key from the base64 of its 32-byte seed (or of seed + public key, 64 bytes,
    as the Beckn examples write them)."""
    raw = base64.b64decode(seed_b64)
    return Ed25519PrivateKey.from_private_bytes(raw[:32])


def public_key_b64(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.public_key().public_bytes_raw()).decode()


SEED_PREFIX = "ed25519:"


def key_from_secret(secret: str) -> Ed25519PrivateKey:
    """Our signing key from its secret's ``SecretString``: ``ed25519:<base64 of the 32-byte
    seed>`` (a key made elsewhere, for example with ONDC's onboarding utility, put there by the
    operator), or anything else, hashed (SHA-256) into the seed (the stack generates a random
    64-character secret, so a stage has a key from its first deploy and it never leaves AWS)."""
    if secret.startswith(SEED_PREFIX):
        seed = base64.b64decode(secret[len(SEED_PREFIX) :], validate=True)
        if len(seed) != 32:
            raise ValueError("an ed25519: secret holds the base64 of a 32-byte seed")
    else:
        seed = hashlib.sha256(secret.encode("utf-8")).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def sign(body: bytes, key: Ed25519PrivateKey, key_id: KeyId, now: int, *, ttl_s: int = DEFAULT_TTL_S) -> str:
    """The ``Authorization`` header value signing ``body`` from ``now`` for ``ttl_s`` seconds."""
    created, expires = now, now + ttl_s
    signature = base64.b64encode(key.sign(signing_string(created, expires, body))).decode()
    return (
        f'Signature keyId="{key_id.subscriber_id}|{key_id.unique_key_id}|{ALGORITHM}",'
        f'algorithm="{ALGORITHM}",created="{created}",expires="{expires}",'
        f'headers="{SIGNED_HEADERS}",signature="{signature}"'
    )


def _refuse(why: str) -> Unauthorized:
    return Unauthorized("invalid_signature", f"The request's signature is not valid: {why}.")


def parse(header: str | None) -> dict[str, str]:
    """The header's parameters; ``Unauthorized`` unless it is a well-formed Beckn signature."""
    if not header or len(header) > _MAX_HEADER:
        raise _refuse("no Authorization header")
    scheme, _, rest = header.strip().partition(" ")
    if scheme != "Signature":
        raise _refuse("the scheme is not Signature")
    params: dict[str, str] = {}
    position = 0
    while position < len(rest):
        found = _PARAM.match(rest, position)
        if found is None or found.end() == position:
            raise _refuse("the header is malformed")
        name, value = found.groups()
        if name in params:
            raise _refuse(f"{name} is given twice")
        params[name] = value
        position = found.end()
    missing = {"keyId", "created", "expires", "signature"} - set(params)
    if missing:
        raise _refuse(f"{', '.join(sorted(missing))} missing")
    return params


def verify(header: str | None, body: bytes, lookup: KeyLookup, now: int) -> KeyId:
    """The signer's key id once ``header`` proves that signer sent ``body`` within its window;
    ``Unauthorized("invalid_signature")`` otherwise."""
    params = parse(header)
    parts = params["keyId"].split("|")
    if len(parts) != 3 or not parts[0] or not parts[1]:
        raise _refuse("keyId is not subscriber_id|unique_key_id|algorithm")
    if parts[2] != ALGORITHM or params.get("algorithm", ALGORITHM) != ALGORITHM:
        raise _refuse("the algorithm is not ed25519")
    if params.get("headers", SIGNED_HEADERS) != SIGNED_HEADERS:
        raise _refuse(f'headers must be "{SIGNED_HEADERS}"')
    if not (_UNIX_TIME.match(params["created"]) and _UNIX_TIME.match(params["expires"])):
        raise _refuse("created and expires must be unix times")
    created, expires = int(params["created"]), int(params["expires"])
    if (
        created > now + CLOCK_SKEW_S
        or expires < now
        or expires <= created
        or expires - created > MAX_WINDOW_S
    ):
        raise _refuse("it is outside its validity window")
    key_id = KeyId(parts[0], parts[1])
    public = lookup(key_id)
    if public is None:
        raise _refuse("the key is not in the registry")
    try:
        signature = base64.b64decode(params["signature"], validate=True)
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public, validate=True)).verify(
            signature, signing_string(created, expires, body)
        )
    except (InvalidSignature, ValueError, binascii.Error) as exc:
        raise _refuse("it does not match the body") from exc
    return key_id
