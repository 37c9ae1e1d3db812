"""Committing an officer's decision on a complaint: one transaction with its audit entries, and
for an upheld overcharge the suspension that proposes the ban (``bans.add_suspension``)."""

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


def ban_proposal(
    decision: dict[str, Any], target: ProfessionalSnapshot, bookings: Sequence[bans.WaitingBooking]
) -> dict[str, Any]:
    """The complaint's ``ban`` record as the suspension writes it."""
    return {
        "status": bans.PROPOSED,
        "proposed_by": decision["by"],
        "proposed_at": decision["at"],
        "status_before": target.status,
        "cancelled_bookings": [b.id for b in bookings],
    }


def commit(
    complaint: Complaint,
    decision: dict[str, Any],
    entries: Sequence[AuditEntry],
    suspend: ProfessionalSnapshot | None = None,
    events: Sequence[DomainEvent] = (),
    bookings: Sequence[bans.WaitingBooking] = (),
) -> bool:
    """True when committed; False when a condition failed (the complaint was decided or escalated,
    the professional or a booking changed, another writer took the audit ``seq``) or a concurrent
    transaction met it: nothing was written and the caller re-reads and judges again.
    ``suspend``: the professional as read, suspended in the same transaction with ``bookings``
    cancelled and the ban proposed; ``events`` go to the outbox with it."""

    def add(tx: TransactWrite) -> None:
        if suspend is not None:
            bans.add_suspension(
                tx, complaint, decision, ban_proposal(decision, suspend, bookings), suspend, bookings
            )
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
