"""Request and response models of the match function."""

from __future__ import annotations

from pydantic import BaseModel

from sevamitra.ratecard import Service


class HealthOut(BaseModel):
    status: str = "ok"


class ServicesOut(BaseModel):
    services: list[Service]
