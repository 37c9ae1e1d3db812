"""Notifications: the caller's inbox, preferences and devices (the events arrive at
``notify.events``; the outbox sweep is ``notify.outbox``)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from notify import logic
from notify.models import (
    Cursor,
    DeviceIn,
    DeviceOut,
    NotificationOut,
    NotificationsOut,
    PreferencesIn,
    PreferencesOut,
)
from sevamitra.edge.api import make_resolver
from sevamitra.edge.auth import Caller, caller_from_event
from sevamitra.platform.observability import logger, metrics

app = make_resolver()


def _caller() -> Caller:
    return caller_from_event(app.current_event.raw_event)


def _created(body: dict) -> Response:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=body)


@app.get("/me/notifications")
def my_notifications(
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[Cursor | None, Query()] = None,
) -> NotificationsOut:
    entries, next_cursor = logic.my_notifications(_caller(), limit, cursor)
    return NotificationsOut(notifications=[NotificationOut.of(e) for e in entries], next_cursor=next_cursor)


@app.put("/me/preferences")
def put_preferences(body: PreferencesIn) -> PreferencesOut:
    preferences = logic.set_preferences(_caller(), body.language.value, body.sms)
    return PreferencesOut.model_validate({"language": preferences.language, "sms": preferences.sms})


@app.put(
    "/me/devices",
    responses={201: {"description": "Created", "content": {"application/json": {"model": DeviceOut}}}},
)
def put_device(body: DeviceIn) -> Response[DeviceOut]:
    reached = logic.register_device(_caller(), body.platform.value, body.token)
    return _created(DeviceOut(platform=body.platform, push=reached).model_dump(mode="json"))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
