"""The 75 districts of Uttar Pradesh (``data/districts.json``; docs/decisions.md, "Districts").

A request's ``district`` is a code from ``GET /districts``, or a district's English or Hindi name
or one of its aliases (former names such as Allahabad), compared folded (case, spaces, nukta,
chandrabindu: sevamitra.domain.text). It is stored as the code, so "लखनऊ" and "Lucknow" are one
district in the data and in what flows to IGRS. Anything else is 422 ``unknown_district``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

from sevamitra.domain import text
from sevamitra.domain.types import JsonSchemaExtra, Model

UNKNOWN_DISTRICT = "unknown_district"


class DistrictName(Model):
    model_config = ConfigDict(frozen=True)

    en: str
    hi: str


class District(Model):
    model_config = ConfigDict(frozen=True)

    code: str
    name: DistrictName


def _key(name: str) -> str:
    """A name compared as written, but for case, spaces and punctuation, and the Devanagari
    variants ``text.fold`` folds (no romanised folding: a misspelt name is not a district)."""
    return "".join(text.fold(name).split())


@cache
def _load() -> tuple[tuple[District, ...], dict[str, str]]:
    raw: dict[str, Any] = json.loads(
        (resources.files("sevamitra.domain") / "districts.json").read_text(encoding="utf-8")
    )
    districts = tuple(District.model_validate(item) for item in raw["districts"])
    by_key: dict[str, str] = {}
    for item in raw["districts"]:
        for name in (item["code"], item["name"]["en"], item["name"]["hi"], *item.get("aliases", [])):
            key = _key(name)
            if by_key.setdefault(key, item["code"]) != item["code"]:
                raise ValueError(f"district name {name!r} is ambiguous")
    return districts, by_key


def all_districts() -> tuple[District, ...]:
    """Every district of Uttar Pradesh, in code order."""
    return _load()[0]


def code_of(name: str) -> str | None:
    """The code of the district ``name`` names (its code, name or an alias), or ``None``."""
    return _load()[1].get(_key(name)) if name.strip() else None


def _known_district(value: str) -> str:
    code = code_of(value)
    if code is None:
        raise PydanticCustomError(
            UNKNOWN_DISTRICT, "not a district of Uttar Pradesh: use a code or name from GET /districts"
        )
    return code


DistrictCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(_known_district),
    JsonSchemaExtra(
        {
            "description": "A district of Uttar Pradesh: its code from GET /districts, or its English "
            "or Hindi name (stored as the code)",
            "examples": ["lucknow", "Lucknow", "लखनऊ"],
        }
    ),
]
"""A district of Uttar Pradesh as its code, whichever way the client named it."""
