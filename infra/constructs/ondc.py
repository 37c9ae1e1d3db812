"""The ONDC seller platform's own resources (functions/ondc):

- who we are on the network, as stack parameters (``OndcNetworkSubscriberId``, ``...SubscriberUrl``,
  ``...UniqueKeyId``: what ONDC's registry records for us at onboarding; ``OndcRegistryUrl``:
  the registry whose lookup gives buyer apps' keys), handed to the ondc functions' settings;
- our Ed25519 signing key's secret (generated: the function hashes it into the seed, or an
  operator puts ``ed25519:<base64 seed>`` in it; ``python -m ondc.keys <arn>`` prints the public
  key to register);
- the work queue between ``/ondc/<action>`` (which only sends to it) and ``ondc-worker`` (its
  SQS event source, batches with partial failures), encrypted and SSL-only, with a dead-letter
  queue after ``ONDC_MAX_RECEIVES`` receives (alarm on any message) and an alarm when work waits
  longer than a callback may (buyer apps give up on an answer after the request's ttl).
"""

from __future__ import annotations

from aws_cdk import CfnParameter, Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra import constants
from infra.constants import StageSettings
from infra.constructs.monitoring import dead_letter_queue
from infra.nag import acknowledge

ONDC_MAX_RECEIVES = 5
ONDC_BATCH_SIZE = 10
ONDC_OLDEST_MESSAGE_ALARM_S = 120
ONDC_BACKLOG_ALARM = 100
_KEY_LENGTH = 64
SEND_ACTIONS = ("sqs:SendMessage",)


class Ondc(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: StageSettings) -> None:
        super().__init__(scope, construct_id)
        parameters = {
            "ondc_subscriber_id": ("OndcNetworkSubscriberId", f"ondc.{stage.name}.sevamitra.example",
                                   "Our subscriber_id in the ONDC registry (normally our FQDN)"),
            "ondc_subscriber_url": ("OndcNetworkSubscriberUrl", f"https://ondc.{stage.name}.sevamitra.example/ondc",
                                    "Our subscriber_url in the ONDC registry (the API's /ondc base)"),
            "ondc_unique_key_id": ("OndcNetworkUniqueKeyId", "key-1", "Our key's unique_key_id (registry)"),
            "ondc_registry_url": ("OndcRegistryUrl", constants.ONDC_REGISTRY_URL,
                                  "The ONDC registry (its /lookup gives buyer apps' keys)"),
        }  # fmt: skip
        self.settings: dict[str, str] = {
            field: CfnParameter(scope, name, type="String", default=default, description=text).value_as_string
            for field, (name, default, text) in parameters.items()
        }
        self.signing_key = secretsmanager.Secret(
            self,
            "SigningKey",
            secret_name=f"{stage.prefix.rstrip('-')}/ondc-signing-key",
            description="ONDC (Beckn) Ed25519 signing key: hashed into the seed, or ed25519:<base64 seed>",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=_KEY_LENGTH, exclude_punctuation=True, include_space=False
            ),
            removal_policy=stage.removal_policy,
        )
        acknowledge(
            self.signing_key,
            "AwsSolutions-SMG4",
            "The registry holds the public key of this one; a new key is registered with ONDC first "
            "(a planned rotation, docs/ondc.md), never rotated on a schedule the registry cannot follow.",
        )
        self.dead_letters = dead_letter_queue(self, "WorkDeadLetters", of="ONDC work (ondc-worker)")
        self.queue = sqs.Queue(
            self,
            "Work",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            # Six times the worker's timeout (AWS's advice for an SQS event source).
            visibility_timeout=Duration.seconds(constants.ENTRY_TIMEOUT.to_seconds() * 6),
            dead_letter_queue=sqs.DeadLetterQueue(
                max_receive_count=ONDC_MAX_RECEIVES, queue=self.dead_letters
            ),
        )
        cloudwatch.Alarm(
            self,
            "WorkBacklogAlarm",
            alarm_description="ONDC work is piling up (the worker is failing or throttled)",
            metric=self.queue.metric_approximate_number_of_messages_visible(
                period=constants.ALARM_PERIOD, statistic="Maximum"
            ),
            threshold=ONDC_BACKLOG_ALARM,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        cloudwatch.Alarm(
            self,
            "WorkWaitingAlarm",
            alarm_description="ONDC work waited longer than buyer apps wait for an answer",
            metric=self.queue.metric_approximate_age_of_oldest_message(
                period=constants.ALARM_PERIOD, statistic="Maximum"
            ),
            threshold=ONDC_OLDEST_MESSAGE_ALARM_S,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        self.settings["ondc_signing_key_secret_arn"] = self.signing_key.secret_arn
        self.settings["ondc_queue_url"] = self.queue.queue_url

    def connect(self, api: lambda_.Function, worker: lambda_.Function) -> None:
        """The API function only queues work; the worker consumes it (partial batch failures)."""
        api.add_to_role_policy(
            iam.PolicyStatement(
                sid="QueueOndcWork", actions=list(SEND_ACTIONS), resources=[self.queue.queue_arn]
            )
        )
        worker.add_event_source(
            sources.SqsEventSource(self.queue, batch_size=ONDC_BATCH_SIZE, report_batch_item_failures=True)
        )
