"""Load and races on loopback: concurrent searches, bookings, lifecycle steps and police callbacks
against the local stack, then the stored data's invariants (``local/invariants.py``).

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
import functools
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from local.paths import SOURCE_DIRS, pythonpath  # noqa: E402

for _path in SOURCE_DIRS:
    if str(ROOT / _path) not in sys.path:
        sys.path.insert(0, str(ROOT / _path))

import boto3  # noqa: E402
import requests  # noqa: E402
from botocore import UNSIGNED  # noqa: E402
from botocore.config import Config  # noqa: E402

from local import invariants  # noqa: E402
from local.uploads import upload  # noqa: E402
from sevamitra.types import verhoeff_check_digit  # noqa: E402
from verify.signature import HEADER, sign  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "load.json"
CENTRE = (26.8467, 80.9462)  # Hazratganj, Lucknow
SERVICE = "electrician_fan_installation"
OTHER_SERVICE = "electrician_switchboard_repair"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
HTTP_TIMEOUT_S = 30
WAIT_S = 60
MAX_OPEN_REQUESTS = 3  # a citizen's requested bookings at once (the book function's default)
START_TIMEOUT_S = 60

OPERATIONS = (
    "match",
    "book",
    "accept",
    "start",
    "complete",
    "cancel",
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
    "rate": 3,
    "availability": 6,
    "callback": 8,
    "resolve": 3,
    "view": 2,
}


@dataclass(frozen=True)
class LoadConfig:
    professionals: int = 8
    pending: int = 3
    citizens: int = 16
    requests: int = 1200
    duration_s: float = 40.0
    concurrency: int = 12
    seed: int = 1


# --- the stack --------------------------------------------------------------------------------


def _code(payload: Any) -> str | None:
    return payload.get("error", {}).get("code") if isinstance(payload, dict) else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def local_stack(accept_timeout_s: int, log_path: Path | None = None) -> Iterator[dict[str, Any]]:
    """``python -m local.server`` on free ports with its own state directory; its outputs."""
    with tempfile.TemporaryDirectory(prefix="seva-load-") as state_dir:
        port = free_port()
        env = {
            **os.environ,
            "PORT": str(port),
            "MOTO_PORT": str(free_port()),
            "LOCAL_STATE_DIR": state_dir,
            "PYTHONPATH": pythonpath(),
            "PYTHONUNBUFFERED": "1",
            "BOOKING_ACCEPT_TIMEOUT_S": str(accept_timeout_s),
            "SCHEDULE_INTERVAL_S": "1",
            # A handful of citizens stands in for a city: their searches are not one person's.
            "MATCH_SEARCH_BURST": os.environ.get("MATCH_SEARCH_BURST", "100000"),
            "MATCH_SEARCH_SUSTAINED": os.environ.get("MATCH_SEARCH_SUSTAINED", "100000"),
        }
        log_file = log_path or Path(state_dir) / "server.log"
        with log_file.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "local.server"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_healthy(process, f"http://127.0.0.1:{port}", log_file)
            yield json.loads((Path(state_dir) / "outputs.json").read_text(encoding="utf-8"))
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_healthy(process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"local stack exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"local stack not healthy within {START_TIMEOUT_S}s:\n{log_path.read_text()}")


# --- clients ----------------------------------------------------------------------------------


class Api:
    """HTTP to the API with one keep-alive session per thread; every response is timed."""

    def __init__(self, outputs: dict[str, Any]) -> None:
        self.outputs = outputs
        self.base = str(outputs["ApiUrl"]).rstrip("/")
        self._local = threading.local()

    def session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: Any = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any, float]:
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        started = time.perf_counter()
        response = self.session().request(
            method, self.base + path, json=body, data=data, headers=all_headers, timeout=HTTP_TIMEOUT_S
        )
        elapsed = time.perf_counter() - started
        try:
            payload = response.json() if response.content else None
        except ValueError:
            payload = response.text
        return response.status_code, payload, elapsed


class Cognito:
    def __init__(self, outputs: dict[str, Any]) -> None:
        self.outputs = outputs
        region = str(outputs.get("Region") or str(outputs["UserPoolId"]).split("_")[0])
        endpoint = outputs["AwsEndpointUrl"]
        self.public = boto3.client(
            "cognito-idp",
            region_name=region,
            endpoint_url=endpoint,
            config=Config(signature_version=UNSIGNED),
        )
        self.admin = boto3.client(
            "cognito-idp",
            region_name=region,
            endpoint_url=endpoint,
            aws_access_key_id="local",
            aws_secret_access_key="local",  # noqa: S106 - the emulator's fake credentials
        )

    def sign_in(self, username: str, password: str) -> str:
        result = self.public.initiate_auth(
            ClientId=self.outputs["UserPoolClientId"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        return str(result["AuthenticationResult"]["IdToken"])

    def sign_up(self) -> str:
        """A new account signs up with its phone number (confirmed by the emulator's admin): its ID token."""
        username = f"+9196{uuid.uuid4().int % 10**8:08d}"
        password = f"Load#{uuid.uuid4().hex[:10]}1"
        self.public.sign_up(
            ClientId=self.outputs["UserPoolClientId"],
            Username=username,
            Password=password,
            UserAttributes=[{"Name": "phone_number", "Value": username}],
        )
        self.admin.admin_confirm_sign_up(UserPoolId=self.outputs["UserPoolId"], Username=username)
        return self.sign_in(username, password)


def police_key(outputs: dict[str, Any]) -> bytes:
    if outputs.get("PoliceSecretValue"):
        return str(outputs["PoliceSecretValue"]).encode()
    from local.police import police_key as read_key

    return read_key(outputs)


def dynamodb_resource(outputs: dict[str, Any]) -> Any:
    return boto3.resource(
        "dynamodb",
        region_name=str(outputs.get("Region") or "ap-south-1"),
        endpoint_url=outputs["AwsEndpointUrl"],
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 - the emulator's fake credentials
    )


# --- set-up -----------------------------------------------------------------------------------


@dataclass
class Professional:
    id: str
    token: str
    lat: float
    lng: float
    request_id: str | None = None


def _identity(rng: random.Random) -> tuple[str, str]:
    body = f"{rng.randint(2, 9)}{rng.randrange(10**10):010d}"
    return body + verhoeff_check_digit(body), f"{rng.randint(6, 9)}{rng.randrange(10**9):09d}"


def _near(rng: random.Random, radius_m: float) -> tuple[float, float]:
    # about 111 km per degree of latitude, 99.6 km per degree of longitude at 26.8 N
    return (
        round(CENTRE[0] + rng.uniform(-radius_m, radius_m) / 111_000, 6),
        round(CENTRE[1] + rng.uniform(-radius_m, radius_m) / 99_600, 6),
    )


def _expect(what: str, status: int, payload: Any, *wanted: int) -> Any:
    if status not in wanted:
        raise RuntimeError(f"{what}: {status} {payload}")
    return payload


def _until(what: str, probe: Callable[[], Any], timeout_s: float = WAIT_S) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}")


class World:
    """The stack's clients and everyone set-up made."""

    def __init__(self, outputs: dict[str, Any], seed: int) -> None:
        self.outputs = outputs
        self.api = Api(outputs)
        self.cognito = Cognito(outputs)
        self.key = police_key(outputs)
        self.rng = random.Random(seed)
        self.officer = self.cognito.sign_in(
            outputs["DemoAccounts"]["officer"]["username"], outputs["DemoAccounts"]["officer"]["password"]
        )
        self.professionals: list[Professional] = []
        self.pending: list[Professional] = []
        self.citizens: list[str] = []

    def signed_callback(
        self, request_id: str, result: str, *, at: int | None = None, key: bytes | None = None
    ) -> tuple[int, Any, float]:
        body = json.dumps({"request_id": request_id, "result": result}).encode()
        signature = sign(key or self.key, int(time.time()) if at is None else at, body)
        return self.api.call(
            "POST",
            "/verification/callback",
            data=body,
            headers={"Content-Type": "application/json", HEADER: signature},
        )

    def police_request_of(self, pid: str) -> str | None:
        status, payload, _ = self.api.call("GET", "/verification/requests?status=pending", token=self.officer)
        _expect("pending requests", status, payload, 200)
        return next((r["request_id"] for r in payload["requests"] if r["professional_id"] == pid), None)

    def status_of(self, pro: Professional) -> str:
        status, payload, _ = self.api.call("GET", f"/professionals/{pro.id}", token=pro.token)
        return str(_expect("professional", status, payload, 200)["status"])

    def register(self, seed: int) -> Professional:
        """Sign up, register, upload the ID proof, submit; wait for the police request."""
        rng = random.Random(seed)
        token = self.cognito.sign_up()
        aadhaar, mobile = _identity(rng)
        lat, lng = _near(rng, 1_200)
        body = {
            "name": f"Load Pro {seed}",
            "mobile": mobile,
            "aadhaar": aadhaar,
            "services": [SERVICE, OTHER_SERVICE],
            "location": {"lat": lat, "lng": lng},
            "district": "Lucknow",
            "qualification": {"kind": "none"},
        }
        status, payload, _ = self.api.call("POST", "/professionals", token=token, body=body)
        pid = str(_expect("registration", status, payload, 201)["id"])
        form = {"kind": "id_proof", "content_type": "application/pdf", "size_bytes": len(PDF)}
        status, payload, _ = self.api.call("POST", f"/professionals/{pid}/documents", token=token, body=form)
        upload(
            _expect("document form", status, payload, 201)["upload"],
            PDF,
            filename="id.pdf",
            timeout_s=HTTP_TIMEOUT_S,
        )
        status, payload, _ = self.api.call("POST", f"/professionals/{pid}/submit", token=token)
        _expect("submit", status, payload, 202)
        pro = Professional(pid, token, lat, lng)
        pro.request_id = _until(f"the police request of {pid}", lambda: self.police_request_of(pid))
        return pro

    def verify(self, pro: Professional) -> None:
        assert pro.request_id is not None
        status, payload, _ = self.signed_callback(pro.request_id, "clear")
        _expect("police callback", status, payload, 200)
        _until(f"{pro.id} verified", lambda: self.status_of(pro) == "verified")
        status, payload, _ = self.api.call(
            "PUT",
            f"/professionals/{pro.id}/availability",
            token=pro.token,
            body={"online": True, "location": {"lat": pro.lat, "lng": pro.lng}},
        )
        _expect("availability", status, payload, 200)

    def set_up(self, config: LoadConfig) -> None:
        from concurrent.futures import ThreadPoolExecutor

        total = config.professionals + config.pending
        with ThreadPoolExecutor(max_workers=4) as pool:
            registered = list(pool.map(self.register, [config.seed * 1000 + i for i in range(total)]))
            verified = registered[: config.professionals]
            list(pool.map(self.verify, verified))
            self.citizens = list(pool.map(lambda _: self.cognito.sign_up(), range(config.citizens)))
        self.professionals = verified
        self.pending = registered[config.professionals :]


# --- the load ---------------------------------------------------------------------------------


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
        lat, lng = _near(rng, 800)
        path = f"/match?service={rng.choice([SERVICE, OTHER_SERVICE])}&lat={lat}&lng={lng}&limit=10"
        status, payload = self._record(
            "match", self.world.api.call("GET", path, token=rng.choice(self.world.citizens))
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
        lat, lng = _near(rng, 800)
        body: dict[str, Any] = {"service_id": SERVICE, "location": {"lat": lat, "lng": lng}}
        named = rng.random() < 0.5
        if named:
            body["professional_id"] = rng.choice(self.world.professionals).id
        key = str(uuid.uuid4())
        headers = {"Idempotency-Key": key}
        status, payload = self._record(
            "book", self.world.api.call("POST", "/bookings", token=citizen, body=body, headers=headers)
        )
        if status == 409 and _code(payload) == "too_many_open_requests":
            with self.lock:
                self.refused_for_open_requests += 1
        if status != 201:
            return
        pro = next((p for p in self.world.professionals if p.id == payload["professional_id"]), None)
        if pro is None:
            self._surprise(
                f"booking {payload['id']} assigned to unknown professional {payload['professional_id']}"
            )
            return
        with self.lock:
            self.acknowledged.created(payload["id"], pro.id)
            self.bookings[payload["id"]] = Tracked(
                payload["id"], citizen, pro, payload["start_code"], int(payload["fee_paise"])
            )
        if rng.random() < 0.15:  # a client retrying after a lost response: the same booking back
            replay_status, replay = self._record(
                "book", self.world.api.call("POST", "/bookings", token=citizen, body=body, headers=headers)
            )
            if replay_status != 201 or replay.get("id") != payload["id"]:
                self._surprise(f"idempotent replay of {payload['id']} answered {replay_status} {replay}")

    def accept(self, rng: random.Random) -> None:
        booking = self._pick(rng, "requested")
        if booking is None:
            return self.book(rng)
        status, _ = self._record(
            "accept",
            self.world.api.call("POST", f"/bookings/{booking.id}/accept", token=booking.professional.token),
        )
        if status == 200:
            self._moved(booking, "accepted")

    def start(self, rng: random.Random) -> None:
        booking = self._pick(rng, "accepted")
        if booking is None:
            return self.accept(rng)
        status, _ = self._record(
            "start",
            self.world.api.call(
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
            self.world.api.call(
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
            "cancel", self.world.api.call("POST", f"/bookings/{booking.id}/cancel", token=token)
        )
        if status == 200:
            self._moved(booking, "cancelled")

    def rate(self, rng: random.Random) -> None:
        booking = self._pick(rng, "completed")
        if booking is None:
            return self.complete(rng)
        self._record(
            "rate",
            self.world.api.call(
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
            self.world.api.call(
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
            self.world.api.call(
                "POST",
                f"/complaints/{complaint_id}/resolve",
                token=self.world.officer,
                body={"decision": "dismissed", "remarks": "Load test: settled with the citizen."},
            ),
        )

    def view(self, rng: random.Random) -> None:
        booking = self._pick(rng, *invariants.BOOKING_STATUSES)
        if booking is None:
            return self.match(rng)
        self._record("view", self.world.api.call("GET", f"/bookings/{booking.id}", token=booking.citizen))

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


# --- the report -------------------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def report(load: Load, elapsed_s: float, violations: list[str], config: LoadConfig) -> dict[str, Any]:
    operations = {}
    for op in OPERATIONS:
        latencies = load.stats.latencies.get(op) or []
        if not latencies:
            continue
        statuses = load.stats.statuses[op]
        operations[op] = {
            "requests": len(latencies),
            "throughput_rps": round(len(latencies) / elapsed_s, 1),
            "p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
            "p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
            "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
            "statuses": {str(code): statuses[code] for code in sorted(statuses)},
            "errors": sum(n for code, n in statuses.items() if code >= 500),
        }
    everything = [x for values in load.stats.latencies.values() for x in values]
    booking_statuses = Counter(b.status for b in load.bookings.values())
    return {
        "config": {**config.__dict__},
        "elapsed_s": round(elapsed_s, 2),
        "requests": len(everything),
        "throughput_rps": round(len(everything) / elapsed_s, 1) if elapsed_s else 0.0,
        "p50_ms": round(_percentile(everything, 0.5) * 1000, 1) if everything else None,
        "p99_ms": round(_percentile(everything, 0.99) * 1000, 1) if everything else None,
        "errors": len(load.stats.errors),
        "error_samples": load.stats.errors[:20],
        "surprises": load.stats.surprises[:20],
        "operations": operations,
        "bookings_created": len(load.bookings),
        "bookings_by_last_acknowledged_status": dict(booking_statuses),
        "bookings_refused_too_many_open_requests": load.refused_for_open_requests,
        "complaints_opened": len(load.complaints),
        "invariants": {"checked": INVARIANTS_CHECKED, "violations": violations},
        "note": (
            "Local stack on loopback: each function's handler module runs one invocation at a time "
            "(per-module lock in local/dispatch.py); different functions, workflow steps and "
            "scheduled jobs run concurrently."
        ),
    }


INVARIANTS_CHECKED = [
    "identities: every professional holds its aadhaar/mobile/account claims; claims and bans match",
    "geo index: entries exist iff the professional is eligible; location, name and rating match",
    "bookings: valid status; at most one active booking per professional, named by active_booking_id",
    "open requests: each account's counter equals its bookings in requested",
    "acknowledged: every 201 booking stored for its professional; no acknowledged step undone",
    "complaints: decision matches status; lock exists iff one undecided complaint per booking and kind",
    "decisions: no complaint or police request decided twice; audit chains intact",
]


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{'operation':<13}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'5xx':>5}  statuses",
    ]
    for op, row in result["operations"].items():
        statuses = " ".join(f"{code}:{n}" for code, n in row["statuses"].items())
        lines.append(
            f"{op:<13}{row['requests']:>9}{row['throughput_rps']:>8}{row['p50_ms']:>9}"
            f"{row['p99_ms']:>9}{row['errors']:>5}  {statuses}"
        )
    lines.append(
        f"{'all':<13}{result['requests']:>9}{result['throughput_rps']:>8}{result['p50_ms']:>9}"
        f"{result['p99_ms']:>9}{result['errors']:>5}  in {result['elapsed_s']} s"
    )
    return "\n".join(lines)


def settle(world: World, load: Load) -> None:
    """Let the workflows of answered police requests finish before the tables are read."""
    answered = set(load.answered)
    for pro in world.pending:
        if pro.request_id in answered:
            _until(f"{pro.id} decided", functools.partial(_decided, world, pro), 30)


def _decided(world: World, pro: Professional) -> bool:
    return world.status_of(pro) in ("verified", "rejected")


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
        outputs = json.loads(args.outputs.read_text(encoding="utf-8"))
        if "AwsEndpointUrl" not in outputs:
            print(
                "the load script needs a local stack (its emulator holds the tables it checks)",
                file=sys.stderr,
            )
            return 2
        result = run(outputs, config)
    else:
        with local_stack(args.accept_timeout_s, args.server_log) as outputs:
            result = run(outputs, config)
    result["stack"] = (
        "outputs" if args.outputs else f"own local stack, booking expiry {args.accept_timeout_s}s"
    )
    print(table(result))
    by_status = result["bookings_by_last_acknowledged_status"]
    print(f"bookings: {result['bookings_created']} created, last acknowledged {by_status}")
    for surprise in result["surprises"]:
        print(f"unexpected: {surprise}")
    violations = result["invariants"]["violations"]
    print(f"invariants: {'all hold' if not violations else f'{len(violations)} VIOLATED'}")
    for violation in violations:
        print(f"  {violation}")
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {args.results}")
    server_errors = sum(row["statuses"].get("500", 0) for row in result["operations"].values())
    return 1 if violations or server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
