"""The served OpenAPI document: generated from every function's pydantic models by
``local/openapi.py`` (``make openapi``) and shipped in the layer; a test fails when it is stale."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def document() -> dict[str, Any]:
    return json.loads((resources.files("sevamitra.edge") / "openapi.json").read_text(encoding="utf-8"))
