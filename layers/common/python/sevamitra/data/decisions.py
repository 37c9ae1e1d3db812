"""Committing an officer's decision on a complaint: one transaction with its audit entries, and
for an upheld overcharge the ban (``bans.add_ban``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pynamodb.transactions import TransactWrite

from sevamitra.data import audit, bans, dynamo, outbox
from sevamitra.data.complaints import add_decision
from sevamitra.data.snapshots import ProfessionalSnapshot
from sevamitra.domain.audit import AuditEntry
from sevamitra.domain.complaints import Complaint
from sevamitra.domain.events import DomainEvent


def commit(
    complaint: Complaint,
    decision: dict[str, Any],
    entries: Sequence[AuditEntry],
    ban: ProfessionalSnapshot | None = None,
    events: Sequence[DomainEvent] = (),
) -> bool:
    """True when committed; False when a condition failed (the complaint was decided or escalated,
    the professional changed, another writer took the audit ``seq``) or a concurrent transaction
    met it: nothing was written and the caller re-reads and judges again. ``ban``: the
    professional as read, banned in the same transaction; ``events`` go to the outbox with it."""

    def add(tx: TransactWrite) -> None:
        if ban is not None:
            bans.add_ban(tx, complaint, decision, ban)
        else:
            add_decision(tx, complaint, decision)
        for entry in entries:
            audit.add_entry(tx, entry)
        outbox.add_events(tx, events, str(decision["at"]))

    outcome = dynamo.transact("Recording the decision", add)
    if outcome.done:
        return True
    if outcome.cancelled and (outcome.condition_failed or outcome.conflict):
        return False
    outcome.reraise()
