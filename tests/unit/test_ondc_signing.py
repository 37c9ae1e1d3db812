"""Beckn signing (ondc.signing) against the known vector of BECKN-006 ("Signing Beckn APIs in
HTTP", beckn/protocol-specifications): its body, keys, digest and signature."""

from __future__ import annotations

import pytest

from sevamitra.edge import beckn_signing as signing
from sevamitra.edge.errors import Unauthorized

# From BECKN-006, step 1 ("BAP signs request and calls BG").
BODY = (
    b'{"context":{"domain":"nic2004:60212","country":"IND","city":"Kochi","action":"search",'
    b'"core_version":"0.9.1","bap_id":"bap.stayhalo.in","bap_uri":"https://8f9f-49-207-209-131.ngrok.io/protocol/",'
    b'"transaction_id":"e6d9f908-1d26-4ff3-a6d1-3af3d3721054","message_id":"a2fe6d52-9fe4-4d1a-9d0b-dccb8b48522d",'
    b'"timestamp":"2022-01-04T09:17:55.971Z","ttl":"P1M"},"message":{"intent":{"fulfillment":{"start":'
    b'{"location":{"gps":"10.108768, 76.347517"}},"end":{"location":{"gps":"10.102997, 76.353480"}}}}}}'
)
PUBLIC = "awGPjRK6i/Vg/lWr+0xObclVxlwZXvTjWYtlu6NeOHk="
PRIVATE = "lP3sHA+9gileOkXYJXh4Jg8tK0gEEMbf9yCPnFpbldhrAY+NErqL9WD+Vav7TE5tyVXGXBle9ONZi2W7o144eQ=="
DIGEST = "BLAKE-512=b6lf6lRgOweajukcvcLsagQ2T60+85kRh/Rd2bdS+TG/5ALebOEgDJfyCrre/1+BMu5nA94o4DT3pTFXuUg7sw=="
SIGNATURE = "cjbhP0PFyrlSCNszJM1F/YmHDVAWsZqJUPzojnE/7TJU3fJ/rmIlgaUHEr5E0/2PIyf0tpSnWtT6cyNNlpmoAQ=="
CREATED, EXPIRES = 1641287875, 1641291475
KEY_ID = signing.KeyId("example-bap.com", "ae3ea24b-cfec-495e-81f8-044aaef164ac")
HEADER = (
    f'Signature keyId="{KEY_ID.subscriber_id}|{KEY_ID.unique_key_id}|ed25519",algorithm="ed25519",'
    f'created="{CREATED}",expires="{EXPIRES}",headers="(created) (expires) digest",signature="{SIGNATURE}"'
)


def _known(key_id: signing.KeyId) -> str | None:
    return PUBLIC if key_id == KEY_ID else None


def test_the_digest_and_signature_are_the_specifications():
    assert signing.digest(BODY) == DIGEST
    key = signing.private_key(PRIVATE)
    assert signing.public_key_b64(key) == PUBLIC
    assert signing.sign(BODY, key, KEY_ID, CREATED, ttl_s=EXPIRES - CREATED) == HEADER


def test_the_specifications_header_verifies_inside_its_window():
    assert signing.verify(HEADER, BODY, _known, CREATED + 10) == KEY_ID


@pytest.mark.parametrize(
    ("header", "body", "now"),
    [
        (None, BODY, CREATED),  # no header
        (HEADER, BODY + b" ", CREATED),  # the body changed
        (HEADER.replace('created="1641287875"', 'created="1641287876"'), BODY, CREATED),  # header changed
        (HEADER, BODY, EXPIRES + 1),  # expired
        (HEADER, BODY, CREATED - signing.CLOCK_SKEW_S - 1),  # not yet valid
        (HEADER.replace("example-bap.com", "other.example"), BODY, CREATED),  # a key we do not know
        (HEADER.replace('algorithm="ed25519"', 'algorithm="rsa"'), BODY, CREATED),
        (HEADER.replace("Signature ", "Bearer "), BODY, CREATED),
        ('Signature keyId="a|b|ed25519"', BODY, CREATED),  # parameters missing
        (HEADER.replace(SIGNATURE, "not base64!"), BODY, CREATED),
    ],
    ids=[
        "missing",
        "body",
        "header",
        "expired",
        "future",
        "unknown-key",
        "algorithm",
        "scheme",
        "partial",
        "garbage",
    ],
)
def test_anything_else_is_refused(header, body, now):
    with pytest.raises(Unauthorized) as refused:
        signing.verify(header, body, _known, now)
    assert refused.value.code == "invalid_signature"


def test_a_signature_by_another_key_is_refused():
    other = signing.private_key("A" * 43 + "=")
    header = signing.sign(BODY, other, KEY_ID, CREATED)
    with pytest.raises(Unauthorized):
        signing.verify(header, BODY, _known, CREATED)
