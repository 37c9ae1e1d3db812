"""Constrained types shared by every function, declared once as ``Annotated`` aliases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from sevamitra.domain import service_area


class Model(BaseModel):
    """Base of the project's pydantic models. ``defer_build``: a model's validator is built on
    its first use, not at import, so a cold start builds only the models its request touches
    (docs/decisions.md, "Cold starts")."""

    model_config = ConfigDict(defer_build=True)


# Uttar Pradesh service area (API.md): its own boundary (service_area.py); a point outside it is
# rejected with 422 out_of_service_area. This box contains it: API.md's bounds, and what the OpenAPI
# document shows for a latitude / longitude (validation accepts any point on Earth and answers one
# outside the area with out_of_service_area).
UP_LAT_RANGE = (23.8, 30.5)
UP_LNG_RANGE = (77.0, 84.7)
OUT_OF_SERVICE_AREA = "out_of_service_area"
LAT_IN_SERVICE_AREA: dict[str, Any] = {"minimum": UP_LAT_RANGE[0], "maximum": UP_LAT_RANGE[1]}
LNG_IN_SERVICE_AREA: dict[str, Any] = {"minimum": UP_LNG_RANGE[0], "maximum": UP_LNG_RANGE[1]}

_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_VERHOEFF_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)

# ASCII digits only: ``\d`` also matches Devanagari and other Unicode digits, which would give the
# same number another spelling, another keyed hash, and a way past duplicate and ban checks. The
# only other characters accepted are how people write these numbers (one ASCII space or hyphen
# between digits: "1234 5678 9012", "98111-12201"; a +91, 91 or 0 before a mobile), and they are
# removed before the number is used: one number, one spelling, one hash. Anything else (zero-width
# characters, other spaces or digit scripts) is refused, never stripped.
_AADHAAR_RE = re.compile(r"[2-9](?:[ -]?[0-9]){11}")
_MOBILE_RE = re.compile(r"(?:(?:\+91|91|0)[ -]?)?[6-9](?:[ -]?[0-9]){9}")
_SEPARATORS = re.compile(r"[ -]")
AADHAAR_PATTERN = r"^\s*[2-9](?:[ -]?[0-9]){11}\s*$"
MOBILE_PATTERN = r"^\s*(?:(?:\+91|91|0)[ -]?)?[6-9](?:[ -]?[0-9]){9}\s*$"


def verhoeff_valid(digits: str) -> bool:
    """True when ``digits`` (including its check digit) passes the Verhoeff checksum."""
    check = 0
    for position, char in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[position % 8][int(char)]]
    return check == 0


def verhoeff_check_digit(digits: str) -> str:
    """The check digit that makes ``digits + check`` Verhoeff-valid (for tests and demo data)."""
    check = 0
    for position, char in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[(position + 1) % 8][int(char)]]
    return str(_VERHOEFF_INV[check])


def _aadhaar(value: str) -> str:
    """The 12 digits of an Aadhaar number written with or without spaces or hyphens."""
    if not _AADHAAR_RE.fullmatch(value):
        raise PydanticCustomError("invalid_aadhaar", "Aadhaar must be 12 digits, not starting with 0 or 1")
    digits = _SEPARATORS.sub("", value)
    if not verhoeff_valid(digits):
        raise PydanticCustomError("aadhaar_checksum", "Aadhaar checksum is invalid")
    return digits


def _mobile(value: str) -> str:
    """The 10 digits of a mobile number written with or without +91/91/0, spaces or hyphens."""
    if not _MOBILE_RE.fullmatch(value):
        raise PydanticCustomError("invalid_mobile", "mobile must be 10 digits starting with 6, 7, 8 or 9")
    return _SEPARATORS.sub("", value)[-10:]


@dataclass(frozen=True)
class JsonSchemaExtra:
    """Keywords added to a type's JSON schema (the served OpenAPI document) where the validator is
    code the schema cannot show: so that the document describes what the API really accepts."""

    keywords: dict[str, Any]

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.keywords)))

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema.update(self.keywords)
        return schema


Aadhaar = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    AfterValidator(_aadhaar),
    # "aadhaar": the last digit is the Verhoeff check digit of the first eleven.
    JsonSchemaExtra({"pattern": AADHAAR_PATTERN, "format": "aadhaar"}),
]
"""A raw Aadhaar number, as its 12 digits. Only ever held in memory: reduce it with
``pii.aadhaar_identity``."""

Mobile = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    AfterValidator(_mobile),
    JsonSchemaExtra({"pattern": MOBILE_PATTERN}),
]
"""A mobile number, as its 10 digits."""
Paise = Annotated[int, Field(ge=0, le=10_000_000_00, description="Money in integer paise")]
ServiceId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,63}$")]
EntityId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Metres = Annotated[int, Field(ge=0)]
# Surrounding whitespace is stripped before the length check: at least one other character.
NOT_BLANK = JsonSchemaExtra({"pattern": r"\S"})
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NOT_BLANK]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), NOT_BLANK]


class LatLng(Model):
    """A point inside the Uttar Pradesh service area."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The document shows the service area; a point on Earth outside it is 422 out_of_service_area.
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False, json_schema_extra=LAT_IN_SERVICE_AREA)
    lng: float = Field(ge=-180, le=180, allow_inf_nan=False, json_schema_extra=LNG_IN_SERVICE_AREA)

    @model_validator(mode="after")
    def _inside_uttar_pradesh(self) -> LatLng:
        # The error type becomes the API error code (errors.py), so clients see out_of_service_area.
        if not in_service_area(self.lat, self.lng):
            raise PydanticCustomError(
                OUT_OF_SERVICE_AREA, "location is outside the Uttar Pradesh service area"
            )
        return self


def in_service_area(lat: float, lng: float) -> bool:
    return service_area.contains(lat, lng)
