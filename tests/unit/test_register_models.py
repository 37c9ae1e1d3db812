"""Registration request validation: rate card, qualifications, and no raw number in any error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from register.models import DocumentRequestIn, RegisterProfessionalIn
from sevamitra.domain.types import verhoeff_check_digit

AADHAAR = "23412341234" + verhoeff_check_digit("23412341234")


def _body(**overrides: Any) -> dict[str, Any]:
    body = {
        "name": "Sita",
        "mobile": "9876543210",
        "aadhaar": AADHAAR,
        "services": ["plumber_tap_leak_repair"],
        "location": {"lat": 26.85, "lng": 80.95},
        "district": "Lucknow",
    }
    return {**body, **overrides}


def _error_types(**overrides: Any) -> dict[tuple, str]:
    with pytest.raises(ValidationError) as failure:
        RegisterProfessionalIn.model_validate(_body(**overrides))
    return {tuple(e["loc"]): e["type"] for e in failure.value.errors()}


def test_unknown_service_is_a_field_error_on_that_service() -> None:
    assert _error_types(services=["plumber_tap_leak_repair", "time_travel"]) == {
        ("services", 1): "unknown_service"
    }


@pytest.mark.parametrize("qualification", [None, {"kind": "none"}])
def test_service_requiring_qualification_refuses_none_or_missing(qualification: dict | None) -> None:
    overrides: dict[str, Any] = {"services": ["electrician_house_wiring_per_room"]}
    if qualification is not None:
        overrides["qualification"] = qualification
    assert _error_types(**overrides) == {("qualification",): "qualification_required"}


def test_service_requiring_qualification_accepts_an_iti() -> None:
    body = _body(
        services=["electrician_house_wiring_per_room"], qualification={"kind": "iti", "title": "Electrician"}
    )
    assert RegisterProfessionalIn.model_validate(body).qualification is not None


def test_no_qualification_needed_for_simple_services() -> None:
    assert RegisterProfessionalIn.model_validate(_body()).services == ["plumber_tap_leak_repair"]


def test_invalid_aadhaar_error_message_does_not_contain_the_number() -> None:
    bad = AADHAAR[:-1] + str((int(AADHAAR[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as failure:
        RegisterProfessionalIn.model_validate(_body(aadhaar=bad))
    messages = json.dumps(
        [{"loc": e["loc"], "msg": e["msg"], "type": e["type"]} for e in failure.value.errors()]
    )
    assert "checksum" in messages
    assert bad not in messages


def test_pii_free_form_drops_the_raw_numbers() -> None:
    form = json.dumps(RegisterProfessionalIn.model_validate(_body()).pii_free())
    assert AADHAAR not in form
    assert "9876543210" not in form


@pytest.mark.parametrize("size", [0, 5 * 1024 * 1024 + 1])
def test_document_size_outside_1_byte_to_5_mib_is_refused(size: int) -> None:
    with pytest.raises(ValidationError):
        DocumentRequestIn.model_validate(
            {"kind": "id_proof", "content_type": "application/pdf", "size_bytes": size}
        )
