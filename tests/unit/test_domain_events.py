"""Domain events: one fixed name per kind, a deterministic id per transition (a re-published
event is recognisably the same), and only ids and a few facts: never a start code or a number."""

from __future__ import annotations

import json

from sevamitra.domain.bookings import Booking, BookingStatus, Engagement
from sevamitra.domain.complaints import ComplaintKind, new_complaint
from sevamitra.domain.events import (
    Kind,
    booking_event,
    booking_requested,
    complaint_opened,
    verification_decided,
)
from sevamitra.platform.clock import parse_iso

API_MD_KINDS = {
    "booking_requested", "booking_accepted", "booking_expired", "booking_cancelled", "booking_started",
    "booking_completed", "complaint_opened", "complaint_decided", "verification_decided", "suspended",
    "banned", "ban_confirmed", "professional_available", "job_offer",
}  # fmt: skip
# Beyond the contract's names: how a job post goes, for its employer and worker (jobs function).
JOB_PROGRESS_KINDS = {
    "job_application", "job_offer_accepted", "job_offer_declined", "job_offer_lapsed", "job_filled",
    "attendance_disputed", "engagement_ended",
}  # fmt: skip
# Beyond the contract's names: a scheduled booking's reminder to both sides (book function).
BOOKING_PROGRESS_KINDS = {"booking_reminder"}
# Beyond the contract's names: the officers' queues (issue 15: to the district's or the appellate
# feed) and issue 18's gaps (IGRS's word to both sides; a materials claim to the citizen).
QUEUE_KINDS = {"verification_submitted", "ban_proposed", "complaint_escalated", "appeal_filed"}
FAIR_OUTCOME_KINDS = {"igrs_status", "expense_claimed"}


def _booking(**changes) -> Booking:
    values = {
        "id": "bkg_1",
        "status": BookingStatus.REQUESTED,
        "citizen_sub": "citizen-1",
        "professional_id": "pro_1",
        "service_id": "electrician_fan_installation",
        "fee_paise": 15000,
        "duration_minutes": 45,
        "lat": 26.8,
        "lng": 80.9,
        "engagement": Engagement(unit_fee_paise=15000, unit_duration_minutes=45),
        "start_code_hash": "h" * 64,
        "expires_at": "2026-12-01T10:30:00Z",
        "created_at": "2026-12-01T10:00:00Z",
        "updated_at": "2026-12-01T10:00:00Z",
    }
    return Booking.model_validate({**values, **changes})


def test_the_kinds_are_the_contract_names():
    assert {kind.value for kind in Kind} == (
        API_MD_KINDS | JOB_PROGRESS_KINDS | BOOKING_PROGRESS_KINDS | QUEUE_KINDS | FAIR_OUTCOME_KINDS
    )


def test_the_same_transition_always_has_the_same_id():
    assert booking_requested(_booking()).event_id == booking_requested(_booking()).event_id
    assert booking_requested(_booking()).event_id == "booking_requested:bkg_1:pro_1"
    # Re-offered to another professional: another request, another id.
    assert (
        booking_requested(_booking(professional_id="pro_2")).event_id
        != booking_requested(_booking()).event_id
    )
    accepted = booking_event(Kind.BOOKING_ACCEPTED, _booking(), "2026-12-01T10:05:00Z")
    assert accepted.event_id == "booking_accepted:bkg_1"
    assert (
        verification_decided("pro_1", "vrq_1", "verified", "t").event_id == "verification_decided:pro_1:vrq_1"
    )


def test_events_carry_ids_and_facts_never_the_start_code():
    detail = json.dumps(booking_requested(_booking()).detail())
    assert "h" * 64 not in detail
    assert "start_code" not in detail
    assert json.loads(detail)["facts"] == {
        "service_id": "electrician_fan_installation",
        "fee_paise": 15000,
        "expires_at": "2026-12-01T10:30:00Z",
    }


def test_complaint_opened_names_what_is_alleged_and_the_deadline():
    complaint = new_complaint(
        booking_id="bkg_1", professional_id="pro_1", complainant_sub="citizen-1", kind=ComplaintKind.QUALITY,
        description="The fan wobbles, call me on 9812345678", fee_paise=15000, sla_s=3600,
        now=parse_iso("2026-12-01T10:00:00Z"),
    )  # fmt: skip
    event = complaint_opened(complaint)
    assert event.facts["complaint_kind"] == "quality"
    assert event.facts["respond_by"] == "2026-12-01T11:00:00Z"
    assert "9812345678" not in json.dumps(event.detail())  # the description stays with the complaint


def test_complaint_opened_names_the_response_window_capped_at_the_sla():
    def opened(respond_s: int) -> str:
        complaint = new_complaint(
            booking_id="bkg_1", professional_id="pro_1", complainant_sub="citizen-1",
            kind=ComplaintKind.QUALITY, description="Loose", fee_paise=15000, sla_s=3600,
            now=parse_iso("2026-12-01T10:00:00Z"), respond_s=respond_s,
        )  # fmt: skip
        assert complaint.due_by == "2026-12-01T11:00:00Z"
        assert complaint_opened(complaint).facts["respond_by"] == complaint.respond_by
        return str(complaint.respond_by)

    assert opened(600) == "2026-12-01T10:10:00Z"
    assert opened(7200) == "2026-12-01T11:00:00Z"  # never beyond due_by
