"""Who may see and act on a booking: its citizen, its professional (or who manages them),
officers for reading; anyone else 403, and a 403 changes nothing."""

from __future__ import annotations

import pytest

from tests.integration.bookings.conftest import (
    CITIZEN,
    EMPLOYER,
    FEE,
    NEAR,
    OFFICER,
    OTHER_CITIZEN,
    OTHER_PRO,
    PRO,
    accepted,
    act,
    booked,
    completed,
    in_progress,
    view,
)
from tests.integration.conftest import Api, claims_for
from tests.integration.geo_seed import seed_professional

ROLES = {
    "citizen": CITIZEN,
    "other_citizen": OTHER_CITIZEN,
    "professional": PRO,
    "other_professional": OTHER_PRO,
    "officer": OFFICER,
    "employer": EMPLOYER,
}
# (action, the stage it is legal in, the body, the roles allowed)
MATRIX = [
    ("accept", "requested", None, {"professional"}),
    ("start", "accepted", "code", {"professional"}),
    ("complete", "in_progress", {"amount_collected_paise": FEE}, {"professional"}),
    ("cancel", "requested", None, {"citizen", "professional"}),
    ("cancel", "accepted", None, {"citizen", "professional"}),
    ("rating", "completed", {"stars": 5}, {"citizen"}),
]
STAGES = {"requested": booked, "accepted": accepted, "in_progress": in_progress, "completed": completed}


@pytest.mark.parametrize("role", list(ROLES))
def test_get_is_for_participants_and_officers(api: Api, pro: str, role: str) -> None:
    created = booked(api)
    response = view(api, created["id"], ROLES[role])
    expected = 200 if role in {"citizen", "professional", "officer"} else 403
    assert response.status == expected, response.body
    if expected == 200:
        assert response.body["id"] == created["id"]
        # API.md (second wave): the citizen sees the code again while it can be used; no one else.
        if role == "citizen":
            assert response.body["start_code"] == created["start_code"]
        else:
            assert "start_code" not in response.body
            assert created["start_code"] not in str(response.body)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize(
    ("action", "stage", "body", "allowed"), MATRIX, ids=[f"{a}-{s}" for a, s, _, _ in MATRIX]
)
def test_each_transition_is_for_its_participants_only(
    api: Api, pro: str, role: str, action: str, stage: str, body: object, allowed: set[str]
) -> None:
    created = STAGES[stage](api)
    if body == "code":
        body = {"start_code": created["start_code"]}
    response = act(api, created["id"], action, ROLES[role], body)  # type: ignore[arg-type]
    if role in allowed:
        assert response.status in (200, 201), response.body
    else:
        assert (response.status, response.error_code) == (403, "forbidden"), response.body
        assert view(api, created["id"]).body["status"] == stage


def test_without_token_every_booking_route_is_401(api: Api, pro: str) -> None:
    created = booked(api)
    assert view(api, created["id"], None).status == 401
    for action in ("accept", "start", "complete", "cancel", "rating"):
        assert act(api, created["id"], action, None).status == 401


def test_an_employer_who_booked_is_the_bookings_citizen(api: Api, pro: str) -> None:
    response = api(
        "POST",
        "/bookings",
        claims=EMPLOYER,
        body={
            "service_id": "electrician_fan_installation",
            "location": {"lat": 26.8467, "lng": 80.9462},
            "professional_id": "pro_1",
            "engagement": {"kind": "contract", "days": 30},
        },
    )
    booking_id = response.body["id"]
    assert view(api, booking_id, EMPLOYER).status == 200
    assert view(api, booking_id, CITIZEN).status == 403
    assert act(api, booking_id, "cancel", EMPLOYER).status == 200


def test_an_assisted_professional_is_acted_for_by_the_account_that_registered_them(
    api: Api, aws: object
) -> None:
    seed_professional("pro_1", *NEAR, account_sub="", registered_by="agency-member-7")
    created = booked(api)
    helper = claims_for("agency-member-7")
    assert view(api, created["id"], helper).status == 200
    assert act(api, created["id"], "accept", helper).status == 200
    assert act(api, created["id"], "accept", PRO).status == 403
