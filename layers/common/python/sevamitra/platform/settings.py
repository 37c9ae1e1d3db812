"""Typed configuration, read from the environment once per cold start.

Each function extends ``CommonSettings`` with what it needs and builds it once with
``settings_for``; logic never reads ``os.environ``.

A plain pydantic model over ``os.environ`` (field aliases are the variable names) rather than
pydantic-settings, whose import pulls in argparse and gettext: about 70 ms of every cold start
for features (dotenv files, CLI parsing, secrets directories) no function uses.

These models are the functions' environment contract: the CDK stack builds each function's
environment from their field names (``infra/constructs/functions.py``), so it can set no
variable they do not declare and must set every one marked ``FROM_STACK``.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

S = TypeVar("S", bound="CommonSettings")


class FromStack:
    """``Annotated`` marker of a setting whose default only suits the local stack and the tests:
    a deployed function must be given it, and synth fails if the stack does not."""

    def __repr__(self) -> str:
        return "FROM_STACK"


FROM_STACK = FromStack()


class EnvironmentSettings(BaseModel):
    """Settings read from the process environment when built without arguments."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    def __init__(self, **values: Any) -> None:
        super().__init__(**(values or dict(os.environ)))


class CommonSettings(EnvironmentSettings):
    stage: Annotated[str, FROM_STACK] = Field(default="local", alias="STAGE")
    aws_region: str = Field(default="ap-south-1", alias="AWS_REGION")
    # Every table is named "<table_prefix><logical name>" (data/models.py). Unset: the stage's
    # resource prefix, which is what the CDK stack sets TABLE_PREFIX to (docs/decisions.md).
    table_prefix_setting: str = Field(default="", alias="TABLE_PREFIX")
    documents_bucket: Annotated[str, FROM_STACK] = Field(
        default="sevamitra-local-documents", alias="DOCUMENTS_BUCKET"
    )
    event_bus_name: Annotated[str, FROM_STACK] = Field(default="sevamitra-local", alias="EVENT_BUS_NAME")
    identity_key_secret_arn: Annotated[str, FROM_STACK] = Field(
        default="sevamitra-local/identity-key", alias="IDENTITY_KEY_SECRET_ARN"
    )
    police_secret_arn: Annotated[str, FROM_STACK] = Field(
        default="sevamitra-local/police-callback", alias="POLICE_SECRET_ARN"
    )
    cursor_key_secret_arn: Annotated[str, FROM_STACK] = Field(
        default="sevamitra-local/cursor-key", alias="CURSOR_KEY_SECRET_ARN"
    )
    # The verification workflow: the stack sets it on the functions whose access starts it.
    verification_state_machine_arn: str = Field(default="", alias="VERIFICATION_STATE_MACHINE_ARN")
    booking_accept_timeout_s: int = Field(default=1800, ge=1, alias="BOOKING_ACCEPT_TIMEOUT_S")
    complaint_sla_s: int = Field(default=7 * 24 * 3600, ge=1, alias="COMPLAINT_SLA_S")
    # The professional's window to answer a complaint (``respond_by``): no decision before it
    # ends unless they answered. Capped at the complaint's ``due_by``.
    complaint_response_s: int = Field(default=48 * 3600, ge=1, alias="COMPLAINT_RESPONSE_S")
    police_verification_timeout_s: int = Field(
        default=7 * 24 * 3600, ge=1, alias="POLICE_VERIFICATION_TIMEOUT_S"
    )
    idempotency_ttl_s: int = Field(default=3600, ge=60, alias="IDEMPOTENCY_TTL_S")
    # Comma-separated origins allowed to call the API from a browser (the stack sets it from the
    # stage's configuration); empty: no CORS headers.
    allowed_origins_setting: str = Field(default="", alias="ALLOWED_ORIGINS")
    # Read by Powertools and pydantic themselves, not by this code; declared so that the stack's
    # environment is checked against one list. No pydantic plugins are used: "__all__" skips their
    # discovery, an entry-point scan on every cold start (benchmarks/cold_start.py).
    powertools_service_name: str = Field(default="", alias="POWERTOOLS_SERVICE_NAME")
    powertools_metrics_namespace: str = Field(default="", alias="POWERTOOLS_METRICS_NAMESPACE")
    powertools_log_level: str = Field(default="", alias="POWERTOOLS_LOG_LEVEL")
    pydantic_disable_plugins: str = Field(default="", alias="PYDANTIC_DISABLE_PLUGINS")

    @property
    def allowed_origins(self) -> list[str]:
        return [origin.strip() for origin in self.allowed_origins_setting.split(",") if origin.strip()]

    @property
    def resource_prefix(self) -> str:
        """``sevamitra-<stage>-``: the prefix of every named resource of a stage (tables, Lambda
        functions, the state machine, the user pool), as the CDK stack and the local stack name
        them."""
        return f"sevamitra-{self.stage}-"

    @property
    def table_prefix(self) -> str:
        return self.table_prefix_setting or self.resource_prefix


@cache
def settings_for(model: type[S]) -> S:
    """The settings of ``model``, validated once per process (that is, once per cold start)."""
    return model()


def settings() -> CommonSettings:
    return settings_for(CommonSettings)
