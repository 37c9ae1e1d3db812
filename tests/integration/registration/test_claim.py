"""Claiming an assisted registration (issue 16): the managing account asks for a code, the code
goes by SMS to the registered mobile, and the account signed in with that phone claims the
professional with it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from local.provision import LocalResources
from sevamitra.data.models import IdentityModel, ProfessionalModel
from sevamitra.edge import pii
from sevamitra.platform.sms import LOCAL_OUTBOX
from tests.integration.conftest import Api, ApiResponse, claims_for
from tests.integration.registration.conftest import register, registration_body

OFFICER = ("officer-1", "officers")
WORKER = "worker-own-phone"


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> Any:
    LOCAL_OUTBOX.clear()
    yield
    LOCAL_OUTBOX.clear()


def with_phone(sub: str, mobile: str) -> dict[str, Any]:
    return {**claims_for(sub), "phone_number": pii.e164(mobile)}


def assisted(api: Api, seed: int) -> tuple[str, str]:
    """A professional an officer registered on their behalf: (id, registered mobile)."""
    body = registration_body(seed=seed, on_behalf=True)
    response = api("POST", "/professionals", body=body, claims=claims_for(*OFFICER))
    assert response.status == 201, response.body
    return str(response.body["id"]), str(body["mobile"])


def ask_code(api: Api, pid: str, claims: dict[str, Any] | None = None) -> ApiResponse:
    return api("POST", f"/professionals/{pid}/claim-code", claims=claims or claims_for(*OFFICER))


def code_sent_to(mobile: str) -> str:
    (message, *_) = reversed(LOCAL_OUTBOX.messages(pii.e164(mobile)))
    found = re.search(r"\b(\d{6})\b", message.body)
    assert found, message.body
    return found.group(1)


def claim(api: Api, pid: str, code: str, claims: dict[str, Any]) -> ApiResponse:
    return api("POST", f"/professionals/{pid}/claim", body={"code": code}, claims=claims)


def test_the_code_goes_by_sms_to_the_registered_mobile_and_claims_the_professional(
    api: Api, aws: LocalResources
) -> None:
    pid, mobile = assisted(api, 501)
    sent = ask_code(api, pid)
    assert sent.status == 201
    assert set(sent.body) == {"expires_at"}
    code = code_sent_to(mobile)
    stored = ProfessionalModel.get(pid)
    assert stored.claim_code_hash  # only its keyed hash
    assert code not in stored.claim_code_hash
    assert code not in str(stored.to_simple_dict())
    worker = with_phone(WORKER, mobile)
    assert api("GET", "/me", claims=worker).body.get("professional_id") is None

    claimed = claim(api, pid, code, worker)
    assert claimed.status == 200, claimed.body
    assert claimed.body == {"professional_id": pid, "account_sub": WORKER}
    assert api("GET", "/me", claims=worker).body["professional_id"] == pid
    # The account acts as the professional: its profile, and going online is now theirs alone.
    assert api("GET", f"/professionals/{pid}", claims=worker).status == 200
    stored = ProfessionalModel.get(pid)
    assert (stored.account_sub, stored.claim_code_hash) == (WORKER, None)
    assert IdentityModel.get(f"account#{WORKER}").professional_id == pid
    # A retry of the same claim answers the same; a second code cannot be asked for.
    assert claim(api, pid, code, worker).status == 200
    assert (ask_code(api, pid).status, ask_code(api, pid).error_code) == (409, "already_claimed")


def test_the_claim_is_on_the_professionals_audit_trail(api: Api, aws: LocalResources) -> None:
    pid, mobile = assisted(api, 502)
    ask_code(api, pid)
    claim(api, pid, code_sent_to(mobile), with_phone(WORKER, mobile))
    trail = api("GET", f"/professionals/{pid}/audit", claims=claims_for(*OFFICER)).body["entries"]
    assert [(e["action"], e["actor"]) for e in trail] == [
        ("claim_code_sent", "officer-1"),
        ("claimed", WORKER),
    ]


def test_a_wrong_code_is_422_and_five_wrong_codes_lock_the_claim(api: Api, aws: LocalResources) -> None:
    pid, mobile = assisted(api, 503)
    ask_code(api, pid)
    code = code_sent_to(mobile)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    worker = with_phone(WORKER, mobile)
    for _ in range(5):
        response = claim(api, pid, wrong, worker)
        assert (response.status, response.error_code) == (422, "wrong_claim_code")
    locked = claim(api, pid, code, worker)  # even the right code, now
    assert (locked.status, locked.error_code) == (409, "claim_locked")
    assert ProfessionalModel.get(pid).account_sub is None
    # The manager sends a new code: a fresh count.
    ask_code(api, pid)
    assert claim(api, pid, code_sent_to(mobile), worker).status == 200


def test_another_phone_is_403_and_burns_no_tries(api: Api, aws: LocalResources) -> None:
    pid, mobile = assisted(api, 504)
    ask_code(api, pid)
    code = code_sent_to(mobile)
    for claims in (with_phone("stranger", "9898989898"), claims_for("no-phone")):
        refused = claim(api, pid, code, claims)
        assert refused.status == 403
    assert ProfessionalModel.get(pid).claim_wrong == 0
    assert claim(api, pid, code, with_phone(WORKER, mobile)).status == 200


def test_an_expired_code_is_refused(api: Api, aws: LocalResources) -> None:
    pid, mobile = assisted(api, 505)
    ask_code(api, pid)
    code = code_sent_to(mobile)
    ProfessionalModel.get(pid).update(
        actions=[ProfessionalModel.claim_expires_at.set("2020-01-01T00:00:00Z")]
    )
    expired = claim(api, pid, code, with_phone(WORKER, mobile))
    assert (expired.status, expired.error_code) == (422, "wrong_claim_code")
    assert "new" in expired.body["error"]["message"]


def test_only_the_managing_account_may_ask_for_a_code(api: Api, aws: LocalResources) -> None:
    pid, mobile = assisted(api, 506)
    for claims in (claims_for("citizen-9"), with_phone(WORKER, mobile), claims_for("officer-2", "officers")):
        assert ask_code(api, pid, claims).status == 403
    assert LOCAL_OUTBOX.messages() == []
    assert ask_code(api, "pro_missing").status == 404
    assert api("POST", f"/professionals/{pid}/claim-code").status == 401


def test_a_self_registered_professional_has_nothing_to_claim(api: Api, aws: LocalResources) -> None:
    own = register(api, "self-1", seed=507)
    pid = own.body["id"]
    response = ask_code(api, pid, claims_for("self-1"))
    assert (response.status, response.error_code) == (409, "already_claimed")


def test_an_account_that_already_is_a_professional_cannot_claim_another(
    api: Api, aws: LocalResources
) -> None:
    pid, mobile = assisted(api, 508)
    register(api, WORKER, seed=509)  # the worker had registered themself too (another number)
    ask_code(api, pid)
    response = claim(api, pid, code_sent_to(mobile), with_phone(WORKER, mobile))
    assert (response.status, response.error_code) == (409, "already_registered")
    assert ProfessionalModel.get(pid).account_sub is None


def test_a_malformed_code_is_422(api: Api, aws: LocalResources) -> None:
    pid, mobile = assisted(api, 510)
    for code in ("12345", "abcdef", "1234567"):
        response = claim(api, pid, code, with_phone(WORKER, mobile))
        assert (response.status, response.error_code) == (422, "validation_error")
