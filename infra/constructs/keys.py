"""Customer-managed KMS keys, one per purpose, rotated yearly.

- ``tables``: every DynamoDB table (prod; dev uses DynamoDB's AWS-managed key).
- ``documents``: the documents bucket (prod; dev uses SSE-S3). Separate from ``tables`` so that
  who may decrypt identity documents is a short list (register, the verification steps) and
  CloudTrail shows every use of it apart from the tables' steady traffic.
- ``alarms``: the alarm topic, in every stage: CloudWatch can only publish to an encrypted topic
  through a customer-managed key whose policy lets it (the AWS-managed SNS key does not).
- ``contacts``: seals professionals' registered mobile numbers, in every stage (the functions
  encrypt and decrypt with it directly: registration seals, notify opens to send an SMS). Its
  alias ``alias/<prefix>contacts`` is the one the local stack gives its key.
- ``inbound_sms``: the topic the SMS service publishes replies to, in every stage (as for alarms:
  the service can only publish to a topic encrypted with a key whose policy lets it).

Prod keys are retained with the data they protect (a deleted key makes a retained table or bucket
unreadable); dev keys go with the stack after the minimum waiting period. ``grant(...)`` gives a
function exactly the key actions its access needs, and only through the one service that uses the
key (``kms:ViaService``).
"""

from __future__ import annotations

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra import constants
from infra.access import CONTACTS_ACTIONS, Access, Documents
from infra.constants import StageSettings
from sevamitra.data.contacts import CONTACTS_CONTEXT_KEY, CONTACTS_PURPOSE

# Exact KMS actions per use. DynamoDB and S3 call KMS on the caller's behalf: reading needs
# Decrypt, writing also GenerateDataKey (S3: a new object's data key; DynamoDB: table key cache)
# and Encrypt.
KEY_READ_ACTIONS = ("kms:Decrypt", "kms:DescribeKey")
KEY_WRITE_ACTIONS = ("kms:Encrypt", "kms:GenerateDataKey")
# What CloudWatch needs to publish an alarm to a topic encrypted with the key (AWS docs: "Amazon
# SNS encryption at rest ... CloudWatch alarms").
ALARM_PUBLISHER_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey*")


class Keys(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: StageSettings) -> None:
        super().__init__(scope, construct_id)
        self._stage = stage
        self.tables: kms.Key | None = None
        self.documents: kms.Key | None = None
        if stage.customer_managed_keys:
            self.tables = self._key("Tables", "DynamoDB tables")
            self.documents = self._key("Documents", "documents bucket (identity documents)")
        self.alarms = self._key("Alarms", "alarm notification topic")
        self.alarms.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsPublish",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=list(ALARM_PUBLISHER_ACTIONS),
                resources=["*"],  # in a key policy, "*" is this key
            )
        )
        self.contacts = self._key("Contacts", "professionals' registered mobile numbers (sealed)")
        self.inbound_sms = self._key("InboundSms", "inbound SMS topic (two-way replies)")
        self.inbound_sms.add_to_resource_policy(
            iam.PolicyStatement(
                sid="SmsVoicePublish",
                principals=[iam.ServicePrincipal("sms-voice.amazonaws.com")],
                actions=list(ALARM_PUBLISHER_ACTIONS),
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": Stack.of(self).account}},
            )
        )

    def _key(self, construct_id: str, purpose: str) -> kms.Key:
        stage = self._stage
        retained = stage.removal_policy is RemovalPolicy.RETAIN
        return kms.Key(
            self,
            construct_id,
            alias=f"alias/{stage.prefix}{construct_id.lower()}",
            description=f"Seva Mitra {stage.name}: {purpose}",
            enable_key_rotation=True,
            pending_window=constants.KEY_PENDING_WINDOW if retained else constants.DEV_KEY_PENDING_WINDOW,
            removal_policy=stage.removal_policy,
        )

    def grant(self, role: iam.IRole, access: Access) -> None:
        """Key statements for a function with ``access``: the tables key through DynamoDB for
        any table access, the documents key through S3 for any documents access."""
        region = Stack.of(self).region
        if self.tables is not None and access.tables:
            actions = KEY_READ_ACTIONS + (KEY_WRITE_ACTIONS if access.writes else ())
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    sid="TablesKey",
                    actions=list(actions),
                    resources=[self.tables.key_arn],
                    conditions={"StringEquals": {"kms:ViaService": f"dynamodb.{region}.amazonaws.com"}},
                )
            )
        if access.contacts is not None:
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    sid="ContactsKey",
                    actions=list(CONTACTS_ACTIONS[access.contacts]),
                    resources=[self.contacts.key_arn],
                    # Only for what the key is for (sevamitra.data.contacts' encryption context).
                    conditions={
                        "StringEquals": {f"kms:EncryptionContext:{CONTACTS_CONTEXT_KEY}": CONTACTS_PURPOSE}
                    },
                )
            )
        if self.documents is not None and access.documents is not None:
            actions = KEY_READ_ACTIONS + (KEY_WRITE_ACTIONS if access.documents is not Documents.READ else ())
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    sid="DocumentsKey",
                    actions=list(actions),
                    resources=[self.documents.key_arn],
                    conditions={"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}},
                )
            )
