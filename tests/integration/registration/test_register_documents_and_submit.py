"""Documents, submission and the profile: ownership, documents really in the bucket, the
verification workflow started exactly once, and nothing half-written when it cannot start."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from local.provision import cached_client
from sevamitra.data import professionals as repo
from sevamitra.data import workflows
from sevamitra.edge.errors import DependencyFailed
from sevamitra.platform.settings import settings
from tests.integration.conftest import Api, claims_for
from tests.integration.registration.conftest import register, upload
from tests.integration.support import approved_agency

PDF = {"kind": "id_proof", "content_type": "application/pdf", "size_bytes": 2048}


def _executions(arn: str) -> list[dict[str, Any]]:
    sfn = cached_client("stepfunctions", settings().aws_region)
    return [
        sfn.describe_execution(executionArn=e["executionArn"])
        for e in sfn.list_executions(stateMachineArn=arn)["executions"]
    ]


def _profile(api: Api, professional_id: str, sub: str = "officer-x", *groups: str) -> dict[str, Any]:
    response = api(
        "GET", f"/professionals/{professional_id}", claims=claims_for(sub, *(groups or ("officers",)))
    )
    assert response.status == 200
    return dict(response.body)


# --- documents --------------------------------------------------------------------------------


def test_document_request_returns_a_form_for_a_key_under_the_professional(api: Api) -> None:
    professional_id = register(api, "pro-1").body["id"]
    response = api(
        "POST", f"/professionals/{professional_id}/documents", body=PDF, claims=claims_for("pro-1")
    )
    assert response.status == 201
    document_id = response.body["document_id"]
    fields = response.body["upload"]["fields"]
    assert fields["key"] == f"professionals/{professional_id}/id_proof/{document_id}"
    assert fields["Content-Type"] == "application/pdf"
    assert response.body["upload"]["url"]
    assert _profile(api, professional_id)["documents"]["id_proof"]["document_id"] == document_id


def test_invalid_document_requests_are_422(api: Api) -> None:
    professional_id = register(api, "pro-2").body["id"]
    for body in (
        {**PDF, "size_bytes": 0},
        {**PDF, "size_bytes": 5 * 1024 * 1024 + 1},
        {**PDF, "kind": "selfie"},
        {**PDF, "content_type": "application/zip"},
    ):
        response = api(
            "POST", f"/professionals/{professional_id}/documents", body=body, claims=claims_for("pro-2")
        )
        assert (response.status, response.error_code) == (422, "validation_error"), body
    assert _profile(api, professional_id)["documents"] == {}


def test_unknown_professional_is_404_for_every_route_and_every_caller(api: Api) -> None:
    stranger = claims_for("stranger")
    for method, path, body in (
        ("GET", "/professionals/pro_missing", None),
        ("POST", "/professionals/pro_missing/documents", PDF),
        ("POST", "/professionals/pro_missing/submit", None),
    ):
        response = api(method, path, body=body, claims=stranger)
        assert (response.status, response.error_code) == (404, "not_found"), path


def test_professional_routes_need_a_token(api: Api) -> None:
    professional_id = register(api, "pro-3").body["id"]
    assert api("GET", f"/professionals/{professional_id}").status == 401
    assert api("POST", f"/professionals/{professional_id}/documents", body=PDF).status == 401
    assert api("POST", f"/professionals/{professional_id}/submit").status == 401


def test_ownership_matrix_for_documents_submit_and_profile(api: Api) -> None:
    approved_agency(api, owner="agency-member")
    assisted = register(api, "agency-member", on_behalf=True).body["id"]
    own = register(api, "pro-self").body["id"]
    # (caller, professional, may manage, may view)
    matrix = [
        (claims_for("pro-self"), own, True, True),
        (claims_for("agency-member"), assisted, True, True),
        (claims_for("agency-member"), own, False, False),
        (claims_for("pro-self"), assisted, False, False),
        (claims_for("stranger"), own, False, False),
        (claims_for("employer", "employers"), own, False, False),
        (claims_for("officer-9", "officers"), own, False, True),
    ]
    for claims, professional_id, may_manage, may_view in matrix:
        who = (claims["sub"], professional_id)
        viewed = api("GET", f"/professionals/{professional_id}", claims=claims)
        assert viewed.status == (200 if may_view else 403), who
        documents = api("POST", f"/professionals/{professional_id}/documents", body=PDF, claims=claims)
        assert documents.status == (201 if may_manage else 403), who
        submitted = api("POST", f"/professionals/{professional_id}/submit", claims=claims)
        # A manager gets past authorisation to the documents check (nothing uploaded yet).
        assert (submitted.status, submitted.error_code) == (
            (409, "documents_missing") if may_manage else (403, "forbidden")
        ), who


def test_officer_cannot_register_for_a_still_pending_agency(api: Api) -> None:
    agency = api(
        "POST",
        "/agencies",
        body={
            "name": "B",
            "udyam_number": "UDYAM-UP-01-0000002",
            "district": "Agra",
            "contact_mobile": "9000000002",
        },
        claims=claims_for("pending-owner"),
    ).body["id"]
    # An officer registers a professional for the agency only once it is approved.
    refused = register(api, "officer-1", "officers", on_behalf=True, agency_id=agency)
    assert refused.status == 403


# --- submission -------------------------------------------------------------------------------


def test_submit_without_uploaded_id_proof_is_409_documents_missing(api: Api) -> None:
    professional_id = register(api, "pro-4").body["id"]
    response = api("POST", f"/professionals/{professional_id}/submit", claims=claims_for("pro-4"))
    assert (response.status, response.error_code) == (409, "documents_missing")
    assert response.body["error"]["details"] == [{"kind": "id_proof"}]
    # A requested but never uploaded document does not count.
    api("POST", f"/professionals/{professional_id}/documents", body=PDF, claims=claims_for("pro-4"))
    again = api("POST", f"/professionals/{professional_id}/submit", claims=claims_for("pro-4"))
    assert (again.status, again.error_code) == (409, "documents_missing")


def test_only_the_latest_requested_document_of_a_kind_counts(api: Api) -> None:
    professional_id = register(api, "pro-5").body["id"]
    upload(professional_id, "id_proof", api, "pro-5")
    api("POST", f"/professionals/{professional_id}/documents", body=PDF, claims=claims_for("pro-5"))
    response = api("POST", f"/professionals/{professional_id}/submit", claims=claims_for("pro-5"))
    assert (response.status, response.error_code) == (409, "documents_missing")


def test_qualification_document_is_required_when_a_service_requires_one(api: Api) -> None:
    professional_id = register(
        api,
        "pro-6",
        services=["electrician_house_wiring_per_room"],
        qualification={"kind": "iti", "title": "Electrician"},
    ).body["id"]
    upload(professional_id, "id_proof", api, "pro-6")
    missing = api("POST", f"/professionals/{professional_id}/submit", claims=claims_for("pro-6"))
    assert missing.body["error"]["details"] == [{"kind": "qualification"}]
    upload(professional_id, "qualification", api, "pro-6")
    assert api("POST", f"/professionals/{professional_id}/submit", claims=claims_for("pro-6")).status == 202


def test_submit_is_202_and_starts_one_verification_execution(
    api: Api, verification_state_machine: str
) -> None:
    professional_id = register(api, "pro-7").body["id"]
    upload(professional_id, "id_proof", api, "pro-7")
    response = api("POST", f"/professionals/{professional_id}/submit", claims=claims_for("pro-7"))
    assert (response.status, response.body) == (202, {"status": "verification_pending"})

    executions = _executions(verification_state_machine)
    assert [e["name"] for e in executions] == [f"{professional_id}-1"]
    assert json.loads(executions[0]["input"]) == {"professional_id": professional_id}

    profile = _profile(api, professional_id, "pro-7", "citizen")
    assert profile["status"] == "verification_pending"
    assert profile["verification"]["stage"] == "submitted"
    assert [h["stage"] for h in profile["verification"]["history"]] == ["registered", "submitted"]
    assert profile["documents"]["id_proof"]["uploaded_at"]

    again = api("POST", f"/professionals/{professional_id}/submit", claims=claims_for("pro-7"))
    assert (again.status, again.error_code) == (409, "invalid_transition")
    late_document = api(
        "POST", f"/professionals/{professional_id}/documents", body=PDF, claims=claims_for("pro-7")
    )
    assert (late_document.status, late_document.error_code) == (409, "documents_locked")
    assert len(_executions(verification_state_machine)) == 1


def test_a_form_asked_for_while_submit_commits_is_refused_by_the_records_condition(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a form request that read the professional just before their submit committed
    professional_id = register(api, "pro-race").body["id"]
    upload(professional_id, "id_proof", api, "pro-race")
    before_submit = repo.load_professional(professional_id)
    assert (
        api("POST", f"/professionals/{professional_id}/submit", claims=claims_for("pro-race")).status == 202
    )
    monkeypatch.setattr(repo, "load_professional", lambda _: before_submit)

    # When it records its upload, the write's own condition refuses it: nothing changes
    late = api("POST", f"/professionals/{professional_id}/documents", body=PDF, claims=claims_for("pro-race"))

    assert (late.status, late.error_code) == (409, "documents_locked")
    monkeypatch.undo()
    stored = _profile(api, professional_id)
    assert stored["documents"]["id_proof"]["document_id"] == before_submit.documents["id_proof"].document_id


class _FailingStepFunctions:
    """A Step Functions client whose StartExecution fails, as a throttled or down service would."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def start_execution(self, **_: Any) -> None:
        raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "down"}}, "StartExecution")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def test_workflow_start_failure_is_503_and_status_stays_pending_documents(
    api: Api, verification_state_machine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    professional_id = register(api, "pro-8").body["id"]
    upload(professional_id, "id_proof", api, "pro-8")
    before = _profile(api, professional_id)
    real = workflows._sfn()
    monkeypatch.setattr(workflows, "_sfn", lambda: _FailingStepFunctions(real))

    response = api("POST", f"/professionals/{professional_id}/submit", claims=claims_for("pro-8"))

    assert (response.status, response.error_code) == (503, "dependency_unavailable")
    after = _profile(api, professional_id)
    assert after["status"] == "pending_documents"
    assert after["verification"] == before["verification"]
    assert _executions(verification_state_machine) == []

    monkeypatch.setattr(workflows, "_sfn", lambda: real)
    retried = api("POST", f"/professionals/{professional_id}/submit", claims=claims_for("pro-8"))
    assert retried.status == 202
    assert [e["name"] for e in _executions(verification_state_machine)] == [f"{professional_id}-1"]


def test_submit_retried_after_a_failed_revert_starts_the_missing_execution(
    api: Api, verification_state_machine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    professional_id = register(api, "pro-9").body["id"]
    upload(professional_id, "id_proof", api, "pro-9")
    real = workflows._sfn()
    monkeypatch.setattr(workflows, "_sfn", lambda: _FailingStepFunctions(real))

    def revert_fails(*_: Any, **__: Any) -> None:
        raise DependencyFailed()

    monkeypatch.setattr(repo, "revert_submission", revert_fails)
    assert api("POST", f"/professionals/{professional_id}/submit", claims=claims_for("pro-9")).status == 503
    assert _profile(api, professional_id)["status"] == "verification_pending"

    monkeypatch.setattr(workflows, "_sfn", lambda: real)
    retried = api("POST", f"/professionals/{professional_id}/submit", claims=claims_for("pro-9"))
    assert (retried.status, retried.body) == (202, {"status": "verification_pending"})
    assert [e["name"] for e in _executions(verification_state_machine)] == [f"{professional_id}-1"]
    again = api("POST", f"/professionals/{professional_id}/submit", claims=claims_for("pro-9"))
    assert again.status == 409
