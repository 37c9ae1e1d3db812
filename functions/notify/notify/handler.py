"""Notifications: the caller's inbox, preferences and devices (the events arrive at
``notify.events``; the outbox sweep is ``notify.outbox``)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from notify import logic
from notify.models import (
    DeviceIn,
    DeviceOut,
    NotificationsOut,
    PreferencesIn,
    PreferencesOut,
)
from sevamitra.edge.api import make_resolver
from sevamitra.edge.handlers import CallerDep, created, created_as
from sevamitra.edge.paging import DEFAULT_LIMIT, PageCursor, PageLimit
from sevamitra.platform.observability import logger, metrics

app = make_resolver()


@app.get("/me/notifications")
def my_notifications(
    caller: CallerDep, limit: PageLimit = DEFAULT_LIMIT, cursor: PageCursor = None
) -> NotificationsOut:
    return NotificationsOut.of(*logic.my_notifications(caller, limit, cursor))


@app.put("/me/preferences")
def put_preferences(body: PreferencesIn, caller: CallerDep) -> PreferencesOut:
    return PreferencesOut.of(logic.set_preferences(caller, body.language.value, body.sms))


@app.put("/me/devices", responses=created_as(DeviceOut))
def put_device(body: DeviceIn, caller: CallerDep) -> Response[DeviceOut]:
    return created(
        DeviceOut(platform=body.platform, push=logic.register_device(caller, body.platform.value, body.token))
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
