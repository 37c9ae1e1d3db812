"""The grants compiler: ``access.py``'s declarations turned into IAM statements on a role.

``access.py`` says what each function may touch, by logical name; this module knows the
resources behind those names (``Resources``) and writes exactly those statements, each with a
stable ``Sid`` that ``tests/infra`` reads back, plus the cdk-nag acknowledgement for each
wildcard it has to use (object keys under a prefix, executions of one state machine).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_stepfunctions as sfn
from constructs import IConstruct

from infra import access as acl
from infra.access import Access, Documents, Push, Secret
from infra.nag import acknowledge
from sevamitra.domain.documents import DOCUMENTS_PREFIX


@dataclass(frozen=True)
class Resources:
    """The resources ``access.py`` refers to by name."""

    tables: Mapping[str, dynamodb.ITable]
    table_indexes: Mapping[str, tuple[str, ...]]
    bucket: s3.IBucket
    secrets: Mapping[Secret, secretsmanager.ISecret]
    event_bus: events.IEventBus
    # What sending an SMS may use: the origination identity and the configuration set (ARNs).
    sms_resources: Sequence[str] = field(default_factory=tuple)
    user_pool_arn: str = ""
    # The write-once bucket of the audit anchors (infra/constructs/anchors.py).
    anchor_bucket: s3.IBucket | None = None


def grant(role: iam.Role, access: Access, resources: Resources) -> None:
    """Tables (with their indexes when the actions query), documents, secrets and the event bus."""
    for logical in sorted(access.tables):
        table = resources.tables[logical]
        for number, table_grant in enumerate(access.grants[logical], start=1):
            indexes = (
                resources.table_indexes[logical]
                if table_grant.indexes == acl.EVERY_INDEX
                else table_grant.indexes
            )
            unknown = set(indexes) - set(resources.table_indexes[logical])
            if unknown:
                raise ValueError(f"{logical} has no index {sorted(unknown)} (infra/access.py)")
            arns = [table.table_arn] if table_grant.on_table else []
            arns += [f"{table.table_arn}/index/{name}" for name in indexes]
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    # One statement per grant: TableGeo, TableGeo2, ...
                    sid=f"Table{_pascal(logical)}{number if number > 1 else ''}",
                    actions=sorted(table_grant.actions),
                    resources=arns,
                    conditions=table_grant.conditions() or None,
                )
            )
    prefix = acl.UPLOAD_ONLY_PREFIXES.get(access.documents) if access.documents else None
    if prefix is not None:
        what = "Evidence" if access.documents is Documents.EVIDENCE_UPLOAD else "Receipt"
        role.add_to_principal_policy(
            iam.PolicyStatement(
                sid=f"{what}Objects",
                actions=list(acl.DOCUMENT_WRITE_ACTIONS),
                resources=[resources.bucket.arn_for_objects(f"{prefix}*")],
            )
        )
        acknowledge(
            role.node.find_child("DefaultPolicy"),
            f"AwsSolutions-IAM5[Resource::<{_logical_id(resources.bucket)}.Arn>/{prefix}*]",
            f"{what} keys are generated per upload under {prefix}; signing the upload "
            "form needs PutObject on them, and nothing else in the bucket.",
        )
    elif access.documents is not None:
        object_actions: tuple[str, ...] = acl.DOCUMENT_READ_ACTIONS
        if access.documents is Documents.READ:
            object_actions += acl.DOCUMENT_VERSION_READ_ACTIONS
        if access.documents is Documents.READ_WRITE:
            object_actions += acl.DOCUMENT_WRITE_ACTIONS
        role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="DocumentObjects",
                actions=list(object_actions),
                resources=[resources.bucket.arn_for_objects(f"{DOCUMENTS_PREFIX}*")],
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="DocumentBucket",
                actions=list(acl.DOCUMENT_BUCKET_ACTIONS),
                resources=[resources.bucket.bucket_arn],
                conditions={"StringLike": {"s3:prefix": [f"{DOCUMENTS_PREFIX}*"]}},
            )
        )
        acknowledge(
            role.node.find_child("DefaultPolicy"),
            f"AwsSolutions-IAM5[Resource::<{_logical_id(resources.bucket)}.Arn>/{DOCUMENTS_PREFIX}*]",
            "Object keys are generated per document at upload time; object actions are limited "
            "to the documents prefix of this one bucket.",
        )
    _downloads(role, access, resources)
    _anchors(role, access, resources)
    for secret in sorted(access.secrets, key=lambda s: s.value):
        role.add_to_principal_policy(
            iam.PolicyStatement(
                sid=f"Secret{_pascal(secret.value)}",
                actions=list(acl.SECRET_READ_ACTIONS),
                resources=[resources.secrets[secret].secret_arn],
            )
        )
    if access.puts_events:
        role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="PutEvents",
                actions=list(acl.EVENT_PUT_ACTIONS),
                resources=[resources.event_bus.event_bus_arn],
            )
        )
    _messaging(role, access, resources)


def _downloads(role: iam.Role, access: Access, resources: Resources) -> None:
    """GetObject under each download prefix (checking an upload is there, and the presigned GET,
    which S3 authorises as this role), and listing those prefixes only."""
    if not access.downloads:
        return
    role.add_to_principal_policy(
        iam.PolicyStatement(
            sid="DownloadObjects",
            actions=list(acl.DOWNLOAD_READ_ACTIONS),
            resources=[resources.bucket.arn_for_objects(f"{prefix}*") for prefix in access.downloads],
        )
    )
    role.add_to_principal_policy(
        iam.PolicyStatement(
            sid="DownloadBucket",
            actions=list(acl.DOWNLOAD_BUCKET_ACTIONS),
            resources=[resources.bucket.bucket_arn],
            conditions={"StringLike": {"s3:prefix": [f"{prefix}*" for prefix in access.downloads]}},
        )
    )
    for prefix in access.downloads:
        acknowledge(
            role.node.find_child("DefaultPolicy"),
            f"AwsSolutions-IAM5[Resource::<{_logical_id(resources.bucket)}.Arn>/{prefix}*]",
            f"Keys under {prefix} are generated per upload; reading them (to check an upload is "
            "there and to sign its short-lived download link) is limited to that prefix.",
        )


def _anchors(role: iam.Role, access: Access, resources: Resources) -> None:
    """Reads (and for the job, puts) on the anchors bucket's objects, and listing it. No delete:
    Object Lock refuses it anyway, and no role could ask."""
    if access.anchors is None:
        return
    if resources.anchor_bucket is None:
        raise ValueError("an access declares audit anchors but the stack has no anchors bucket")
    actions: tuple[str, ...] = acl.ANCHOR_READ_ACTIONS
    if access.anchors is acl.AuditAnchors.WRITE:
        actions += acl.ANCHOR_WRITE_ACTIONS
    role.add_to_principal_policy(
        iam.PolicyStatement(
            sid="AnchorObjects",
            actions=list(actions),
            resources=[resources.anchor_bucket.arn_for_objects("*")],
        )
    )
    role.add_to_principal_policy(
        iam.PolicyStatement(
            sid="AnchorBucket",
            actions=list(acl.ANCHOR_BUCKET_ACTIONS),
            resources=[resources.anchor_bucket.bucket_arn],
        )
    )
    acknowledge(
        role.node.find_child("DefaultPolicy"),
        f"AwsSolutions-IAM5[Resource::<{_logical_id(resources.anchor_bucket)}.Arn>/*]",
        "Anchor keys are per subject and seq; the bucket holds nothing but anchors, and Object Lock "
        "(compliance mode) makes every object immutable.",
    )


def _messaging(role: iam.Role, access: Access, resources: Resources) -> None:
    """SMS from the stage's origination identity, push through SNS platform applications and
    endpoints, and the user pool's phone numbers."""
    if access.sends_sms:
        role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="SendSms", actions=list(acl.SMS_SEND_ACTIONS), resources=list(resources.sms_resources)
            )
        )
    if access.reads_accounts:
        role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="ReadAccountPhones",
                actions=list(acl.ACCOUNT_READ_ACTIONS),
                resources=[resources.user_pool_arn],
            )
        )
    if access.creates_accounts:
        role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="CreateCallerAccounts",
                actions=list(acl.ACCOUNT_CREATE_ACTIONS),
                resources=[resources.user_pool_arn],
            )
        )
    if access.push is not None:
        stack = Stack.of(role)
        kind = "app" if access.push is Push.REGISTER else "endpoint"
        actions = acl.PUSH_REGISTER_ACTIONS if access.push is Push.REGISTER else acl.PUSH_DELIVER_ACTIONS
        arns = [
            stack.format_arn(service="sns", resource=f"{kind}/{platform}", resource_name="*")
            for platform in ("GCM", "APNS")
        ]
        role.add_to_principal_policy(iam.PolicyStatement(sid="Push", actions=list(actions), resources=arns))
        for platform in ("GCM", "APNS"):
            acknowledge(
                role.node.find_child("DefaultPolicy"),
                f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:"
                f"{kind}/{platform}/*]",
                "The FCM and APNs platform applications are stack parameters set after deploy and each "
                "device gets its own endpoint: only push resources of this account's platforms.",
            )


def grant_verification(function: lambda_.Function, access: Access, state_machine: sfn.StateMachine) -> None:
    """Starting ``state_machine`` (and looking up its executions) and answering its waiting tasks,
    as ``access`` says. The state machine exists only after its steps, hence a second pass."""
    if access.starts_verification:
        executions = Stack.of(state_machine).format_arn(
            service="states",
            resource="execution",
            resource_name=f"{state_machine.state_machine_name}:*",
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        function.add_to_role_policy(
            iam.PolicyStatement(
                sid="StartVerification",
                actions=list(acl.STATE_MACHINE_START_ACTIONS),
                resources=[state_machine.state_machine_arn],
            )
        )
        function.add_to_role_policy(
            iam.PolicyStatement(
                sid="DescribeVerification",
                actions=list(acl.EXECUTION_DESCRIBE_ACTIONS),
                resources=[executions],
            )
        )
        acknowledge(
            function.role.node.find_child("DefaultPolicy"),  # type: ignore[union-attr]
            "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:"
            f"<AWS::AccountId>:execution:<{_logical_id(state_machine)}.Name>:*]",
            "Executions are named per submission (<professional_id>-<n>); DescribeExecution "
            "is limited to this one state machine's executions.",
        )
    if access.answers_verification:
        function.add_to_role_policy(
            iam.PolicyStatement(
                sid="AnswerVerification",
                actions=list(acl.TASK_ANSWER_ACTIONS),
                resources=[state_machine.state_machine_arn],
            )
        )


def _logical_id(construct: IConstruct) -> str:
    return Stack.of(construct).get_logical_id(construct.node.default_child)  # type: ignore[arg-type]


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_"))
