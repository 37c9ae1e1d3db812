"""Match alerts (``POST /match/alerts``): the only code that reads or writes ``MatchAlertModel``.

An alert sits under the H3 cell (``ALERT_RES``) of its point, sorted by service. A professional who
becomes findable somewhere looks up the alerts of the few cells whose alerts could be within 3 km
(``geo.covering_cells``), one Query per cell and service offered: a handful of small reads, never
a scan. Each alert fires once: the write that sets ``fired_at`` is conditional on it being unset
and the alert unexpired, and puts the ``professional_available`` event into the outbox in the same
transaction, so of two professionals coming online at once exactly one announces it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from pynamodb.transactions import TransactWrite

from sevamitra.data import dynamo, outbox
from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import MatchAlertModel
from sevamitra.domain import geo
from sevamitra.domain.events import DomainEvent, Kind, event_id

if TYPE_CHECKING:
    from sevamitra.data.geo_index import IndexSubject

ALERT_RES = 5
"""Cells of about 250 km² (edge ~9 km): a 3 km disk touches one to four of them."""
ALERT_RADIUS_M = geo.SEARCH_RADIUS_M
MAX_ATTEMPTS = 3


class MatchAlert(NamedTuple):
    id: str
    owner_sub: str
    service_id: str
    lat: float
    lng: float
    created_at: str
    expires_at: str
    expires_epoch: int
    fired_at: str | None = None


def _cell(lat: float, lng: float) -> str:
    return geo.cell_hex(geo.cell_at(lat, lng, ALERT_RES))


def _item(alert: MatchAlert) -> MatchAlertModel:
    return MatchAlertModel(
        _cell(alert.lat, alert.lng),
        f"{alert.service_id}#{alert.id}",
        id=alert.id,
        owner_sub=alert.owner_sub,
        service_id=alert.service_id,
        lat=alert.lat,
        lng=alert.lng,
        created_at=alert.created_at,
        expires_at=alert.expires_at,
        expires=alert.expires_epoch,
    )


def _alert(item: MatchAlertModel) -> MatchAlert:
    return MatchAlert(
        id=item.id,
        owner_sub=item.owner_sub,
        service_id=item.service_id,
        lat=float(item.lat),
        lng=float(item.lng),
        created_at=item.created_at,
        expires_at=item.expires_at,
        expires_epoch=int(item.expires),
        fired_at=item.fired_at,
    )


def put(alert: MatchAlert) -> None:
    with dependency_errors("Saving the match alert"):
        _item(alert).save(condition=MatchAlertModel.alert.does_not_exist())


def near(services: Iterable[str], lat: float, lng: float, at: str) -> list[MatchAlert]:
    """Unfired, unexpired alerts for any of ``services`` whose point is within 3 km of (lat, lng)."""
    found: list[MatchAlert] = []
    cells = geo.covering_cells(lat, lng, ALERT_RADIUS_M, ALERT_RES)
    with dependency_errors("Reading match alerts"):
        for cell in sorted(cells):
            for service in sorted(set(services)):
                for item in MatchAlertModel.query(
                    geo.cell_hex(cell),
                    MatchAlertModel.alert.startswith(f"{service}#"),
                    filter_condition=MatchAlertModel.fired_at.does_not_exist()
                    & (MatchAlertModel.expires_at > at),
                ):
                    alert = _alert(item)
                    if geo.distance_m(lat, lng, alert.lat, alert.lng) <= ALERT_RADIUS_M:
                        found.append(alert)
    return found


def available_event(alert: MatchAlert, professional_id: str, at: str) -> DomainEvent:
    """One per alert, whoever made it fire."""
    return DomainEvent(
        event_id=event_id(Kind.PROFESSIONAL_AVAILABLE, alert.id),
        kind=Kind.PROFESSIONAL_AVAILABLE,
        at=at,
        professional_id=professional_id,
        citizen_sub=alert.owner_sub,
        facts={"service_id": alert.service_id, "alert_id": alert.id},
    )


def fire(alert: MatchAlert, professional_id: str, at: str) -> DomainEvent | None:
    """Mark ``alert`` fired for ``professional_id`` with its event in the outbox, in one
    transaction conditional on it being unfired and unexpired: the event, or ``None`` when it had
    already fired (or expired) by then."""
    event = available_event(alert, professional_id, at)
    key = MatchAlertModel(_cell(alert.lat, alert.lng), f"{alert.service_id}#{alert.id}")

    def add(tx: TransactWrite) -> None:
        tx.update(
            key,
            actions=[MatchAlertModel.fired_at.set(at), MatchAlertModel.fired_for.set(professional_id)],
            condition=MatchAlertModel.alert.exists()
            & MatchAlertModel.fired_at.does_not_exist()
            & (MatchAlertModel.expires_at > at),
        )
        outbox.add_events(tx, [event], at)

    for _ in range(MAX_ATTEMPTS):
        outcome = dynamo.transact("Firing a match alert", add)
        if outcome.done:
            return event
        if outcome.condition_failed:
            return None
        if not outcome.conflict:
            outcome.reraise()
    # Another transaction kept holding the alert: the one holding it is firing it.
    return None


def on_findable(before: IndexSubject | None, after: IndexSubject, at: str) -> list[DomainEvent]:
    """After a committed change that made ``after`` findable (it was not, or it moved): fire the
    alerts near them for the services they offer. The events are in the outbox; the caller emits
    them (``bus.emit``). Nothing is read when the change did not make them findable somewhere new."""
    from sevamitra.domain.professionals import eligible

    if not eligible(after):
        return []
    if before is not None and eligible(before) and (before.lat, before.lng) == (after.lat, after.lng):
        return []
    fired = []
    for alert in near(after.services, after.lat, after.lng, at):
        event = fire(alert, after.id, at)
        if event is not None:
            fired.append(event)
    return fired
