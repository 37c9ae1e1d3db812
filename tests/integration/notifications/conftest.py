"""Fixtures for the notification tests: one emulator per package (tables, queues and the SMS
outbox emptied per test), professionals who can be reached by SMS (a sealed registered mobile and
the ``mobile#`` identity registration claims), and the event pump that feeds the notify queue to
its handler as Lambda's event source mapping would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from moto import mock_aws

from local.events import EventPump
from local.provision import LocalResources, cached_client, provision
from sevamitra.data import contacts
from sevamitra.data.identities import IdentityKind, identity_pk
from sevamitra.data.models import ALL_MODELS, IdentityModel, ProfessionalModel
from sevamitra.edge import pii
from sevamitra.platform.settings import settings
from sevamitra.platform.sms import LOCAL_OUTBOX, RecordedSms
from tests.integration.conftest import IDENTITY_KEY, MOTO_CONFIG, POLICE_KEY, Api, ApiResponse, claims_for
from tests.integration.geo_seed import LUCKNOW, SERVICE, offset, seed_professional

CITIZEN = claims_for("citizen-1")
PRO = claims_for("sub-pro_1")
MEMBER = claims_for("member-1")
OFFICER = claims_for("officer-1", "officers")
PRO_MOBILE = "9876500001"
ASSISTED_MOBILE = "9876500002"
FEE = 15000
NEAR = offset(*LUCKNOW, 100, 0)


@pytest.fixture(scope="package")
def _provisioned() -> Iterator[LocalResources]:
    with mock_aws(config=MOTO_CONFIG):
        yield provision(settings(), police_key=POLICE_KEY, identity_key=IDENTITY_KEY, workflow=False)


def _empty_tables() -> None:
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


def empty_queue(url: str) -> None:
    """Delete every visible message (PurgeQueue may run once a minute)."""
    sqs = cached_client("sqs", settings().aws_region)
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        sqs.delete_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
        )


@pytest.fixture
def aws(_provisioned: LocalResources) -> Iterator[LocalResources]:
    _empty_tables()
    for url in (_provisioned.notify_queue_url, _provisioned.notify_dead_letter_queue_url):
        empty_queue(url)
    LOCAL_OUTBOX.clear()
    pii.clear_key_cache()
    yield _provisioned
    LOCAL_OUTBOX.clear()


@pytest.fixture
def pump(aws: LocalResources) -> EventPump:
    return EventPump(aws.notify_queue_url, settings().aws_region)


def reachable_professional(
    pid: str,
    mobile: str,
    *,
    account_sub: str | None = None,
    registered_by: str | None = None,
    name: str | None = None,
    where: tuple[float, float] = NEAR,
) -> str:
    """A verified, online professional as registration leaves them for SMS: the sealed mobile on
    the record and the ``mobile#`` identity. ``account_sub=""``: assisted, without an account."""
    seed_professional(pid, *where, account_sub=account_sub, registered_by=registered_by, name=name)
    identity = pii.mobile_identity(mobile)
    sealed = contacts.seal(pii.e164(mobile), f"alias/{settings().resource_prefix}contacts")
    ProfessionalModel.get(pid).update(
        actions=[
            ProfessionalModel.mobile_sealed.set(sealed),
            ProfessionalModel.mobile_hash.set(identity.hash),
        ]
    )
    IdentityModel(identity_pk(IdentityKind.MOBILE, identity.hash), professional_id=pid, created_at="x").save()
    return pid


@dataclass
class Calls:
    api: Api

    def ok(self, claims: dict[str, Any], method: str, path: str, body: Any = None, status: int = 200) -> Any:
        response = self.api(method, path, claims=claims, body=body)
        assert response.status == status, (method, path, response.body)
        return response.body

    def call(self, claims: dict[str, Any], method: str, path: str, body: Any = None) -> ApiResponse:
        return self.api(method, path, claims=claims, body=body)

    def book(self, professional_id: str, claims: dict[str, Any] = CITIZEN) -> dict[str, Any]:
        body = {
            "service_id": SERVICE,
            "location": {"lat": LUCKNOW[0], "lng": LUCKNOW[1]},
            "professional_id": professional_id,
        }
        return dict(self.ok(claims, "POST", "/bookings", body, status=201))

    def inbox(self, claims: dict[str, Any]) -> list[dict[str, Any]]:
        return list(self.ok(claims, "GET", "/me/notifications?limit=100")["notifications"])


@pytest.fixture
def calls(api: Api) -> Calls:
    return Calls(api)


def sms_to(mobile: str) -> list[RecordedSms]:
    return LOCAL_OUTBOX.messages(pii.e164(mobile))


REPLY = re.compile(r"HAAN ([A-Z0-9]{5})")


def reference_in(text: str) -> str:
    match = REPLY.search(text)
    assert match, text
    return match.group(1)
