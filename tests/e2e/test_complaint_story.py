"""The whole story over HTTP, as clients live it: a professional registers, is verified by the
police, goes online and is booked; the citizen is asked for more than the fee and complains; the
professional responds; an officer upholds the complaint, and the professional is banned for good:
gone from matching, on the ban registry, refused re-registration.

Bookings are served by the book function (issue 6). Where ``POST /bookings`` is not served yet,
the story runs up to the booking and then skips, saying so."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests

from sevamitra.types import verhoeff_check_digit
from tests.e2e.conftest import HTTP_TIMEOUT_S, Stack
from verify.signature import sign

pytestmark = pytest.mark.e2e

SERVICE = "plumber_tap_leak_repair"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
WAIT_S = 30


def _aadhaar() -> str:
    body = f"{2 + uuid.uuid4().int % 8}{uuid.uuid4().int % 10**10:010d}"
    return body + verhoeff_check_digit(body)


def _mobile() -> str:
    return f"7{uuid.uuid4().int % 10**9:09d}"


def _location() -> dict[str, float]:
    jitter = (uuid.uuid4().int % 1000) / 100_000
    return {"lat": 26.80 + jitter, "lng": 80.90 + jitter}


class Client:
    def __init__(self, stack: Stack, token: str) -> None:
        self.stack = stack
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> requests.Response:
        return self.stack.request(method, path, headers={**self.headers, **(headers or {})}, json=body)


def _until(what: str, probe: Callable[[], Any]) -> Any:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


def _registration(aadhaar: str, mobile: str, location: dict[str, float]) -> dict[str, Any]:
    return {
        "name": "Suresh Yadav",
        "mobile": mobile,
        "aadhaar": aadhaar,
        "services": [SERVICE],
        "location": location,
        "district": "Lucknow",
        "qualification": {"kind": "none"},
    }


def _verified_professional(stack: Stack, pro: Client, officer: Client, aadhaar: str, location: dict) -> str:
    registered = pro.call("POST", "/professionals", _registration(aadhaar, _mobile(), location))
    assert registered.status_code == 201, registered.text
    pid = registered.json()["id"]
    form = pro.call(
        "POST",
        f"/professionals/{pid}/documents",
        {"kind": "id_proof", "content_type": "application/pdf", "size_bytes": len(PDF)},
    )
    assert form.status_code == 201, form.text
    upload = form.json()["upload"]
    stored = requests.post(
        upload["url"],
        data=upload["fields"],
        files={"file": ("id.pdf", PDF, "application/pdf")},
        timeout=HTTP_TIMEOUT_S,
    )
    assert stored.status_code in (200, 201, 204), stored.text
    assert pro.call("POST", f"/professionals/{pid}/submit").status_code == 202

    def police_request() -> str | None:
        listed = officer.call("GET", "/verification/requests?status=pending").json()["requests"]
        return next((r["request_id"] for r in listed if r["professional_id"] == pid), None)

    request_id = _until("the police verification request", police_request)
    body = json.dumps({"request_id": request_id, "result": "clear"}).encode()
    signature = sign(str(stack.outputs["PoliceSecretValue"]).encode(), int(time.time()), body)
    answered = stack.request(
        "POST",
        "/verification/callback",
        data=body,
        headers={"Content-Type": "application/json", "X-Seva-Signature": signature},
    )
    assert answered.status_code == 200, answered.text
    _until(
        "the professional to be verified",
        lambda: pro.call("GET", f"/professionals/{pid}").json()["status"] == "verified",
    )
    return str(pid)


def _matched(client: Client, location: dict[str, float]) -> list[str]:
    query = f"/match?service={SERVICE}&lat={location['lat']}&lng={location['lng']}&limit=50"
    response = client.call("GET", query)
    assert response.status_code == 200, response.text
    return [r["professional_id"] for r in response.json()["results"]]


def test_overcharge_from_complaint_to_permanent_ban(local_only: Stack) -> None:
    stack = local_only
    pro = Client(stack, stack.id_token(*stack.sign_up_citizen()))
    citizen = Client(stack, stack.demo_token("citizen"))
    officer = Client(stack, stack.demo_token("officer"))
    employer = Client(stack, stack.demo_token("employer"))
    aadhaar, location = _aadhaar(), _location()

    pid = _verified_professional(stack, pro, officer, aadhaar, location)
    online = pro.call("PUT", f"/professionals/{pid}/availability", {"online": True, "location": location})
    assert online.status_code == 200, online.text
    assert pid in _matched(citizen, location)

    booked = citizen.call(
        "POST",
        "/bookings",
        {"service_id": SERVICE, "location": location, "professional_id": pid},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    if booked.status_code in (404, 405) and booked.json()["error"]["code"] in (
        "route_not_found",
        "method_not_allowed",
    ):
        pytest.skip("POST /bookings is not served on this branch (bookings, issue 6): the story stops here")
    assert booked.status_code == 201, booked.text
    booking = booked.json()
    assert pro.call("POST", f"/bookings/{booking['id']}/accept").status_code == 200
    started = pro.call("POST", f"/bookings/{booking['id']}/start", {"start_code": booking["start_code"]})
    assert started.status_code == 200, started.text
    overcharged = booking["fee_paise"] + 10_000
    completed = pro.call(
        "POST", f"/bookings/{booking['id']}/complete", {"amount_collected_paise": overcharged}
    )
    assert completed.status_code == 200, completed.text

    complaint = citizen.call(
        "POST",
        "/complaints",
        {
            "booking_id": booking["id"],
            "kind": "overcharge",
            "amount_paid_paise": overcharged,
            "description": "Asked for 100 rupees more than the fixed fee.",
        },
    )
    if complaint.status_code == 409:  # completion above the fee already opened it
        assert complaint.json()["error"]["code"] == "complaint_exists"
        cid = complaint.json()["error"]["details"][0]["complaint_id"]
    else:
        assert complaint.status_code == 201, complaint.text
        cid = complaint.json()["id"]

    responded = pro.call("POST", f"/complaints/{cid}/response", {"text": "The tap needed a new washer."})
    assert responded.status_code == 201, responded.text
    seen = officer.call("GET", f"/complaints/{cid}").json()
    assert seen["status"] == "open"
    assert seen["response"]["text"] == "The tap needed a new washer."

    decided = officer.call(
        "POST",
        f"/complaints/{cid}/resolve",
        {"decision": "upheld", "remarks": "Receipt shows the extra 100 rupees."},
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "upheld"

    assert pid not in _matched(citizen, location)
    assert pro.call("GET", f"/professionals/{pid}").json()["status"] == "banned"
    assert employer.call("GET", f"/bans/check?aadhaar={aadhaar}").json() == {"banned": True}
    again = Client(stack, stack.id_token(*stack.sign_up_citizen()))
    refused = again.call("POST", "/professionals", _registration(aadhaar, _mobile(), location))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "banned"
    trail = officer.call("GET", f"/professionals/{pid}/audit").json()
    assert [e["action"] for e in trail["entries"]] == ["verified", "complaint_upheld", "banned"]
    assert trail["chain_valid"] is True
    assert (
        officer.call(
            "POST", f"/complaints/{cid}/resolve", {"decision": "dismissed", "remarks": "x"}
        ).status_code
        == 409
    )


def test_verified_professional_has_an_audit_trail_and_is_not_on_the_ban_registry(local_only: Stack) -> None:
    stack = local_only
    pro = Client(stack, stack.id_token(*stack.sign_up_citizen()))
    officer = Client(stack, stack.demo_token("officer"))
    employer = Client(stack, stack.demo_token("employer"))
    citizen = Client(stack, stack.demo_token("citizen"))
    aadhaar = _aadhaar()

    pid = _verified_professional(stack, pro, officer, aadhaar, _location())

    trail = officer.call("GET", f"/professionals/{pid}/audit")
    assert trail.status_code == 200, trail.text
    assert [(e["action"], e["actor"]) for e in trail.json()["entries"]] == [("verified", "police")]
    assert trail.json()["chain_valid"] is True
    assert pro.call("GET", f"/professionals/{pid}/audit").status_code == 403
    assert employer.call("GET", f"/bans/check?aadhaar={aadhaar}").json() == {"banned": False}
    assert citizen.call("GET", f"/bans/check?aadhaar={aadhaar}").status_code == 403
    assert officer.call("GET", "/complaints/cmp_unknown").status_code == 404
