"""PUT /professionals/{id}/availability: who may, when, and that the index follows in one write."""

from __future__ import annotations

from unittest import mock

import pytest
from botocore.exceptions import ClientError

from local.provision import LocalResources
from sevamitra.data.models import GeoEntryModel, ProfessionalModel
from tests.integration.conftest import Api, claims_for
from tests.integration.geo_seed import LUCKNOW, SERVICE, offset, seed_professional
from tests.integration.support import approved_agency

OWNER = claims_for("sub-pro_1")


def put(api: Api, body: dict, claims: dict | None = OWNER, pid: str = "pro_1") -> object:
    return api("PUT", f"/professionals/{pid}/availability", claims=claims, body=body)


def matched(api: Api, lat: float = LUCKNOW[0], lng: float = LUCKNOW[1]) -> list[str]:
    response = api(
        "GET",
        "/match",
        claims=claims_for("citizen"),
        query={"service": SERVICE, "lat": str(lat), "lng": str(lng)},
    )
    return [r["professional_id"] for r in response.body["results"]]


def entries() -> list[GeoEntryModel]:
    return list(GeoEntryModel.scan())


def test_going_offline_and_online_moves_the_professional_out_of_and_into_matching(
    api: Api, aws: LocalResources
) -> None:
    seed_professional("pro_1", *offset(*LUCKNOW, 100, 0), services=(SERVICE, "plumber_tap_leak_repair"))
    assert matched(api) == ["pro_1"]
    response = put(api, {"online": False})
    assert response.status == 200
    assert response.body["online"] is False
    assert response.body["findable"] is False
    assert matched(api) == []
    assert entries() == []
    response = put(api, {"online": True})
    assert (response.status, response.body["findable"]) == (200, True)
    assert matched(api) == ["pro_1"]
    assert len(entries()) == 2  # one per service
    assert ProfessionalModel.get("pro_1").online is True


def test_a_new_location_moves_the_entries(api: Api, aws: LocalResources) -> None:
    seed_professional("pro_1", *LUCKNOW)
    far = offset(*LUCKNOW, 20_000, 0)
    response = put(api, {"online": True, "location": {"lat": far[0], "lng": far[1]}})
    assert response.status == 200
    assert response.body["location"] == {"lat": far[0], "lng": far[1]}
    assert matched(api) == []
    assert matched(api, *far) == ["pro_1"]
    assert len(entries()) == 1
    item = ProfessionalModel.get("pro_1")
    assert (item.lat, item.lng) == far


def test_location_while_offline_is_stored_but_not_indexed(api: Api, aws: LocalResources) -> None:
    seed_professional("pro_1", *LUCKNOW, online=False)
    spot = offset(*LUCKNOW, 500, 0)
    response = put(api, {"online": False, "location": {"lat": spot[0], "lng": spot[1]}})
    assert (response.status, response.body["findable"]) == (200, False)
    assert entries() == []
    put(api, {"online": True})
    assert [(e.lat, e.lng) for e in entries()] == [spot]


def test_online_while_on_a_booking_is_not_findable_until_free(api: Api, aws: LocalResources) -> None:
    seed_professional("pro_1", *LUCKNOW, online=False, active_booking_id="bk_1")
    response = put(api, {"online": True})
    assert (response.status, response.body["online"], response.body["findable"]) == (200, True, False)
    assert matched(api) == []


@pytest.mark.parametrize(
    "status", ["pending_documents", "verification_pending", "police_pending", "rejected"]
)
def test_only_a_verified_professional_can_set_availability(
    api: Api, aws: LocalResources, status: str
) -> None:
    seed_professional("pro_1", *LUCKNOW, status=status, online=False)
    response = put(api, {"online": True})
    assert (response.status, response.error_code) == (409, "invalid_transition")
    assert entries() == []


def test_a_banned_professional_is_403_and_stays_unfindable(api: Api, aws: LocalResources) -> None:
    seed_professional("pro_1", *LUCKNOW, status="banned", online=False)
    response = put(api, {"online": True})
    assert (response.status, response.error_code) == (403, "banned")
    assert entries() == []


def test_someone_else_is_403(api: Api, aws: LocalResources) -> None:
    seed_professional("pro_1", *LUCKNOW)
    response = put(api, {"online": False}, claims=claims_for("stranger"))
    assert response.status == 403
    officer = put(api, {"online": False}, claims=claims_for("officer-1", "officers"))
    assert officer.status == 403
    assert matched(api) == ["pro_1"]


def test_assisted_registration_is_managed_by_the_registering_account(api: Api, aws: LocalResources) -> None:
    seed_professional("pro_1", *LUCKNOW, account_sub="", registered_by="agency-member-7", online=False)
    assert put(api, {"online": True}, claims=claims_for("agency-member-7")).status == 200
    assert matched(api) == ["pro_1"]


def test_the_agency_of_an_assisted_professional_puts_them_online_as_it_accepts_their_bookings(
    api: Api, aws: LocalResources
) -> None:
    # An officer registered pro_1 on behalf of an approved agency: the agency's member manages
    # them (documents, submission, bookings) and so also their availability.
    agency_id = approved_agency(api, owner="agency-owner-1", officer="officer-1")
    seed_professional("pro_1", *LUCKNOW, account_sub="", registered_by="officer-1", online=False)
    ProfessionalModel.get("pro_1").update(actions=[ProfessionalModel.agency_id.set(agency_id)])

    assert put(api, {"online": True}, claims=claims_for("agency-owner-1")).status == 200
    assert matched(api) == ["pro_1"]
    assert put(api, {"online": False}, claims=claims_for("agency-owner-2")).status == 403


def test_self_registered_professional_is_not_managed_by_the_registering_account(
    api: Api, aws: LocalResources
) -> None:
    seed_professional("pro_1", *LUCKNOW, account_sub="sub-pro_1", registered_by="agency-member-7")
    assert put(api, {"online": False}, claims=claims_for("agency-member-7")).status == 403


def test_unknown_professional_is_404(api: Api, aws: LocalResources) -> None:
    assert put(api, {"online": True}, pid="pro_missing").status == 404


def test_without_token_is_401(api: Api, aws: LocalResources) -> None:
    seed_professional("pro_1", *LUCKNOW)
    assert put(api, {"online": False}, claims=None).status == 401


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "validation_error"),
        ({"online": "yes"}, "validation_error"),
        ({"online": True, "location": {"lat": 19.07, "lng": 72.87}}, "out_of_service_area"),
        ({"online": True, "extra": 1}, "validation_error"),
    ],
)
def test_invalid_bodies_are_422(api: Api, aws: LocalResources, body: dict, code: str) -> None:
    seed_professional("pro_1", *LUCKNOW)
    response = put(api, body)
    assert (response.status, response.error_code) == (422, code)


def test_a_lost_race_with_a_ban_writes_nothing(api: Api, aws: LocalResources) -> None:
    """The professional is banned between the read and the write: the conditional transaction
    fails as a whole, the retry sees the ban, and no index entry appears."""
    seed_professional("pro_1", *LUCKNOW, online=False)
    from sevamitra.data import snapshots

    real_load = snapshots.professional
    calls = {"n": 0}

    def load_then_ban(professional_id: str) -> object:
        current = real_load(professional_id)
        calls["n"] += 1
        if calls["n"] == 1:
            item = ProfessionalModel.get(professional_id)
            item.update(actions=[ProfessionalModel.status.set("banned")])
        return current

    with mock.patch.object(snapshots, "professional", side_effect=load_then_ban):
        response = put(api, {"online": True})
    assert (response.status, response.error_code) == (403, "banned")
    assert calls["n"] == 2
    assert entries() == []
    assert ProfessionalModel.get("pro_1").online is False


def test_a_dynamodb_failure_is_503_with_nothing_written(api: Api, aws: LocalResources) -> None:
    seed_professional("pro_1", *LUCKNOW)
    error = ClientError({"Error": {"Code": "InternalServerError", "Message": "boom"}}, "TransactWriteItems")
    with mock.patch("pynamodb.connection.base.Connection.transact_write_items", side_effect=error):
        response = put(api, {"online": False})
    assert response.status == 503
    assert matched(api) == ["pro_1"]
