"""The one helper that builds every Lambda function, and grants each exactly what ``access.py`` says.

Every function: python3.13 on arm64, the common layer, its own role, its own log group with
retention, X-Ray tracing, the typed environment below, an Errors alarm and a Throttles alarm.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from aws_cdk import ArnFormat, Duration, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct, IConstruct

from infra import access as acl
from infra import constants
from infra.access import Access, Documents, Secret
from infra.constants import StageSettings
from infra.constructs.monitoring import alarm
from infra.nag import acknowledge
from sevamitra.documents import DOCUMENTS_PREFIX
from sevamitra.routes import Entry, Function

RUNTIME = lambda_.Runtime.PYTHON_3_13
ARCHITECTURE = lambda_.Architecture.ARM_64
# Function code ships as source (a few modules each, compiled at cold start in about 10 ms; the
# machine's own bytecode would be for the wrong Python). The layer ships CPython 3.13 bytecode
# (infra/layer.py), so only its build stamp stays out.
_ASSET_EXCLUDE = ["__pycache__", "*.pyc"]
_LAYER_ASSET_EXCLUDE = [".stamp"]


@dataclass(frozen=True)
class FunctionEnvironment:
    """The environment every function gets: what ``sevamitra.settings.CommonSettings`` reads."""

    stage: str
    table_prefix: str
    documents_bucket: str
    event_bus_name: str
    identity_key_secret_arn: str
    police_secret_arn: str
    log_level: str
    service_name: str = constants.POWERTOOLS_SERVICE_NAME
    metrics_namespace: str = constants.POWERTOOLS_METRICS_NAMESPACE

    def variables(self) -> dict[str, str]:
        return {
            "STAGE": self.stage,
            "TABLE_PREFIX": self.table_prefix,
            "DOCUMENTS_BUCKET": self.documents_bucket,
            "EVENT_BUS_NAME": self.event_bus_name,
            "IDENTITY_KEY_SECRET_ARN": self.identity_key_secret_arn,
            "POLICE_SECRET_ARN": self.police_secret_arn,
            "POWERTOOLS_SERVICE_NAME": self.service_name,
            "POWERTOOLS_METRICS_NAMESPACE": self.metrics_namespace,
            "POWERTOOLS_LOG_LEVEL": self.log_level,
            # No pydantic plugins are used; skipping their discovery saves an entry-point scan
            # on every cold start (benchmarks/cold_start.py).
            "PYDANTIC_DISABLE_PLUGINS": "__all__",
        }


@dataclass(frozen=True)
class Resources:
    """The resources ``access.py`` refers to by name."""

    tables: Mapping[str, dynamodb.ITable]
    table_indexes: Mapping[str, tuple[str, ...]]
    bucket: s3.IBucket
    secrets: Mapping[Secret, secretsmanager.ISecret]
    event_bus: events.IEventBus


@dataclass(frozen=True)
class _Spec:
    construct_id: str
    function_name: str
    asset: str
    handler: str
    memory_mb: int
    timeout: Duration
    access: Access
    description: str


class Functions(Construct):
    """``api(Function.MATCH)`` and ``entry(Entry(...))`` build (once) and return a function."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: StageSettings,
        layer_dir: Path,
        resources: Resources,
    ) -> None:
        super().__init__(scope, construct_id)
        self._stage = stage
        self._resources = resources
        self.environment = FunctionEnvironment(
            stage=stage.name,
            table_prefix=stage.prefix,
            documents_bucket=resources.bucket.bucket_name,
            event_bus_name=resources.event_bus.event_bus_name,
            identity_key_secret_arn=resources.secrets[Secret.IDENTITY_KEY].secret_arn,
            police_secret_arn=resources.secrets[Secret.POLICE_CALLBACK].secret_arn,
            log_level=stage.log_level,
        )
        self.layer = lambda_.LayerVersion(
            self,
            "CommonLayer",
            code=lambda_.Code.from_asset(str(layer_dir), exclude=_LAYER_ASSET_EXCLUDE),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="sevamitra shared package and the runtime dependencies (arm64, cp313)",
        )
        self.built: dict[str, lambda_.Function] = {}
        self._access: dict[str, Access] = {}

    def api(self, function: Function) -> lambda_.Function:
        """The function serving ``function``'s API routes: ``<name>.handler.lambda_handler``."""
        return self._function(
            _Spec(
                construct_id=function.value,
                function_name=self._stage.function_name(function.value),
                asset=function.value,
                handler=f"{function.value}.handler.lambda_handler",
                memory_mb=constants.API_MEMORY_MB,
                timeout=constants.API_TIMEOUT,
                access=acl.access_of(function),
                description=f"Seva Mitra API: {function.value}",
            )
        )

    def entry(self, entry: Entry) -> lambda_.Function:
        """A workflow step or scheduled job: the same asset as its function, handler ``entry.handler``."""
        return self._function(
            _Spec(
                construct_id=entry.name,
                function_name=self._stage.function_name(entry.name),
                asset=entry.function.value,
                handler=entry.handler,
                memory_mb=constants.ENTRY_MEMORY_MB,
                timeout=constants.ENTRY_TIMEOUT,
                access=acl.access_of(entry),
                description=f"Seva Mitra job: {entry.name}",
            )
        )

    def allow_verification_start(self, state_machine: sfn.StateMachine) -> None:
        """Let every function whose access says so start ``state_machine`` (and look up its
        executions), and tell it the ARN; let those that answer it resume its waiting tasks."""
        executions = Stack.of(self).format_arn(
            service="states",
            resource="execution",
            resource_name=f"{state_machine.state_machine_name}:*",
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        for construct_id, function in self.built.items():
            access = self._access[construct_id]
            if access.starts_verification:
                function.add_environment("VERIFICATION_STATE_MACHINE_ARN", state_machine.state_machine_arn)
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

    def each(self) -> list[tuple[lambda_.Function, Access]]:
        """Every function built so far, with its access (for grants made after all are built)."""
        return [(function, self._access[construct_id]) for construct_id, function in self.built.items()]

    def _function(self, spec: _Spec) -> lambda_.Function:
        if spec.construct_id in self.built:
            return self.built[spec.construct_id]
        scope = Construct(self, spec.construct_id)
        log_group = logs.LogGroup(
            scope,
            "Logs",
            log_group_name=f"/aws/lambda/{spec.function_name}",
            retention=self._stage.log_retention,
            removal_policy=self._stage.removal_policy,
        )
        role = iam.Role(
            scope,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{spec.function_name}: least privilege (infra/access.py)",
        )
        log_group.grant_write(role)
        self._grant(role, spec.access)
        function = lambda_.Function(
            scope,
            "Function",
            function_name=spec.function_name,
            description=spec.description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            code=lambda_.Code.from_asset(str(constants.FUNCTIONS_ROOT / spec.asset), exclude=_ASSET_EXCLUDE),
            handler=spec.handler,
            layers=[self.layer],
            memory_size=spec.memory_mb,
            timeout=spec.timeout,
            tracing=lambda_.Tracing.ACTIVE,
            log_group=log_group,
            role=role,
            environment=self.environment.variables(),
        )
        self._alarms(scope, function, spec.function_name)
        acknowledge(
            role.node.find_child("DefaultPolicy"),
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions; "
            "every data-plane action is on exact ARNs (infra/access.py).",
        )
        acknowledge(
            function,
            "AwsSolutions-L1",
            "python3.13 on purpose: the layer's compiled wheels (pydantic-core, h3) are built for cp313.",
        )
        self.built[spec.construct_id] = function
        self._access[spec.construct_id] = spec.access
        return function

    def _grant(self, role: iam.Role, access: Access) -> None:
        resources = self._resources
        for logical in sorted(access.tables):
            table = resources.tables[logical]
            for number, grant in enumerate(access.grants[logical], start=1):
                indexes = (
                    resources.table_indexes[logical] if grant.indexes == acl.EVERY_INDEX else grant.indexes
                )
                unknown = set(indexes) - set(resources.table_indexes[logical])
                if unknown:
                    raise ValueError(f"{logical} has no index {sorted(unknown)} (infra/access.py)")
                arns = [table.table_arn] if grant.on_table else []
                arns += [f"{table.table_arn}/index/{name}" for name in indexes]
                role.add_to_principal_policy(
                    iam.PolicyStatement(
                        # One statement per grant: TableGeo, TableGeo2, ...
                        sid=f"Table{_pascal(logical)}{number if number > 1 else ''}",
                        actions=sorted(grant.actions),
                        resources=arns,
                        conditions=grant.conditions() or None,
                    )
                )
        if access.documents is Documents.EVIDENCE_UPLOAD:
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    sid="EvidenceObjects",
                    actions=list(acl.DOCUMENT_WRITE_ACTIONS),
                    resources=[resources.bucket.arn_for_objects(f"{acl.EVIDENCE_PREFIX}*")],
                )
            )
            bucket_id = Stack.of(self).get_logical_id(resources.bucket.node.default_child)  # type: ignore[arg-type]
            acknowledge(
                role.node.find_child("DefaultPolicy"),
                f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/{acl.EVIDENCE_PREFIX}*]",
                "Evidence keys are generated per upload under complaints/<id>/; signing the upload "
                "form needs PutObject on them, and nothing else in the bucket.",
            )
        elif access.documents is not None:
            object_actions: tuple[str, ...] = acl.DOCUMENT_READ_ACTIONS
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

    def _alarms(self, scope: Construct, function: lambda_.Function, function_name: str) -> None:
        for name, metric in (
            ("Errors", function.metric_errors(period=constants.ALARM_PERIOD, statistic="Sum")),
            ("Throttles", function.metric_throttles(period=constants.ALARM_PERIOD, statistic="Sum")),
        ):
            alarm(scope, f"{name}Alarm", f"{function_name}: {name.lower()} in the last 5 minutes", metric)


def _logical_id(construct: IConstruct) -> str:
    return Stack.of(construct).get_logical_id(construct.node.default_child)  # type: ignore[arg-type]


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_"))
