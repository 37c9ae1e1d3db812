"""Opening a complaint: one unresolved complaint per booking and kind, recorded on the booking."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from local.provision import LocalResources
from sevamitra.data import complaints as repo
from sevamitra.data.models import BookingModel, ComplaintModel
from sevamitra.domain.complaints import ComplaintKind, ComplaintStatus, OpenedBy, new_complaint
from sevamitra.edge.errors import Conflict

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def _booking(booking_id: str = "bkg_1") -> None:
    BookingModel(
        booking_id,
        status="completed",
        citizen_sub="citizen-1",
        professional_id="pro_1",
        service_id="plumber_tap_leak_repair",
        fee_paise=20000,
        duration_minutes=60,
        lat=26.85,
        lng=80.95,
        expires_at="2026-11-27T10:30:00Z",
        created_at="2026-11-27T09:00:00Z",
        updated_at="2026-11-27T09:00:00Z",
    ).save()


def _complaint(kind: ComplaintKind = ComplaintKind.OVERCHARGE, booking_id: str = "bkg_1", **kwargs: object):
    return new_complaint(
        booking_id=booking_id,
        professional_id="pro_1",
        complainant_sub="citizen-1",
        kind=kind,
        description="asked for more",
        fee_paise=20000,
        sla_s=3600,
        now=NOW,
        **kwargs,  # type: ignore[arg-type]
    )


def test_opened_complaint_is_open_due_after_sla_and_listed_on_booking(aws: LocalResources) -> None:
    _booking()
    complaint = repo.open_complaint(_complaint(amount_paid_paise=30000))

    stored = repo.load_complaint(complaint.id)
    assert stored.status is ComplaintStatus.OPEN
    assert stored.due_by == "2026-11-27T11:00:00Z"
    assert BookingModel.get("bkg_1").complaint_ids == {complaint.id}
    assert [c.id for c in ComplaintModel.open_by_due.query("open")] == [complaint.id]


def test_second_complaint_of_same_kind_on_booking_is_409_naming_the_first(aws: LocalResources) -> None:
    _booking()
    first = repo.open_complaint(_complaint(opened_by=OpenedBy.SYSTEM))

    with pytest.raises(Conflict) as caught:
        repo.open_complaint(_complaint())

    assert caught.value.code == "complaint_exists"
    assert caught.value.details == [{"complaint_id": first.id}]
    assert BookingModel.get("bkg_1").complaint_ids == {first.id}


def test_complaints_of_different_kinds_on_one_booking_both_open(aws: LocalResources) -> None:
    _booking()
    overcharge = repo.open_complaint(_complaint(ComplaintKind.OVERCHARGE))
    quality = repo.open_complaint(_complaint(ComplaintKind.QUALITY))

    assert BookingModel.get("bkg_1").complaint_ids == {overcharge.id, quality.id}


def test_lock_items_are_not_complaints(aws: LocalResources) -> None:
    _booking()
    repo.open_complaint(_complaint())
    assert repo.get_complaint(repo.lock_id("bkg_1", ComplaintKind.OVERCHARGE)) is None
