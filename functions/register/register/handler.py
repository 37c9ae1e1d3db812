"""Accounts, agencies and professionals: sign-up, documents, submission, profile, availability."""

from __future__ import annotations

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from register import availability
from register.models import MeOut
from sevamitra.api import make_resolver
from sevamitra.auth import caller_from_event
from sevamitra.data import accounts
from sevamitra.observability import logger, metrics, tracer

app = make_resolver()


@app.get("/me")
def me() -> MeOut:
    caller = caller_from_event(app.current_event.raw_event)
    return MeOut(
        sub=caller.sub,
        roles=caller.roles,
        professional_id=accounts.professional_id_of(caller.sub),
        agency_id=accounts.agency_id_of(caller.sub),
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)


@app.put("/professionals/<id>/availability")
def put_availability(id: str, body: availability.AvailabilityIn) -> availability.AvailabilityOut:
    caller = caller_from_event(app.current_event.raw_event)
    return availability.set_availability(id, caller, body)
