"""Reading a professional for an availability change, and committing it with its index entries
in one transaction."""

from __future__ import annotations

from typing import NamedTuple

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from sevamitra.data import geo_index
from sevamitra.data.errors import dependency_errors
from sevamitra.data.geo_index import IndexSubject
from sevamitra.data.models import ProfessionalModel
from sevamitra.data.professionals import read_item


class ProfessionalAvailability(NamedTuple):
    subject: IndexSubject
    account_sub: str | None
    registered_by: str
    version: int
    agency_id: str | None = None


def load(professional_id: str) -> ProfessionalAvailability | None:
    item = read_item(professional_id)
    if item is None:
        return None
    return ProfessionalAvailability(
        subject=IndexSubject.from_model(item),
        account_sub=item.account_sub,
        registered_by=item.registered_by,
        version=int(item.version or 0),
        agency_id=item.agency_id,
    )


def commit(current: ProfessionalAvailability, after: IndexSubject, updated_at: str) -> bool:
    """Write ``online`` and the location, conditional on the version read and on the status
    still being ``verified``, together with the index changes. False when the record changed in
    between (the caller re-reads); nothing is written then."""
    item = ProfessionalModel(current.subject.id, version=current.version)
    with dependency_errors("Availability update"):
        try:
            with TransactWrite(connection=geo_index.connection()) as tx:
                tx.update(
                    item,
                    actions=[
                        ProfessionalModel.online.set(after.online),
                        ProfessionalModel.lat.set(after.lat),
                        ProfessionalModel.lng.set(after.lng),
                        ProfessionalModel.updated_at.set(updated_at),
                    ],
                    condition=ProfessionalModel.status == geo_index.VERIFIED,
                )
                geo_index.add_index_changes(tx, current.subject, after)
        except TransactWriteError as exc:
            if condition_failed(exc):
                return False
            raise
    return True


def condition_failed(exc: TransactWriteError) -> bool:
    """The transaction was cancelled because a condition no longer held (a lost race)."""
    return any(
        reason is not None and reason.code == "ConditionalCheckFailed" for reason in exc.cancellation_reasons
    )
