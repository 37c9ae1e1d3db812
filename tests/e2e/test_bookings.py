"""The booking journey over HTTP, as the apps would drive it: a professional registers, uploads
an ID proof, submits, is cleared by a signed police callback and goes online; a citizen finds them
with /match, books, gives the start code; the professional accepts, starts, completes; the
citizen rates and the rating shows in /match.

Needs the verification workflow of the stack (and, locally, the police key from the outputs to
sign the callback); when the professional cannot be verified the journey is skipped, saying why.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from sevamitra.types import verhoeff_check_digit
from tests.e2e.conftest import HTTP_TIMEOUT_S, Stack
from verify.signature import HEADER, sign

pytestmark = pytest.mark.e2e

SERVICE = "electrician_fan_installation"
HOME = {"lat": 26.8467, "lng": 80.9462}  # Lucknow: where the citizen needs the work done
WORKSHOP = {"lat": 26.8480, "lng": 80.9462}  # about 145 m north
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
VERIFY_TIMEOUT_S = 20


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _eventually(probe: Callable[[], Any], timeout_s: float) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.25)
    return None


def _identity() -> tuple[str, str]:
    body = f"{random.randint(2 * 10**10, 9 * 10**10 - 1):011d}"
    return body + verhoeff_check_digit(body), f"9{random.randint(0, 10**9 - 1):09d}"


def _verified_online_professional(stack: Stack) -> tuple[str, str]:
    """Register, upload, submit, clear through the police callback, go online: (id, token)."""
    if "PoliceSecretValue" not in stack.outputs:
        pytest.skip("signing the police callback needs the local police key (PoliceSecretValue)")
    token = stack.id_token(*stack.sign_up_citizen())
    aadhaar, mobile = _identity()
    registered = stack.request(
        "POST",
        "/professionals",
        headers=_auth(token),
        json={
            "name": "Suresh Electrician",
            "mobile": mobile,
            "aadhaar": aadhaar,
            "services": [SERVICE],
            "location": WORKSHOP,
            "district": "Lucknow",
            "qualification": {"kind": "none"},
        },
    )
    assert registered.status_code == 201, registered.text
    professional_id = registered.json()["id"]
    form = stack.request(
        "POST",
        f"/professionals/{professional_id}/documents",
        headers=_auth(token),
        json={"kind": "id_proof", "content_type": "application/pdf", "size_bytes": len(PDF)},
    )
    assert form.status_code == 201, form.text
    upload = form.json()["upload"]
    stored = requests.post(
        upload["url"], data=upload["fields"], files={"file": ("id.pdf", PDF)}, timeout=HTTP_TIMEOUT_S
    )
    assert stored.status_code in (200, 201, 204), stored.text
    submitted = stack.request("POST", f"/professionals/{professional_id}/submit", headers=_auth(token))
    assert submitted.status_code == 202, submitted.text

    officer = _auth(stack.demo_token("officer"))

    def pending_request() -> str | None:
        listed = stack.get("/verification/requests", params={"status": "pending"}, headers=officer)
        if listed.status_code != 200:
            return None
        for request in listed.json()["requests"]:
            if request["professional_id"] == professional_id:
                return str(request["request_id"])
        return None

    request_id = _eventually(pending_request, VERIFY_TIMEOUT_S)
    if request_id is None:
        pytest.skip(f"the verification workflow did not ask the police within {VERIFY_TIMEOUT_S}s")
    body = json.dumps({"request_id": request_id, "result": "clear"}).encode()
    key = stack.outputs["PoliceSecretValue"].encode()

    def cleared() -> bool:
        answer = stack.request(
            "POST",
            "/verification/callback",
            data=body,
            headers={"Content-Type": "application/json", HEADER: sign(key, int(time.time()), body)},
        )
        return answer.status_code == 200

    if not _eventually(cleared, VERIFY_TIMEOUT_S):
        pytest.skip("the police callback was not accepted (is the workflow waiting for it?)")

    def verified() -> bool:
        profile = stack.get(f"/professionals/{professional_id}", headers=_auth(token))
        return profile.status_code == 200 and profile.json()["status"] == "verified"

    if not _eventually(verified, VERIFY_TIMEOUT_S):
        pytest.skip(f"the professional was not verified within {VERIFY_TIMEOUT_S}s of the police clearance")
    online = stack.request(
        "PUT",
        f"/professionals/{professional_id}/availability",
        headers=_auth(token),
        json={"online": True, "location": WORKSHOP},
    )
    assert online.status_code == 200, online.text
    return professional_id, token


def _match(stack: Stack, token: str) -> list[dict[str, Any]]:
    response = stack.get(
        "/match", params={"service": SERVICE, "lat": HOME["lat"], "lng": HOME["lng"]}, headers=_auth(token)
    )
    assert response.status_code == 200, response.text
    return list(response.json()["results"])


def test_search_book_accept_start_complete_and_rate_over_http(local_only: Stack) -> None:
    stack = local_only
    professional_id, pro_token = _verified_online_professional(stack)
    citizen = stack.id_token(*stack.sign_up_citizen())

    found = [r for r in _match(stack, citizen) if r["professional_id"] == professional_id]
    assert found, "the verified online professional is not in /match"
    assert found[0]["distance_m"] < 3000

    booked = stack.request(
        "POST",
        "/bookings",
        headers={**_auth(citizen), "Idempotency-Key": f"e2e-{professional_id}"},
        json={"service_id": SERVICE, "location": HOME, "professional_id": professional_id},
    )
    assert booked.status_code == 201, booked.text
    booking = booked.json()
    assert (booking["status"], booking["fee_paise"]) == ("requested", found[0]["fee_paise"])
    code = booking["start_code"]
    assert all(r["professional_id"] != professional_id for r in _match(stack, citizen))

    seen = stack.get(f"/bookings/{booking['id']}", headers=_auth(pro_token))
    assert seen.status_code == 200
    assert code not in seen.text

    def step(action: str, body: dict[str, Any] | None = None) -> requests.Response:
        return stack.request(
            "POST", f"/bookings/{booking['id']}/{action}", headers=_auth(pro_token), json=body or {}
        )

    assert step("accept").json()["status"] == "accepted"
    wrong = "000000" if code != "000000" else "111111"
    refused = step("start", {"start_code": wrong})
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "wrong_start_code")
    assert step("start", {"start_code": code}).json()["status"] == "in_progress"
    done = step("complete", {"amount_collected_paise": booking["fee_paise"]})
    assert (done.status_code, done.json()["status"], done.json()["complaint_ids"]) == (200, "completed", [])

    rated = stack.request(
        "POST",
        f"/bookings/{booking['id']}/rating",
        headers=_auth(citizen),
        json={"stars": 5, "comment": "बढ़िया"},
    )
    assert rated.status_code == 201, rated.text
    again = [r for r in _match(stack, citizen) if r["professional_id"] == professional_id]
    assert again, "the professional is not back in /match after completing"
    assert again[0]["rating"] == 5.0
