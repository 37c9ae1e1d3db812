"""Downloads of what parties uploaded (issue 18): ``GET /complaints/{id}`` gives each piece of
evidence and each of the booking's receipts a short-lived presigned GET (``url``,
``url_expires_at``) for officers, the complainant and the professional concerned;
``GET /bookings/{id}`` gives the receipts one for the citizen, the professional's side and
officers. Only what is really in the bucket gets a link; the link always downloads (an attachment
of the recorded type); a missing object or a failing bucket never turns the view into an error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from sevamitra.data import documents, downloads
from sevamitra.data.models import BookingModel
from sevamitra.platform.settings import settings
from tests.integration.bookings.conftest import (
    CITIZEN,
    EMPLOYER,
    OFFICER,
    OTHER_CITIZEN,
    OTHER_PRO,
    PRO,
    act,
    in_progress,
    view,
)
from tests.integration.conftest import Api, claims_for

PIPE = {"description": "PVC pipe, 2 m", "amount_paise": 10_000}
RECEIPT = b"\xff\xd8\xff\xe0" + b"receipt of the pipe shop" + b"\x00" * 500
PHOTO = b"\x89PNG\r\n\x1a\n" + b"photo of the leaking tap" + b"\x00" * 500
HELPLINE = claims_for("helpline-1", "helpline")


def _post(form: dict[str, Any], data: bytes, content_type: str) -> None:
    posted = requests.post(
        form["url"], data=form["fields"], files={"file": ("f", data, content_type)}, timeout=10
    )
    assert posted.status_code in (200, 201, 204), posted.text


def _receipt(api: Api, booking_id: str, expense_id: str, *, upload: bool = True) -> str:
    asked = api(
        "POST",
        f"/bookings/{booking_id}/expenses/{expense_id}/receipts",
        claims=PRO,
        body={"content_type": "image/jpeg"},
    )
    assert asked.status == 201, asked.body
    if upload:
        _post(asked.body["upload"], RECEIPT, "image/jpeg")
    return str(asked.body["receipt_id"])


def _evidence(api: Api, complaint_id: str, *, upload: bool = True, data: bytes = PHOTO) -> str:
    asked = api(
        "POST",
        f"/complaints/{complaint_id}/evidence",
        claims=CITIZEN,
        body={"content_type": "image/png", "size_bytes": len(data)},
    )
    assert asked.status == 201, asked.body
    if upload:
        _post(asked.body["upload"], data, "image/png")
    return str(asked.body["evidence_id"])


def _claim(api: Api) -> tuple[str, str]:
    booking_id = in_progress(api)["id"]
    claimed = act(api, booking_id, "expenses", PRO, {"items": [PIPE]})
    assert claimed.status == 201, claimed.body
    return booking_id, str(claimed.body["id"])


def _disputed_with_files(api: Api) -> dict[str, str]:
    """A claim with one uploaded receipt and one never uploaded, disputed (an overcharge
    complaint opens); the complainant adds one uploaded photo and one never uploaded."""
    booking_id, expense_id = _claim(api)
    receipt = _receipt(api, booking_id, expense_id)
    pending_receipt = _receipt(api, booking_id, expense_id, upload=False)
    disputed = act(api, booking_id, f"expenses/{expense_id}/dispute", CITIZEN)
    assert disputed.status == 200, disputed.body
    complaint_id = disputed.body["complaint_id"]
    photo = _evidence(api, complaint_id)
    pending_photo = _evidence(api, complaint_id, upload=False)
    return {
        "booking": booking_id,
        "complaint": complaint_id,
        "receipt": receipt,
        "pending_receipt": pending_receipt,
        "photo": photo,
        "pending_photo": pending_photo,
    }


def _evidence_by_id(api: Api, complaint_id: str, claims: dict[str, Any]) -> dict[str, dict[str, Any]]:
    shown = api("GET", f"/complaints/{complaint_id}", claims=claims)
    assert shown.status == 200, shown.body
    return {item["evidence_id"]: item for item in shown.body["evidence"]}


def _receipts_by_id(api: Api, booking_id: str, claims: dict[str, Any]) -> dict[str, dict[str, Any]]:
    shown = view(api, booking_id, claims)
    assert shown.status == 200, shown.body
    return {r["id"]: r for claim in shown.body["expenses"] for r in claim["receipts"]}


def _download(url: str) -> requests.Response:
    got = requests.get(url, timeout=10)
    assert got.status_code == 200, got.text
    return got


@pytest.mark.parametrize("reader", [OFFICER, CITIZEN, PRO], ids=["officer", "complainant", "professional"])
def test_the_complaints_readers_download_exactly_the_uploaded_evidence_and_receipts(
    api: Api, pro: str, reader: dict[str, Any]
) -> None:
    files = _disputed_with_files(api)

    evidence = _evidence_by_id(api, files["complaint"], reader)

    photo, receipt = evidence[files["photo"]], evidence[files["receipt"]]
    got = _download(photo["url"])
    assert got.content == PHOTO
    assert got.headers["Content-Type"] == "image/png"
    assert got.headers["Content-Disposition"] == f'attachment; filename="{files["photo"]}.png"'
    got = _download(receipt["url"])
    assert got.content == RECEIPT
    assert got.headers["Content-Disposition"] == f'attachment; filename="{files["receipt"]}.jpg"'
    assert receipt["source"] == "expense_receipt"
    for item in (photo, receipt):
        assert datetime.fromisoformat(item["url_expires_at"]) > datetime.now(UTC)
    # Requested, never uploaded: listed, without a link.
    for pending in (files["pending_photo"], files["pending_receipt"]):
        assert "url" not in evidence[pending]
        assert "url_expires_at" not in evidence[pending]


@pytest.mark.parametrize(
    "stranger", [OTHER_CITIZEN, OTHER_PRO, EMPLOYER, HELPLINE], ids=["citizen", "pro", "employer", "helpline"]
)
def test_no_one_else_sees_the_complaint_or_the_booking_let_alone_a_link(
    api: Api, pro: str, stranger: dict[str, Any]
) -> None:
    files = _disputed_with_files(api)

    complaint = api("GET", f"/complaints/{files['complaint']}", claims=stranger)
    booking = view(api, files["booking"], stranger)

    assert (complaint.status, booking.status) == (403, 403)
    assert "url" not in str(complaint.body) + str(booking.body)


@pytest.mark.parametrize("reader", [CITIZEN, PRO, OFFICER], ids=["citizen", "professional", "officer"])
def test_the_bookings_citizen_professional_and_officers_download_its_receipts(
    api: Api, pro: str, reader: dict[str, Any]
) -> None:
    booking_id, expense_id = _claim(api)
    receipt = _receipt(api, booking_id, expense_id)
    pending = _receipt(api, booking_id, expense_id, upload=False)

    receipts = _receipts_by_id(api, booking_id, reader)

    got = _download(receipts[receipt]["url"])
    assert got.content == RECEIPT
    assert got.headers["Content-Type"] == "image/jpeg"
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert "url" not in receipts[pending]


def test_helpline_staff_see_the_receipts_of_a_booking_they_made_but_get_no_link(api: Api, pro: str) -> None:
    # Given a booking the helpline made for its citizen, with an uploaded receipt
    booking_id, expense_id = _claim(api)
    BookingModel(booking_id).update(actions=[BookingModel.booked_by.set(HELPLINE["sub"])])
    receipt = _receipt(api, booking_id, expense_id)

    receipts = _receipts_by_id(api, booking_id, HELPLINE)

    assert set(receipts) == {receipt}
    assert "url" not in receipts[receipt]
    assert "url" in _receipts_by_id(api, booking_id, CITIZEN)[receipt]


def test_a_link_lives_as_long_as_the_setting_says(
    api: Api, pro: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    booking_id, expense_id = _claim(api)
    receipt = _receipt(api, booking_id, expense_id)
    for lifetime in (300, 60):
        config = downloads.DownloadSettings(DOWNLOAD_URL_S=lifetime)
        monkeypatch.setattr(downloads, "download_settings", lambda config=config: config)
        before = datetime.now(UTC).replace(microsecond=0)

        shown = _receipts_by_id(api, booking_id, CITIZEN)[receipt]

        assert parse_qs(urlsplit(shown["url"]).query)["X-Amz-Expires"] == [str(lifetime)]
        expires = datetime.fromisoformat(shown["url_expires_at"]) - timedelta(seconds=lifetime)
        assert before <= expires <= datetime.now(UTC)
    assert downloads.DownloadSettings().download_url_s == 300


def test_a_crafted_upload_still_downloads_as_the_recorded_type_never_as_a_page(api: Api, pro: str) -> None:
    # Given evidence declared as a PNG whose stored object is an HTML page served as text/html
    # (the upload policy forbids it; the bucket's content is checked nowhere else)
    booking_id, expense_id = _claim(api)
    complaint_id = act(api, booking_id, f"expenses/{expense_id}/dispute", CITIZEN).body["complaint_id"]
    photo = _evidence(api, complaint_id, upload=False)
    page = b"<html><script>alert(document.cookie)</script></html>"
    boto3.client("s3").put_object(
        Bucket=settings().documents_bucket,
        Key=f"complaints/{complaint_id}/{photo}",
        Body=page,
        ContentType="text/html",
    )

    url = _evidence_by_id(api, complaint_id, OFFICER)[photo]["url"]

    got = _download(url)
    assert got.headers["Content-Type"] == "image/png"
    assert got.headers["Content-Disposition"].startswith("attachment;")


def test_an_object_removed_after_upload_is_listed_without_a_link(api: Api, pro: str) -> None:
    files = _disputed_with_files(api)
    boto3.client("s3").delete_object(
        Bucket=settings().documents_bucket, Key=f"complaints/{files['complaint']}/{files['photo']}"
    )

    evidence = _evidence_by_id(api, files["complaint"], OFFICER)

    assert "url" not in evidence[files["photo"]]
    assert "url" in evidence[files["receipt"]]


def test_a_failing_bucket_leaves_the_views_answering_without_links(
    api: Api, pro: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _disputed_with_files(api)
    calls: list[str] = []

    def failing(key: str) -> int | None:
        calls.append(key)
        raise ClientError({"Error": {"Code": "InternalError", "Message": "S3 is down"}}, "HeadObject")

    monkeypatch.setattr(documents, "_size", lambda key: _raises_dependency(failing, key))

    complaint = _evidence_by_id(api, files["complaint"], OFFICER)
    booking = _receipts_by_id(api, files["booking"], CITIZEN)

    assert all("url" not in item for item in [*complaint.values(), *booking.values()])
    assert len(calls) == 2  # one failed check per view: the others are not tried


def _raises_dependency(failing: Any, key: str) -> int | None:
    with documents.dependency_errors("Document storage"):
        return failing(key)  # type: ignore[no-any-return]


def test_checks_per_answer_are_capped(api: Api, pro: str, monkeypatch: pytest.MonkeyPatch) -> None:
    booking_id, expense_id = _claim(api)
    complaint_id = act(api, booking_id, f"expenses/{expense_id}/dispute", CITIZEN).body["complaint_id"]
    # The cap sits above what one complaint holds today (10 evidence files and the receipts of
    # its booking's claims); a smaller one shows the mechanism.
    monkeypatch.setattr(downloads, "MAX_CHECKED", 3)
    for _ in range(downloads.MAX_CHECKED + 2):
        _evidence(api, complaint_id, upload=False)
    checked: list[str] = []
    real = documents.object_exists
    monkeypatch.setattr(documents, "object_exists", lambda key: checked.append(key) or real(key))

    evidence = _evidence_by_id(api, complaint_id, OFFICER)

    assert len(evidence) == downloads.MAX_CHECKED + 2
    assert len(checked) == downloads.MAX_CHECKED


def test_the_openapi_document_describes_the_links() -> None:
    from local.openapi import build_document

    schemas = build_document()["components"]["schemas"]
    complaint = schemas["ComplaintOut"]["properties"]["evidence"]
    assert complaint["items"] == {"$ref": "#/components/schemas/EvidenceOut"}
    for model in ("EvidenceOut", "ReceiptOut"):
        properties = schemas[model]["properties"]
        assert {"url", "url_expires_at"} <= set(properties), model
        assert "attachment" in properties["url"]["description"]
