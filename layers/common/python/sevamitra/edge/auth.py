"""Who is calling: the Cognito claims API Gateway's authorizer put in the event.

API Gateway (REST, Cognito user pool authorizer) passes the ID token's claims as strings in
``requestContext.authorizer.claims``; ``cognito:groups`` arrives as one string, which AWS has
rendered both as ``"a,b"`` and as ``"[a b]"``, so both are parsed. An officer's district is the
custom attribute ``custom:district`` (a district code), which administrators set on the staff
account and the app client may read but not write (infra/constructs/auth.py).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from sevamitra.edge.errors import Forbidden, Unauthorized

OFFICERS = "officers"
EMPLOYERS = "employers"
# Officers who decide appeals against confirmed bans (a second Cognito group an officer is added to).
APPELLATE = "appellate"
# Staff of the state's toll-free call centre, who book for callers by mobile number (issue 17).
HELPLINE = "helpline"
# The Cognito custom attribute naming an officer's district (a code of sevamitra.domain.districts).
DISTRICT_CLAIM = "custom:district"

_INDIAN_MOBILE = re.compile(r"\+91([6-9][0-9]{9})")


def shown_mobile(phone_number: str) -> str:
    """An E.164 phone number as the API shows mobiles: 10 digits for an Indian number, else as
    given."""
    found = _INDIAN_MOBILE.fullmatch(phone_number)
    return found.group(1) if found else phone_number


class Caller(NamedTuple):
    sub: str
    groups: frozenset[str]
    username: str | None = None
    # The ID token's ``phone_number`` claim (E.164): how the other side of a booking reaches them.
    phone_number: str | None = None
    # ``custom:district``: the district an officer works for (their queues), as a district code.
    district: str | None = None

    @property
    def mobile(self) -> str | None:
        """The phone number as the API shows mobiles: 10 digits for an Indian number, else as
        Cognito holds it; None without one."""
        return shown_mobile(self.phone_number) if self.phone_number else None

    @property
    def is_officer(self) -> bool:
        return OFFICERS in self.groups

    @property
    def is_employer(self) -> bool:
        return EMPLOYERS in self.groups

    @property
    def is_appellate(self) -> bool:
        """An officer of the appellate authority: in both groups."""
        return OFFICERS in self.groups and APPELLATE in self.groups

    @property
    def is_helpline(self) -> bool:
        return HELPLINE in self.groups

    @property
    def roles(self) -> list[str]:
        """``citizen`` for every signed-in account, plus its staff groups."""
        staff = (OFFICERS, EMPLOYERS, APPELLATE, HELPLINE)
        return ["citizen", *sorted(g for g in self.groups if g in staff)]

    def require_officer(self) -> None:
        if not self.is_officer:
            raise Forbidden(message="Only Labour & Employment officers may do this.")

    def require_any(self, *groups: str) -> None:
        if not self.groups.intersection(groups):
            raise Forbidden()


def parse_groups(raw: Any) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if isinstance(raw, list | tuple | set | frozenset):
        return frozenset(str(g) for g in raw if g)
    text = str(raw).strip().strip("[]")
    return frozenset(part for part in text.replace(",", " ").split() if part)


def caller_from_event(event: dict[str, Any]) -> Caller:
    """The signed-in caller, or ``Unauthorized`` when the event carries no authorizer claims."""
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims") or {}
    sub = claims.get("sub")
    if not sub:
        raise Unauthorized()
    return Caller(
        sub=str(sub),
        groups=parse_groups(claims.get("cognito:groups")),
        username=claims.get("cognito:username"),
        phone_number=claims.get("phone_number") or None,
        district=str(claims.get(DISTRICT_CLAIM) or "").strip() or None,
    )
