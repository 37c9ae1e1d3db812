"""Every kind reaches the right people in their language: the inbox always, SMS where the kind
calls for it (to the professional's registered mobile and the managing account's phone), push to
registered devices; each message once, however often its event arrives; the start code, Aadhaar
numbers and other people's mobile numbers in none of them."""

from __future__ import annotations

import io
import json
import logging
import re
from typing import Any

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

import local.lambdas
import notify.logic
from local.provision import cached_client
from local.sms import sns_event
from notify.settings import NotifySettings
from sevamitra.data import notifications
from sevamitra.data.models import BookingModel
from sevamitra.domain import events as domain_events
from sevamitra.domain.events import DomainEvent, Kind
from sevamitra.domain.ratecard import get_service
from sevamitra.edge import pii
from sevamitra.edge.routes import BOOKING_EXPIRY, INBOUND_SMS
from sevamitra.platform import bus
from sevamitra.platform.observability import logger
from sevamitra.platform.settings import settings
from sevamitra.platform.sms import LOCAL_OUTBOX
from tests.integration.conftest import claims_for
from tests.integration.notifications.conftest import (
    ASSISTED_MOBILE,
    CITIZEN,
    FEE,
    OFFICER,
    PRO,
    PRO_MOBILE,
    Calls,
    reachable_professional,
    sms_to,
)

SECOND_OFFICER = claims_for("officer-2", "officers")

PAST = "2020-01-01T00:00:00Z"
MANAGER_PHONE = "+919811100001"


def kinds_in(inbox: list[dict[str, Any]]) -> list[str]:
    return [entry["kind"] for entry in inbox]


@pytest.fixture
def user_pool(aws, monkeypatch: pytest.MonkeyPatch) -> str:
    """A user pool where the managing account ``member-1`` signed up with MANAGER_PHONE; notify
    looks phone numbers up there. Returns the member's sub."""
    idp = cached_client("cognito-idp", settings().aws_region)
    pool = idp.create_user_pool(PoolName="notify-test", UsernameAttributes=["phone_number"])["UserPool"]["Id"]
    user = idp.admin_create_user(
        UserPoolId=pool,
        Username=MANAGER_PHONE,
        UserAttributes=[{"Name": "phone_number", "Value": MANAGER_PHONE}],
    )["User"]
    sub = next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")
    configured = NotifySettings(USER_POOL_ID=pool)
    monkeypatch.setattr(notify.logic, "notify_settings", lambda: configured)
    return str(sub)


@pytest.fixture
def own(aws) -> str:
    """pro_1: self-registered (its own account ``sub-pro_1``), mobile PRO_MOBILE."""
    return reachable_professional("pro_1", PRO_MOBILE)


@pytest.fixture
def assisted(user_pool: str) -> tuple[str, str]:
    """pro_9: registered on their behalf by the member (no account), mobile ASSISTED_MOBILE."""
    return reachable_professional(
        "pro_9", ASSISTED_MOBILE, account_sub="", registered_by=user_pool
    ), user_pool


# --- booking_requested -----------------------------------------------------------------------------


def test_booking_requested_reaches_the_professional_by_sms_and_inbox_in_hindi(own, calls: Calls, pump):
    booking = calls.book(own)
    pump.drain()
    (message,) = sms_to(PRO_MOBILE)
    assert message.body.startswith("सेवा मित्र: नया काम")
    assert "₹150" in message.body
    (entry,) = calls.inbox(PRO)
    assert (entry["kind"], entry["booking_id"]) == ("booking_requested", booking["id"])
    assert entry["body"] == message.body
    assert calls.inbox(CITIZEN) == []


def test_booking_requested_in_english_for_a_professional_who_chose_it(own, calls: Calls, pump):
    calls.ok(PRO, "PUT", "/me/preferences", {"language": "en", "sms": True})
    calls.book(own)
    pump.drain()
    (message,) = sms_to(PRO_MOBILE)
    assert message.body.startswith("Seva Mitra: new job")
    assert "Rs 150" in message.body
    assert calls.inbox(PRO)[0]["title"] == "New job request"


def test_booking_requested_reaches_an_assisted_professional_and_their_managing_account(
    assisted, calls: Calls, pump
):
    professional_id, manager = assisted
    calls.book(professional_id)
    pump.drain()
    (to_pro,) = sms_to(ASSISTED_MOBILE)
    assert "HAAN" in to_pro.body
    (to_manager,) = LOCAL_OUTBOX.messages(MANAGER_PHONE)
    assert "Name pro_9" in to_manager.body
    assert "HAAN" not in to_manager.body  # only the professional's own mobile can answer
    (entry,) = calls.inbox({"sub": manager, "cognito:username": manager, "token_use": "id"})
    assert entry["kind"] == "booking_requested"


def test_no_sms_for_a_professional_who_turned_sms_off_but_the_inbox_still(own, calls: Calls, pump):
    calls.ok(PRO, "PUT", "/me/preferences", {"language": "hi", "sms": False})
    calls.book(own)
    pump.drain()
    assert sms_to(PRO_MOBILE) == []
    assert kinds_in(calls.inbox(PRO)) == ["booking_requested"]


# --- the citizen's side of a booking ----------------------------------------------------------------


def test_the_citizen_hears_of_acceptance_start_and_completion_with_the_declared_amount(
    own, calls: Calls, pump
):
    booking = calls.book(own)
    for action, body in (
        ("accept", {}),
        ("start", {"start_code": booking["start_code"]}),
        ("complete", {"amount_collected_paise": FEE + 5000}),
    ):
        calls.ok(PRO, "POST", f"/bookings/{booking['id']}/{action}", body)
    pump.drain()
    inbox = calls.inbox(CITIZEN)
    # Newest first; events of the same second may come in either order.
    assert sorted(kinds_in(inbox)) == ["booking_accepted", "booking_completed", "booking_started"]
    (completed,) = [entry for entry in inbox if entry["kind"] == "booking_completed"]
    assert "₹200" in completed["body"]  # what the professional declared
    assert "₹150" in completed["body"]  # against the fixed fee
    assert all(entry["booking_id"] == booking["id"] for entry in inbox)
    # Above the fee: the overcharge complaint opened at completion reaches the professional.
    assert "शिकायत" in sms_to(PRO_MOBILE)[-1].body


def test_a_cancellation_by_the_professional_reaches_the_citizen(own, calls: Calls, pump):
    booking = calls.book(own)
    calls.ok(PRO, "POST", f"/bookings/{booking['id']}/decline")
    pump.drain()
    assert kinds_in(calls.inbox(CITIZEN)) == ["booking_cancelled"]


def test_a_cancellation_by_the_citizen_reaches_the_professional_by_sms(own, calls: Calls, pump):
    booking = calls.book(own)
    calls.ok(PRO, "POST", f"/bookings/{booking['id']}/accept")
    calls.ok(CITIZEN, "POST", f"/bookings/{booking['id']}/cancel")
    pump.drain()
    assert "रद्द" in sms_to(PRO_MOBILE)[-1].body
    assert "booking_cancelled" in kinds_in(calls.inbox(PRO))
    assert "booking_cancelled" not in kinds_in(calls.inbox(CITIZEN))


def test_an_expired_booking_reaches_the_citizen(own, calls: Calls, pump):
    booking = calls.book(own)
    BookingModel(booking["id"]).update(actions=[BookingModel.expires_at.set(PAST)])
    assert local.lambdas.run_entry(BOOKING_EXPIRY.entry, {})["expired"] == 1
    pump.drain()
    assert kinds_in(calls.inbox(CITIZEN)) == ["booking_expired"]


# --- complaints -------------------------------------------------------------------------------------


def _completed(calls: Calls, professional_id: str, amount: int = FEE) -> str:
    booking = calls.book(professional_id)
    for action, body in (
        ("accept", {}),
        ("start", {"start_code": booking["start_code"]}),
        ("complete", {"amount_collected_paise": amount}),
    ):
        calls.ok(PRO, "POST", f"/bookings/{booking['id']}/{action}", body)
    return str(booking["id"])


def test_complaint_opened_tells_the_professional_what_is_alleged_and_the_deadline(own, calls: Calls, pump):
    booking_id = _completed(calls, own)
    opened = calls.ok(
        CITIZEN, "POST", "/complaints", {"booking_id": booking_id, "kind": "quality", "description": "x"}, 201
    )
    pump.drain()
    message = sms_to(PRO_MOBILE)[-1].body
    assert "काम की गुणवत्ता" in message
    deadline = re.search(r"(\d\d/\d\d \d\d:\d\d) तक", message)
    assert deadline, message
    due = notify.logic.messages.deadline(opened["respond_by"])  # the professional's window
    assert deadline.group(1) == due
    (entry,) = [e for e in calls.inbox(PRO) if e["kind"] == "complaint_opened"]
    assert entry["complaint_id"] == opened["id"]


def test_complaint_decided_reaches_both_sides(own, calls: Calls, pump):
    booking_id = _completed(calls, own)
    complaint = calls.ok(
        CITIZEN, "POST", "/complaints", {"booking_id": booking_id, "kind": "quality", "description": "x"}, 201
    )
    calls.ok(PRO, "POST", f"/complaints/{complaint['id']}/response", {"text": "It works."}, 201)
    calls.ok(
        OFFICER, "POST", f"/complaints/{complaint['id']}/resolve", {"decision": "dismissed", "remarks": "ok"}
    )
    pump.drain()
    (to_citizen,) = [e for e in calls.inbox(CITIZEN) if e["kind"] == "complaint_decided"]
    (to_pro,) = [e for e in calls.inbox(PRO) if e["kind"] == "complaint_decided"]
    assert "शिकायत खारिज" in to_citizen["body"]
    assert "शिकायत खारिज" in to_pro["body"]


def test_an_upheld_overcharge_bans_and_the_professional_is_told_by_sms(own, calls: Calls, pump):
    booking_id = _completed(calls, own, amount=FEE + 5000)
    (complaint_id,) = calls.ok(CITIZEN, "GET", f"/bookings/{booking_id}")["complaint_ids"]
    calls.ok(PRO, "POST", f"/complaints/{complaint_id}/response", {"text": "I took the fee."}, 201)
    calls.ok(
        OFFICER, "POST", f"/complaints/{complaint_id}/resolve", {"decision": "upheld", "remarks": "paid 200"}
    )
    # The ban needs a second officer (four eyes).
    calls.ok(SECOND_OFFICER, "POST", f"/complaints/{complaint_id}/confirm-ban", {"remarks": "paid 200"})
    pump.drain()
    assert "स्थायी प्रतिबंध" in sms_to(PRO_MOBILE)[-1].body
    assert {"banned", "complaint_decided", "complaint_opened"} <= set(kinds_in(calls.inbox(PRO)))


# --- kinds whose events come from the workflow or from later issues ---------------------------------


def _event(kind: Kind, **values: Any) -> DomainEvent:
    return DomainEvent(event_id=f"{kind.value}:test", kind=kind, at="2026-12-01T10:00:00Z", **values)


def test_verification_decided_reaches_the_professional_and_the_managing_account_by_sms(assisted):
    professional_id, manager = assisted
    event = domain_events.verification_decided(professional_id, "vrq_1", "verified", "2026-12-01T10:00:00Z")
    delivery = notify.logic.deliver(event)
    assert (delivery.sms, delivery.inbox) == (2, 1)
    assert "सत्यापित" in sms_to(ASSISTED_MOBILE)[0].body
    assert "Name pro_9" in LOCAL_OUTBOX.messages(MANAGER_PHONE)[0].body
    assert [e.kind for e in notifications.inbox_of(manager)] == ["verification_decided"]


@pytest.mark.parametrize("kind", [Kind.SUSPENDED, Kind.BAN_CONFIRMED, Kind.JOB_OFFER])
def test_the_professional_side_kinds_of_later_issues_are_routed_now(own, kind):
    event = _event(kind, professional_id=own, job_id="job_1", facts={"job_title": "Plaster 3 rooms"})
    delivery = notify.logic.deliver(event)
    assert (delivery.inbox, delivery.sms) == (1, 1)
    assert [e.kind for e in notifications.inbox_of("sub-pro_1")] == [kind.value]


def test_professional_available_reaches_the_citizen_who_set_the_alert(aws):
    event = _event(
        Kind.PROFESSIONAL_AVAILABLE, citizen_sub="citizen-1", facts={"service_id": "plumber_tap_leak_repair"}
    )
    assert notify.logic.deliver(event).inbox == 1
    (entry,) = notifications.inbox_of("citizen-1")
    assert get_service("plumber_tap_leak_repair").name.hi in entry.body


# --- once, and only what is theirs -------------------------------------------------------------------


def test_an_event_delivered_twice_sends_nothing_twice(own, calls: Calls, pump):
    captured: list[DomainEvent] = []
    put = bus.put_domain_events

    def capture(events):
        captured.extend(events)
        return put(events)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bus, "put_domain_events", capture)
        calls.book(own)
    pump.drain()
    (requested,) = captured
    bus.put_domain_events([requested])  # the outbox sweep or a retry publishes it again
    bus.put_domain_events([requested])
    pump.drain()
    assert notify.logic.deliver(requested).sms == 0
    assert len(sms_to(PRO_MOBILE)) == 1
    assert len(calls.inbox(PRO)) == 1


def test_no_event_and_no_message_carries_the_start_code_a_mobile_or_an_aadhaar(own, calls: Calls, pump):
    details: list[str] = []
    put = bus.put_domain_events

    def capture(events):
        details.extend(json.dumps(e.detail(), ensure_ascii=False) for e in events)
        return put(events)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bus, "put_domain_events", capture)
        booking = calls.book(own)
        for action, body in (("accept", {}), ("start", {"start_code": booking["start_code"]})):
            calls.ok(PRO, "POST", f"/bookings/{booking['id']}/{action}", body)
    pump.drain()
    code = booking["start_code"]
    texts = [*details, *(m.body for m in LOCAL_OUTBOX.messages())]
    texts += [e["body"] for who in (PRO, CITIZEN) for e in calls.inbox(who)]
    assert len(details) == 3
    # Searched outside ISO timestamps and the ids' 32 hex digits, which may hold any digits by
    # chance: the code 2026 is this year in every timestamp, and one id in eleven holds a run of
    # ten or more digits (a CI run met bkg_7033d4c71778436584d...).
    blanked = [re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?", "<at>", t) for t in texts]
    blanked = [re.sub(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", "<id>", t) for t in blanked]
    assert [t for t in blanked if re.search(rf"(?<![0-9A-Za-z]){code}(?![0-9A-Za-z])", t)] == []
    assert [t for t in blanked if re.search(r"(?<!\d)\d{10,12}(?!\d)", t)] == []  # no mobile, no Aadhaar


def test_push_goes_to_a_registered_device_once(own, calls: Calls, pump, monkeypatch: pytest.MonkeyPatch):
    sns = cached_client("sns", settings().aws_region)
    app = sns.create_platform_application(
        Name="seva-fcm", Platform="GCM", Attributes={"PlatformCredential": "key"}
    )["PlatformApplicationArn"]
    configured = NotifySettings(FCM_PLATFORM_APPLICATION_ARN=app)
    monkeypatch.setattr(notify.logic, "notify_settings", lambda: configured)
    assert calls.ok(PRO, "PUT", "/me/devices", {"platform": "fcm", "token": "tok-1"}, 201) == {
        "platform": "fcm",
        "push": True,
    }
    booking = calls.book(own)
    pump.drain()
    notify.logic.deliver(domain_events.booking_requested(_booking(booking["id"])))  # again: no push
    backend = sns_backends[DEFAULT_ACCOUNT_ID][settings().aws_region]
    (endpoint,) = backend.platform_endpoints.values()
    (pushed,) = endpoint.messages.values()
    assert json.loads(json.loads(pushed)["GCM"])["data"]["booking_id"] == booking["id"]


def _booking(booking_id: str) -> Any:
    from sevamitra.data import bookings

    return bookings.get_booking(booking_id)


def test_a_device_without_a_configured_platform_keeps_its_token_without_push(own, calls: Calls):
    assert calls.ok(PRO, "PUT", "/me/devices", {"platform": "apns", "token": "t"}, 201)["push"] is False


def test_message_bodies_are_never_logged(own, calls: Calls, pump):
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        calls.book(own)
        pump.drain()
        (message,) = sms_to(PRO_MOBILE)
        reply_outcome = local.lambdas.run_entry(INBOUND_SMS, sns_event(pii.e164(PRO_MOBILE), "kya hua?"))
    finally:
        handler.setStream(previous)
    assert reply_outcome["outcomes"] == ["not_understood"]
    logged = buffer.getvalue()
    assert "event delivered" in logged  # the delivery was logged...
    assert message.body not in logged  # ...without its text
    assert "नया काम" not in logged
    assert "kya hua" not in logged  # nor the text of an inbound SMS
    assert PRO_MOBILE not in logged
