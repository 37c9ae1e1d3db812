"""Hostile input: schemathesis drives every operation of the SERVED ``/openapi.json`` against the
live local stack over HTTP.

Each generated case (schema-valid and schema-violating alike) is sent without a token and with
one (a citizen's, the professional's or an officer's ID token, drawn per case); the police
callback is sent unsigned and signed (a valid signature over the exact bytes sent). Path ids are
sometimes those of a real world (a verified professional, a booking, a complaint, an agency), so
bodies reach the domain rules and not only the 404. Every answer must be:

- never a 5xx;
- when not 2xx, in the contract's error shape ``{"error": {"code", "message", "details"}}`` with a
  snake_case code;
- a documented status, with the documented content type and a body that conforms to the
  documented response schema;
- a refusal (4xx) for schema-violating input, and an acceptance for schema-valid input except
  where a documented domain rule the schema cannot express refuses it (``DOMAIN_RULES``).

Bounded in ``make test`` (``FUZZ_EXAMPLES``, default 25 cases per operation, derandomized: the
same cases every run); ``make fuzz`` runs 500 per operation.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from local.client.ondc import BuyerApp
from sevamitra.domain.types import verhoeff_check_digit
from sevamitra.edge.routes import ROUTES, Auth, Route
from sevamitra.edge.signing import HEADER, sign
from tests.e2e.conftest import Stack
from tests.e2e.story import (
    book,
    complain,
    go_online,
    near,
    new_identity,
    somewhere_in_lucknow,
    step,
    verified_professional,
)

pytestmark = pytest.mark.e2e

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
SERVICE = "carpenter_furniture_repair"
SNAKE_CASE = re.compile(r"[a-z][a-z0-9_]*")
SIGNED_IN = ("citizen", "professional", "officer")

# Schema-valid requests a domain rule refuses with 422, where JSON Schema cannot say the rule:
# operation -> the error codes and the field locations (``details[].loc``) that may refuse it.
DOMAIN_RULES: dict[str, tuple[set[str], set[tuple[Any, ...]]]] = {
    # exactly one of aadhaar / mobile
    "GET /bans/check": (set(), {("query",)}),
    # days must fit the engagement kind
    "POST /bookings": (set(), {("body", "engagement")}),
    # a qualification for services that require one
    "POST /professionals": (set(), {("body", "qualification")}),
    # an overcharge needs an amount above the booking's fee
    "POST /complaints": (set(), {("body", "amount_paid_paise")}),
    # the citizen's code, checked against the booking
    "POST /bookings/{booking_id}/start": ({"wrong_start_code"}, set()),
    # a cursor is only one we issued, for that caller and query (any string fits the schema)
    "GET /bookings": ({"invalid_cursor"}, set()),
    "GET /complaints": ({"invalid_cursor"}, set()),
    "GET /agencies": ({"invalid_cursor"}, set()),
    "GET /verification/requests": ({"invalid_cursor"}, set()),
    # a page cursor is good only if we issued it for this caller and query (API.md)
    "GET /me/notifications": ({"invalid_cursor"}, set()),
    # a post's terms that depend on its kind or today's date, and the minimum wage floor
    "POST /jobs": (
        {"below_minimum_wage"},
        {
            ("body", "wage"),
            ("body", "pieces_per_day"),
            ("body", "hours_per_day"),
            ("body", "starts_on"),
            ("body", "ends_on"),
        },
    ),
    # a day within the engagement and not ahead; pieces only for a piece-rate day present;
    # a calendar date (the pattern allows 2026-02-30)
    "POST /engagements/{engagement_id}/attendance": (set(), {("body", "date"), ("body", "pieces")}),
    "POST /engagements/{engagement_id}/attendance/{date}/dispute": (set(), {("path", "date")}),
    # a cursor we did not issue for this query
    "GET /jobs": ({"invalid_cursor"}, set()),
    "GET /me/jobs": ({"invalid_cursor"}, set()),
    "GET /jobs/{job_id}/applications": ({"invalid_cursor"}, set()),
    "GET /engagements": ({"invalid_cursor"}, set()),
    # a claim code is right only if it is the one sent by SMS
    "POST /professionals/{professional_id}/claim": ({"wrong_claim_code"}, set()),
}
# Refusals any operation may give to schema-valid input: a point in the documented box but outside
# Uttar Pradesh's own boundary, and a district string that names none of the 75.
ANYWHERE: set[str] = {"out_of_service_area", "unknown_district"}


def _aadhaar_numbers() -> st.SearchStrategy[str]:
    first = st.integers(2, 9).map(str)
    rest = st.integers(0, 10**10 - 1).map(lambda n: f"{n:010d}")
    return st.builds(lambda a, b: a + b + verhoeff_check_digit(a + b), first, rest)


# The document's "aadhaar" format: twelve digits whose last is the Verhoeff check digit.
schemathesis.openapi.format("aadhaar", _aadhaar_numbers())


# --- the checks ------------------------------------------------------------------------------------


def error_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every non-2xx answer is the contract's error object, and nothing else."""
    if response.status_code < 400:
        return None
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), response.headers
    body = response.json()
    assert isinstance(body, dict), body
    if case.operation.path.startswith("/ondc/"):  # Beckn: the error inside the NACK envelope (API.md)
        assert body.pop("message", None) == {"ack": {"status": "NACK"}}, body
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, error
    assert SNAKE_CASE.fullmatch(error["code"]), error["code"]
    assert isinstance(error["message"], str), error
    assert error["message"], error
    assert isinstance(error["details"], list), error
    return True


def _refused_by_a_domain_rule(case: Any, response: Any) -> bool:
    if response.status_code != 422:
        return False
    codes, locations = DOMAIN_RULES.get(case.operation.label, (set(), set()))
    error = response.json()["error"]
    if error["code"] in codes | ANYWHERE:
        return True
    found = [tuple(d.get("loc", ())) for d in error["details"]]
    return bool(found) and all(any(loc[: len(allowed)] == allowed for allowed in locations) for loc in found)


def valid_data_is_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis' ``positive_data_acceptance``, except for ``DOMAIN_RULES``."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if _refused_by_a_domain_rule(case, response):
            return None
        raise


CHECKS = [
    not_a_server_error,
    error_shape,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    valid_data_is_accepted,
]


# --- the world the cases act in ----------------------------------------------------------------------


@dataclass
class World:
    tokens: dict[str, str]
    ids: dict[str, list[str]]  # path parameter -> real ids (and one that does not exist)
    police_key: bytes
    buyer_app: BuyerApp  # registered in the local fake ONDC registry: signs /ondc/ requests


@pytest.fixture(scope="module")
def world(stack: Stack) -> World:
    if not stack.is_local:
        pytest.skip("fuzzing writes thousands of junk records: the local stack only")
    pro, citizen, officer = stack.signed_up(), stack.signed_up(), stack.as_demo("officer")
    home = somewhere_in_lucknow()
    pid = verified_professional(stack, pro, officer, new_identity()[0], near(home, 200), SERVICE)
    go_online(pro, pid, near(home, 200))
    booking = book(citizen, SERVICE, home, pid)
    step(pro, booking["id"], "accept")
    complaint = complain(citizen, booking["id"])
    agency = stack.account(citizen.token).ok(
        "POST",
        "/agencies",
        {
            "name": "Gomti Services",
            "udyam_number": "UDYAM-UP-12-0001234",
            "district": "Lucknow",
            "contact_mobile": new_identity()[1],
        },
        status=201,
    )
    job, offer, engagement, worked = _job_world(stack, pro, pid, home)
    return World(
        tokens={"citizen": citizen.token, "professional": pro.token, "officer": officer.token},
        ids={
            "professional_id": [pid, "pro_does_not_exist"],
            "booking_id": [booking["id"], "bkg_does_not_exist"],
            "complaint_id": [complaint["id"], "cmp_does_not_exist"],
            "agency_id": [agency["id"], "agy_does_not_exist"],
            "job_id": [job, "job_does_not_exist"],
            "offer_id": [offer, "ofr_does_not_exist"],
            "engagement_id": [engagement, "eng_does_not_exist"],
            "date": [worked, "2020-01-01"],
            # The world's booking is accepted, not in progress, so it has no expense claim: both
            # ids are unknown (the expense routes' own tests cover real claims).
            "expense_id": ["exp_does_not_exist", "exp_0000000000000000"],
        },
        police_key=stack.police_key(),
        buyer_app=_registered_buyer_app(stack),
    )


def _job_world(stack: Stack, pro: Any, pid: str, home: dict[str, float]) -> tuple[str, str, str, str]:
    """A daily-wage job near the professional, their application, an offer accepted (an
    engagement with a recorded day), and a second offer pending: (job, pending offer, engagement,
    day)."""
    employer = stack.as_demo("employer")
    starts_on = (date.today() - timedelta(days=10)).isoformat()
    body = {"title": "Carpenters for the school benches", "service_id": SERVICE, "kind": "daily_wage",
            "positions": 5, "wage": {"paise": 60_000, "per": "day"}, "starts_on": starts_on, "site": home,
            "district": "Lucknow"}  # fmt: skip
    offers = []
    for _ in range(2):
        job = employer.ok("POST", "/jobs", body, status=201)["id"]
        pro.ok("POST", f"/jobs/{job}/applications", {}, status=201)
        offers.append(employer.ok("POST", f"/jobs/{job}/offers", {"professional_id": pid}, status=201)["id"])
    engagement = pro.ok("POST", f"/offers/{offers[0]}/accept")["engagement_id"]
    worked = (date.today() - timedelta(days=3)).isoformat()
    employer.ok(
        "POST", f"/engagements/{engagement}/attendance", {"date": worked, "present": True}, status=201
    )
    return job, offers[1], engagement, worked


def _registered_buyer_app(stack: Stack) -> BuyerApp:
    """A buyer app on loopback (callbacks accepted unchecked) in the stack's fake registry."""
    app = BuyerApp().start()
    answer = requests.post(stack.url("/_local/ondc/registry"), json=app.registration(), timeout=10)
    assert answer.status_code == 201
    return app


@pytest.fixture(scope="module")
def served_schema(stack: Stack, world: World) -> Any:
    schema = schemathesis.openapi.from_url(stack.url("/openapi.json"))
    schema.config.update(base_url=stack.api_url)
    return schema


class PoliceSignature(requests.auth.AuthBase):
    """Signs the prepared request's exact body, as the police system does."""

    def __init__(self, key: bytes, at: int) -> None:
        self.key, self.at = key, at

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        raw = body.encode() if isinstance(body, str) else body
        request.headers[HEADER] = sign(self.key, self.at, raw)
        return request


class OndcSignature(requests.auth.AuthBase):
    """Signs the prepared request's exact body as a registered buyer app (Beckn, Ed25519)."""

    def __init__(self, app: BuyerApp) -> None:
        self.app = app

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        request.headers["Authorization"] = self.app.sign(body.encode() if isinstance(body, str) else body)
        return request


# --- the run -----------------------------------------------------------------------------------------

CASES: Counter[str] = Counter()
CALLS: Counter[tuple[str, str]] = Counter()


def _whole_numbers_as_integers(value: Any) -> Any:
    """schemathesis spells some integers ``2.0`` (JSON Schema counts it an integer); the API's
    integers are strict JSON integers (API.md: money is integer paise, never a float), so
    schema-valid cases send them as ``2`` (docs/decisions.md)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _whole_numbers_as_integers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole_numbers_as_integers(v) for v in value]
    return value


def _label(route: Route) -> str:
    return f"{route.method} {route.path}"


def _sends(route: Route, persona: str, world: World) -> Iterator[tuple[str, dict[str, Any]]]:
    """(who, request kwargs) for one case: without credentials, then with them."""
    yield "anonymous", {}
    if route.auth is Auth.COGNITO:
        yield persona, {"headers": {"Authorization": f"Bearer {world.tokens[persona]}"}}
    elif route.auth is Auth.POLICE_SIGNATURE:
        yield "police", {"auth": PoliceSignature(world.police_key, int(time.time()))}
    elif route.auth is Auth.ONDC_SIGNATURE:
        yield "buyer_app", {"auth": OndcSignature(world.buyer_app)}


@pytest.mark.parametrize("route", ROUTES, ids=[_label(r) for r in ROUTES])
def test_hostile_input_never_breaks_the_contract(route: Route, served_schema: Any, world: World) -> None:
    operation = served_schema[route.path][route.method]
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
    )
    label = _label(route)

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(case=cases, persona=st.sampled_from(SIGNED_IN), real_ids=st.booleans(), pick=st.integers(0, 1))
    def run(case: Any, persona: str, real_ids: bool, pick: int) -> None:
        CASES[label] += 1
        if case.meta is not None and case.meta.generation.mode.is_positive:
            if case.body is not None and not isinstance(case.body, bytes):
                case.body = _whole_numbers_as_integers(case.body)
            if real_ids and case.path_parameters:
                for name in case.path_parameters:
                    case.path_parameters[name] = world.ids[name][pick]
        for who, kwargs in _sends(route, persona, world):
            CALLS[(label, who)] += 1
            case.call_and_validate(checks=CHECKS, **kwargs)

    run()


def test_each_fuzzed_operation_was_called_with_and_without_credentials() -> None:
    """The run's coverage: each operation fuzzed here was called anonymously and signed in (every
    protected one at least once as a citizen and as an officer), the callback signed."""
    if not CASES:
        pytest.skip("the fuzz run did not happen in this process")
    for route in ROUTES:
        label = _label(route)
        if not CASES[label]:
            continue  # deselected
        assert CALLS[(label, "anonymous")] >= 1, label
        if route.auth is Auth.COGNITO:
            assert CALLS[(label, "citizen")] >= 1, label
            assert CALLS[(label, "officer")] >= 1, label
        if route.auth is Auth.POLICE_SIGNATURE:
            assert CALLS[(label, "police")] >= 1, label
        if route.auth is Auth.ONDC_SIGNATURE:
            assert CALLS[(label, "buyer_app")] >= 1, label
    print(f"\nfuzz: {sum(CASES.values())} cases, {sum(CALLS.values())} requests: {dict(CASES)}")
