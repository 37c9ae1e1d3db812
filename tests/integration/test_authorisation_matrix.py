"""Who may call what: every route in ``ROUTES`` x every kind of caller, through API Gateway events.

``ALLOWED`` is the matrix, read off API.md: for each route, the callers who may use it. An allowed
caller gets a 2xx, or a domain answer that is not about who they are (a 404 for the police's
unknown request, a 409 because an account registers itself once); every other caller is refused,
before anything changes: 401 without credentials (no token, or a police signature where a token
is needed, or a token where the police signature is), 403 when signed in but not allowed. A route
added to ``ROUTES`` without a row here fails ``test_every_declared_route_has_a_row``.

The callers, around one professional and their work:

- ``citizen``: the booking's citizen, who complains about it;
- ``professional``: the professional concerned (their own account);
- ``agency_member``: a member of the approved agency the professional belongs to;
- ``other_citizen``, ``other_professional`` (another professional's own account): strangers to it;
- ``officer`` (group ``officers``), ``employer`` (group ``employers``), ``appellate`` (an officer
  also in group ``appellate``: everything an officer may, and deciding appeals against bans),
  ``helpline`` (group ``helpline``: a signed-in account like any other on every route; booking for
  a caller's mobile is ``tests/integration/bookings/test_helpline.py``);
- ``police``: a request signed with the police key, without a token; ``anonymous``: neither;
- ``igrs``: a request signed with IGRS's own key, without a token.

Routes that change state get fresh state for each caller (a booking at the stage the route needs,
an open complaint), so each cell's answer depends only on who calls.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from botocore.client import BaseClient
from moto import mock_aws

from book.logic import expire_due
from local.dispatch import invoke
from local.provision import provision
from local.proxy_events import rest_event
from sevamitra.data import contacts
from sevamitra.data.models import ProfessionalModel
from sevamitra.edge import pii
from sevamitra.edge.routes import ONDC_ACTIONS, ROUTES, Auth, Route
from sevamitra.edge.signing import HEADER, sign
from sevamitra.platform.clock import utc_now
from sevamitra.platform.settings import settings
from sevamitra.platform.sms import LOCAL_OUTBOX
from tests.integration.conftest import IDENTITY_KEY, MOTO_CONFIG, POLICE_KEY, ApiResponse, claims_for
from tests.integration.geo_seed import LUCKNOW, SERVICE, offset, seed_professional
from tests.stories import identity

ANONYMOUS, POLICE, IGRS = "anonymous", "police", "igrs"
IGRS_KEY = "local-igrs-shared-key"  # what provision() stores as IGRS's secret
CITIZEN, OTHER_CITIZEN = "citizen", "other_citizen"
PROFESSIONAL, OTHER_PROFESSIONAL = "professional", "other_professional"
AGENCY_MEMBER, OFFICER, EMPLOYER = "agency_member", "officer", "employer"
APPELLATE = "appellate"
HELPLINE = "helpline"  # call-centre staff: a signed-in account that may also book for a caller

CLAIMS: dict[str, dict[str, Any] | None] = {
    ANONYMOUS: None,
    POLICE: None,
    CITIZEN: claims_for("citizen-1"),
    # Signed in with a phone: the registered mobile of the assisted professionals made to be claimed.
    OTHER_CITIZEN: {**claims_for("citizen-2"), "phone_number": "+919811100099"},
    PROFESSIONAL: claims_for("pro-1"),
    OTHER_PROFESSIONAL: claims_for("pro-2"),
    AGENCY_MEMBER: claims_for("member-1"),
    OFFICER: claims_for("officer-1", "officers"),
    EMPLOYER: claims_for("employer-1", "employers"),
    IGRS: None,
    APPELLATE: claims_for("appellate-1", "officers", "appellate"),
    HELPLINE: claims_for("helpline-1", "helpline"),
}
PERSONAS = tuple(CLAIMS)

EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {ANONYMOUS, POLICE, IGRS}  # any signed-in account is a citizen (API.md, Auth)
PROFESSIONAL_SIDE = frozenset({PROFESSIONAL, AGENCY_MEMBER})  # "that professional", by ownership

ALLOWED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/health"): EVERYONE,
    ("GET", "/openapi.json"): EVERYONE,
    ("GET", "/services"): EVERYONE,
    ("GET", "/districts"): EVERYONE,
    ("GET", "/me"): SIGNED_IN,
    ("POST", "/agencies"): SIGNED_IN,
    ("GET", "/agencies"): frozenset({OFFICER}),
    ("GET", "/agencies/{agency_id}"): frozenset({OFFICER, AGENCY_MEMBER}),
    ("POST", "/agencies/{agency_id}/approve"): frozenset({OFFICER}),
    ("POST", "/professionals"): SIGNED_IN,
    ("GET", "/professionals/{professional_id}"): PROFESSIONAL_SIDE | {OFFICER},
    ("GET", "/professionals/{professional_id}/card"): EVERYONE,  # public: the QR code's page
    ("POST", "/professionals/{professional_id}/documents"): PROFESSIONAL_SIDE,
    ("POST", "/professionals/{professional_id}/submit"): PROFESSIONAL_SIDE,
    ("GET", "/verification/requests"): frozenset({OFFICER}),
    ("POST", "/verification/callback"): frozenset({POLICE}),
    # ONDC buyer apps sign each request (tests/integration/ondc): no account or police key gets in.
    **{("POST", f"/ondc/{action}"): frozenset() for action in ONDC_ACTIONS},
    # The professional's own account only: with an account of their own, going online is theirs.
    ("PUT", "/professionals/{professional_id}/availability"): frozenset({PROFESSIONAL}),
    ("GET", "/match"): SIGNED_IN,
    ("POST", "/bookings"): SIGNED_IN,  # citizens (every account) and employers
    ("GET", "/bookings"): SIGNED_IN,  # each their own (role=professional below: whom they act for)
    ("GET", "/bookings/{booking_id}"): PROFESSIONAL_SIDE | {CITIZEN, OFFICER},
    ("POST", "/bookings/{booking_id}/accept"): PROFESSIONAL_SIDE,
    ("POST", "/bookings/{booking_id}/start"): PROFESSIONAL_SIDE,
    ("POST", "/bookings/{booking_id}/complete"): PROFESSIONAL_SIDE,
    ("POST", "/bookings/{booking_id}/cancel"): PROFESSIONAL_SIDE | {CITIZEN},
    ("POST", "/bookings/{booking_id}/decline"): PROFESSIONAL_SIDE,  # "the assigned professional"
    ("POST", "/bookings/{booking_id}/rating"): frozenset({CITIZEN}),
    ("POST", "/complaints"): frozenset({CITIZEN}),
    ("GET", "/complaints"): SIGNED_IN,  # officers all; others what they filed or act for
    ("GET", "/complaints/{complaint_id}"): PROFESSIONAL_SIDE | {CITIZEN, OFFICER},
    ("POST", "/complaints/{complaint_id}/evidence"): frozenset({CITIZEN}),
    ("POST", "/complaints/{complaint_id}/response"): PROFESSIONAL_SIDE,
    ("POST", "/complaints/{complaint_id}/resolve"): frozenset({OFFICER}),
    ("GET", "/bans/check"): frozenset({OFFICER, EMPLOYER}),
    ("GET", "/professionals/{professional_id}/audit"): frozenset({OFFICER}),
    # Every account has its own inbox, preferences and devices.
    ("GET", "/me/notifications"): SIGNED_IN,
    ("PUT", "/me/preferences"): SIGNED_IN,
    ("PUT", "/me/devices"): SIGNED_IN,
    # Jobs. Any account posts (citizens household work, as the request below is: a cook); a
    # verified professional (acted for by its own account or agency: the requests name the
    # world's professional) finds jobs within 3 km, sees and applies to them; the poster reads
    # applications, offers and records attendance; "that professional" answers offers and
    # disputes; both sides and officers see an engagement and its statement.
    ("POST", "/jobs"): SIGNED_IN,
    ("GET", "/jobs"): PROFESSIONAL_SIDE,
    ("GET", "/me/jobs"): SIGNED_IN,  # one's own posts
    ("GET", "/jobs/{job_id}"): PROFESSIONAL_SIDE | {EMPLOYER, OFFICER},
    ("POST", "/jobs/{job_id}/close"): frozenset({EMPLOYER}),
    ("POST", "/jobs/{job_id}/applications"): PROFESSIONAL_SIDE,
    ("GET", "/jobs/{job_id}/applications"): frozenset({EMPLOYER}),
    ("POST", "/jobs/{job_id}/offers"): frozenset({EMPLOYER}),
    ("GET", "/offers/{offer_id}"): PROFESSIONAL_SIDE | {EMPLOYER, OFFICER},
    ("POST", "/offers/{offer_id}/accept"): PROFESSIONAL_SIDE,
    ("POST", "/offers/{offer_id}/decline"): PROFESSIONAL_SIDE,
    ("GET", "/engagements"): SIGNED_IN,
    ("GET", "/engagements/{engagement_id}"): PROFESSIONAL_SIDE | {EMPLOYER, OFFICER},
    ("POST", "/engagements/{engagement_id}/attendance"): frozenset({EMPLOYER}),
    ("POST", "/engagements/{engagement_id}/attendance/{date}/dispute"): PROFESSIONAL_SIDE,
    ("GET", "/engagements/{engagement_id}/statement"): PROFESSIONAL_SIDE | {EMPLOYER, OFFICER},
    ("POST", "/engagements/{engagement_id}/end"): PROFESSIONAL_SIDE | {EMPLOYER},
    ("POST", "/igrs/callback"): frozenset({IGRS}),
    # Four eyes on a ban: another officer confirms; the professional's side appeals; an
    # appellate officer decides.
    ("POST", "/complaints/{complaint_id}/confirm-ban"): frozenset({OFFICER}),
    ("POST", "/complaints/{complaint_id}/appeal"): PROFESSIONAL_SIDE,
    ("POST", "/complaints/{complaint_id}/appeal/decide"): frozenset({APPELLATE}),
    # Fair outcomes: "the assigned professional" claims expenses; the booking's citizen answers
    # each claim and records what they paid.
    ("POST", "/bookings/{booking_id}/expenses"): PROFESSIONAL_SIDE,
    ("POST", "/bookings/{booking_id}/expenses/{expense_id}/approve"): frozenset({CITIZEN}),
    ("POST", "/bookings/{booking_id}/expenses/{expense_id}/dispute"): frozenset({CITIZEN}),
    ("POST", "/bookings/{booking_id}/payment"): frozenset({CITIZEN}),
    ("POST", "/match/alerts"): SIGNED_IN,  # anyone who may search may wait for a result
    # An assisted professional (no account of their own): its managers send the claim code, and
    # only the account signed in with the registered mobile claims it.
    ("POST", "/professionals/{professional_id}/claim-code"): frozenset({AGENCY_MEMBER}),
    ("POST", "/professionals/{professional_id}/claim"): frozenset({OTHER_CITIZEN}),
    # Receipts for a pending claim: the assigned professional, as the claim itself.
    ("POST", "/bookings/{booking_id}/expenses/{expense_id}/receipts"): PROFESSIONAL_SIDE,
}
# An appellate officer is an officer: wherever officers may go, so may they.
ALLOWED = {route: who | {APPELLATE} if OFFICER in who else who for route, who in ALLOWED.items()}

FEE = 15_000  # electrician_fan_installation on the rate card
_serial = itertools.count(1)


def call(
    persona: str,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> ApiResponse:
    raw = json.dumps(body) if body is not None else None
    headers = dict(headers or {})
    if persona == POLICE:
        headers[HEADER] = sign(POLICE_KEY.encode(), int(time.time()), (raw or "").encode())
    if persona == IGRS:
        headers[HEADER] = sign(IGRS_KEY.encode(), int(time.time()), (raw or "").encode())
    event = rest_event(method, path, body=raw, query=query, headers=headers, claims=CLAIMS[persona])
    route = next(r for r in ROUTES if r.path == event["resource"] and r.method == method)
    response = invoke(route.function, event)
    answer = response.get("body")
    return ApiResponse(
        response["statusCode"], json.loads(answer) if answer else None, response.get("headers") or {}
    )


def ok(persona: str, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = call(persona, method, path, body)
    assert response.status in (200, 201, 202), (method, path, response.body)
    return dict(response.body)


# --- no request path scans ------------------------------------------------------------------------

# Every DynamoDB operation made in this module (the handlers' and the setup's): lists are Queries
# on indexes designed for them, never a Scan (docs/decisions.md, "Lists are access patterns").
DYNAMODB_OPERATIONS: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def dynamodb_operations() -> Iterator[list[str]]:
    make_api_call = BaseClient._make_api_call

    def recording(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if client.meta.service_model.service_name == "dynamodb":
            DYNAMODB_OPERATIONS.append(operation)
        return make_api_call(client, operation, params)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseClient, "_make_api_call", recording)
        yield DYNAMODB_OPERATIONS


# --- the world ----------------------------------------------------------------------------------


@dataclass
class World:
    agency_id: str
    professional_id: str
    booking_id: str
    complaint_id: str
    job_id: str = ""
    offer_id: str = ""
    engagement_id: str = ""


def _agency(owner: str) -> str:
    created = ok(
        owner,
        "POST",
        "/agencies",
        {"name": "Awadh Services", "udyam_number": "UDYAM-UP-12-0001234", "district": "Lucknow",
         "contact_mobile": "9812345678"},
    )  # fmt: skip
    return str(created["id"])


def new_professional(agency_id: str) -> str:
    """A verified, online professional of the ``professional`` account, in the agency, free."""
    pid = f"pro_m{next(_serial)}"
    seed_professional(pid, *offset(*LUCKNOW, 100, 0), account_sub="pro-1")
    ProfessionalModel.get(pid).update(actions=[ProfessionalModel.agency_id.set(agency_id)])
    return pid


def booking_at(world: World, stage: str) -> dict[str, Any]:
    """A booking by ``citizen`` of a fresh professional, moved on to ``stage``."""
    pid = new_professional(world.agency_id)
    booked = ok(
        CITIZEN,
        "POST",
        "/bookings",
        {"service_id": SERVICE, "location": {"lat": LUCKNOW[0], "lng": LUCKNOW[1]}, "professional_id": pid},
    )
    steps = ["accept", "start", "complete"][
        : ["requested", "accepted", "in_progress", "completed"].index(stage)
    ]
    bodies = {"start": {"start_code": booked["start_code"]}, "complete": {"amount_collected_paise": FEE}}
    for action in steps:
        ok(PROFESSIONAL, "POST", f"/bookings/{booked['id']}/{action}", bodies.get(action, {}))
    return booked


def open_complaint(world: World) -> str:
    booking = booking_at(world, "completed")
    opened = ok(
        CITIZEN,
        "POST",
        "/complaints",
        {"booking_id": booking["id"], "kind": "quality", "description": "The fan wobbles."},
    )
    return str(opened["id"])


def heard_complaint(world: World) -> str:
    """An open complaint the professional answered: an officer may decide it before respond_by."""
    complaint_id = open_complaint(world)
    ok(PROFESSIONAL, "POST", f"/complaints/{complaint_id}/response", {"text": "It was balanced."})
    return complaint_id


# --- jobs ---------------------------------------------------------------------------------------

WORKED_DAY = (date.today() - timedelta(days=5)).isoformat()


def _job_body(**changes: Any) -> dict[str, Any]:
    return {
        "title": "Fan fitters for the block office", "service_id": SERVICE, "kind": "daily_wage",
        "positions": 50, "wage": {"paise": 60_000, "per": "day"},
        "starts_on": (date.today() - timedelta(days=10)).isoformat(),
        "site": {"lat": LUCKNOW[0], "lng": LUCKNOW[1]}, "district": "Lucknow", **changes,
    }  # fmt: skip


def new_job() -> str:
    return str(ok(EMPLOYER, "POST", "/jobs", _job_body())["id"])


def new_offer(world: World) -> tuple[str, str]:
    """A fresh job, a fresh professional of the agency who applied, and the poster's offer."""
    job_id, pid = new_job(), new_professional(world.agency_id)
    ok(PROFESSIONAL, "POST", f"/jobs/{job_id}/applications", {"professional_id": pid})
    return str(ok(EMPLOYER, "POST", f"/jobs/{job_id}/offers", {"professional_id": pid})["id"]), job_id


def new_engagement(world: World, *, worked: bool = False) -> str:
    offer_id, _ = new_offer(world)
    engagement_id = str(ok(PROFESSIONAL, "POST", f"/offers/{offer_id}/accept")["engagement_id"])
    if worked:
        ok(
            EMPLOYER,
            "POST",
            f"/engagements/{engagement_id}/attendance",
            {"date": WORKED_DAY, "present": False},
        )
    return engagement_id


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with mock_aws(config=MOTO_CONFIG):
        provision(settings(), police_key=POLICE_KEY, identity_key=IDENTITY_KEY, workflow=False)
        pii.clear_key_cache()
        agency_id = _agency(AGENCY_MEMBER)
        ok(OFFICER, "POST", f"/agencies/{agency_id}/approve")
        seed_professional("pro_other", *offset(*LUCKNOW, 5_000, 0), account_sub="pro-2")
        placeholder = World(agency_id, "", "", "")
        booking = booking_at(placeholder, "completed")
        offer_id, job_id = new_offer(placeholder)
        yield World(
            agency_id=agency_id,
            professional_id=booking["professional_id"],
            booking_id=booking["id"],
            complaint_id=open_complaint(placeholder),
            job_id=job_id,
            offer_id=offer_id,
            engagement_id=new_engagement(placeholder, worked=True),
        )
        pii.clear_key_cache()


# --- one request per route, as an allowed caller would make it ------------------------------------

Request = tuple[str, dict[str, Any] | None, dict[str, str] | None]  # path, body, query


def _registration() -> dict[str, Any]:
    aadhaar, mobile = identity(next(_serial), series=6)
    return {
        "name": "Ramesh Kumar", "mobile": mobile, "aadhaar": aadhaar, "services": [SERVICE],
        "location": {"lat": LUCKNOW[0], "lng": LUCKNOW[1]}, "district": "Lucknow",
        "qualification": {"kind": "none"},
    }  # fmt: skip


def _booking_request(
    stage: str, action: str, body: Callable[[dict[str, Any]], Any]
) -> Callable[[World], Request]:
    def build(world: World) -> Request:
        booking = booking_at(world, stage)
        return f"/bookings/{booking['id']}/{action}", body(booking), None

    return build


REQUESTS: dict[tuple[str, str], Callable[[World], Request]] = {
    ("GET", "/health"): lambda w: ("/health", None, None),
    ("GET", "/openapi.json"): lambda w: ("/openapi.json", None, None),
    ("GET", "/services"): lambda w: ("/services", None, {"q": "fan"}),
    ("GET", "/districts"): lambda w: ("/districts", None, None),
    ("GET", "/me"): lambda w: ("/me", None, None),
    ("POST", "/agencies"): lambda w: (
        "/agencies",
        {
            "name": "Gomti Works",
            "udyam_number": "UDYAM-UP-12-0004321",
            "district": "Lucknow",
            "contact_mobile": "9812345679",
        },
        None,
    ),
    ("GET", "/agencies"): lambda w: ("/agencies", None, {"status": "approved", "limit": "5"}),
    ("GET", "/agencies/{agency_id}"): lambda w: (f"/agencies/{w.agency_id}", None, None),
    ("POST", "/agencies/{agency_id}/approve"): lambda w: (
        f"/agencies/{_agency(OTHER_CITIZEN)}/approve",
        None,
        None,
    ),
    ("POST", "/professionals"): lambda w: ("/professionals", _registration(), None),
    ("GET", "/professionals/{professional_id}"): lambda w: (
        f"/professionals/{w.professional_id}",
        None,
        None,
    ),
    ("GET", "/professionals/{professional_id}/card"): lambda w: (
        f"/professionals/{w.professional_id}/card",
        None,
        None,
    ),
    ("POST", "/professionals/{professional_id}/documents"): lambda w: (
        f"/professionals/{w.professional_id}/documents",
        {"kind": "id_proof", "content_type": "application/pdf", "size_bytes": 1000},
        None,
    ),
    ("POST", "/professionals/{professional_id}/submit"): lambda w: (
        f"/professionals/{w.professional_id}/submit",
        None,
        None,
    ),
    ("GET", "/verification/requests"): lambda w: ("/verification/requests", None, {"status": "pending"}),
    ("POST", "/verification/callback"): lambda w: (
        "/verification/callback",
        {"request_id": "vrq_unknown", "result": "clear"},
        None,
    ),
    **{
        ("POST", f"/ondc/{action}"): (lambda w, a=action: (f"/ondc/{a}", {}, None)) for action in ONDC_ACTIONS
    },
    ("PUT", "/professionals/{professional_id}/availability"): lambda w: (
        f"/professionals/{new_professional(w.agency_id)}/availability",
        {"online": False},
        None,
    ),
    ("GET", "/match"): lambda w: ("/match", None, {"service": SERVICE, "lat": "26.85", "lng": "80.95"}),
    ("POST", "/bookings"): lambda w: (
        "/bookings",
        {
            "service_id": SERVICE,
            "location": {"lat": LUCKNOW[0], "lng": LUCKNOW[1]},
            "professional_id": new_professional(w.agency_id),
        },
        None,
    ),
    ("GET", "/bookings"): lambda w: ("/bookings", None, {"role": "professional", "limit": "3"}),
    ("GET", "/bookings/{booking_id}"): lambda w: (f"/bookings/{w.booking_id}", None, None),
    ("POST", "/bookings/{booking_id}/accept"): _booking_request("requested", "accept", lambda b: {}),
    ("POST", "/bookings/{booking_id}/start"): _booking_request(
        "accepted", "start", lambda b: {"start_code": b["start_code"]}
    ),
    ("POST", "/bookings/{booking_id}/complete"): _booking_request(
        "in_progress", "complete", lambda b: {"amount_collected_paise": FEE}
    ),
    ("POST", "/bookings/{booking_id}/cancel"): _booking_request("accepted", "cancel", lambda b: {}),
    ("POST", "/bookings/{booking_id}/decline"): _booking_request("requested", "decline", lambda b: {}),
    ("POST", "/bookings/{booking_id}/rating"): _booking_request(
        "completed", "rating", lambda b: {"stars": 4}
    ),
    ("POST", "/complaints"): lambda w: (
        "/complaints",
        {"booking_id": booking_at(w, "completed")["id"], "kind": "quality", "description": "Loose wiring."},
        None,
    ),
    ("GET", "/complaints"): lambda w: ("/complaints", None, {"status": "open", "limit": "3"}),
    ("GET", "/complaints/{complaint_id}"): lambda w: (f"/complaints/{w.complaint_id}", None, None),
    ("POST", "/complaints/{complaint_id}/evidence"): lambda w: (
        f"/complaints/{w.complaint_id}/evidence",
        {"content_type": "image/jpeg", "size_bytes": 2048},
        None,
    ),
    ("POST", "/complaints/{complaint_id}/response"): lambda w: (
        f"/complaints/{open_complaint(w)}/response",
        {"text": "The fan was balanced on the day."},
        None,
    ),
    ("POST", "/complaints/{complaint_id}/resolve"): lambda w: (
        f"/complaints/{heard_complaint(w)}/resolve",
        {"decision": "dismissed", "remarks": "Works now."},
        None,
    ),
    ("GET", "/bans/check"): lambda w: ("/bans/check", None, {"mobile": "9812345678"}),
    ("GET", "/professionals/{professional_id}/audit"): lambda w: (
        f"/professionals/{w.professional_id}/audit",
        None,
        None,
    ),
    ("GET", "/me/notifications"): lambda w: ("/me/notifications", None, {"limit": "5"}),
    ("PUT", "/me/preferences"): lambda w: ("/me/preferences", {"language": "en", "sms": False}, None),
    ("PUT", "/me/devices"): lambda w: ("/me/devices", {"platform": "fcm", "token": "device-1"}, None),
    ("POST", "/jobs"): lambda w: (
        "/jobs",
        _job_body(service_id="cook_daily_two_meals", positions=1, wage={"paise": 50_000, "per": "day"}),
        None,
    ),
    ("GET", "/jobs"): lambda w: (
        "/jobs",
        None,
        {"lat": str(LUCKNOW[0]), "lng": str(LUCKNOW[1]), "professional_id": w.professional_id},
    ),
    ("GET", "/me/jobs"): lambda w: ("/me/jobs", None, None),
    ("GET", "/jobs/{job_id}"): lambda w: (f"/jobs/{w.job_id}", None, {"professional_id": w.professional_id}),
    ("POST", "/jobs/{job_id}/close"): lambda w: (f"/jobs/{new_job()}/close", None, None),
    ("POST", "/jobs/{job_id}/applications"): lambda w: (
        f"/jobs/{new_job()}/applications",
        {"professional_id": w.professional_id},
        None,
    ),
    ("GET", "/jobs/{job_id}/applications"): lambda w: (f"/jobs/{w.job_id}/applications", None, None),
    ("POST", "/jobs/{job_id}/offers"): lambda w: _offer_request(w),
    ("GET", "/offers/{offer_id}"): lambda w: (f"/offers/{w.offer_id}", None, None),
    ("POST", "/offers/{offer_id}/accept"): lambda w: (f"/offers/{new_offer(w)[0]}/accept", None, None),
    ("POST", "/offers/{offer_id}/decline"): lambda w: (f"/offers/{new_offer(w)[0]}/decline", None, None),
    ("GET", "/engagements"): lambda w: ("/engagements", None, None),
    ("GET", "/engagements/{engagement_id}"): lambda w: (f"/engagements/{w.engagement_id}", None, None),
    ("POST", "/engagements/{engagement_id}/attendance"): lambda w: (
        f"/engagements/{new_engagement(w)}/attendance",
        {"date": WORKED_DAY, "present": True},
        None,
    ),
    ("POST", "/engagements/{engagement_id}/attendance/{date}/dispute"): lambda w: (
        f"/engagements/{new_engagement(w, worked=True)}/attendance/{WORKED_DAY}/dispute",
        {"reason": "I was there all day.", "present": True},
        None,
    ),
    ("GET", "/engagements/{engagement_id}/statement"): lambda w: (
        f"/engagements/{w.engagement_id}/statement",
        None,
        {"month": WORKED_DAY[:7]},
    ),
    ("POST", "/engagements/{engagement_id}/end"): lambda w: (
        f"/engagements/{new_engagement(w)}/end",
        None,
        None,
    ),
    ("POST", "/igrs/callback"): lambda w: (
        "/igrs/callback",
        {"igrs_reference": "IGRS-UNKNOWN", "status": "in_progress"},
        None,
    ),
    ("POST", "/bookings/{booking_id}/expenses"): _booking_request(
        "in_progress", "expenses", lambda b: {"items": [EXPENSE_ITEM]}
    ),
    ("POST", "/bookings/{booking_id}/expenses/{expense_id}/approve"): lambda w: _claim_answer(w, "approve"),
    ("POST", "/bookings/{booking_id}/expenses/{expense_id}/dispute"): lambda w: _claim_answer(w, "dispute"),
    ("POST", "/bookings/{booking_id}/payment"): _booking_request(
        "completed", "payment", lambda b: {"amount_paid_paise": FEE}
    ),
    ("POST", "/match/alerts"): lambda w: (
        "/match/alerts",
        {"service_id": SERVICE, "location": {"lat": LUCKNOW[0], "lng": LUCKNOW[1]}, "hours": 4},
        None,
    ),
    ("POST", "/professionals/{professional_id}/claim-code"): lambda w: (
        f"/professionals/{assisted_professional(w.agency_id)}/claim-code",
        None,
        None,
    ),
    ("POST", "/professionals/{professional_id}/claim"): lambda w: _claim_request(w),
}

EXPENSE_ITEM = {"description": "Fan clamp", "amount_paise": 4_000}


def _claim_answer(world: World, verb: str) -> Request:
    """A claim the professional made on a booking in progress, for its citizen to answer."""
    booking = booking_at(world, "in_progress")
    claimed = ok(PROFESSIONAL, "POST", f"/bookings/{booking['id']}/expenses", {"items": [EXPENSE_ITEM]})
    return f"/bookings/{booking['id']}/expenses/{claimed['id']}/{verb}", {}, None


def _as_officer(sub: str, method: str, path: str, body: dict[str, Any]) -> None:
    """An officer outside the personas (who upheld or confirmed: the callers must be others)."""
    event = rest_event(method, path, body=json.dumps(body), claims=claims_for(sub, "officers"))
    route = next(r for r in ROUTES if r.path == event["resource"] and r.method == method)
    response = invoke(route.function, event)
    assert response["statusCode"] == 200, response.get("body")


def _upheld_overcharge(world: World, *, confirmed: bool = False, appealed: bool = False) -> str:
    """An overcharge complaint upheld by one officer outside the personas (the professional is
    suspended), its ban confirmed by another, and appealed by the professional, as asked."""
    booking = booking_at(world, "completed")
    complaint = {"booking_id": booking["id"], "kind": "overcharge", "description": "Asked for 200.",
                 "amount_paid_paise": FEE + 5_000}  # fmt: skip
    cid = str(ok(CITIZEN, "POST", "/complaints", complaint)["id"])
    # The professional answers, so the officer may decide before respond_by.
    ok(PROFESSIONAL, "POST", f"/complaints/{cid}/response", {"text": "The extra was the part."})
    _as_officer(
        "officer-upholds", "POST", f"/complaints/{cid}/resolve", {"decision": "upheld", "remarks": "r"}
    )
    if confirmed:
        _as_officer("officer-confirms", "POST", f"/complaints/{cid}/confirm-ban", {"remarks": "r"})
    if appealed:
        ok(PROFESSIONAL, "POST", f"/complaints/{cid}/appeal", {"text": "The extra was the part."})
    return cid


REQUESTS.update(
    {
        ("POST", "/complaints/{complaint_id}/confirm-ban"): lambda w: (
            f"/complaints/{_upheld_overcharge(w)}/confirm-ban",
            {"remarks": "Receipt seen."},
            None,
        ),
        ("POST", "/complaints/{complaint_id}/appeal"): lambda w: (
            f"/complaints/{_upheld_overcharge(w, confirmed=True)}/appeal",
            {"text": "The extra was the part."},
            None,
        ),
        ("POST", "/complaints/{complaint_id}/appeal/decide"): lambda w: (
            f"/complaints/{_upheld_overcharge(w, confirmed=True, appealed=True)}/appeal/decide",
            {"decision": "upheld", "remarks": "No receipt."},
            None,
        ),
        ("POST", "/bookings/{booking_id}/expenses/{expense_id}/receipts"): lambda w: _receipt_request(w),
    }
)


def _receipt_request(world: World) -> Request:
    """A receipt for a claim still awaiting the citizen's answer."""
    path, _, _ = _claim_answer(world, "receipts")
    return path, {"content_type": "image/jpeg"}, None


def assisted_professional(agency_id: str) -> str:
    """A professional the agency registered, without an account of their own; their registered
    mobile (sealed, as registration keeps it) is ``other_citizen``'s phone."""
    pid = new_professional(agency_id)
    mobile = str(CLAIMS[OTHER_CITIZEN]["phone_number"])  # type: ignore[index]
    sealed = contacts.seal(mobile, f"alias/{settings().resource_prefix}contacts")
    ProfessionalModel.get(pid).update(
        actions=[
            ProfessionalModel.account_sub.remove(),
            ProfessionalModel.registered_by.set("member-1"),
            ProfessionalModel.mobile_sealed.set(sealed),
            ProfessionalModel.mobile_hash.set(pii.mobile_identity(mobile[-10:]).hash),
        ]
    )
    return pid


def _claim_request(world: World) -> Request:
    pid = assisted_professional(world.agency_id)
    ok(AGENCY_MEMBER, "POST", f"/professionals/{pid}/claim-code")
    sent = LOCAL_OUTBOX.messages(str(CLAIMS[OTHER_CITIZEN]["phone_number"]))[-1]  # type: ignore[index]
    code = next(word for word in sent.body.replace(".", " ").split() if word.isdigit() and len(word) == 6)
    return f"/professionals/{pid}/claim", {"code": code}, None


def _offer_request(world: World) -> Request:
    job_id, pid = new_job(), new_professional(world.agency_id)
    ok(PROFESSIONAL, "POST", f"/jobs/{job_id}/applications", {"professional_id": pid})
    return f"/jobs/{job_id}/offers", {"professional_id": pid}, None


def _label(route: Route) -> str:
    return f"{route.method} {route.path}"


def test_every_declared_route_has_a_row() -> None:
    declared = {(r.method, r.path) for r in ROUTES}
    assert set(ALLOWED) == declared, "add the route's row to ALLOWED (from API.md)"
    assert set(REQUESTS) == declared, "add a request for the route to REQUESTS"


@pytest.fixture
def requests_expire_after_each_cell(world: World) -> Iterator[None]:
    """A refused caller leaves the citizen's fresh booking ``requested``. The expiry job ends those
    after each cell, as it would after 30 minutes, so that the citizen's allowance of open
    requests (3 at once) never decides a cell about who may call."""
    yield
    expire_due(utc_now() + timedelta(days=1))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", ROUTES, ids=[_label(r) for r in ROUTES])
@pytest.mark.usefixtures("requests_expire_after_each_cell")
def test_only_the_allowed_callers_get_through(world: World, route: Route, persona: str) -> None:
    path, body, query = REQUESTS[(route.method, route.path)](world)
    before = len(DYNAMODB_OPERATIONS)
    response = call(persona, route.method, path, body, query)
    assert "Scan" not in DYNAMODB_OPERATIONS[before:]
    assert response.status < 500, response.body
    if persona in ALLOWED[(route.method, route.path)]:
        assert response.status not in (401, 403), response.body
        assert response.status < 300 or _domain_answer(route, persona, response), response.body
    else:
        expected = (
            401
            if persona in (ANONYMOUS, POLICE, IGRS)
            or _label(route) in ("POST /verification/callback", "POST /igrs/callback")
            or route.auth is Auth.ONDC_SIGNATURE
            else 403
        )
        assert response.status == expected, response.body


def _domain_answer(route: Route, persona: str, response: ApiResponse) -> bool:
    """The few allowed cells whose answer is about the state, not the caller."""
    expected = {
        # no such police request: the signature was accepted
        ("POST /verification/callback", POLICE): (404, "unknown_request"),
        # no such IGRS reference: the signature was accepted
        ("POST /igrs/callback", IGRS): (404, "unknown_reference"),
        # the world's professional is verified: documents and submission are over
        ("POST /professionals/{professional_id}/documents", PROFESSIONAL): (409, "documents_locked"),
        ("POST /professionals/{professional_id}/documents", AGENCY_MEMBER): (409, "documents_locked"),
        ("POST /professionals/{professional_id}/submit", PROFESSIONAL): (409, "invalid_transition"),
        ("POST /professionals/{professional_id}/submit", AGENCY_MEMBER): (409, "invalid_transition"),
        # one manages the professional booked: nobody books a professional they manage
        ("POST /bookings", PROFESSIONAL): (409, "professional_unavailable"),
        ("POST /bookings", AGENCY_MEMBER): (409, "professional_unavailable"),
        # other_citizen's account may have registered itself in POST /professionals' cell: one
        # professional per account, so its claim is refused for that, not for who it is
        ("POST /professionals/{professional_id}/claim", OTHER_CITIZEN): (409, "already_registered"),
    }.get((_label(route), persona))
    return expected == (response.status, response.error_code)


def test_no_route_ever_scans_a_table(world: World) -> None:
    """Every route, as every caller, above (and the world's setup through the routes): Queries and
    item reads and writes only."""
    assert "Query" in DYNAMODB_OPERATIONS
    assert "Scan" not in DYNAMODB_OPERATIONS
