"""Unsigned, tampered, expired, foreign or malformed requests get a NACK and change nothing:
nothing is claimed and nothing is queued."""

from __future__ import annotations

import time

import pytest

from tests.integration.geo_seed import LUCKNOW
from tests.integration.ondc.conftest import order_message, search_message

NACK = {"ack": {"status": "NACK"}}


def _refused(network, answer, status: int, code: str) -> None:
    assert answer.status == status, answer.body
    assert answer.body["message"] == NACK
    assert answer.body["error"]["code"] == code
    assert network.work() == 0  # nothing queued


def test_an_unsigned_request_is_401_nack(network):
    body, headers = network.bap.signed("search", search_message(*LUCKNOW), transaction_id="t1")
    del headers["Authorization"]
    answer = network.post("search", body, headers)
    _refused(network, answer, 401, "invalid_signature")
    assert answer.headers["WWW-Authenticate"].startswith('Signature realm="sevamitra.local"')


def test_a_tampered_body_is_401_nack(network):
    body, headers = network.bap.signed("search", search_message(*LUCKNOW), transaction_id="t1")
    _refused(network, network.post("search", body.replace(b"t1", b"t2"), headers), 401, "invalid_signature")


@pytest.mark.parametrize(
    ("created_ago", "ttl"), [(400, 300), (-600, 300), (0, 7200)], ids=["expired", "future", "too-long"]
)
def test_a_signature_outside_its_window_is_401_nack(network, created_ago, ttl):
    body, _ = network.bap.signed("search", search_message(*LUCKNOW), transaction_id="t1")
    header = network.bap.sign(body, now=int(time.time()) - created_ago, ttl_s=ttl)
    _refused(network, network.post("search", body, {"Authorization": header}), 401, "invalid_signature")


def test_a_key_the_registry_does_not_know_is_401_nack(network):
    network.bap.unique_key_id = "rotated-away"
    body, headers = network.bap.signed("search", search_message(*LUCKNOW), transaction_id="t1")
    _refused(network, network.post("search", body, headers), 401, "invalid_signature")


def test_a_callback_url_the_buyer_app_did_not_register_is_403_nack(network):
    body, _ = network.bap.signed("search", search_message(*LUCKNOW), transaction_id="t1")
    forged = body.replace(network.bap.subscriber_url.encode(), b"http://169.254.169.254/latest")
    _refused(
        network,
        network.post("search", forged, {"Authorization": network.bap.sign(forged)}),
        403,
        "bap_uri_mismatch",
    )


def test_a_body_without_its_message_is_400_nack(network):
    body, headers = network.bap.signed("confirm", {}, transaction_id="t1")
    _refused(network, network.post("confirm", body, headers), 400, "validation_error")


def test_an_action_sent_to_another_route_is_400_nack(network):
    body, headers = network.bap.signed("search", order_message("pro_1"), transaction_id="t1")
    _refused(network, network.post("select", body, headers), 400, "validation_error")


def test_a_domain_we_do_not_serve_is_400_nack(network):
    body, headers = network.bap.signed(
        "search", search_message(*LUCKNOW), transaction_id="t1", domain="ONDC:RET10"
    )
    _refused(network, network.post("search", body, headers), 400, "validation_error")
