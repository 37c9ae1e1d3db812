"""Identity reduction at the edge: a raw Aadhaar or mobile number becomes a keyed hash + last 4.

The HMAC key lives in Secrets Manager (``IDENTITY_KEY_SECRET_ARN``; its ``SecretString`` is the
key). It is fetched on first use and kept for the life of the execution environment: the key must
never rotate (every stored identity and ban entry is keyed by it), so there is nothing to refresh.
Each kind of number is hashed in its own domain (``aadhaar:`` / ``mobile:``), so an Aadhaar and a
mobile number never share a hash.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import NamedTuple

from sevamitra.platform.keys import SecretKey
from sevamitra.platform.settings import settings


class Identity(NamedTuple):
    """A reduced identity, safe to store: the keyed hash and the last 4 digits, never the number."""

    hash: str
    last4: str


_KEY = SecretKey(lambda: settings().identity_key_secret_arn, "identity service")


def clear_key_cache() -> None:
    """Forget the cached key (tests; a new execution environment does this by itself)."""
    _KEY.clear()


def _digest(domain: str, digits: str) -> str:
    return hmac.new(_KEY.get(), f"{domain}:{digits}".encode(), hashlib.sha256).hexdigest()


def aadhaar_identity(raw: str) -> Identity:
    """``(hmac_hex, last4)`` of a validated Aadhaar number. The raw number must go no further."""
    return Identity(_digest("aadhaar", raw), raw[-4:])


def mobile_identity(raw: str) -> Identity:
    """``(hmac_hex, last4)`` of a validated 10-digit mobile number."""
    return Identity(_digest("mobile", raw), raw[-4:])


def e164(mobile: str) -> str:
    """``+91`` and the 10 digits of an Indian mobile number written any usual way (``98...``,
    ``098...``, ``+91 98...``): how SMS addresses it."""
    digits = "".join(ch for ch in mobile if ch.isdigit())
    if len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    return f"+91{digits}"


def secret_digest(domain: str, text: str) -> str:
    """A keyed hash (the identity key) of a short secret such as a claim code: stored in place
    of the secret, and not brute-forced from a table dump without the key."""
    return _digest(domain, text)
