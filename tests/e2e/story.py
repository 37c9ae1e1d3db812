"""Steps of the platform's story over HTTP, shared by the e2e tests (the whole story, the booking
journey, the fuzz world): sign up, register, upload, submit, answer as the police, go online,
search, book, move a booking on.

Each step asserts what the API promises for it, so a test reads as the story it tells. Steps that
need something only a local stack has (confirming a self sign-up, the police key) skip with the
reason when pointed at a deployed stack without it.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
import requests

from sevamitra.signing import HEADER, sign
from tests.e2e.conftest import HTTP_TIMEOUT_S, Stack
from tests.stories import identity

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
WAIT_S = 30.0
T = TypeVar("T")


def eventually(what: str, probe: Callable[[], T | None], timeout_s: float = WAIT_S) -> T:
    """``probe()`` once it is truthy; the test fails after ``timeout_s`` saying what it waited for."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout_s:g}s waiting for {what}")


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


@dataclass
class Client:
    """An app signed in as one account: every call carries its ID token."""

    stack: Stack
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> requests.Response:
        return self.stack.request(method, path, headers={**self.auth, **(headers or {})}, json=body)

    def ok(self, method: str, path: str, body: Any = None, *, status: int = 200, **kwargs: Any) -> Any:
        """The JSON answer of a call that must succeed with ``status``."""
        response = self.call(method, path, body, **kwargs)
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()


def signed_up(stack: Stack) -> Client:
    """A citizen who signs up in the app (self sign-up, confirmed) and signs in."""
    return Client(stack, stack.id_token(*stack.sign_up_citizen()))


def demo(stack: Stack, role: str) -> Client:
    return Client(stack, stack.demo_token(role))


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


def register(pro: Client, body: dict[str, Any]) -> str:
    registered = pro.ok("POST", "/professionals", body, status=201)
    assert registered["status"] == "pending_documents"
    assert body["aadhaar"] not in json.dumps(registered)  # only a hash and the last 4 are kept
    return str(registered["id"])


def upload_id_proof(pro: Client, professional_id: str) -> None:
    """Ask for the presigned form and POST the PDF to the documents bucket, as the app does."""
    form = pro.ok(
        "POST",
        f"/professionals/{professional_id}/documents",
        {"kind": "id_proof", "content_type": "application/pdf", "size_bytes": len(PDF)},
        status=201,
    )
    upload = form["upload"]
    stored = requests.post(
        upload["url"],
        data=upload["fields"],
        files={"file": ("id.pdf", PDF, "application/pdf")},
        timeout=HTTP_TIMEOUT_S,
    )
    assert stored.status_code in (200, 201, 204), stored.text


def submit(pro: Client, professional_id: str) -> None:
    submitted = pro.ok("POST", f"/professionals/{professional_id}/submit", status=202)
    assert submitted == {"status": "verification_pending"}


def pending_police_request(officer: Client, professional_id: str) -> str:
    """The police request the workflow files for the professional, as the officer's list shows it."""

    def listed() -> str | None:
        requests_ = officer.ok("GET", "/verification/requests?status=pending")["requests"]
        return next((r["request_id"] for r in requests_ if r["professional_id"] == professional_id), None)

    return eventually("the police verification request", listed)


def police_answer(stack: Stack, request_id: str, result: str = "clear", **extra: Any) -> requests.Response:
    """The police system's callback, signed over the raw body with the shared key."""
    raw = json.dumps({"request_id": request_id, "result": result, **extra}).encode()
    return stack.request(
        "POST",
        "/verification/callback",
        data=raw,
        headers={"Content-Type": "application/json", HEADER: sign(stack.police_key(), int(time.time()), raw)},
    )


def status_of(client: Client, professional_id: str) -> str:
    return str(client.ok("GET", f"/professionals/{professional_id}")["status"])


def wait_for_status(client: Client, professional_id: str, status: str) -> None:
    eventually(f"the professional to be {status}", lambda: status_of(client, professional_id) == status)


def verified_professional(
    stack: Stack, pro: Client, officer: Client, aadhaar: str, location: dict[str, float], service: str
) -> str:
    """Register -> upload the ID proof -> submit -> the police answer clear -> verified."""
    stack.police_key()  # skip before registering anything when the police cannot be answered
    _, mobile = new_identity()
    professional_id = register(pro, registration(aadhaar, mobile, location, service))
    upload_id_proof(pro, professional_id)
    submit(pro, professional_id)
    request_id = pending_police_request(officer, professional_id)
    answered = police_answer(stack, request_id, "clear", remarks="No record")
    assert answered.status_code == 200, answered.text
    wait_for_status(pro, professional_id, "verified")
    return professional_id


def go_online(pro: Client, professional_id: str, location: dict[str, float]) -> None:
    online = pro.ok(
        "PUT", f"/professionals/{professional_id}/availability", {"online": True, "location": location}
    )
    assert online["findable"] is True


def matched(client: Client, service: str, point: dict[str, float]) -> list[dict[str, Any]]:
    query = f"/match?service={service}&lat={point['lat']}&lng={point['lng']}&limit=50"
    return list(client.ok("GET", query)["results"])


def matched_ids(client: Client, service: str, point: dict[str, float]) -> list[str]:
    return [r["professional_id"] for r in matched(client, service, point)]


def book(citizen: Client, service: str, point: dict[str, float], professional_id: str) -> dict[str, Any]:
    booking = citizen.ok(
        "POST",
        "/bookings",
        {"service_id": service, "location": point, "professional_id": professional_id},
        status=201,
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert (booking["status"], booking["professional_id"]) == ("requested", professional_id)
    return dict(booking)


def step(pro: Client, booking_id: str, action: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """The professional moves the booking on: accept, start, complete."""
    return dict(pro.ok("POST", f"/bookings/{booking_id}/{action}", body or {}))
