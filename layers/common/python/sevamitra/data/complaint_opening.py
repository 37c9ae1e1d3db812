"""The one path that opens a complaint about a booking, for every door a complaint comes in by:
``POST /complaints`` (functions/complaint) and an ONDC issue (functions/ondc). The same rules
(which kinds make sense in which booking status, an overcharge's amount above the fee), the same
clocks (``due_by`` from ``COMPLAINT_SLA_S``, ``respond_by`` from ``COMPLAINT_RESPONSE_S``), the
same transaction (``complaints.open_complaint``: the lock, one unresolved complaint per booking and
kind) and the same ``complaint_opened`` event, which the caller emits after the commit.

Who may complain (the booking's citizen) is the caller's check: a Cognito caller for the API, the
buyer app whose order it is for ONDC.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sevamitra.data import complaints as repo
from sevamitra.data import professionals as professionals_repo
from sevamitra.data.complaints import BookingFacts
from sevamitra.domain.complaints import Complaint, ComplaintKind, new_complaint
from sevamitra.domain.events import DomainEvent, complaint_opened
from sevamitra.edge.errors import Conflict, Unprocessable
from sevamitra.platform.settings import settings

# The booking statuses in which a complaint of each kind makes sense (docs/decisions.md).
ALLOWED_BOOKING_STATUSES: dict[ComplaintKind, frozenset[str]] = {
    ComplaintKind.OVERCHARGE: frozenset({"in_progress", "completed"}),
    # expired: only one accepted and never started (``reason: not_started``, checked below).
    ComplaintKind.NO_SHOW: frozenset({"accepted", "cancelled", "expired"}),
    ComplaintKind.MISCONDUCT: frozenset({"accepted", "in_progress", "completed", "cancelled"}),
    ComplaintKind.QUALITY: frozenset({"in_progress", "completed"}),
    ComplaintKind.OTHER: frozenset({"accepted", "in_progress", "completed", "cancelled"}),
}


class Opened(NamedTuple):
    complaint: Complaint
    events: list[DomainEvent]


def check_allowed(booking: BookingFacts, kind: ComplaintKind, amount_paid_paise: int | None) -> None:
    """409 ``complaint_not_allowed`` in a booking status where the kind makes no sense; 422 for an
    overcharge whose amount is not above the fee."""
    if booking.status not in ALLOWED_BOOKING_STATUSES[kind] or (
        booking.status == "expired" and booking.reason != "not_started"
    ):
        raise Conflict(
            "complaint_not_allowed", details=[{"booking_status": booking.status, "kind": kind.value}]
        )
    if kind is ComplaintKind.OVERCHARGE and (
        amount_paid_paise is None or amount_paid_paise <= booking.fee_paise
    ):
        raise Unprocessable(
            details=[
                {
                    "loc": ["body", "amount_paid_paise"],
                    "msg": "An overcharge complaint needs the amount paid, above the fee of "
                    f"{booking.fee_paise} paise.",
                }
            ]
        )


def open_about_booking(
    booking: BookingFacts,
    *,
    complainant_sub: str,
    kind: ComplaintKind,
    description: str,
    amount_paid_paise: int | None,
    now: datetime,
    complaint_id: str,
) -> Opened:
    """Check, build and commit the complaint (``check_allowed``, then 409 ``complaint_exists``
    when one of that kind is already unresolved for the booking); emit ``Opened.events`` after."""
    check_allowed(booking, kind, amount_paid_paise)
    professional = professionals_repo.get_professional(booking.professional_id)
    complaint = new_complaint(
        booking_id=booking.id,
        professional_id=booking.professional_id,
        complainant_sub=complainant_sub,
        kind=kind,
        description=description,
        fee_paise=booking.fee_paise,
        sla_s=settings().complaint_sla_s,
        now=now,
        amount_paid_paise=amount_paid_paise,
        district=professional.district if professional else None,
        complaint_id=complaint_id,
        registrar_sub=professional.registered_by if professional else None,
        agency_id=professional.agency_id if professional else None,
        respond_s=settings().complaint_response_s,
    )
    events = [complaint_opened(complaint)]
    repo.open_complaint(complaint, events)
    return Opened(complaint, events)
