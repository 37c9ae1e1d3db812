"""Uttar Pradesh's minimum wage floor, as data (``data/minimum_wages.json``), and the check of a
job post's wage against it. Pure: the file is read once; money is integer paise throughout.

- Each rate-card service has a skill category (``services.json``: ``skill``); a category without
  a rate of its own is held to the file's ``category_fallbacks`` (highly skilled -> skilled).
- The period whose ``effective_from`` is the latest on or before the post's ``starts_on``
  applies; past its ``effective_to`` it still applies (VDA only rises), flagged ``current: False``.
- A monthly wage is compared with the monthly rate, a daily wage with the daily rate (monthly /
  26, rounded up to the paisa), a piece rate through ``pieces_per_day`` (paise per piece x pieces
  a day against the daily rate). Part-time work is held to the rate pro rata for its hours out of
  the normal 8-hour working day; every other kind to the full rate.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from fractions import Fraction
from functools import cache
from importlib import resources
from math import ceil
from typing import Any, NamedTuple


class SkillCategory(StrEnum):
    UNSKILLED = "unskilled"
    SEMI_SKILLED = "semi_skilled"
    SKILLED = "skilled"
    HIGHLY_SKILLED = "highly_skilled"


class WageUnit(StrEnum):
    DAY = "day"
    MONTH = "month"
    PIECE = "piece"


NORMAL_DAY_HOURS = 8
"""The working hours of a normal day (the Minimum Wages rules' nine hours less an hour of rest):
part-time floors are this day's rate pro rata."""


class Period(NamedTuple):
    effective_from: date
    effective_to: date
    monthly_paise: dict[SkillCategory, int]
    sources: tuple[dict[str, str], ...]


class Schedule(NamedTuple):
    daily_divisor: int
    fallbacks: dict[SkillCategory, SkillCategory]
    periods: tuple[Period, ...]  # oldest first


@cache
def schedule() -> Schedule:
    raw: dict[str, Any] = json.loads(
        (resources.files("sevamitra.domain") / "minimum_wages.json").read_text(encoding="utf-8")
    )
    periods = tuple(
        sorted(
            (
                Period(
                    effective_from=date.fromisoformat(item["effective_from"]),
                    effective_to=date.fromisoformat(item["effective_to"]),
                    monthly_paise={SkillCategory(k): int(v) for k, v in item["monthly_paise"].items()},
                    sources=tuple(item["sources"]),
                )
                for item in raw["periods"]
            ),
            key=lambda period: period.effective_from,
        )
    )
    return Schedule(
        daily_divisor=int(raw["daily_divisor"]),
        fallbacks={SkillCategory(k): SkillCategory(v) for k, v in raw["category_fallbacks"].items()},
        periods=periods,
    )


def period_on(day: date) -> Period:
    """The period in force on ``day``: the latest one that had begun (the earliest, before any)."""
    periods = schedule().periods
    started = [period for period in periods if period.effective_from <= day]
    return started[-1] if started else periods[0]


class Floor(NamedTuple):
    """The minimum a post's wage must reach, in the wage's own unit, and where it comes from."""

    skill: SkillCategory
    rate_skill: SkillCategory  # the category whose rate applies (a fallback for highly skilled)
    per: WageUnit
    floor_paise: int  # per ``per``: day, month, or piece (through pieces_per_day)
    monthly_paise: int  # the full monthly rate of ``rate_skill``
    daily_paise: int  # the full daily rate (monthly / 26, rounded up)
    hours_per_day: int  # the hours the floor is for (pro rata below NORMAL_DAY_HOURS)
    pieces_per_day: int | None
    effective_from: date
    effective_to: date
    current: bool  # False: starts_on is after the last recorded period
    source: str  # the URL the period's figures were taken from

    def allows(self, paise: int) -> bool:
        return paise >= self.floor_paise

    def details(self) -> dict[str, Any]:
        """What a refusal tells the client (the ``below_minimum_wage`` details)."""
        return {
            "loc": ["body", "wage", "paise"],
            "floor_paise": self.floor_paise,
            "per": self.per.value,
            "skill": self.skill.value,
            "rate_skill": self.rate_skill.value,
            "monthly_floor_paise": self.monthly_paise,
            "daily_floor_paise": self.daily_paise,
            "hours_per_day": self.hours_per_day,
            "pieces_per_day": self.pieces_per_day,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat(),
            "rate_current": self.current,
            "source": self.source,
        }


def _up(value: Fraction) -> int:
    return ceil(value)


def floor_for(
    skill: SkillCategory,
    starts_on: date,
    per: WageUnit,
    *,
    hours_per_day: int = NORMAL_DAY_HOURS,
    pieces_per_day: int | None = None,
) -> Floor:
    """The floor for a wage paid ``per`` unit, for work of ``skill`` starting ``starts_on``,
    ``hours_per_day`` hours a day (pro rata only below the normal day)."""
    plan = schedule()
    period = period_on(starts_on)
    rate_skill = skill if skill in period.monthly_paise else plan.fallbacks[skill]
    monthly = period.monthly_paise[rate_skill]
    share = Fraction(min(hours_per_day, NORMAL_DAY_HOURS), NORMAL_DAY_HOURS)
    daily_full = _up(Fraction(monthly, plan.daily_divisor))
    if per is WageUnit.MONTH:
        floor = _up(monthly * share)
    elif per is WageUnit.DAY:
        floor = _up(Fraction(monthly, plan.daily_divisor) * share)
    else:
        if not pieces_per_day:
            raise ValueError("a piece rate needs pieces_per_day")
        floor = _up(Fraction(monthly, plan.daily_divisor) * share / pieces_per_day)
    return Floor(
        skill=skill,
        rate_skill=rate_skill,
        per=per,
        floor_paise=floor,
        monthly_paise=monthly,
        daily_paise=daily_full,
        hours_per_day=min(hours_per_day, NORMAL_DAY_HOURS),
        pieces_per_day=pieces_per_day,
        effective_from=period.effective_from,
        effective_to=period.effective_to,
        current=starts_on <= period.effective_to,
        source=period.sources[0]["url"],
    )
