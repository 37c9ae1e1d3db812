"""Our Ed25519 signing key, kept in Secrets Manager (``ONDC_SIGNING_KEY_SECRET_ARN``).

The secret's ``SecretString`` is either ``ed25519:<base64 of the 32-byte seed>`` (a key made
elsewhere, for example with ONDC's onboarding utility, put in the secret by the operator), or
anything else, which is hashed (SHA-256) into the seed: the stack generates a random 64-character
secret, so a stage has a key from its first deploy without a key ever leaving AWS. Either way the
public key the registry needs is derived from it (``python -m ondc.keys <secret-id>`` prints it;
the local stack writes it to ``.local/outputs.json`` as ``OndcSigningPublicKey``)."""

from __future__ import annotations

import base64
import hashlib
import sys
import threading

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ondc.settings import ondc_settings
from sevamitra.platform.keys import fetch_secret

SEED_PREFIX = "ed25519:"
_lock = threading.Lock()
_cached: dict[str, Ed25519PrivateKey] = {}


def key_from_secret(secret: str) -> Ed25519PrivateKey:
    if secret.startswith(SEED_PREFIX):
        seed = base64.b64decode(secret[len(SEED_PREFIX) :], validate=True)
        if len(seed) != 32:
            raise ValueError("an ed25519: secret holds the base64 of a 32-byte seed")
    else:
        seed = hashlib.sha256(secret.encode("utf-8")).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_b64(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.public_key().public_bytes_raw()).decode()


def signing_key() -> Ed25519PrivateKey:
    """Read once per execution environment (a rotated key takes effect in new ones)."""
    secret_id = ondc_settings().ondc_signing_key_secret_arn
    with _lock:
        if secret_id not in _cached:
            _cached[secret_id] = key_from_secret(fetch_secret(secret_id, "ONDC signing key").decode("utf-8"))
        return _cached[secret_id]


def forget() -> None:
    with _lock:
        _cached.clear()


def main(argv: list[str]) -> int:
    """``python -m ondc.keys <secret id>``: the public key to register with the ONDC registry."""
    if len(argv) != 1:
        print("usage: python -m ondc.keys <signing key secret id or ARN>", file=sys.stderr)
        return 2
    print(public_key_b64(key_from_secret(fetch_secret(argv[0], "ONDC signing key").decode("utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
