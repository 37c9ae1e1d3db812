"""Every 422 speaks the caller's language down to its field messages: with ``Accept-Language: hi``
each ``details[].msg`` is Hindi (pydantic's own error types and the project's validators), with no
English left, while the codes and ``loc`` stay the contract's. A representative set of 422s from
four functions, each driven through its API Gateway event."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sevamitra.domain.types import verhoeff_check_digit
from sevamitra.edge.errors import FIELD_MESSAGES_HI, MESSAGES
from tests.integration.conftest import Api, ApiResponse, claims_for

HINDI = {"Accept-Language": "hi-IN,hi;q=0.9,en;q=0.5"}
CITIZEN = claims_for("citizen-hi")
AADHAAR = "23412341234" + verhoeff_check_digit("23412341234")
BAD_CHECKSUM = AADHAAR[:-1] + str((int(AADHAAR[-1]) + 1) % 10)


def _registration(**overrides: Any) -> dict[str, Any]:
    body = {
        "name": "रमेश कुमार",
        "mobile": "9876500001",
        "aadhaar": AADHAAR,
        "services": ["plumber_tap_leak_repair"],
        "location": {"lat": 26.85, "lng": 80.95},
        "district": "लखनऊ",
        "qualification": {"kind": "none"},
    }
    return {**body, **overrides}


# (method, path, body, query) -> the field error types it must carry
CASES: dict[str, tuple[str, str, Any, dict[str, str] | None, set[str]]] = {
    "every field missing": ("POST", "/professionals", {}, None, {"missing"}),
    "mobile and Aadhaar": (
        "POST", "/professionals", _registration(mobile="5876543210", aadhaar=BAD_CHECKSUM), None,
        {"invalid_mobile", "aadhaar_checksum"},
    ),
    "Aadhaar shape": ("POST", "/professionals", _registration(aadhaar="0123"), None, {"invalid_aadhaar"}),
    "district": ("POST", "/professionals", _registration(district="Delhi"), None, {"unknown_district"}),
    "location": (
        "POST", "/professionals", _registration(location={"lat": 28.6315, "lng": 77.2167}), None,
        {"out_of_service_area"},
    ),
    "services": (
        "POST", "/professionals", _registration(services=["time_travel"], name="x" * 300), None,
        {"unknown_service", "string_too_long"},
    ),
    "empty lists, wrong types": (
        "POST", "/professionals",
        _registration(services=[], location={"lat": "north", "lng": 80.9, "alt": 3}, on_behalf="maybe"), None,
        {"too_short", "float_parsing", "extra_forbidden", "bool_parsing"},
    ),
    "qualification": (
        "POST", "/professionals",
        _registration(services=["electrician_house_wiring_per_room"], qualification={"kind": "phd"}), None,
        {"enum"},
    ),
    "qualification required": (
        "POST", "/professionals",
        _registration(services=["electrician_house_wiring_per_room"], qualification={"kind": "none"}), None,
        {"qualification_required"},
    ),
    "Udyam number": (
        "POST", "/agencies",
        {"name": "Gomti", "udyam_number": "UDYAM-1", "district": "Lucknow", "contact_mobile": "98111 12201"},
        None, {"string_pattern_mismatch"},
    ),
    "search text": ("GET", "/services", None, {"q": "x" * 101}, {"string_too_long"}),
    "match query": (
        "GET", "/match", None, {"service": "electrician_fan_installation", "lat": "north", "lng": "80.9",
                                "limit": "500"},
        {"float_parsing", "less_than_equal"},
    ),
    "match limit": (
        "GET", "/match", None, {"service": "electrician_fan_installation", "lat": "26.85", "lng": "80.95",
                                "limit": "0"},
        {"greater_than_equal"},
    ),
    "engagement days": (
        "POST", "/bookings",
        {"service_id": "electrician_fan_installation", "location": {"lat": 26.85, "lng": 80.95},
         "engagement": {"kind": "task", "days": 3}},
        None, {"value_error"},
    ),
    "rating": ("POST", "/bookings/bk_none/rating", {"stars": 9}, None, {"less_than_equal"}),
    "complaint": (
        "POST", "/complaints", {"booking_id": "bk_none", "kind": "rudeness", "description": ""}, None,
        {"literal_error", "string_too_short"},
    ),
}  # fmt: skip


def _call(api: Api, case: str, headers: dict[str, str] | None) -> ApiResponse:
    method, path, body, query, _ = CASES[case]
    return api(method, path, body=body, query=query, claims=CITIZEN, headers=headers)


def _without_identifiers(message: str) -> str:
    """A Hindi message without what it quotes from the contract: enum values ('overcharge') and
    service ids (electrician_house_wiring_per_room), which are codes, not English."""
    message = re.sub(r"'[^']*'", "", message)
    return re.sub(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", "", message)


@pytest.mark.parametrize("case", CASES)
def test_a_422_in_hindi_has_hindi_field_messages_and_no_english(api: Api, case: str) -> None:
    response = _call(api, case, HINDI)
    assert response.status == 422, response.body
    error = response.body["error"]
    assert error["message"] == MESSAGES[error["code"]][1]
    assert {d["type"] for d in error["details"]} >= CASES[case][4]
    for detail in error["details"]:
        assert re.search("[\u0900-\u097f]", detail["msg"]), detail
        assert not re.search("[A-Za-z]", _without_identifiers(detail["msg"])), detail
        assert detail["loc"]
        assert detail["loc"][0] in {"body", "query"}


@pytest.mark.parametrize("case", ["mobile and Aadhaar", "match limit", "district"])
def test_the_same_422_in_english_keeps_english_messages_and_the_same_codes(api: Api, case: str) -> None:
    hindi, english = _call(api, case, HINDI), _call(api, case, None)
    assert english.error_code == hindi.error_code
    as_pairs = [(d["loc"], d["type"]) for d in english.body["error"]["details"]]
    assert as_pairs == [(d["loc"], d["type"]) for d in hindi.body["error"]["details"]]
    for detail in english.body["error"]["details"]:
        assert not re.search("[\u0900-\u097f]", detail["msg"]), detail


def test_hindi_templates_use_only_context_that_pydantic_gives() -> None:
    # e.g. "{min_length}" for too_short; a wrong name would fall back to the generic message.
    for error_type, template in FIELD_MESSAGES_HI.items():
        assert not re.search("[A-Za-z]", re.sub(r"\{[a-z_]+\}", "", template)), error_type
