"""The professionals repository: registration as one transaction, state changes as conditional
updates, and professionals handed out as domain objects. (The writes that change a professional
together with other items read it as a ``sevamitra.data.snapshots.ProfessionalSnapshot``.)"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pynamodb.transactions import TransactWrite

from sevamitra.data import dynamo, outbox
from sevamitra.data.errors import dependency_errors
from sevamitra.data.identities import IdentityKind, account_pk, ban_pk, identity_pk
from sevamitra.data.models import IdentityModel, OutboxEventModel, ProfessionalModel
from sevamitra.domain.documents import DocumentKind, DocumentRecord
from sevamitra.domain.events import DomainEvent
from sevamitra.domain.professionals import (
    Professional,
    ProfessionalStatus,
    VerificationEvent,
    VerificationStage,
    history_entry,
)
from sevamitra.edge.errors import Conflict, Forbidden, NotFound


def _to_item(professional: Professional) -> ProfessionalModel:
    values = professional.model_dump(mode="json", exclude={"version"}, exclude_none=True)
    return ProfessionalModel(**values)


def to_domain(item: ProfessionalModel) -> Professional:
    return Professional.model_validate(item.to_simple_dict())


def _read_item(professional_id: str) -> ProfessionalModel | None:
    return dynamo.read("Professional look-up", ProfessionalModel, professional_id)


def get_professional(professional_id: str) -> Professional | None:
    item = _read_item(professional_id)
    return None if item is None else to_domain(item)


def load_professional(professional_id: str) -> Professional:
    """The professional, or ``NotFound`` (404)."""
    professional = get_professional(professional_id)
    if professional is None:
        raise NotFound(message="No professional with that id.")
    return professional


def count_of_agency(agency_id: str) -> int:
    """How many professionals are registered for the agency (a COUNT query of the keys-only
    ``by_agency`` index)."""
    with dependency_errors("Counting the agency's professionals"):
        return int(ProfessionalModel.by_agency.count(agency_id))


def create_professional(professional: Professional) -> None:
    """Store a new professional and claim its identities, all or nothing, in ONE transaction:

    - ConditionCheck ``ban#aadhaar#<h>`` and ``ban#mobile#<h>`` do not exist -> else 403 ``banned``;
    - Put ``aadhaar#<h>``, ``mobile#<h>`` only if absent -> else 409 ``duplicate_identity``;
    - Put ``account#<sub>`` only if absent (self-registration) -> else 409 ``already_registered``;
    - Put the professional only if its id is new.
    """
    now = professional.created_at
    pid = professional.id
    # pynamodb sends condition checks first, then puts (in call order): ``labels`` mirrors that
    # order so each CancellationReason maps back to the item that refused.
    labels: list[str] = []

    def add(tx: TransactWrite) -> None:
        for kind, digest in (
            (IdentityKind.AADHAAR, professional.aadhaar_hash),
            (IdentityKind.MOBILE, professional.mobile_hash),
        ):
            tx.condition_check(
                IdentityModel, ban_pk(kind, digest), condition=IdentityModel.pk.does_not_exist()
            )
            labels.append("banned")
        tx.save(_to_item(professional), condition=ProfessionalModel.id.does_not_exist())
        labels.append("id_clash")
        for kind, digest in (
            (IdentityKind.AADHAAR, professional.aadhaar_hash),
            (IdentityKind.MOBILE, professional.mobile_hash),
        ):
            tx.save(
                IdentityModel(pk=identity_pk(kind, digest), professional_id=pid, created_at=now),
                condition=IdentityModel.pk.does_not_exist(),
            )
            labels.append("duplicate_identity")
        if professional.account_sub:
            tx.save(
                IdentityModel(pk=account_pk(professional.account_sub), professional_id=pid, created_at=now),
                condition=IdentityModel.pk.does_not_exist(),
            )
            labels.append("already_registered")

    outcome = dynamo.transact("Registering the professional", add)
    if outcome.done:
        return
    refused = outcome.refused(labels)
    if "banned" in refused:
        raise Forbidden("banned") from outcome.error
    if "already_registered" in refused:
        raise Conflict(
            "already_registered", message="This account is already registered as a professional."
        ) from outcome.error
    if "duplicate_identity" in refused:
        raise Conflict("duplicate_identity") from outcome.error
    # An id clash or a conflicting concurrent transaction: retry-safe, nothing was written.
    outcome.reraise()


def _detached(professional_id: str) -> ProfessionalModel:
    """An item handle for a conditional update by key. Its local version is set so that pynamodb
    *increments* the stored version (ADD 1) instead of resetting it to 1, which keeps the
    optimistic lock of version-checked writers elsewhere sound."""
    item = ProfessionalModel(id=professional_id)
    item.version = 0
    return item


def _conditional_update(
    professional_id: str,
    actions: list[Any],
    expected: ProfessionalStatus,
    what: str,
    *,
    refused: str = "invalid_transition",
    **extra: Any,
) -> Professional:
    """Apply ``actions`` only while the professional is in ``expected`` (plus ``extra`` equality
    conditions on top-level attributes); 404 if missing, 409 ``refused`` otherwise."""
    item = _detached(professional_id)
    condition = ProfessionalModel.status == expected.value
    for name, value in extra.items():
        condition &= getattr(ProfessionalModel, name) == value
    if not dynamo.conditional(
        what, lambda: item.update(actions=actions, condition=condition, add_version_condition=False)
    ):
        if get_professional(professional_id) is None:
            raise NotFound(message="No professional with that id.")
        raise Conflict(refused)
    return to_domain(item)


def record_document_request(professional_id: str, record: DocumentRecord, kind: DocumentKind) -> Professional:
    """Remember the latest requested upload of ``kind`` (only while documents are being collected:
    409 ``documents_locked`` once submitted)."""
    return _conditional_update(
        professional_id,
        [
            ProfessionalModel.documents[kind.value].set(record.model_dump(mode="json", exclude_none=True)),
            ProfessionalModel.updated_at.set(record.requested_at),
        ],
        ProfessionalStatus.PENDING_DOCUMENTS,
        "Recording the document",
        refused="documents_locked",
    )


def begin_submission(
    professional: Professional,
    submission: int,
    uploaded: dict[DocumentKind, DocumentRecord],
    now: str,
    events: Sequence[DomainEvent] = (),
) -> Professional:
    """pending_documents -> verification_pending for submission number ``submission``, recording
    which documents were found and a ``submitted`` history entry (the stage the workflow's
    document check expects); an earlier check's refused and pinned documents are forgotten.
    Conditional on the status and on the submission counter, so two racing submits cannot both
    pass. ``events`` (the officers' ``verification_submitted``) go to the outbox in the same
    transaction."""
    verification = ProfessionalModel.verification
    actions: list[Any] = [
        ProfessionalModel.status.set(ProfessionalStatus.VERIFICATION_PENDING.value),
        verification["stage"].set(VerificationStage.SUBMITTED.value),
        verification["submissions"].set(submission),
        verification["history"].set(
            verification["history"].append([history_entry(VerificationStage.SUBMITTED, now)])
        ),
        verification["failed_documents"].set([]),
        verification["checked_documents"].set([]),
        ProfessionalModel.updated_at.set(now),
    ]
    actions += [
        ProfessionalModel.documents[kind.value]["uploaded_at"].set(record.uploaded_at or now)
        for kind, record in uploaded.items()
    ]
    item = _detached(professional.id)
    condition = (ProfessionalModel.status == ProfessionalStatus.PENDING_DOCUMENTS.value) & (
        ProfessionalModel.verification["submissions"] == professional.verification.submissions
    )

    def add(tx: TransactWrite) -> None:
        tx.update(item, actions=actions, condition=condition, add_version_condition=False)
        outbox.add_events(tx, events, now)

    outcome = dynamo.transact("Submitting for verification", add)
    if outcome.condition_failed:
        raise Conflict("invalid_transition")
    if not outcome.done:
        outcome.reraise()
    # As written, without a read that could fail after the commit (the workflow must still start).
    before = professional.verification
    submitted = before.model_copy(
        update={
            "stage": VerificationStage.SUBMITTED.value,
            "submissions": submission,
            "history": [
                *before.history,
                VerificationEvent.model_validate(history_entry(VerificationStage.SUBMITTED, now)),
            ],
            "failed_documents": [],
            "checked_documents": [],
        }
    )
    documents = {
        **professional.documents,
        **{
            kind: record.model_copy(update={"uploaded_at": record.uploaded_at or now})
            for kind, record in uploaded.items()
        },
    }
    return professional.model_copy(
        update={
            "status": ProfessionalStatus.VERIFICATION_PENDING,
            "verification": submitted,
            "documents": documents,
            "updated_at": now,
            "version": (professional.version or 0) + 1,
        }
    )


def revert_submission(
    professional: Professional, submission: int, now: str, event_ids: Sequence[str] = ()
) -> None:
    """Undo ``begin_submission`` when the workflow could not be started: back to
    pending_documents, the counter and history as they were, and the submission's unpublished
    events (``event_ids``) out of the outbox, in one transaction. Conditional on nothing else
    having moved the professional since (status and submission number)."""
    before = professional.verification
    item = _detached(professional.id)

    def add(tx: TransactWrite) -> None:
        tx.update(
            item,
            actions=[
                ProfessionalModel.status.set(ProfessionalStatus.PENDING_DOCUMENTS.value),
                ProfessionalModel.verification.set(before.model_dump(mode="json", exclude_none=True)),
                ProfessionalModel.updated_at.set(now),
            ],
            condition=(ProfessionalModel.status == ProfessionalStatus.VERIFICATION_PENDING.value)
            & (ProfessionalModel.verification["submissions"] == submission),
            add_version_condition=False,
        )
        for event_id in event_ids:
            tx.delete(OutboxEventModel(event_id))

    outcome = dynamo.transact("Reverting the submission", add)
    if not outcome.done:
        outcome.reraise()
