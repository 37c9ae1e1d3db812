"""Data access for police verification: the professional's verification state and the police
requests. Every change is conditional on the state it expects, so a retried workflow step or a
repeated callback never applies twice; each function says what happens when the condition fails.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError
from pynamodb.expressions.condition import Condition

from sevamitra.clock import iso
from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import ProfessionalModel, VerificationRequestModel
from sevamitra.documents import StoredDocument

PENDING = "pending"


class RequestState:
    PENDING = "pending"
    ANSWERED = "answered"
    CLOSED = "closed"


@dataclass(frozen=True)
class ProfessionalView:
    id: str
    status: str
    name: str
    district: str
    services: list[str]
    documents: dict[str, StoredDocument]
    verification: dict[str, Any]

    @property
    def stage(self) -> str | None:
        stage = self.verification.get("stage")
        return str(stage) if stage is not None else None

    @property
    def request_id(self) -> str | None:
        request_id = self.verification.get("request_id")
        return str(request_id) if request_id is not None else None

    @property
    def escalations(self) -> int:
        return int(self.verification.get("escalations") or 0)


@dataclass(frozen=True)
class Expect:
    """The state a professional must be in for a change to apply."""

    statuses: tuple[str, ...]
    stage: str | None = None
    request_id: str | None = None
    escalations_below: int | None = None

    def holds(self, professional: ProfessionalView) -> bool:
        return (
            professional.status in self.statuses
            and (self.stage is None or professional.stage == self.stage)
            and (self.request_id is None or professional.request_id == self.request_id)
            and (self.escalations_below is None or professional.escalations < self.escalations_below)
        )

    def condition(self) -> Condition:
        # str(): the values may be StrEnum members, which the serializer does not take.
        condition: Condition = ProfessionalModel.status.is_in(*(str(s) for s in self.statuses))
        verification = ProfessionalModel.verification
        if self.stage is not None:
            condition &= verification["stage"] == str(self.stage)
        if self.request_id is not None:
            condition &= verification["request_id"] == self.request_id
        if self.escalations_below is not None:
            condition &= verification["escalations"].does_not_exist() | (
                verification["escalations"] < self.escalations_below
            )
        return condition


@dataclass(frozen=True)
class Change:
    """What a verification stage writes: a status (or none), the new stage, history entries to
    append, and other keys of the ``verification`` map to set."""

    stage: str
    entries: list[dict[str, Any]]
    status: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)


def _view(item: ProfessionalModel) -> ProfessionalView:
    documents = item.documents.as_dict() if item.documents is not None else {}
    verification = item.verification.as_dict() if item.verification is not None else {}
    return ProfessionalView(
        id=item.id,
        status=item.status,
        name=item.name,
        district=item.district,
        services=[str(service) for service in item.services or []],
        documents={kind: StoredDocument.from_item(doc) for kind, doc in documents.items()},
        verification=verification,
    )


def _get_item(professional_id: str) -> ProfessionalModel | None:
    with dependency_errors("Reading the professional"):
        try:
            return ProfessionalModel.get(professional_id, consistent_read=True)
        except DoesNotExist:
            return None


def get_professional(professional_id: str) -> ProfessionalView | None:
    item = _get_item(professional_id)
    return _view(item) if item is not None else None


def _condition_failed(exc: PutError | UpdateError) -> bool:
    return exc.cause_response_code == "ConditionalCheckFailedException"


def advance(professional_id: str, expect: Expect, change: Change, now: datetime) -> bool:
    """Apply ``change`` if the professional is as ``expect`` says: True when applied, False when
    the professional is not (or no longer) in that state. The item's version is checked too, so
    a concurrent edit is re-read and re-judged rather than overwritten."""
    verification = ProfessionalModel.verification
    for _ in range(5):
        item = _get_item(professional_id)
        if item is None or not expect.holds(_view(item)):
            return False
        actions: list[Any] = [
            verification["stage"].set(str(change.stage)),
            verification["history"].set(verification["history"].append(change.entries)),
            ProfessionalModel.updated_at.set(iso(now)),
        ]
        if change.status is not None:
            actions.append(ProfessionalModel.status.set(str(change.status)))
        actions.extend(verification[key].set(value) for key, value in change.fields.items())
        with dependency_errors("Updating the professional"):
            try:
                item.update(actions=actions, condition=expect.condition())
                return True
            except UpdateError as exc:
                if not _condition_failed(exc):
                    raise
    return False


# --- police requests -------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestView:
    request_id: str
    professional_id: str
    district: str
    requested_at: str
    state: str
    task_token: str | None
    escalations: int
    result: str | None
    case_refs: list[str]
    remarks: str | None
    answered_at: str | None


def _request_view(item: VerificationRequestModel) -> RequestView:
    return RequestView(
        request_id=item.request_id,
        professional_id=item.professional_id,
        district=item.district,
        requested_at=item.requested_at,
        state=item.state,
        task_token=item.task_token,
        escalations=int(item.escalations or 0),
        result=item.result,
        case_refs=[str(ref) for ref in item.case_refs or []],
        remarks=item.remarks,
        answered_at=item.answered_at,
    )


def get_request(request_id: str) -> RequestView | None:
    with dependency_errors("Reading the verification request"):
        try:
            return _request_view(VerificationRequestModel.get(request_id, consistent_read=True))
        except DoesNotExist:
            return None


def open_request(
    request_id: str, professional_id: str, district: str, task_token: str, execution: str, now: datetime
) -> RequestView:
    """Create the pending request with the waiting task's token. A retried step finds it and only
    stores the new token (if the request is still waiting)."""
    item = VerificationRequestModel(
        request_id=request_id,
        professional_id=professional_id,
        district=district,
        requested_at=iso(now),
        pending=PENDING,
        state=RequestState.PENDING,
        task_token=task_token,
        execution=execution,
    )
    with dependency_errors("Storing the verification request"):
        try:
            item.save(condition=VerificationRequestModel.request_id.does_not_exist())
            return _request_view(item)
        except PutError as exc:
            if not _condition_failed(exc):
                raise
    return store_token(request_id, task_token)


def store_token(request_id: str, task_token: str) -> RequestView:
    """Make ``task_token`` the one a callback resumes, while the request is still pending.
    Returns the request as stored (answered or closed requests are left as they are)."""
    with dependency_errors("Storing the task token"):
        try:
            VerificationRequestModel(request_id=request_id).update(
                actions=[VerificationRequestModel.task_token.set(task_token)],
                condition=VerificationRequestModel.state == RequestState.PENDING,
            )
        except UpdateError as exc:
            if not _condition_failed(exc):
                raise
    request = get_request(request_id)
    if request is None:
        raise LookupError(f"verification request {request_id} does not exist")
    return request


def record_escalation(request_id: str, escalation: int, now: datetime) -> None:
    """Idempotent: escalation ``n`` is recorded once however often the step runs."""
    with dependency_errors("Recording the escalation"):
        try:
            VerificationRequestModel(request_id=request_id).update(
                actions=[
                    VerificationRequestModel.escalations.set(escalation),
                    VerificationRequestModel.escalated_at.set(iso(now)),
                ],
                condition=VerificationRequestModel.request_id.exists()
                & (VerificationRequestModel.escalations < escalation),
            )
        except UpdateError as exc:
            if not _condition_failed(exc):
                raise


def record_answer(
    request_id: str, result: str, case_refs: list[str], remarks: str | None, answered_at: str
) -> bool:
    """Record the police answer once: True if this call recorded it, False if the request was
    already answered (or closed). The request leaves the pending index and its token is dropped."""
    actions: list[Any] = [
        VerificationRequestModel.state.set(RequestState.ANSWERED),
        VerificationRequestModel.result.set(result),
        VerificationRequestModel.case_refs.set(cast(Any, case_refs)),  # pynamodb types lists of attributes
        VerificationRequestModel.answered_at.set(answered_at),
        VerificationRequestModel.pending.remove(),
        VerificationRequestModel.task_token.remove(),
    ]
    if remarks:
        actions.append(VerificationRequestModel.remarks.set(remarks))
    with dependency_errors("Recording the police answer"):
        try:
            VerificationRequestModel(request_id=request_id).update(
                actions=actions,
                condition=VerificationRequestModel.request_id.exists()
                & VerificationRequestModel.result.does_not_exist(),
            )
            return True
        except UpdateError as exc:
            if not _condition_failed(exc):
                raise
    return False


def close_request(request_id: str, reason: str, now: datetime) -> bool:
    """The execution ended without an answer: the request leaves the pending list and a late
    callback gets 409. No-op for an answered (or missing) request."""
    with dependency_errors("Closing the verification request"):
        try:
            VerificationRequestModel(request_id=request_id).update(
                actions=[
                    VerificationRequestModel.state.set(RequestState.CLOSED),
                    VerificationRequestModel.closed_at.set(iso(now)),
                    VerificationRequestModel.closed_reason.set(reason),
                    VerificationRequestModel.pending.remove(),
                    VerificationRequestModel.task_token.remove(),
                ],
                condition=VerificationRequestModel.state == RequestState.PENDING,
            )
            return True
        except UpdateError as exc:
            if not _condition_failed(exc):
                raise
    return False


def list_pending(limit: int) -> list[RequestView]:
    """Unanswered requests, oldest first (the sparse ``pending`` index)."""
    with dependency_errors("Listing pending verification requests"):
        items: Iterable[VerificationRequestModel] = VerificationRequestModel.pending_index.query(
            PENDING, scan_index_forward=True, limit=limit
        )
        return [_request_view(item) for item in items]
