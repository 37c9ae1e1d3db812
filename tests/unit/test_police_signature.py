"""The police callback signature: HMAC-SHA256 over "<t>.<raw body>", five minutes either way."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from sevamitra.edge.errors import Unauthorized
from sevamitra.edge.signing import TOLERANCE_S, sign, verify

KEY = b"shared-police-secret"
NOW = 1_790_000_000
BODY = b'{"request_id":"vrq_1","result":"clear"}'


def test_signature_made_as_documented_is_accepted() -> None:
    digest = hmac.new(KEY, f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()

    verify(f"t={NOW},v1={digest}", BODY, KEY, NOW)


def test_signature_with_spaces_and_upper_case_hex_is_accepted() -> None:
    digest = hmac.new(KEY, f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest().upper()

    verify(f"t={NOW}, v1={digest}", BODY, KEY, NOW)


def test_one_valid_signature_among_several_is_enough_for_key_rotation() -> None:
    good = sign(KEY, NOW, BODY).split("v1=")[1]

    verify(f"t={NOW},v1={'0' * 64},v1={good}", BODY, KEY, NOW)


@pytest.mark.parametrize("skew", [-TOLERANCE_S, 0, TOLERANCE_S])
def test_timestamp_within_tolerance_is_accepted(skew: int) -> None:
    verify(sign(KEY, NOW + skew, BODY), BODY, KEY, NOW)


@pytest.mark.parametrize("skew", [-TOLERANCE_S - 1, TOLERANCE_S + 1, -86_400])
def test_timestamp_beyond_tolerance_is_refused(skew: int) -> None:
    with pytest.raises(Unauthorized) as refused:
        verify(sign(KEY, NOW + skew, BODY), BODY, KEY, NOW)
    assert refused.value.code == "invalid_signature"


def test_other_key_is_refused() -> None:
    with pytest.raises(Unauthorized):
        verify(sign(b"someone-else", NOW, BODY), BODY, KEY, NOW)


def test_changed_body_is_refused() -> None:
    with pytest.raises(Unauthorized):
        verify(sign(KEY, NOW, BODY), BODY.replace(b"clear", b"adverse"), KEY, NOW)


def test_signature_for_another_timestamp_is_refused() -> None:
    digest = sign(KEY, NOW - 10, BODY).split("v1=")[1]

    with pytest.raises(Unauthorized):
        verify(f"t={NOW},v1={digest}", BODY, KEY, NOW)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "garbage",
        f"t={NOW}",
        "v1=" + "a" * 64,
        f"t=abc,v1={'a' * 64}",
        f"t={NOW},v1=xyz",
        f"t={NOW},v1={'a' * 63}",
        f"t={NOW},t={NOW},v1={'a' * 64}",
        f"t={NOW};v1={'a' * 64}",
        f"t=-{NOW},v1={'a' * 64}",
        f"t={NOW},v1={'a' * 64}," * 6,
    ],
)
def test_missing_or_malformed_header_is_refused(header: str | None) -> None:
    with pytest.raises(Unauthorized) as refused:
        verify(header, BODY, KEY, NOW)
    assert refused.value.code == "invalid_signature"
