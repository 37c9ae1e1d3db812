"""The geo index: the only code that writes or reads ``GeoEntryModel``.

Invariant: a professional has one entry per service they offer iff
``sevamitra.domain.professionals.eligible(...)`` (verified, online, not banned, no active
booking, not held by a full-time engagement), at the location on their record. Every write path
that changes one of those facts (availability, verification, bookings, job engagements, bans,
profile edits of name or services, ratings) puts the index change into the SAME transaction as
the professional's conditional update, with
``add_index_changes(tx, before, after)``:

    current = snapshots.professional(professional_id)      # as read, with its version
    after = current.subject._replace(active_booking_id=booking_id)

    def add(tx):
        tx.update(current.versioned(), actions=[...], condition=...)  # the state change
        geo_index.add_index_changes(tx, current.subject, after)       # entries follow it

    outcome = dynamo.transact("Booking", add)

If the professional's update loses a race, the whole transaction (index included) is cancelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, cast

from pynamodb.transactions import TransactWrite

from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import GeoEntryModel, ProfessionalModel
from sevamitra.domain import geo


class IndexSubject(NamedTuple):
    """The facts about a professional that decide their index entries."""

    id: str
    name: str
    services: tuple[str, ...]
    lat: float
    lng: float
    status: str
    online: bool
    active_booking_id: str | None = None
    rating_sum: float = 0
    rating_count: int = 0
    # The active full-time engagement holding the professional (sevamitra.domain.jobs).
    engagement_id: str | None = None

    @classmethod
    def from_model(cls, item: ProfessionalModel) -> IndexSubject:
        return cls(
            id=item.id,
            name=item.name,
            services=tuple(str(s) for s in item.services or ()),
            lat=float(item.lat),
            lng=float(item.lng),
            status=item.status,
            online=bool(item.online),
            active_booking_id=item.active_booking_id,
            rating_sum=float(item.rating_sum or 0),
            rating_count=int(item.rating_count or 0),
            engagement_id=item.engagement_id,
        )

    @property
    def rating(self) -> float | None:
        """Mean stars to one decimal; ``None`` until the first rating."""
        return round(self.rating_sum / self.rating_count, 1) if self.rating_count else None


def entries_for(subject: IndexSubject) -> list[GeoEntryModel]:
    """The entries ``subject`` has when eligible: one per service offered."""
    cell = geo.fine_cell(subject.lat, subject.lng)
    partition = geo.partition_cell(cell)
    return [
        GeoEntryModel(
            pk=geo.partition_key(service, partition),
            sk=geo.sort_key(cell, subject.id),
            professional_id=subject.id,
            name=subject.name,
            lat=subject.lat,
            lng=subject.lng,
            rating=subject.rating,
        )
        for service in sorted(set(subject.services))
    ]


def _indexed(subject: IndexSubject | None) -> dict[tuple[str, str], GeoEntryModel]:
    # Imported by the writes only: a search (the match function) never loads the professional
    # models (about 5 ms of its cold start).
    from sevamitra.domain.professionals import eligible

    if subject is None or not eligible(subject):
        return {}
    return {(e.pk, e.sk): e for e in entries_for(subject)}


def add_index_changes(tx: TransactWrite, before: IndexSubject | None, after: IndexSubject | None) -> int:
    """Add to ``tx`` the deletes and puts that take the index from ``before`` to ``after``
    (``None``: no such professional). Returns how many items it added (a transaction holds 100)."""
    old, new = _indexed(before), _indexed(after)
    removed = sorted(old.keys() - new.keys())
    changed = [
        entry for key, entry in sorted(new.items()) if key not in old or _content(old[key]) != _content(entry)
    ]
    for pk, sk in removed:
        tx.delete(GeoEntryModel(pk, sk))
    for entry in changed:
        tx.save(entry)
    return len(removed) + len(changed)


def _content(entry: GeoEntryModel) -> tuple[object, ...]:
    return (entry.name, entry.lat, entry.lng, entry.rating)


def bulk_load(subjects: Iterable[IndexSubject]) -> int:
    """Backfill: put the entries of every eligible subject with batch writes (not transactional:
    for rebuilding the index and for the benchmark, never for a state change)."""
    count = 0
    with dependency_errors("Index backfill"), GeoEntryModel.batch_write() as batch:
        for subject in subjects:
            for entry in _indexed(subject).values():
                batch.save(entry)
                count += 1
    return count


# --- search -----------------------------------------------------------------------------------


class Nearby(NamedTuple):
    professional_id: str
    name: str
    distance_m: float  # exact: a response shows it rounded (geo.shown_distance_m), never this
    rating: float | None


_PROJECTION = ["sk", "lat", "lng", "name", "rating"]


def _reader(service_id: str) -> geo.Reader:
    def read(key_range: geo.KeyRange, cap: int | None) -> geo.Page:
        results = GeoEntryModel.query(
            key_range.pk(service_id),
            GeoEntryModel.sk.between(key_range.sk_low, key_range.sk_high),
            limit=cap,
            attributes_to_get=_PROJECTION,
        )
        entries = [
            geo.Entry(
                sk=item.sk,
                professional_id=item.sk.split("#", 1)[1],
                lat=float(item.lat),
                lng=float(item.lng),
                payload=(item.name, None if item.rating is None else float(item.rating)),
            )
            for item in results
        ]
        complete = cap is None or len(entries) < cap or results.last_evaluated_key is None
        return geo.Page(entries, complete)

    return read


def nearest(
    service_id: str,
    lat: float,
    lng: float,
    limit: int,
    *,
    policy: geo.SearchPolicy | None = None,
    trace: geo.SearchTrace | None = None,
) -> list[Nearby]:
    """The ``limit`` nearest indexed professionals offering ``service_id`` within 3 km."""
    with dependency_errors("Search"):
        hits = geo.nearest(lat, lng, limit, _reader(service_id), policy=policy, trace=trace)
    out = []
    for hit in hits:
        name, rating = _payload(hit.entry)
        out.append(Nearby(hit.entry.professional_id, name, hit.distance, rating))
    return out


def nearest_distance_within(
    service_id: str,
    lat: float,
    lng: float,
    radius_m: float = geo.BEYOND_RADIUS_M,
    *,
    trace: geo.SearchTrace | None = None,
) -> float | None:
    """The exact distance to the nearest indexed professional offering ``service_id`` within
    ``radius_m`` (``None``: nobody). The same nearest-first expansion as ``nearest`` with a limit of
    one: bounded Queries over a growing covering, never a read of the whole district."""
    with dependency_errors("Search"):
        hits = geo.nearest(lat, lng, 1, _reader(service_id), radius_m=radius_m, trace=trace)
    return hits[0].distance if hits else None


def _payload(entry: geo.Entry) -> tuple[str, float | None]:
    payload = cast(tuple[str, "float | None"], entry.payload)
    return payload[0], payload[1]
