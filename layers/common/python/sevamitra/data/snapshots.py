"""One read of a professional for the writes that change it together with other items: a
booking's claim, end and rating (``bookings``), availability (``availability``) and a ban
(``bans``). Each of them puts the professional's update and its geo index entries into one
transaction, so each needs the same three things of the item, read once with a consistent read:
the facts its index entries follow, the version its update is conditional on, and whoever the
rules ask about (managers, identity hashes). Registration and verification read the domain
``Professional`` instead (``professionals``): they decide on the documents and the verification
map, and never touch the index.
"""

from __future__ import annotations

from typing import NamedTuple

from sevamitra.data import dynamo
from sevamitra.data.geo_index import IndexSubject
from sevamitra.data.models import ProfessionalModel


class ProfessionalSnapshot(NamedTuple):
    """A professional's item as stored: ``subject``, the facts its geo index entries follow
    (``geo_index.add_index_changes``); ``version``, which an update built on this snapshot is
    conditional on (``versioned``); its managers (the fields ``sevamitra.domain.access.Managed``
    reads) and district; the identity hashes a ban registers. ``status``, ``online``,
    ``active_booking_id`` and ``engagement_id`` are what ``sevamitra.domain.professionals.eligible`` reads."""

    subject: IndexSubject
    version: int
    account_sub: str | None
    registered_by: str
    agency_id: str | None
    district: str
    aadhaar_hash: str
    mobile_hash: str
    # Sealed with the contacts key (``contacts.unseal``): shown to the booking's citizen in contact.
    mobile_sealed: str | None = None
    # Scheduled bookings' slots they hold (booking id -> "<from>/<to>"), not yet claimed by them.
    slots: dict[str, str] = {}  # noqa: RUF012 - a NamedTuple default, never mutated

    @property
    def name(self) -> str:
        return self.subject.name

    @property
    def rating(self) -> float | None:
        count = self.subject.rating_count
        return round(self.subject.rating_sum / count, 2) if count else None

    @property
    def id(self) -> str:
        return self.subject.id

    @property
    def status(self) -> str:
        return self.subject.status

    @property
    def online(self) -> bool:
        return self.subject.online

    @property
    def active_booking_id(self) -> str | None:
        return self.subject.active_booking_id

    @property
    def engagement_id(self) -> str | None:
        return self.subject.engagement_id

    @property
    def services(self) -> tuple[str, ...]:
        return self.subject.services

    @property
    def lat(self) -> float:
        return self.subject.lat

    @property
    def lng(self) -> float:
        return self.subject.lng

    def versioned(self) -> ProfessionalModel:
        """A handle on the item for an update conditional on the version read (pynamodb adds
        the check and the increment)."""
        return ProfessionalModel(self.id, version=self.version)


def professional(professional_id: str) -> ProfessionalSnapshot | None:
    """The professional as stored now (one consistent read), or ``None``."""
    item = dynamo.read("Professional look-up", ProfessionalModel, professional_id)
    if item is None:
        return None
    return ProfessionalSnapshot(
        subject=IndexSubject.from_model(item),
        version=int(item.version or 0),
        account_sub=item.account_sub,
        registered_by=item.registered_by,
        agency_id=item.agency_id,
        district=item.district,
        aadhaar_hash=item.aadhaar_hash,
        mobile_hash=item.mobile_hash,
        mobile_sealed=item.mobile_sealed,
        slots={str(k): str(v) for k, v in (item.slots.as_dict() if item.slots else {}).items()},
    )
