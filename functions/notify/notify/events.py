"""Domain events from the bus, through the SQS queue (EventBridge rule -> queue -> this function),
in batches. A record whose delivery fails is reported back alone (partial batch failure): SQS
makes it visible again after the visibility timeout, and after ``maxReceiveCount`` receives it
moves to the dead-letter queue, whose alarm calls an operator. Deliveries are idempotent, so a
record seen again sends nothing twice."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from notify import logic
from sevamitra.domain.events import DomainEvent
from sevamitra.platform.observability import logger, metrics

processor = BatchProcessor(event_type=EventType.SQS)


def event_of(record: SQSRecord) -> DomainEvent:
    """The domain event an EventBridge rule put in the queue (the whole EventBridge envelope)."""
    envelope = json.loads(record.body)
    return DomainEvent.model_validate(envelope["detail"])


def handle(record: SQSRecord) -> None:
    event = event_of(record)
    delivery = logic.deliver(event)
    metrics.add_metric(name="NotificationsSent", unit=MetricUnit.Count, value=delivery.inbox + delivery.sms)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return dict(
        process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
    )
