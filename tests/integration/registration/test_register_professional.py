"""POST /professionals through API Gateway events: validation, identities, bans, idempotency."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pynamodb.connection.base import Connection
from pynamodb.exceptions import TransactWriteError

from local.provision import cached_client
from register import logic
from register.models import RegisterProfessionalIn
from sevamitra.data import identities
from sevamitra.data.identities import IdentityKind
from sevamitra.data.models import IdentityModel
from sevamitra.edge import pii
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import DomainError
from sevamitra.platform.settings import settings
from tests.integration import concurrency
from tests.integration.conftest import Api, claims_for
from tests.integration.registration.conftest import register, registration_body
from tests.integration.support import approved_agency, make_aadhaar, make_mobile, table_items


def test_self_registration_is_201_pending_documents_with_last4_only(api: Api) -> None:
    body = registration_body(seed=501)
    response = api("POST", "/professionals", body=body, claims=claims_for("citizen-501"))
    assert response.status == 201
    assert response.body["status"] == "pending_documents"
    assert response.body["id"].startswith("pro_")
    assert response.body["aadhaar_last4"] == body["aadhaar"][-4:]
    assert response.body["mobile_last4"] == body["mobile"][-4:]
    assert body["aadhaar"] not in str(response.body)
    assert body["mobile"] not in str(response.body)
    me = api("GET", "/me", claims=claims_for("citizen-501")).body
    assert me["professional_id"] == response.body["id"]


def test_identity_items_are_keyed_by_hmac_and_point_at_the_professional(api: Api) -> None:
    body = registration_body(seed=502)
    professional_id = register(api, "citizen-502", seed=502).body["id"]
    aadhaar_hash = pii.aadhaar_identity(body["aadhaar"]).hash
    mobile_hash = pii.mobile_identity(body["mobile"]).hash
    for pk in (f"aadhaar#{aadhaar_hash}", f"mobile#{mobile_hash}", "account#citizen-502"):
        assert IdentityModel.get(pk).professional_id == professional_id


def test_second_registration_of_same_aadhaar_is_409(api: Api) -> None:
    assert register(api, "citizen-a", seed=510).status == 201
    again = register(api, "citizen-b", seed=510, mobile=make_mobile(9510))
    assert (again.status, again.error_code) == (409, "duplicate_identity")


def test_second_registration_of_same_mobile_is_409(api: Api) -> None:
    assert register(api, "citizen-a", seed=511).status == 201
    again = register(api, "citizen-b", seed=511, aadhaar=make_aadhaar(9511))
    assert (again.status, again.error_code) == (409, "duplicate_identity")
    assert len(table_items("professionals")) == 1
    assert len(table_items("identities")) == 3  # nothing of the refused registration


def test_an_account_registers_itself_only_once(api: Api) -> None:
    assert register(api, "citizen-c", seed=512).status == 201
    again = register(api, "citizen-c", seed=513)
    assert (again.status, again.error_code) == (409, "already_registered")
    assert len(table_items("professionals")) == 1


def _ban(kind: str, digest: str) -> None:
    """The ban registry's entry, written the way the complaints function will write it."""
    IdentityModel(
        pk=f"ban#{kind}#{digest}", professional_id="pro_banned", created_at="2026-01-01T00:00:00Z"
    ).save()


@pytest.mark.parametrize("kind", ["aadhaar", "mobile"])
def test_banned_identity_is_403_and_nothing_is_written(api: Api, kind: str) -> None:
    body = registration_body(seed=520)
    digest = (
        pii.aadhaar_identity(body["aadhaar"]) if kind == "aadhaar" else pii.mobile_identity(body["mobile"])
    ).hash
    _ban(kind, digest)
    assert identities.is_banned(IdentityKind(kind), digest)
    other = IdentityKind.MOBILE if kind == "aadhaar" else IdentityKind.AADHAAR
    assert not identities.is_banned(other, digest)
    response = api("POST", "/professionals", body=body, claims=claims_for("citizen-520"))
    assert (response.status, response.error_code) == (403, "banned")
    assert table_items("professionals") == []
    assert len(table_items("identities")) == 1


def test_a_banned_aadhaar_spelt_in_devanagari_digits_is_refused_not_registered_anew(api: Api) -> None:
    body = registration_body(seed=521)
    _ban("aadhaar", pii.aadhaar_identity(body["aadhaar"]).hash)
    aadhaar = body["aadhaar"]
    body["aadhaar"] = aadhaar[0] + "".join(chr(0x966 + int(d)) for d in aadhaar[1:])
    response = api("POST", "/professionals", body=body, claims=claims_for("citizen-521"))
    assert (response.status, response.error_code) == (422, "validation_error")
    assert table_items("professionals") == []


_INVALID = [
    ({"mobile": "5876543210"}, ["body", "mobile"], "validation_error"),
    ({"mobile": "98765"}, ["body", "mobile"], "validation_error"),
    ({"aadhaar": "123412341234"}, ["body", "aadhaar"], "validation_error"),
    ({"services": ["unknown_thing"]}, ["body", "services", 0], "validation_error"),
    ({"services": []}, ["body", "services"], "validation_error"),
    (
        {"services": ["electrician_house_wiring_per_room"], "qualification": {"kind": "none"}},
        ["body", "qualification"],
        "validation_error",
    ),
    ({"location": {"lat": 19.07, "lng": 72.87}}, ["body", "location"], "out_of_service_area"),
]


def test_invalid_registration_is_422_naming_the_field(api: Api) -> None:
    # One moto stack for all cases: each case is independent (nothing is written on a 422).
    for overrides, loc, code in _INVALID:
        response = register(api, "citizen-422", **overrides)
        assert (response.status, response.error_code) == (422, code), overrides
        assert loc in [d["loc"] for d in response.body["error"]["details"]], overrides
    assert table_items("professionals") == []


def test_missing_qualification_for_a_service_that_requires_one_is_422(api: Api) -> None:
    body = registration_body(services=["electrician_house_wiring_per_room"])
    del body["qualification"]
    response = api("POST", "/professionals", body=body, claims=claims_for("citizen-q"))
    assert response.status == 422
    assert response.body["error"]["details"][0]["type"] == "qualification_required"


def test_invalid_aadhaar_is_never_echoed_in_the_422(api: Api) -> None:
    good = make_aadhaar(530)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    response = register(api, "citizen-530", aadhaar=bad)
    assert response.status == 422
    assert bad not in str(response.body)
    assert "input" not in response.body["error"]["details"][0]


def test_registration_without_token_is_401(api: Api) -> None:
    response = api("POST", "/professionals", body=registration_body())
    assert (response.status, response.error_code) == (401, "unauthorized")


def test_malformed_json_is_400_and_oversized_body_is_413(api: Api) -> None:
    claims = claims_for("citizen-x")
    assert api("POST", "/professionals", body='{"name": ', claims=claims).status == 400
    assert api("POST", "/professionals", body="[1, 2]", claims=claims).status == 400
    huge = registration_body(name="x" * 70_000)
    assert api("POST", "/professionals", body=huge, claims=claims).status == 413


def test_identity_key_unavailable_is_503_and_nothing_is_written(api: Api) -> None:
    cached_client("secretsmanager", settings().aws_region).delete_secret(
        SecretId=settings().identity_key_secret_arn, ForceDeleteWithoutRecovery=True
    )
    pii.clear_key_cache()
    response = register(api, "citizen-503")
    assert (response.status, response.error_code) == (503, "dependency_unavailable")
    assert table_items("professionals") == []


def test_dynamodb_failure_is_503_and_nothing_is_written(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*_: Any, **__: Any) -> None:
        cause = ClientError(
            {"Error": {"Code": "InternalServerError", "Message": "boom"}}, "TransactWriteItems"
        )
        raise TransactWriteError("Failed to write transaction items", cause=cause)

    monkeypatch.setattr(Connection, "transact_write_items", failing)
    response = register(api, "citizen-504")
    assert (response.status, response.error_code) == (503, "dependency_unavailable")
    assert table_items("professionals") == []


# --- Idempotency-Key --------------------------------------------------------------------------


def test_retry_with_same_idempotency_key_returns_first_response_and_creates_nothing(api: Api) -> None:
    body = registration_body(seed=540)
    headers = {"Idempotency-Key": "reg-540"}
    first = api("POST", "/professionals", body=body, claims=claims_for("citizen-540"), headers=headers)
    retry = api("POST", "/professionals", body=body, claims=claims_for("citizen-540"), headers=headers)
    assert first.status == retry.status == 201
    assert retry.body == first.body
    assert len(table_items("professionals")) == 1
    assert len(table_items("idempotency")) == 1


def test_same_request_without_the_key_is_a_new_attempt(api: Api) -> None:
    body = registration_body(seed=541)
    first = api(
        "POST", "/professionals", body=body, claims=claims_for("c-541"), headers={"Idempotency-Key": "k"}
    )
    assert first.status == 201
    again = api("POST", "/professionals", body=body, claims=claims_for("c-541"))
    assert again.status == 409


def test_idempotency_key_is_scoped_to_the_caller(api: Api) -> None:
    body = registration_body(seed=542)
    headers = {"Idempotency-Key": "shared"}
    assert api("POST", "/professionals", body=body, claims=claims_for("c-a"), headers=headers).status == 201
    other = api("POST", "/professionals", body=body, claims=claims_for("c-b"), headers=headers)
    assert (other.status, other.error_code) == (409, "duplicate_identity")


# --- assisted registration --------------------------------------------------------------------


def test_member_of_approved_agency_registers_on_behalf(api: Api) -> None:
    agency_id = approved_agency(api, owner="agency-owner")
    response = register(api, "agency-owner", on_behalf=True)
    assert response.status == 201
    assert response.body["agency_id"] == agency_id
    professional = api("GET", f"/professionals/{response.body['id']}", claims=claims_for("agency-owner"))
    assert professional.status == 200
    # On-behalf does not make the agency member a professional.
    assert api("GET", "/me", claims=claims_for("agency-owner")).body.get("professional_id") is None


def test_member_of_pending_agency_may_not_register_on_behalf(api: Api) -> None:
    created = api(
        "POST",
        "/agencies",
        body={
            "name": "New",
            "udyam_number": "UDYAM-UP-01-0000001",
            "district": "Agra",
            "contact_mobile": "9000000001",
        },
        claims=claims_for("pending-owner"),
    )
    assert created.status == 201
    response = register(api, "pending-owner", on_behalf=True)
    assert (response.status, response.error_code) == (403, "forbidden")
    explicit = register(api, "pending-owner", on_behalf=True, agency_id=created.body["id"])
    assert explicit.status == 403
    assert table_items("professionals") == []


def test_officer_registers_on_behalf_and_then_manages(api: Api) -> None:
    response = register(api, "block-officer", "officers", on_behalf=True)
    assert response.status == 201
    assert response.body.get("agency_id") is None
    upload = api(
        "POST",
        f"/professionals/{response.body['id']}/documents",
        body={"kind": "id_proof", "content_type": "image/jpeg", "size_bytes": 1000},
        claims=claims_for("block-officer", "officers"),
    )
    assert upload.status == 201


def test_random_citizen_may_not_register_on_behalf(api: Api) -> None:
    response = register(api, "random-citizen", on_behalf=True)
    assert (response.status, response.error_code) == (403, "forbidden")


def test_citizen_may_not_claim_someone_elses_agency(api: Api) -> None:
    agency_id = approved_agency(api, owner="agency-owner-2")
    response = register(api, "intruder", on_behalf=True, agency_id=agency_id)
    assert response.status == 403


# --- races ------------------------------------------------------------------------------------


@pytest.fixture
def atomic_transactions(monkeypatch: pytest.MonkeyPatch) -> threading.Barrier:
    """Two racers, transactions atomic as on DynamoDB (see tests/integration/concurrency.py)."""
    return concurrency.atomic_transactions(monkeypatch, parties=2)


def _race(bodies: list[dict[str, Any]]) -> list[str | int]:
    outcomes: list[str | int] = []

    def attempt(index: int, body: dict[str, Any]) -> None:
        registration = logic.reduce_identities(RegisterProfessionalIn.model_validate(body))
        try:
            logic.register_professional(Caller(f"racer-{index}", frozenset()), registration)
            outcomes.append(201)
        except DomainError as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=attempt, args=(i, body)) for i, body in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return sorted(outcomes, key=str)


def test_two_concurrent_registrations_of_one_aadhaar_exactly_one_wins(
    aws: object, atomic_transactions: threading.Barrier
) -> None:
    bodies = [registration_body(seed=560), registration_body(seed=560, mobile=make_mobile(9560))]
    assert _race(bodies) == [201, "duplicate_identity"]
    assert len(table_items("professionals")) == 1


def test_two_concurrent_registrations_of_one_mobile_exactly_one_wins(
    aws: object, atomic_transactions: threading.Barrier
) -> None:
    bodies = [registration_body(seed=561), registration_body(seed=561, aadhaar=make_aadhaar(9561))]
    assert _race(bodies) == [201, "duplicate_identity"]
    professionals = table_items("professionals")
    identities = table_items("identities")
    assert len(professionals) == 1
    winner = professionals[0]["id"]["S"]
    assert {item["professional_id"]["S"] for item in identities} == {winner}


def test_ban_racing_a_registration_never_lets_a_banned_identity_in(
    api: Api, atomic_transactions: threading.Barrier
) -> None:
    body = registration_body(seed=562)
    digest = pii.aadhaar_identity(body["aadhaar"]).hash
    outcomes: list[str | int] = []

    def ban_in_a_transaction() -> None:
        client = cached_client("dynamodb", settings().aws_region)
        client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": IdentityModel.Meta.table_name,
                        "Item": {
                            "pk": {"S": f"ban#aadhaar#{digest}"},
                            "professional_id": {"S": "pro_x"},
                            "created_at": {"S": "2026-11-27T10:00:00Z"},
                        },
                    }
                }
            ]
        )

    def registers() -> None:
        registration = logic.reduce_identities(RegisterProfessionalIn.model_validate(body))
        try:
            logic.register_professional(Caller("racer", frozenset()), registration)
            outcomes.append(201)
        except DomainError as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=ban_in_a_transaction), threading.Thread(target=registers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    # Either order is possible; both orders are consistent: banned before, or registered before the ban.
    assert outcomes in ([201], ["banned"])
    if outcomes == ["banned"]:
        assert table_items("professionals") == []
