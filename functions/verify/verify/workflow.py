"""The verification workflow's steps (infra/verification.asl.json runs them in order).

Each step is safe to run again: Step Functions retries a step whose result it did not see, so a
step first checks whether its change is already in place and then only repeats the side effects
that consumers de-duplicate (events carry the request id and escalation number). A step that finds
the professional in a state it cannot explain raises ``UnexpectedState``, which the state machine
does not retry but hands to ``handle_failure``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from aws_lambda_powertools.metrics import MetricUnit

from sevamitra.data import audit as audit_repo
from sevamitra.data import documents as storage
from sevamitra.data import verifications as repo
from sevamitra.data.documents import StoredObject
from sevamitra.data.professionals import get_professional
from sevamitra.data.verifications import AuditNote, Change, Expect, RequestState
from sevamitra.domain.audit import POLICE, AuditAction
from sevamitra.domain.documents import (
    MAX_DOCUMENT_BYTES,
    CheckedDocument,
    DocumentFault,
    FailedDocument,
    bytes_match,
    required_kinds,
)
from sevamitra.domain.events import verification_decided
from sevamitra.domain.professionals import Professional, ProfessionalStatus, VerificationStage, history_entry
from sevamitra.edge.errors import DependencyFailed
from sevamitra.platform.bus import (
    POLICE_VERIFICATION_ESCALATED,
    POLICE_VERIFICATION_REQUESTED,
    PROFESSIONAL_VERIFICATION_DECIDED,
    VERIFICATION_SOURCE,
    publish,
    put_domain_events,
)
from sevamitra.platform.clock import Clock, iso, parse_iso, utc_now
from sevamitra.platform.observability import POLICE_ESCALATED_METRIC, logger, metrics
from verify.models import (
    AwaitAnswer,
    CheckDocuments,
    Decide,
    Escalate,
    HandleFailure,
    PoliceAnswer,
    RequestPolice,
)


class UnexpectedState(Exception):
    """The professional or request is not in a state this step can act on; not retried."""


# --- document check ----------------------------------------------------------------------------

ObjectReader = Callable[[str], StoredObject | None]


def judge(content_type: str, stored: StoredObject | None) -> DocumentFault | None:
    """Why a stored document fails the check (``missing``, ``too_large``, ``wrong_type``), or None."""
    if stored is None:
        return "missing"
    if stored.size > MAX_DOCUMENT_BYTES:
        return "too_large"
    if not bytes_match(content_type, stored.head):
        return "wrong_type"
    return None


class DocumentCheck(NamedTuple):
    """What the check found: the documents it refuses, and the exact versions it read."""

    problems: list[FailedDocument]
    checked: list[CheckedDocument]


def inspect_documents(professional: Professional, read: ObjectReader) -> DocumentCheck:
    """Every required document must be stored and sound; optional ones (a photo) are checked
    when they were uploaded. Reads exactly the objects registration recorded (latest per kind)
    and pins each version it read."""
    required = required_kinds(professional.services)
    problems = [
        FailedDocument(kind=kind, reason="missing") for kind in required if kind not in professional.documents
    ]
    checked: list[CheckedDocument] = []
    for kind, document in sorted(professional.documents.items()):
        stored = read(document.key)
        if stored is None and kind not in required:
            continue
        reason = judge(document.content_type, stored)
        if reason is not None:
            problems.append(FailedDocument(kind=kind, reason=reason))
        if stored is not None:
            checked.append(
                CheckedDocument(
                    kind=kind,
                    document_id=document.document_id,
                    key=document.key,
                    version_id=stored.version_id,
                    etag=stored.etag,
                    size_bytes=stored.size,
                )
            )
    return DocumentCheck(problems, checked)


def check_documents(
    step: CheckDocuments, *, now: Clock = utc_now, read: ObjectReader = storage.stored_object
) -> dict:
    professional = _professional(step.professional_id)
    expect = Expect((ProfessionalStatus.VERIFICATION_PENDING,), stage=VerificationStage.SUBMITTED)
    if expect.holds(professional):
        check = inspect_documents(professional, read)
        problems = [problem.model_dump(mode="json") for problem in check.problems]
        # Recorded with the outcome, in the same conditional write: the versions the check read.
        checked = [document.model_dump(mode="json") for document in check.checked]
        at = now()
        if problems:
            change = Change(
                stage=VerificationStage.DOCUMENT_CHECK,
                status=ProfessionalStatus.PENDING_DOCUMENTS,
                entries=[
                    history_entry(
                        VerificationStage.DOCUMENT_CHECK,
                        at,
                        "failed",
                        documents=sorted({p["kind"] for p in problems}),
                    )
                ],
                fields={"failed_documents": problems, "checked_documents": checked},
            )
        else:
            change = Change(
                stage=VerificationStage.DOCUMENT_CHECK,
                entries=[history_entry(VerificationStage.DOCUMENT_CHECK, at, "passed")],
                fields={"failed_documents": [], "checked_documents": checked},
            )
        repo.advance(step.professional_id, expect, change, at)
        professional = _professional(step.professional_id)
    # Applied now or by an earlier attempt of this step: report what is recorded.
    verification = professional.verification
    if verification.stage == VerificationStage.DOCUMENT_CHECK and professional.status in (
        ProfessionalStatus.VERIFICATION_PENDING,
        ProfessionalStatus.PENDING_DOCUMENTS,
    ):
        failed = [problem.model_dump(mode="json") for problem in verification.failed_documents]
        return {"passed": professional.status == ProfessionalStatus.VERIFICATION_PENDING, "failed": failed}
    raise UnexpectedState(f"document check: professional is {professional.status}/{verification.stage}")


# --- police request, escalation, waiting again ---------------------------------------------------


def request_police(step: RequestPolice, *, now: Clock = utc_now) -> dict:
    """The professional becomes ``police_pending`` first, and only then is the request (with
    this task's token) stored, listed for officers and announced: an answer can only arrive
    once the decision step will find the professional waiting for it."""
    professional = _professional(step.professional_id)
    expect = Expect((ProfessionalStatus.VERIFICATION_PENDING,), stage=VerificationStage.DOCUMENT_CHECK)
    already = (
        professional.status == ProfessionalStatus.POLICE_PENDING
        and professional.verification.request_id == step.request_id
    )
    if not (already or expect.holds(professional)):
        raise UnexpectedState(
            f"police request: professional is {professional.status}/{professional.verification.stage}"
        )
    at = now()
    if not already:
        repo.advance(
            professional.id,
            expect,
            Change(
                stage=VerificationStage.POLICE_REQUESTED,
                status=ProfessionalStatus.POLICE_PENDING,
                entries=[history_entry(VerificationStage.POLICE_REQUESTED, at, request_id=step.request_id)],
                fields={"request_id": step.request_id, "escalations": 0},
            ),
            at,
        )
        professional = _professional(step.professional_id)
        if not (
            professional.status == ProfessionalStatus.POLICE_PENDING
            and professional.verification.request_id == step.request_id
        ):
            raise UnexpectedState(f"police request: professional became {professional.status}")
    request = repo.open_request(
        step.request_id, professional.id, professional.district, step.task_token, step.execution, at
    )
    publish(
        VERIFICATION_SOURCE,
        POLICE_VERIFICATION_REQUESTED,
        {
            "request_id": request.request_id,
            "professional_id": professional.id,
            "name": professional.name,
            "district": professional.district,
            "requested_at": request.requested_at,
        },
    )
    logger.info("police verification requested", extra={"request_id": request.request_id})
    return {"request_id": request.request_id}


def escalate(step: Escalate, *, now: Clock = utc_now) -> dict:
    request = repo.get_request(step.request_id)
    if request is None or request.professional_id != step.professional_id:
        raise UnexpectedState(f"escalation: no request {step.request_id} for {step.professional_id}")
    at = now()
    repo.record_escalation(step.request_id, step.escalation, at)
    repo.advance(
        step.professional_id,
        Expect(
            (ProfessionalStatus.POLICE_PENDING,),
            request_id=step.request_id,
            escalations_below=step.escalation,
        ),
        Change(
            stage=VerificationStage.ESCALATED,
            entries=[history_entry(VerificationStage.ESCALATED, at, escalation=step.escalation)],
            fields={"escalations": step.escalation},
        ),
        at,
    )
    professional = _professional(step.professional_id)
    if not (
        professional.status == ProfessionalStatus.POLICE_PENDING
        and professional.verification.request_id == step.request_id
        and professional.verification.escalations >= step.escalation
    ):
        raise UnexpectedState(
            f"escalation: professional is {professional.status}/{professional.verification.stage}"
        )
    publish(
        VERIFICATION_SOURCE,
        POLICE_VERIFICATION_ESCALATED,
        {
            "request_id": request.request_id,
            "professional_id": request.professional_id,
            "district": request.district,
            "requested_at": request.requested_at,
            "escalation": step.escalation,
            "escalated_at": iso(at),
        },
    )
    metrics.add_metric(name=POLICE_ESCALATED_METRIC, unit=MetricUnit.Count, value=1)
    logger.warning(
        "police verification escalated",
        extra={"request_id": request.request_id, "escalation": step.escalation},
    )
    return {"escalation": step.escalation}


def await_answer(step: AwaitAnswer) -> dict:
    """Wait again for the same request: from now on the callback resumes this task's token.
    (An answer is only recorded after it resumed a task, so a request being waited for again is
    still pending when the token is stored; anything else is unexplained.)"""
    request = repo.store_token(step.request_id, step.task_token)
    if request.state != RequestState.PENDING:
        raise UnexpectedState(f"waiting again: request {step.request_id} is {request.state}")
    return {"request_id": step.request_id}


# --- decision ----------------------------------------------------------------------------------


def decide(step: Decide, *, now: Clock = utc_now) -> dict:
    """Verified or rejected, with the police answer and the document versions the check passed
    in the decision's audit entry (a form posted again after the check changes neither)."""
    answer = step.answer
    documents = _professional(step.professional_id).verification.checked_documents
    repo.record_answer(step.request_id, answer.result, answer.case_refs, answer.remarks, answer.answered_at)
    status = ProfessionalStatus.VERIFIED if answer.result == "clear" else ProfessionalStatus.REJECTED
    fields: dict[str, Any] = {"result": answer.result}
    if answer.case_refs:
        fields["case_refs"] = answer.case_refs
    at = now()
    repo.advance(
        step.professional_id,
        Expect((ProfessionalStatus.POLICE_PENDING,), request_id=step.request_id),
        Change(
            stage=VerificationStage.DECISION,
            status=status,
            entries=[
                history_entry(VerificationStage.POLICE_ANSWERED, _answered_at(answer, at), answer.result),
                history_entry(VerificationStage.DECISION, at, status.value),
            ],
            fields=fields,
        ),
        at,
        note=AuditNote(
            POLICE, _outcome_action(status), _outcome_evidence(step.request_id, answer, documents)
        ),
    )
    professional = _professional(step.professional_id)
    if not (
        professional.status == status
        and professional.verification.stage == VerificationStage.DECISION
        and professional.verification.request_id == step.request_id
    ):
        raise UnexpectedState(
            f"decision: professional is {professional.status}/{professional.verification.stage}"
        )
    record_outcome(professional.id, status, step.request_id, answer, at, documents)
    publish(
        VERIFICATION_SOURCE,
        PROFESSIONAL_VERIFICATION_DECIDED,
        {"professional_id": professional.id, "request_id": step.request_id, "status": status.value},
    )
    # For notify. No outbox here: a failed put fails the step, Step Functions retries it, and the
    # retried step finds the decision made and puts the same event (same id) again.
    if (
        len(
            put_domain_events([verification_decided(professional.id, step.request_id, status.value, iso(at))])
        )
        != 1
    ):
        raise DependencyFailed(message="EventBridge refused the verification_decided event.")
    logger.info("verification decided", extra={"request_id": step.request_id, "status": status.value})
    return {"status": status.value}


def record_outcome(
    professional_id: str,
    status: ProfessionalStatus,
    request_id: str,
    answer: PoliceAnswer,
    at: datetime,
    documents: Sequence[CheckedDocument],
) -> None:
    """The outcome on the professional's audit trail, once per request. The decision writes it in
    its own transaction; this finds it there, and appends it for a professional decided without
    one (a retried step, a record from before the entry was part of the decision)."""
    action = _outcome_action(status)
    evidence = _outcome_evidence(request_id, answer, documents)
    audit_repo.append(
        professional_id,
        at=iso(at),
        actor=POLICE,
        action=action,
        evidence=evidence,
        already=lambda entry: (
            entry.action in (AuditAction.VERIFIED, AuditAction.REJECTED)
            and entry.evidence.get("request_id") == request_id
        ),
    )


def _outcome_action(status: ProfessionalStatus) -> AuditAction:
    return AuditAction.VERIFIED if status == ProfessionalStatus.VERIFIED else AuditAction.REJECTED


def _outcome_evidence(
    request_id: str, answer: PoliceAnswer, documents: Sequence[CheckedDocument]
) -> dict[str, Any]:
    evidence: dict[str, Any] = {
        "request_id": request_id,
        "result": answer.result,
        "case_refs": list(answer.case_refs),
        "answered_at": answer.answered_at,
    }
    if answer.remarks:
        evidence["remarks"] = answer.remarks
    if documents:
        evidence["documents"] = [document.model_dump(mode="json") for document in documents]
    return evidence


def _answered_at(answer: PoliceAnswer, fallback: datetime) -> datetime:
    try:
        return parse_iso(answer.answered_at)
    except ValueError:
        return fallback


# --- failure -----------------------------------------------------------------------------------


def handle_failure(step: HandleFailure, *, now: Clock = utc_now) -> dict:
    """Leave the professional where they can act: back to ``pending_documents`` (they may
    resubmit) with a ``verification_failed`` entry; the request leaves the officers' list.
    A professional in any other status (decided, banned, sent back already) is left alone."""
    at = now()
    error = step.error.Error
    if step.request_id:
        repo.close_request(step.request_id, error, at)
    returned = repo.advance(
        step.professional_id,
        Expect((ProfessionalStatus.VERIFICATION_PENDING, ProfessionalStatus.POLICE_PENDING)),
        Change(
            stage=VerificationStage.VERIFICATION_FAILED,
            status=ProfessionalStatus.PENDING_DOCUMENTS,
            entries=[history_entry(VerificationStage.VERIFICATION_FAILED, at, error)],
        ),
        at,
    )
    logger.error(
        "verification step failed",
        extra={"professional_id": step.professional_id, "error": error, "returned": returned},
    )
    return {"returned_to_pending_documents": returned}


def _professional(professional_id: str) -> Professional:
    professional = get_professional(professional_id)
    if professional is None:
        raise UnexpectedState(f"no professional {professional_id}")
    return professional
