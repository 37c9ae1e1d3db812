"""Help beyond 3 km and accounts of their own, over HTTP on the local stack (issues 16 and 17).

A village in Shravasti searches and finds nobody within 3 km, but learns how far the nearest
professional is and sets an alert; when that professional comes within reach, the citizen is told
once. A worker registered by an officer claims his own account with the code the officer has sent
to his phone.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from local.client import poll_until
from local.client.http import Account
from tests.e2e.conftest import Stack
from tests.e2e.story import near, new_identity, registration, verified_professional

pytestmark = pytest.mark.e2e

SERVICE = "plumber_tap_leak_repair"


def a_village_in_shravasti() -> dict[str, float]:
    jitter = (uuid.uuid4().int % 1000) / 50_000
    return {"lat": 27.48 + jitter, "lng": 81.95 + jitter}


def available_notes(citizen: Account) -> list[dict[str, Any]]:
    notes = citizen.ok("GET", "/me/notifications?limit=100")["notifications"]
    return [n for n in notes if n["kind"] == "professional_available"]


def test_an_empty_village_search_says_how_far_help_is_and_an_alert_fires_once(stack: Stack) -> None:
    pro, citizen, officer = stack.signed_up(), stack.signed_up(), stack.as_demo("officer")
    village = a_village_in_shravasti()
    far = near(village, 8_400)
    aadhaar, _ = new_identity()
    pid = verified_professional(stack, pro, officer, aadhaar, far, SERVICE)
    pro.ok("PUT", f"/professionals/{pid}/availability", {"online": True, "location": far})

    found = citizen.ok("GET", f"/match?service={SERVICE}&lat={village['lat']}&lng={village['lng']}")
    assert found["results"] == []
    assert found["nearest_beyond_m"] == 9_000  # 8.4 km, rounded up to the next whole km

    alert = citizen.ok(
        "POST", "/match/alerts", {"service_id": SERVICE, "location": village, "hours": 1}, status=201
    )
    assert set(alert) == {"id", "expires_at"}
    assert available_notes(citizen) == []

    # The professional moves to within 3 km of the village: the citizen hears of it, once.
    pro.ok("PUT", f"/professionals/{pid}/availability", {"online": True, "location": near(village, 1_200)})
    (note,) = poll_until("the professional_available notification", lambda: available_notes(citizen))
    assert note["title"]
    pro.ok("PUT", f"/professionals/{pid}/availability", {"online": False})
    pro.ok("PUT", f"/professionals/{pid}/availability", {"online": True})
    nearby = citizen.ok("GET", f"/match?service={SERVICE}&lat={village['lat']}&lng={village['lng']}")
    assert [r["professional_id"] for r in nearby["results"]] == [pid]
    assert nearby["nearest_beyond_m"] is None
    assert len(available_notes(citizen)) == 1


def test_a_worker_registered_by_an_officer_claims_his_own_account(stack: Stack) -> None:
    officer = stack.as_demo("officer")
    username, password = stack.new_user()  # the worker's own phone: the pool's usernames are phones
    mobile = username[-10:]
    aadhaar, _ = new_identity()
    body = {
        **registration(aadhaar, mobile, a_village_in_shravasti(), SERVICE, name="Ramu"),
        "on_behalf": True,
    }
    pid = officer.ok("POST", "/professionals", body, status=201)["id"]

    phones = stack.phones()
    before = len(phones.inbox(mobile))
    sent = officer.ok("POST", f"/professionals/{pid}/claim-code", status=201)
    assert set(sent) == {"expires_at"}
    sms = phones.wait_for(mobile, "Seva Mitra", after=before)
    found = re.search(r"\b(\d{6})\b", sms["body"])
    assert found, sms["body"]
    code = found.group(1)

    stranger = stack.signed_up()
    assert stranger.call("POST", f"/professionals/{pid}/claim", {"code": code}).status_code == 403
    worker = stack.signed_in(username, password)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    refused = worker.call(
        "POST", f"/professionals/{pid}/claim", {"code": wrong}, headers={"Accept-Language": "hi"}
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "wrong_claim_code")
    assert "दावा कोड" in refused.json()["error"]["message"]

    assert worker.ok("POST", f"/professionals/{pid}/claim", {"code": code})["professional_id"] == pid
    assert worker.ok("GET", "/me")["professional_id"] == pid
    assert worker.ok("GET", f"/professionals/{pid}")["id"] == pid
