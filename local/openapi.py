"""Build the one OpenAPI document for all routes of all functions (``make openapi``).

Each function's Powertools resolver describes its own routes from the pydantic models it
validates with; this merges them, adds the security of each route from ``sevamitra.edge.routes`` and
the API.md error shape, and writes ``layers/common/python/sevamitra/edge/openapi.json``.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from sevamitra.edge.routes import ROUTES, Auth, Function

TARGET = Path(__file__).resolve().parents[1] / "layers/common/python/sevamitra/edge/openapi.json"

_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                "message": {"type": "string"},
                "details": {"type": "array", "items": {}},
            },
        }
    },
}
_SECURITY_SCHEMES = {
    "cognito": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "Cognito ID token"},
    "policeSignature": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Seva-Signature",
        "description": 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">',
    },
    "ondcSignature": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Beckn: Signature keyId="<subscriber_id>|<unique_key_id>|ed25519",algorithm="ed25519",'
        'created,expires,headers="(created) (expires) digest",signature (Ed25519 over BLAKE-512 of the body)',
    },
}


def _function_schema(function: Function) -> dict[str, Any]:
    app = importlib.import_module(f"{function.value}.handler").app
    schema = app.get_openapi_schema(title="Seva Mitra", version="1")
    return schema.model_dump(mode="json", by_alias=True, exclude_none=True)


def build_document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {"Error": _ERROR_SCHEMA}
    for function in Function:
        part = _function_schema(function)
        for path, operations in part.get("paths", {}).items():
            paths.setdefault(path, {}).update(operations)
        for name, schema in part.get("components", {}).get("schemas", {}).items():
            if schemas.setdefault(name, schema) != schema:
                # One name, two shapes: a client would get one of them wrong. Name them apart.
                raise ValueError(f"two functions define the schema {name!r} differently ({function.value})")
    error_ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for route in ROUTES:
        operation = paths.get(route.path, {}).get(route.method.lower())
        if operation is None:
            continue  # tests/unit/test_openapi.py reports a declared route missing from its function
        if route.auth is Auth.COGNITO:
            operation["security"] = [{"cognito": []}]
        elif route.auth is Auth.POLICE_SIGNATURE:
            operation["security"] = [{"policeSignature": []}]
        elif route.auth is Auth.ONDC_SIGNATURE:
            operation["security"] = [{"ondcSignature": []}]
        else:
            operation["security"] = []
        operation["tags"] = [route.function.value]
        responses = operation.setdefault("responses", {})
        responses.pop("422", None)
        for status, text in (("400", "Malformed request"), ("422", "Validation error"), ("default", "Error")):
            responses.setdefault(status, {"description": text, **error_ref})
    return {
        "openapi": "3.1.0",
        "info": {"title": "Seva Mitra API", "version": "1.0.0"},
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": dict(sorted(schemas.items())), "securitySchemes": _SECURITY_SCHEMES},
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> int:
    TARGET.write_text(render(build_document()), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(Path.cwd()) if TARGET.is_relative_to(Path.cwd()) else TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
