"""Booking rules without AWS: pricing per engagement kind, the days rule, the start-code hash."""

from __future__ import annotations

import pytest

from sevamitra.domain.bookings import EngagementKind, engagement_days, hash_start_code, price
from sevamitra.domain.ratecard import get_service

FAN = get_service("electrician_fan_installation")


@pytest.mark.parametrize("kind", [EngagementKind.TASK, EngagementKind.PIECE_RATE])
def test_single_unit_kinds_are_billed_once_and_take_no_days(kind: EngagementKind) -> None:
    engagement = price(FAN, kind)
    assert (engagement.fee_paise, engagement.duration_minutes) == (FAN.fee_paise, FAN.duration_minutes)
    with pytest.raises(ValueError, match="does not apply"):
        engagement_days(kind, 1)


def test_daily_wage_defaults_to_one_day() -> None:
    assert price(FAN, EngagementKind.DAILY_WAGE).fee_paise == FAN.fee_paise


@pytest.mark.parametrize(
    "kind", [EngagementKind.PART_TIME, EngagementKind.FULL_TIME, EngagementKind.CONTRACT]
)
def test_longer_engagements_need_days_and_multiply_in_integer_paise(kind: EngagementKind) -> None:
    with pytest.raises(ValueError, match="needs days"):
        engagement_days(kind, None)
    engagement = price(FAN, kind, 365)
    assert engagement.fee_paise == FAN.fee_paise * 365
    assert isinstance(engagement.fee_paise, int)
    assert engagement.duration_minutes == FAN.duration_minutes * 365


@pytest.mark.parametrize("days", [0, 366, -1])
def test_days_outside_1_to_365_are_refused(days: int) -> None:
    with pytest.raises(ValueError, match=r"1\.\.365"):
        engagement_days(EngagementKind.DAILY_WAGE, days)


def test_the_start_code_hash_depends_on_code_and_booking_and_is_not_the_code() -> None:
    digest = hash_start_code("bkg_1", "123456")
    assert digest == hash_start_code("bkg_1", "123456")
    assert digest != hash_start_code("bkg_1", "123457")
    assert digest != hash_start_code("bkg_2", "123456")
    assert "123456" not in digest
