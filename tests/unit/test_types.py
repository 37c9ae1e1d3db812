from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from sevamitra.domain.types import Aadhaar, LatLng, Mobile, verhoeff_check_digit, verhoeff_valid

aadhaar = TypeAdapter(Aadhaar)
mobile = TypeAdapter(Mobile)


def test_verhoeff_accepts_a_number_with_its_check_digit_and_rejects_any_single_digit_change() -> None:
    body = "23412341234"
    number = body + verhoeff_check_digit(body)
    assert verhoeff_valid(number)
    for position in range(12):
        changed = number[:position] + str((int(number[position]) + 1) % 10) + number[position + 1 :]
        assert not verhoeff_valid(changed)


def test_known_valid_aadhaar_test_number_passes() -> None:
    # UIDAI's published sample number.
    assert aadhaar.validate_python("999941057058") == "999941057058"


@pytest.mark.parametrize("value", ["999941057059", "099941057058", "19994105705", "12345678901a", ""])
def test_invalid_aadhaar_is_rejected(value: str) -> None:
    with pytest.raises(ValidationError):
        aadhaar.validate_python(value)


@pytest.mark.parametrize("value", ["9876543210", "6000000000"])
def test_valid_mobile(value: str) -> None:
    assert mobile.validate_python(value) == value


@pytest.mark.parametrize("value", ["5876543210", "987654321", "98765432100", "+919876543210"])
def test_invalid_mobile_is_rejected(value: str) -> None:
    with pytest.raises(ValidationError):
        mobile.validate_python(value)


def test_point_in_lucknow_is_in_service_area() -> None:
    assert LatLng(lat=26.8467, lng=80.9462).lat == 26.8467


@pytest.mark.parametrize(
    ("lat", "lng"),
    [(28.61, 76.9), (19.07, 72.87), (30.6, 80.0), (23.7, 80.0), (28.6315, 77.2167), (28.05, 81.6167)],
)
def test_point_outside_uttar_pradesh_is_out_of_service_area(lat: float, lng: float) -> None:
    with pytest.raises(ValidationError) as caught:
        LatLng(lat=lat, lng=lng)
    assert caught.value.errors()[0]["type"] == "out_of_service_area"


def _in_devanagari(digits: str) -> str:
    return "".join(chr(0x966 + int(d)) for d in digits)


@pytest.mark.parametrize(
    ("adapter", "number"),
    [(aadhaar, "999941057058"), (mobile, "9876543210")],
    ids=["aadhaar", "mobile"],
)
def test_numbers_with_non_ascii_digits_are_rejected(adapter: TypeAdapter[str], number: str) -> None:
    # "9९४१..." is the same number to a reader but another string to the keyed hash: accepted, it
    # would be a second identity for one person, past the duplicate and ban checks.
    for mixed in (number[0] + _in_devanagari(number[1:]), number[:-1] + "\u0662"):
        with pytest.raises(ValidationError):
            adapter.validate_python(mixed)
