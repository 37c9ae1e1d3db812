"""Bookings: the booking lifecycle and ratings (the scheduled expiry is ``book.expiry``)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from book import logic
from book.models import (
    BookingCreatedOut,
    BookingIn,
    BookingOut,
    CompleteIn,
    RatingCreatedOut,
    RatingIn,
    StartIn,
)
from sevamitra.domain.types import EntityId
from sevamitra.edge import idempotency
from sevamitra.edge.api import make_resolver
from sevamitra.edge.auth import Caller, caller_from_event
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


@app.get("/bookings/<booking_id>")
def get_booking(booking_id: PathId) -> BookingOut:
    booking, attempts_left = logic.view_booking(_caller(), booking_id)
    return BookingOut.of(booking, attempts_left=attempts_left)


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


@app.post("/bookings/<booking_id>/decline")
def decline(booking_id: PathId) -> BookingOut:
    return BookingOut.of(logic.decline_booking(_caller(), booking_id))


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
