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


@pytest.mark.parametrize(
    "value", ["5876543210", "987654321", "98765432100", "+9198765432", "+819876543210", "1919876543210"]
)
def test_invalid_mobile_is_rejected(value: str) -> None:
    with pytest.raises(ValidationError):
        mobile.validate_python(value)


@pytest.mark.parametrize(
    "written",
    ["+91 98111 12201", "+919811112201", "+91-98111-12201", "919811112201", "91 98111 12201",
     "09811112201", "0 98111 12201", "98111-12201", "98111 12201", "9 8 1 1 1 1 2 2 0 1", " 9811112201 "],
)  # fmt: skip
def test_a_mobile_written_as_people_write_it_is_its_ten_digits(written: str) -> None:
    # One number, one spelling: the keyed hash (and so the duplicate and ban checks) sees the same
    # digits however the number was written.
    assert mobile.validate_python(written) == "9811112201"


@pytest.mark.parametrize("written", ["9999 4105 7058", "9999-4105-7058", " 999941057058 ", "9999 41057058"])
def test_an_aadhaar_written_in_groups_is_its_twelve_digits(written: str) -> None:
    assert aadhaar.validate_python(written) == "999941057058"


@pytest.mark.parametrize(
    "written",
    [
        "9999\u00a04105\u00a07058",  # no-break spaces
        "9999\u200b4105\u200b7058",  # zero-width spaces
        "99994105\u200d7058",  # zero-width joiner
        "9999  4105 7058",  # two separators in a row
        "9999_4105_7058",
        "9999.4105.7058",
        "\uff19\uff19\uff19\uff19\uff14\uff11\uff10\uff15\uff17\uff10\uff15\uff18",  # full-width digits
        "+91 999941057058",  # a mobile's prefix is not an Aadhaar's
    ],
)
def test_aadhaar_separators_other_than_one_ascii_space_or_hyphen_are_refused(written: str) -> None:
    with pytest.raises(ValidationError):
        aadhaar.validate_python(written)


@pytest.mark.parametrize(
    "written",
    [
        "+91\u00a098111\u00a012201",
        "98111\u200b12201",
        "\u200b9811112201",
        "+91 \u096f\u096e\u0967\u0967\u0967\u0967\u0968\u0968\u0966\u0967",  # Devanagari digits
        "+\u096f\u0967 9811112201",
        "\uff19\uff18\uff11\uff11\uff11\uff11\uff12\uff12\uff10\uff11",
        "+91+91 9811112201",
        "(98111) 12201",
        "98111--12201",
    ],
)
def test_mobile_spellings_that_could_evade_the_identity_checks_are_refused(written: str) -> None:
    with pytest.raises(ValidationError):
        mobile.validate_python(written)


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
