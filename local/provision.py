"""Create the AWS resources of the stack on moto, from the same definitions as the CDK stack."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3

from sevamitra.data.models import table_name
from sevamitra.data.schema import TABLES
from sevamitra.settings import CommonSettings


@dataclass
class LocalResources:
    user_pool_id: str = ""
    user_pool_client_id: str = ""
    police_secret_arn: str = ""
    identity_key_secret_arn: str = ""
    documents_bucket: str = ""
    event_bus_name: str = ""


def create_tables(region: str) -> None:
    dynamodb = boto3.client("dynamodb", region_name=region)
    for spec in TABLES:
        name = table_name(spec.logical_name)
        dynamodb.create_table(**spec.create_table_params(name))
        if spec.ttl_attribute:
            dynamodb.update_time_to_live(
                TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute}
            )


def create_user_pool(region: str, prefix: str) -> tuple[str, str]:
    """The user pool as the CDK auth construct defines it: phone sign-up, SRP and password auth."""
    idp = boto3.client("cognito-idp", region_name=region)
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
    )["UserPoolClient"]
    for group in ("officers", "employers"):
        idp.create_group(GroupName=group, UserPoolId=pool["Id"])
    return pool["Id"], client["ClientId"]


def provision(config: CommonSettings, *, police_key: str, identity_key: str) -> LocalResources:
    """Everything the functions use: tables, bucket, secrets, event bus and user pool."""
    region = config.aws_region
    create_tables(region)
    s3 = boto3.client("s3", region_name=region)
    create_bucket: dict[str, Any] = {"Bucket": config.documents_bucket}
    if region != "us-east-1":
        create_bucket["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**create_bucket)
    secrets = boto3.client("secretsmanager", region_name=region)
    police = secrets.create_secret(Name=config.police_secret_arn, SecretString=police_key)["ARN"]
    identity = secrets.create_secret(Name=config.identity_key_secret_arn, SecretString=identity_key)["ARN"]
    boto3.client("events", region_name=region).create_event_bus(Name=config.event_bus_name)
    pool_id, client_id = create_user_pool(region, config.table_prefix)
    return LocalResources(
        user_pool_id=pool_id,
        user_pool_client_id=client_id,
        police_secret_arn=police,
        identity_key_secret_arn=identity,
        documents_bucket=config.documents_bucket,
        event_bus_name=config.event_bus_name,
    )
