"""Two-way SMS end to end over HTTP on the local stack: a booking's request SMS reaches the
professional's registered mobile (``GET /_local/sms``), a reply from that mobile
(``POST /_local/sms``) accepts or declines it, a reply from any other number changes nothing, and
garbage gets one "not understood" reply per window. The SMS routes exist only locally."""

from __future__ import annotations

from typing import Any

import pytest

from local.client import journey
from local.client.http import Account
from local.client.sms import Phones, reference_in
from tests.e2e.conftest import Stack
from tests.e2e.story import go_online, new_identity, registration, somewhere_in_lucknow

SERVICE = "plumber_tap_leak_repair"


def _reachable_professional(stack: Stack) -> tuple[str, str, dict[str, float]]:
    """A verified professional online at a point of their own: (id, registered mobile, point)."""
    police, officer = stack.police(), stack.as_demo("officer")
    pro = stack.signed_up()
    aadhaar, mobile = new_identity()
    point = somewhere_in_lucknow()
    professional_id = str(journey.register(pro, registration(aadhaar, mobile, point, SERVICE))["id"])
    request_id = journey.submit_for_verification(pro, officer, professional_id)
    journey.cleared(police, pro, professional_id, request_id)
    go_online(pro, professional_id, point)
    return professional_id, mobile, point


@pytest.fixture(scope="module")
def world(stack: Stack) -> dict[str, Any]:
    if not stack.is_local:
        pytest.skip("the SMS outbox and carrier exist only on the local stack")
    professional_id, mobile, point = _reachable_professional(stack)
    return {"professional_id": professional_id, "mobile": mobile, "point": point}


def _book(citizen: Account, world: dict[str, Any]) -> dict[str, Any]:
    body = {"service_id": SERVICE, "location": world["point"], "professional_id": world["professional_id"]}
    return dict(citizen.ok("POST", "/bookings", body, status=201))


def _requested(stack: Stack, world: dict[str, Any]) -> tuple[Account, Phones, str, str]:
    """A new booking and the reference its SMS names: (citizen, phones, booking id, ref)."""
    phones, citizen = stack.phones(), stack.signed_up()
    seen = len(phones.inbox(world["mobile"]))
    booking = _book(citizen, world)
    message = phones.wait_for(world["mobile"], "HAAN", after=seen)
    return citizen, phones, str(booking["id"]), reference_in(message["body"])


def test_haan_from_the_registered_mobile_accepts_and_na_declines(local_only: Stack, world):
    citizen, phones, booking_id, ref = _requested(local_only, world)
    assert f"NA {ref}" in phones.inbox(world["mobile"])[-1]["body"]
    assert phones.send(world["mobile"], f"HAAN {ref}")["outcomes"] == ["accepted"]
    assert citizen.ok("GET", f"/bookings/{booking_id}")["status"] == "accepted"
    citizen.ok("POST", f"/bookings/{booking_id}/cancel")

    citizen, phones, booking_id, ref = _requested(local_only, world)
    assert phones.send(world["mobile"], f"NA {ref}")["outcomes"] == ["declined"]
    declined = citizen.ok("GET", f"/bookings/{booking_id}")
    assert (declined["status"], declined["cancelled_by"]) == ("cancelled", "professional")


def test_a_reply_from_another_number_changes_nothing_and_garbage_gets_one_answer(local_only: Stack, world):
    citizen, phones, booking_id, ref = _requested(local_only, world)
    _, stranger = new_identity()
    assert phones.send(stranger, f"HAAN {ref}")["outcomes"] == ["not_understood"]
    assert citizen.ok("GET", f"/bookings/{booking_id}")["status"] == "requested"
    (answer,) = phones.inbox(stranger)
    assert "HAAN" in answer["body"]
    assert phones.send(stranger, "lol ok")["outcomes"] == ["ignored"]
    assert len(phones.inbox(stranger)) == 1
    citizen.ok("POST", f"/bookings/{booking_id}/cancel")


def test_the_sms_routes_are_not_in_the_openapi_document(local_only: Stack):
    paths = local_only.account().ok("GET", "/openapi.json")["paths"]
    assert not [path for path in paths if path.startswith("/_local")]


def test_a_bad_inbound_sms_is_422_in_the_error_shape(local_only: Stack):
    response = local_only.api.request("POST", "/_local/sms", json={"from": "+919812345678"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
