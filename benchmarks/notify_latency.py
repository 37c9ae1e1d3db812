"""Notification latency on the local stack: from the ``POST /bookings`` answer to the
professional's SMS in the outbox, next to the time of the ``POST /bookings`` itself.

    python benchmarks/notify_latency.py [--bookings 60] [--professionals 4] [--out ...json]

Starts a local stack of its own (``local/client/launch.py``: what ``make dev`` runs, on free
ports), registers and verifies a few professionals over HTTP, then books them in turn. For each
booking: the time of ``POST /bookings`` (request to answer), then from the answer until
``GET /_local/sms?to=<their mobile>`` shows the new request SMS (polled every
``POLL_INTERVAL_S``: the figure includes up to that much polling slack). The booking is cancelled
before the next one, so a professional is free again. The event path measured is the one AWS runs:
the commit's outbox item, PutEvents, the bus's rule, the SQS queue, the notify handler (here fed
by a thread long-polling the queue), the SMS transport (here the recording outbox).

Target (issue 15): p95 from answer to SMS under 3 s. Writes ``benchmarks/results/notify_latency.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "layers/common/python"), str(ROOT)]

from local.client import journey  # noqa: E402
from local.client.http import Account  # noqa: E402
from local.client.launch import LocalStackProcess  # noqa: E402
from local.client.sms import Phones  # noqa: E402
from local.client.stack import StackClient  # noqa: E402
from sevamitra.domain.types import verhoeff_check_digit  # noqa: E402

SERVICE = "plumber_tap_leak_repair"
TARGET_P95_MS = 3000.0
POLL_INTERVAL_S = 0.005
WAIT_S = 30.0
RESULTS = ROOT / "benchmarks" / "results" / "notify_latency.json"


def _identity(n: int) -> tuple[str, str]:
    body = f"{2 + n % 8}{uuid.uuid4().int % 10**10:010d}"
    return body + verhoeff_check_digit(body), f"9{uuid.uuid4().int % 10**9:09d}"


def verified_professionals(stack: StackClient, count: int) -> list[dict[str, Any]]:
    """``count`` professionals, verified over HTTP and online near Hazratganj: id, mobile, point."""
    officer, police = stack.as_demo("officer"), stack.police()
    found = []
    for n in range(count):
        pro = stack.signed_up()
        aadhaar, mobile = _identity(n)
        point = {"lat": round(26.8467 + n * 0.002, 6), "lng": 80.9462}
        body = {
            "name": f"Bench Plumber {n}",
            "mobile": mobile,
            "aadhaar": aadhaar,
            "services": [SERVICE],
            "location": point,
            "district": "Lucknow",
            "qualification": {"kind": "none"},
        }
        pid = str(journey.register(pro, body)["id"])
        request_id = journey.submit_for_verification(pro, officer, pid)
        journey.cleared(police, pro, pid, request_id)
        pro.ok("PUT", f"/professionals/{pid}/availability", {"online": True, "location": point})
        found.append({"id": pid, "mobile": mobile, "point": point})
    return found


def _request_sms_count(phones: Phones, mobile: str) -> int:
    return sum("HAAN " in m["body"] for m in phones.inbox(mobile))


def one_booking(citizen: Account, phones: Phones, professional: dict[str, Any]) -> tuple[float, float]:
    """(POST /bookings ms, answer -> SMS in the outbox ms) for one booking, then cancels it."""
    seen = _request_sms_count(phones, professional["mobile"])
    body = {"service_id": SERVICE, "location": professional["point"], "professional_id": professional["id"]}
    sent = time.perf_counter()
    booking = citizen.ok("POST", "/bookings", body, status=201)
    answered = time.perf_counter()
    deadline = answered + WAIT_S
    while _request_sms_count(phones, professional["mobile"]) <= seen:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"no SMS for booking {booking['id']} within {WAIT_S:g} s")
        time.sleep(POLL_INTERVAL_S)
    arrived = time.perf_counter()
    citizen.ok("POST", f"/bookings/{booking['id']}/cancel")
    return (answered - sent) * 1000, (arrived - answered) * 1000


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[index], 1)


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": _percentile(values, 95),
        "max_ms": round(max(values), 1),
    }


def run(bookings: int, professionals: int) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(prefix="seva-notify-bench-") as state_dir,
        LocalStackProcess(Path(state_dir)) as process,
    ):
        stack = StackClient(process.outputs)
        pros = verified_professionals(stack, professionals)
        citizen, phones = stack.signed_up(), stack.phones()
        posts, to_sms = [], []
        for n in range(bookings):
            post_ms, sms_ms = one_booking(citizen, phones, pros[n % len(pros)])
            posts.append(post_ms)
            to_sms.append(sms_ms)
    post, sms = summary(posts), summary(to_sms)
    return {
        "bookings": bookings,
        "professionals": professionals,
        "poll_interval_ms": POLL_INTERVAL_S * 1000,
        "post_bookings": post,
        "answer_to_sms": sms,
        "ratio_sms_to_post": {
            "p50": round(sms["p50_ms"] / post["p50_ms"], 2),
            "p95": round(sms["p95_ms"] / post["p95_ms"], 2),
        },
        "target_p95_ms": TARGET_P95_MS,
        "target_met": sms["p95_ms"] < TARGET_P95_MS,
    }


def table(result: dict[str, Any]) -> str:
    ratio = result["ratio_sms_to_post"]
    rows = [
        ("POST /bookings", result["post_bookings"]),
        ("answer -> SMS in outbox", result["answer_to_sms"]),
    ]
    lines = [
        f"{result['bookings']} bookings of {result['professionals']} professionals, local stack",
        f"{'':<26}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}",
        *(f"{name:<26}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['max_ms']:>10}" for name, row in rows),
        f"ratio SMS / POST: p50 {ratio['p50']}x, p95 {ratio['p95']}x",
        f"target p95 < {result['target_p95_ms']:.0f} ms: {'met' if result['target_met'] else 'NOT met'}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bookings", type=int, default=60)
    parser.add_argument("--professionals", type=int, default=4)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    result = run(max(args.bookings, 1), max(args.professionals, 1))
    print(table(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["target_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
