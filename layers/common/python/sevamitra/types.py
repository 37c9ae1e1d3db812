"""Constrained types shared by every function, declared once as ``Annotated`` aliases."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

# Uttar Pradesh service area (API.md): a point outside this box is rejected with 422.
UP_LAT_RANGE = (23.8, 30.5)
UP_LNG_RANGE = (77.0, 84.7)
OUT_OF_SERVICE_AREA = "out_of_service_area"

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

_AADHAAR_RE = re.compile(r"[2-9]\d{11}")
_MOBILE_RE = re.compile(r"[6-9]\d{9}")


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
    if not _AADHAAR_RE.fullmatch(value):
        raise ValueError("Aadhaar must be 12 digits, not starting with 0 or 1")
    if not verhoeff_valid(value):
        raise ValueError("Aadhaar checksum is invalid")
    return value


def _mobile(value: str) -> str:
    if not _MOBILE_RE.fullmatch(value):
        raise ValueError("mobile must be 10 digits starting with 6, 7, 8 or 9")
    return value


Aadhaar = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_aadhaar)]
"""A raw Aadhaar number. Only ever held in memory: reduce it with ``pii.aadhaar_identity``."""

Mobile = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_mobile)]
Paise = Annotated[int, Field(ge=0, le=10_000_000_00, description="Money in integer paise")]
ServiceId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,63}$")]
EntityId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Metres = Annotated[int, Field(ge=0)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class LatLng(BaseModel):
    """A point inside the Uttar Pradesh service area."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lng: float = Field(ge=-180, le=180, allow_inf_nan=False)

    @model_validator(mode="after")
    def _inside_uttar_pradesh(self) -> LatLng:
        # The error type becomes the API error code (errors.py), so clients see out_of_service_area.
        if not in_service_area(self.lat, self.lng):
            raise PydanticCustomError(
                OUT_OF_SERVICE_AREA, "location is outside the Uttar Pradesh service area"
            )
        return self


def in_service_area(lat: float, lng: float) -> bool:
    return UP_LAT_RANGE[0] <= lat <= UP_LAT_RANGE[1] and UP_LNG_RANGE[0] <= lng <= UP_LNG_RANGE[1]
