"""Fault injection: one emulator for the package, empty tables per case, and an injector that
makes the N-th AWS call of a request fail.

The injector patches ``botocore.client.BaseClient._make_api_call``, through which every SDK call
goes (boto3 clients and pynamodb's), and only on the thread that runs the request: the workflow's
executions and other background threads are left alone. A fault raised there is what the code
sees once botocore's own retries are exhausted.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.client
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from local.provision import LocalResources, cached_client, provision
from sevamitra.data.models import ALL_MODELS
from sevamitra.edge import pii
from sevamitra.platform.settings import settings
from tests.integration.conftest import IDENTITY_KEY, MOTO_CONFIG, POLICE_KEY
from tests.oracle import invariants
from verify import aws as verify_aws

# What each service answers when it fails, and when it throttles (botocore's error codes).
ERRORS = {
    "dynamodb": ("InternalServerError", 500),
    "s3": ("InternalError", 500),
    "secretsmanager": ("InternalServiceError", 500),
    "stepfunctions": ("ServiceUnavailable", 503),
    "events": ("InternalException", 500),
}
THROTTLES = {"dynamodb": ("ProvisionedThroughputExceededException", 400)}

_ORIGINAL_CALL = botocore.client.BaseClient._make_api_call
_STAND_IN_ASL = {"StartAt": "Accepted", "States": {"Accepted": {"Type": "Pass", "End": True}}}


@dataclass
class Injector:
    """Counts the calls of one thread; fails call number ``fail_at`` (0-based) once."""

    thread: int = field(default_factory=threading.get_ident)
    calls: list[str] = field(default_factory=list)
    fail_at: int | None = None
    throttle: bool = False
    fired: str | None = None

    def before(self, service: str, operation: str) -> None:
        if threading.get_ident() != self.thread:
            return
        index = len(self.calls)
        self.calls.append(f"{service}:{operation}")
        if index == self.fail_at:
            self.fired = self.calls[-1]
            table = THROTTLES if self.throttle else ERRORS
            code, status = table.get(service, ("ServiceUnavailable", 503))
            raise ClientError(
                {
                    "Error": {"Code": code, "Message": "injected fault"},
                    "ResponseMetadata": {"HTTPStatusCode": status},
                },
                operation,
            )


_active: Injector | None = None


def _make_api_call(self: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
    injector = _active
    if injector is not None:
        injector.before(self.meta.service_model.service_name, operation_name)
    return _ORIGINAL_CALL(self, operation_name, api_params)


@pytest.fixture(scope="package")
def _emulator() -> Iterator[LocalResources]:
    with mock_aws(config=MOTO_CONFIG):
        resources = provision(settings(), police_key=POLICE_KEY, identity_key=IDENTITY_KEY, workflow=False)
        # A one-Pass stand-in for the verification workflow: submit starts it, and it ends at once.
        arn = settings().verification_state_machine_arn
        created = cached_client("stepfunctions", settings().aws_region).create_state_machine(
            name=arn.rsplit(":", 1)[1],
            definition=json.dumps(_STAND_IN_ASL),
            roleArn="arn:aws:iam::123456789012:role/sevamitra-test-verification",
        )
        assert created["stateMachineArn"] == arn
        original = botocore.client.BaseClient._make_api_call
        botocore.client.BaseClient._make_api_call = _make_api_call  # type: ignore[method-assign]
        try:
            yield resources
        finally:
            botocore.client.BaseClient._make_api_call = original  # type: ignore[method-assign]


Tables = dict[str, list[dict[str, Any]]]


def _dynamodb() -> Any:
    return cached_client("dynamodb", settings().aws_region)


def _keys(model: Any) -> list[str]:
    return [a.attr_name for a in (model._hash_key_attribute(), model._range_key_attribute()) if a]


def reset() -> None:
    """Empty every table and forget the cached keys."""
    dynamodb = _dynamodb()
    for model in ALL_MODELS:
        table = model.Meta.table_name
        for page in dynamodb.get_paginator("scan").paginate(
            TableName=table, ProjectionExpression=", ".join(_keys(model))
        ):
            for item in page["Items"]:
                dynamodb.delete_item(TableName=table, Key=item)
    forget_keys()


def forget_keys() -> None:
    """The next request reads the identity and police keys from Secrets Manager again."""
    pii.clear_key_cache()
    verify_aws.forget_police_key()


def save_tables() -> Tables:
    """Every item of every table, to start each case from the same state without rebuilding it."""
    dynamodb = _dynamodb()
    saved: Tables = {}
    for model in ALL_MODELS:
        table = model.Meta.table_name
        pages = dynamodb.get_paginator("scan").paginate(TableName=table)
        saved[table] = [item for page in pages for item in page["Items"]]
    return saved


def restore_tables(saved: Tables) -> None:
    reset()
    dynamodb = _dynamodb()
    for table, items in saved.items():
        for start in range(0, len(items), 25):
            batch = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            dynamodb.batch_write_item(RequestItems={table: batch})


@pytest.fixture
def aws(_emulator: LocalResources) -> LocalResources:
    reset()
    return _emulator


class Faults:
    """``with faults.recording() as injector`` counts a request's calls; ``with faults.failing(n)``
    fails its ``n``-th."""

    def _activate(self, injector: Injector) -> Iterator[Injector]:
        global _active
        _active = injector
        try:
            yield injector
        finally:
            _active = None

    def recording(self) -> Any:
        from contextlib import contextmanager

        return contextmanager(self._activate)(Injector())

    def failing(self, index: int, *, throttle: bool = False) -> Any:
        from contextlib import contextmanager

        return contextmanager(self._activate)(Injector(fail_at=index, throttle=throttle))


@pytest.fixture
def faults(aws: LocalResources) -> Faults:
    return Faults()


def stored_violations() -> list[str]:
    dynamodb = boto3.resource("dynamodb", region_name=settings().aws_region)
    return invariants.check(dynamodb, settings().table_prefix, rescans=1)


_serial = itertools.count(1)


def serial() -> int:
    return next(_serial)


Check = Callable[[], list[str]]
