"""Create the AWS resources of the stack on moto, from the same definitions as the CDK stack."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from functools import cache
from secrets import token_hex
from typing import Any

import boto3

from infra.verification_workflow import render, state_machine_name, substitutions
from local.lambdas import deployed_name
from sevamitra.data.anchors import anchor_settings
from sevamitra.data.igrs import IGRS_EVENT_PATTERN, IGRS_MAX_RECEIVES, igrs_settings
from sevamitra.data.models import table_name
from sevamitra.data.schema import TABLES
from sevamitra.domain.documents import BUCKET_VERSIONED
from sevamitra.domain.events import SOURCE as EVENT_SOURCE
from sevamitra.edge.routes import WORKFLOW_ENTRIES, Entry
from sevamitra.platform.bus import NOTIFY_MAX_RECEIVES
from sevamitra.platform.settings import CommonSettings


@dataclass
class LocalResources:
    user_pool_id: str = ""
    user_pool_client_id: str = ""
    police_secret_arn: str = ""
    identity_key_secret_arn: str = ""
    documents_bucket: str = ""
    event_bus_name: str = ""
    verification_state_machine_arn: str = ""
    notify_queue_url: str = ""
    notify_dead_letter_queue_url: str = ""
    contacts_key_id: str = ""
    audit_anchor_bucket: str = ""
    igrs_secret_arn: str = ""
    igrs_queue_url: str = ""
    igrs_dead_letter_queue_url: str = ""
    ondc_queue_url: str = ""
    ondc_signing_secret_arn: str = ""


# The attributes the app client reads, so its ID tokens carry them (infra/constructs/auth.py):
# the phone number is how a booking's other side reaches the account.
# And an officer's district (``custom:district``), which only administrators write.
READ_ATTRIBUTES = ("phone_number", "phone_number_verified", "custom:district")
WRITE_ATTRIBUTES = ("phone_number",)


@cache
def cached_client(service: str, region: str) -> Any:
    """One client per service for the process: building a client loads its service model, which
    cost a quarter of a second per provisioned test."""
    return boto3.client(service, region_name=region)  # type: ignore[call-overload]


def create_tables(region: str) -> None:
    dynamodb = cached_client("dynamodb", region)
    for spec in TABLES:
        name = table_name(spec.logical_name)
        dynamodb.create_table(**spec.create_table_params(name))
        if spec.ttl_attribute:
            dynamodb.update_time_to_live(
                TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute}
            )


def create_user_pool(region: str, prefix: str) -> tuple[str, str]:
    """The user pool as the CDK auth construct defines it: phone sign-up, SRP and password auth."""
    idp = cached_client("cognito-idp", region)
    pool = idp.create_user_pool(
        PoolName=f"{prefix}users",
        UsernameAttributes=["phone_number"],
        AutoVerifiedAttributes=["phone_number"],
        Policies={"PasswordPolicy": {"MinimumLength": 8, "RequireNumbers": True}},
        Schema=[
            {
                "Name": "district",
                "AttributeDataType": "String",
                "Mutable": True,
                "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "64"},
            }
        ],
    )["UserPool"]
    client = idp.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName=f"{prefix}app",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ReadAttributes=list(READ_ATTRIBUTES),
        WriteAttributes=list(WRITE_ATTRIBUTES),
    )["UserPoolClient"]
    for group in ("officers", "employers", "appellate", "helpline"):
        idp.create_group(GroupName=group, UserPoolId=pool["Id"])
    return pool["Id"], client["ClientId"]


def create_documents_bucket(region: str, name: str) -> None:
    """The documents bucket, versioned when the CDK construct's is (``BUCKET_VERSIONED``): the
    document check pins the object version it read, which a re-posted upload form must not replace."""
    s3 = cached_client("s3", region)
    create_bucket: dict[str, Any] = {"Bucket": name}
    if region != "us-east-1":
        create_bucket["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**create_bucket)
    if BUCKET_VERSIONED:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


# Locally anchors are kept a day (the CDK bucket: the stage's retention, compliance mode).
LOCAL_ANCHOR_RETENTION_DAYS = 1


def create_anchor_bucket(region: str, name: str) -> str:
    """The write-once bucket of the audit anchors: Object Lock in compliance mode by default, as
    the CDK construct makes it (infra/constructs/anchors.py)."""
    s3 = cached_client("s3", region)
    create_bucket: dict[str, Any] = {"Bucket": name, "ObjectLockEnabledForBucket": True}
    if region != "us-east-1":
        create_bucket["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**create_bucket)
    s3.put_object_lock_configuration(
        Bucket=name,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": LOCAL_ANCHOR_RETENTION_DAYS}},
        },
    )
    return name


def provision(
    config: CommonSettings,
    *,
    police_key: str,
    identity_key: str,
    igrs_key: str = "local-igrs-shared-key",
    cursor_key: str | None = None,
    workflow: bool = True,
    user_pool: bool = True,
    ondc_signing_secret: str | None = None,
) -> LocalResources:
    """Everything the functions use: tables, bucket, secrets, event bus, user pool and the
    verification workflow. In-process tests skip the workflow (moto validates the definition
    slowly) and the user pool (handlers get claims in the event; only the gateway reads tokens)."""
    region = config.aws_region
    create_tables(region)
    create_documents_bucket(region, config.documents_bucket)
    secrets = cached_client("secretsmanager", region)
    police = secrets.create_secret(Name=config.police_secret_arn, SecretString=police_key)["ARN"]
    identity = secrets.create_secret(Name=config.identity_key_secret_arn, SecretString=identity_key)["ARN"]
    secrets.create_secret(Name=config.cursor_key_secret_arn, SecretString=cursor_key or token_hex(32))
    cached_client("events", region).create_event_bus(Name=config.event_bus_name)
    queue_url, dead_letters_url = create_notify_queue(config)
    contacts_key = create_contacts_key(region, config.resource_prefix)
    pool_id, client_id = create_user_pool(region, config.resource_prefix) if user_pool else ("", "")
    workflow_arn = create_verification_workflow(config) if workflow else ""
    anchor_bucket = create_anchor_bucket(region, anchor_settings().audit_anchor_bucket)
    igrs = secrets.create_secret(Name=igrs_settings().igrs_secret_arn, SecretString=igrs_key)["ARN"]
    igrs_queue_url, igrs_dead_letters_url = create_igrs_queue(config)
    ondc_queue_url, ondc_secret = create_ondc(config, ondc_signing_secret or token_hex(32))
    return LocalResources(
        user_pool_id=pool_id,
        user_pool_client_id=client_id,
        police_secret_arn=police,
        identity_key_secret_arn=identity,
        documents_bucket=config.documents_bucket,
        event_bus_name=config.event_bus_name,
        verification_state_machine_arn=workflow_arn,
        notify_queue_url=queue_url,
        notify_dead_letter_queue_url=dead_letters_url,
        contacts_key_id=contacts_key,
        audit_anchor_bucket=anchor_bucket,
        igrs_secret_arn=igrs,
        igrs_queue_url=igrs_queue_url,
        igrs_dead_letter_queue_url=igrs_dead_letters_url,
        ondc_queue_url=ondc_queue_url,
        ondc_signing_secret_arn=ondc_secret,
    )


# --- notifications -------------------------------------------------------------------------------

# Locally a failed delivery is visible again after this long (the CDK queue: six function timeouts).
LOCAL_VISIBILITY_TIMEOUT_S = 2


def notify_queue_names(prefix: str) -> tuple[str, str]:
    return f"{prefix}notify-events", f"{prefix}notify-dead-letters"


def create_notify_queue(
    config: CommonSettings, *, visibility_timeout_s: int = LOCAL_VISIBILITY_TIMEOUT_S
) -> tuple[str, str]:
    """The queue between the bus and notify, as the CDK stack builds it: a rule sends every domain
    event to it; ``NOTIFY_MAX_RECEIVES`` failed receives move a message to the dead-letter queue.
    Returns the two queue URLs."""
    region = config.aws_region
    sqs = cached_client("sqs", region)
    name, dead_name = notify_queue_names(config.resource_prefix)
    dead_url = sqs.create_queue(QueueName=dead_name)["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    redrive = {"deadLetterTargetArn": dead_arn, "maxReceiveCount": str(NOTIFY_MAX_RECEIVES)}
    url = sqs.create_queue(
        QueueName=name,
        Attributes={"RedrivePolicy": json.dumps(redrive), "VisibilityTimeout": str(visibility_timeout_s)},
    )["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events = cached_client("events", region)
    rule = f"{config.resource_prefix}notify"
    events.put_rule(
        Name=rule, EventBusName=config.event_bus_name, EventPattern=json.dumps({"source": [EVENT_SOURCE]})
    )
    events.put_targets(Rule=rule, EventBusName=config.event_bus_name, Targets=[{"Id": "notify", "Arn": arn}])
    return url, dead_url


def create_igrs_queue(
    config: CommonSettings, *, visibility_timeout_s: int = LOCAL_VISIBILITY_TIMEOUT_S
) -> tuple[str, str]:
    """The queue between the bus and complaint.igrs_delivery, as infra/constructs/igrs.py builds
    it: escalations and decisions in; ``IGRS_MAX_RECEIVES`` failed receives to the dead letters."""
    region = config.aws_region
    sqs = cached_client("sqs", region)
    dead_url = sqs.create_queue(QueueName=f"{config.resource_prefix}igrs-dead-letters")["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    redrive = {"deadLetterTargetArn": dead_arn, "maxReceiveCount": str(IGRS_MAX_RECEIVES)}
    url = sqs.create_queue(
        QueueName=f"{config.resource_prefix}igrs-deliveries",
        Attributes={"RedrivePolicy": json.dumps(redrive), "VisibilityTimeout": str(visibility_timeout_s)},
    )["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events = cached_client("events", region)
    rule = f"{config.resource_prefix}igrs"
    events.put_rule(
        Name=rule, EventBusName=config.event_bus_name, EventPattern=json.dumps(IGRS_EVENT_PATTERN)
    )
    events.put_targets(Rule=rule, EventBusName=config.event_bus_name, Targets=[{"Id": "igrs", "Arn": arn}])
    return url, dead_url


def create_contacts_key(region: str, prefix: str) -> str:
    """The KMS key that seals professionals' mobile numbers, under the alias the functions use
    when CONTACTS_KEY_ID is unset."""
    kms = cached_client("kms", region)
    key_id = kms.create_key(Description="Seva Mitra contacts (local)")["KeyMetadata"]["KeyId"]
    alias = f"alias/{prefix}contacts"
    kms.create_alias(AliasName=alias, TargetKeyId=key_id)
    return alias


# The ONDC work queue's names, as the CDK construct names them (infra/constructs/ondc.py).
ONDC_QUEUE = "ondc-work"
ONDC_DLQ = "ondc-work-dlq"
ONDC_MAX_RECEIVES = 5
ONDC_VISIBILITY_S = 5  # locally a failed callback is retried within seconds


def create_ondc(config: CommonSettings, signing_secret: str) -> tuple[str, str]:
    """The ONDC work queue (with its dead-letter queue) and our signing key's secret; returns the
    queue URL and the secret ARN."""
    from sevamitra.platform.ondc_settings import OndcSettings

    region = config.aws_region
    sqs = cached_client("sqs", region)
    dlq_url = sqs.create_queue(QueueName=f"{config.resource_prefix}{ONDC_DLQ}")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    queue_url = sqs.create_queue(
        QueueName=f"{config.resource_prefix}{ONDC_QUEUE}",
        Attributes={
            "VisibilityTimeout": str(ONDC_VISIBILITY_S),
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": ONDC_MAX_RECEIVES}
            ),
        },
    )["QueueUrl"]
    secret_id = OndcSettings().ondc_signing_key_secret_arn
    secrets = cached_client("secretsmanager", region)
    arn = secrets.create_secret(Name=secret_id, SecretString=signing_secret)["ARN"]
    return str(queue_url), str(arn)


# --- the verification workflow -----------------------------------------------------------------


def _role(region: str, name: str, service: str) -> str:
    iam = cached_client("iam", region)
    try:
        return str(iam.get_role(RoleName=name)["Role"]["Arn"])
    except iam.exceptions.NoSuchEntityException:
        trust = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
        }
        return str(iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"])


def _placeholder_zip() -> bytes:
    # moto needs code to create a function; invocations run the in-process handler instead
    # (local.lambdas.install_lambda_router), so this is never executed.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("placeholder.py", "def lambda_handler(event, context):\n    return event\n")
    return buffer.getvalue()


def create_workflow_functions(config: CommonSettings) -> dict[Entry, str]:
    """A moto Lambda function per workflow entry, named ``<resource_prefix><function>-<module>``
    as in the CDK stack; returns entry -> function ARN. Existing functions are reused."""
    region = config.aws_region
    lambda_client = cached_client("lambda", region)
    role = _role(region, f"{config.resource_prefix}workflow-functions", "lambda.amazonaws.com")
    arns: dict[Entry, str] = {}
    for entry in WORKFLOW_ENTRIES:
        name = deployed_name(config.resource_prefix, entry)
        try:
            arns[entry] = lambda_client.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
        except lambda_client.exceptions.ResourceNotFoundException:
            arns[entry] = lambda_client.create_function(
                FunctionName=name,
                Runtime="python3.13",
                Role=role,
                Handler=entry.handler,
                Code={"ZipFile": _placeholder_zip()},
                Architectures=["arm64"],
                Timeout=30,
            )["FunctionArn"]
    return arns


def create_verification_workflow(
    config: CommonSettings, *, police_timeout_s: int | None = None, name: str | None = None
) -> str:
    """The verification state machine from ``infra/verification.asl.json``, substituted as CDK
    substitutes it; returns its ARN. ``police_timeout_s`` defaults to the settings'
    POLICE_VERIFICATION_TIMEOUT_S; a ``name`` other than the default makes a second machine
    (tests use one with a tiny timeout)."""
    region = config.aws_region
    function_arns = create_workflow_functions(config)
    timeout = police_timeout_s or config.police_verification_timeout_s
    definition = render(substitutions(function_arns, timeout))
    role = _role(region, f"{config.resource_prefix}verification-workflow", "states.amazonaws.com")
    created = cached_client("stepfunctions", region).create_state_machine(
        name=name or state_machine_name(config.resource_prefix),
        definition=definition,
        roleArn=role,
        type="STANDARD",
    )
    return str(created["stateMachineArn"])
