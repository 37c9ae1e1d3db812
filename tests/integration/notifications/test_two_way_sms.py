"""Two-way SMS in process: the booking_requested SMS names a reference and the replies; a reply
from the professional's registered mobile accepts or declines through the book function's own
transitions; anything else changes nothing and gets one "not understood" reply per window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import local.lambdas
from book import sms
from local.events import EventPump
from local.sms import sns_event
from sevamitra.data.models import BookingModel
from sevamitra.edge import pii
from sevamitra.edge.routes import INBOUND_SMS
from sevamitra.platform.sms import LOCAL_OUTBOX
from tests.integration.notifications.conftest import (
    CITIZEN,
    PRO,
    PRO_MOBILE,
    Calls,
    reachable_professional,
    reference_in,
    sms_to,
)

OTHER_MOBILE = "9123400009"


def reply(sender: str, text: str) -> list[str]:
    return list(local.lambdas.run_entry(INBOUND_SMS, sns_event(pii.e164(sender), text))["outcomes"])


@pytest.fixture
def requested(calls: Calls, pump: EventPump) -> tuple[str, str]:
    """A booking of pro_1 (registered mobile PRO_MOBILE), its SMS delivered: (booking id, ref)."""
    reachable_professional("pro_1", PRO_MOBILE)
    booking = calls.book("pro_1")
    pump.drain()
    (message,) = sms_to(PRO_MOBILE)
    return booking["id"], reference_in(message.body)


def test_the_request_sms_names_the_reference_and_spells_out_both_replies(requested):
    _, ref = requested
    (message,) = sms_to(PRO_MOBILE)
    assert f"HAAN {ref}" in message.body
    assert f"NA {ref}" in message.body
    assert "नया काम" in message.body  # Hindi unless the professional chose English


def test_haan_from_the_registered_mobile_accepts_the_booking_without_a_reply_sms(
    requested, calls: Calls, pump: EventPump
):
    booking_id, ref = requested
    assert reply(PRO_MOBILE, f"HAAN {ref}") == ["accepted"]
    booking = calls.ok(CITIZEN, "GET", f"/bookings/{booking_id}")
    assert (booking["status"], booking["professional_id"]) == ("accepted", "pro_1")
    pump.drain()
    # The citizen is told as for an accept in the app; the professional gets no SMS back (he knows
    # what he sent), so a booking where both sides reply by SMS stays at 3.
    kinds = [n["kind"] for n in calls.ok(CITIZEN, "GET", "/me/notifications")["notifications"]]
    assert "booking_accepted" in kinds
    assert len(sms_to(PRO_MOBILE)) == 1  # the request only


def test_a_refused_haan_still_gets_its_answer(requested, calls: Calls):
    booking_id, ref = requested
    calls.ok(PRO, "POST", f"/bookings/{booking_id}/decline")  # no longer his to take
    before = len(sms_to(PRO_MOBILE))
    assert reply(PRO_MOBILE, f"HAAN {ref}") == ["not_understood"]
    (answer,) = sms_to(PRO_MOBILE)[before:]
    assert "HAAN" in answer.body  # how to reply, since this one did nothing


def test_na_is_confirmed_by_sms(requested):
    _, ref = requested
    assert reply(PRO_MOBILE, f"NA {ref}") == ["declined"]
    assert ref in sms_to(PRO_MOBILE)[-1].body


def test_na_from_the_registered_mobile_declines_and_frees_the_professional(requested, calls: Calls):
    booking_id, ref = requested
    assert reply(PRO_MOBILE, f"na  {ref.lower()}") == ["declined"]
    booking = calls.ok(CITIZEN, "GET", f"/bookings/{booking_id}")
    assert (booking["status"], booking["cancelled_by"]) == ("cancelled", "professional")
    assert calls.book("pro_1")["status"] == "requested"  # free again


def test_a_reply_from_another_number_changes_nothing(requested, calls: Calls):
    booking_id, ref = requested
    assert reply(OTHER_MOBILE, f"HAAN {ref}") == ["not_understood"]
    assert calls.ok(CITIZEN, "GET", f"/bookings/{booking_id}")["status"] == "requested"
    (answer,) = sms_to(OTHER_MOBILE)
    assert "HAAN" in answer.body


def test_an_unknown_reference_changes_nothing(requested, calls: Calls):
    booking_id, _ = requested
    assert reply(PRO_MOBILE, "HAAN XXXXX") == ["not_understood"]
    assert calls.ok(CITIZEN, "GET", f"/bookings/{booking_id}")["status"] == "requested"


def test_a_stale_reference_changes_nothing(requested, calls: Calls):
    booking_id, ref = requested
    BookingModel(booking_id).update(actions=[BookingModel.expires_at.set("2020-01-01T00:00:00Z")])
    assert reply(PRO_MOBILE, f"HAAN {ref}") == ["not_understood"]
    assert calls.ok(CITIZEN, "GET", f"/bookings/{booking_id}")["status"] == "requested"


def test_garbage_gets_one_reply_per_window_so_robots_cannot_loop(requested):
    assert reply(OTHER_MOBILE, "hello?") == ["not_understood"]
    assert reply(OTHER_MOBILE, "STOP") == ["ignored"]
    assert reply(OTHER_MOBILE, "HAAN") == ["ignored"]
    assert len(sms_to(OTHER_MOBILE)) == 1


def test_the_window_reopens_after_ten_minutes(aws):
    later = datetime.now(UTC) + timedelta(seconds=sms.NOT_UNDERSTOOD_WINDOW_S + 1)
    assert sms.handle(sms.Inbound(pii.e164(OTHER_MOBILE), "?")) == "not_understood"
    assert sms.handle(sms.Inbound(pii.e164(OTHER_MOBILE), "?")) == "ignored"
    assert sms.handle(sms.Inbound(pii.e164(OTHER_MOBILE), "?"), now=lambda: later) == "not_understood"
    assert len(LOCAL_OUTBOX.messages(pii.e164(OTHER_MOBILE))) == 2


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("HAAN ACD34", ("HAAN", "ACD34")),
        ("  haan acd34 ", ("HAAN", "ACD34")),
        ("NA: ACD34.", ("NA", "ACD34")),
        ("HAAN", None),
        ("YES ACD34", None),
        ("HAAN ACD34 please", None),
        ("", None),
    ],
)
def test_only_the_two_reply_shapes_are_understood(text, parsed):
    assert sms.parse(text) == parsed


def test_the_professional_own_account_may_not_accept_a_second_time_by_sms(requested, calls: Calls):
    booking_id, ref = requested
    calls.ok(PRO, "POST", f"/bookings/{booking_id}/accept")
    assert reply(PRO_MOBILE, f"HAAN {ref}") == ["not_understood"]
