"""GET /agencies (officers: by status, newest first, paged) and GET /agencies/{id} (officers and
the agency's members: with how many members and professionals it has). An officer approves an
agency found in the list, without its id passed by hand."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Api, ApiResponse, claims_for
from tests.integration.registration.conftest import registration_body
from tests.integration.support import FORGED_CURSORS, pages_of

OFFICER = claims_for("officer-1", "officers")


def new_agency(api: Api, owner: str, name: str = "Awadh Services") -> str:
    created = api(
        "POST",
        "/agencies",
        body={"name": name, "udyam_number": "UDYAM-UP-12-0001234", "district": "Lucknow",
              "contact_mobile": "9812345678"},
        claims=claims_for(owner),
    )  # fmt: skip
    assert created.status == 201, created.body
    return str(created.body["id"])


def listed(api: Api, claims: dict[str, Any], **query: str) -> ApiResponse:
    return api("GET", "/agencies", claims=claims, query=query)


def test_an_officer_finds_a_pending_agency_in_the_list_and_approves_it(api: Api) -> None:
    agency_id = new_agency(api, "owner-1", name="Gomti Electricals")
    pending = listed(api, OFFICER, status="pending_approval")
    assert pending.status == 200, pending.body
    (found,) = pending.body["agencies"]
    assert found == {
        "id": agency_id, "name": "Gomti Electricals", "status": "pending_approval",
        "district": "lucknow", "udyam_number": "UDYAM-UP-12-0001234", "created_at": found["created_at"],
    }  # fmt: skip
    assert pending.body["next_cursor"] is None
    assert api("POST", f"/agencies/{found['id']}/approve", claims=OFFICER).status == 200
    assert listed(api, OFFICER, status="pending_approval").body["agencies"] == []
    assert [a["id"] for a in listed(api, OFFICER, status="approved").body["agencies"]] == [agency_id]


def test_the_list_pages_newest_first_across_statuses(api: Api) -> None:
    made = [new_agency(api, f"owner-{i}") for i in range(5)]
    for agency_id in made[:2]:
        assert api("POST", f"/agencies/{agency_id}/approve", claims=OFFICER).status == 200
    pages = pages_of(lambda q: listed(api, OFFICER, **q).body, limit=2)
    assert [len(page) for page in pages] == [2, 2, 1]
    items = [item for page in pages for item in page]
    assert sorted(a["id"] for a in items) == sorted(made)
    stamps = [a["created_at"] for a in items]
    assert stamps == sorted(stamps, reverse=True)
    approved = pages_of(lambda q: listed(api, OFFICER, status="approved", **q).body, limit=1)
    assert sorted(a["id"] for page in approved for a in page) == sorted(made[:2])


def test_only_officers_list_agencies(api: Api) -> None:
    new_agency(api, "owner-1")
    for claims in (claims_for("owner-1"), claims_for("employer-1", "employers")):
        response = listed(api, claims)
        assert (response.status, response.error_code) == (403, "forbidden")
    assert api("GET", "/agencies").status == 401
    assert listed(api, OFFICER, status="closed").status == 422


@pytest.mark.parametrize("cursor", FORGED_CURSORS)
def test_a_cursor_we_did_not_issue_is_422_invalid_cursor(api: Api, cursor: str) -> None:
    assert listed(api, OFFICER, cursor=cursor).error_code == "invalid_cursor"


def test_another_officers_or_another_statuss_cursor_is_refused(api: Api) -> None:
    for i in range(3):
        new_agency(api, f"owner-{i}")
    cursor = listed(api, OFFICER, limit="1").body["next_cursor"]
    assert listed(api, claims_for("officer-2", "officers"), cursor=cursor).error_code == "invalid_cursor"
    assert listed(api, OFFICER, cursor=cursor, status="approved").error_code == "invalid_cursor"


def test_an_agency_shows_its_members_and_professionals_to_officers_and_members(api: Api) -> None:
    agency_id = new_agency(api, "owner-1")
    # Its owner sees it while it waits for approval; nobody else but officers.
    own = api("GET", f"/agencies/{agency_id}", claims=claims_for("owner-1"))
    assert own.status == 200, own.body
    assert (own.body["status"], own.body["members"], own.body["professionals"]) == ("pending_approval", 1, 0)
    assert api("POST", f"/agencies/{agency_id}/approve", claims=OFFICER).status == 200
    for seed in (11, 12):
        body = registration_body(seed=seed, on_behalf=True)
        assert api("POST", "/professionals", body=body, claims=claims_for("owner-1")).status == 201
    # One registered for no agency (by an officer alone) counts for none.
    alone = registration_body(seed=13, on_behalf=True)
    assert api("POST", "/professionals", body=alone, claims=claims_for("officer-2", "officers")).status == 201
    seen = api("GET", f"/agencies/{agency_id}", claims=OFFICER)
    assert seen.status == 200
    assert seen.body["members"] == 1
    assert seen.body["professionals"] == 2
    assert seen.body["status"] == "approved"
    assert seen.body["district"] == "lucknow"
    assert seen.body["approved_by"] == "officer-1"
    assert seen.body["contact_mobile_last4"] == "5678"
    assert "9812345678" not in str(seen.body)
    assert not {"owner_sub", "contact_mobile_hash"} & set(seen.body)
    assert api("GET", f"/agencies/{agency_id}", claims=claims_for("owner-1")).body == seen.body
    for stranger in (claims_for("someone"), claims_for("employer-1", "employers")):
        refused = api("GET", f"/agencies/{agency_id}", claims=stranger)
        assert (refused.status, refused.error_code) == (403, "forbidden")
    assert api("GET", "/agencies/agy_nothing", claims=OFFICER).status == 404
    assert api("GET", "/agencies/agy_nothing", claims=claims_for("someone")).status == 404
