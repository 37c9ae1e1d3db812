"""The IGRS adapter: ``IGRSEscalation`` events on the bus are POSTed to the state grievance
system (IGRS) through an EventBridge API destination.

The endpoint and the API key are stack parameters (``IgrsEndpoint``, ``IgrsApiKey``), placeholders
until the department issues them (docs/deploy.md): the connection sends the key as ``x-api-key``.
The request body is the event's ``detail``; ``Idempotency-Key`` is the complaint id, because an
escalation may be delivered more than once. Failed deliveries are retried by EventBridge, then
parked in a dead-letter queue with an alarm."""

from __future__ import annotations

from aws_cdk import CfnParameter, Duration, SecretValue
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra import constants
from infra.constants import StageSettings
from infra.nag import acknowledge

EVENT_SOURCE = "sevamitra.domain.complaints"
DETAIL_TYPE = "IGRSEscalation"


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
            description="HTTPS URL where IGRS accepts escalated grievances (POST)",
        )
        api_key = CfnParameter(
            scope,
            "IgrsApiKey",
            type="String",
            no_echo=True,
            default=constants.IGRS_PLACEHOLDER_API_KEY,
            description="API key IGRS issued to Seva Mitra (sent as x-api-key)",
        )
        self.connection = events.Connection(
            self,
            "Connection",
            description=f"{stage.prefix}igrs: API key issued by IGRS",
            authorization=events.Authorization.api_key("x-api-key", SecretValue.cfn_parameter(api_key)),
        )
        self.destination = events.ApiDestination(
            self,
            "Destination",
            connection=self.connection,
            endpoint=endpoint.value_as_string,
            http_method=events.HttpMethod.POST,
            rate_limit_per_second=constants.IGRS_RATE_LIMIT_PER_SECOND,
            description="IGRS grievance intake",
        )
        self.dead_letters = sqs.Queue(
            self,
            "DeadLetters",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=constants.DLQ_RETENTION,
        )
        acknowledge(
            self.dead_letters, "AwsSolutions-SQS3", "This queue is the IGRS delivery dead-letter queue."
        )
        cloudwatch.Alarm(
            self,
            "DeadLettersAlarm",
            alarm_description="An IGRS escalation could not be delivered after its retries",
            metric=self.dead_letters.metric_approximate_number_of_messages_visible(),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        self.rule = events.Rule(
            self,
            "EscalationRule",
            event_bus=bus,
            description="Deliver IGRSEscalation events to IGRS",
            event_pattern=events.EventPattern(source=[EVENT_SOURCE], detail_type=[DETAIL_TYPE]),
            targets=[
                targets.ApiDestination(
                    self.destination,
                    event=events.RuleTargetInput.from_event_path("$.detail"),
                    header_parameters={"Idempotency-Key": "$.detail.complaint_id"},
                    dead_letter_queue=self.dead_letters,
                    retry_attempts=constants.IGRS_RETRY_ATTEMPTS,
                    max_event_age=Duration.hours(constants.IGRS_MAX_EVENT_AGE_HOURS),
                )
            ],
        )
