"""Fixtures for the registration tests: a minimal verification state machine, test identities,
and helpers that walk a professional through registration, uploads and submission."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from local.provision import LocalResources
from sevamitra.domain.types import verhoeff_check_digit
from sevamitra.edge import pii
from sevamitra.platform.settings import settings
from tests.integration.conftest import Api, ApiResponse, claims_for

# A one-Pass-state stand-in for the verification workflow: these tests are about submit itself
# (execution naming, compensation); test_verification_chain.py runs submit on the real ASL.
_MINIMAL_ASL = {"StartAt": "Accepted", "States": {"Accepted": {"Type": "Pass", "End": True}}}

_serial = itertools.count(1)


def make_aadhaar(seed: int) -> str:
    body = f"{4000_0000_000 + seed:011d}"
    return body + verhoeff_check_digit(body)


def make_mobile(seed: int) -> str:
    return f"9{700_000_000 + seed:09d}"


@pytest.fixture(autouse=True)
def verification_state_machine(aws: LocalResources) -> Iterator[str]:
    """The state machine named by VERIFICATION_STATE_MACHINE_ARN, created on moto if absent."""
    arn = settings().verification_state_machine_arn
    sfn = boto3.client("stepfunctions", region_name=settings().aws_region)
    name = arn.rsplit(":", 1)[1]
    if not any(m["stateMachineArn"] == arn for m in sfn.list_state_machines()["stateMachines"]):
        created = sfn.create_state_machine(
            name=name,
            definition=json.dumps(_MINIMAL_ASL),
            roleArn="arn:aws:iam::123456789012:role/sevamitra-test-verification",
        )["stateMachineArn"]
        assert created == arn
    pii.clear_key_cache()
    yield arn
    pii.clear_key_cache()


def registration_body(seed: int | None = None, **overrides: Any) -> dict[str, Any]:
    seed = next(_serial) if seed is None else seed
    body: dict[str, Any] = {
        "name": "Ramesh Kumar",
        "mobile": make_mobile(seed),
        "aadhaar": make_aadhaar(seed),
        "services": ["plumber_tap_leak_repair"],
        "location": {"lat": 26.8467, "lng": 80.9462},
        "district": "Lucknow",
        "qualification": {"kind": "none"},
    }
    body.update(overrides)
    return body


def register(api: Api, sub: str = "citizen-1", *groups: str, **overrides: Any) -> ApiResponse:
    return api("POST", "/professionals", body=registration_body(**overrides), claims=claims_for(sub, *groups))


def upload(professional_id: str, kind: str, api: Api, sub: str, body: bytes = b"%PDF-1.7 test") -> str:
    """Request an upload form and put the object under its key, as a client's form POST would."""
    response = api(
        "POST",
        f"/professionals/{professional_id}/documents",
        body={"kind": kind, "content_type": "application/pdf", "size_bytes": len(body)},
        claims=claims_for(sub),
    )
    assert response.status == 201, response.body
    fields = response.body["upload"]["fields"]
    boto3.client("s3", region_name=settings().aws_region).put_object(
        Bucket=settings().documents_bucket,
        Key=fields["key"],
        Body=body,
        ContentType=fields["Content-Type"],
        ServerSideEncryption=fields["x-amz-server-side-encryption"],
    )
    return str(response.body["document_id"])


def approved_agency(api: Api, owner: str, officer: str = "officer-1") -> str:
    created = api(
        "POST",
        "/agencies",
        body={
            "name": "Awadh Services",
            "udyam_number": "UDYAM-UP-12-0001234",
            "district": "Lucknow",
            "contact_mobile": "9812345678",
        },
        claims=claims_for(owner),
    )
    assert created.status == 201, created.body
    approved = api("POST", f"/agencies/{created.body['id']}/approve", claims=claims_for(officer, "officers"))
    assert approved.status == 200, approved.body
    return str(created.body["id"])


def table_items(logical: str) -> list[dict[str, Any]]:
    from sevamitra.data.models import table_name

    client = boto3.client("dynamodb", region_name=settings().aws_region)
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table_name(logical)):
        items.extend(page["Items"])
    return items
