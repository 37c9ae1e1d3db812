"""POST /verification/callback (police systems, HMAC-signed) and the officers' pending list."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from botocore.exceptions import ClientError

from local.provision import LocalResources
from sevamitra.data import verifications
from sevamitra.data.verifications import get_request
from sevamitra.edge import signing
from sevamitra.edge.errors import DependencyFailed, DomainError, Throttled
from tests.integration.conftest import POLICE_KEY, Api, claims_for
from tests.integration.verification_support import (
    callback,
    finished,
    professional,
    stages,
    waiting_for_police,
)
from verify import aws as verify_aws

KEY = POLICE_KEY.encode()


def _body(request_id: str = "vrq_unknown", result: str = "clear") -> str:
    return json.dumps({"request_id": request_id, "result": result})


@pytest.fixture
def waiting(verification_workflow: str) -> tuple[str, str]:
    """A professional whose workflow waits for the police: (execution arn, request id)."""
    return waiting_for_police()


def test_forged_signature_is_401_and_the_workflow_keeps_waiting(api: Api, waiting: tuple[str, str]) -> None:
    _, request_id = waiting

    response = callback(api, _body(request_id), key=b"not-the-police-key")

    assert (response.status, response.error_code) == (401, "invalid_signature")
    assert professional().status == "police_pending"
    assert get_request(request_id).result is None  # type: ignore[union-attr]


def test_signature_over_another_body_is_401(api: Api, waiting: tuple[str, str]) -> None:
    _, request_id = waiting
    header = signing.sign(KEY, int(time.time()), _body(request_id, "adverse").encode())

    response = callback(api, _body(request_id, "clear"), header=header)

    assert (response.status, response.error_code) == (401, "invalid_signature")


@pytest.mark.parametrize("skew", [-301, 301, -100_000])
def test_timestamp_outside_five_minutes_is_401(aws: LocalResources, api: Api, skew: int) -> None:
    response = callback(api, _body(), timestamp=int(time.time()) + skew)

    assert (response.status, response.error_code) == (401, "invalid_signature")


@pytest.mark.parametrize(
    "header",
    ["", "t=,v1=", "v1=" + "a" * 64, "t=1700000000", "t=abc,v1=" + "a" * 64, "sha256=deadbeef", "t=1;v1=00"],
)
def test_missing_or_malformed_signature_header_is_401(aws: LocalResources, api: Api, header: str) -> None:
    response = callback(api, _body(), header=header)

    assert (response.status, response.error_code) == (401, "invalid_signature")


def test_unsigned_request_is_401_even_with_a_garbage_body(aws: LocalResources, api: Api) -> None:
    response = api("POST", "/verification/callback", body="{not json")

    assert (response.status, response.error_code) == (401, "invalid_signature")


def test_signed_but_invalid_body_is_validated_after_the_signature(aws: LocalResources, api: Api) -> None:
    assert callback(api, "{not json").status == 400
    wrong = callback(api, {"request_id": "vrq_1", "result": "maybe"})
    assert (wrong.status, wrong.error_code) == (422, "validation_error")


def test_unknown_request_is_404(aws: LocalResources, api: Api) -> None:
    response = callback(api, _body("vrq_does_not_exist"))

    assert (response.status, response.error_code) == (404, "unknown_request")


def test_replayed_callback_is_200_with_a_single_decision(api: Api, waiting: tuple[str, str]) -> None:
    execution, request_id = waiting
    body = {"request_id": request_id, "result": "clear"}

    first = callback(api, body)
    assert finished(execution) == "SUCCEEDED"
    replay = callback(api, body)

    assert (first.status, replay.status) == (200, 200)
    assert first.body == replay.body == {"request_id": request_id, "result": "clear", "status": "recorded"}
    assert [s for s in stages() if s[0] in ("police_answered", "decision")] == [
        ("police_answered", "clear"),
        ("decision", "verified"),
    ]


def test_conflicting_second_answer_is_409_and_changes_nothing(api: Api, waiting: tuple[str, str]) -> None:
    execution, request_id = waiting
    assert callback(api, {"request_id": request_id, "result": "clear"}).status == 200
    assert finished(execution) == "SUCCEEDED"

    conflict = callback(api, {"request_id": request_id, "result": "adverse", "case_refs": ["FIR 1/2026"]})

    assert (conflict.status, conflict.error_code) == (409, "already_decided")
    assert professional().status == "verified"
    assert get_request(request_id).result == "clear"  # type: ignore[union-attr]


class _StepFunctionsDown:
    """The real client, except that SendTaskSuccess fails the first ``failures`` times."""

    def __init__(self, real: Any, failures: int) -> None:
        self._real = real
        self.failures = failures

    def send_task_success(self, **kwargs: Any) -> Any:
        if self.failures > 0:
            self.failures -= 1
            raise ClientError(
                {"Error": {"Code": "ServiceUnavailable", "Message": "down"}, "ResponseMetadata": {}},
                "SendTaskSuccess",
            )
        return self._real.send_task_success(**kwargs)


def test_resume_failure_is_503_with_nothing_recorded_and_a_retry_succeeds(
    api: Api, waiting: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    execution, request_id = waiting
    flaky = _StepFunctionsDown(verify_aws.sfn(), failures=1)
    monkeypatch.setattr(verify_aws, "sfn", lambda: flaky)
    body = {"request_id": request_id, "result": "clear"}

    failed = callback(api, body)

    assert (failed.status, failed.error_code) == (503, "dependency_unavailable")
    request = get_request(request_id)
    assert request is not None
    assert (request.result, request.state) == (None, "pending")

    retried = callback(api, body)

    assert retried.status == 200
    assert finished(execution) == "SUCCEEDED"
    assert professional().status == "verified"


@pytest.mark.parametrize("failure", [Throttled, DependencyFailed], ids=["throttled", "failed"])
def test_an_answer_the_workflow_took_is_200_even_when_recording_it_fails(
    api: Api, waiting: tuple[str, str], monkeypatch: pytest.MonkeyPatch, failure: type[DomainError]
) -> None:
    """SendTaskSuccess succeeded, so the answer is taken (the decision step records it too): a
    429 or 503 would tell the police to retry an answer that already moved the workflow."""
    execution, request_id = waiting
    real_record_answer = verifications.record_answer
    test_thread = threading.get_ident()
    calls: list[str] = []

    def store_down(request_id: str, *args: Any) -> None:
        # The callback runs on this thread; the decision step's write (moto's thread) goes through.
        if threading.get_ident() == test_thread:
            calls.append(request_id)
            raise failure(message="DynamoDB is having a moment")
        real_record_answer(request_id, *args)

    monkeypatch.setattr(verifications, "record_answer", store_down)

    answered = callback(api, {"request_id": request_id, "result": "clear"})

    assert (answered.status, answered.body) == (
        200,
        {"request_id": request_id, "result": "clear", "status": "recorded"},
    )
    assert calls == [request_id]
    assert finished(execution) == "SUCCEEDED"
    assert professional().status == "verified"


def test_key_comes_from_secrets_manager_and_a_missing_secret_is_503(
    aws: LocalResources, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    verify_aws.forget_police_key()
    monkeypatch.setattr(verify_aws, "_key_cache", {})
    import boto3

    boto3.client("secretsmanager", region_name="ap-south-1").delete_secret(
        SecretId=aws.police_secret_arn, ForceDeleteWithoutRecovery=True
    )

    response = callback(api, _body())

    assert (response.status, response.error_code) == (503, "dependency_unavailable")


# --- the officers' list ----------------------------------------------------------------------


def test_officers_list_pending_requests_newest_first(verification_workflow: str, api: Api) -> None:
    _, first = waiting_for_police("pro_a", district="Lucknow")
    time.sleep(1.1)  # requested_at has one-second resolution
    _, second = waiting_for_police("pro_b", district="Varanasi")

    response = api("GET", "/verification/requests?status=pending", claims=claims_for("o1", "officers"))

    assert response.status == 200
    listed = response.body["requests"]
    assert [r["request_id"] for r in listed] == [second, first]
    assert listed[1]["professional_id"] == "pro_a"
    assert listed[0]["district"] == "Varanasi"
    assert set(listed[0]) == {"request_id", "professional_id", "district", "requested_at"}
    assert listed[0]["requested_at"] >= listed[1]["requested_at"]
    assert response.body["next_cursor"] is None

    assert callback(api, {"request_id": first, "result": "clear"}).status == 200
    after = api("GET", "/verification/requests?status=pending", claims=claims_for("o1", "officers"))
    assert [r["request_id"] for r in after.body["requests"]] == [second]


def test_pending_list_is_for_officers_only(aws: LocalResources, api: Api) -> None:
    citizen = api("GET", "/verification/requests?status=pending", claims=claims_for("citizen-1"))
    employer = api("GET", "/verification/requests?status=pending", claims=claims_for("e1", "employers"))
    anonymous = api("GET", "/verification/requests?status=pending")

    assert (citizen.status, citizen.error_code) == (403, "forbidden")
    assert employer.status == 403
    assert anonymous.status == 401


def test_pending_list_rejects_other_statuses(aws: LocalResources, api: Api) -> None:
    response = api("GET", "/verification/requests?status=answered", claims=claims_for("o1", "officers"))

    assert response.status == 422
