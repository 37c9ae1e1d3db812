"""Load and races on loopback: concurrent searches, bookings, lifecycle steps and police callbacks
against the local stack, then the stored data's invariants (``tests/oracle/invariants.py``). This is
the script; its parts, by job, are in ``benchmarks/loadtest`` (stack, world, traffic, report).

    make load
    python benchmarks/load.py --requests 1500 --duration-s 60 --concurrency 12
    python benchmarks/load.py --outputs .local/outputs.json     # against a running `make dev`

By default it starts its own local stack (``python -m local.server``, what ``make dev`` runs) on
free ports with a temporary state directory, short booking expiry (``--accept-timeout-s``) and a
1 s scheduler, so the expiry sweep races the professionals' accepts. Set-up goes through the real
API as clients do: professionals sign up (Cognito on the emulator), register, upload their ID
proof with the presigned POST, submit; the verification workflow runs on Step Functions; the
police answer with a signed callback; the professionals go online near one point. A few stay
``police_pending`` so that fresh callbacks (and their replays) run during the load. Citizens
sign up too.

Then ``--concurrency`` threads issue at most ``--requests`` requests for at most
``--duration-s`` seconds: searches (/match), bookings (many citizens racing for few
professionals, named or nearest, some with a replayed Idempotency-Key), accept / start /
complete / cancel, availability toggles, signed police callbacks (fresh, identical replays,
conflicting answers, stale or forged signatures, unknown requests) and officers dismissing
the overcharge complaints that completions above the fee open. Per operation: throughput,
p50/p99 latency, the status histogram and errors (any 5xx). Written to
``benchmarks/results/load.json``.

Afterwards the tables are read directly on the emulator and every invariant is checked: no
professional with two active bookings (and ``active_booking_id`` names the active one), no
acknowledged booking lost or step undone, every geo index entry consistent with its professional,
identities consistent, complaint locks consistent, no decision applied twice. Exit status 1 if an
invariant fails or any response was a 500.

What "concurrent" means here: the local gateway runs each function's handler module one
invocation at a time (a Powertools resolver keeps the current event on a module-level ``app``,
so it is not thread-safe; in AWS each concurrent invocation gets its own container). Requests to
different functions (book, register, match, verify, complaint), the workflow's steps and the
scheduled jobs really run at the same time against one DynamoDB, and that is where races between
writers of the same professional happen (a booking claiming them while they go offline, the
expiry sweep freeing them while they accept). Two bookings of one professional are serialised
in this process; on AWS the conditional transactions keep them apart, as the integration race
tests show with a barrier.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from local.paths import SOURCE_DIRS  # noqa: E402

for _path in SOURCE_DIRS:
    if str(ROOT / _path) not in sys.path:
        sys.path.insert(0, str(ROOT / _path))

from benchmarks.loadtest import LoadConfig  # noqa: E402
from benchmarks.loadtest.report import report, summary  # noqa: E402
from benchmarks.loadtest.stack import dynamodb_resource, own_stack  # noqa: E402
from benchmarks.loadtest.traffic import Load, settle  # noqa: E402
from benchmarks.loadtest.world import World  # noqa: E402
from local.client import load_outputs  # noqa: E402
from tests.oracle import invariants  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "load.json"
__all__ = ["LoadConfig", "run"]


def run(outputs: dict[str, Any], config: LoadConfig, *, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Set up, load, check the invariants: the result (``result["invariants"]["violations"]``)."""
    world = World(outputs, config.seed)
    started = time.perf_counter()
    world.set_up(config)
    log(
        f"set-up: {len(world.professionals)} verified professionals online, {len(world.pending)} "
        f"waiting for the police, {len(world.citizens)} citizens ({time.perf_counter() - started:.1f} s)"
    )
    load = Load(world, config)
    elapsed = load.run()
    settle(world, load)
    violations = invariants.check(dynamodb_resource(outputs), acknowledged=load.acknowledged)
    return report(load, elapsed, violations, config)


def main(argv: list[str] | None = None) -> int:
    defaults = LoadConfig()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--outputs", type=Path, help="outputs.json of a running local stack (default: start one)"
    )
    parser.add_argument("--requests", type=int, default=defaults.requests)
    parser.add_argument("--duration-s", type=float, default=defaults.duration_s)
    parser.add_argument("--concurrency", type=int, default=defaults.concurrency)
    parser.add_argument("--professionals", type=int, default=defaults.professionals)
    parser.add_argument("--pending", type=int, default=defaults.pending, help="left waiting for the police")
    parser.add_argument("--citizens", type=int, default=defaults.citizens)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--accept-timeout-s", type=int, default=8, help="booking expiry (own stack only)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--server-log", type=Path, help="keep the own stack's log here")
    args = parser.parse_args(argv)
    config = LoadConfig(
        professionals=args.professionals,
        pending=args.pending,
        citizens=args.citizens,
        requests=args.requests,
        duration_s=args.duration_s,
        concurrency=args.concurrency,
        seed=args.seed,
    )
    if args.outputs:
        outputs = load_outputs(args.outputs)
        if "AwsEndpointUrl" not in outputs:
            print(
                "the load script needs a local stack (its emulator holds the tables it checks)",
                file=sys.stderr,
            )
            return 2
        result = run(outputs, config)
    else:
        with own_stack(args.accept_timeout_s, args.server_log) as outputs:
            result = run(outputs, config)
    result["stack"] = (
        "outputs" if args.outputs else f"own local stack, booking expiry {args.accept_timeout_s}s"
    )
    print(summary(result))
    violations = result["invariants"]["violations"]
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {args.results}")
    server_errors = sum(row["statuses"].get("500", 0) for row in result["operations"].values())
    return 1 if violations or server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
