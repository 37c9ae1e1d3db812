"""Our Ed25519 signing key, kept in Secrets Manager (``ONDC_SIGNING_KEY_SECRET_ARN``; what its
``SecretString`` may be: ``sevamitra.edge.beckn_signing.key_from_secret``). The registry needs its
public key: ``python -m ondc.keys <secret-id>`` prints it; the local stack writes it to
``.local/outputs.json`` as ``OndcSigningPublicKey``."""

from __future__ import annotations

import sys
import threading

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sevamitra.edge.beckn_signing import key_from_secret, public_key_b64
from sevamitra.platform.keys import fetch_secret
from sevamitra.platform.ondc_settings import ondc_settings

_lock = threading.Lock()
_cached: dict[str, Ed25519PrivateKey] = {}


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
