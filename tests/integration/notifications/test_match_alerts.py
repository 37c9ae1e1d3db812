"""Match alerts (issue 17): POST /match/alerts, and a professional going online near one fires it
once, as a professional_available notification to the alert's owner."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from local.events import EventPump
from register.availability import AvailabilityIn, AvailabilityOut, set_availability
from sevamitra.data import match_alerts
from sevamitra.data.models import MatchAlertModel, OutboxEventModel
from sevamitra.domain import geo
from sevamitra.edge.auth import Caller
from sevamitra.platform.clock import parse_iso
from tests.integration import concurrency
from tests.integration.conftest import claims_for
from tests.integration.geo_seed import LUCKNOW, SERVICE, offset, seed_professional
from tests.integration.notifications.conftest import CITIZEN, Calls

OTHER_CITIZEN = claims_for("citizen-2")
HOME = {"lat": LUCKNOW[0], "lng": LUCKNOW[1]}


def alert(calls: Calls, claims: dict[str, Any] = CITIZEN, **body: Any) -> dict[str, Any]:
    wish = {"service_id": SERVICE, "location": HOME, "hours": 6, **body}
    return dict(calls.ok(claims, "POST", "/match/alerts", wish, status=201))


def go_online(calls: Calls, pid: str, *, online: bool = True) -> dict[str, Any]:
    return dict(
        calls.ok(claims_for(f"sub-{pid}"), "PUT", f"/professionals/{pid}/availability", {"online": online})
    )


def available(calls: Calls, pump: EventPump, claims: dict[str, Any] = CITIZEN) -> list[dict[str, Any]]:
    pump.drain()
    return [n for n in calls.inbox(claims) if n["kind"] == "professional_available"]


def test_an_alert_is_created_with_its_expiry(calls: Calls) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    created = alert(calls, hours=72)
    assert set(created) == {"id", "expires_at"}
    expires = parse_iso(created["expires_at"])
    assert before + timedelta(hours=72) <= expires <= datetime.now(UTC) + timedelta(hours=72)
    (item,) = MatchAlertModel.scan()
    assert (item.owner_sub, item.service_id, item.id) == ("citizen-1", SERVICE, created["id"])
    assert item.expires == int(expires.timestamp())  # the TTL attribute deletes it afterwards
    assert item.cell == geo.cell_hex(geo.cell_at(*LUCKNOW, match_alerts.ALERT_RES))


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"hours": 0}, 422, "validation_error"),
        ({"hours": 73}, 422, "validation_error"),
        ({"service_id": "astrologer_horoscope"}, 404, "unknown_service"),
        ({"location": {"lat": 28.6315, "lng": 77.2167}}, 422, "out_of_service_area"),  # Delhi
        ({"extra": 1}, 422, "validation_error"),
    ],
)
def test_bad_alerts_are_clear_4xx(calls: Calls, body: dict[str, Any], status: int, code: str) -> None:
    wish = {"service_id": SERVICE, "location": HOME, "hours": 6, **body}
    response = calls.call(CITIZEN, "POST", "/match/alerts", wish)
    assert (response.status, response.error_code) == (status, code)
    assert calls.api("POST", "/match/alerts", body=wish).status == 401


def test_a_professional_coming_online_nearby_fires_the_alert_once(calls: Calls, pump: EventPump) -> None:
    seed_professional("pro_1", *offset(*LUCKNOW, 1_500, 0), online=False)
    created = alert(calls)
    assert go_online(calls, "pro_1")["findable"] is True
    (note,) = available(calls, pump)
    assert "professional" in note["body"].lower() or note["title"]
    # Off and on again, or a second professional: the alert has fired, nothing more.
    go_online(calls, "pro_1", online=False)
    go_online(calls, "pro_1")
    seed_professional("pro_2", *offset(*LUCKNOW, 500, 0), online=False)
    go_online(calls, "pro_2")
    assert len(available(calls, pump)) == 1
    stored = MatchAlertModel.get(
        geo.cell_hex(geo.cell_at(*LUCKNOW, match_alerts.ALERT_RES)), f"{SERVICE}#{created['id']}"
    )
    assert (stored.fired_for, stored.fired_at is not None) == ("pro_1", True)


def test_only_alerts_within_3km_for_a_service_offered_and_unexpired_fire(
    calls: Calls, pump: EventPump
) -> None:
    alert(calls, OTHER_CITIZEN, service_id="plumber_tap_leak_repair")  # a service pro_1 does not offer
    far = offset(*LUCKNOW, 0, 3_200)
    alert(calls, location={"lat": far[0], "lng": far[1]})  # 3.2 km from where pro_1 comes online
    stale = alert(calls)
    for item in MatchAlertModel.scan():
        if item.id == stale["id"]:
            item.update(actions=[MatchAlertModel.expires_at.set("2020-01-01T00:00:00Z")])  # TTL lags
    seed_professional("pro_1", *LUCKNOW, online=False)
    go_online(calls, "pro_1")
    assert available(calls, pump) == []
    assert available(calls, pump, OTHER_CITIZEN) == []
    # Moving to within 3 km of the far alert, while online, makes them findable there: it fires.
    near_far = offset(*far, 0, -2_900)
    calls.ok(
        claims_for("sub-pro_1"),
        "PUT",
        "/professionals/pro_1/availability",
        {"online": True, "location": {"lat": near_far[0], "lng": near_far[1]}},
    )
    assert len(available(calls, pump)) == 1


def test_going_online_reads_a_few_cells_of_alerts_not_the_table(
    calls: Calls, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(12):  # alerts far to the south: none of them is read
        spot = offset(*LUCKNOW, -20_000 - 8_000 * i, 0)
        alert(calls, claims_for(f"far-{i}"), location={"lat": spot[0], "lng": spot[1]})
    seed_professional("pro_1", *LUCKNOW, online=False, services=(SERVICE, "plumber_tap_leak_repair"))
    queries: list[str] = []
    read = MatchAlertModel.query

    def counted(*args: Any, **kwargs: Any) -> Any:
        queries.append(args[0])
        return read(*args, **kwargs)

    monkeypatch.setattr(MatchAlertModel, "query", counted)
    monkeypatch.setattr(MatchAlertModel, "scan", lambda *a, **k: pytest.fail("scanned the alerts"))
    go_online(calls, "pro_1")
    cells = geo.covering_cells(*LUCKNOW, geo.SEARCH_RADIUS_M, match_alerts.ALERT_RES)
    assert 1 <= len(cells) <= 4
    assert len(queries) == 2 * len(cells)  # one per cell and service offered


def test_two_professionals_coming_online_at_once_send_one_notification(
    calls: Calls, pump: EventPump, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_professional("pro_1", *offset(*LUCKNOW, 800, 0), online=False)
    seed_professional("pro_2", *offset(*LUCKNOW, 0, 900), online=False)
    alert(calls)
    # Both racers have read the alert as unfired before either tries to fire it.
    both_read = threading.Barrier(2, timeout=20)
    near = match_alerts.near

    def near_then_wait(*args: Any, **kwargs: Any) -> list[match_alerts.MatchAlert]:
        found = near(*args, **kwargs)
        both_read.wait()
        return found

    monkeypatch.setattr(match_alerts, "near", near_then_wait)
    fired: list[str] = []
    fire = match_alerts.fire

    def recorded_fire(alert: match_alerts.MatchAlert, professional_id: str, at: str) -> Any:
        event = fire(alert, professional_id, at)
        if event is not None:
            fired.append(professional_id)
        return event

    monkeypatch.setattr(match_alerts, "fire", recorded_fire)
    concurrency.atomic_transactions(monkeypatch, parties=2)
    # The logic from two threads (a resolver is not thread-safe, like one Lambda container).
    online = AvailabilityIn(online=True)
    outcomes = concurrency.race(
        [
            lambda pid=pid: set_availability(pid, Caller(f"sub-{pid}", frozenset()), online)
            for pid in ("pro_1", "pro_2")
        ]
    )
    assert all(isinstance(outcome, AvailabilityOut) and outcome.findable for outcome in outcomes), outcomes
    assert len(fired) == 1  # the conditional write let one through (not only notify's de-duplication)
    assert len(available(calls, pump)) == 1
    assert [e for e in OutboxEventModel.scan() if e.kind == "professional_available"] == []  # published
    (stored,) = MatchAlertModel.scan()
    assert stored.fired_for == fired[0]
