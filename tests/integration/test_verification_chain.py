"""Registration and police verification as one chain, through API Gateway events: register ->
request an upload -> POST the bytes with the presigned form (to moto's S3) -> submit -> the real
ASL runs on moto -> an officer lists the pending request -> a signed police callback -> the
profile shows the decision and the whole history. Nothing is seeded behind the API's back."""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

import pytest
import requests

from local.provision import cached_client
from sevamitra.data.models import ProfessionalModel
from sevamitra.edge.errors import MESSAGES
from sevamitra.platform.settings import settings
from tests.integration.conftest import Api, ApiResponse, claims_for
from tests.integration.verification_support import PDF, PNG, callback, eventually, finished, sfn
from tests.stories import CLEARED_HISTORY, identity

OFFICER = claims_for("officer-chain", "officers")
_serial = itertools.count(1)


def _register(api: Api, sub: str) -> str:
    aadhaar, mobile = identity(next(_serial), series=8)
    response = api(
        "POST",
        "/professionals",
        body={
            "name": "Sunita Devi",
            "mobile": mobile,
            "aadhaar": aadhaar,
            "services": ["plumber_tap_leak_repair"],
            "location": {"lat": 26.8467, "lng": 80.9462},
            "district": "Lucknow",
            "qualification": {"kind": "none"},
        },
        claims=claims_for(sub),
    )
    assert response.status == 201, response.body
    return str(response.body["id"])


def _request_form(
    api: Api, sub: str, professional_id: str, size_bytes: int, content_type: str = "application/pdf"
) -> ApiResponse:
    return api(
        "POST",
        f"/professionals/{professional_id}/documents",
        body={"kind": "id_proof", "content_type": content_type, "size_bytes": size_bytes},
        claims=claims_for(sub),
    )


def _post(form: dict[str, Any], body: bytes, content_type: str = "application/pdf") -> None:
    """POST the file with exactly the form's fields, as a browser would."""
    posted = requests.post(
        form["url"], data=form["fields"], files={"file": ("id.pdf", body, content_type)}, timeout=10
    )
    assert posted.status_code in (200, 201, 204), posted.text


def _upload(
    api: Api, sub: str, professional_id: str, body: bytes, content_type: str = "application/pdf"
) -> str:
    """Ask for an upload form, then POST the file with it."""
    response = _request_form(api, sub, professional_id, len(body), content_type)
    assert response.status == 201, response.body
    _post(response.body["upload"], body, content_type)
    return str(response.body["document_id"])


def _submit(api: Api, sub: str, professional_id: str) -> None:
    response = api("POST", f"/professionals/{professional_id}/submit", claims=claims_for(sub))
    assert (response.status, response.body) == (202, {"status": "verification_pending"})


def _profile(api: Api, professional_id: str, claims: dict[str, Any]) -> dict[str, Any]:
    response = api("GET", f"/professionals/{professional_id}", claims=claims)
    assert response.status == 200, response.body
    return dict(response.body)


def _pending_request_of(api: Api, professional_id: str) -> str:
    """The request id once the officers' list shows this professional's police request."""

    def probe() -> str | None:
        listed = api("GET", "/verification/requests?status=pending", claims=OFFICER)
        assert listed.status == 200, listed.body
        mine = [r for r in listed.body["requests"] if r["professional_id"] == professional_id]
        return mine[0]["request_id"] if mine else None

    return eventually(probe, what=f"a pending police request for {professional_id}")


def _status_becomes(api: Api, professional_id: str, sub: str, status: str) -> dict[str, Any]:
    return eventually(
        lambda: (profile := _profile(api, professional_id, claims_for(sub)))["status"] == status and profile,
        what=f"{professional_id} to become {status}",
    )


def _stages(profile: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(entry["stage"], entry.get("outcome")) for entry in profile["verification"]["history"]]


def _execution_names(state_machine_arn: str) -> list[str]:
    executions = sfn().list_executions(stateMachineArn=state_machine_arn)["executions"]
    return sorted(execution["name"] for execution in executions)


def test_registered_professional_is_verified_after_a_clear_police_answer(
    verification_workflow: str, api: Api
) -> None:
    # Given a citizen who registers and uploads a real PDF through the presigned form
    professional_id = _register(api, "chain-1")
    _upload(api, "chain-1", professional_id, PDF)

    # When they submit, the police request appears for officers, and the police answer "clear"
    _submit(api, "chain-1", professional_id)
    request_id = _pending_request_of(api, professional_id)
    assert _profile(api, professional_id, claims_for("chain-1"))["status"] == "police_pending"
    answered = callback(api, {"request_id": request_id, "result": "clear"})

    # Then the professional is verified, with every stage in the history, oldest first
    assert answered.status == 200, answered.body
    profile = _status_becomes(api, professional_id, "chain-1", "verified")
    assert _stages(profile) == CLEARED_HISTORY
    assert all(entry["at"].endswith("Z") for entry in profile["verification"]["history"])
    assert profile["verification"]["stage"] == "decision"
    assert profile["verification"]["failed_documents"] == []
    assert finished(
        f"{verification_workflow.replace(':stateMachine:', ':execution:')}:{professional_id}-1"
    ) == ("SUCCEEDED")
    assert api("GET", "/verification/requests?status=pending", claims=OFFICER).body == {
        "requests": [],
        "next_cursor": None,
    }


def test_bad_document_is_named_then_reuploaded_and_the_resubmission_is_verified(
    verification_workflow: str, api: Api
) -> None:
    # Given a professional whose "PDF" is really a PNG
    professional_id = _register(api, "chain-2")
    _upload(api, "chain-2", professional_id, PNG)
    _submit(api, "chain-2", professional_id)

    # Then the document check sends them back, naming the document and why
    rejected = _status_becomes(api, professional_id, "chain-2", "pending_documents")
    assert rejected["verification"]["failed_documents"] == [{"kind": "id_proof", "reason": "wrong_type"}]
    assert _stages(rejected)[-1] == ("document_check", "failed")

    # When they upload the document again and resubmit
    _upload(api, "chain-2", professional_id, PDF)
    _submit(api, "chain-2", professional_id)
    assert _profile(api, professional_id, claims_for("chain-2"))["verification"]["failed_documents"] == []
    request_id = _pending_request_of(api, professional_id)
    assert callback(api, {"request_id": request_id, "result": "clear"}).status == 200

    # Then the second execution verifies them, and the history tells both attempts
    profile = _status_becomes(api, professional_id, "chain-2", "verified")
    assert _execution_names(verification_workflow) == [f"{professional_id}-1", f"{professional_id}-2"]
    assert _stages(profile) == [*CLEARED_HISTORY[:2], ("document_check", "failed"), *CLEARED_HISTORY[1:]]


@pytest.mark.parametrize(("viewer", "sees_case_refs"), [("officer", True), ("professional", False)])
def test_adverse_answer_rejects_and_only_officers_see_the_case_references(
    verification_workflow: str, api: Api, viewer: str, sees_case_refs: bool
) -> None:
    sub = f"chain-3-{viewer}"
    professional_id = _register(api, sub)
    _upload(api, sub, professional_id, PDF)
    _submit(api, sub, professional_id)
    request_id = _pending_request_of(api, professional_id)

    answer = {"request_id": request_id, "result": "adverse", "case_refs": ["FIR 112/2025 Hazratganj"]}
    assert callback(api, answer).status == 200
    _status_becomes(api, professional_id, sub, "rejected")

    profile = _profile(api, professional_id, OFFICER if viewer == "officer" else claims_for(sub))
    assert profile["status"] == "rejected"
    assert _stages(profile)[-2:] == [("police_answered", "adverse"), ("decision", "rejected")]
    if sees_case_refs:
        assert profile["verification"]["case_refs"] == ["FIR 112/2025 Hazratganj"]
    else:
        assert "case_refs" not in profile["verification"]


# A PDF that is not the one checked: a form posted again could carry anything that passes the check.
FORGED_PDF = b"%PDF-1.7\n% somebody else's ID card\n%%EOF\n"


def test_posting_the_form_again_after_the_check_changes_neither_the_checked_document_nor_the_decision(
    verification_workflow: str, api: Api
) -> None:
    # Given a professional whose ID proof passed the check (the police request is out) ...
    professional_id = _register(api, "chain-swap")
    form = _request_form(api, "chain-swap", professional_id, len(PDF))
    assert form.status == 201, form.body
    _post(form.body["upload"], PDF)
    _submit(api, "chain-swap", professional_id)
    request_id = _pending_request_of(api, professional_id)
    checked = _checked_documents(professional_id)
    key = form.body["upload"]["fields"]["key"]
    [pinned] = checked
    assert (pinned["kind"], pinned["document_id"], pinned["key"]) == (
        "id_proof",
        form.body["document_id"],
        key,
    )
    assert (pinned["etag"], pinned["size_bytes"]) == (
        hashlib.md5(PDF, usedforsecurity=False).hexdigest(),
        len(PDF),
    )
    assert pinned["version_id"]

    # ... when the old form is posted again with other bytes (S3 accepts it while the form is
    # valid; moto always does) and a new upload form is asked for
    _post(form.body["upload"], FORGED_PDF)
    assert _object(key) == FORGED_PDF  # the post really landed
    again = _request_form(api, "chain-swap", professional_id, len(FORGED_PDF))
    assert (again.status, again.error_code) == (409, "documents_locked")
    in_hindi = api(
        "POST",
        f"/professionals/{professional_id}/documents",
        body={"kind": "id_proof", "content_type": "application/pdf", "size_bytes": 10},
        claims=claims_for("chain-swap"),
        headers={"Accept-Language": "hi"},
    )
    assert in_hindi.body["error"]["message"] == MESSAGES["documents_locked"][1]

    # Then the police clearance verifies exactly the checked version: the record and the
    # decision's audit entry pin it, and reading the pinned version gives the checked bytes
    assert callback(api, {"request_id": request_id, "result": "clear"}).status == 200
    _status_becomes(api, professional_id, "chain-swap", "verified")
    assert _checked_documents(professional_id) == checked
    trail = api("GET", f"/professionals/{professional_id}/audit", claims=OFFICER).body
    [decision] = trail["entries"]
    assert (decision["action"], decision["evidence"]["documents"]) == ("verified", checked)
    assert _object(key, version_id=pinned["version_id"]) == PDF
    assert ProfessionalModel.get(professional_id).documents.as_dict()["id_proof"]["key"] == key


def _checked_documents(professional_id: str) -> list[dict[str, Any]]:
    """What the stored ``verification`` map says the document check read, past the API."""
    item = ProfessionalModel.get(professional_id, consistent_read=True)
    return list(item.verification.as_dict()["checked_documents"])


def _object(key: str, *, version_id: str | None = None) -> bytes:
    s3 = cached_client("s3", settings().aws_region)
    version = {"VersionId": version_id} if version_id else {}
    return bytes(s3.get_object(Bucket=settings().documents_bucket, Key=key, **version)["Body"].read())
