"""Where a message can reach someone: a professional's registered mobile and an account's phone.

A professional's mobile is kept only sealed (KMS ``Encrypt`` with the contacts key, bound to its
purpose by the encryption context): registration seals it, ``notify`` opens it to send an SMS,
``book`` opens it to show the citizen of an accepted booking, and no table, log or event holds the
number in clear. An account's phone number is the one it signed
up with, read from the Cognito user pool.
"""

from __future__ import annotations

import base64
from typing import Any

from sevamitra.data.errors import dependency_errors
from sevamitra.platform import aws

# The encryption context every sealed number carries (the key's IAM grants require it).
CONTACTS_CONTEXT_KEY = "purpose"
CONTACTS_PURPOSE = "professional-mobile"
_CONTEXT = {CONTACTS_CONTEXT_KEY: CONTACTS_PURPOSE}


def _kms() -> Any:
    return aws.client("kms")


def seal(mobile_e164: str, key_id: str) -> str:
    with dependency_errors("Protecting the mobile number"):
        blob = _kms().encrypt(KeyId=key_id, Plaintext=mobile_e164.encode(), EncryptionContext=_CONTEXT)
    return base64.b64encode(blob["CiphertextBlob"]).decode("ascii")


def unseal(sealed: str) -> str:
    with dependency_errors("Reading the mobile number"):
        plain = _kms().decrypt(CiphertextBlob=base64.b64decode(sealed), EncryptionContext=_CONTEXT)
    return bytes(plain["Plaintext"]).decode()


def account_phone(user_pool_id: str, sub: str) -> str | None:
    """The phone number account ``sub`` signed up with, or None (no pool configured, no such
    account, no phone)."""
    if not user_pool_id or not sub or '"' in sub:
        return None
    with dependency_errors("Looking up the account"):
        users = aws.client("cognito-idp").list_users(
            UserPoolId=user_pool_id, Filter=f'sub = "{sub}"', Limit=1, AttributesToGet=["phone_number"]
        )["Users"]
    for user in users:
        for attribute in user.get("Attributes", []):
            if attribute.get("Name") == "phone_number" and attribute.get("Value"):
                return str(attribute["Value"])
    return None
