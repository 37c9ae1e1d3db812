"""The IGRS adapter's plumbing: ``IGRSEscalation`` events and ``complaint_decided`` domain events
on the bus go to the IGRS queue, which feeds ``complaint.igrs_delivery`` (it POSTs them to IGRS,
signed, and records the reference IGRS returns; docs/igrs.md).

The endpoint is a stack parameter (``IgrsEndpoint``), a placeholder until the department issues
it (docs/deploy.md); the shared key is a generated secret (``IgrsSecretArn``) handed to IGRS.
Nothing is lost while IGRS is down: the rule retries its delivery to the queue (then parks the
event in the dead-letter queue), a failed message is delivered again after the visibility timeout
and parked after ``IGRS_MAX_RECEIVES`` receives; both dead-letter queues have alarms, and so does
a message left waiting a whole period."""

from __future__ import annotations

from aws_cdk import CfnParameter, Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra import constants
from infra.constants import StageSettings
from infra.constructs.monitoring import alarm, dead_letter_queue
from sevamitra.data.igrs import IGRS_EVENT_PATTERN, IGRS_MAX_RECEIVES


class Igrs(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, stage: StageSettings, bus: events.IEventBus
    ) -> None:
        super().__init__(scope, construct_id)
        endpoint = CfnParameter(
            scope,
            "IgrsEndpoint",
            type="String",
            default=constants.IGRS_PLACEHOLDER_ENDPOINT,
            description="HTTPS base URL of IGRS's grievance API (we POST /grievances and "
            "/grievances/<reference>/decision; docs/igrs.md)",
        )
        self.endpoint = endpoint.value_as_string
        self.dead_letters = dead_letter_queue(self, "DeadLetters", of="IGRS deliveries")
        self.queue = sqs.Queue(
            self,
            "Deliveries",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            visibility_timeout=Duration.seconds(constants.ENTRY_TIMEOUT.to_seconds() * 6),
            retention_period=constants.DLQ_RETENTION,
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=self.dead_letters, max_receive_count=IGRS_MAX_RECEIVES
            ),
        )
        self.rule = events.Rule(
            self,
            "EscalationRule",
            event_bus=bus,
            description=f"{stage.prefix}igrs: escalations and later decisions to the IGRS queue",
            event_pattern=events.EventPattern(
                source=IGRS_EVENT_PATTERN["source"], detail_type=IGRS_EVENT_PATTERN["detail-type"]
            ),
            targets=[
                targets.SqsQueue(
                    self.queue,
                    dead_letter_queue=self.dead_letters,
                    retry_attempts=constants.IGRS_RETRY_ATTEMPTS,
                    max_event_age=Duration.hours(constants.IGRS_MAX_EVENT_AGE_HOURS),
                )
            ],
        )

    def wire(self, consumer: lambda_.Function) -> None:
        """``consumer`` (complaint.igrs_delivery) takes the queue, reporting failed messages."""
        consumer.add_event_source(
            sources.SqsEventSource(
                self.queue, batch_size=constants.IGRS_BATCH_SIZE, report_batch_item_failures=True
            )
        )
        alarm(
            self,
            "QueueDepthAlarm",
            "IGRS deliveries waited a whole period (IGRS unreachable, or the consumer failing)",
            self.queue.metric_approximate_number_of_messages_visible(
                period=constants.ALARM_PERIOD, statistic="Minimum"
            ),
        )
