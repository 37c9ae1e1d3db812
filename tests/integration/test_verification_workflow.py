"""The verification workflow: the real ASL (infra/verification.asl.json) executed by moto, its
Lambda steps running in-process, driven to each outcome."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sevamitra.data import verifications
from sevamitra.data.verifications import get_request
from sevamitra.domain.documents import MAX_DOCUMENT_BYTES
from sevamitra.edge.errors import DependencyFailed
from tests.integration.conftest import Api, claims_for
from tests.integration.verification_support import (
    JPEG,
    PDF,
    PNG,
    callback,
    eventually,
    finished,
    history,
    police_deadline_passes,
    professional,
    qualified_service,
    seed_professional,
    stages,
    start,
    tap_events,
    waiting_again,
    waiting_request,
)
from tests.stories import CLEARED_HISTORY
from verify import workflow
from verify.models import AwaitAnswer


def _answered(api: Api, body: dict, *, timeout: float = 8.0) -> None:
    """Deliver a callback, retrying while the workflow is between two waits (503)."""

    def deliver() -> bool:
        response = callback(api, body)
        assert response.status in (200, 503), response.body
        return response.status == 200

    eventually(deliver, timeout=timeout, what="the callback to be accepted")


def test_clear_police_answer_verifies_the_professional(verification_workflow: str, api: Api) -> None:
    events = tap_events()
    seed_professional()
    execution = start()
    request_id = waiting_request()

    response = callback(api, {"request_id": request_id, "result": "clear"})

    assert response.status == 200, response.body
    assert finished(execution) == "SUCCEEDED"
    assert professional().status == "verified"
    assert stages() == CLEARED_HISTORY
    assert all(entry["at"].endswith("Z") for entry in history())
    published = events.detail_types()
    requested = [detail for kind, detail in published if kind == "PoliceVerificationRequested"]
    assert requested == [
        {
            "request_id": request_id,
            "professional_id": "pro_test",
            "name": "Ramesh Kumar",
            "district": "Lucknow",
            "requested_at": requested[0]["requested_at"],
        }
    ]
    assert (
        "ProfessionalVerificationDecided",
        {"professional_id": "pro_test", "request_id": request_id, "status": "verified"},
    ) in published


def test_adverse_answer_rejects_and_keeps_case_references(verification_workflow: str, api: Api) -> None:
    seed_professional()
    execution = start()
    request_id = waiting_request()

    response = callback(
        api,
        {
            "request_id": request_id,
            "result": "adverse",
            "case_refs": ["FIR 112/2025 Hazratganj"],
            "remarks": "x",
        },
    )

    assert response.status == 200
    assert finished(execution) == "SUCCEEDED"
    item = professional()
    assert item.status == "rejected"
    assert item.verification.as_dict()["case_refs"] == ["FIR 112/2025 Hazratganj"]
    assert stages()[-2:] == [("police_answered", "adverse"), ("decision", "rejected")]
    request = get_request(request_id)
    assert request is not None
    assert (request.result, request.case_refs, request.state) == (
        "adverse",
        ["FIR 112/2025 Hazratganj"],
        "answered",
    )


@pytest.mark.parametrize(
    ("documents", "services", "failed"),
    [
        pytest.param(
            {"id_proof": ("application/pdf", PDF + b"\0" * MAX_DOCUMENT_BYTES)},
            None,
            [{"kind": "id_proof", "reason": "too_large"}],
            id="oversized",
        ),
        pytest.param(
            {"id_proof": ("application/pdf", PNG)},
            None,
            [{"kind": "id_proof", "reason": "wrong_type"}],
            id="png-as-pdf",
        ),
        pytest.param(
            {"id_proof": ("application/pdf", None)},
            None,
            [{"kind": "id_proof", "reason": "missing"}],
            id="never-uploaded",
        ),
        pytest.param(
            {"id_proof": ("image/jpeg", JPEG)},
            "qualified",
            [{"kind": "qualification", "reason": "missing"}],
            id="qualification-required",
        ),
        pytest.param(
            {"id_proof": ("image/png", PNG), "photo": ("image/jpeg", PDF)},
            None,
            [{"kind": "photo", "reason": "wrong_type"}],
            id="bad-optional-photo",
        ),
    ],
)
def test_bad_document_sends_the_professional_back_naming_it(
    verification_workflow: str, api: Api, documents: dict, services: str | None, failed: list
) -> None:
    seed_professional(documents, services=[qualified_service()] if services else None)

    execution = start()

    assert finished(execution) == "SUCCEEDED"
    item = professional()
    assert item.status == "pending_documents"
    assert item.verification.as_dict()["failed_documents"] == failed
    last = history()[-1]
    assert (last["stage"], last["outcome"], last["documents"]) == (
        "document_check",
        "failed",
        sorted({f["kind"] for f in failed}),
    )
    listed = api("GET", "/verification/requests?status=pending", claims=claims_for("o1", "officers"))
    assert listed.body == {"requests": [], "next_cursor": None}


def test_sound_documents_of_every_type_pass(verification_workflow: str) -> None:
    seed_professional(
        {
            "id_proof": ("image/png", PNG),
            "qualification": ("application/pdf", PDF),
            "photo": ("image/jpeg", None),
        },
        services=[qualified_service()],
    )
    start()

    waiting_request()

    assert ("document_check", "passed") in stages()


def test_unanswered_request_is_escalated_and_a_late_answer_still_verifies(
    verification_workflow: str, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted: list[str] = []
    real_add_metric = workflow.metrics.add_metric

    def count(*, name: str, **kwargs: object) -> None:
        counted.append(name)
        real_add_metric(name=name, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workflow.metrics, "add_metric", count)
    events = tap_events()
    seed_professional()
    execution = start()
    request_id = waiting_request()

    # The police deadline passes (on cue: a real few-second timer raced the answer below).
    timed_out = police_deadline_passes(execution, request_id)

    eventually(lambda: ("escalated", None) in stages(), what="the escalation")
    assert professional().status == "police_pending"
    escalation = next(e for e in history() if e["stage"] == "escalated")
    assert escalation["escalation"] == 1
    escalated = events.wait_for("PoliceVerificationEscalated")
    assert escalated[0]["request_id"] == request_id
    assert escalated[0]["escalation"] == 1
    # The timed-out police request alarm's metric, counted just after the event is published.
    assert eventually(lambda: counted, what="the escalation metric") == ["PoliceVerificationEscalated"]

    # The late answer, once the workflow waits for the same request again.
    waiting_again(request_id, timed_out=timed_out)
    answered = callback(api, {"request_id": request_id, "result": "clear"})

    assert answered.status == 200, answered.body
    assert finished(execution) == "SUCCEEDED"
    assert professional().status == "verified"
    assert [s for s in stages() if s[0] == "decision"] == [("decision", "verified")]
    assert [s for s in stages() if s[0] == "escalated"] == [("escalated", None)]
    assert counted == ["PoliceVerificationEscalated"]


def test_transient_failure_is_retried_without_applying_a_stage_twice(
    verification_workflow: str, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_publish = workflow.publish
    calls: list[str] = []

    def flaky_publish(source: str, detail_type: str, detail: dict) -> None:
        calls.append(detail_type)
        if calls.count("PoliceVerificationRequested") == 1 and detail_type == "PoliceVerificationRequested":
            raise DependencyFailed(message="EventBridge is down")
        real_publish(source, detail_type, detail)

    monkeypatch.setattr(workflow, "publish", flaky_publish)
    seed_professional()
    execution = start()

    request_id = eventually(
        lambda: calls.count("PoliceVerificationRequested") >= 2 and waiting_request(),
        what="the retried request",
    )
    _answered(api, {"request_id": request_id, "result": "clear"})

    assert finished(execution) == "SUCCEEDED"
    assert [s for s, _ in stages()].count("police_requested") == 1
    assert professional().status == "verified"


def test_failed_step_returns_the_professional_to_a_state_they_can_resubmit_from(
    verification_workflow: str, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_decide(step: object) -> dict:
        raise workflow.UnexpectedState("simulated")

    monkeypatch.setattr(workflow, "decide", broken_decide)
    seed_professional()
    execution = start()
    request_id = waiting_request()

    assert callback(api, {"request_id": request_id, "result": "clear"}).status == 200

    assert finished(execution) == "FAILED"
    assert professional().status == "pending_documents"
    assert history()[-1]["stage"] == "verification_failed"
    assert history()[-1]["outcome"] == "UnexpectedState"


def test_failure_before_an_answer_closes_the_request(
    verification_workflow: str, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_escalate(step: object) -> dict:
        raise workflow.UnexpectedState("simulated")

    monkeypatch.setattr(workflow, "escalate", broken_escalate)
    seed_professional()
    execution = start()
    request_id = waiting_request()

    # The deadline passes only once the request is stored and waited for (a real 3 s timer could
    # fire first on a loaded machine, while the police request step was still running).
    police_deadline_passes(execution, request_id)

    assert finished(execution) == "FAILED"
    assert professional().status == "pending_documents"
    officers = claims_for("o1", "officers")
    assert api("GET", "/verification/requests?status=pending", claims=officers).body == {
        "requests": [],
        "next_cursor": None,
    }
    late = callback(api, {"request_id": request_id, "result": "clear"})
    assert (late.status, late.error_code) == (409, "request_closed")


def test_an_answer_that_resumes_the_new_wait_at_once_does_not_fail_it(
    aws: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an escalation the wait stores its new token; a callback may resume that token and
    record its answer before the wait's own step has returned. The step must not read that
    answer back as an unexplained state (it once did, and failed a verified professional)."""
    verifications.open_request("req-race", "pro_test", "Lucknow", "token-1", "exec-race", datetime.now(UTC))
    real_get_request = verifications.get_request

    def answered_meanwhile(request_id: str) -> verifications.RequestView | None:
        verifications.record_answer(request_id, "clear", [], None, "2026-11-28T10:00:00Z")
        return real_get_request(request_id)

    monkeypatch.setattr(verifications, "get_request", answered_meanwhile)
    step = AwaitAnswer(
        action="await_answer", professional_id="pro_test", request_id="req-race", task_token="token-2"
    )
    assert workflow.await_answer(step) == {"request_id": "req-race"}
    assert real_get_request("req-race").task_token == "token-2"  # type: ignore[union-attr]
