"""Receipts as evidence (issue 18, the documents path): the assigned professional attaches
receipts to a pending expense claim through a presigned POST under
``receipts/<booking>/<expense>/``; the booking lists them on the claim, and every complaint about
the booking (the disputed claim's overcharge first of all) shows them as evidence, with keys."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import boto3
import pytest
import requests

from book import expenses
from sevamitra.domain.documents import MAX_DOCUMENT_BYTES, DocumentContentType
from sevamitra.domain.expenses import MAX_RECEIPTS
from sevamitra.edge.auth import Caller
from sevamitra.platform.settings import settings
from tests.integration.bookings.conftest import CITIZEN, OFFICER, OTHER_CITIZEN, PRO, act, in_progress, view
from tests.integration.conftest import Api, ApiResponse

PIPE = {"description": "PVC pipe, 2 m", "amount_paise": 10_000}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2000


def claim(api: Api, booking_id: str) -> str:
    claimed = act(api, booking_id, "expenses", PRO, {"items": [PIPE]})
    assert claimed.status == 201, claimed.body
    return str(claimed.body["id"])


def ask(
    api: Api, booking_id: str, expense_id: str, content_type: str = "image/jpeg", claims: dict | None = PRO
) -> ApiResponse:
    path = f"/bookings/{booking_id}/expenses/{expense_id}/receipts"
    return api("POST", path, claims=claims, body={"content_type": content_type})


def answer(api: Api, booking_id: str, expense_id: str, verb: str) -> ApiResponse:
    return api("POST", f"/bookings/{booking_id}/expenses/{expense_id}/{verb}", claims=CITIZEN, body={})


def test_a_receipt_is_uploaded_with_the_form_under_its_claim_and_listed_on_the_booking(
    api: Api, pro: str
) -> None:
    booking_id = in_progress(api)["id"]
    expense_id = claim(api, booking_id)

    asked = ask(api, booking_id, expense_id)

    assert asked.status == 201, asked.body
    receipt_id = asked.body["receipt_id"]
    key = f"receipts/{booking_id}/{expense_id}/{receipt_id}"
    assert asked.body["key"] == key
    form = asked.body["upload"]
    assert form["fields"]["key"] == key
    policy = json.loads(base64.b64decode(form["fields"]["policy"]))
    assert ["content-length-range", 1, MAX_DOCUMENT_BYTES] in policy["conditions"]
    assert {"Content-Type": "image/jpeg"} in policy["conditions"]
    posted = requests.post(
        form["url"], data=form["fields"], files={"file": ("receipt.jpg", JPEG, "image/jpeg")}, timeout=10
    )
    assert posted.status_code in (200, 201, 204), posted.text
    stored = boto3.client("s3").get_object(Bucket=settings().documents_bucket, Key=key)
    assert stored["Body"].read() == JPEG
    [shown] = view(api, booking_id).body["expenses"]
    assert [(r["id"], r["key"], r["content_type"]) for r in shown["receipts"]] == [
        (receipt_id, key, "image/jpeg")
    ]


def test_the_disputed_claims_overcharge_complaint_shows_the_receipts_as_evidence(api: Api, pro: str) -> None:
    booking_id = in_progress(api)["id"]
    expense_id = claim(api, booking_id)
    first = ask(api, booking_id, expense_id).body
    second = ask(api, booking_id, expense_id, "application/pdf").body

    disputed = answer(api, booking_id, expense_id, "dispute")

    complaint_id = disputed.body["complaint_id"]
    for reader in (OFFICER, CITIZEN):
        shown = api("GET", f"/complaints/{complaint_id}", claims=reader)
        assert shown.status == 200, shown.body
        receipts = [e for e in shown.body["evidence"] if e.get("source") == "expense_receipt"]
        assert sorted(
            (e["evidence_id"], e["expense_id"], e["key"], e["content_type"]) for e in receipts
        ) == sorted(
            [
                (first["receipt_id"], expense_id, first["key"], "image/jpeg"),
                (second["receipt_id"], expense_id, second["key"], "application/pdf"),
            ]
        )


@pytest.mark.parametrize("verb", ["approve", "dispute"])
def test_no_receipt_once_the_citizen_has_answered(api: Api, pro: str, verb: str) -> None:
    booking_id = in_progress(api)["id"]
    expense_id = claim(api, booking_id)
    answer(api, booking_id, expense_id, verb)

    late = ask(api, booking_id, expense_id)

    assert (late.status, late.error_code) == (409, "already_decided")
    assert view(api, booking_id).body["expenses"][0]["receipts"] == []


@pytest.mark.parametrize("content_type", ["text/plain", "image/gif", "application/zip", ""])
def test_a_receipt_of_another_type_is_422(api: Api, pro: str, content_type: str) -> None:
    booking_id = in_progress(api)["id"]
    expense_id = claim(api, booking_id)

    refused = ask(api, booking_id, expense_id, content_type)

    assert refused.status == 422, refused.body
    assert view(api, booking_id).body["expenses"][0]["receipts"] == []


def test_only_the_assigned_professional_attaches_receipts_to_a_claim_that_exists(api: Api, pro: str) -> None:
    booking_id = in_progress(api)["id"]
    expense_id = claim(api, booking_id)
    assert ask(api, booking_id, expense_id, claims=CITIZEN).status == 403
    assert ask(api, booking_id, expense_id, claims=OTHER_CITIZEN).status == 403
    assert ask(api, booking_id, "exp_nope").status == 404
    assert ask(api, "bkg_nope", expense_id).status == 404


def test_receipts_per_claim_are_limited(api: Api, pro: str) -> None:
    booking_id = in_progress(api)["id"]
    expense_id = claim(api, booking_id)
    for _ in range(MAX_RECEIPTS):
        assert ask(api, booking_id, expense_id).status == 201

    over = ask(api, booking_id, expense_id)

    assert (over.status, over.error_code) == (409, "too_many_receipts")
    assert len(view(api, booking_id).body["expenses"][0]["receipts"]) == MAX_RECEIPTS


def test_receipts_list_in_the_order_they_were_asked_for_even_within_one_second(api: Api, pro: str) -> None:
    """The portal numbers receipts ("receipt 1" first): with whole-second times and random ids,
    the order within a second is the place each upload claimed in its write."""
    booking_id = in_progress(api)["id"]
    expense_id = claim(api, booking_id)
    moment = datetime(2026, 12, 1, 10, 0, 0, tzinfo=UTC)
    sent = [f"rcpt_{letter}" for letter in "zyxwv"]  # each sorts before the one asked earlier
    ids = iter(sent)
    for _ in sent:
        expenses.request_receipt_upload(
            Caller(PRO["sub"], frozenset()),
            booking_id,
            expense_id,
            DocumentContentType.JPEG,
            now=lambda: moment,
            ids=lambda _prefix: next(ids),
        )

    listed = view(api, booking_id).body["expenses"][0]["receipts"]
    assert [receipt["id"] for receipt in listed] == sent
    assert all("place" not in receipt for receipt in listed)
    disputed = answer(api, booking_id, expense_id, "dispute")
    assert disputed.status == 200, disputed.body
    complaint_id = disputed.body["complaint_id"]
    shown = api("GET", f"/complaints/{complaint_id}", claims=OFFICER).body["evidence"]
    assert [item["evidence_id"] for item in shown] == sent
