"""Fixed rate-limit windows and the distance a response shows: pure functions."""

from __future__ import annotations

import pytest

from match.settings import MatchSettings
from sevamitra.domain import geo
from sevamitra.edge.ratelimit import RateLimit, Windows

HOUR = 1_796_119_200  # 2026-12-01T10:00:00Z, a whole hour


@pytest.mark.parametrize(
    ("exact", "shown"),
    [
        (0.0, 0),
        (49.9, 0),
        (50.0, 100),
        (1_249.0, 1_200),
        (1_250.0, 1_300),
        (1_251.0, 1_300),
        (2_999.9, 3_000),
    ],
)
def test_a_distance_is_shown_to_the_nearest_100_m(exact: float, shown: int) -> None:
    assert geo.shown_distance_m(exact) == shown


def test_windows_are_aligned_to_the_epoch() -> None:
    limit = RateLimit(burst=3, burst_window_s=60, sustained=5, sustained_window_s=3600)
    assert limit.windows(HOUR) == Windows(HOUR, 0, HOUR + 60, HOUR + 3600)
    assert limit.windows(HOUR + 59) == Windows(HOUR, 0, HOUR + 60, HOUR + 3600)
    assert limit.windows(HOUR + 3599) == Windows(HOUR, 59, HOUR + 3600, HOUR + 3600)
    assert limit.windows(HOUR + 3600) == Windows(HOUR + 3600, 0, HOUR + 3660, HOUR + 7200)


@pytest.mark.parametrize(
    "limit",
    [
        RateLimit(burst=0, burst_window_s=60, sustained=5, sustained_window_s=3600),
        RateLimit(burst=3, burst_window_s=70, sustained=5, sustained_window_s=3600),
        RateLimit(burst=3, burst_window_s=10, sustained=5, sustained_window_s=3600),
        RateLimit(burst=6, burst_window_s=60, sustained=5, sustained_window_s=3600),
    ],
    ids=["zero", "uneven_windows", "too_many_burst_windows", "burst_above_sustained"],
)
def test_unusable_limits_are_refused(limit: RateLimit) -> None:
    with pytest.raises(ValueError, match=r"."):
        limit.check()


def test_match_settings_default_to_10_a_minute_and_60_an_hour_and_refuse_nonsense() -> None:
    defaults = MatchSettings(STAGE="test")
    assert defaults.search_rate_limit == RateLimit(10, 60, 60, 3600)
    with pytest.raises(ValueError, match="whole number"):
        MatchSettings(MATCH_SEARCH_BURST_WINDOW_S="7")
