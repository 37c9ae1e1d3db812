"""A small load over HTTP: concurrent searches, bookings racing for few professionals, lifecycle
steps, availability changes and police callbacks (fresh, replayed, conflicting, forged), then
every invariant of the stored data read straight from the emulator's tables
(``tests/oracle/invariants.py``). ``make load`` is the long version (``benchmarks/load.py``)."""

from __future__ import annotations

import pytest

from benchmarks.load import LoadConfig, run
from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e


def test_fifty_concurrent_requests_lose_nothing_and_break_no_invariant(local_only: Stack) -> None:
    config = LoadConfig(
        professionals=3, pending=2, citizens=6, requests=50, duration_s=20, concurrency=8, seed=7
    )

    result = run(local_only.outputs, config, log=lambda _: None)

    assert result["requests"] >= 50
    assert result["invariants"]["violations"] == []
    assert result["errors"] == 0, result["error_samples"]
    assert result["surprises"] == []
    assert result["operations"]["book"]["statuses"].get("201", 0) >= 1
