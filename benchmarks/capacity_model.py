"""The money and the partition model of ``benchmarks/capacity.py``: list prices applied to a
measured ``Tally``, and the busiest partition keys' load at the state's peak hour."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from benchmarks.capacity_meter import Tally

PRICES = Path(__file__).resolve().parent / "prices.json"


# The state's peak hour, for the busiest partition keys. Each figure is a planning assumption,
# deliberately on the high side for a state of about 240 million people; change them here.
HOT_PARTITION_ASSUMPTIONS: dict[str, Any] = {
    "registered_professionals": 1_000_000,
    "bookings_per_day": 1_000_000,
    "searches_per_booking": 3,
    "availability_updates_per_professional_per_day": 4,
    "busiest_city_share": 0.12,
    "busiest_service_share_in_city": 0.25,
    "peak_hour_share_of_day": 0.12,
    "notes": [
        "The busiest city lies in one resolution-3 H3 cell (about 12,000 km2), so each of its "
        "services is one geo partition key (service#cell): all of that city's searches for the "
        "service and all its availability and findability changes land on that key.",
        "Outbox, awaiting-acceptance and other sparse status indexes are keyed by one constant "
        "per shard: every event or booking in the state lands on that key.",
        "DynamoDB's per-partition-key limits are 3,000 read and 1,000 write units per second, "
        "for a table and for each global secondary index alike; a throttled index write "
        "throttles the table write that caused it.",
    ],
}
PARTITION_LIMIT = {"rcu": 3000.0, "wcu": 1000.0}


# --- money -----------------------------------------------------------------------------------


def load_prices(path: Path = PRICES) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


def cost_usd(
    tally: Tally, prices: dict[str, Any], memory_mb: int, *, with_sms: bool = True
) -> dict[str, float]:
    """Each priced item's cost in US dollars for ``tally`` (``prices.json``'s per-unit figures)."""
    p = prices["usd"]
    gb_seconds = tally.lambda_ms / 1000 * memory_mb / 1024
    parts = {
        "dynamodb_reads": tally.rcu * p["dynamodb_read_request_unit"],
        "dynamodb_writes": (tally.wcu + tally.index_wcu) * p["dynamodb_write_request_unit"],
        "lambda_requests": tally.lambda_invocations * p["lambda_request"],
        "lambda_compute": gb_seconds * p["lambda_arm64_gb_second"],
        "api_gateway": tally.api_requests * p["api_gateway_rest_request"],
        "eventbridge": tally.events * p["eventbridge_custom_event"],
        # EventBridge's delivery to the notify queue is one SendMessage per event.
        "sqs": (tally.sqs_requests + tally.events) * p["sqs_request"],
        "step_functions": tally.state_transitions * p["step_functions_state_transition"],
        "kms": tally.kms_requests * p["kms_request"],
    }
    if with_sms:
        parts["sms"] = tally.sms * p["sms_india"]
    return parts


def priced(tally: Tally, prices: dict[str, Any], memory_mb: int) -> dict[str, Any]:
    rate = prices["inr_per_usd"]
    full = cost_usd(tally, prices, memory_mb)
    without = cost_usd(tally, prices, memory_mb, with_sms=False)
    return {
        "cost_inr": round(sum(full.values()) * rate, 4),
        "cost_inr_without_sms": round(sum(without.values()) * rate, 4),
        "cost_inr_by_item": {name: round(value * rate, 5) for name, value in full.items()},
    }


# --- the busiest partition keys ----------------------------------------------------------------


def hot_partition(operations: dict[str, Any], story: Tally, scale: dict[str, Any]) -> dict[str, Any]:
    a = HOT_PARTITION_ASSUMPTIONS
    peak_bookings_s = a["bookings_per_day"] * a["peak_hour_share_of_day"] / 3600
    peak_availability_s = (
        a["registered_professionals"]
        * a["availability_updates_per_professional_per_day"]
        * a["peak_hour_share_of_day"]
        / 3600
    )
    city_service = a["busiest_city_share"] * a["busiest_service_share_in_city"]
    dense_rcu = scale["dense_rcu_mean"][-1]
    availability = operations["availability"]["details"]["by_key_space"]
    spaces = story.by_key_space
    geo_write_per_booking = spaces.get("geo", [0, 0])[1]
    geo_write_per_availability = availability.get("geo", [0, 0])[1]
    keys = {
        "geo service#cell (busiest city, busiest service)": {
            "rcu_per_s": peak_bookings_s * a["searches_per_booking"] * city_service * dense_rcu,
            "wcu_per_s": (
                peak_availability_s * geo_write_per_availability + peak_bookings_s * geo_write_per_booking
            )
            * city_service,
        },
    }
    # Sparse indexes keyed by one value per shard: the whole state's traffic on each shard's key.
    for space, (_, wcu) in sorted(spaces.items()):
        if "/" not in space or not _constant_keyed(space):
            continue
        shards = _shards(space)
        keys[f"{space} (one key per shard, {shards} shard{'s' if shards > 1 else ''})"] = {
            "rcu_per_s": 0.0,
            "wcu_per_s": peak_bookings_s * wcu / shards,
        }
    rows = {}
    for name, load in keys.items():
        headroom = min(
            PARTITION_LIMIT["rcu"] / (10 * load["rcu_per_s"]) if load["rcu_per_s"] else math.inf,
            PARTITION_LIMIT["wcu"] / (10 * load["wcu_per_s"]) if load["wcu_per_s"] else math.inf,
        )
        rows[name] = {
            "rcu_per_s": round(load["rcu_per_s"], 2),
            "wcu_per_s": round(load["wcu_per_s"], 2),
            "headroom_at_10x": round(headroom, 2),
        }
    busiest = min(rows, key=lambda k: rows[k]["headroom_at_10x"])
    return {
        "assumptions": a,
        "peak_bookings_per_s": round(peak_bookings_s, 2),
        "peak_searches_per_s": round(peak_bookings_s * a["searches_per_booking"], 2),
        "peak_availability_updates_per_s": round(peak_availability_s, 2),
        "limits_per_partition_key": PARTITION_LIMIT,
        "keys": rows,
        "busiest_key": busiest,
        "headroom_at_10x_up_peak": rows[busiest]["headroom_at_10x"],
        "holds": rows[busiest]["headroom_at_10x"] >= 1,
    }


# Sparse indexes whose hash key is one constant (or one of a few shard values).
_CONSTANT_KEYED = {
    "outbox/pending",
    "bookings/awaiting_accept",
    "complaints/open_by_due",
    "verifications/pending",
    "engagements/ending",
}


def _constant_keyed(space: str) -> bool:
    return space in _CONSTANT_KEYED


def _shards(space: str) -> int:
    if space == "outbox/pending":
        from sevamitra.data import outbox

        return int(getattr(outbox, "PENDING_SHARDS", 1))
    return 1
