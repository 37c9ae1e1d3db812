"""The foundation routes through API Gateway events: health, rate card, /me, and the error contract."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Api, claims_for


def test_health_is_ok(api: Api) -> None:
    response = api("GET", "/health")
    assert (response.status, response.body) == (200, {"status": "ok"})


def test_services_lists_the_rate_card_with_integer_fees(api: Api) -> None:
    services = api("GET", "/services").body["services"]
    assert len(services) >= 25
    first = services[0]
    assert set(first) == {
        "id", "name", "category", "fee_paise", "duration_minutes", "requires_qualification", "skill"
    }  # fmt: skip
    assert {s["skill"] for s in services} <= {"unskilled", "semi_skilled", "skilled", "highly_skilled"}
    assert isinstance(first["fee_paise"], int)
    assert set(first["name"]) == {"en", "hi"}


@pytest.mark.parametrize(("query", "category"), [("plumb", "plumber"), ("बिजली", "electrician")])
def test_services_query_filters_by_english_or_hindi_name(api: Api, query: str, category: str) -> None:
    services = api("GET", "/services", query={"q": query}).body["services"]
    assert services
    assert {s["category"] for s in services} == {category}


def test_overlong_query_is_422_in_error_shape(api: Api) -> None:
    response = api("GET", "/services", query={"q": "x" * 500})
    assert response.status == 422
    assert response.error_code == "validation_error"
    assert response.body["error"]["details"][0]["loc"] == ["query", "q"]


def test_openapi_document_is_served(api: Api) -> None:
    document = api("GET", "/openapi.json").body
    assert document["openapi"].startswith("3.")
    assert "/services" in document["paths"]


def test_me_without_token_is_401_in_error_shape(api: Api) -> None:
    response = api("GET", "/me")
    assert response.status == 401
    assert set(response.body["error"]) == {"code", "message", "details"}
    assert response.error_code == "unauthorized"


def test_me_reports_roles_from_cognito_groups(api: Api) -> None:
    response = api("GET", "/me", claims=claims_for("user-1", "officers"))
    assert response.status == 200
    assert response.body["sub"] == "user-1"
    assert response.body["roles"] == ["citizen", "officers"]
    assert response.body.get("professional_id") is None


def test_unknown_route_is_404_in_error_shape(api: Api) -> None:
    from local.dispatch import invoke
    from local.proxy_events import rest_event

    response = invoke("match", rest_event("GET", "/nothing-here"))
    assert response["statusCode"] == 404
    assert '"route_not_found"' in response["body"]


def test_hindi_error_messages_with_accept_language(api: Api) -> None:
    response = api("GET", "/me", headers={"Accept-Language": "hi-IN,hi;q=0.9"})
    assert response.status == 401
    assert response.body["error"]["message"] == "इस सेवा के लिए साइन इन करें।"
