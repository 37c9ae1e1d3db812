"""The audit repository: the only code that reads or writes ``AuditEntryModel`` (but for its
by_day index, which the anchoring job reads through ``sevamitra.data.anchors``).

Entries are only ever added, each with ``attribute_not_exists(seq)``: of two writers that read
the same head, one takes ``seq`` n+1 and the other's put (or transaction) is refused and retried
from the new head. ``add_entry`` puts an entry into a caller's transaction (a complaint
decision and a ban are recorded in the transaction that makes them); ``append`` writes one alone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from pynamodb.transactions import TransactWrite

from sevamitra.data import dynamo
from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import AuditEntryModel
from sevamitra.domain.audit import AuditAction, AuditEntry, next_entry
from sevamitra.edge.errors import DependencyFailed

APPEND_ATTEMPTS = 5


def _to_item(entry: AuditEntry) -> AuditEntryModel:
    # ``day`` puts the entry in the by_day index the anchoring job reads (sevamitra.data.anchors).
    return AuditEntryModel(**entry.model_dump(mode="json"), day=entry.at[:10])


def _to_domain(item: AuditEntryModel) -> AuditEntry:
    values = item.to_simple_dict()
    values.pop("day", None)
    values.setdefault("evidence", {})
    return AuditEntry.model_validate(values)


def head(subject: str) -> AuditEntry | None:
    """The newest entry of ``subject``'s trail, or None."""
    with dependency_errors("Reading the audit trail"):
        for item in AuditEntryModel.query(subject, scan_index_forward=False, limit=1, consistent_read=True):
            return _to_domain(item)
    return None


def trail(subject: str) -> list[AuditEntry]:
    """Every entry of ``subject``, oldest first."""
    with dependency_errors("Reading the audit trail"):
        return [_to_domain(item) for item in AuditEntryModel.query(subject, consistent_read=True)]


def add_entry(tx: TransactWrite, entry: AuditEntry) -> None:
    """Put ``entry`` into ``tx``; the transaction is refused if its ``seq`` is taken."""
    tx.save(_to_item(entry), condition=AuditEntryModel.seq.does_not_exist())


def append(
    subject: str,
    *,
    at: str,
    actor: str,
    action: AuditAction | str,
    evidence: dict[str, Any],
    already: Callable[[AuditEntry], bool] | None = None,
) -> AuditEntry:
    """Append one entry after the current head, retrying when another writer took the ``seq``.
    ``already`` makes it idempotent: an existing entry it accepts is returned instead (a retried
    workflow step records its outcome once)."""
    for _ in range(APPEND_ATTEMPTS):
        if already is not None:
            existing = next((entry for entry in trail(subject) if already(entry)), None)
            if existing is not None:
                return existing
        entry = next_entry(
            head(subject), subject=subject, at=at, actor=actor, action=action, evidence=evidence
        )
        if dynamo.conditional(
            "Appending to the audit trail",
            partial(_to_item(entry).save, condition=AuditEntryModel.seq.does_not_exist()),
        ):
            return entry
    raise DependencyFailed(message="The audit trail is busy; it is safe to retry.")
