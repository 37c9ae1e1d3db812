"""The verification workflow's steps (infra/verification.asl.json runs them in order).

Each step is safe to run again: Step Functions retries a step whose result it did not see, so a
step first checks whether its change is already in place and then only repeats the side effects
that consumers de-duplicate (events carry the request id and escalation number). A step that finds
the professional in a state it cannot explain raises ``UnexpectedState``, which the state machine
does not retry but hands to ``handle_failure``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from sevamitra.audit import POLICE, AuditAction
from sevamitra.clock import Clock, iso, parse_iso, utc_now
from sevamitra.data import audit as audit_repo
from sevamitra.data import verifications as repo
from sevamitra.data.errors import dependency_errors
from sevamitra.data.verifications import Change, Expect, ProfessionalView, RequestState
from sevamitra.documents import MAX_DOCUMENT_BYTES, SNIFF_BYTES, bytes_match, required_kinds
from sevamitra.events import publish
from sevamitra.observability import logger
from sevamitra.settings import settings
from sevamitra.verification import Stage, Status, history_entry
from verify import aws
from verify.models import (
    AwaitAnswer,
    CheckDocuments,
    Decide,
    Escalate,
    HandleFailure,
    PoliceAnswer,
    RequestPolice,
)

EVENT_SOURCE = "sevamitra.verification"


class UnexpectedState(Exception):
    """The professional or request is not in a state this step can act on; not retried."""


# --- document check ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredObject:
    size: int
    head: bytes


ObjectReader = Callable[[str], StoredObject | None]


def read_object(key: str) -> StoredObject | None:
    """Size and first bytes of a stored document, or None when nothing was uploaded."""
    bucket = settings().documents_bucket
    with dependency_errors("Reading a document"):
        try:
            size = int(aws.s3().head_object(Bucket=bucket, Key=key)["ContentLength"])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise
        if size == 0:
            return StoredObject(0, b"")
        body = aws.s3().get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{SNIFF_BYTES - 1}")["Body"]
        return StoredObject(size, body.read(SNIFF_BYTES))


def judge(content_type: str, stored: StoredObject | None) -> str | None:
    """Why a stored document fails the check (``missing``, ``too_large``, ``wrong_type``), or None."""
    if stored is None:
        return "missing"
    if stored.size > MAX_DOCUMENT_BYTES:
        return "too_large"
    if not bytes_match(content_type, stored.head):
        return "wrong_type"
    return None


def document_problems(professional: ProfessionalView, read: ObjectReader) -> list[dict[str, str]]:
    """Every required document must be stored and sound; optional ones (a photo) are checked
    when they were uploaded."""
    required = required_kinds(professional.services)
    problems = [
        {"kind": kind, "reason": "missing"} for kind in sorted(required - set(professional.documents))
    ]
    for kind, document in sorted(professional.documents.items()):
        stored = read(document.key)
        if stored is None and kind not in required:
            continue
        reason = judge(document.content_type, stored)
        if reason is not None:
            problems.append({"kind": kind, "reason": reason})
    return problems


def check_documents(step: CheckDocuments, *, now: Clock = utc_now, read: ObjectReader = read_object) -> dict:
    professional = _professional(step.professional_id)
    expect = Expect((Status.VERIFICATION_PENDING,), stage=Stage.SUBMITTED)
    if expect.holds(professional):
        problems = document_problems(professional, read)
        at = now()
        if problems:
            change = Change(
                stage=Stage.DOCUMENT_CHECK,
                status=Status.PENDING_DOCUMENTS,
                entries=[
                    history_entry(
                        Stage.DOCUMENT_CHECK, at, "failed", documents=sorted({p["kind"] for p in problems})
                    )
                ],
                fields={"failed_documents": problems},
            )
        else:
            change = Change(
                stage=Stage.DOCUMENT_CHECK,
                entries=[history_entry(Stage.DOCUMENT_CHECK, at, "passed")],
                fields={"failed_documents": []},
            )
        repo.advance(step.professional_id, expect, change, at)
        professional = _professional(step.professional_id)
    # Applied now or by an earlier attempt of this step: report what is recorded.
    if professional.stage == Stage.DOCUMENT_CHECK and professional.status in (
        Status.VERIFICATION_PENDING,
        Status.PENDING_DOCUMENTS,
    ):
        failed = list(professional.verification.get("failed_documents") or [])
        return {"passed": professional.status == Status.VERIFICATION_PENDING, "failed": failed}
    raise UnexpectedState(f"document check: professional is {professional.status}/{professional.stage}")


# --- police request, escalation, waiting again ---------------------------------------------------


def request_police(step: RequestPolice, *, now: Clock = utc_now) -> dict:
    professional = _professional(step.professional_id)
    expect = Expect((Status.VERIFICATION_PENDING,), stage=Stage.DOCUMENT_CHECK)
    already = professional.status == Status.POLICE_PENDING and professional.request_id == step.request_id
    if not (already or expect.holds(professional)):
        raise UnexpectedState(f"police request: professional is {professional.status}/{professional.stage}")
    at = now()
    request = repo.open_request(
        step.request_id, professional.id, professional.district, step.task_token, step.execution, at
    )
    if not already:
        repo.advance(
            professional.id,
            expect,
            Change(
                stage=Stage.POLICE_REQUESTED,
                status=Status.POLICE_PENDING,
                entries=[history_entry(Stage.POLICE_REQUESTED, at, request_id=step.request_id)],
                fields={"request_id": step.request_id, "escalations": 0},
            ),
            at,
        )
        professional = _professional(step.professional_id)
        if not (professional.status == Status.POLICE_PENDING and professional.request_id == step.request_id):
            raise UnexpectedState(f"police request: professional became {professional.status}")
    publish(
        EVENT_SOURCE,
        "PoliceVerificationRequested",
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
        Expect((Status.POLICE_PENDING,), request_id=step.request_id, escalations_below=step.escalation),
        Change(
            stage=Stage.ESCALATED,
            entries=[history_entry(Stage.ESCALATED, at, escalation=step.escalation)],
            fields={"escalations": step.escalation},
        ),
        at,
    )
    professional = _professional(step.professional_id)
    if not (
        professional.status == Status.POLICE_PENDING
        and professional.request_id == step.request_id
        and professional.escalations >= step.escalation
    ):
        raise UnexpectedState(f"escalation: professional is {professional.status}/{professional.stage}")
    publish(
        EVENT_SOURCE,
        "PoliceVerificationEscalated",
        {
            "request_id": request.request_id,
            "professional_id": request.professional_id,
            "district": request.district,
            "requested_at": request.requested_at,
            "escalation": step.escalation,
            "escalated_at": iso(at),
        },
    )
    logger.warning(
        "police verification escalated",
        extra={"request_id": request.request_id, "escalation": step.escalation},
    )
    return {"escalation": step.escalation}


def await_answer(step: AwaitAnswer) -> dict:
    """Wait again for the same request: from now on the callback resumes this task's token.
    (An answer is only recorded after it resumed a task, so a request being waited for again is
    still pending; anything else is unexplained.)"""
    request = repo.store_token(step.request_id, step.task_token)
    if request.state != RequestState.PENDING:
        raise UnexpectedState(f"waiting again: request {step.request_id} is {request.state}")
    return {"request_id": step.request_id}


def send_answer(task_token: str, answer: PoliceAnswer) -> None:
    """Resume the waiting task. Raises ``ClientError`` (the caller decides what it means)."""
    aws.sfn().send_task_success(taskToken=task_token, output=json.dumps(answer.model_dump()))


# --- decision ----------------------------------------------------------------------------------


def decide(step: Decide, *, now: Clock = utc_now) -> dict:
    answer = step.answer
    repo.record_answer(step.request_id, answer.result, answer.case_refs, answer.remarks, answer.answered_at)
    status = Status.VERIFIED if answer.result == "clear" else Status.REJECTED
    fields: dict[str, Any] = {"result": answer.result}
    if answer.case_refs:
        fields["case_refs"] = answer.case_refs
    at = now()
    repo.advance(
        step.professional_id,
        Expect((Status.POLICE_PENDING,), request_id=step.request_id),
        Change(
            stage=Stage.DECISION,
            status=status,
            entries=[
                history_entry(Stage.POLICE_ANSWERED, _answered_at(answer, at), answer.result),
                history_entry(Stage.DECISION, at, status.value),
            ],
            fields=fields,
        ),
        at,
    )
    professional = _professional(step.professional_id)
    if not (
        professional.status == status
        and professional.stage == Stage.DECISION
        and professional.request_id == step.request_id
    ):
        raise UnexpectedState(f"decision: professional is {professional.status}/{professional.stage}")
    record_outcome(professional.id, status, step.request_id, answer, at)
    publish(
        EVENT_SOURCE,
        "ProfessionalVerificationDecided",
        {"professional_id": professional.id, "request_id": step.request_id, "status": status.value},
    )
    logger.info("verification decided", extra={"request_id": step.request_id, "status": status.value})
    return {"status": status.value}


def record_outcome(
    professional_id: str, status: Status, request_id: str, answer: PoliceAnswer, at: datetime
) -> None:
    """The outcome on the professional's audit trail, once per request (a retried decision step
    finds its entry). Written right after the decision: a failure here fails the step, which is
    retried and appends the missing entry."""
    action = AuditAction.VERIFIED if status == Status.VERIFIED else AuditAction.REJECTED
    evidence: dict[str, Any] = {
        "request_id": request_id,
        "result": answer.result,
        "case_refs": list(answer.case_refs),
        "answered_at": answer.answered_at,
    }
    if answer.remarks:
        evidence["remarks"] = answer.remarks
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
        Expect((Status.VERIFICATION_PENDING, Status.POLICE_PENDING)),
        Change(
            stage=Stage.VERIFICATION_FAILED,
            status=Status.PENDING_DOCUMENTS,
            entries=[history_entry(Stage.VERIFICATION_FAILED, at, error)],
        ),
        at,
    )
    logger.error(
        "verification step failed",
        extra={"professional_id": step.professional_id, "error": error, "returned": returned},
    )
    return {"returned_to_pending_documents": returned}


def _professional(professional_id: str) -> ProfessionalView:
    professional = repo.get_professional(professional_id)
    if professional is None:
        raise UnexpectedState(f"no professional {professional_id}")
    return professional
