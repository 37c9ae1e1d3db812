"""The ONDC seller platform in-process on moto: a fake buyer app on loopback (``local.client.ondc``)
registered in the local fake registry, requests through the ondc handler, the queued work run by
the same pump the local stack uses, callbacks posted over HTTP to the buyer app, which accepts only
those signed with our published key."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import ondc.keys
import ondc.registry
from local import ondc as local_ondc
from local.client.ondc import BuyerApp
from local.dispatch import invoke
from local.provision import LocalResources, cached_client
from local.proxy_events import rest_event
from sevamitra.edge.beckn_signing import key_from_secret, public_key_b64
from sevamitra.edge.routes import Function
from sevamitra.platform.settings import settings
from tests import ondc_schema
from tests.integration.geo_seed import LUCKNOW, SERVICE, offset, seed_professional

NEAR = offset(*LUCKNOW, 300, 0)
IGM_CALLBACKS = frozenset({"on_issue", "on_issue_status"})


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


class Network:
    """The buyer app, our side's handler and the work queue, in one test."""

    def __init__(self, bap: BuyerApp, resources: LocalResources) -> None:
        self.bap = bap
        self.pump = local_ondc.WorkPump(resources.ondc_queue_url, settings().aws_region)

    def post(self, action: str, body: bytes, headers: dict[str, str]) -> Answer:
        response = invoke(Function.ONDC, rest_event("POST", f"/ondc/{action}", body=body, headers=headers))
        return Answer(
            response["statusCode"], json.loads(response["body"]), dict(response.get("headers") or {})
        )

    def send(self, action: str, message: dict[str, Any], *, transaction_id: str, **kwargs: Any) -> Answer:
        body, headers = self.bap.signed(action, message, transaction_id=transaction_id, **kwargs)
        return self.post(action, body, headers)

    def work(self) -> int:
        """Run every queued request (as Lambda's SQS event source would)."""
        done = 0
        while (batch := self.pump.drain_once(wait_s=0)) > 0:
            done += batch
        return done

    def exchange(self, action: str, message: dict[str, Any], *, transaction_id: str, **kwargs: Any) -> dict:
        answer = self.send(action, message, transaction_id=transaction_id, **kwargs)
        assert answer.status == 200, answer.body
        assert answer.body == {"message": {"ack": {"status": "ACK"}}}
        self.work()
        return self.bap.wait_for(f"on_{action}", transaction_id=transaction_id, timeout_s=5)


def seller_public_key() -> str:
    secrets = cached_client("secretsmanager", settings().aws_region)
    from sevamitra.platform.ondc_settings import ondc_settings

    secret = secrets.get_secret_value(SecretId=ondc_settings().ondc_signing_key_secret_arn)["SecretString"]
    return public_key_b64(key_from_secret(secret))


@pytest.fixture
def network(aws: LocalResources, monkeypatch: pytest.MonkeyPatch) -> Iterator[Network]:
    # Registry lookups answer from the local fake registry, in-process.
    monkeypatch.setattr(
        ondc.registry,
        "_fetch",
        lambda key_id: local_ondc.lookup(
            json.dumps({"subscriber_id": key_id.subscriber_id, "ukId": key_id.unique_key_id}).encode()
        )[1],
    )
    ondc.registry.forget()
    ondc.keys.forget()
    local_ondc.forget_all()
    with BuyerApp(seller_public_key()) as bap:
        status, _ = local_ondc.register(json.dumps(bap.registration()).encode())
        assert status == 201
        yield Network(bap, aws)
    # Every message we sent passes the specification's schema (data/ondc, tests/ondc_schema.py).
    for payload in bap.callbacks:
        sent = {key: value for key, value in payload.items() if key != "_path"}
        if sent["context"]["action"] in IGM_CALLBACKS:
            continue  # IGM 2.0.0's schema is not vendored (docs/ondc.md)
        assert ondc_schema.errors(sent) == [], sent["context"]["action"]
    ondc.registry.forget()
    ondc.keys.forget()
    local_ondc.forget_all()


@pytest.fixture
def professional(aws: LocalResources) -> str:
    seed_professional("pro_1", *offset(*LUCKNOW, 100, 0), services=(SERVICE,), name="Ramesh")
    return "pro_1"


def search_message(lat: float, lng: float, **intent: Any) -> dict[str, Any]:
    return {
        "intent": {
            "fulfillment": {
                "type": "Home-Service",
                "stops": [{"type": "end", "location": {"gps": f"{lat},{lng}"}}],
            },
            "payment": {"type": "ON-FULFILLMENT"},
            **intent,
        }
    }


def order_message(
    professional_id: str, service_id: str = SERVICE, *, phone: str = "9876543210", **extra: Any
) -> dict:
    lat, lng = NEAR
    return {
        "order": {
            "provider": {"id": professional_id},
            "items": [{"id": service_id, "quantity": {"selected": {"count": 1}}}],
            "fulfillments": [
                {
                    "id": "F1",
                    "type": "Home-Service",
                    "stops": [
                        {
                            "type": "end",
                            "location": {"gps": f"{lat},{lng}", "address": "12 Hazratganj, near the GPO"},
                            "contact": {"phone": phone},
                            "person": {"name": "Sita"},
                        }
                    ],
                }
            ],
            "billing": {"name": "Sita", "phone": phone},
            "payments": [{"type": "ON-FULFILLMENT", "collected_by": "BPP"}],
            **extra,
        }
    }
