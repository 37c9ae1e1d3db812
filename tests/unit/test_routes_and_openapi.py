"""Routes are declared once: each function's resolver serves exactly its rows, and the served
OpenAPI document describes every declared route and is up to date."""

from __future__ import annotations

import pytest

from local.dispatch import handler_module
from local.openapi import build_document, render
from sevamitra.edge import openapi
from sevamitra.edge.routes import ROUTES, Function, routes_of


def _served_routes(function: Function) -> set[tuple[str, str]]:
    app = handler_module(function).app
    served = set()
    for route_key in app._static_routes + app._dynamic_routes:
        served.add((route_key.method, route_key.openapi_path))
    return served


@pytest.mark.parametrize("function", list(Function))
def test_function_serves_exactly_its_declared_routes(function: Function) -> None:
    declared = {(r.method, r.path) for r in routes_of(function)}
    assert _served_routes(function) == declared


def test_every_declared_route_is_in_the_openapi_document() -> None:
    paths = openapi.document()["paths"]
    missing = [f"{r.method} {r.path}" for r in ROUTES if r.method.lower() not in paths.get(r.path, {})]
    assert missing == []


def test_served_openapi_document_is_generated_from_current_models() -> None:
    assert openapi.document() == build_document(), "run `make openapi` and commit the result"
    assert render(openapi.document()).endswith("\n")


def test_protected_routes_declare_cognito_security() -> None:
    expected = {
        "cognito": [{"cognito": []}],
        "public": [],
        "police_signature": [{"policeSignature": []}],
        "ondc_signature": [{"ondcSignature": []}],
    }
    paths = openapi.document()["paths"]
    for route in ROUTES:
        assert paths[route.path][route.method.lower()]["security"] == expected[route.auth]
