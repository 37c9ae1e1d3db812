"""The scheduled outbox sweep: domain events whose publisher could not put them on the bus after
its commit (they are still in the outbox, older than ``OUTBOX_GRACE_S``) are published now.
Idempotent and safe to run concurrently: consumers de-duplicate by event id."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from notify.settings import notify_settings
from sevamitra.data import outbox
from sevamitra.platform import bus
from sevamitra.platform.clock import iso, utc_now
from sevamitra.platform.observability import logger, metrics


def republish() -> dict[str, int]:
    moment = iso(utc_now() - timedelta(seconds=notify_settings().outbox_grace_s))
    events = [event for event in map(outbox.load, outbox.older_than(moment)) if event is not None]
    published = bus.emit(events)
    return {"found": len(events), "published": len(published)}


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    result = republish()
    metrics.add_metric(name="OutboxRepublished", unit=MetricUnit.Count, value=result["published"])
    if result["found"]:
        logger.warning("outbox events republished", extra=result)
    if result["published"] < result["found"]:
        raise RuntimeError("outbox events could not be published; the next sweep retries")
    return result
