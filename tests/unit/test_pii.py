"""Identity reduction: a keyed hash and the last 4 digits, the key fetched once."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator

import pytest

from sevamitra.edge import pii
from sevamitra.edge.errors import DependencyFailed
from sevamitra.platform import keys

AADHAAR = "234123412346"
MOBILE = "9876543210"


@pytest.fixture
def fetches(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    calls: list[str] = []

    def fake_fetch(secret_id: str, what: str) -> bytes:
        calls.append(secret_id)
        return b"unit-test-key"

    pii.clear_key_cache()
    monkeypatch.setattr(keys, "fetch_secret", fake_fetch)
    yield calls
    pii.clear_key_cache()


def test_aadhaar_identity_is_hmac_sha256_with_domain_and_last4(fetches: list[str]) -> None:
    digest, last4 = pii.aadhaar_identity(AADHAAR)
    expected = hmac.new(b"unit-test-key", f"aadhaar:{AADHAAR}".encode(), hashlib.sha256).hexdigest()
    assert (digest, last4) == (expected, "2346")
    assert AADHAAR not in digest


def test_same_digits_hash_differently_as_aadhaar_and_as_mobile(fetches: list[str]) -> None:
    assert (
        pii.mobile_identity(MOBILE).hash != hmac.new(b"unit-test-key", MOBILE.encode(), "sha256").hexdigest()
    )
    assert pii.mobile_identity("9999999999").hash != pii.aadhaar_identity("9999999999").hash
    assert pii.mobile_identity(MOBILE).last4 == "3210"


def test_hash_is_stable_so_identities_can_be_looked_up_again(fetches: list[str]) -> None:
    assert pii.aadhaar_identity(AADHAAR) == pii.aadhaar_identity(AADHAAR)


def test_key_is_fetched_once_per_execution_environment(fetches: list[str]) -> None:
    for _ in range(5):
        pii.aadhaar_identity(AADHAAR)
        pii.mobile_identity(MOBILE)
    assert fetches == ["sevamitra-test/identity-key"]


def test_key_fetch_failure_is_a_dependency_failure_and_is_retried_next_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pii.clear_key_cache()
    outcomes: list[object] = [DependencyFailed(), b"k"]

    def flaky(_: str, what: str) -> bytes:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        assert isinstance(outcome, bytes)
        return outcome

    monkeypatch.setattr(keys, "fetch_secret", flaky)
    with pytest.raises(DependencyFailed) as failure:
        pii.aadhaar_identity(AADHAAR)
    assert failure.value.status == 503
    assert pii.aadhaar_identity(AADHAAR).last4 == "2346"
    pii.clear_key_cache()
