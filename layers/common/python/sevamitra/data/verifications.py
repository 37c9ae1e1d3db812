"""Data access for police verification: moving the professional's ``verification`` map on, and
the police requests. Every change is conditional on the state it expects, so a retried workflow
step or a repeated callback never applies twice; each function says what happens when the
condition fails. Professionals are read through ``sevamitra.data.professionals``: one shape for
registration and the workflow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, NamedTuple, cast

from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from sevamitra.data import audit, dynamo, pages
from sevamitra.data.models import ProfessionalModel, VerificationRequestModel
from sevamitra.data.professionals import get_professional
from sevamitra.domain.audit import AuditEntry, next_entry
from sevamitra.domain.professionals import Professional
from sevamitra.platform.clock import iso

PENDING = "pending"


class RequestState:
    PENDING = "pending"
    ANSWERED = "answered"
    CLOSED = "closed"


class Expect(NamedTuple):
    """The state a professional must be in for a change to apply."""

    statuses: tuple[str, ...]
    stage: str | None = None
    request_id: str | None = None
    escalations_below: int | None = None

    def holds(self, professional: Professional) -> bool:
        verification = professional.verification
        return (
            professional.status in self.statuses
            and (self.stage is None or verification.stage == self.stage)
            and (self.request_id is None or verification.request_id == self.request_id)
            and (self.escalations_below is None or verification.escalations < self.escalations_below)
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
    append (``sevamitra.domain.professionals.history_entry``), and other keys of the ``verification``
    map to set (plain JSON values)."""

    stage: str
    entries: list[dict[str, Any]]
    status: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)


class AuditNote(NamedTuple):
    """An entry for the professional's audit trail, written in the same transaction as the change
    it records (a decision is never visible without its entry, nor the entry without it)."""

    actor: str
    action: str
    evidence: dict[str, Any]


def advance(
    professional_id: str, expect: Expect, change: Change, now: datetime, *, note: AuditNote | None = None
) -> bool:
    """Apply ``change`` if the professional is as ``expect`` says: True when applied, False when
    the professional is not (or no longer) in that state. The item's version is checked too, so
    a concurrent edit is re-read and re-judged rather than overwritten. With ``note``, the audit
    entry is appended in the same transaction."""
    verification = ProfessionalModel.verification
    for _ in range(5):
        professional = get_professional(professional_id)
        if professional is None or not expect.holds(professional):
            return False
        actions: list[Any] = [
            verification["stage"].set(str(change.stage)),
            verification["history"].set(verification["history"].append(change.entries)),
            ProfessionalModel.updated_at.set(iso(now)),
        ]
        if change.status is not None:
            actions.append(ProfessionalModel.status.set(str(change.status)))
        actions.extend(verification[key].set(value) for key, value in change.fields.items())
        item = ProfessionalModel(id=professional_id)
        item.version = professional.version  # pynamodb adds ``version = <this>`` to the condition
        if note is None:
            if dynamo.conditional(
                "Updating the professional",
                partial(item.update, actions=actions, condition=expect.condition()),
            ):
                return True
            continue
        entry = next_entry(
            audit.head(professional_id),
            subject=professional_id,
            at=iso(now),
            actor=note.actor,
            action=note.action,
            evidence=note.evidence,
        )
        outcome = dynamo.transact(
            "Updating the professional", partial(_add_change, item, actions, expect, entry)
        )
        if outcome.done:
            return True
        # The professional moved on, or another writer took the audit seq: read again.
        if not outcome.cancelled:
            outcome.reraise()
    return False


def _add_change(
    item: ProfessionalModel, actions: list[Any], expect: Expect, entry: AuditEntry, tx: TransactWrite
) -> None:
    tx.update(item, actions=actions, condition=expect.condition())
    audit.add_entry(tx, entry)


# --- police requests -------------------------------------------------------------------------


class RequestView(NamedTuple):
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
    item = dynamo.read("Reading the verification request", VerificationRequestModel, request_id)
    return None if item is None else _request_view(item)


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
        pending_district=district,
        state=RequestState.PENDING,
        task_token=task_token,
        execution=execution,
    )
    if dynamo.conditional(
        "Storing the verification request",
        lambda: item.save(condition=VerificationRequestModel.request_id.does_not_exist()),
    ):
        return _request_view(item)
    return store_token(request_id, task_token)


def store_token(request_id: str, task_token: str) -> RequestView:
    """Make ``task_token`` the one a callback resumes, while the request is still pending.
    Returns the request as this write left it: a callback may resume the new token and record
    its answer the moment after, so a later read could see an answer to this very wait.
    (Answered or closed requests are left as they are.)"""
    item = VerificationRequestModel(request_id=request_id)
    if dynamo.conditional(
        "Storing the task token",
        lambda: item.update(
            actions=[VerificationRequestModel.task_token.set(task_token)],
            condition=VerificationRequestModel.state == RequestState.PENDING,
        ),
    ):
        return _request_view(item)  # update() loaded the attributes as written
    request = get_request(request_id)
    if request is None:
        raise LookupError(f"verification request {request_id} does not exist")
    return request


def record_escalation(request_id: str, escalation: int, now: datetime) -> None:
    """Idempotent: escalation ``n`` is recorded once however often the step runs."""
    dynamo.conditional(
        "Recording the escalation",
        lambda: VerificationRequestModel(request_id=request_id).update(
            actions=[
                VerificationRequestModel.escalations.set(escalation),
                VerificationRequestModel.escalated_at.set(iso(now)),
            ],
            condition=VerificationRequestModel.request_id.exists()
            & (VerificationRequestModel.escalations < escalation),
        ),
    )


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
        VerificationRequestModel.pending_district.remove(),
        VerificationRequestModel.task_token.remove(),
    ]
    if remarks:
        actions.append(VerificationRequestModel.remarks.set(remarks))
    return dynamo.conditional(
        "Recording the police answer",
        lambda: VerificationRequestModel(request_id=request_id).update(
            actions=actions,
            condition=VerificationRequestModel.request_id.exists()
            & VerificationRequestModel.result.does_not_exist(),
        ),
    )


def close_request(request_id: str, reason: str, now: datetime) -> bool:
    """The execution ended without an answer: the request leaves the pending list and a late
    callback gets 409. No-op for an answered (or missing) request."""
    return dynamo.conditional(
        "Closing the verification request",
        lambda: VerificationRequestModel(request_id=request_id).update(
            actions=[
                VerificationRequestModel.state.set(RequestState.CLOSED),
                VerificationRequestModel.closed_at.set(iso(now)),
                VerificationRequestModel.closed_reason.set(reason),
                VerificationRequestModel.pending.remove(),
                VerificationRequestModel.pending_district.remove(),
                VerificationRequestModel.task_token.remove(),
            ],
            condition=VerificationRequestModel.state == RequestState.PENDING,
        ),
    )


def list_pending(
    district: str | None, *, limit: int, state: Mapping[str, Any] | None
) -> pages.Page[RequestView]:
    """Unanswered requests, newest first: all of them (the sparse ``pending`` index) or one
    district's (the sparse ``pending_by_district`` index)."""
    partition = (
        pages.Partition(VerificationRequestModel.pending_by_district, district)
        if district is not None
        else pages.Partition(VerificationRequestModel.pending_index, PENDING)
    )
    return pages.newest_first(
        [partition], limit, state, lambda raw: _request_view(VerificationRequestModel.from_raw_data(raw))
    )
