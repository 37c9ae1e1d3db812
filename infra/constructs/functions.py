"""The Lambda factory: the one helper that builds every function.

Every function: python3.13 on arm64, the common layer, its own role with exactly what
``access.py`` says (compiled by ``infra/grants.py``), its own log group with retention, X-Ray
tracing, an Errors alarm and a Throttles alarm, and an environment built from the field names of
the settings model its code reads (``SETTINGS``): ``environment`` turns them into the model's own
aliases, so the stack cannot set a variable the code does not declare, or forget one it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from book.settings import BookSettings
from complaint.settings import ComplaintSettings
from infra import access as acl
from infra import constants
from infra.access import Access, Secret
from infra.constants import StageSettings
from infra.constructs.monitoring import alarm
from infra.grants import Resources, grant, grant_verification
from infra.layer import FUNCTIONS_DIR, function_asset
from infra.nag import acknowledge
from match.settings import MatchSettings
from notify.settings import NotifySettings
from register.settings import RegisterSettings
from sevamitra.edge.routes import Entry, Function
from sevamitra.platform.ondc_settings import OndcSettings
from sevamitra.platform.settings import CommonSettings, FromStack

RUNTIME = lambda_.Runtime.PYTHON_3_13
ARCHITECTURE = lambda_.Architecture.ARM_64
# Function code ships as source (a few modules each, compiled at cold start in about 10 ms; the
# machine's own bytecode would be for the wrong Python). The layer ships CPython 3.13 bytecode
# (infra/layer.py), so only its build stamp stays out.
_ASSET_EXCLUDE = ["__pycache__", "*.pyc"]
# The layer build directory also holds the compiled function packages (infra/layer.py).
_LAYER_ASSET_EXCLUDE = [".stamp", FUNCTIONS_DIR]


# The settings model each function's code reads (its entries run the same code and read the same).
SETTINGS: Mapping[Function, type[CommonSettings]] = MappingProxyType(
    {
        Function.REGISTER: RegisterSettings,
        Function.MATCH: MatchSettings,
        Function.BOOK: BookSettings,
        Function.COMPLAINT: ComplaintSettings,
        Function.VERIFY: CommonSettings,
        Function.NOTIFY: NotifySettings,
        Function.JOBS: CommonSettings,
        Function.ONDC: OndcSettings,
    }
)


def stack_set(settings: type[CommonSettings]) -> frozenset[str]:
    """The fields of ``settings`` a deployed function must be given: required, or ``FROM_STACK``."""
    return frozenset(
        name
        for name, field in settings.model_fields.items()
        if field.is_required() or any(isinstance(marker, FromStack) for marker in field.metadata)
    )


def environment(
    settings: type[CommonSettings], values: Mapping[str, str], *, complete: bool = True
) -> dict[str, str]:
    """The Lambda environment that gives code reading ``settings`` these ``values`` (field name ->
    value or CDK token), keyed by the fields' aliases. Raises ``ValueError``, which fails synth, for
    a field ``settings`` does not declare and, when ``complete``, for a ``stack_set`` one missing."""
    fields = settings.model_fields
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ValueError(
            f"{settings.__name__} declares no setting {', '.join(unknown)}: declare it in the settings "
            "model the function reads before the stack sets it"
        )
    missing = sorted(stack_set(settings) - set(values)) if complete else []
    if missing:
        raise ValueError(f"{settings.__name__} needs {', '.join(missing)} from the stack: no usable default")
    return {fields[name].alias or name: value for name, value in values.items()}


@dataclass(frozen=True)
class _Spec:
    construct_id: str
    function_name: str
    asset: str
    handler: str
    memory_mb: int
    timeout: Duration
    access: Access
    settings: type[CommonSettings]
    description: str


class Functions(Construct):
    """``api(Function.MATCH)`` and ``entry(Entry(...))`` build (once) and return a function."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        resources: Resources,
        stage: StageSettings,
        layer_dir: Path,
        model_settings: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._stage = stage
        self._resources = resources
        # Settings only some models declare (field name -> value): each function gets those its
        # model declares (the SMS service's to book and notify, the contacts key to register, the
        # ONDC identity, key and queue to the ondc function and its entries...).
        self.model_settings: dict[str, str] = dict(model_settings or {})
        # What every function gets, by ``CommonSettings`` field name.
        self.common_settings: dict[str, str] = {
            "stage": stage.name,
            "table_prefix_setting": stage.prefix,
            "documents_bucket": resources.bucket.bucket_name,
            "event_bus_name": resources.event_bus.event_bus_name,
            "identity_key_secret_arn": resources.secrets[Secret.IDENTITY_KEY].secret_arn,
            "police_secret_arn": resources.secrets[Secret.POLICE_CALLBACK].secret_arn,
            "cursor_key_secret_arn": resources.secrets[Secret.CURSOR_KEY].secret_arn,
            "powertools_service_name": constants.POWERTOOLS_SERVICE_NAME,
            "powertools_metrics_namespace": constants.POWERTOOLS_METRICS_NAMESPACE,
            "powertools_log_level": stage.log_level,
            "pydantic_disable_plugins": "__all__",
        }
        self._layer_dir = layer_dir
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
        self._settings: dict[str, type[CommonSettings]] = {}

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
                settings=SETTINGS[function],
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
                settings=SETTINGS[entry.function],
                description=f"Seva Mitra job: {entry.name}",
            )
        )

    def allow_verification_start(self, state_machine: sfn.StateMachine) -> None:
        """Let every function whose access says so start ``state_machine`` (and look up its
        executions), and tell it the ARN; let those that answer it resume its waiting tasks."""
        for function, access in self.each():
            if access.starts_verification:
                self.add_settings(function, verification_state_machine_arn=state_machine.state_machine_arn)
            grant_verification(function, access, state_machine)

    def add_settings(self, function: lambda_.Function, **values: str) -> None:
        """Give ``function`` more settings (field name -> value) once they exist: its settings
        model must declare them (``environment``)."""
        construct_id = function.node.scope.node.id  # type: ignore[union-attr]
        for name, value in environment(self._settings[construct_id], values, complete=False).items():
            function.add_environment(name, value)

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
        grant(role, spec.access, self._resources)
        function = lambda_.Function(
            scope,
            "Function",
            function_name=spec.function_name,
            description=spec.description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            code=_function_code(function_asset(self._layer_dir, spec.asset)),
            handler=spec.handler,
            layers=[self.layer],
            memory_size=spec.memory_mb,
            timeout=spec.timeout,
            tracing=lambda_.Tracing.ACTIVE,
            log_group=log_group,
            role=role,
            environment=environment(spec.settings, {**self.common_settings, **self._declared(spec.settings)}),
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
        self._settings[spec.construct_id] = spec.settings
        return function

    def _declared(self, settings: type[CommonSettings]) -> dict[str, str]:
        return {name: value for name, value in self.model_settings.items() if name in settings.model_fields}

    def _alarms(self, scope: Construct, function: lambda_.Function, function_name: str) -> None:
        for name, metric in (
            ("Errors", function.metric_errors(period=constants.ALARM_PERIOD, statistic="Sum")),
            ("Throttles", function.metric_throttles(period=constants.ALARM_PERIOD, statistic="Sum")),
        ):
            alarm(scope, f"{name}Alarm", f"{function_name}: {name.lower()} in the last 5 minutes", metric)


def _function_code(asset: Path) -> lambda_.Code:
    """A function's code: its compiled build (bytecode kept: ``/var/task`` is read-only, so
    source would be compiled on every cold start), or its source without stray bytecode."""
    if asset.is_relative_to(constants.FUNCTIONS_ROOT):
        return lambda_.Code.from_asset(str(asset), exclude=_ASSET_EXCLUDE)
    return lambda_.Code.from_asset(str(asset))
