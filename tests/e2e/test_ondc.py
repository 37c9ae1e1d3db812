"""A buyer app books a police-verified professional over ONDC, all over HTTP on the local stack
(its own, with the scheduler every second so that unsolicited on_status arrives at once): it
registers in the fake registry, signs its requests, and accepts only callbacks that verify against
``OndcSigningPublicKey``. search -> select -> init -> confirm -> status -> the professional
accepts, starts with the start code the buyer app received, completes (the normal API) ->
on_status each time -> rating -> an IGM issue, decided by an officer -> on_issue_status.
Unsigned, tampered, expired and replayed requests change nothing."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from local.client.launch import LocalStackProcess
from local.client.ondc import BuyerApp
from tests.e2e.conftest import START_TIMEOUT_S, STOP_TIMEOUT_S, Stack
from tests.e2e.story import go_online, near, new_identity, somewhere_in_lucknow, step, verified_professional

pytestmark = pytest.mark.e2e
SERVICE = "electrician_switchboard_repair"
ACK = {"message": {"ack": {"status": "ACK"}}}


@pytest.fixture(scope="module")
def ondc_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    process = LocalStackProcess(
        tmp_path_factory.mktemp("ondc-stack"),
        env={"SCHEDULE_INTERVAL_S": "1"},
        start_timeout_s=START_TIMEOUT_S,
        stop_timeout_s=STOP_TIMEOUT_S,
    )
    try:
        yield Stack(process.start())
    finally:
        assert process.stop() == 0, process.log()


@pytest.fixture(scope="module")
def bap(ondc_stack: Stack) -> Iterator[BuyerApp]:
    outputs = ondc_stack.outputs
    with BuyerApp(outputs["OndcSigningPublicKey"], seller_id=outputs["OndcSubscriberId"]) as app:
        registered = requests.post(
            ondc_stack.url("/_local/ondc/registry"), json=app.registration(), timeout=10
        )
        assert registered.status_code == 201
        yield app


def _send(
    stack: Stack, bap: BuyerApp, action: str, message: dict[str, Any], txn: str, **kw: Any
) -> requests.Response:
    body, headers = bap.signed(action, message, transaction_id=txn, domain="ONDC:SRV11", **kw)
    return requests.post(stack.url(f"/ondc/{action}"), data=body, headers=headers, timeout=10)


def _exchange(stack: Stack, bap: BuyerApp, action: str, message: dict[str, Any], txn: str) -> dict[str, Any]:
    answer = _send(stack, bap, action, message, txn)
    assert (answer.status_code, answer.json()) == (200, ACK)
    return bap.wait_for(f"on_{action}", transaction_id=txn)


def _order(pid: str, point: dict[str, float]) -> dict[str, Any]:
    stop = {
        "type": "end",
        "location": {"gps": f"{point['lat']},{point['lng']}", "address": "Flat 4, near Hanuman Setu"},
        "contact": {"phone": "9123456780"},
        "person": {"name": "Meena"},
    }
    return {
        "order": {
            "provider": {"id": pid},
            "items": [{"id": SERVICE, "quantity": {"selected": {"count": 1}}}],
            "fulfillments": [{"id": "F1", "type": "Home-Service", "stops": [stop]}],
            "payments": [{"type": "ON-FULFILLMENT", "collected_by": "BPP"}],
        }
    }


def test_a_buyer_app_books_follows_and_rates_a_verified_professional(
    ondc_stack: Stack, bap: BuyerApp
) -> None:
    stack = ondc_stack
    shop = somewhere_in_lucknow()
    pro = stack.signed_up()
    aadhaar, _ = new_identity()
    pid = verified_professional(stack, pro, stack.as_demo("officer"), aadhaar, shop, SERVICE)
    go_online(pro, pid, shop)
    home = near(shop, 500)
    txn = str(uuid.uuid4())

    search = {
        "intent": {
            "fulfillment": {"stops": [{"type": "end", "location": {"gps": f"{home['lat']},{home['lng']}"}}]}
        }
    }
    providers = _exchange(stack, bap, "search", search, txn)["message"]["catalog"]["providers"]
    found = next(p for p in providers if p["id"] == pid)
    item = next(i for i in found["items"] if i["id"] == SERVICE)
    assert item["price"] == {"currency": "INR", "value": "200.00"}  # the rate card's fee

    assert (
        _exchange(stack, bap, "select", _order(pid, home), txn)["message"]["order"]["quote"]["price"]["value"]
        == "200.00"
    )
    _exchange(stack, bap, "init", _order(pid, home), txn)
    order = _exchange(stack, bap, "confirm", _order(pid, home), txn)["message"]["order"]
    booking_id = order["id"]
    code = order["fulfillments"][0]["stops"][0]["authorization"]["token"]
    assert order["status"] == "Created"
    assert (
        _exchange(stack, bap, "status", {"order_id": booking_id}, txn)["message"]["order"]["status"]
        == "Created"
    )

    for action, body, shown in (
        ("accept", None, "Accepted"),
        ("start", {"start_code": code}, "In-progress"),
        ("complete", {"amount_collected_paise": 20000}, "Completed"),
    ):
        step(pro, booking_id, action, body)
        bap.wait_for(
            "on_status", transaction_id=txn, where=lambda p, s=shown: p["message"]["order"]["status"] == s
        )

    _exchange(
        stack, bap, "rating", {"ratings": [{"rating_category": "Fulfillment", "id": "F1", "value": "5"}]}, txn
    )
    assert pro.ok("GET", f"/bookings/{booking_id}")["status"] == "completed"

    # An IGM issue about the order is a complaint; the officer's decision reaches the buyer app.
    issue = {
        "id": f"issue-{txn}",
        "refs": [{"ref_id": booking_id, "ref_type": "ORDER"}],
        "descriptor": {"code": "ITM004", "short_desc": "The switchboard sparks again"},
    }
    raised = _exchange(stack, bap, "issue", {"issue": issue}, txn)["message"]["issue"]
    assert raised["status"] == "PROCESSING"
    (complaint_id,) = [r["ref_id"] for r in raised["refs"] if r["ref_type"] == "COMPLAINT"]
    pro.ok("POST", f"/complaints/{complaint_id}/response", {"text": "It was fine when I left."}, status=201)
    stack.as_demo("officer").ok(
        "POST",
        f"/complaints/{complaint_id}/resolve",
        {"decision": "upheld", "remarks": "Rewiring was unsafe."},
    )
    told = bap.wait_for(
        "on_issue_status", transaction_id=txn, where=lambda p: p["message"]["issue"]["status"] == "RESOLVED"
    )
    assert told["message"]["issue"]["resolutions"][0]["descriptor"]["short_desc"] == "Complaint upheld"
    assert bap.refused == 0  # every callback verified against OndcSigningPublicKey


def test_unsigned_tampered_expired_and_replayed_requests_change_nothing(
    ondc_stack: Stack, bap: BuyerApp
) -> None:
    stack = ondc_stack
    txn = str(uuid.uuid4())
    search = {"intent": {"fulfillment": {"stops": [{"type": "end", "location": {"gps": "26.85,80.95"}}]}}}
    body, headers = bap.signed("search", search, transaction_id=txn, domain="ONDC:SRV11")
    url = stack.url("/ondc/search")

    unsigned = requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=10)
    tampered = requests.post(url, data=body.replace(b"26.85", b"26.86"), headers=headers, timeout=10)
    expired = requests.post(
        url,
        data=body,
        headers={**headers, "Authorization": bap.sign(body, now=int(time.time()) - 900)},
        timeout=10,
    )
    for refused in (unsigned, tampered, expired):
        assert refused.status_code == 401
        assert refused.json()["message"] == {"ack": {"status": "NACK"}}

    first = requests.post(url, data=body, headers=headers, timeout=10)
    replay = requests.post(url, data=body, headers=headers, timeout=10)
    assert (first.json(), replay.json()) == (ACK, ACK)
    bap.wait_for("on_search", transaction_id=txn)
    time.sleep(2)  # a second on_search would have arrived by now
    assert len([p for p in bap.received("on_search") if p["context"]["transaction_id"] == txn]) == 1


def test_outputs_publish_our_subscriber_and_key(ondc_stack: Stack) -> None:
    outputs = ondc_stack.outputs
    assert outputs["OndcSubscriberId"]
    assert outputs["OndcUniqueKeyId"]
    assert len(base64.b64decode(outputs["OndcSigningPublicKey"])) == 32
