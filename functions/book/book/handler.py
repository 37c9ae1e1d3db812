"""Bookings: the booking lifecycle and ratings (the scheduled expiry is ``book.expiry``)."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from book import expenses, logic
from book.models import (
    BookingCreatedOut,
    BookingIn,
    BookingListOut,
    BookingOut,
    BookingSummaryOut,
    CitizenContactOut,
    CompleteIn,
    ExpenseCreatedOut,
    ExpenseDecisionOut,
    ExpenseIn,
    PaymentIn,
    PaymentOut,
    ProfessionalContactOut,
    RatingCreatedOut,
    RatingIn,
    ReceiptIn,
    ReceiptUploadOut,
    StartIn,
)
from sevamitra.domain.expenses import ExpenseStatus
from sevamitra.domain.types import EntityId
from sevamitra.edge.api import make_resolver
from sevamitra.edge.handlers import CallerDep, IdempotencyKey, PathId, created, created_as, idempotent_created
from sevamitra.edge.idempotency import Withhold
from sevamitra.edge.paging import DEFAULT_LIMIT, PageCursor, PageLimit
from sevamitra.platform.observability import logger, metrics

app = make_resolver()


@app.post("/bookings", responses=created_as(BookingCreatedOut))
def create_booking(body: BookingIn, caller: CallerDep, key: IdempotencyKey) -> Response[BookingCreatedOut]:
    # The start code is not stored with the answer; a replay reads it back from the booking.
    withhold = Withhold.secrets_of(
        BookingCreatedOut, lambda stored: {"start_code": logic.created_start_code(caller, stored["id"])}
    )
    return idempotent_created(
        key,
        "create_booking",
        caller,
        body,
        lambda: BookingCreatedOut.of(*logic.create_booking(caller, body)),
        withhold=withhold,
    )


@app.get("/bookings")
def list_bookings(
    caller: CallerDep,
    role: Annotated[
        Literal["citizen", "professional", "helpline"],
        Query(
            description="citizen: bookings you made; professional: of the professionals you act for; "
            "helpline: the bookings you made for callers (helpline staff)"
        ),
    ] = "citizen",
    status: Annotated[
        Literal["requested", "accepted", "in_progress", "completed", "cancelled", "expired"] | None, Query()
    ] = None,
    professional_id: Annotated[EntityId | None, Query(description="Only this professional's")] = None,
    limit: PageLimit = DEFAULT_LIMIT,
    cursor: PageCursor = None,
) -> BookingListOut:
    page = logic.list_bookings(
        caller, role=role, status=status, professional_id=professional_id, limit=limit, cursor=cursor
    )
    return BookingListOut(
        bookings=[BookingSummaryOut.of(b) for b in page.bookings], next_cursor=page.next_cursor
    )


@app.get("/bookings/<booking_id>")
def get_booking(booking_id: PathId, caller: CallerDep) -> BookingOut:
    view = logic.view_booking(caller, booking_id)
    contact = view.professional
    return BookingOut.of(
        view.booking,
        receipt_links=expenses.receipt_links(view.booking) if view.sees_receipt_files else None,
        attempts_left=view.attempts_left,
        start_code=view.start_code,
        address=view.address,
        professional=ProfessionalContactOut(name=contact.name, mobile=contact.mobile, rating=contact.rating)
        if contact
        else None,
        citizen=CitizenContactOut(mobile=view.citizen_mobile) if view.in_contact_as_professional else None,
    )


@app.post("/bookings/<booking_id>/accept")
def accept(booking_id: PathId, caller: CallerDep) -> BookingOut:
    return BookingOut.of(logic.accept_booking(caller, booking_id))


@app.post("/bookings/<booking_id>/start")
def start(booking_id: PathId, body: StartIn, caller: CallerDep) -> BookingOut:
    return BookingOut.of(logic.start_booking(caller, booking_id, body.start_code))


@app.post("/bookings/<booking_id>/complete")
def complete(booking_id: PathId, body: CompleteIn, caller: CallerDep) -> BookingOut:
    return BookingOut.of(logic.complete_booking(caller, booking_id, body.amount_collected_paise))


@app.post("/bookings/<booking_id>/cancel")
def cancel(booking_id: PathId, caller: CallerDep) -> BookingOut:
    return BookingOut.of(logic.cancel_booking(caller, booking_id))


@app.post("/bookings/<booking_id>/decline")
def decline(booking_id: PathId, caller: CallerDep) -> BookingOut:
    return BookingOut.of(logic.decline_booking(caller, booking_id))


@app.post("/bookings/<booking_id>/rating", responses=created_as(RatingCreatedOut))
def rate(booking_id: PathId, body: RatingIn, caller: CallerDep) -> Response[RatingCreatedOut]:
    return created(RatingCreatedOut.of(*logic.rate_booking(caller, booking_id, body.stars, body.comment)))


@app.post("/bookings/<booking_id>/expenses", responses=created_as(ExpenseCreatedOut))
def submit_expense(booking_id: PathId, body: ExpenseIn, caller: CallerDep) -> Response[ExpenseCreatedOut]:
    items = [item.model_dump() for item in body.items]
    claimed = expenses.submit_expense(caller, booking_id, items)
    return created(
        ExpenseCreatedOut.model_validate(
            {**claimed.record, "id": claimed.expense_id, "booking_id": booking_id}
        )
    )


@app.post("/bookings/<booking_id>/expenses/<expense_id>/approve")
def approve_expense(booking_id: PathId, expense_id: PathId, caller: CallerDep) -> ExpenseDecisionOut:
    decided = expenses.decide_expense(caller, booking_id, expense_id, ExpenseStatus.APPROVED)
    return ExpenseDecisionOut(id=expense_id, booking_id=booking_id, status=decided.status)


@app.post("/bookings/<booking_id>/expenses/<expense_id>/dispute")
def dispute_expense(booking_id: PathId, expense_id: PathId, caller: CallerDep) -> ExpenseDecisionOut:
    decided = expenses.decide_expense(caller, booking_id, expense_id, ExpenseStatus.DISPUTED)
    return ExpenseDecisionOut(
        id=expense_id, booking_id=booking_id, status=decided.status, complaint_id=decided.complaint_id
    )


@app.post("/bookings/<booking_id>/payment", responses=created_as(PaymentOut))
def record_payment(booking_id: PathId, body: PaymentIn, caller: CallerDep) -> Response[PaymentOut]:
    paid = expenses.record_payment(caller, booking_id, body.amount_paid_paise)
    return created(PaymentOut.model_validate(paid._asdict()))


@app.post("/bookings/<booking_id>/expenses/<expense_id>/receipts", responses=created_as(ReceiptUploadOut))
def request_receipt_upload(
    booking_id: PathId, expense_id: PathId, body: ReceiptIn, caller: CallerDep
) -> Response[ReceiptUploadOut]:
    upload = expenses.request_receipt_upload(caller, booking_id, expense_id, body.content_type)
    return created(ReceiptUploadOut.of(upload))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
