"""The scheduled expiry (EventBridge, every minute): bookings not accepted in time become
``expired`` and their professionals are free again. Safe to run twice or concurrently."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from book import logic
from sevamitra.platform.clock import utc_now
from sevamitra.platform.observability import logger, metrics


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    sweep = logic.expire_due(utc_now())
    metrics.add_metric(name="BookingsExpired", unit=MetricUnit.Count, value=sweep.expired)
    logger.info("expiry sweep", extra={"expired": sweep.expired, "skipped": sweep.skipped})
    return {"expired": sweep.expired, "skipped": sweep.skipped}
