"""Bookings: the booking lifecycle and ratings (the scheduled expiry is ``book.expiry``)."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from book import logic
from book.models import (
    BookingCreatedOut,
    BookingIn,
    BookingListOut,
    BookingOut,
    BookingSummaryOut,
    CitizenContactOut,
    CompleteIn,
    ProfessionalContactOut,
    RatingCreatedOut,
    RatingIn,
    StartIn,
)
from sevamitra.domain.types import EntityId
from sevamitra.edge import idempotency
from sevamitra.edge.api import make_resolver
from sevamitra.edge.auth import Caller, caller_from_event
from sevamitra.edge.paging import DEFAULT_LIMIT, PageCursor, PageLimit
from sevamitra.platform.observability import logger, metrics

app = make_resolver()

PathId = Annotated[EntityId, Path()]


def _caller() -> Caller:
    return caller_from_event(app.current_event.raw_event)


def _created(body: dict) -> Response:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=body)


@app.post(
    "/bookings",
    responses={
        201: {"description": "Created", "content": {"application/json": {"model": BookingCreatedOut}}}
    },
)
def create_booking(body: BookingIn) -> Response[BookingCreatedOut]:
    caller = _caller()
    key = idempotency.header_key(dict(app.current_event.headers or {}))
    scope = {"sub": caller.sub, "body": body.model_dump(mode="json")}

    def produce() -> dict:
        created = logic.create_booking(caller, body)
        return BookingCreatedOut.of(created.booking, created.start_code).model_dump(mode="json")

    return _created(idempotency.run_once(key, "create_booking", scope, produce))


@app.get("/bookings")
def list_bookings(
    role: Annotated[
        Literal["citizen", "professional"],
        Query(description="citizen: bookings you made; professional: of the professionals you act for"),
    ] = "citizen",
    status: Annotated[
        Literal["requested", "accepted", "in_progress", "completed", "cancelled", "expired"] | None, Query()
    ] = None,
    professional_id: Annotated[EntityId | None, Query(description="Only this professional's")] = None,
    limit: PageLimit = DEFAULT_LIMIT,
    cursor: PageCursor = None,
) -> BookingListOut:
    page = logic.list_bookings(
        _caller(), role=role, status=status, professional_id=professional_id, limit=limit, cursor=cursor
    )
    return BookingListOut(
        bookings=[BookingSummaryOut.of(b) for b in page.bookings], next_cursor=page.next_cursor
    )


@app.get("/bookings/<booking_id>")
def get_booking(booking_id: PathId) -> BookingOut:
    view = logic.view_booking(_caller(), booking_id)
    contact = view.professional
    return BookingOut.of(
        view.booking,
        attempts_left=view.attempts_left,
        address=view.address,
        professional=ProfessionalContactOut(name=contact.name, mobile=contact.mobile, rating=contact.rating)
        if contact
        else None,
        citizen=CitizenContactOut(mobile=view.citizen_mobile) if view.in_contact_as_professional else None,
    )


@app.post("/bookings/<booking_id>/accept")
def accept(booking_id: PathId) -> BookingOut:
    return BookingOut.of(logic.accept_booking(_caller(), booking_id))


@app.post("/bookings/<booking_id>/start")
def start(booking_id: PathId, body: StartIn) -> BookingOut:
    return BookingOut.of(logic.start_booking(_caller(), booking_id, body.start_code))


@app.post("/bookings/<booking_id>/complete")
def complete(booking_id: PathId, body: CompleteIn) -> BookingOut:
    return BookingOut.of(logic.complete_booking(_caller(), booking_id, body.amount_collected_paise))


@app.post("/bookings/<booking_id>/cancel")
def cancel(booking_id: PathId) -> BookingOut:
    return BookingOut.of(logic.cancel_booking(_caller(), booking_id))


@app.post(
    "/bookings/<booking_id>/rating",
    responses={201: {"description": "Created", "content": {"application/json": {"model": RatingCreatedOut}}}},
)
def rate(booking_id: PathId, body: RatingIn) -> Response[RatingCreatedOut]:
    booking, rating = logic.rate_booking(_caller(), booking_id, body.stars, body.comment)
    return _created(RatingCreatedOut.of(booking, rating).model_dump(mode="json"))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
