"""Integration tests: handlers in-process on moto, driven by API Gateway events."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from moto import mock_aws

from local import moto_transactions
from local.dispatch import invoke
from local.lambdas import install_lambda_router, uninstall_lambda_router
from local.provision import LocalResources, cached_client, create_verification_workflow, provision
from local.proxy_events import match_route, rest_event
from sevamitra.platform.settings import settings
from tests.integration.concurrency import serialised_dynamodb

MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
POLICE_KEY = "test-police-shared-secret"
IDENTITY_KEY = "test-identity-hmac-key"


@dataclass
class ApiResponse:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def error_code(self) -> str | None:
        return (self.body or {}).get("error", {}).get("code") if isinstance(self.body, dict) else None


Api = Callable[..., ApiResponse]


@pytest.fixture(scope="session", autouse=True)
def _dynamodb_requests_are_atomic() -> Iterator[None]:
    """One DynamoDB request at a time, as DynamoDB applies each atomically (``concurrency``);
    a cancelled transaction puts back the items it touched (``local/moto_transactions.py``)."""
    moto_transactions.install()
    with serialised_dynamodb():
        yield


@contextmanager
def local_aws() -> Iterator[LocalResources]:
    """Every resource on moto but the state machine (``verification_workflow``); Lambda tasks of
    state machines run the in-process handlers."""
    with mock_aws(config=MOTO_CONFIG):
        install_lambda_router(settings().resource_prefix)
        try:
            yield provision(
                settings(), police_key=POLICE_KEY, identity_key=IDENTITY_KEY, workflow=False, user_pool=False
            )
            _stop_running_executions()
        finally:
            uninstall_lambda_router()


@pytest.fixture
def aws() -> Iterator[LocalResources]:
    """Fresh resources for each test (``local_aws``). A module of sweeps whose requests are all
    refused before they write may share one set: it overrides ``aws`` with module scope."""
    with local_aws() as resources:
        yield resources


@pytest.fixture
def verification_workflow(aws: LocalResources) -> str:
    """The verification state machine at VERIFICATION_STATE_MACHINE_ARN (what submit starts).
    Opt-in: moto takes most of a second to validate the definition."""
    arn = create_verification_workflow(settings())
    assert arn == settings().verification_state_machine_arn
    aws.verification_state_machine_arn = arn
    return arn


def _stop_running_executions() -> None:
    """Executions still waiting (for the police) would keep their threads after the test."""
    sfn = cached_client("stepfunctions", settings().aws_region)
    for machine in sfn.list_state_machines()["stateMachines"]:
        running = sfn.list_executions(stateMachineArn=machine["stateMachineArn"], statusFilter="RUNNING")
        for execution in running["executions"]:
            sfn.stop_execution(executionArn=execution["executionArn"])


def claims_for(sub: str, *groups: str) -> dict[str, Any]:
    claims: dict[str, Any] = {"sub": sub, "cognito:username": sub, "token_use": "id"}
    if groups:
        claims["cognito:groups"] = list(groups)
    return claims


@pytest.fixture
def api(aws: LocalResources) -> Api:
    """Call a route through its function's handler: ``api("GET", "/me", claims=claims_for("u1"))``."""

    def call(method: str, path: str, *, claims: dict[str, Any] | None = None, **kwargs: Any) -> ApiResponse:
        matched = match_route(method, path.split("?")[0])
        assert matched, f"no declared route for {method} {path}"
        route, _ = matched
        if "?" in path:
            path, kwargs["query"] = path.split("?", 1)
        response = invoke(route.function, rest_event(method, path, claims=claims, **kwargs))
        body = response.get("body")
        # REST API proxy responses carry Powertools' headers in multiValueHeaders.
        headers = {
            name: ",".join(values) for name, values in (response.get("multiValueHeaders") or {}).items()
        }
        headers.update(response.get("headers") or {})
        return ApiResponse(response["statusCode"], json.loads(body) if body else None, headers)

    return call
