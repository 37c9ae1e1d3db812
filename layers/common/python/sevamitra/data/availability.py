"""Committing an availability change: the professional's ``online`` and location with its index
entries, in one transaction."""

from __future__ import annotations

from pynamodb.transactions import TransactWrite

from sevamitra.data import dynamo, geo_index
from sevamitra.data.models import ProfessionalModel
from sevamitra.data.snapshots import ProfessionalSnapshot
from sevamitra.domain.professionals import ProfessionalStatus


def commit(
    current: ProfessionalSnapshot, *, online: bool, lat: float, lng: float, updated_at: str
) -> ProfessionalSnapshot | None:
    """Write ``online`` and the location, conditional on the version read and on the status
    still being ``verified``, together with the index changes: the professional as written, or
    ``None`` when the record changed in between (nothing is written then; the caller re-reads)."""
    after = current.subject._replace(online=online, lat=lat, lng=lng)

    def add(tx: TransactWrite) -> None:
        tx.update(
            current.versioned(),
            actions=[
                ProfessionalModel.online.set(online),
                ProfessionalModel.lat.set(lat),
                ProfessionalModel.lng.set(lng),
                ProfessionalModel.updated_at.set(updated_at),
            ],
            condition=ProfessionalModel.status == ProfessionalStatus.VERIFIED.value,
        )
        geo_index.add_index_changes(tx, current.subject, after)

    outcome = dynamo.transact("Availability update", add)
    if outcome.done:
        return current._replace(subject=after, version=current.version + 1)
    if outcome.condition_failed:
        return None
    outcome.reraise()
