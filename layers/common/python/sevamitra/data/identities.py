"""Keys of the identities table: claimed identities, self-registered accounts and the ban registry.

- ``aadhaar#<hmac>`` / ``mobile#<hmac>``: the identity is registered (-> ``professional_id``).
- ``account#<cognito sub>``: this account registered itself as a professional.
- ``ban#aadhaar#<hmac>`` / ``ban#mobile#<hmac>``: the identity is banned for good. The ban
  registry writes these; registration checks them (``ConditionCheck``) in the same transaction
  that claims the identity, so a ban racing a registration cannot slip through.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from sevamitra.data import dynamo
from sevamitra.data.models import IdentityModel


class IdentityKind(StrEnum):
    AADHAAR = "aadhaar"
    MOBILE = "mobile"


def identity_pk(kind: IdentityKind, digest: str) -> str:
    return f"{kind.value}#{digest}"


def ban_pk(kind: IdentityKind, digest: str) -> str:
    return f"ban#{kind.value}#{digest}"


def account_pk(account_sub: str) -> str:
    return f"account#{account_sub}"


def is_banned(kind: IdentityKind, digest: str) -> bool:
    return dynamo.read("Ban registry look-up", IdentityModel, ban_pk(kind, digest)) is not None


class BanEntry(NamedTuple):
    """An entry of the ban registry: whom it bans, since when, and why (``complaint:<id>``)."""

    professional_id: str
    banned_at: str
    reason: str | None


def ban_entry(kind: IdentityKind, digest: str) -> BanEntry | None:
    item = dynamo.read("Ban registry look-up", IdentityModel, ban_pk(kind, digest))
    if item is None:
        return None
    return BanEntry(str(item.professional_id), str(item.created_at), item.reason)


def holder(kind: IdentityKind, digest: str) -> str | None:
    """The professional who registered this identity (``aadhaar#`` / ``mobile#``), if any."""
    item = dynamo.read("Identity look-up", IdentityModel, identity_pk(kind, digest))
    return None if item is None else str(item.professional_id)
