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
from sevamitra.data.models import table_name
from sevamitra.data.schema import TABLES
from sevamitra.domain.documents import BUCKET_VERSIONED
from sevamitra.edge.routes import WORKFLOW_ENTRIES, Entry
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
    ondc_queue_url: str = ""
    ondc_signing_secret_arn: str = ""


# The attributes the app client reads, so its ID tokens carry them (infra/constructs/auth.py):
# the phone number is how a booking's other side reaches the account.
READ_ATTRIBUTES = ("phone_number", "phone_number_verified")


@cache
def _client(service: str, region: str) -> Any:
    """One client per service for the process: building a client loads its service model, which
    cost a quarter of a second per provisioned test."""
    return boto3.client(service, region_name=region)  # type: ignore[call-overload]


def create_tables(region: str) -> None:
    dynamodb = _client("dynamodb", region)
    for spec in TABLES:
        name = table_name(spec.logical_name)
        dynamodb.create_table(**spec.create_table_params(name))
        if spec.ttl_attribute:
            dynamodb.update_time_to_live(
                TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute}
            )


def create_user_pool(region: str, prefix: str) -> tuple[str, str]:
    """The user pool as the CDK auth construct defines it: phone sign-up, SRP and password auth."""
    idp = _client("cognito-idp", region)
    pool = idp.create_user_pool(
        PoolName=f"{prefix}users",
        UsernameAttributes=["phone_number"],
        AutoVerifiedAttributes=["phone_number"],
        Policies={"PasswordPolicy": {"MinimumLength": 8, "RequireNumbers": True}},
    )["UserPool"]
    client = idp.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName=f"{prefix}app",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ReadAttributes=list(READ_ATTRIBUTES),
    )["UserPoolClient"]
    for group in ("officers", "employers"):
        idp.create_group(GroupName=group, UserPoolId=pool["Id"])
    return pool["Id"], client["ClientId"]


def create_documents_bucket(region: str, name: str) -> None:
    """The documents bucket, versioned when the CDK construct's is (``BUCKET_VERSIONED``): the
    document check pins the object version it read, which a re-posted upload form must not replace."""
    s3 = boto3.client("s3", region_name=region)
    create_bucket: dict[str, Any] = {"Bucket": name}
    if region != "us-east-1":
        create_bucket["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**create_bucket)
    if BUCKET_VERSIONED:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


def provision(
    config: CommonSettings,
    *,
    police_key: str,
    identity_key: str,
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
    secrets = _client("secretsmanager", region)
    police = secrets.create_secret(Name=config.police_secret_arn, SecretString=police_key)["ARN"]
    identity = secrets.create_secret(Name=config.identity_key_secret_arn, SecretString=identity_key)["ARN"]
    secrets.create_secret(Name=config.cursor_key_secret_arn, SecretString=cursor_key or token_hex(32))
    _client("events", region).create_event_bus(Name=config.event_bus_name)
    pool_id, client_id = create_user_pool(region, config.resource_prefix) if user_pool else ("", "")
    workflow_arn = create_verification_workflow(config) if workflow else ""
    ondc_queue_url, ondc_secret = create_ondc(config, ondc_signing_secret or token_hex(32))
    return LocalResources(
        user_pool_id=pool_id,
        user_pool_client_id=client_id,
        police_secret_arn=police,
        identity_key_secret_arn=identity,
        documents_bucket=config.documents_bucket,
        event_bus_name=config.event_bus_name,
        verification_state_machine_arn=workflow_arn,
        ondc_queue_url=ondc_queue_url,
        ondc_signing_secret_arn=ondc_secret,
    )


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
    sqs = _client("sqs", region)
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
    arn = _client("secretsmanager", region).create_secret(Name=secret_id, SecretString=signing_secret)["ARN"]
    return str(queue_url), str(arn)


# --- the verification workflow -----------------------------------------------------------------


def _role(region: str, name: str, service: str) -> str:
    iam = _client("iam", region)
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
    lambda_client = _client("lambda", region)
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
    created = _client("stepfunctions", region).create_state_machine(
        name=name or state_machine_name(config.resource_prefix),
        definition=definition,
        roleArn=role,
        type="STANDARD",
    )
    return str(created["stateMachineArn"])
