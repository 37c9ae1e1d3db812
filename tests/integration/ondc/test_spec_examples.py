"""The specification's own example requests (data/ondc/examples), sent by our test buyer app as
its own (its bap_id and bap_uri, our bpp_id, signed): each is acknowledged and answered by a
callback that passes the specification's schema (the examples name providers and items that are
not ours, so the answers are mostly refusals in the Beckn error shape)."""

from __future__ import annotations

import json

import pytest

from tests import ondc_schema

INBOUND = [
    p
    for p in ondc_schema.examples()
    if p.parent.name in ("search", "select", "init", "confirm", "status", "cancel")
]


@pytest.mark.parametrize("path", INBOUND, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_specifications_example_request_is_acknowledged_and_answered(network, path):
    example = json.loads(path.read_text(encoding="utf-8"))
    action = example["context"]["action"]
    context = network.bap.context(
        action, example["context"]["transaction_id"], domain=example["context"]["domain"]
    )
    example["context"] = {**example["context"], **context, "bpp_id": "sevamitra.local"}
    body = json.dumps(example).encode()
    answer = network.post(action, body, {"Authorization": network.bap.sign(body)})
    assert (answer.status, answer.body) == (200, {"message": {"ack": {"status": "ACK"}}})
    network.work()
    callback = network.bap.wait_for(f"on_{action}", timeout_s=5)
    assert callback["context"]["message_id"] == context["message_id"]
