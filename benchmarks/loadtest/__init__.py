"""``make load`` (``benchmarks/load.py``), by job:

- ``stack``: the local stack the load runs against (its own by default) and its emulator's tables;
- ``world``: the set-up, through the API as clients make it (``local.client``): verified
  professionals online, a few waiting for the police, citizens;
- ``traffic``: the load itself: threads issuing weighted operations, every answer timed and
  checked against what the API promises;
- ``report``: throughput, p50/p99 latency and statuses per operation, as a table and as JSON.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

CENTRE = (26.8467, 80.9462)  # Hazratganj, Lucknow
SERVICE = "electrician_fan_installation"
OTHER_SERVICE = "electrician_switchboard_repair"
WAIT_S = 60.0


@dataclass(frozen=True)
class LoadConfig:
    professionals: int = 8
    pending: int = 3
    citizens: int = 16
    requests: int = 1200
    duration_s: float = 40.0
    concurrency: int = 12
    seed: int = 1


def near(rng: random.Random, radius_m: float) -> tuple[float, float]:
    """A point within ``radius_m`` (north-south and east-west) of ``CENTRE``."""
    # about 111 km per degree of latitude, 99.6 km per degree of longitude at 26.8 N
    return (
        round(CENTRE[0] + rng.uniform(-radius_m, radius_m) / 111_000, 6),
        round(CENTRE[1] + rng.uniform(-radius_m, radius_m) / 99_600, 6),
    )
