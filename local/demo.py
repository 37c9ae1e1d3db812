"""Demo data for ``make dev``: accounts to sign in with, and things to look at.

``DEMO_DATA`` is the hook: each entry takes the ``DemoContext`` and adds its part, in order.
Later features append their seeders (an agency, bookings...) here.

Demo professionals are made through the real code path, in process, as clients would make them:
the journey the walkthrough and the tests take over HTTP (``local.client.journey``), here as API
Gateway events to the register and verify handlers (``InProcess``), the document POSTed with the
presigned form to the emulator's S3, the real verification workflow on moto, and a signed police
callback. So a demo professional's records are exactly what registration and verification write.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from local.client import Unexpected
from local.client.cognito import Cognito
from local.client.journey import cleared, register, submit_for_verification
from local.client.police import Police
from local.dispatch import invoke
from local.provision import LocalResources
from local.proxy_events import match_route, rest_event
from sevamitra.domain.types import verhoeff_check_digit
from sevamitra.edge.auth import APPELLATE, EMPLOYERS, HELPLINE, OFFICERS


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str  # the phone number, as the pool uses phone numbers as usernames
    password: str
    group: str | None = None
    also: tuple[str, ...] = ()  # further groups (an appellate officer is an officer too)
    district: str | None = None  # an officer's district (``custom:district``): their queues

    def as_output(self) -> dict[str, str]:
        output = {"username": self.username, "password": self.password}
        if self.district:
            output["district"] = self.district
        return {**output, "group": self.group} if self.group else output


# Fixed, printed at start: local only, on a throw-away emulator.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("citizen", "+919000000001", "Citizen#2026"),
    DemoAccount("officer", "+919000000002", "Officer#2026", OFFICERS, district="lucknow"),
    DemoAccount("employer", "+919000000003", "Employer#2026", EMPLOYERS),
    DemoAccount("professional", "+919000000004", "Professional#2026"),
    # A ban needs a second officer; an appeal, an officer of the appellate authority.
    DemoAccount("second_officer", "+919000000005", "Officer2#2026", OFFICERS, district="lucknow"),
    DemoAccount("appellate", "+919000000006", "Appellate#2026", OFFICERS, (APPELLATE,), district="lucknow"),
    # Call centre staff who book for callers without a smartphone (issue 17).
    DemoAccount("helpline", "+919000000007", "Helpline#2026", HELPLINE),
)


@dataclass
class DemoContext:
    resources: LocalResources
    region: str
    accounts: dict[str, DemoAccount] = field(default_factory=dict)
    # role -> Cognito sub, for seeders that create data owned by a demo account.
    subs: dict[str, str] = field(default_factory=dict)
    # The police callback key (to answer police requests as the police system would).
    police_key: str = ""
    # story -> professional id (``verified``, ``police_pending``), printed and in outputs.json.
    professionals: dict[str, str] = field(default_factory=dict)


def create_demo_accounts(ctx: DemoContext) -> None:
    # The pool's administrator, with the server's own (emulator) endpoint and credentials.
    cognito = Cognito(
        region=ctx.region, pool_id=ctx.resources.user_pool_id, client_id=ctx.resources.user_pool_client_id
    )
    for account in DEMO_ACCOUNTS:
        ctx.subs[account.role] = cognito.create_account(
            account.username, account.password, account.group, *account.also, district=account.district
        )
        ctx.accounts[account.role] = account


# --- demo professionals ------------------------------------------------------------------------

WORKFLOW_WAIT_S = 20.0


def _aadhaar(body: str) -> str:
    return body + verhoeff_check_digit(body)


@dataclass(frozen=True)
class DemoProfessional:
    """One role-story: who registers them, and how far verification goes at start-up."""

    story: str  # "verified": the police answered clear; "police_pending": waiting for the police
    registrar: str  # the demo account that registers them (the professional, or an officer)
    on_behalf: bool
    name: str
    mobile: str
    aadhaar: str
    services: tuple[str, ...]
    lat: float
    lng: float
    district: str = "Lucknow"


DEMO_PROFESSIONALS: tuple[DemoProfessional, ...] = (
    # The professional demo account's own registration, verified: sign in as it to see a
    # verified profile and its whole verification history.
    DemoProfessional(
        "verified", "professional", False, "Ramesh Kumar", "9000000104", _aadhaar("23456789012"),
        ("plumber_tap_leak_repair", "plumber_pipe_blockage"), 26.8467, 80.9462,
    ),
    # Registered by the demo officer (assisted registration), waiting for the police: sign in as
    # the officer, list the pending requests and answer one with ``python -m local.police``.
    DemoProfessional(
        "police_pending", "officer", True, "Sunita Devi", "9000000105", _aadhaar("34567890123"),
        ("electrician_fan_installation",), 26.8500, 80.9490,
    ),
)  # fmt: skip


class DemoSeedError(Unexpected):
    """A demo step did not answer as the API promises: the local stack must not start half-seeded."""


@dataclass(frozen=True)
class InProcess:
    """A ``local.client.Caller`` that calls the API through the functions' handlers, as the gateway
    does (the gateway is not up while the demo data is made): as the account whose ID token
    would carry ``claims``, or as no one (the police system, whose signature is its credential)."""

    claims: dict[str, Any] | None = None

    def ok(self, method: str, path: str, body: Any = None, *, status: int = 200, **sent: Any) -> Any:
        path, _, query = path.partition("?")
        matched = match_route(method, path)
        if matched is None:
            raise DemoSeedError(f"no route for {method} {path}")
        raw = sent.get("data")  # the police callback's signed bytes
        body = body if raw is None else raw
        event = rest_event(
            method, path, body=body, query=query or None, headers=sent.get("headers"), claims=self.claims
        )
        response = invoke(matched[0].function, event)
        answer = json.loads(response.get("body") or "null")
        if response["statusCode"] != status:
            raise DemoSeedError(f"{method} {path}: {response['statusCode']} {answer}")
        return answer


def as_demo(ctx: DemoContext, role: str) -> InProcess:
    """The demo account ``role``, with the claims the authorizer passes for its ID token."""
    account = ctx.accounts[role]
    claims: dict[str, Any] = {"sub": ctx.subs[role], "cognito:username": ctx.subs[role], "token_use": "id"}
    if account.group:
        claims["cognito:groups"] = [account.group, *account.also]
    return InProcess(claims)


def register_demo_professional(ctx: DemoContext, demo: DemoProfessional) -> str:
    """Registered, the ID proof uploaded and submitted, the police request filed (the real
    workflow); for ``verified``, answered clear by the police and decided."""
    registrar, officer = as_demo(ctx, demo.registrar), as_demo(ctx, "officer")
    body = {
        "name": demo.name,
        "mobile": demo.mobile,
        "aadhaar": demo.aadhaar,
        "services": list(demo.services),
        "location": {"lat": demo.lat, "lng": demo.lng},
        "district": demo.district,
        "qualification": {"kind": "none"},
        "on_behalf": demo.on_behalf,
    }
    professional_id = str(register(registrar, body)["id"])
    request_id = submit_for_verification(registrar, officer, professional_id, timeout_s=WORKFLOW_WAIT_S)
    if demo.story == "verified":
        police = Police(InProcess(), ctx.police_key.encode())
        cleared(police, registrar, professional_id, request_id, timeout_s=WORKFLOW_WAIT_S)
    return professional_id


def create_demo_professionals(ctx: DemoContext) -> None:
    for demo in DEMO_PROFESSIONALS:
        ctx.professionals[demo.story] = register_demo_professional(ctx, demo)


DEMO_DATA: list[Callable[[DemoContext], None]] = [create_demo_accounts, create_demo_professionals]


def seed(resources: LocalResources, region: str, *, police_key: str = "") -> DemoContext:
    ctx = DemoContext(resources=resources, region=region, police_key=police_key)
    for seeder in DEMO_DATA:
        seeder(ctx)
    return ctx
