"""Steps of the platform's story over HTTP, shared by the e2e tests (the whole story, the booking
journey, the fuzz world): sign up, register and be verified (``local.client.journey``), go
online, search, book, move a booking on.

Each step asserts what the API promises for it, so a test reads as the story it tells. Steps that
need something only a local stack has (confirming a self sign-up, the police key) skip with the
reason when pointed at a deployed stack without it.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from local.client import journey
from local.client.http import Account
from tests.e2e.conftest import Stack
from tests.stories import identity


def new_identity() -> tuple[str, str]:
    """A fresh Verhoeff-valid Aadhaar and mobile number."""
    return identity(uuid.uuid4().int, series=6 + uuid.uuid4().int % 4)


def near(point: dict[str, float], metres_north: float) -> dict[str, float]:
    return {"lat": point["lat"] + metres_north / 111_195, "lng": point["lng"]}


def somewhere_in_lucknow() -> dict[str, float]:
    """A point of its own per test (about 1 km of jitter), so tests do not find each other's
    professionals first."""
    jitter = (uuid.uuid4().int % 1000) / 100_000
    return {"lat": 26.80 + jitter, "lng": 80.90 + jitter}


def registration(
    aadhaar: str, mobile: str, location: dict[str, float], service: str, name: str = "Suresh Yadav"
) -> dict[str, Any]:
    return {
        "name": name,
        "mobile": mobile,
        "aadhaar": aadhaar,
        "services": [service],
        "location": location,
        "district": "Lucknow",
        "qualification": {"kind": "none"},
    }


def status_of(client: Account, professional_id: str) -> str:
    return str(client.ok("GET", f"/professionals/{professional_id}")["status"])


def verified_professional(
    stack: Stack, pro: Account, officer: Account, aadhaar: str, location: dict[str, float], service: str
) -> str:
    """Register -> upload the ID proof -> submit -> the police answer clear -> verified."""
    police = stack.police()  # skip before registering anything when the police cannot be answered
    _, mobile = new_identity()
    registered = journey.register(pro, registration(aadhaar, mobile, location, service))
    assert aadhaar not in json.dumps(registered)  # only a hash and the last 4 are kept
    professional_id = str(registered["id"])
    request_id = journey.submit_for_verification(pro, officer, professional_id)
    journey.cleared(police, pro, professional_id, request_id, remarks="No record")
    return professional_id


def go_online(pro: Account, professional_id: str, location: dict[str, float]) -> None:
    online = pro.ok(
        "PUT", f"/professionals/{professional_id}/availability", {"online": True, "location": location}
    )
    assert online["findable"] is True


def matched(client: Account, service: str, point: dict[str, float]) -> list[dict[str, Any]]:
    query = f"/match?service={service}&lat={point['lat']}&lng={point['lng']}&limit=50"
    return list(client.ok("GET", query)["results"])


def matched_ids(client: Account, service: str, point: dict[str, float]) -> list[str]:
    return [r["professional_id"] for r in matched(client, service, point)]


def book(citizen: Account, service: str, point: dict[str, float], professional_id: str) -> dict[str, Any]:
    booking = citizen.ok(
        "POST",
        "/bookings",
        {"service_id": service, "location": point, "professional_id": professional_id},
        status=201,
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert (booking["status"], booking["professional_id"]) == ("requested", professional_id)
    return dict(booking)


def step(pro: Account, booking_id: str, action: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """The professional moves the booking on: accept, start, complete."""
    return dict(pro.ok("POST", f"/bookings/{booking_id}/{action}", body or {}))


def complain(citizen: Account, booking_id: str, kind: str = "misconduct") -> dict[str, Any]:
    """``POST /complaints`` about the booking: the complaint as opened (201)."""
    body = {"booking_id": booking_id, "kind": kind, "description": "Rude on the phone."}
    return dict(citizen.ok("POST", "/complaints", body, status=201))
