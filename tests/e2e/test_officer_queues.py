"""Officers of the district hear of their queues, over HTTP on the local stack: a professional in
Lucknow submits for verification; an officer whose account an administrator put in Lucknow
(``custom:district``, carried by the ID token) finds it in ``GET /me/notifications``; an officer
of Agra does not."""

from __future__ import annotations

from typing import Any

import pytest

from local.client import journey, poll_until
from local.client.cognito import new_credentials
from local.client.http import Account
from sevamitra.edge.auth import OFFICERS
from tests.e2e.conftest import Stack
from tests.e2e.story import new_identity, registration, somewhere_in_lucknow

pytestmark = pytest.mark.e2e

SERVICE = "plumber_tap_leak_repair"


def officer_of(stack: Stack, district: str) -> Account:
    if not stack.is_local:
        pytest.skip("making officer accounts needs the user pool's administrator (local stack)")
    username, password = new_credentials("95")
    stack.cognito.create_account(username, password, OFFICERS, district=district)
    return stack.signed_in(username, password)


def submitted(officer: Account, professional_id: str) -> list[dict[str, Any]]:
    return [
        entry
        for entry in officer.ok("GET", "/me/notifications?limit=100")["notifications"]
        if entry["kind"] == "verification_submitted" and entry.get("professional_id") == professional_id
    ]


def test_a_submission_reaches_the_officers_of_its_district_and_no_other(stack: Stack) -> None:
    lucknow, agra = officer_of(stack, "lucknow"), officer_of(stack, "agra")
    pro = stack.signed_up()
    aadhaar, mobile = new_identity()
    profile = journey.register(pro, registration(aadhaar, mobile, somewhere_in_lucknow(), SERVICE))
    journey.upload_document(pro, profile["id"])
    journey.submit(pro, profile["id"])

    (entry,) = poll_until(
        "the submission in the Lucknow officer's notifications",
        lambda: submitted(lucknow, profile["id"]) or None,
        timeout_s=20,
    )
    assert entry["title"] == "सत्यापन के लिए नया आवेदन"
    assert "Suresh Yadav" in entry["body"]
    assert submitted(agra, profile["id"]) == []
    assert submitted(pro, profile["id"]) == []
