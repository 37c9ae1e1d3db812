"""Deciding complaints: an upheld overcharge suspends at once and, confirmed by a second officer,
bans for good, each in one transaction; nothing else does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from moto.dynamodb.models import DynamoDBBackend

from complaint import logic
from local.provision import LocalResources
from sevamitra.data.models import ComplaintModel, ProfessionalModel
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Conflict
from tests.integration.complaints.support import (
    CITIZEN,
    EMPLOYER,
    ban_check,
    complain,
    confirm_ban,
    hear,
    match_ids,
    online_professional,
    register,
    resolve,
    seed_booking,
)
from tests.integration.concurrency import atomic_transactions, race
from tests.integration.conftest import Api, claims_for
from tests.integration.support import make_aadhaar, make_mobile, table_items


def _identity_keys() -> set[str]:
    return {item["pk"]["S"] for item in table_items("identities")}


def test_upheld_overcharge_bans_at_once_everywhere(api: Api) -> None:
    pro = online_professional(api)
    assert match_ids(api) == [pro.id]
    booking = seed_booking(pro.id)
    opened = complain(api, booking)
    assert opened.status == 201, opened.body
    assert opened.body["status"] == "open"

    decided = resolve(api, opened.body["id"])
    confirmed = confirm_ban(api, opened.body["id"])

    assert decided.status == 200, decided.body
    assert decided.body["status"] == "upheld"
    assert decided.body["decision"]["ban"] is True
    assert decided.body["decision"]["by"] == "officer-1"
    assert confirmed.status == 200, confirmed.body
    # Gone from matching at once, and so from the index itself.
    assert match_ids(api) == []
    assert [i for i in table_items("geo") if i["professional_id"]["S"] == pro.id] == []
    item = ProfessionalModel.get(pro.id, consistent_read=True)
    assert (item.status, item.online) == ("banned", False)
    profile = api("GET", f"/professionals/{pro.id}", claims=claims_for(pro.sub))
    assert profile.body["status"] == "banned"
    # On the registry: both numbers, for officers and employers, saying whom, since when and why.
    details = {
        "banned": True,
        "name": "Suresh Yadav",
        "banned_at": confirmed.body["ban"]["confirmed_at"],
        "reason": "overcharge",
        "professional_id": pro.id,
    }
    assert ban_check(api, aadhaar=pro.aadhaar).body == details
    assert ban_check(api, EMPLOYER, mobile=pro.mobile).body == details
    assert ban_check(api, aadhaar=make_aadhaar(9999)).body == {"banned": False}
    assert ban_check(api, mobile=make_mobile(9999)).body == {"banned": False}
    # A new registration with either number is refused.
    same_aadhaar = register(api, "new-account-1", pro.aadhaar, make_mobile(9001))
    same_mobile = register(api, "new-account-2", make_aadhaar(9002), pro.mobile)
    assert (same_aadhaar.status, same_aadhaar.error_code) == (403, "banned")
    assert (same_mobile.status, same_mobile.error_code) == (403, "banned")
    # The decision and the ban are on the audit trail, and the chain verifies.
    trail = api("GET", f"/professionals/{pro.id}/audit", claims=claims_for("officer-2", "officers"))
    assert trail.status == 200
    assert [e["action"] for e in trail.body["entries"]] == ["complaint_upheld", "suspended", "banned"]
    assert trail.body["entries"][0]["evidence"]["complaint_id"] == opened.body["id"]
    assert trail.body["chain_valid"] is True
    # The lock is gone with the decision.
    assert complain(api, booking).status == 201


def test_dismissed_complaint_changes_nothing_but_the_complaint(api: Api) -> None:
    pro = online_professional(api)
    booking = seed_booking(pro.id)
    opened = complain(api, booking)
    identities_before = _identity_keys()
    geo_before = table_items("geo")

    decided = resolve(api, opened.body["id"], "dismissed")

    assert decided.status == 200
    assert decided.body["status"] == "dismissed"
    assert decided.body["decision"]["ban"] is False
    item = ProfessionalModel.get(pro.id, consistent_read=True)
    assert (item.status, item.online) == ("verified", True)
    assert match_ids(api) == [pro.id]
    assert table_items("geo") == geo_before
    assert _identity_keys() == identities_before
    assert ban_check(api, aadhaar=pro.aadhaar).body == {"banned": False}
    assert register(api, "new-account-3", pro.aadhaar, make_mobile(9003)).error_code == "duplicate_identity"
    trail = api("GET", f"/professionals/{pro.id}/audit", claims=claims_for("officer-1", "officers"))
    assert [e["action"] for e in trail.body["entries"]] == ["complaint_dismissed"]


def test_upheld_complaint_of_another_kind_is_recorded_without_a_ban(api: Api) -> None:
    pro = online_professional(api)
    booking = seed_booking(pro.id)
    opened = complain(api, booking, kind="quality", amount=None)

    decided = resolve(api, opened.body["id"])

    assert decided.body["status"] == "upheld"
    assert decided.body["decision"]["ban"] is False
    assert ProfessionalModel.get(pro.id, consistent_read=True).status == "verified"
    assert match_ids(api) == [pro.id]
    trail = api("GET", f"/professionals/{pro.id}/audit", claims=claims_for("officer-1", "officers"))
    assert [e["action"] for e in trail.body["entries"]] == ["complaint_upheld"]


def test_second_resolve_is_409_already_decided(api: Api) -> None:
    pro = online_professional(api)
    opened = complain(api, seed_booking(pro.id))
    assert resolve(api, opened.body["id"], "dismissed").status == 200

    again = resolve(api, opened.body["id"], "upheld")

    assert (again.status, again.error_code) == (409, "already_decided")
    assert ProfessionalModel.get(pro.id, consistent_read=True).status == "verified"


def test_of_two_concurrent_resolves_exactly_one_wins(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    pro = online_professional(api)
    opened = complain(api, seed_booking(pro.id))
    plain_transactions = DynamoDBBackend.transact_write_items
    hear(api, opened.body["id"])
    atomic_transactions(monkeypatch, parties=2)

    def decide(outcome: str) -> str:
        try:
            logic.resolve(
                Caller(f"officer-{outcome}", frozenset({"officers"})), opened.body["id"], outcome, "r"
            )
        except Conflict as exc:
            return exc.code
        return f"won:{outcome}"

    outcomes = race([lambda o=o: decide(o) for o in ("upheld", "dismissed")])
    assert all(isinstance(o, str) for o in outcomes), outcomes
    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", plain_transactions)
    if "won:upheld" in outcomes:
        assert confirm_ban(api, opened.body["id"]).status == 200

    assert sorted(o.split(":")[0] for o in outcomes) == ["already_decided", "won"]
    winner = next(o.split(":")[1] for o in outcomes if o.startswith("won"))
    stored = ComplaintModel.get(opened.body["id"], consistent_read=True)
    assert stored.status == winner
    status = ProfessionalModel.get(pro.id, consistent_read=True).status
    assert status == ("banned" if winner == "upheld" else "verified")
    trail = api("GET", f"/professionals/{pro.id}/audit", claims=claims_for("officer-1", "officers"))
    assert len([e for e in trail.body["entries"] if e["action"].startswith("complaint_")]) == 1


def test_second_upheld_overcharge_of_a_banned_professional_decides_without_banning_again(api: Api) -> None:
    pro = online_professional(api)
    first = complain(api, seed_booking(pro.id))
    second = complain(api, seed_booking(pro.id))
    assert resolve(api, first.body["id"]).body["decision"]["ban"] is True
    assert confirm_ban(api, first.body["id"]).status == 200

    decided = resolve(api, second.body["id"])

    assert decided.status == 200
    assert decided.body["decision"]["ban"] is False
    assert decided.body["decision"]["already_banned"] is True
    assert ProfessionalModel.get(pro.id, consistent_read=True).status == "banned"


def test_a_ban_cannot_be_staged_without_an_upheld_overcharge_complaint(aws: LocalResources) -> None:
    from pynamodb.transactions import TransactWrite

    from sevamitra.data import bans, dynamo, snapshots
    from sevamitra.domain.complaints import ComplaintKind, new_complaint
    from tests.integration.geo_seed import seed_professional

    seed_professional("pro_x", 26.85, 80.95)
    complaint = new_complaint(
        booking_id="b",
        professional_id="pro_x",
        complainant_sub=CITIZEN,
        kind=ComplaintKind.QUALITY,
        description="d",
        fee_paise=1,
        sla_s=60,
        now=datetime(2026, 11, 27, tzinfo=UTC),
    )
    target = snapshots.professional("pro_x")
    assert target is not None
    upheld = {"outcome": "upheld", "at": "2026-11-27T10:00:00Z"}
    with pytest.raises(ValueError, match="only an upheld overcharge"):  # noqa: SIM117 (the transaction must not commit)
        with TransactWrite(connection=dynamo.connection()) as tx:
            bans.add_ban(tx, complaint, upheld, target)
    assert ProfessionalModel.get("pro_x").status == "verified"


def test_a_complaint_decided_meanwhile_makes_the_ban_transaction_write_nothing(api: Api) -> None:
    from sevamitra.data import complaints as repo
    from sevamitra.data import decisions, snapshots

    pro = online_professional(api)
    opened = complain(api, seed_booking(pro.id))
    stale = repo.load_complaint(opened.body["id"])
    assert resolve(api, opened.body["id"], "dismissed").status == 200
    target = snapshots.professional(pro.id)
    assert target is not None

    committed = decisions.commit(
        stale, {"outcome": "upheld", "remarks": "r", "by": "o", "at": "2026-11-27T10:00:00Z"}, [], target
    )

    assert committed is False
    assert ProfessionalModel.get(pro.id, consistent_read=True).status == "verified"
    assert match_ids(api) == [pro.id]
    assert ban_check(api, aadhaar=pro.aadhaar).body == {"banned": False}
