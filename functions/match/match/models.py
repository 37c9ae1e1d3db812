"""Request and response models of the match function."""

from __future__ import annotations

from pydantic import Field

from sevamitra.domain.districts import District
from sevamitra.domain.ratecard import Service
from sevamitra.domain.types import Metres, Model, Paise


class HealthOut(Model):
    status: str = "ok"


class ServicesOut(Model):
    services: list[Service]


class DistrictsOut(Model):
    districts: list[District] = Field(description="The 75 districts of Uttar Pradesh, in code order")


class MatchResult(Model):
    professional_id: str
    name: str
    distance_m: Metres = Field(
        description="Great-circle distance rounded to the nearest 100 m (never exact); the "
        "professional's location itself is never shown"
    )
    rating: float | None = Field(description="Mean stars (1-5) to one decimal; null before any rating")
    fee_paise: Paise
    duration_minutes: int


class MatchOut(Model):
    radius_m: int = 3000
    results: list[MatchResult] = Field(
        description="Nearest first by exact distance (equal distances by professional_id), so "
        "neighbours may show the same rounded distance_m"
    )
    nearest_beyond_m: Metres | None = Field(
        default=None,
        description="Only when results is empty: the distance to the nearest eligible professional "
        "beyond 3 km, rounded up to the next whole kilometre, if one is within 25 km; else null",
    )
