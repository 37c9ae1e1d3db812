"""The fixed rate card (``data/services.json``): every fee and duration comes from here, never
from a client."""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import resources

from pydantic import ConfigDict, Field

from sevamitra.domain.types import Model, Paise, ServiceId
from sevamitra.edge.errors import NotFound


class LocalisedName(Model):
    model_config = ConfigDict(frozen=True)

    en: str
    hi: str


class Service(Model):
    model_config = ConfigDict(frozen=True)

    id: ServiceId
    name: LocalisedName
    category: str
    fee_paise: Paise
    duration_minutes: int = Field(gt=0)
    requires_qualification: bool


def fold(text: str) -> str:
    """Case- and accent-insensitive form for search: NFKD, combining marks dropped, casefolded.
    Applied to both query and names, so Devanagari nukta/matra variants also match."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").casefold().strip()


@cache
def rate_card() -> dict[str, Service]:
    raw = json.loads((resources.files("sevamitra.domain") / "services.json").read_text(encoding="utf-8"))
    return {item["id"]: Service.model_validate(item) for item in raw["services"]}


def get_service(service_id: str) -> Service:
    service = rate_card().get(service_id)
    if service is None:
        raise NotFound("unknown_service", f"No service with id {service_id!r} is on the rate card.")
    return service


def search(query: str | None) -> list[Service]:
    services = list(rate_card().values())
    if not query or not fold(query):
        return services
    needle = fold(query)
    return [
        s for s in services if needle in fold(s.name.en) or needle in fold(s.name.hi) or needle in fold(s.id)
    ]
