"""Who may manage or view a professional, and act for an agency."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from sevamitra.domain import access
from sevamitra.domain.professionals import (
    Agency,
    AgencyStatus,
    Professional,
    ProfessionalStatus,
    Verification,
)
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Forbidden

NOW = "2026-11-27T10:00:00Z"


def _caller(sub: str, *groups: str) -> Caller:
    return Caller(sub=sub, groups=frozenset(groups))


def _agency(
    status: AgencyStatus = AgencyStatus.APPROVED, members: frozenset[str] = frozenset({"owner", "member"})
) -> Agency:
    return Agency(
        id="agy_1",
        name="A",
        udyam_number="UDYAM-UP-12-0001234",
        district="Lucknow",
        contact_mobile_hash="h",
        contact_mobile_last4="5678",
        status=status,
        owner_sub="owner",
        members=members,
        created_at=NOW,
        updated_at=NOW,
    )


def _professional(
    account_sub: str | None = "self", registered_by: str = "self", agency_id: str | None = None
) -> Professional:
    return Professional(
        id="pro_1",
        status=ProfessionalStatus.PENDING_DOCUMENTS,
        name="R",
        account_sub=account_sub,
        registered_by=registered_by,
        agency_id=agency_id,
        aadhaar_hash="a",
        aadhaar_last4="1234",
        mobile_hash="m",
        mobile_last4="3210",
        services=["plumber_tap_leak_repair"],
        lat=26.8,
        lng=80.9,
        district="Lucknow",
        verification=Verification(stage="registered"),
        created_at=NOW,
        updated_at=NOW,
    )


@pytest.mark.parametrize(
    ("caller", "may_manage", "may_view"),
    [
        (_caller("self"), True, True),
        (_caller("member"), True, True),
        (_caller("owner"), True, True),
        (_caller("stranger"), False, False),
        (_caller("officer", "officers"), False, True),
        (_caller("employer", "employers"), False, False),
    ],
)
def test_managers_and_viewers_of_an_agency_professional(
    caller: Caller, may_manage: bool, may_view: bool
) -> None:
    professional = _professional(account_sub=None, registered_by="someone-else", agency_id="agy_1")
    professional_self = _professional(account_sub="self", registered_by="someone-else", agency_id="agy_1")
    target = professional_self if caller.sub == "self" else professional
    assert access.may_manage(caller, target, _agency()) is may_manage
    assert access.may_view(caller, target, _agency()) is may_view


def test_members_of_a_pending_agency_do_not_manage_its_professionals() -> None:
    professional = _professional(account_sub=None, registered_by="officer", agency_id="agy_1")
    assert not access.may_manage(_caller("member"), professional, _agency(AgencyStatus.PENDING_APPROVAL))


def test_the_registering_account_manages_an_assisted_registration() -> None:
    professional = _professional(account_sub=None, registered_by="officer-7")
    access.require_manager(_caller("officer-7", "officers"), professional, agency_of=lambda _: None)
    with pytest.raises(Forbidden):
        access.require_manager(_caller("officer-8", "officers"), professional, agency_of=lambda _: None)


def test_agency_is_loaded_only_when_the_answer_depends_on_it() -> None:
    loads: list[str] = []

    def loader(agency_id: str) -> Agency:
        loads.append(agency_id)
        return _agency()

    professional = _professional(account_sub=None, registered_by="member", agency_id="agy_1")
    access.require_manager(_caller("member"), professional, agency_of=loader)
    assert loads == []
    access.require_manager(_caller("owner"), professional, agency_of=loader)
    assert loads == ["agy_1"]


def test_an_agency_of_another_id_grants_nothing() -> None:
    professional = _professional(account_sub=None, registered_by="x", agency_id="agy_other")
    assert not access.may_manage(_caller("member"), professional, _agency())


def test_require_agency_member_needs_approval_and_membership() -> None:
    assert access.require_agency_member(_caller("member"), _agency()).id == "agy_1"
    for caller, agency in [
        (_caller("member"), _agency(AgencyStatus.PENDING_APPROVAL)),
        (_caller("stranger"), _agency()),
        (_caller("member"), None),
    ]:
        with pytest.raises(Forbidden):
            access.require_agency_member(caller, agency)


@pytest.mark.parametrize(
    ("caller", "may_set"),
    [
        (_caller("self"), True),
        (_caller("registrar"), False),  # who registered them, once they have their own account
        (_caller("member"), False),
        (_caller("officer", "officers"), False),
    ],
)
def test_a_professional_with_an_account_alone_sets_their_availability(caller: Caller, may_set: bool) -> None:
    # Given a professional registered by someone else who now has an account of their own
    professional = _professional(account_sub="self", registered_by="registrar", agency_id="agy_1")
    # Then only that account may take them online or offline
    assert access.may_set_availability(caller, professional, agency_of=lambda _: _agency()) is may_set


@pytest.mark.parametrize(
    ("caller", "agency", "may_set"),
    [
        (_caller("registrar"), _agency(), True),
        (_caller("member"), _agency(), True),
        (_caller("member"), _agency(AgencyStatus.PENDING_APPROVAL), False),
        (_caller("stranger"), _agency(), False),
        (_caller("officer", "officers"), _agency(), False),
    ],
)
def test_an_assisted_registrations_availability_is_set_by_its_managers(
    caller: Caller, agency: Agency, may_set: bool
) -> None:
    # Given an assisted registration (no account of its own) in an agency
    professional = _professional(account_sub=None, registered_by="registrar", agency_id="agy_1")
    # Then who registered them and the members of their approved agency may set availability
    assert access.may_set_availability(caller, professional, agency_of=lambda _: agency) is may_set


class _OwnershipView(NamedTuple):
    account_sub: str | None
    registered_by: str
    agency_id: str | None


def test_availability_rules_read_any_view_of_the_professional() -> None:
    # Given another view of the record than the domain Professional (availability reads its own)
    view = _OwnershipView(account_sub=None, registered_by="registrar", agency_id=None)
    assert access.may_set_availability(_caller("registrar"), view, agency_of=lambda _: None)
    assert not access.may_set_availability(_caller("stranger"), view, agency_of=lambda _: None)
