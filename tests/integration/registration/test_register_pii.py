"""PII by construction: after full registrations (self and assisted, with an Idempotency-Key),
document uploads through the presigned form and submission, the raw Aadhaar and mobile numbers
are nowhere: not in any table item, object key, metadata or body, workflow input, log record
(before or after formatting, AWS SDK debug logs included) or response."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests

from sevamitra.data.models import table_name
from sevamitra.data.schema import TABLES
from sevamitra.platform.observability import SERVICE, logger
from sevamitra.platform.settings import settings
from tests.integration.conftest import Api, ApiResponse, claims_for
from tests.integration.registration.conftest import registration_body
from tests.integration.support import approved_agency, make_aadhaar, make_mobile


class _RecordsCapture(logging.Handler):
    """Every log record as its raw attributes (message, args, extras), before any redaction."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(repr({**record.__dict__, "message": record.getMessage()}))


@pytest.fixture
def raw_logs() -> Iterator[_RecordsCapture]:
    capture = _RecordsCapture()
    loggers = [logging.getLogger(SERVICE), logging.getLogger("botocore"), logging.getLogger("pynamodb")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(capture)
        lg.setLevel(logging.DEBUG)
    yield capture
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(capture)
        lg.setLevel(level)


@pytest.fixture
def printed_logs() -> Iterator[io.StringIO]:
    """The JSON lines the function's logger writes (to CloudWatch, in AWS)."""
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def _stored_everything(state_machine_arn: str) -> list[str]:
    region = settings().aws_region
    dynamodb = boto3.client("dynamodb", region_name=region)
    dumps = []
    for spec in TABLES:
        for page in dynamodb.get_paginator("scan").paginate(TableName=table_name(spec.logical_name)):
            dumps.extend(json.dumps(item) for item in page["Items"])
    s3 = boto3.client("s3", region_name=region)
    bucket = settings().documents_bucket
    for obj in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
        head = s3.head_object(Bucket=bucket, Key=obj["Key"])
        body = s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read().decode("latin-1")
        dumps += [obj["Key"], json.dumps(head.get("Metadata", {})), head.get("ContentType", ""), body]
    sfn = boto3.client("stepfunctions", region_name=region)
    for execution in sfn.list_executions(stateMachineArn=state_machine_arn)["executions"]:
        dumps.append(json.dumps(sfn.describe_execution(executionArn=execution["executionArn"]), default=str))
    return dumps


def _upload_with_the_form(response: ApiResponse, content: bytes) -> None:
    """POST the file with the presigned form, exactly as a browser or app would."""
    upload = response.body["upload"]
    posted = requests.post(
        upload["url"], data=upload["fields"], files={"file": ("doc.pdf", content)}, timeout=10
    )
    assert posted.status_code in (200, 201, 204), posted.text


def test_raw_aadhaar_and_mobile_appear_nowhere_after_full_registration(
    api: Api, verification_state_machine: str, raw_logs: _RecordsCapture, printed_logs: io.StringIO
) -> None:
    self_body = registration_body(
        seed=900,
        services=["electrician_house_wiring_per_room"],
        qualification={"kind": "iti", "title": "Wireman"},
    )
    assisted_body = registration_body(seed=901, name="Geeta Devi", on_behalf=True)
    secrets = [self_body["aadhaar"], self_body["mobile"], assisted_body["aadhaar"], assisted_body["mobile"]]
    responses: list[ApiResponse] = []

    def call(*args: Any, **kwargs: Any) -> ApiResponse:
        response = api(*args, **kwargs)
        responses.append(response)
        return response

    headers = {"Idempotency-Key": "pii-scan"}
    own = call("POST", "/professionals", body=self_body, claims=claims_for("pii-self"), headers=headers)
    call("POST", "/professionals", body=self_body, claims=claims_for("pii-self"), headers=headers)
    assert own.status == 201
    approved_agency(api, owner="pii-agency")
    assisted = call("POST", "/professionals", body=assisted_body, claims=claims_for("pii-agency"))
    assert assisted.status == 201
    # Refused attempts with the same numbers must not leak them either.
    duplicate = call(
        "POST", "/professionals", body={**self_body, "mobile": make_mobile(9900)}, claims=claims_for("x")
    )
    assert duplicate.status == 409
    bad = (
        make_aadhaar(902)[:-1] + "0" if not make_aadhaar(902).endswith("0") else make_aadhaar(902)[:-1] + "1"
    )
    secrets.append(bad)
    assert (
        call("POST", "/professionals", body=registration_body(aadhaar=bad), claims=claims_for("y")).status
        == 422
    )

    for professional_id, sub, kinds in (
        (own.body["id"], "pii-self", ("id_proof", "qualification", "photo")),
        (assisted.body["id"], "pii-agency", ("id_proof",)),
    ):
        for kind in kinds:
            form = call(
                "POST",
                f"/professionals/{professional_id}/documents",
                body={"kind": kind, "content_type": "application/pdf", "size_bytes": 20},
                claims=claims_for(sub),
            )
            assert form.status == 201
            _upload_with_the_form(form, b"%PDF-1.4 sample file")
        submitted = call("POST", f"/professionals/{professional_id}/submit", claims=claims_for(sub))
        assert submitted.status == 202, submitted.body
        call("GET", f"/professionals/{professional_id}", claims=claims_for("pii-officer", "officers"))
    call("GET", "/me", claims=claims_for("pii-self"))

    stored = _stored_everything(verification_state_machine)
    assert len(stored) > 10
    printed = printed_logs.getvalue()
    haystacks = {
        "storage": stored,
        "raw log records": raw_logs.records,
        "printed logs": printed.splitlines(),
        "responses": [json.dumps(r.body) for r in responses],
    }
    assert raw_logs.records
    assert "professional registered" in printed
    for where, texts in haystacks.items():
        for secret in secrets:
            leaks = [text[:200] for text in texts if secret in text]
            assert leaks == [], f"{secret[-4:]} found in {where}"
