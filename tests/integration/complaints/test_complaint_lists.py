"""GET /complaints: officers see every complaint (by status, district, kind, overdue); anyone else
sees the complaints they filed and those about the professionals they act for. Newest first, in
pages whose cursors only work for the caller and the query they were issued to."""

from __future__ import annotations

from typing import Any

import pytest

from sevamitra.data.models import ComplaintModel
from tests.integration.complaints.support import (
    CITIZEN,
    OFFICER,
    complain,
    online_professional,
    resolve,
    seed_booking,
)
from tests.integration.conftest import Api, ApiResponse, claims_for
from tests.integration.support import FORGED_CURSORS, approved_agency, make_aadhaar, make_mobile, pages_of

PAST = "2020-01-01T00:00:00Z"


def listed(api: Api, claims: dict[str, Any], **query: str) -> ApiResponse:
    return api("GET", "/complaints", claims=claims, query=query)


def ids(api: Api, claims: dict[str, Any], **query: str) -> list[str]:
    response = listed(api, claims, **query)
    assert response.status == 200, response.body
    return [c["id"] for c in response.body["complaints"]]


class World:
    """pro_a (self-registered, Lucknow) and pro_b (registered by an agency's owner, Agra); three
    complaints by citizen-1 about pro_a, two by citizen-2 about pro_b; oldest first in ``all``."""

    def __init__(self, api: Api) -> None:
        self.pro_a = online_professional(api)
        self.agency_id = approved_agency(api, owner="agency-owner")
        body = {
            "name": "Kamla Devi", "mobile": make_mobile(800), "aadhaar": make_aadhaar(800),
            "services": ["plumber_tap_leak_repair"], "location": {"lat": 27.18, "lng": 78.01},
            "district": "Agra", "qualification": {"kind": "none"}, "on_behalf": True,
        }  # fmt: skip
        registered = api("POST", "/professionals", body=body, claims=claims_for("agency-owner"))
        assert registered.status == 201, registered.body
        self.pro_b = str(registered.body["id"])
        opened = [
            (self.pro_a.id, "quality", CITIZEN, "completed"),
            (self.pro_a.id, "no_show", CITIZEN, "cancelled"),
            (self.pro_b, "misconduct", "citizen-2", "completed"),
            (self.pro_a.id, "overcharge", CITIZEN, "completed"),
            (self.pro_b, "quality", "citizen-2", "completed"),
        ]
        self.all: list[str] = []
        for pid, kind, sub, status in opened:
            booking = seed_booking(pid, status=status, citizen_sub=sub)
            response = complain(
                api, booking, kind=kind, sub=sub, amount=30_000 if kind == "overcharge" else None
            )
            assert response.status == 201, response.body
            self.all.append(str(response.body["id"]))
        self.about_a = [self.all[i] for i in (0, 1, 3)]
        self.about_b = [self.all[i] for i in (2, 4)]


@pytest.fixture
def world(api: Api) -> World:
    return World(api)


def newest_first(expected: list[str]) -> list[str]:
    """The ids as the list orders them: by (created_at, id), newest first."""
    items = {c.id: c for c in ComplaintModel.scan() if c.id in expected}
    return sorted(expected, key=lambda cid: (items[cid].created_at, cid), reverse=True)


def test_an_officer_pages_through_every_complaint_newest_first(api: Api, world: World) -> None:
    pages = pages_of(lambda q: listed(api, OFFICER, **q).body, limit=2)
    assert [len(page) for page in pages] == [2, 2, 1]
    items = [item for page in pages for item in page]
    assert [c["id"] for c in items] == newest_first(world.all)
    first = items[0]
    assert set(first) >= {"id", "status", "kind", "booking_id", "professional_id", "due_by", "created_at"}
    assert "description" not in first  # the list is an index; the complaint is GET /complaints/{id}


def test_an_officer_filters_by_status_kind_and_district(api: Api, world: World) -> None:
    upheld = world.all[3]
    dismissed = world.all[0]
    assert resolve(api, upheld).status == 200
    assert resolve(api, dismissed, "dismissed").status == 200
    assert ids(api, OFFICER, status="upheld") == [upheld]
    assert ids(api, OFFICER, status="dismissed") == [dismissed]
    assert sorted(ids(api, OFFICER, status="open")) == sorted(set(world.all) - {upheld, dismissed})
    assert ids(api, OFFICER, kind="quality") == newest_first([world.all[0], world.all[4]])
    assert ids(api, OFFICER, district="Agra") == newest_first(world.about_b)
    assert ids(api, OFFICER, district="Agra", kind="misconduct") == [world.all[2]]
    assert ids(api, OFFICER, district="Agra", status="upheld") == []
    assert ids(api, OFFICER, district="Varanasi") == []


def test_overdue_means_undecided_past_due_by(api: Api, world: World) -> None:
    late_open, late_escalated, late_decided = world.all[1], world.all[2], world.all[0]
    for cid in (late_open, late_escalated, late_decided):
        ComplaintModel.get(cid).update(actions=[ComplaintModel.due_by.set(PAST)])
    ComplaintModel.get(late_escalated).update(actions=[ComplaintModel.status.set("escalated")])
    assert resolve(api, late_decided, "dismissed").status == 200
    assert ids(api, OFFICER, overdue="true") == newest_first([late_open, late_escalated])
    assert ids(api, OFFICER, overdue="true", status="escalated") == [late_escalated]
    assert ids(api, OFFICER, overdue="true", status="dismissed") == []
    assert ids(api, OFFICER, overdue="true", district="Agra") == [late_escalated]
    assert sorted(ids(api, OFFICER, overdue="false")) == sorted(world.all)
    # The complainant's own overdue complaints, and the professional's.
    assert ids(api, claims_for(CITIZEN), overdue="true") == [late_open]
    assert ids(api, claims_for(world.pro_a.sub), overdue="true") == [late_open]


def test_others_see_what_they_filed_and_what_is_about_whom_they_act_for(api: Api, world: World) -> None:
    assert ids(api, claims_for(CITIZEN)) == newest_first(world.about_a)
    assert ids(api, claims_for("citizen-2")) == newest_first(world.about_b)
    # pro_a's own account; the agency's owner, who registered pro_b for the agency.
    assert ids(api, claims_for(world.pro_a.sub)) == newest_first(world.about_a)
    assert ids(api, claims_for("agency-owner")) == newest_first(world.about_b)
    assert ids(api, claims_for("agency-owner"), kind="quality") == [world.all[4]]
    assert ids(api, claims_for("stranger")) == []
    assert ids(api, claims_for("employer-9", "employers")) == []
    # The district filter applies to their own list too (and is not a way into others').
    assert ids(api, claims_for(CITIZEN), district="Agra") == []
    pages = pages_of(lambda q: listed(api, claims_for(CITIZEN), **q).body, limit=1)
    assert [item["id"] for page in pages for item in page] == newest_first(world.about_a)


@pytest.mark.parametrize("cursor", FORGED_CURSORS)
def test_a_cursor_we_did_not_issue_is_422_invalid_cursor(api: Api, cursor: str) -> None:
    response = listed(api, OFFICER, cursor=cursor)
    assert (response.status, response.error_code) == (422, "invalid_cursor")


def test_another_callers_or_another_querys_cursor_is_refused(api: Api, world: World) -> None:
    cursor = listed(api, OFFICER, limit="1").body["next_cursor"]
    assert cursor
    other_officer = claims_for("officer-2", "officers")
    for claims, query in (
        (other_officer, {"cursor": cursor}),
        (claims_for(CITIZEN), {"cursor": cursor}),
        (OFFICER, {"cursor": cursor, "kind": "quality"}),
        (OFFICER, {"cursor": cursor, "overdue": "true"}),
    ):
        response = listed(api, claims, **query)
        assert (response.status, response.error_code) == (422, "invalid_cursor"), query
    assert listed(api, OFFICER, cursor=cursor).status == 200


def test_bad_filters_are_422(api: Api) -> None:
    for query in ({"status": "lost"}, {"kind": "theft"}, {"overdue": "maybe"}, {"limit": "101"}):
        assert listed(api, OFFICER, **query).status == 422, query
    assert api("GET", "/complaints").status == 401
