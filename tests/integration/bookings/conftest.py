"""Fixtures and helpers for the booking tests: seeded verified professionals near Lucknow, the
participants' claims, and short-hands for the booking routes and /match."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from local.provision import LocalResources, cached_client, provision
from sevamitra.data.models import ALL_MODELS, BookingModel, ComplaintModel, ProfessionalModel
from sevamitra.platform.settings import settings
from tests.integration.conftest import IDENTITY_KEY, MOTO_CONFIG, POLICE_KEY, Api, ApiResponse, claims_for
from tests.integration.geo_seed import LUCKNOW, SERVICE, offset, seed_professional

CITIZEN = claims_for("citizen-1")
OTHER_CITIZEN = claims_for("citizen-2")
PRO = claims_for("sub-pro_1")  # seed_professional gives pro_<x> the account sub-pro_<x>
OTHER_PRO = claims_for("sub-pro_2")
OFFICER = claims_for("officer-1", "officers")
EMPLOYER = claims_for("employer-1", "employers")

FEE = 15000  # electrician_fan_installation on the rate card
DURATION = 45
NEAR = offset(*LUCKNOW, 100, 0)


@pytest.fixture(scope="package")
def _provisioned() -> Iterator[LocalResources]:
    """Provisioning takes about a second; the booking tests share one emulator and start each
    test from empty tables instead (they use no workflow, bucket objects or events)."""
    with mock_aws(config=MOTO_CONFIG):
        yield provision(settings(), police_key=POLICE_KEY, identity_key=IDENTITY_KEY, workflow=False)


@pytest.fixture
def aws(_provisioned: LocalResources) -> LocalResources:
    dynamodb = cached_client("dynamodb", settings().aws_region)
    for model in ALL_MODELS:
        keys = [
            attr.attr_name for attr in (model._hash_key_attribute(), model._range_key_attribute()) if attr
        ]
        table = model.Meta.table_name
        for page in dynamodb.get_paginator("scan").paginate(
            TableName=table, ProjectionExpression=", ".join(keys)
        ):
            for item in page["Items"]:
                dynamodb.delete_item(TableName=table, Key=item)
    return _provisioned


@pytest.fixture
def pro(aws: LocalResources) -> str:
    """pro_1: verified, online, 100 m north of the citizen; pro_2 another professional, far away."""
    seed_professional("pro_1", *NEAR)
    seed_professional("pro_2", *offset(*LUCKNOW, 50_000, 0))
    return "pro_1"


def booking_body(professional_id: str | None = "pro_1", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"service_id": SERVICE, "location": {"lat": LUCKNOW[0], "lng": LUCKNOW[1]}}
    if professional_id is not None:
        body["professional_id"] = professional_id
    return {**body, **extra}


def book(api: Api, claims: dict | None = CITIZEN, headers: dict | None = None, **body: Any) -> ApiResponse:
    return api("POST", "/bookings", claims=claims, body=booking_body(**body), headers=headers or {})


def act(api: Api, booking_id: str, action: str, claims: dict | None, body: dict | None = None) -> ApiResponse:
    return api("POST", f"/bookings/{booking_id}/{action}", claims=claims, body=body or {})


def view(api: Api, booking_id: str, claims: dict | None = CITIZEN) -> ApiResponse:
    return api("GET", f"/bookings/{booking_id}", claims=claims)


def matched(api: Api, service: str = SERVICE) -> list[str]:
    response = api(
        "GET",
        "/match",
        claims=claims_for("someone"),
        query={"service": service, "lat": str(LUCKNOW[0]), "lng": str(LUCKNOW[1])},
    )
    assert response.status == 200, response.body
    return [r["professional_id"] for r in response.body["results"]]


def match_results(api: Api) -> list[dict[str, Any]]:
    response = api(
        "GET",
        "/match",
        claims=claims_for("someone"),
        query={"service": SERVICE, "lat": str(LUCKNOW[0]), "lng": str(LUCKNOW[1])},
    )
    return list(response.body["results"])


def professional(pid: str = "pro_1") -> ProfessionalModel:
    return ProfessionalModel.get(pid, consistent_read=True)


def bookings() -> list[BookingModel]:
    return list(BookingModel.scan())


def complaints() -> list[ComplaintModel]:
    return [c for c in ComplaintModel.scan() if not c.id.startswith("lock#")]


def booked(api: Api, **body: Any) -> dict[str, Any]:
    """A requested booking of pro_1 by CITIZEN: the 201 body (with the start code)."""
    response = book(api, **body)
    assert response.status == 201, response.body
    return dict(response.body)


def accepted(api: Api) -> dict[str, Any]:
    created = booked(api)
    assert act(api, created["id"], "accept", PRO).status == 200
    return created


def in_progress(api: Api) -> dict[str, Any]:
    created = accepted(api)
    response = act(api, created["id"], "start", PRO, {"start_code": created["start_code"]})
    assert response.status == 200, response.body
    return created


def completed(api: Api, amount: int = FEE) -> dict[str, Any]:
    created = in_progress(api)
    response = act(api, created["id"], "complete", PRO, {"amount_collected_paise": amount})
    assert response.status == 200, response.body
    return created
