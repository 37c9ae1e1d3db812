"""Look-ups that answer "who is this account" for ``GET /me``."""

from __future__ import annotations

from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import AgencyModel, ProfessionalModel


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
