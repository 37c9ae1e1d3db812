"""Notifications: how domain events reach ``notify``, and the SMS and push channels.

- Events: a rule on the stage's bus sends every domain event (source ``sevamitra.events``) to an
  SQS queue (SSE, SSL only) that feeds ``notify-events`` in batches with partial batch failures.
  A record that fails ``NOTIFY_MAX_RECEIVES`` receives moves to the dead-letter queue (alarm on any
  message), as does an event EventBridge could not put in the queue; a message left waiting a
  whole alarm period alarms too (notify falls behind). The visibility timeout is six times the
  function's timeout (AWS's advice): a failed record is retried minutes later.
- SMS: AWS End User Messaging SMS. A configuration set for the stage; the origination identity
  (a two-way long code or pool, requested for India through AWS Support: parameter
  ``SmsOriginationIdentity``), the DLT entity id and the per-template DLT ids
  (``SmsDltEntityId``, ``SmsDltTemplateIds``), the most one message may cost (``SmsMaxPrice``) are
  stack parameters; a registered sender ID (``SmsSenderId``, DLT header) is created when given.
  Replies arrive from the number's two-way channel on the inbound topic (encrypted with a key the
  service may use), which invokes ``book-sms``: two retries, then its failure queue (alarm).
- Push: SNS platform applications for FCM and APNs are parameters (their credentials live with
  SNS); empty leaves push off.
"""

from __future__ import annotations

from aws_cdk import CfnCondition, CfnParameter, Duration, Fn, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_smsvoice as smsvoice
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra import constants
from infra.constants import StageSettings
from infra.constructs.monitoring import alarm, dead_letter_queue
from sevamitra.domain.events import SOURCE
from sevamitra.platform.bus import NOTIFY_MAX_RECEIVES
from sevamitra.platform.sms import END_USER_MESSAGING


class Messaging(Construct):
    """Built in two steps: the parameters, SMS resources and the inbound topic before the functions
    (``settings`` and ``sms_resources`` go into them), then ``wire`` once the entries exist."""

    def __init__(
        self, scope: Construct, construct_id: str, *, stage: StageSettings, inbound_key: kms.IKey
    ) -> None:
        super().__init__(scope, construct_id)
        self._stage = stage
        parameter = _Parameters(scope)
        self.origination_identity = parameter.text(
            constants.SMS_ORIGINATION_IDENTITY_PARAMETER,
            constants.SMS_ORIGINATION_IDENTITY_PLACEHOLDER,
            "ARN of the two-way phone number (or pool) SMS are sent from; its two-way channel is the "
            "InboundSmsTopic output",
        )
        entity_id = parameter.text(constants.SMS_DLT_ENTITY_PARAMETER, "", "India DLT principal entity id")
        template_ids = parameter.text(
            constants.SMS_DLT_TEMPLATES_PARAMETER,
            "{}",
            'JSON object of DLT template ids by template, "<kind>.<audience>.<language>": "<id>" '
            '(and the replies, "sms_not_understood.hi"...)',
        )
        max_price = parameter.text(
            constants.SMS_MAX_PRICE_PARAMETER,
            constants.SMS_MAX_PRICE_DEFAULT,
            "The most one SMS may cost (USD); the account's monthly spend limit caps the total",
        )
        sender_id = parameter.text(
            constants.SMS_SENDER_ID_PARAMETER, "", "DLT-registered sender ID (header) to create; empty: none"
        )
        fcm = parameter.text(constants.FCM_PARAMETER, "", "SNS platform application ARN for FCM (Android)")
        apns = parameter.text(constants.APNS_PARAMETER, "", "SNS platform application ARN for APNs (iOS)")

        self.configuration_set = smsvoice.CfnConfigurationSet(
            self, "SmsConfigurationSet", configuration_set_name=f"{stage.prefix}sms"
        )
        has_sender_id = CfnCondition(
            self, "HasSenderId", expression=Fn.condition_not(Fn.condition_equals(sender_id, ""))
        )
        self.sender_id = smsvoice.CfnSenderId(self, "SmsSenderId", iso_country_code="IN", sender_id=sender_id)
        self.sender_id.cfn_options.condition = has_sender_id

        self.inbound_topic = sns.Topic(
            self,
            "InboundSmsTopic",
            topic_name=f"{stage.prefix}inbound-sms",
            display_name="Seva Mitra inbound SMS (two-way replies)",
            master_key=inbound_key,
            enforce_ssl=True,
        )
        self.inbound_topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="SmsVoicePublish",
                principals=[iam.ServicePrincipal("sms-voice.amazonaws.com")],
                actions=["sns:Publish"],
                resources=[self.inbound_topic.topic_arn],
                conditions={"StringEquals": {"aws:SourceAccount": Stack.of(self).account}},
            )
        )
        # What sending an SMS may use (infra/grants.py): the identity and the configuration set.
        self.sms_resources = (self.origination_identity, self.configuration_set.attr_arn)
        # Settings of the SMS senders (SmsSettings) and of notify (NotifySettings), by field name.
        self.settings: dict[str, str] = {
            "sms_transport": END_USER_MESSAGING,
            "sms_origination_identity": self.origination_identity,
            "sms_configuration_set": self.configuration_set.configuration_set_name or "",
            "sms_dlt_entity_id": entity_id,
            "sms_dlt_template_ids": template_ids,
            "sms_max_price": max_price,
            "fcm_platform_application_arn": fcm,
            "apns_platform_application_arn": apns,
        }
        self.queue: sqs.Queue | None = None
        self.dead_letters: sqs.Queue | None = None

    def wire(
        self,
        *,
        bus: events.IEventBus,
        consumer: lambda_.Function,
        inbound_sms: lambda_.Function,
    ) -> None:
        """The event path to ``consumer`` and the inbound topic to ``inbound_sms``."""
        self.dead_letters = dead_letter_queue(self, "NotifyDeadLetters", of="notifications (domain events)")
        self.queue = sqs.Queue(
            self,
            "NotifyQueue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            visibility_timeout=Duration.seconds(
                consumer.timeout.to_seconds() * 6 if consumer.timeout else 360
            ),
            retention_period=constants.DLQ_RETENTION,
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=self.dead_letters, max_receive_count=NOTIFY_MAX_RECEIVES
            ),
        )
        self.rule = events.Rule(
            self,
            "DomainEvents",
            event_bus=bus,
            description="Every domain event to the notify queue",
            event_pattern=events.EventPattern(source=[SOURCE]),
            targets=[
                targets.SqsQueue(
                    self.queue,
                    dead_letter_queue=self.dead_letters,
                    retry_attempts=constants.NOTIFY_TARGET_RETRY_ATTEMPTS,
                    max_event_age=constants.NOTIFY_TARGET_MAX_EVENT_AGE,
                )
            ],
        )
        consumer.add_event_source(
            sources.SqsEventSource(
                self.queue,
                batch_size=constants.NOTIFY_BATCH_SIZE,
                report_batch_item_failures=True,
            )
        )
        # Lambda polls the queue all the time: a message visible through a whole period means
        # notify is not keeping up (throttled, failing every batch, or the mapping is off).
        alarm(
            self,
            "NotifyQueueDepthAlarm",
            "Domain events waited a whole period in the notify queue",
            self.queue.metric_approximate_number_of_messages_visible(
                period=constants.ALARM_PERIOD, statistic="Minimum"
            ),
        )
        self.inbound_topic.add_subscription(subscriptions.LambdaSubscription(inbound_sms))
        self.inbound_failures = dead_letter_queue(
            self, "InboundSmsFailures", of="inbound SMS (two-way replies)"
        )
        inbound_sms.configure_async_invoke(
            on_failure=destinations.SqsDestination(self.inbound_failures),
            retry_attempts=constants.INBOUND_SMS_RETRY_ATTEMPTS,
            max_event_age=constants.ASYNC_MAX_EVENT_AGE,
        )


class _Parameters:
    def __init__(self, scope: Construct) -> None:
        self._scope = scope

    def text(self, name: str, default: str, description: str) -> str:
        return CfnParameter(
            self._scope, name, type="String", default=default, description=description
        ).value_as_string
