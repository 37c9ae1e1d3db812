"""The scheduled expiry (EventBridge, every minute): bookings not accepted in time become
``expired`` and their professionals are free again; then the booking timers (``book.offers``):
offers not accepted within OFFER_TIMEOUT_S are re-offered, accepted bookings not started within
START_GRACE_S expire. Safe to run twice or concurrently."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from book import logic, offers
from sevamitra.platform.clock import utc_now
from sevamitra.platform.observability import logger, metrics


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    now = utc_now()
    sweep = logic.expire_due(now)
    timers = offers.run_due(now)
    metrics.add_metric(name="BookingsExpired", unit=MetricUnit.Count, value=sweep.expired)
    metrics.add_metric(name="BookingsReoffered", unit=MetricUnit.Count, value=timers.reoffered)
    metrics.add_metric(name="BookingsNotStarted", unit=MetricUnit.Count, value=timers.not_started)
    summary = {
        "expired": sweep.expired,
        "skipped": sweep.skipped,
        "reoffered": timers.reoffered,
        "offers_lapsed": timers.offers_lapsed,
        "not_started": timers.not_started,
        "reminded": timers.reminded,
        "held": timers.held,
        "timers_skipped": timers.skipped,
    }
    logger.info("expiry sweep", extra=summary)
    return summary
