"""Separation of duties on the sharpest tool: no officer decides a case they are party to, an
upheld overcharge suspends at once (and cancels the waiting bookings, the citizens told), the ban
needs a second officer, and an appellate officer who took no earlier part hears the appeal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from moto.dynamodb.models import DynamoDBBackend

from complaint import appeals, sanctions
from sevamitra.data.models import BookingModel, OpenRequestsModel, ProfessionalModel
from sevamitra.domain.events import DomainEvent
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Conflict
from sevamitra.platform import bus
from sevamitra.platform.clock import parse_iso, utc_now
from tests.integration.complaints.support import (
    LUCKNOW,
    OFFICER,
    SERVICE,
    Pro,
    ban_check,
    complain,
    confirm_ban,
    match_ids,
    online_professional,
    resolve,
    seed_booking,
)
from tests.integration.concurrency import atomic_transactions, race
from tests.integration.conftest import Api, claims_for
from tests.integration.support import make_aadhaar, make_mobile, table_items

APPELLATE = claims_for("appellate-1", "officers", "appellate")


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[DomainEvent]:
    captured: list[DomainEvent] = []
    put = bus.put_domain_events

    def capture(events: Any) -> Any:
        captured.extend(events)
        return put(events)

    monkeypatch.setattr(bus, "put_domain_events", capture)
    return captured


def _status(pid: str) -> str:
    return str(ProfessionalModel.get(pid, consistent_read=True).status)


def _registry(pid: str) -> list[str]:
    return sorted(
        i["pk"]["S"].split("#")[1]
        for i in table_items("identities")
        if i["pk"]["S"].startswith("ban#") and i["professional_id"]["S"] == pid
    )


def _banned(api: Api) -> tuple[Pro, str]:
    """A professional whose overcharge was upheld by officer-1 and the ban confirmed by officer-2."""
    pro = online_professional(api)
    cid = complain(api, seed_booking(pro.id)).body["id"]
    assert resolve(api, cid).status == 200
    assert confirm_ban(api, cid).status == 200
    return pro, cid


def _listed(booking_id: str) -> str:
    """On the professional's list index, as the bookings function writes every booking."""
    item = BookingModel.get(booking_id)
    item.update(actions=[BookingModel.listed_at.set(f"{item.created_at}#{booking_id}")])
    return booking_id


def _trail(api: Api, pid: str) -> dict[str, Any]:
    return dict(api("GET", f"/professionals/{pid}/audit", claims=OFFICER).body)


# --- conflict of interest ---------------------------------------------------------------------


def test_one_officer_can_no_longer_ban_for_life_in_four_calls(api: Api) -> None:
    """The hostile story of issue 18: an officer registers a professional, books him, complains
    and upholds. The uphold is refused; nothing is sanctioned."""
    rogue = claims_for("officer-rogue", "officers")
    registered = api(
        "POST",
        "/professionals",
        claims=rogue,
        body={
            "name": "Mohan Lal", "mobile": make_mobile(8101), "aadhaar": make_aadhaar(8101),
            "services": [SERVICE], "location": LUCKNOW, "district": "Lucknow",
            "qualification": {"kind": "none"},
        },
    )  # fmt: skip
    assert registered.status == 201, registered.body
    pid = registered.body["id"]
    ProfessionalModel.get(pid).update(actions=[ProfessionalModel.status.set("verified")])
    booking = seed_booking(pid, citizen_sub="officer-rogue")
    opened = complain(api, booking, sub="officer-rogue")
    assert opened.status == 201, opened.body

    upheld = resolve(api, opened.body["id"], claims=rogue)

    assert (upheld.status, upheld.error_code) == (403, "conflict_of_interest")
    assert _status(pid) == "verified"
    assert _registry(pid) == []
    assert api("GET", f"/complaints/{opened.body['id']}", claims=OFFICER).body["status"] == "open"


@pytest.mark.parametrize("party", ["complainant", "registrar"])
def test_an_officer_party_to_the_complaint_may_not_resolve_it(api: Api, party: str) -> None:
    pro = online_professional(api)
    officer_sub = "citizen-1" if party == "complainant" else pro.sub
    opened = complain(api, seed_booking(pro.id))

    refused = resolve(api, opened.body["id"], claims=claims_for(officer_sub, "officers"))

    assert (refused.status, refused.error_code) == (403, "conflict_of_interest")
    assert resolve(api, opened.body["id"]).status == 200  # an officer with no part may


# --- suspension at once ------------------------------------------------------------------------


def test_upheld_overcharge_suspends_and_cancels_waiting_bookings_telling_the_citizens(
    api: Api, published: list[DomainEvent]
) -> None:
    pro = online_professional(api)
    complained_of = seed_booking(pro.id)
    waiting = api(
        "POST",
        "/bookings",
        claims=claims_for("citizen-7"),
        body={"service_id": SERVICE, "location": LUCKNOW, "professional_id": pro.id},
    )
    assert waiting.status == 201, waiting.body
    accepted = _listed(seed_booking(pro.id, status="accepted", citizen_sub="citizen-8"))
    in_progress = _listed(seed_booking(pro.id, status="in_progress", citizen_sub="citizen-9"))
    opened = complain(api, complained_of)

    decided = resolve(api, opened.body["id"])

    assert decided.status == 200, decided.body
    assert decided.body["ban"]["status"] == "proposed"
    assert sorted(decided.body["ban"]["cancelled_bookings"]) == sorted([waiting.body["id"], accepted])
    item = ProfessionalModel.get(pro.id, consistent_read=True)
    assert (item.status, item.active_booking_id) == ("suspended", None)
    assert match_ids(api) == []
    assert [i for i in table_items("geo") if i["professional_id"]["S"] == pro.id] == []
    for bid in (waiting.body["id"], accepted):
        booking = BookingModel.get(bid, consistent_read=True)
        assert (booking.status, booking.cancelled_by) == ("cancelled", "system")
    assert BookingModel.get(in_progress, consistent_read=True).status == "in_progress"
    # The citizen's allowance of open requests is given back.
    assert OpenRequestsModel.get("citizen-7", consistent_read=True).requested == 0
    cancelled = {e.booking_id: e for e in published if e.kind == "booking_cancelled"}
    assert set(cancelled) == {waiting.body["id"], accepted}
    assert {e.facts["cancelled_by"] for e in cancelled.values()} == {"system"}
    assert {e.citizen_sub for e in cancelled.values()} == {"citizen-7", "citizen-8"}
    assert [e.professional_id for e in published if e.kind == "suspended"] == [pro.id]
    # Suspended, not banned: the registry is untouched until a second officer confirms.
    assert _registry(pro.id) == []
    assert ban_check(api, aadhaar=pro.aadhaar).body == {"banned": False}
    trail = _trail(api, pro.id)
    assert [e["action"] for e in trail["entries"]] == ["complaint_upheld", "suspended"]
    assert trail["entries"][1]["actor"] == "officer-1"
    assert trail["chain_valid"] is True


# --- four eyes ---------------------------------------------------------------------------------


def test_the_ban_needs_a_second_officer(api: Api, published: list[DomainEvent]) -> None:
    pro = online_professional(api)
    cid = complain(api, seed_booking(pro.id)).body["id"]
    assert resolve(api, cid).status == 200

    same = confirm_ban(api, cid, claims=OFFICER)
    conflicted = confirm_ban(api, cid, claims=claims_for(pro.sub, "officers"))
    assert (same.status, same.error_code) == (403, "four_eyes_required")
    assert (conflicted.status, conflicted.error_code) == (403, "conflict_of_interest")
    assert _status(pro.id) == "suspended"

    confirmed = confirm_ban(api, cid)

    assert confirmed.status == 200, confirmed.body
    ban = confirmed.body["ban"]
    assert (ban["status"], ban["proposed_by"], ban["confirmed_by"]) == ("confirmed", "officer-1", "officer-2")
    assert parse_iso(ban["appeal_by"]) - parse_iso(ban["confirmed_at"]) == timedelta(days=30)
    assert _status(pro.id) == "banned"
    assert _registry(pro.id) == ["aadhaar", "mobile"]
    assert [e.kind for e in published if e.kind == "ban_confirmed"] == ["ban_confirmed"]
    again = confirm_ban(api, cid, claims=claims_for("officer-3", "officers"))
    assert (again.status, again.error_code) == (409, "already_confirmed")
    trail = _trail(api, pro.id)
    assert [(e["action"], e["actor"]) for e in trail["entries"]] == [
        ("complaint_upheld", "officer-1"),
        ("suspended", "officer-1"),
        ("banned", "officer-2"),
    ]
    assert trail["entries"][2]["evidence"]["remarks"]
    assert trail["chain_valid"] is True


def test_a_complaint_without_a_proposed_ban_cannot_be_confirmed(api: Api) -> None:
    pro = online_professional(api)
    quality = complain(api, seed_booking(pro.id), kind="quality", amount=None).body["id"]
    assert resolve(api, quality).status == 200

    refused = confirm_ban(api, quality)

    assert (refused.status, refused.error_code) == (409, "no_ban_proposed")
    assert _status(pro.id) == "verified"


def test_of_two_officers_confirming_at_once_exactly_one_wins(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    pro = online_professional(api)
    cid = complain(api, seed_booking(pro.id)).body["id"]
    assert resolve(api, cid).status == 200
    plain_transactions = DynamoDBBackend.transact_write_items
    atomic_transactions(monkeypatch, parties=2)

    def confirm(officer: str) -> str:
        try:
            sanctions.confirm_ban(Caller(officer, frozenset({"officers"})), cid, "Receipt checked.")
        except Conflict as exc:
            return exc.code
        return f"won:{officer}"

    outcomes = race([lambda o=o: confirm(o) for o in ("o-a", "o-b")])

    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", plain_transactions)
    assert all(isinstance(o, str) for o in outcomes), outcomes
    assert sorted(str(o).split(":")[0] for o in outcomes) == ["already_confirmed", "won"]
    winner = next(str(o).split(":")[1] for o in outcomes if str(o).startswith("won"))
    assert api("GET", f"/complaints/{cid}", claims=OFFICER).body["ban"]["confirmed_by"] == winner
    actions = [e["action"] for e in _trail(api, pro.id)["entries"]]
    assert actions.count("banned") == 1
    assert _registry(pro.id) == ["aadhaar", "mobile"]


# --- the appeal --------------------------------------------------------------------------------


def test_an_appeal_overturned_reinstates_in_one_step(api: Api) -> None:
    pro, cid = _banned(api)
    stranger = api("POST", f"/complaints/{cid}/appeal", body={"text": "x"}, claims=claims_for("pro-x"))
    assert stranger.status == 403

    filed = api(
        "POST", f"/complaints/{cid}/appeal", body={"text": "The 100 rupees were the pipe."},
        claims=claims_for(pro.sub),
    )  # fmt: skip
    twice = api("POST", f"/complaints/{cid}/appeal", body={"text": "again"}, claims=claims_for(pro.sub))

    assert filed.status == 201, filed.body
    assert filed.body["appeal"]["status"] == "pending"
    assert (twice.status, twice.error_code) == (409, "already_appealed")
    decide = {"decision": "overturned", "remarks": "The receipt shows the pipe."}
    not_appellate = api("POST", f"/complaints/{cid}/appeal/decide", body=decide, claims=OFFICER)
    took_part = api(
        "POST", f"/complaints/{cid}/appeal/decide", body=decide,
        claims=claims_for("officer-2", "officers", "appellate"),
    )  # fmt: skip
    assert not_appellate.status == 403
    assert (took_part.status, took_part.error_code) == (403, "four_eyes_required")

    overturned = api("POST", f"/complaints/{cid}/appeal/decide", body=decide, claims=APPELLATE)

    assert overturned.status == 200, overturned.body
    assert overturned.body["appeal"]["status"] == "overturned"
    assert overturned.body["ban"]["status"] == "overturned"
    assert _status(pro.id) == "verified"
    assert _registry(pro.id) == []
    assert ban_check(api, aadhaar=pro.aadhaar).body == {"banned": False}
    # Back in matching as soon as they go online again.
    online = api(
        "PUT", f"/professionals/{pro.id}/availability", body={"online": True, "location": LUCKNOW},
        claims=claims_for(pro.sub),
    )  # fmt: skip
    assert online.status == 200, online.body
    assert match_ids(api) == [pro.id]
    trail = _trail(api, pro.id)
    assert [(e["action"], e["actor"]) for e in trail["entries"]][-3:] == [
        ("appeal_filed", pro.sub),
        ("appeal_overturned", "appellate-1"),
        ("reinstated", "appellate-1"),
    ]
    assert trail["chain_valid"] is True
    again = api("POST", f"/complaints/{cid}/appeal/decide", body=decide, claims=APPELLATE)
    assert (again.status, again.error_code) == (409, "no_pending_appeal")


def test_an_appeal_upheld_leaves_the_ban(api: Api) -> None:
    pro, cid = _banned(api)
    api("POST", f"/complaints/{cid}/appeal", body={"text": "Please."}, claims=claims_for(pro.sub))

    upheld = api(
        "POST", f"/complaints/{cid}/appeal/decide",
        body={"decision": "upheld", "remarks": "No receipt."}, claims=APPELLATE,
    )  # fmt: skip

    assert upheld.status == 200, upheld.body
    assert (upheld.body["appeal"]["status"], upheld.body["ban"]["status"]) == ("upheld", "confirmed")
    assert _status(pro.id) == "banned"
    assert _registry(pro.id) == ["aadhaar", "mobile"]
    assert _trail(api, pro.id)["entries"][-1]["action"] == "appeal_upheld"


def test_no_appeal_after_thirty_days_and_none_before_the_confirmation(api: Api) -> None:
    pro = online_professional(api)
    cid = complain(api, seed_booking(pro.id)).body["id"]
    assert resolve(api, cid).status == 200
    early = api("POST", f"/complaints/{cid}/appeal", body={"text": "x"}, claims=claims_for(pro.sub))
    assert (early.status, early.error_code) == (409, "no_confirmed_ban")
    assert confirm_ban(api, cid).status == 200
    late = utc_now() + timedelta(days=30, minutes=1)

    with pytest.raises(Conflict) as refused:
        appeals.file_appeal(Caller(pro.sub, frozenset()), cid, "Too late.", clock=lambda: late)

    assert refused.value.code == "appeal_window_closed"
    assert api("GET", f"/complaints/{cid}", claims=OFFICER).body["appeal"] is None
