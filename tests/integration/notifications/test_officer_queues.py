"""Officers of the district hear of their queues (issue 15), through one feed row per event:
a professional submitted for verification, a complaint opened, an upheld overcharge's ban waiting
for a second officer, a complaint escalated past ``due_by`` (the district's officers), an appeal
filed (the appellate authority). Nobody else sees a feed: not a citizen, not the professional,
not an officer of another district, not an officer whose account names no district. An officer's
inbox and feeds page as one list, newest first, nothing twice and nothing lost.

And issue 18's gaps: IGRS's word on an escalated complaint reaches both sides; a claim for
materials reaches the citizen (by SMS when a helpline caller); a booking that expired because the
work never started says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import notify.logic
from book import offers
from complaint import escalation
from complaint.igrs_callback import record_callback
from complaint.models import IgrsCallbackIn
from register import logic as register_logic
from sevamitra.data import igrs as igrs_repo
from sevamitra.data import notifications, outbox
from sevamitra.data.models import ComplaintModel, ProfessionalModel
from sevamitra.data.notifications import InboxEntry
from sevamitra.domain.documents import required_kinds
from sevamitra.domain.events import DomainEvent, Kind, verification_submitted
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import DependencyFailed
from sevamitra.platform import bus
from sevamitra.platform.sms import LOCAL_OUTBOX
from tests.integration.conftest import claims_for
from tests.integration.notifications.conftest import (
    CITIZEN,
    FEE,
    OFFICER,
    PRO,
    PRO_MOBILE,
    Calls,
    reachable_professional,
)
from tests.integration.notifications.test_delivery import SECOND_OFFICER, _completed, user_pool  # noqa: F401


def officer(sub: str, district: str | None, *groups: str) -> dict[str, Any]:
    claims = claims_for(sub, "officers", *groups)
    if district:
        claims["custom:district"] = district
    return claims


LUCKNOW = officer("officer-lko", "lucknow")
AGRA = officer("officer-agra", "agra")
APPELLATE = officer("officer-appeals", "agra", "appellate")
# OFFICER (officer-1) has no district: no queue of any district reaches them.


@pytest.fixture
def own(aws) -> str:
    return reachable_professional("pro_1", PRO_MOBILE)  # seeded in Lucknow


def kinds(calls: Calls, claims: dict[str, Any]) -> list[str]:
    return [entry["kind"] for entry in calls.inbox(claims)]


QUEUE_KINDS = {"verification_submitted", "ban_proposed", "complaint_escalated", "appeal_filed"}


def feed_rows(calls: Calls, claims: dict[str, Any]) -> list[dict[str, Any]]:
    """What of an inbox came from a queue feed (a queue kind, or the officers' complaint_opened)."""
    return [
        entry
        for entry in calls.inbox(claims)
        if entry["kind"] in QUEUE_KINDS
        or entry["title"] in ("ज़िले में नई शिकायत", "New complaint in your district")
    ]


def assert_nobody_else_sees_a_feed(calls: Calls) -> None:
    for outsider in (AGRA, OFFICER, CITIZEN, PRO):
        assert feed_rows(calls, outsider) == [], outsider["sub"]


# --- the queue kinds ------------------------------------------------------------------------------


def _pending_documents(pid: str) -> None:
    reachable_professional(pid, "9876500077")
    services = list(ProfessionalModel.get(pid).services)
    documents = {
        kind.value: {
            "document_id": f"doc_{kind.value}",
            "key": f"professionals/{pid}/{kind.value}/doc.pdf",
            "content_type": "application/pdf",
            "size_bytes": 1000,
            "requested_at": "2026-12-01T09:00:00Z",
        }
        for kind in required_kinds(services)
    }
    ProfessionalModel.get(pid).update(
        actions=[
            ProfessionalModel.status.set("pending_documents"),
            ProfessionalModel.documents.set(documents),
        ]
    )


def _submit(pid: str, start: Any = None) -> None:
    register_logic.submit_for_verification(
        Caller(f"sub-{pid}", frozenset()),  # the professional's own account
        pid,
        exists=lambda _key: True,
        start=start or (lambda _pid, _n: "arn:execution"),
        started=lambda _pid, _n: False,
    )


def test_a_submission_reaches_the_officers_of_the_professionals_district_in_their_language(
    aws, calls: Calls, pump
):
    _pending_documents("pro_1")
    calls.ok(LUCKNOW, "PUT", "/me/preferences", {"language": "en", "sms": True})
    lucknow_hindi = officer("officer-lko-2", "Lucknow")  # the district as a name: the same feed

    _submit("pro_1")
    pump.drain()

    (entry,) = feed_rows(calls, LUCKNOW)
    assert (entry["kind"], entry["professional_id"]) == ("verification_submitted", "pro_1")
    assert entry["title"] == "New verification request"
    assert "Name pro_1" in entry["body"]
    (hindi,) = feed_rows(calls, lucknow_hindi)
    assert hindi["id"] == entry["id"]  # one row for the district, read by each officer
    assert hindi["title"] == "सत्यापन के लिए नया आवेदन"
    assert_nobody_else_sees_a_feed(calls)
    assert LOCAL_OUTBOX.messages("+919876500077") == []  # inbox only: nothing by SMS


def test_the_submission_event_is_in_the_outbox_with_the_status_change(aws, monkeypatch):
    """Written in the submission's transaction: with the bus down it waits in the outbox for the
    sweep; a submission undone (the workflow could not start) takes its event with it."""
    _pending_documents("pro_1")

    def down(_events: Any) -> list[str]:
        raise DependencyFailed(message="bus down")

    monkeypatch.setattr(bus, "put_domain_events", down)
    _submit("pro_1")
    submission = int(ProfessionalModel.get("pro_1").verification["submissions"])
    event_id = verification_submitted("pro_1", submission, "lucknow", "x").event_id
    waiting = outbox.load(event_id)
    assert waiting is not None
    assert waiting.facts == {"district": "Lucknow"}

    _pending_documents("pro_2")

    def refused(_pid: str, _n: int) -> str:
        raise DependencyFailed(message="Step Functions down")

    with pytest.raises(DependencyFailed):
        _submit("pro_2", start=refused)
    assert ProfessionalModel.get("pro_2").status == "pending_documents"
    submission = int(ProfessionalModel.get("pro_2").verification["submissions"]) + 1  # the undone one
    assert outbox.load(verification_submitted("pro_2", submission, "x", "x").event_id) is None


def test_a_complaint_opened_reaches_the_district_officers_as_well_as_the_professional(
    own, calls: Calls, pump
):
    booking_id = _completed(calls, own)
    opened = calls.ok(
        CITIZEN, "POST", "/complaints", {"booking_id": booking_id, "kind": "quality", "description": "x"}, 201
    )
    pump.drain()
    (entry,) = feed_rows(calls, LUCKNOW)
    assert (entry["kind"], entry["complaint_id"]) == ("complaint_opened", opened["id"])
    assert "काम की गुणवत्ता" in entry["body"]
    assert "complaint_opened" in kinds(calls, PRO)  # the professional's own message still
    assert_nobody_else_sees_a_feed(calls)


def _upheld_overcharge(calls: Calls, professional_id: str) -> str:
    booking_id = _completed(calls, professional_id, amount=FEE + 5000)
    (complaint_id,) = calls.ok(CITIZEN, "GET", f"/bookings/{booking_id}")["complaint_ids"]
    calls.ok(PRO, "POST", f"/complaints/{complaint_id}/response", {"text": "I took the fee."}, 201)
    calls.ok(OFFICER, "POST", f"/complaints/{complaint_id}/resolve", {"decision": "upheld", "remarks": "200"})
    return str(complaint_id)


def test_an_upheld_overcharge_tells_the_district_a_ban_needs_a_second_officer(own, calls: Calls, pump):
    complaint_id = _upheld_overcharge(calls, own)
    pump.drain()
    (proposed,) = [e for e in feed_rows(calls, LUCKNOW) if e["kind"] == "ban_proposed"]
    assert proposed["complaint_id"] == complaint_id
    assert "दूसरे अधिकारी" in proposed["body"]
    assert_nobody_else_sees_a_feed(calls)


def test_an_appeal_reaches_the_appellate_feed_only(own, calls: Calls, pump):
    complaint_id = _upheld_overcharge(calls, own)
    calls.ok(SECOND_OFFICER, "POST", f"/complaints/{complaint_id}/confirm-ban", {"remarks": "200"})
    calls.ok(PRO, "POST", f"/complaints/{complaint_id}/appeal", {"text": "I returned the money."}, 201)
    pump.drain()
    (appeal,) = [e for e in calls.inbox(APPELLATE) if e["kind"] == "appeal_filed"]
    assert appeal["complaint_id"] == complaint_id
    assert "अपील" in appeal["body"]
    # The appellate officer is of Agra: Lucknow's queue is not theirs.
    assert [e for e in calls.inbox(APPELLATE) if e["kind"] != "appeal_filed"] == []
    for outsider in (LUCKNOW, AGRA, OFFICER, CITIZEN, PRO):
        assert "appeal_filed" not in kinds(calls, outsider), outsider["sub"]


def test_an_escalated_complaint_reaches_the_district_officers(own, calls: Calls, pump):
    booking_id = _completed(calls, own)
    opened = calls.ok(
        CITIZEN,
        "POST",
        "/complaints",
        {"booking_id": booking_id, "kind": "misconduct", "description": "x"},
        201,
    )
    past = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ComplaintModel.get(opened["id"]).update(actions=[ComplaintModel.due_by.set(past)])
    summary = escalation.run(emit=lambda *_args: "evt-1")
    assert summary.escalated == 1
    pump.drain()
    (escalated,) = [e for e in feed_rows(calls, LUCKNOW) if e["kind"] == "complaint_escalated"]
    assert escalated["complaint_id"] == opened["id"]
    assert "IGRS" in escalated["body"]
    assert_nobody_else_sees_a_feed(calls)


# --- one list, paged ------------------------------------------------------------------------------


def _entry(n: int, where: str) -> InboxEntry:
    at = f"2026-12-01T10:{n // 60:02d}:{n % 60:02d}Z"
    return InboxEntry(id=f"ntf_{where}_{n:03d}", kind="complaint_opened", at=at, title=where, body=f"{n}")


def test_an_officers_inbox_and_feeds_page_as_one_list_nothing_twice_nothing_lost(aws, calls: Calls):
    """Interleaved times, equal times across partitions, pages of every size."""
    for n in range(0, 30, 3):
        notifications.add_to_inbox("officer-appeals", _entry(n, "inbox"))
    for n in range(1, 30, 2):
        notifications.add_to_feed("district#agra", _entry(n, "agra"), "t", "b")
    for n in range(0, 30, 5):
        notifications.add_to_feed("appellate", _entry(n, "appeals"), "t", "b")  # same second as inbox rows
    notifications.add_to_feed("district#lucknow", _entry(40, "lucknow"), "t", "b")  # not theirs
    expected = 10 + 15 + 6
    for limit in (1, 3, 7, 31, 100):
        seen: list[dict[str, Any]] = []
        cursor = None
        for _ in range(100):
            query = f"/me/notifications?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
            body = calls.ok(APPELLATE, "GET", query)
            seen += body["notifications"]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        ids = [entry["id"] for entry in seen]
        assert len(ids) == len(set(ids)) == expected, limit
        assert "lucknow" not in {entry["title"] for entry in seen}
        keys = [(entry["at"], entry["id"]) for entry in seen]
        assert keys == sorted(keys, reverse=True), limit


def test_a_cursor_is_bound_to_the_officers_feeds(aws, calls: Calls):
    for n in range(3):
        notifications.add_to_feed("district#agra", _entry(n, "agra"), "t", "b")
    cursor = calls.ok(AGRA, "GET", "/me/notifications?limit=1")["next_cursor"]
    assert cursor
    # Another account, or the same account moved to another district by an administrator.
    for claims in (officer("officer-agra-2", "agra"), officer("officer-agra", "lucknow")):
        response = calls.call(claims, "GET", f"/me/notifications?limit=1&cursor={cursor}")
        assert (response.status, response.error_code) == (422, "invalid_cursor")


def test_a_citizens_inbox_pages_as_before(aws, calls: Calls):
    for n in range(3):
        notifications.add_to_inbox("citizen-1", _entry(n, "inbox"))
    first = calls.ok(CITIZEN, "GET", "/me/notifications?limit=2")
    second = calls.ok(CITIZEN, "GET", f"/me/notifications?limit=2&cursor={first['next_cursor']}")
    assert [e["body"] for e in first["notifications"] + second["notifications"]] == ["2", "1", "0"]
    assert second["next_cursor"] is None


# --- issue 18's gaps ------------------------------------------------------------------------------


def test_a_changed_igrs_status_reaches_both_sides_once(own, calls: Calls, pump):
    booking_id = _completed(calls, own)
    opened = calls.ok(
        CITIZEN, "POST", "/complaints", {"booking_id": booking_id, "kind": "quality", "description": "x"}, 201
    )
    past = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ComplaintModel.get(opened["id"]).update(actions=[ComplaintModel.due_by.set(past)])
    escalation.run(emit=lambda *_args: "evt-1")
    assert igrs_repo.record_reference(opened["id"], "UP-IGRS-77", past)
    calls.ok(CITIZEN, "PUT", "/me/preferences", {"language": "en", "sms": True})

    for _ in range(2):  # a repeated callback is no news
        record_callback(IgrsCallbackIn(igrs_reference="UP-IGRS-77", status="in_progress"))
    remarks = "Refund of Rs 50 made; call 9876543210 for details"
    record_callback(IgrsCallbackIn(igrs_reference="UP-IGRS-77", status="disposed", remarks=remarks))
    pump.drain()

    to_citizen = [e for e in calls.inbox(CITIZEN) if e["kind"] == "igrs_status"]
    said = {e["body"].split(": ")[1].split(".")[0]: e["body"] for e in to_citizen}
    assert len(to_citizen) == 2
    assert set(said) == {"disposed of", "in progress"}
    assert "Refund of Rs 50 made" in said["disposed of"]
    assert "9876543210" not in said["disposed of"]  # a number in IGRS's free text is masked
    to_pro = [e["body"] for e in calls.inbox(PRO) if e["kind"] == "igrs_status"]
    assert len(to_pro) == 2
    assert any("निस्तारित" in body for body in to_pro)


def test_a_materials_claim_reaches_the_citizen_to_approve(own, calls: Calls, pump):
    booking = calls.book(own)
    calls.ok(PRO, "POST", f"/bookings/{booking['id']}/accept")
    calls.ok(PRO, "POST", f"/bookings/{booking['id']}/start", {"start_code": booking["start_code"]})
    items = {
        "items": [
            {"description": "pipe", "amount_paise": 10000},
            {"description": "tape", "amount_paise": 2550},
        ]
    }
    claim = calls.ok(PRO, "POST", f"/bookings/{booking['id']}/expenses", items, 201)
    pump.drain()
    (entry,) = [e for e in calls.inbox(CITIZEN) if e["kind"] == "expense_claimed"]
    assert entry["booking_id"] == booking["id"]
    assert "₹125.50" in entry["body"]
    assert "आपत्ति" in entry["body"]
    assert claim["status"] == "pending_approval"
    assert "expense_claimed" not in kinds(calls, PRO)


def test_a_helpline_caller_hears_of_a_materials_claim_by_sms(own, user_pool, calls: Calls):  # noqa: F811
    """A caller booked through the helpline has no app: the claim comes by SMS, at the phone
    their account was made with (``user_pool``'s account, MANAGER_PHONE)."""
    event = DomainEvent(
        event_id="expense_claimed:bkg_9:exp_1",
        kind=Kind.EXPENSE_CLAIMED,
        at="2026-12-01T10:00:00Z",
        booking_id="bkg_9",
        professional_id=own,
        citizen_sub=user_pool,
        facts={"service_id": "plumber_tap_leak_repair", "expenses_paise": 12550, "by_helpline": True},
    )
    delivery = notify.logic.deliver(event)
    assert delivery.sms == 1
    (message,) = LOCAL_OUTBOX.messages("+919811100001")
    assert "₹125.50" in message.body
    assert "हेल्पलाइन" in message.body


@pytest.mark.parametrize(
    ("reason", "said", "not_said"),
    [
        ("not_started", "शुरू नहीं हुआ", "स्वीकार नहीं हुई"),
        ("not_accepted", "स्वीकार नहीं हुई", "शुरू नहीं हुआ"),
        (None, "स्वीकार नहीं हुई", "शुरू नहीं हुआ"),
    ],
)
def test_an_expiry_says_why_the_booking_expired(aws, calls: Calls, reason, said, not_said):
    facts: dict[str, Any] = {"service_id": "plumber_tap_leak_repair", "fee_paise": FEE}
    if reason:
        facts["reason"] = reason
    event = DomainEvent(
        event_id=f"booking_expired:bkg_{reason}",
        kind=Kind.BOOKING_EXPIRED,
        at="2026-12-01T10:00:00Z",
        booking_id=f"bkg_{reason}",
        citizen_sub="citizen-1",
        facts=facts,
    )
    notify.logic.deliver(event)
    (entry,) = calls.inbox(CITIZEN)
    assert said in entry["body"]
    assert not_said not in entry["body"]


def test_a_booking_accepted_and_never_started_expires_with_its_own_wording(own, calls: Calls, pump):
    """The real path: the not-started timer expires the booking with ``reason: not_started``,
    and the citizen is told the work never started (not that nobody accepted)."""
    booking = calls.book(own)
    accepted = calls.ok(PRO, "POST", f"/bookings/{booking['id']}/accept")
    accepted_at = datetime.fromisoformat(accepted["accepted_at"].replace("Z", "+00:00"))
    assert offers.run_due(accepted_at + timedelta(days=1)).not_started == 1
    pump.drain()
    (entry,) = [e for e in calls.inbox(CITIZEN) if e["kind"] == "booking_expired"]
    assert entry["booking_id"] == booking["id"]
    assert "शुरू नहीं हुआ" in entry["body"]
    assert "स्वीकार नहीं हुई" not in entry["body"]
