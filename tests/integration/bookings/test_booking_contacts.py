"""GET /bookings/{id}: each side reaches the other only while the booking is accepted or in
progress: the citizen sees the professional's name, mobile and rating; the professional's side
sees the citizen's mobile and address. Before acceptance, after the booking ends, and for
officers: neither."""

from __future__ import annotations

from typing import Any

import pytest

from sevamitra.data import contacts
from sevamitra.data.models import BookingModel, ProfessionalModel
from sevamitra.edge import pii
from sevamitra.platform.settings import settings
from tests.integration.bookings.conftest import (
    CITIZEN,
    FEE,
    OFFICER,
    PRO,
    act,
    book,
    view,
)
from tests.integration.conftest import Api, claims_for

PRO_MOBILE = "9876543210"
CITIZEN_PHONE = "+919812300001"
SIGNED_IN_CITIZEN = {**CITIZEN, "phone_number": CITIZEN_PHONE}
ADDRESS = "House 12, Gali 3, near Hanuman Mandir, Aliganj"
CONTACT_KEYS = {"professional", "citizen"}


@pytest.fixture
def reachable_pro(pro: str) -> str:
    """pro_1 with the mobile registration keeps, sealed with the contacts key (seeded records have
    none), and two ratings."""
    sealed = contacts.seal(pii.e164(PRO_MOBILE), f"alias/{settings().resource_prefix}contacts")
    ProfessionalModel.get(pro).update(
        actions=[
            ProfessionalModel.mobile_sealed.set(sealed),
            ProfessionalModel.rating_sum.set(9),
            ProfessionalModel.rating_count.set(2),
        ]
    )
    return pro


def booking_with_address(api: Api) -> dict[str, Any]:
    created = book(api, claims=SIGNED_IN_CITIZEN, address=ADDRESS)
    assert created.status == 201, created.body
    return dict(created.body)


def sides(api: Api, booking_id: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """What the citizen, the professional and an officer see."""
    answers = [view(api, booking_id, claims) for claims in (SIGNED_IN_CITIZEN, PRO, OFFICER)]
    assert [a.status for a in answers] == [200, 200, 200], [a.body for a in answers]
    citizen, professional, officer = (dict(a.body) for a in answers)
    return citizen, professional, officer


def test_before_acceptance_neither_side_sees_the_others_contact(api: Api, reachable_pro: str) -> None:
    created = booking_with_address(api)
    citizen, professional, officer = sides(api, created["id"])
    assert not CONTACT_KEYS & set(citizen)
    assert citizen["address"] == ADDRESS  # the citizen's own words, theirs to see
    assert not (CONTACT_KEYS | {"address"}) & set(professional)
    assert not (CONTACT_KEYS | {"address"}) & set(officer)
    assert PRO_MOBILE not in str(citizen)
    assert "9812300001" not in str(professional)


@pytest.mark.parametrize("stage", ["accepted", "in_progress"])
def test_while_accepted_or_in_progress_each_side_sees_the_other(
    api: Api, reachable_pro: str, stage: str
) -> None:
    created = booking_with_address(api)
    assert act(api, created["id"], "accept", PRO).status == 200
    if stage == "in_progress":
        assert act(api, created["id"], "start", PRO, {"start_code": created["start_code"]}).status == 200
    citizen, professional, officer = sides(api, created["id"])
    assert citizen["status"] == stage
    assert citizen["professional"] == {"name": "Name pro_1", "mobile": PRO_MOBILE, "rating": 4.5}
    assert "citizen" not in citizen
    assert professional["citizen"] == {"mobile": "9812300001"}
    assert professional["address"] == ADDRESS
    assert "professional" not in professional
    assert not (CONTACT_KEYS | {"address"}) & set(officer)


@pytest.mark.parametrize("end", ["completed", "cancelled"])
def test_once_the_booking_ends_the_contacts_are_gone(api: Api, reachable_pro: str, end: str) -> None:
    created = booking_with_address(api)
    assert act(api, created["id"], "accept", PRO).status == 200
    if end == "completed":
        assert act(api, created["id"], "start", PRO, {"start_code": created["start_code"]}).status == 200
        assert act(api, created["id"], "complete", PRO, {"amount_collected_paise": FEE}).status == 200
    else:
        assert act(api, created["id"], "cancel", SIGNED_IN_CITIZEN).status == 200
    citizen, professional, _ = sides(api, created["id"])
    assert not CONTACT_KEYS & set(citizen)
    assert not (CONTACT_KEYS | {"address"}) & set(professional)


def test_an_expired_booking_shows_no_contacts(api: Api, reachable_pro: str) -> None:
    created = booking_with_address(api)
    BookingModel(created["id"]).update(actions=[BookingModel.status.set("expired")])
    citizen, professional, _ = sides(api, created["id"])
    assert not CONTACT_KEYS & set(citizen)
    assert not (CONTACT_KEYS | {"address"}) & set(professional)


def test_contacts_not_on_record_are_null_not_invented(api: Api, pro: str) -> None:
    """A professional registered before mobiles were kept, a citizen whose token has no phone."""
    created = book(api, claims=CITIZEN)
    assert created.status == 201
    assert act(api, created.body["id"], "accept", PRO).status == 200
    citizen = view(api, created.body["id"], CITIZEN).body
    assert citizen["professional"] == {"name": "Name pro_1", "mobile": None, "rating": None}
    assert "address" not in citizen
    professional = view(api, created.body["id"], PRO).body
    assert professional["citizen"] == {"mobile": None}
    assert "address" not in professional


def test_a_foreign_phone_number_is_shown_as_cognito_holds_it(api: Api, reachable_pro: str) -> None:
    created = book(api, claims={**claims_for("citizen-abroad"), "phone_number": "+14155550100"})
    assert act(api, created.body["id"], "accept", PRO).status == 200
    assert view(api, created.body["id"], PRO).body["citizen"] == {"mobile": "+14155550100"}


def test_the_address_is_at_most_300_characters_of_free_text(api: Api, pro: str) -> None:
    # 300 characters of Hindi (several bytes each) are fine; surrounding spaces are trimmed.
    longest = "मकान नंबर 12, हनुमान मंदिर के पास " * 10
    longest = (longest * 2)[:300]
    accepted = book(api, claims=SIGNED_IN_CITIZEN, address=f"  {longest}  ")
    assert accepted.status == 201, accepted.body
    assert BookingModel.get(accepted.body["id"]).address == longest.strip()
    for bad in ("x" * 301, "   ", 12):
        refused = book(api, claims=SIGNED_IN_CITIZEN, professional_id="pro_2", address=bad)
        assert (refused.status, refused.error_code) == (422, "validation_error"), bad
        assert refused.body["error"]["details"][0]["loc"][:2] == ["body", "address"]
