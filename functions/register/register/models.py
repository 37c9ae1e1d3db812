"""Request and response models of the register function."""

from __future__ import annotations

from pydantic import BaseModel


class MeOut(BaseModel):
    sub: str
    roles: list[str]
    professional_id: str | None = None
    agency_id: str | None = None
