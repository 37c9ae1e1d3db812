"""The set-up, through the real API as clients make it (``local.client``): professionals sign up
(Cognito on the emulator), register, upload their ID proof with the presigned POST and submit;
the verification workflow runs on Step Functions; the police answer with a signed callback; the
professionals go online near one point. A few stay ``police_pending`` so that fresh callbacks
(and their replays) run during the load. Citizens sign up too."""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from benchmarks.loadtest import OTHER_SERVICE, SERVICE, WAIT_S, LoadConfig, near
from local.client import journey
from local.client.http import Account
from local.client.police import signed_callback
from local.client.stack import StackClient
from sevamitra.domain.types import verhoeff_check_digit

HTTP_TIMEOUT_S = 30


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


class World:
    """The stack's clients (one keep-alive connection per thread) and everyone set-up made."""

    def __init__(self, outputs: dict[str, Any], seed: int) -> None:
        self.outputs = outputs
        self.stack = StackClient(outputs, timeout_s=HTTP_TIMEOUT_S)
        self.police = self.stack.police()
        self.rng = random.Random(seed)
        self.officer = self.stack.as_demo("officer")
        self.professionals: list[Professional] = []
        self.pending: list[Professional] = []
        self.citizens: list[str] = []

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
        """One request, timed: (status, the JSON answer or the text, seconds)."""
        started = time.perf_counter()
        response = self.stack.api.request(method, path, token=token, json=body, data=data, headers=headers)
        elapsed = time.perf_counter() - started
        try:
            payload = response.json() if response.content else None
        except ValueError:
            payload = response.text
        return response.status_code, payload, elapsed

    def signed_callback(
        self, request_id: str, result: str, *, at: int | None = None, key: bytes | None = None
    ) -> tuple[int, Any, float]:
        """The police system's callback, signed at ``at`` (default now) with ``key`` (default the
        real one), timed."""
        raw, headers = signed_callback(
            key or self.police.key, {"request_id": request_id, "result": result}, at=at
        )
        return self.call("POST", "/verification/callback", data=raw, headers=headers)

    def as_professional(self, pro: Professional) -> Account:
        return self.stack.account(pro.token)

    def status_of(self, pro: Professional) -> str:
        return str(self.as_professional(pro).ok("GET", f"/professionals/{pro.id}")["status"])

    def register(self, seed: int) -> Professional:
        """Sign up, register, upload the ID proof, submit; wait for the police request."""
        rng = random.Random(seed)
        account = self.stack.signed_up()
        aadhaar, mobile = _identity(rng)
        lat, lng = near(rng, 1_200)
        body = {
            "name": f"Load Pro {seed}",
            "mobile": mobile,
            "aadhaar": aadhaar,
            "services": [SERVICE, OTHER_SERVICE],
            "location": {"lat": lat, "lng": lng},
            "district": "Lucknow",
            "qualification": {"kind": "none"},
        }
        pid = str(journey.register(account, body)["id"])
        request_id = journey.submit_for_verification(account, self.officer, pid, timeout_s=WAIT_S)
        return Professional(pid, str(account.token), lat, lng, request_id)

    def verify(self, pro: Professional) -> None:
        """The police answer clear; verified, the professional goes online."""
        assert pro.request_id is not None
        account = self.as_professional(pro)
        journey.cleared(self.police, account, pro.id, pro.request_id, timeout_s=WAIT_S)
        location = {"lat": pro.lat, "lng": pro.lng}
        account.ok("PUT", f"/professionals/{pro.id}/availability", {"online": True, "location": location})

    def set_up(self, config: LoadConfig) -> None:
        total = config.professionals + config.pending
        with ThreadPoolExecutor(max_workers=4) as pool:
            registered = list(pool.map(self.register, [config.seed * 1000 + i for i in range(total)]))
            verified = registered[: config.professionals]
            list(pool.map(self.verify, verified))
            self.citizens = list(
                pool.map(lambda _: str(self.stack.signed_up().token), range(config.citizens))
            )
        self.professionals = verified
        self.pending = registered[config.professionals :]
