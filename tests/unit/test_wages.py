"""Uttar Pradesh's minimum wage floor: the data file holds the figures with their dates and
sources, and the floor is computed from it in integer paise, rounded up."""

from __future__ import annotations

import json
from datetime import date
from math import ceil

import pytest

from local.paths import ROOT
from sevamitra.domain import ratecard, wages
from sevamitra.domain.jobs import DAYS_PER_MONTH, Wage, wage_due_paise
from sevamitra.domain.wages import SkillCategory, WageUnit, floor_for

RAW = json.loads((ROOT / "data/minimum_wages.json").read_text(encoding="utf-8"))
APRIL_2025 = date(2025, 4, 1)


def test_the_april_2025_figures_are_the_issues_reference_figures() -> None:
    period = wages.period_on(date(2025, 6, 15))
    assert (period.effective_from, period.effective_to) == (APRIL_2025, date(2025, 9, 30))
    assert period.monthly_paise == {
        SkillCategory.UNSKILLED: 1_102_083,
        SkillCategory.SEMI_SKILLED: 1_212_291,
        SkillCategory.SKILLED: 1_357_958,
    }


@pytest.mark.parametrize("period", RAW["periods"], ids=lambda p: p["effective_from"])
def test_each_period_is_basic_plus_vda_with_a_source(period: dict) -> None:
    for skill, monthly in period["monthly_paise"].items():
        assert period["basic_paise"][skill] + period["vda_paise"][skill] == monthly
    assert period["sources"]
    assert all(source["url"].startswith("https://") for source in period["sources"])


def test_the_daily_floor_is_monthly_over_26_rounded_up_within_a_paisa_of_the_published_one() -> None:
    period = next(p for p in RAW["periods"] if "published_daily_paise" in p)
    for skill, monthly in period["monthly_paise"].items():
        computed = floor_for(SkillCategory(skill), APRIL_2025, WageUnit.DAY).floor_paise
        assert computed == ceil(monthly / 26)
        assert 0 <= computed - period["published_daily_paise"][skill] <= 1


def test_the_period_in_force_on_starts_on_applies_and_a_later_date_keeps_the_last_one_flagged() -> None:
    assert floor_for(SkillCategory.UNSKILLED, date(2025, 3, 31), WageUnit.MONTH).floor_paise == 1_070_100
    assert floor_for(SkillCategory.UNSKILLED, APRIL_2025, WageUnit.MONTH).floor_paise == 1_102_083
    later = floor_for(SkillCategory.UNSKILLED, date(2026, 12, 1), WageUnit.MONTH)
    assert (later.floor_paise, later.current) == (1_102_083, False)
    assert floor_for(SkillCategory.UNSKILLED, date(2025, 9, 30), WageUnit.MONTH).current is True


def test_piece_rates_part_time_and_highly_skilled() -> None:
    assert floor_for(SkillCategory.SKILLED, APRIL_2025, WageUnit.PIECE, pieces_per_day=40).floor_paise == 1306
    assert (
        floor_for(SkillCategory.SKILLED, APRIL_2025, WageUnit.MONTH, hours_per_day=4).floor_paise == 678_979
    )
    assert floor_for(SkillCategory.SKILLED, APRIL_2025, WageUnit.DAY, hours_per_day=6).floor_paise == ceil(
        1_357_958 * 6 / (26 * 8)
    )
    highly = floor_for(SkillCategory.HIGHLY_SKILLED, APRIL_2025, WageUnit.MONTH)
    assert (highly.rate_skill, highly.floor_paise) == (SkillCategory.SKILLED, 1_357_958)
    with pytest.raises(ValueError, match="pieces_per_day"):
        floor_for(SkillCategory.SKILLED, APRIL_2025, WageUnit.PIECE)


def test_the_floor_allows_exactly_the_floor_and_not_a_paisa_less() -> None:
    floor = floor_for(SkillCategory.SEMI_SKILLED, APRIL_2025, WageUnit.DAY)
    assert floor.allows(floor.floor_paise)
    assert not floor.allows(floor.floor_paise - 1)


def test_every_service_on_the_rate_card_has_a_skill_category() -> None:
    skills = {service.id: service.skill for service in ratecard.rate_card().values()}
    assert set(skills.values()) <= set(SkillCategory)
    assert skills["aaya_full_day"] is SkillCategory.UNSKILLED
    assert skills["cook_daily_two_meals"] is SkillCategory.SEMI_SKILLED
    assert skills["electrician_house_wiring_per_room"] is SkillCategory.SKILLED


@pytest.mark.parametrize(
    ("wage", "days", "pieces", "due"),
    [
        (Wage(paise=60_000, per=WageUnit.DAY), 3, 0, 180_000),
        (Wage(paise=1_400, per=WageUnit.PIECE), 3, 135, 189_000),
        (Wage(paise=1_357_958, per=WageUnit.MONTH), 24, 0, ceil(1_357_958 * 24 / 26)),
        (Wage(paise=1_357_958, per=WageUnit.MONTH), DAYS_PER_MONTH, 0, 1_357_958),
        (Wage(paise=1_357_958, per=WageUnit.MONTH), 30, 0, 1_357_958),
        (Wage(paise=1_357_958, per=WageUnit.MONTH), 0, 0, 0),
    ],
)
def test_the_wage_due_for_recorded_attendance(wage: Wage, days: int, pieces: int, due: int) -> None:
    assert wage_due_paise(wage, days, pieces) == due
