"""The scheduled sweep (EventBridge, every 30 minutes): engagements whose last day (``ends_on``) has passed
end, and the full-time ones free their professionals for on-demand work again. Safe to run twice
or concurrently."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from jobs import logic
from sevamitra.platform.clock import utc_now
from sevamitra.platform.observability import logger, metrics


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    sweep = logic.end_due(utc_now())
    metrics.add_metric(name="EngagementsEnded", unit=MetricUnit.Count, value=sweep.ended)
    logger.info("engagement sweep", extra={"ended": sweep.ended, "skipped": sweep.skipped})
    return {"ended": sweep.ended, "skipped": sweep.skipped}
