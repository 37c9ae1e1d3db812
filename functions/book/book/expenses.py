"""Expenses and the citizen's payment record (API.md, "Fair outcomes"; the rules are in
``sevamitra.domain.expenses``). Handlers and ``book.sms`` call one of these per request; the
writes are ``sevamitra.data.expenses``'s conditional writes and transactions. A lost write is
answered by reading again: the new state then decides (409 when the step no longer applies).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from book.logic import (
    CITIZEN,
    MAX_COMMITS,
    PROFESSIONAL,
    Actor,
    Sleep,
    _Context,
    _context,
    _gave_up,
    _invalid,
    _pause,
    _require,
)
from sevamitra.data import bookings as booking_repo
from sevamitra.data import complaints as complaint_repo
from sevamitra.data import downloads, snapshots, uploads
from sevamitra.data import expenses as repo
from sevamitra.data.bookings import Commit
from sevamitra.data.snapshots import ProfessionalSnapshot
from sevamitra.domain.bookings import Booking, BookingStatus
from sevamitra.domain.complaints import Complaint, ComplaintKind, OpenedBy, new_complaint
from sevamitra.domain.documents import DocumentContentType
from sevamitra.domain.events import complaint_opened, expense_claimed
from sevamitra.domain.expenses import (
    MAX_EXPENSES,
    MAX_RECEIPTS,
    ExpenseStatus,
    PaymentVia,
    allowed_paise,
    pending_ids,
    receipt_key,
    receipts_of,
)
from sevamitra.edge.errors import Conflict, NotFound
from sevamitra.platform import bus
from sevamitra.platform.clock import Clock, IdFactory, iso, new_id, utc_now
from sevamitra.platform.observability import logger
from sevamitra.platform.settings import settings


class CitizenReply(NamedTuple):
    """A reply SMS from the mobile a booking's citizen signed in with (``book.sms``): it speaks
    for that citizen, about the bookings made with that mobile, and for nothing else."""

    mobile: str  # as bookings hold it: 10 digits for an Indian number


Party = Actor | CitizenReply


def _ctx(caller: Party, booking_id: str) -> _Context:
    if not isinstance(caller, CitizenReply):
        return _context(caller, booking_id)
    booking = booking_repo.get_booking(booking_id)
    if booking is None:
        raise NotFound(message="No booking with that id.")
    roles = {CITIZEN} if booking.citizen_mobile and booking.citizen_mobile == caller.mobile else set()
    return _Context(booking, snapshots.professional(booking.professional_id), frozenset(roles))


def overcharge_complaint(
    booking: Booking,
    professional: ProfessionalSnapshot | None,
    description: str,
    moment: datetime,
    *,
    amount_paid_paise: int | None = None,
) -> Complaint:
    """An ``overcharge`` complaint the system opens for the booking's citizen, on both clocks."""
    config = settings()
    return new_complaint(
        booking_id=booking.id,
        professional_id=booking.professional_id,
        complainant_sub=booking.citizen_sub,
        kind=ComplaintKind.OVERCHARGE,
        description=description,
        fee_paise=booking.fee_paise,
        sla_s=config.complaint_sla_s,
        respond_s=config.complaint_response_s,
        now=moment,
        opened_by=OpenedBy.SYSTEM,
        amount_paid_paise=amount_paid_paise,
        district=professional.district if professional else None,
        registrar_sub=professional.registered_by if professional else None,
        agency_id=professional.agency_id if professional else None,
    )


# --- claims ---------------------------------------------------------------------------------------


class Claimed(NamedTuple):
    expense_id: str
    record: dict[str, Any]


def submit_expense(
    caller: Party,
    booking_id: str,
    items: list[dict[str, Any]],
    *,
    now: Clock = utc_now,
    ids: IdFactory = new_id,
) -> Claimed:
    """The assigned professional's claim for materials, while the work is in progress: 409
    ``invalid_transition`` otherwise, 409 ``too_many_expenses`` past ``MAX_EXPENSES``."""
    expense_id = ids("exp")
    for _ in range(MAX_COMMITS):
        ctx = _ctx(caller, booking_id)
        _require(ctx, PROFESSIONAL)
        booking = ctx.booking
        if booking.status is not BookingStatus.IN_PROGRESS:
            raise _invalid("Expenses are claimed while the work is in progress.")
        if len(booking.expenses or {}) >= MAX_EXPENSES:
            raise Conflict("too_many_expenses", details=[{"max_expenses": MAX_EXPENSES}])
        at = iso(now())
        total_paise = sum(int(item["amount_paise"]) for item in items)
        record = {
            "items": items,
            "total_paise": total_paise,
            "status": ExpenseStatus.PENDING_APPROVAL.value,
            "submitted_at": at,
        }
        # The citizen must approve or dispute it: they hear of it (a helpline caller by SMS).
        events = [expense_claimed(booking, expense_id, total_paise, at)]
        if repo.add_expense(booking.id, expense_id, record, at, MAX_EXPENSES, events):
            bus.emit(events)
            logger.info("expense claimed", extra={"booking_id": booking.id, "expense_id": expense_id})
            return Claimed(expense_id, record)
    raise _gave_up()


class Decided(NamedTuple):
    expense_id: str
    status: ExpenseStatus
    complaint_id: str | None


def decide_expense(
    caller: Party,
    booking_id: str,
    expense_id: str,
    status: ExpenseStatus,
    *,
    now: Clock = utc_now,
    sleep: Sleep = time.sleep,
) -> Decided:
    """The citizen approves or disputes a pending claim (404 unknown claim; 409
    ``already_decided``). A dispute is an overcharge (inflated expenses are overcharging): it
    opens an ``overcharge`` complaint in the same transaction, or joins the one already open."""
    for attempt in range(MAX_COMMITS):
        ctx = _ctx(caller, booking_id)
        _require(ctx, CITIZEN)
        booking = ctx.booking
        claim = (booking.expenses or {}).get(expense_id)
        if claim is None:
            raise NotFound(message="No expense with that id on this booking.")
        if claim.get("status") != ExpenseStatus.PENDING_APPROVAL:
            raise Conflict("already_decided", details=[{"status": claim.get("status")}])
        moment = now()
        at = iso(moment)
        complaint = None
        complaint_id = None
        if status is ExpenseStatus.DISPUTED:
            complaint_id = complaint_repo.holder_of_lock(booking.id, ComplaintKind.OVERCHARGE)
            if complaint_id is None:
                complaint = overcharge_complaint(
                    booking,
                    ctx.professional,
                    f"Expense {expense_id} disputed by the citizen: {claim.get('total_paise')} paise "
                    f"claimed for materials beyond the fixed fee of {booking.fee_paise} paise.",
                    moment,
                )
                complaint_id = complaint.id
        events = [complaint_opened(complaint)] if complaint is not None else []
        outcome = repo.decide_expense(
            booking, expense_id, status, at, complaint=complaint, complaint_id=complaint_id, events=events
        )
        if outcome is Commit.DONE:
            logger.info(
                "expense decided",
                extra={"booking_id": booking.id, "expense_id": expense_id, "status": status.value},
            )
            bus.emit(events)
            return Decided(expense_id, status, complaint_id)
        if outcome is Commit.CONFLICT:
            _pause(attempt, sleep)
    raise _gave_up()


# --- receipts ------------------------------------------------------------------------------------


class ReceiptUpload(NamedTuple):
    receipt_id: str
    key: str
    form: uploads.UploadForm


def request_receipt_upload(
    caller: Party,
    booking_id: str,
    expense_id: str,
    content_type: DocumentContentType,
    *,
    now: Clock = utc_now,
    ids: IdFactory = new_id,
    presign: Callable[..., uploads.UploadForm] = uploads.presign,
) -> ReceiptUpload:
    """A presigned POST (the documents' policy: exact key, type, SSE, 1 B..5 MiB) for a receipt
    of the claim, under ``receipts/<booking>/<expense>/``, for the assigned professional while
    the claim awaits the citizen's answer (404 unknown claim; 409 ``already_decided``; 409
    ``too_many_receipts`` past ``MAX_RECEIPTS``). The receipt is recorded on the claim, so the
    citizen sees it before answering and a complaint about the booking lists it."""
    receipt_id = ids("rcpt")
    key = receipt_key(booking_id, expense_id, receipt_id)
    for _ in range(MAX_COMMITS):
        ctx = _ctx(caller, booking_id)
        _require(ctx, PROFESSIONAL)
        claim = (ctx.booking.expenses or {}).get(expense_id)
        if claim is None:
            raise NotFound(message="No expense with that id on this booking.")
        if claim.get("status") != ExpenseStatus.PENDING_APPROVAL:
            raise Conflict("already_decided", details=[{"status": claim.get("status")}])
        if len(claim.get("receipts") or {}) >= MAX_RECEIPTS:
            raise Conflict("too_many_receipts", details=[{"max_receipts": MAX_RECEIPTS}])
        moment = now()
        form = presign(key, content_type.value, now=moment)
        place = len(claim.get("receipts") or {})
        record = {"key": key, "content_type": content_type.value, "requested_at": iso(moment), "place": place}
        if repo.add_receipt(booking_id, expense_id, receipt_id, record, iso(moment), place):
            logger.info(
                "receipt upload requested",
                extra={"booking_id": booking_id, "expense_id": expense_id, "receipt_id": receipt_id},
            )
            return ReceiptUpload(receipt_id, key, form)
    raise _gave_up()


def receipt_links(booking: Booking, *, now: Clock = utc_now) -> dict[str, downloads.Download]:
    """Download links (by receipt id) for the receipts really uploaded to the booking's claims,
    for a viewer ``view_booking`` allows them (``BookingView.sees_receipt_files``)."""
    items = [
        downloads.Stored(str(receipt["receipt_id"]), str(receipt["key"]), str(receipt["content_type"]))
        for receipt in receipts_of(booking.expenses)
    ]
    return downloads.links(items, now=now()) if items else {}


# --- the citizen's payment record ----------------------------------------------------------------


class Paid(NamedTuple):
    booking_id: str
    amount_paid_paise: int
    allowed_paise: int
    at: str
    via: PaymentVia
    complaint_id: str | None


def record_payment(
    caller: Party,
    booking_id: str,
    amount_paid_paise: int,
    *,
    via: PaymentVia = PaymentVia.API,
    now: Clock = utc_now,
    sleep: Sleep = time.sleep,
) -> Paid:
    """What the booking's citizen says they paid, once, after completion (409
    ``invalid_transition`` before; 409 ``payment_already_recorded`` the second time). Above the
    fee plus the approved expenses, an ``overcharge`` complaint opens in the same transaction,
    whatever the professional declared (or the one already open is named)."""
    for attempt in range(MAX_COMMITS):
        ctx = _ctx(caller, booking_id)
        _require(ctx, CITIZEN)
        booking = ctx.booking
        if booking.status is not BookingStatus.COMPLETED:
            raise _invalid("What was paid is recorded once the work is completed.")
        if booking.payment is not None:
            raise Conflict("payment_already_recorded", details=[{"at": booking.payment.get("at")}])
        moment = now()
        at = iso(moment)
        allowed = allowed_paise(booking.fee_paise, booking.expenses)
        complaint = None
        complaint_id = None
        if amount_paid_paise > allowed:
            complaint_id = complaint_repo.holder_of_lock(booking.id, ComplaintKind.OVERCHARGE)
            if complaint_id is None:
                complaint = overcharge_complaint(
                    booking,
                    ctx.professional,
                    f"The citizen's payment record: {amount_paid_paise} paise paid against "
                    f"{allowed} paise allowed (the fixed fee of {booking.fee_paise} paise and the "
                    "approved expenses).",
                    moment,
                    amount_paid_paise=amount_paid_paise,
                )
                complaint_id = complaint.id
        payment: dict[str, Any] = {"amount_paid_paise": amount_paid_paise, "at": at, "via": via.value}
        if complaint_id is not None:
            payment["complaint_id"] = complaint_id
        events = [complaint_opened(complaint)] if complaint is not None else []
        outcome = repo.record_payment(
            booking, payment, at, pending=pending_ids(booking.expenses), complaint=complaint, events=events
        )
        if outcome is Commit.DONE:
            logger.info(
                "payment recorded",
                extra={"booking_id": booking.id, "via": via.value, "overcharge": complaint_id is not None},
            )
            bus.emit(events)
            return Paid(booking.id, amount_paid_paise, allowed, at, via, complaint_id)
        if outcome is Commit.CONFLICT:
            _pause(attempt, sleep)
    raise _gave_up()
