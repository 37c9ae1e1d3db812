"""Field messages (details[].msg) in the caller's language, from the one error module."""

from __future__ import annotations

import re

import pytest
from pydantic import TypeAdapter, ValidationError

from register.models import RegisterProfessionalIn
from sevamitra.domain.districts import UNKNOWN_DISTRICT
from sevamitra.domain.types import OUT_OF_SERVICE_AREA, Mobile
from sevamitra.edge.errors import FIELD_ERROR_CODES, FIELD_FALLBACK_HI, FIELD_MESSAGES_HI, field_message


def test_the_field_errors_that_name_the_response_are_the_domains_own_codes() -> None:
    assert FIELD_ERROR_CODES == (OUT_OF_SERVICE_AREA, UNKNOWN_DISTRICT)


def test_english_keeps_pydantics_message() -> None:
    assert field_message("missing", "Field required", None, "en") == "Field required"


@pytest.mark.parametrize(
    ("error_type", "context", "expected"),
    [
        ("too_short", {"min_length": 1, "actual_length": 0}, "कम से कम 1 प्रविष्टियाँ होनी चाहिए।"),
        ("less_than_equal", {"le": 50}, "मान 50 या उससे कम होना चाहिए।"),
        ("literal_error", {"expected": "'hi' or 'en'"}, "मान इनमें से एक होना चाहिए: 'hi' या 'en'"),
        ("some_new_type", None, FIELD_FALLBACK_HI),
        ("string_too_long", {}, FIELD_FALLBACK_HI),  # context missing: never a KeyError, never English
        ("greater_than_equal", {"ge": object()}, "मान … या उससे अधिक होना चाहिए।"),
    ],
)
def test_hindi_is_the_types_template_filled_from_its_context(
    error_type: str, context: dict | None, expected: str
) -> None:
    assert field_message(error_type, "English", context, "hi") == expected


def test_every_error_of_a_bad_registration_has_a_hindi_template() -> None:
    with pytest.raises(ValidationError) as caught:
        RegisterProfessionalIn.model_validate(
            {"name": "", "mobile": "12", "aadhaar": "0", "services": ["nope"],
             "location": {"lat": 0, "lng": 0}, "district": "Delhi", "qualification": {"kind": "phd"},
             "on_behalf": "maybe"}
        )  # fmt: skip
    for error in caught.value.errors():
        assert error["type"] in FIELD_MESSAGES_HI, error["type"]
        assert re.search(
            "[\u0900-\u097f]", field_message(error["type"], error["msg"], error.get("ctx"), "hi")
        )


def test_identity_errors_have_their_own_types_and_never_carry_the_number() -> None:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(Mobile).validate_python("5876543210")
    (error,) = caught.value.errors()
    assert error["type"] == "invalid_mobile"
    assert "5876543210" not in field_message(error["type"], error["msg"], error.get("ctx"), "hi")
