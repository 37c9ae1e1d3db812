"""Helpers the integration packages share: valid identities for registrations, an approved
agency, a document stored as its upload form would store it, and a table's raw items."""

from __future__ import annotations

from typing import Any

from local.provision import cached_client
from sevamitra.data.models import table_name
from sevamitra.domain.types import verhoeff_check_digit
from sevamitra.platform.settings import settings
from tests.integration.conftest import Api, claims_for


def make_aadhaar(seed: int) -> str:
    body = f"{4000_0000_000 + seed:011d}"
    return body + verhoeff_check_digit(body)


def make_mobile(seed: int) -> str:
    return f"9{700_000_000 + seed:09d}"


def approved_agency(api: Api, owner: str, officer: str = "officer-1") -> str:
    """An agency ``owner`` registers and ``officer`` approves: its id."""
    created = api(
        "POST",
        "/agencies",
        body={
            "name": "Awadh Services",
            "udyam_number": "UDYAM-UP-12-0001234",
            "district": "Lucknow",
            "contact_mobile": "9812345678",
        },
        claims=claims_for(owner),
    )
    assert created.status == 201, created.body
    approved = api("POST", f"/agencies/{created.body['id']}/approve", claims=claims_for(officer, "officers"))
    assert approved.status == 200, approved.body
    return str(created.body["id"])


def store_upload(fields: dict[str, str], body: bytes) -> None:
    """Put ``body`` under the key of an upload form's ``fields``, as the client's form POST would."""
    cached_client("s3", settings().aws_region).put_object(
        Bucket=settings().documents_bucket,
        Key=fields["key"],
        Body=body,
        ContentType=fields["Content-Type"],
        ServerSideEncryption=fields["x-amz-server-side-encryption"],
    )


def table_items(logical: str) -> list[dict[str, Any]]:
    """Every item of the table, as DynamoDB stores it."""
    client = cached_client("dynamodb", settings().aws_region)
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table_name(logical)):
        items.extend(page["Items"])
    return items


def pages_of(fetch: Any, limit: int, max_pages: int = 50) -> list[list[dict[str, Any]]]:
    """Every page of a list route: ``fetch(query)`` answers one page (a dict with ``next_cursor``)
    for a query dict; the items are under the one list key of the body."""
    pages: list[list[dict[str, Any]]] = []
    cursor: str | None = None
    for _ in range(max_pages):
        query = {"limit": str(limit), **({"cursor": cursor} if cursor else {})}
        body = fetch(query)
        (key,) = [k for k in body if k != "next_cursor"]
        pages.append(list(body[key]))
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
    raise AssertionError("the pages never ended")


def edited_cursor(cursor: str) -> str:
    """The cursor with its position edited (a later key), its signature kept."""
    import base64
    import json

    payload, mac = cursor.split(".")
    raw = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    raw["p"] = [
        position if not isinstance(position, list) else ["9999", *position[1:]] for position in raw["p"]
    ]
    edited = base64.urlsafe_b64encode(json.dumps(raw).encode()).rstrip(b"=").decode()
    assert edited != payload
    return f"{edited}.{mac}"


FORGED_CURSORS = (
    "not-a-cursor",
    "eyJwIjpbXX0.AAAAAAAAAAAAAAAAAAAAAA",
    "x" * 1000,
    "a.b.c",
    "%%%.%%%",
    "e30.e30",
)
