"""The load itself: ``concurrency`` threads issue at most ``requests`` requests for at most
``duration_s`` seconds, each a weighted draw of an operation: searches (/match), bookings (many
citizens racing for few professionals, named or nearest, some with a replayed Idempotency-Key),
accept / start / complete / cancel, declines (a booking made without a chosen professional moves
on to the next nearest; offers also time out on the server's short OFFER_TIMEOUT_S), ratings,
availability toggles, signed police callbacks (fresh, identical replays, conflicting answers,
stale or forged signatures, unknown requests), officers dismissing the overcharge complaints
that completions above the fee open, and views. Every answer is timed and recorded; one that
breaks what the API promises is a surprise. What each acknowledged booking went through is kept
for the invariants (``Acknowledged``)."""

from __future__ import annotations

import functools
import random
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from benchmarks.loadtest import OTHER_SERVICE, SERVICE, LoadConfig, near
from benchmarks.loadtest.world import Professional, World
from local.client import poll_until
from tests.oracle import invariants

MAX_OPEN_REQUESTS = 3  # a citizen's requested bookings at once (the book function's default)

OPERATIONS = (
    "match",
    "book",
    "accept",
    "start",
    "complete",
    "cancel",
    "decline",
    "rate",
    "availability",
    "callback",
    "resolve",
    "view",
)
WEIGHTS = {
    "match": 30,
    "book": 20,
    "accept": 10,
    "start": 8,
    "complete": 8,
    "cancel": 5,
    "decline": 6,
    "rate": 3,
    "availability": 6,
    "callback": 8,
    "resolve": 3,
    "view": 2,
}


@dataclass
class Tracked:
    id: str
    citizen: str
    professional: Professional
    start_code: str
    fee_paise: int
    status: str = "requested"


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    errors: list[dict[str, Any]] = field(default_factory=list)
    surprises: list[str] = field(default_factory=list)

    def record(self, op: str, status: int, elapsed: float, payload: Any) -> None:
        self.latencies[op].append(elapsed)
        self.statuses[op][status] += 1
        if status >= 500:
            code = payload.get("error", {}).get("code") if isinstance(payload, dict) else None
            self.errors.append({"operation": op, "status": status, "code": code})


class Load:
    def __init__(self, world: World, config: LoadConfig) -> None:
        self.world = world
        self.config = config
        self.stats = Stats()
        self.acknowledged = invariants.Acknowledged()
        self.bookings: dict[str, Tracked] = {}
        self.complaints: list[str] = []
        self.answered: dict[str, str] = {}  # police request -> result
        self.refused_for_open_requests = 0
        # Bookings without a chosen professional go (and on a decline, move on) to the nearest
        # eligible one on the stack, which on a shared stack may be another test's: cancelled at
        # once, counted here.
        self.assigned_outside_the_load = 0
        self.reoffered = 0  # declines answered with the booking moved on to another professional
        self.lock = threading.Lock()
        self.issued = 0
        self.rng = random.Random(config.seed)
        self.stats_lock = threading.Lock()

    # shared state

    def _take_slot(self) -> bool:
        with self.lock:
            if self.issued >= self.config.requests:
                return False
            self.issued += 1
            return True

    def _pick(self, rng: random.Random, *statuses: str) -> Tracked | None:
        with self.lock:
            candidates = [b for b in self.bookings.values() if b.status in statuses]
        return rng.choice(candidates) if candidates else None

    def _moved(self, booking: Tracked, status: str) -> None:
        with self.lock:
            booking.status = status
            self.acknowledged.moved(booking.id, status)

    def _record(self, op: str, result: tuple[int, Any, float]) -> tuple[int, Any]:
        status, payload, elapsed = result
        with self.stats_lock:
            self.stats.record(op, status, elapsed, payload)
        return status, payload

    def _surprise(self, text: str) -> None:
        with self.stats_lock:
            self.stats.surprises.append(text)

    # operations

    def match(self, rng: random.Random) -> None:
        lat, lng = near(rng, 800)
        path = f"/match?service={rng.choice([SERVICE, OTHER_SERVICE])}&lat={lat}&lng={lng}&limit=10"
        status, payload = self._record(
            "match", self.world.call("GET", path, token=rng.choice(self.world.citizens))
        )
        # A deployed stack rate-limits each account's searches (429 throttled): an answer, not a fault.
        if status != 200 and not (status == 429 and _code(payload) == "throttled"):
            self._surprise(f"match {path}: {status} {payload}")

    def _citizen_with_room(self, rng: random.Random) -> str:
        """A citizen holding fewer requested bookings than a citizen may (as far as this client
        knows: expiries happen on the server), so that bookings still race for professionals."""
        with self.lock:
            holding = Counter(b.citizen for b in self.bookings.values() if b.status == "requested")
        free = [c for c in self.world.citizens if holding[c] < MAX_OPEN_REQUESTS]
        return rng.choice(free or self.world.citizens)

    def book(self, rng: random.Random) -> None:
        citizen = self._citizen_with_room(rng)
        lat, lng = near(rng, 800)
        body: dict[str, Any] = {"service_id": SERVICE, "location": {"lat": lat, "lng": lng}}
        named = rng.random() < 0.5
        if named:
            body["professional_id"] = rng.choice(self.world.professionals).id
        key = str(uuid.uuid4())
        headers = {"Idempotency-Key": key}
        status, payload = self._record(
            "book", self.world.call("POST", "/bookings", token=citizen, body=body, headers=headers)
        )
        if status == 409 and _code(payload) == "too_many_open_requests":
            with self.lock:
                self.refused_for_open_requests += 1
        if status != 201:
            return
        pro = next((p for p in self.world.professionals if p.id == payload["professional_id"]), None)
        if pro is None:
            if named:
                self._surprise(
                    f"booking {payload['id']} named {body['professional_id']} but went to "
                    f"{payload['professional_id']}"
                )
                return
            with self.lock:
                self.assigned_outside_the_load += 1
            self._record(
                "cancel", self.world.call("POST", f"/bookings/{payload['id']}/cancel", token=citizen)
            )
            return
        with self.lock:
            self.acknowledged.created(payload["id"], pro.id)
            self.bookings[payload["id"]] = Tracked(
                payload["id"], citizen, pro, payload["start_code"], int(payload["fee_paise"])
            )
        if rng.random() < 0.15:  # a client retrying after a lost response: the same booking back
            replay_status, replay = self._record(
                "book", self.world.call("POST", "/bookings", token=citizen, body=body, headers=headers)
            )
            if replay_status != 201 or replay.get("id") != payload["id"]:
                self._surprise(f"idempotent replay of {payload['id']} answered {replay_status} {replay}")

    def accept(self, rng: random.Random) -> None:
        booking = self._pick(rng, "requested")
        if booking is None:
            return self.book(rng)
        status, _ = self._record(
            "accept",
            self.world.call("POST", f"/bookings/{booking.id}/accept", token=booking.professional.token),
        )
        if status == 200:
            self._moved(booking, "accepted")

    def start(self, rng: random.Random) -> None:
        booking = self._pick(rng, "accepted")
        if booking is None:
            return self.accept(rng)
        status, _ = self._record(
            "start",
            self.world.call(
                "POST",
                f"/bookings/{booking.id}/start",
                token=booking.professional.token,
                body={"start_code": booking.start_code},
            ),
        )
        if status == 200:
            self._moved(booking, "in_progress")

    def complete(self, rng: random.Random) -> None:
        booking = self._pick(rng, "in_progress")
        if booking is None:
            return self.start(rng)
        overcharge = rng.random() < 0.2
        amount = booking.fee_paise + (5_000 if overcharge else 0)
        status, payload = self._record(
            "complete",
            self.world.call(
                "POST",
                f"/bookings/{booking.id}/complete",
                token=booking.professional.token,
                body={"amount_collected_paise": amount},
            ),
        )
        if status == 200:
            self._moved(booking, "completed")
            if overcharge:
                with self.lock:
                    self.complaints.extend(payload.get("complaint_ids") or [])

    def cancel(self, rng: random.Random) -> None:
        booking = self._pick(rng, "requested", "accepted")
        if booking is None:
            return self.book(rng)
        token = booking.citizen if rng.random() < 0.5 else booking.professional.token
        status, _ = self._record(
            "cancel", self.world.call("POST", f"/bookings/{booking.id}/cancel", token=token)
        )
        if status == 200:
            self._moved(booking, "cancelled")

    def decline(self, rng: random.Random) -> None:
        """The professional the booking is offered to (as this client last saw) turns it down: a
        booking for a chosen professional ends, one made without moves on (re-offered)."""
        booking = self._pick(rng, "requested")
        if booking is None:
            return self.book(rng)
        status, payload = self._record(
            "decline",
            self.world.call("POST", f"/bookings/{booking.id}/decline", token=booking.professional.token),
        )
        if status != 200:
            return
        if payload["status"] == "cancelled":
            self._moved(booking, "cancelled")
            return
        if payload["professional_id"] == booking.professional.id:
            self._surprise(f"booking {booking.id} declined but offered to him again")
            return
        pro = next((p for p in self.world.professionals if p.id == payload["professional_id"]), None)
        if pro is None:
            # Re-offered to the next nearest, who on a shared stack may be another test's.
            with self.lock:
                self.assigned_outside_the_load += 1
            status, _ = self._record(
                "cancel", self.world.call("POST", f"/bookings/{booking.id}/cancel", token=booking.citizen)
            )
            if status == 200:
                self._moved(booking, "cancelled")
            return
        with self.lock:
            booking.professional = pro
            self.reoffered += 1

    def rate(self, rng: random.Random) -> None:
        booking = self._pick(rng, "completed")
        if booking is None:
            return self.complete(rng)
        self._record(
            "rate",
            self.world.call(
                "POST",
                f"/bookings/{booking.id}/rating",
                token=booking.citizen,
                body={"stars": rng.randint(3, 5)},
            ),
        )

    def availability(self, rng: random.Random) -> None:
        pro = rng.choice(self.world.professionals)
        online = rng.random() < 0.7
        self._record(
            "availability",
            self.world.call(
                "PUT", f"/professionals/{pro.id}/availability", token=pro.token, body={"online": online}
            ),
        )

    def callback(self, rng: random.Random) -> None:
        kind = rng.random()
        with self.lock:
            answered = dict(self.answered)
        fresh = [p.request_id for p in self.world.pending if p.request_id and p.request_id not in answered]
        if fresh and kind < 0.35:
            request_id = rng.choice(fresh)
            status, _ = self._record("callback", self.world.signed_callback(request_id, "clear"))
            if status == 200:
                with self.lock:
                    self.answered[request_id] = "clear"
            return
        everyone = {p.request_id: "clear" for p in self.world.professionals if p.request_id} | answered
        request_id = rng.choice(sorted(everyone))
        result = everyone[request_id]
        if kind < 0.65:  # an identical replay: 200, no second transition
            expected, result_sent = 200, result
            outcome = self.world.signed_callback(request_id, result_sent)
        elif kind < 0.8:  # a conflicting second answer
            expected = 409
            outcome = self.world.signed_callback(request_id, "adverse" if result == "clear" else "clear")
        elif kind < 0.9:  # replayed too late
            expected = 401
            outcome = self.world.signed_callback(request_id, result, at=int(time.time()) - 3600)
        elif kind < 0.95:  # forged
            expected = 401
            outcome = self.world.signed_callback(request_id, result, key=b"not-the-police")
        else:
            expected = 404
            outcome = self.world.signed_callback(f"req_{uuid.uuid4().hex}", "clear")
        status, payload = self._record("callback", outcome)
        if status != expected and status < 500:
            self._surprise(f"callback expected {expected}, got {status} {payload}")

    def resolve(self, rng: random.Random) -> None:
        with self.lock:
            complaints = list(self.complaints)
        if not complaints:
            return self.match(rng)
        complaint_id = rng.choice(complaints)
        self._record(
            "resolve",
            self.world.call(
                "POST",
                f"/complaints/{complaint_id}/resolve",
                token=self.world.officer.token,
                body={"decision": "dismissed", "remarks": "Load test: settled with the citizen."},
            ),
        )

    def view(self, rng: random.Random) -> None:
        booking = self._pick(rng, *invariants.BOOKING_STATUSES)
        if booking is None:
            return self.match(rng)
        status, payload = self._record(
            "view", self.world.call("GET", f"/bookings/{booking.id}", token=booking.citizen)
        )
        if status == 200 and payload.get("professional_id") != booking.professional.id:
            pro = next((p for p in self.world.professionals if p.id == payload["professional_id"]), None)
            if pro is not None:  # re-offered after a timeout: follow the booking
                with self.lock:
                    booking.professional = pro

    # the run

    def worker(self, index: int, deadline: float) -> None:
        rng = random.Random(self.config.seed * 7919 + index)
        operations: dict[str, Callable[[random.Random], None]] = {op: getattr(self, op) for op in OPERATIONS}
        names = list(WEIGHTS)
        weights = [WEIGHTS[name] for name in names]
        while time.monotonic() < deadline and self._take_slot():
            op = rng.choices(names, weights)[0]
            try:
                operations[op](rng)
            except requests.RequestException as exc:
                self._surprise(f"{op}: {type(exc).__name__}: {exc}")

    def run(self) -> float:
        deadline = time.monotonic() + self.config.duration_s
        threads = [
            threading.Thread(target=self.worker, args=(i, deadline), name=f"load-{i}")
            for i in range(self.config.concurrency)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started


def settle(world: World, load: Load) -> None:
    """Let the workflows of answered police requests finish before the tables are read."""
    answered = set(load.answered)
    for pro in world.pending:
        if pro.request_id in answered:
            poll_until(f"{pro.id} decided", functools.partial(_decided, world, pro), timeout_s=30)


def _decided(world: World, pro: Professional) -> bool:
    return world.status_of(pro) in ("verified", "rejected")


def _code(payload: Any) -> str | None:
    return payload.get("error", {}).get("code") if isinstance(payload, dict) else None
