"""Fixtures and helpers for the jobs tests: verified professionals seeded near a job site in
Lucknow, an employer, and short-hands for the jobs routes."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from moto import mock_aws

from local.provision import LocalResources, cached_client, provision
from sevamitra.data.models import ALL_MODELS
from sevamitra.platform.settings import settings
from tests.integration.conftest import IDENTITY_KEY, MOTO_CONFIG, POLICE_KEY, Api, ApiResponse, claims_for
from tests.integration.geo_seed import LUCKNOW, offset, seed_professional

EMPLOYER = claims_for("employer-1", "employers")
OTHER_EMPLOYER = claims_for("employer-2", "employers")
CITIZEN = claims_for("citizen-1")
OFFICER = claims_for("officer-1", "officers")
SITE = {"lat": LUCKNOW[0], "lng": LUCKNOW[1]}
MASON = "mason_brick_wall_repair_per_sqm"  # skilled: Rs 13,579.58 a month, Rs 522.30 a day
COOK = "cook_daily_two_meals"  # semi-skilled: household work
SKILLED_MONTHLY = 1_357_958
SKILLED_DAILY = 52_230  # 1,357,958 / 26 = 52,229.15..., up to the paisa


def pro_claims(pid: str) -> dict[str, Any]:
    """seed_professional gives pro ``p`` the account ``sub-p``."""
    return claims_for(f"sub-{pid}")


def today() -> date:
    return date.today()


@pytest.fixture(scope="package")
def _provisioned() -> Iterator[LocalResources]:
    with mock_aws(config=MOTO_CONFIG):
        yield provision(settings(), police_key=POLICE_KEY, identity_key=IDENTITY_KEY, workflow=False)


@pytest.fixture
def aws(_provisioned: LocalResources) -> LocalResources:
    """Every test starts from empty tables on the package's emulator."""
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


_serial = itertools.count(1)


def seed_workers(count: int, *, service: str = MASON, first_metres: int = 300, step: int = 400) -> list[str]:
    """``count`` verified, online professionals offering ``service`` north of the site, the
    first ``first_metres`` away, then every ``step`` metres (pro_w<n>, numbered in order)."""
    pids = []
    for i in range(count):
        pid = f"pro_w{next(_serial):04d}"
        seed_professional(pid, *offset(*LUCKNOW, first_metres + i * step, 0), services=(service,))
        pids.append(pid)
    return pids


def job_body(**changes: Any) -> dict[str, Any]:
    """A full-time mason's post for three at the skilled monthly floor, starting today."""
    body: dict[str, Any] = {
        "title": "Masons for the school boundary wall",
        "service_id": MASON,
        "kind": "full_time",
        "positions": 3,
        "wage": {"paise": SKILLED_MONTHLY, "per": "month"},
        "starts_on": today().isoformat(),
        "site": SITE,
        "district": "Lucknow",
    }
    body.update(changes)
    return body


def post(api: Api, claims: dict[str, Any] | None = EMPLOYER, **changes: Any) -> ApiResponse:
    return api("POST", "/jobs", claims=claims, body=job_body(**changes))


def posted(api: Api, claims: dict[str, Any] | None = EMPLOYER, **changes: Any) -> dict[str, Any]:
    response = post(api, claims, **changes)
    assert response.status == 201, response.body
    return dict(response.body)


def apply(api: Api, job_id: str, pid: str) -> ApiResponse:
    return api("POST", f"/jobs/{job_id}/applications", claims=pro_claims(pid), body={})


def offer(api: Api, job_id: str, pid: str, claims: dict[str, Any] = EMPLOYER) -> ApiResponse:
    return api("POST", f"/jobs/{job_id}/offers", claims=claims, body={"professional_id": pid})


def engaged(api: Api, job_id: str, pid: str) -> dict[str, Any]:
    """``pid`` applies, is offered and accepts: the accepted offer."""
    assert apply(api, job_id, pid).status == 201
    made = offer(api, job_id, pid)
    assert made.status == 201, made.body
    accepted = api("POST", f"/offers/{made.body['id']}/accept", claims=pro_claims(pid))
    assert accepted.status == 200, accepted.body
    return dict(accepted.body)


def days_back(n: int) -> str:
    return (today() - timedelta(days=n)).isoformat()
