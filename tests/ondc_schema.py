"""The vendored ONDC services schema (data/ondc/), for the tests: ``errors(payload)`` lists how a
Beckn message breaks its action's schema (empty: it passes)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "data" / "ondc" / "services-2.0.0.schema.json"
EXAMPLES = ROOT / "data" / "ondc" / "examples"


@cache
def _document() -> dict[str, Any]:
    return dict(json.loads(SCHEMA.read_text(encoding="utf-8")))


@cache
def validator(action: str) -> Draft202012Validator:
    document = _document()
    return Draft202012Validator({**document["actions"][action], "$defs": document["$defs"]})


def errors(payload: dict[str, Any]) -> list[str]:
    action = payload["context"]["action"]
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(action).iter_errors(payload)
    ]


def examples() -> list[Path]:
    return sorted(EXAMPLES.rglob("*.json"))
