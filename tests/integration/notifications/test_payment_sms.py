"""The citizen's payment record by SMS: the booking_completed SMS to a citizen names a payment
reference and the reply; ``PAID <rupees> <ref>`` from the mobile the citizen signed in with
records what they paid through the same rule as ``POST /bookings/{id}/payment`` (an overcharge
complaint opens on their word); once only; from any other number it changes nothing."""

from __future__ import annotations

import re

import pytest

import local.lambdas
import notify.logic
from book import sms
from local.events import EventPump
from local.provision import cached_client
from local.sms import sns_event
from notify.settings import NotifySettings
from sevamitra.data.models import ComplaintModel
from sevamitra.edge import pii
from sevamitra.edge.routes import INBOUND_SMS
from sevamitra.platform.settings import settings
from tests.integration.notifications.conftest import (
    FEE,
    PRO,
    PRO_MOBILE,
    Calls,
    reachable_professional,
    sms_to,
)

CITIZEN_PHONE = "+919123400100"
OTHER_MOBILE = "9123400009"
PAID_REPLY = re.compile(r"PAID \S+ ([A-Z0-9]{5})")


@pytest.fixture
def citizen(aws, monkeypatch: pytest.MonkeyPatch) -> dict:
    """A citizen who signed up with CITIZEN_PHONE (notify finds the number in the user pool): the
    ID token's claims."""
    idp = cached_client("cognito-idp", settings().aws_region)
    pool = idp.create_user_pool(PoolName="payment-test", UsernameAttributes=["phone_number"])["UserPool"][
        "Id"
    ]
    user = idp.admin_create_user(
        UserPoolId=pool,
        Username=CITIZEN_PHONE,
        UserAttributes=[{"Name": "phone_number", "Value": CITIZEN_PHONE}],
    )["User"]
    sub = next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")
    configured = NotifySettings(USER_POOL_ID=pool)
    monkeypatch.setattr(notify.logic, "notify_settings", lambda: configured)
    return {"sub": sub, "cognito:username": sub, "token_use": "id", "phone_number": CITIZEN_PHONE}


def reply(sender: str, text: str) -> list[str]:
    return list(local.lambdas.run_entry(INBOUND_SMS, sns_event(pii.e164(sender), text))["outcomes"])


def _completed_declaring_the_fee(calls: Calls, pump: EventPump, citizen: dict) -> tuple[str, str]:
    reachable_professional("pro_1", PRO_MOBILE)
    booking = calls.book("pro_1", claims=citizen)
    for action, body in (
        ("accept", {}),
        ("start", {"start_code": booking["start_code"]}),
        ("complete", {"amount_collected_paise": FEE}),
    ):
        calls.ok(PRO, "POST", f"/bookings/{booking['id']}/{action}", body)
    pump.drain()
    (completed,) = sms_to(CITIZEN_PHONE[3:])
    found = PAID_REPLY.search(completed.body)
    assert found, completed.body
    return booking["id"], found.group(1)


def test_the_completed_sms_names_the_reply_and_paid_above_the_fee_opens_a_complaint(
    calls: Calls, pump: EventPump, citizen: dict
) -> None:
    booking_id, ref = _completed_declaring_the_fee(calls, pump, citizen)
    assert calls.ok(citizen, "GET", f"/bookings/{booking_id}")["complaint_ids"] == []

    assert reply(CITIZEN_PHONE[3:], f"PAID 200 {ref}") == ["paid"]

    shown = calls.ok(citizen, "GET", f"/bookings/{booking_id}")
    (complaint_id,) = shown["complaint_ids"]
    assert (shown["payment"]["amount_paid_paise"], shown["payment"]["via"]) == (20_000, "sms")
    complaint = ComplaintModel.get(complaint_id)
    assert (complaint.kind, complaint.amount_paid_paise) == ("overcharge", 20_000)
    assert "शिकायत" in sms_to(CITIZEN_PHONE[3:])[-1].body  # the confirmation says a complaint opened

    assert reply(CITIZEN_PHONE[3:], f"PAID 500 {ref}") == ["already_paid"]
    assert calls.ok(citizen, "GET", f"/bookings/{booking_id}")["payment"]["amount_paid_paise"] == 20_000


def test_paid_from_another_number_or_as_a_haan_changes_nothing(
    calls: Calls, pump: EventPump, citizen: dict
) -> None:
    booking_id, ref = _completed_declaring_the_fee(calls, pump, citizen)
    assert reply(OTHER_MOBILE, f"PAID 200 {ref}") == ["not_understood"]
    assert reply(PRO_MOBILE, f"HAAN {ref}") == ["not_understood"]  # a payment reference is not a request's
    assert calls.ok(citizen, "GET", f"/bookings/{booking_id}")["payment"] is None


@pytest.mark.parametrize(
    ("text", "paise"),
    [("PAID 250 ACDEF", 25_000), ("paid Rs 1,250.50 acdef", 125_050), ("PAID ₹99 ACDEF.", 9_900)],
)
def test_amounts_are_read_as_people_write_rupees(text: str, paise: int) -> None:
    assert sms.parse_paid(text) == (paise, "ACDEF")


@pytest.mark.parametrize("text", ["PAID ACDEF", "PAID -5 ACDEF", "PAID 12.345 ACDEF", "PAID 250"])
def test_anything_else_is_not_a_payment(text: str) -> None:
    assert sms.parse_paid(text) is None
