"""Agencies: creation, officer approval, and /me for their owners."""

from __future__ import annotations

from tests.integration.conftest import Api, claims_for
from tests.integration.support import table_items

AGENCY = {
    "name": "Awadh Facility Services",
    "udyam_number": "UDYAM-UP-12-0001234",
    "district": "Lucknow",
    "contact_mobile": "9812345678",
}


def test_agency_is_created_pending_approval_with_the_caller_as_owner(api: Api) -> None:
    response = api("POST", "/agencies", body=AGENCY, claims=claims_for("owner-1"))
    assert response.status == 201
    assert response.body["status"] == "pending_approval"
    assert response.body["contact_mobile_last4"] == "5678"
    assert "9812345678" not in str(response.body)
    assert "9812345678" not in str(table_items("agencies"))
    assert api("GET", "/me", claims=claims_for("owner-1")).body["agency_id"] == response.body["id"]


def test_agency_with_a_malformed_udyam_number_is_422(api: Api) -> None:
    response = api("POST", "/agencies", body={**AGENCY, "udyam_number": "UDYAM-1234"}, claims=claims_for("o"))
    assert response.status == 422
    assert response.body["error"]["details"][0]["loc"] == ["body", "udyam_number"]


def test_agency_creation_needs_a_token(api: Api) -> None:
    assert api("POST", "/agencies", body=AGENCY).status == 401


def test_agency_retry_with_idempotency_key_creates_one_agency(api: Api) -> None:
    headers = {"Idempotency-Key": "agency-1"}
    first = api("POST", "/agencies", body=AGENCY, claims=claims_for("owner-2"), headers=headers)
    again = api("POST", "/agencies", body=AGENCY, claims=claims_for("owner-2"), headers=headers)
    assert first.body == again.body
    assert len(table_items("agencies")) == 1


def test_only_officers_approve_and_only_once(api: Api) -> None:
    agency_id = api("POST", "/agencies", body=AGENCY, claims=claims_for("owner-3")).body["id"]
    path = f"/agencies/{agency_id}/approve"
    refused = api("POST", path, claims=claims_for("owner-3"))
    assert (refused.status, refused.error_code) == (403, "forbidden")
    approved = api("POST", path, claims=claims_for("officer-1", "officers"))
    assert (approved.status, approved.body["id"], approved.body["status"]) == (200, agency_id, "approved")
    again = api("POST", path, claims=claims_for("officer-2", "officers"))
    assert (again.status, again.error_code) == (409, "already_approved")


def test_approving_an_unknown_agency_is_404(api: Api) -> None:
    response = api("POST", "/agencies/agy_missing/approve", claims=claims_for("officer-1", "officers"))
    assert (response.status, response.error_code) == (404, "not_found")
    assert table_items("agencies") == []
