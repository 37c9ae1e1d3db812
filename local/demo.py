"""Demo data for ``make dev``: accounts to sign in with, and things to look at.

``DEMO_DATA`` is the hook: each entry takes the ``DemoContext`` and adds its part, in order.
Later features append their seeders (an agency, bookings...) here.

Demo professionals are made through the real code path, in process, as clients would make them:
API Gateway events to the register and verify handlers, the document POSTed with the presigned
form to the emulator's S3, the real verification workflow on moto, and a signed police callback.
So a demo professional's records are exactly what registration and verification write.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3

from local.dispatch import invoke
from local.events import rest_event
from local.provision import LocalResources
from local.uploads import upload
from sevamitra import signing
from sevamitra.auth import EMPLOYERS, OFFICERS
from sevamitra.routes import Function
from sevamitra.types import verhoeff_check_digit


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str  # the phone number, as the pool uses phone numbers as usernames
    password: str
    group: str | None = None

    def as_output(self) -> dict[str, str]:
        output = {"username": self.username, "password": self.password}
        return {**output, "group": self.group} if self.group else output


# Fixed, printed at start: local only, on a throw-away emulator.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("citizen", "+919000000001", "Citizen#2026"),
    DemoAccount("officer", "+919000000002", "Officer#2026", OFFICERS),
    DemoAccount("employer", "+919000000003", "Employer#2026", EMPLOYERS),
    DemoAccount("professional", "+919000000004", "Professional#2026"),
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


def create_account(idp: Any, pool_id: str, account: DemoAccount) -> str:
    """An administrator-created account with a permanent password (no forced change): the sub."""
    user = idp.admin_create_user(
        UserPoolId=pool_id,
        Username=account.username,
        UserAttributes=[
            {"Name": "phone_number", "Value": account.username},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )["User"]
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=account.username, Password=account.password, Permanent=True
    )
    if account.group:
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=account.username, GroupName=account.group)
    attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
    return str(attributes.get("sub", user["Username"]))


def create_demo_accounts(ctx: DemoContext) -> None:
    idp = boto3.client("cognito-idp", region_name=ctx.region)
    for account in DEMO_ACCOUNTS:
        ctx.subs[account.role] = create_account(idp, ctx.resources.user_pool_id, account)
        ctx.accounts[account.role] = account


# --- demo professionals ------------------------------------------------------------------------

DEMO_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
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


class DemoSeedError(RuntimeError):
    """A demo step did not answer as the API promises: the local stack must not start half-seeded."""


def _claims(ctx: DemoContext, role: str) -> dict[str, Any]:
    account = ctx.accounts[role]
    claims: dict[str, Any] = {"sub": ctx.subs[role], "cognito:username": ctx.subs[role], "token_use": "id"}
    if account.group:
        claims["cognito:groups"] = [account.group]
    return claims


def _call(
    function: Function,
    method: str,
    path: str,
    *,
    expect: int,
    claims: dict[str, Any] | None = None,
    body: str | dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """One API call through its handler, as the gateway makes it; the body, or DemoSeedError."""
    response = invoke(function, rest_event(method, path, body=body, claims=claims, headers=headers))
    answer = json.loads(response.get("body") or "null")
    if response["statusCode"] != expect:
        raise DemoSeedError(f"{method} {path}: {response['statusCode']} {answer}")
    return answer


def _eventually(probe: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + WORKFLOW_WAIT_S
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    raise DemoSeedError(f"timed out waiting for {what}")


def _pending_request(ctx: DemoContext, professional_id: str) -> str | None:
    listed = _call(
        Function.VERIFY, "GET", "/verification/requests", expect=200, claims=_claims(ctx, "officer")
    )
    mine = [r["request_id"] for r in listed["requests"] if r["professional_id"] == professional_id]
    return mine[0] if mine else None


def _status(ctx: DemoContext, demo: DemoProfessional, professional_id: str) -> str:
    profile = _call(
        Function.REGISTER,
        "GET",
        f"/professionals/{professional_id}",
        expect=200,
        claims=_claims(ctx, demo.registrar),
    )
    return str(profile["status"])


def answer_as_police(key: str, request_id: str, result: str) -> None:
    """A signed police callback (HMAC over the raw body), through the verify handler."""
    raw = json.dumps({"request_id": request_id, "result": result})
    header = signing.sign(key.encode(), int(time.time()), raw.encode())
    _call(
        Function.VERIFY,
        "POST",
        "/verification/callback",
        expect=200,
        body=raw,
        headers={signing.HEADER: header},
    )


def register_demo_professional(ctx: DemoContext, demo: DemoProfessional) -> str:
    """register -> request an upload -> POST the PDF with the form -> submit -> wait for the
    police request; for ``verified``, answer it clear and wait for the decision."""
    claims = _claims(ctx, demo.registrar)
    registered = _call(
        Function.REGISTER,
        "POST",
        "/professionals",
        expect=201,
        claims=claims,
        body={
            "name": demo.name,
            "mobile": demo.mobile,
            "aadhaar": demo.aadhaar,
            "services": list(demo.services),
            "location": {"lat": demo.lat, "lng": demo.lng},
            "district": demo.district,
            "qualification": {"kind": "none"},
            "on_behalf": demo.on_behalf,
        },
    )
    professional_id = str(registered["id"])
    form = _call(
        Function.REGISTER,
        "POST",
        f"/professionals/{professional_id}/documents",
        expect=201,
        claims=claims,
        body={"kind": "id_proof", "content_type": "application/pdf", "size_bytes": len(DEMO_PDF)},
    )["upload"]
    upload(form, DEMO_PDF, filename="id.pdf")
    _call(Function.REGISTER, "POST", f"/professionals/{professional_id}/submit", expect=202, claims=claims)
    request_id = _eventually(
        lambda: _pending_request(ctx, professional_id), f"the police request of {professional_id}"
    )
    if demo.story == "verified":
        answer_as_police(ctx.police_key, request_id, "clear")
        _eventually(
            lambda: _status(ctx, demo, professional_id) == "verified", f"{professional_id} to be verified"
        )
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
