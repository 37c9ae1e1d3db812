"""Fixtures for the registration tests: a minimal verification state machine, test identities,
and helpers that walk a professional through registration, uploads and submission."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest

from local.client import SAMPLE_PDF
from local.provision import LocalResources, cached_client
from sevamitra.edge import pii
from sevamitra.platform.settings import settings
from tests.integration.conftest import Api, ApiResponse, claims_for
from tests.integration.support import make_aadhaar, make_mobile, store_upload

# A one-Pass-state stand-in for the verification workflow: these tests are about submit itself
# (execution naming, compensation); test_verification_chain.py runs submit on the real ASL.
_MINIMAL_ASL = {"StartAt": "Accepted", "States": {"Accepted": {"Type": "Pass", "End": True}}}

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def verification_state_machine(aws: LocalResources) -> Iterator[str]:
    """The state machine named by VERIFICATION_STATE_MACHINE_ARN, created on moto if absent."""
    arn = settings().verification_state_machine_arn
    sfn = cached_client("stepfunctions", settings().aws_region)
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


def upload(professional_id: str, kind: str, api: Api, sub: str, body: bytes = SAMPLE_PDF) -> str:
    """Request an upload form and put the object under its key, as a client's form POST would."""
    response = api(
        "POST",
        f"/professionals/{professional_id}/documents",
        body={"kind": kind, "content_type": "application/pdf", "size_bytes": len(body)},
        claims=claims_for(sub),
    )
    assert response.status == 201, response.body
    store_upload(response.body["upload"]["fields"], body)
    return str(response.body["document_id"])
