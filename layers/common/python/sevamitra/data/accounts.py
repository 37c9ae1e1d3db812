"""Look-ups that answer "who is this account" for ``GET /me``, and the account of a helpline
caller (found, or created, by phone number in the Cognito user pool)."""

from __future__ import annotations

import re
from typing import Any

from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import AgencyModel, ProfessionalModel
from sevamitra.edge.errors import DependencyFailed
from sevamitra.platform import aws

_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def professional_id_of(account_sub: str) -> str | None:
    with dependency_errors("Professional look-up"):
        for item in ProfessionalModel.by_account.query(account_sub, limit=1):
            return str(item.id)
    return None


def agency_id_of(account_sub: str) -> str | None:
    with dependency_errors("Agency look-up"):
        for item in AgencyModel.by_owner.query(account_sub, limit=1):
            return str(item.id)
    return None


# --- the helpline's callers (issue 17) ----------------------------------------------------------


def _sub_of(user: dict[str, Any]) -> str | None:
    for attribute in user.get("Attributes", []):
        if attribute.get("Name") == "sub" and attribute.get("Value"):
            return str(attribute["Value"])
    return None


def _find_by_phone(idp: Any, user_pool_id: str, phone_e164: str) -> str | None:
    users = idp.list_users(
        UserPoolId=user_pool_id, Filter=f'phone_number = "{phone_e164}"', Limit=1, AttributesToGet=["sub"]
    )["Users"]
    return next((sub for sub in map(_sub_of, users) if sub), None)


def citizen_for_phone(user_pool_id: str, phone_e164: str) -> str:
    """The ``sub`` of the account that signed up with ``phone_e164`` (an E.164 number the caller
    validated), created without an invitation message when there is none: the pool uses phone
    numbers as usernames, so two bookings racing to create it meet ``UsernameExistsException``
    and the loser reads the winner's account. The caller can later sign up with the app by
    resetting the password of that number."""
    if not _E164.fullmatch(phone_e164):
        raise ValueError("not an E.164 number")
    with dependency_errors("Looking up the caller's account"):
        idp = aws.client("cognito-idp")
        found = _find_by_phone(idp, user_pool_id, phone_e164)
        if found:
            return found
        try:
            user = idp.admin_create_user(
                UserPoolId=user_pool_id,
                Username=phone_e164,
                UserAttributes=[
                    {"Name": "phone_number", "Value": phone_e164},
                    {"Name": "phone_number_verified", "Value": "true"},
                ],
                MessageAction="SUPPRESS",
            )["User"]
        except idp.exceptions.UsernameExistsException:
            user = None
        sub = _sub_of(user) if user else _find_by_phone(idp, user_pool_id, phone_e164)
    if not sub:
        raise DependencyFailed(message="The caller's account could not be created; it is safe to retry.")
    return sub
