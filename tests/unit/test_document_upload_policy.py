"""The presigned POST's policy document: moto does not enforce it, so the policy itself is tested."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

from sevamitra.data import documents, uploads
from sevamitra.data.uploads import UploadSettings
from sevamitra.domain.documents import DOCUMENTS_PREFIX, MAX_DOCUMENT_BYTES, DocumentKind, document_key

KEY = "professionals/pro_1/id_proof/doc_1"


def _policy(post: dict) -> dict:
    return json.loads(base64.b64decode(post["fields"]["policy"]))


def test_policy_fixes_bucket_key_content_type_encryption_and_size() -> None:
    post = documents.presigned_upload(KEY, "application/pdf", expires_in_s=900, sse="AES256")
    conditions = _policy(post)["conditions"]
    assert {"bucket": "sevamitra-test-documents"} in conditions
    assert {"key": KEY} in conditions  # exact, not starts-with
    assert {"Content-Type": "application/pdf"} in conditions
    assert {"x-amz-server-side-encryption": "AES256"} in conditions
    assert ["content-length-range", 1, MAX_DOCUMENT_BYTES] in conditions
    assert MAX_DOCUMENT_BYTES == 5 * 1024 * 1024
    assert not any(isinstance(c, list) and c[0] == "starts-with" for c in conditions)


def test_form_fields_carry_the_values_the_policy_demands() -> None:
    fields = documents.presigned_upload(KEY, "image/png", expires_in_s=900, sse="AES256")["fields"]
    assert fields["key"] == KEY
    assert fields["Content-Type"] == "image/png"
    assert fields["x-amz-server-side-encryption"] == "AES256"
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert fields["x-amz-signature"]


def test_policy_expires_after_the_configured_time() -> None:
    before = datetime.now(UTC)
    expiration = _policy(documents.presigned_upload(KEY, "image/jpeg", expires_in_s=900, sse="AES256"))[
        "expiration"
    ]
    expires = datetime.strptime(expiration, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before + timedelta(seconds=890) <= expires <= before + timedelta(seconds=905)


def test_every_document_lives_under_its_professionals_prefix() -> None:
    assert document_key("pro_9", DocumentKind.PHOTO, "doc_3") == "professionals/pro_9/photo/doc_3"
    assert document_key("pro_9", DocumentKind.PHOTO, "doc_3").startswith(DOCUMENTS_PREFIX)


def test_kms_uploads_are_pinned_to_the_customer_managed_key() -> None:
    key_arn = "arn:aws:kms:ap-south-1:123456789012:key/documents"
    post = documents.presigned_upload(
        KEY, "application/pdf", expires_in_s=900, sse="aws:kms", kms_key_id=key_arn
    )
    conditions = _policy(post)["conditions"]
    assert {"x-amz-server-side-encryption": "aws:kms"} in conditions
    assert {"x-amz-server-side-encryption-aws-kms-key-id": key_arn} in conditions
    assert post["fields"]["x-amz-server-side-encryption-aws-kms-key-id"] == key_arn


def test_without_a_kms_key_the_policy_names_none() -> None:
    conditions = _policy(documents.presigned_upload(KEY, "image/png", expires_in_s=900, sse="AES256"))[
        "conditions"
    ]
    assert not any(
        "x-amz-server-side-encryption-aws-kms-key-id" in c for c in conditions if isinstance(c, dict)
    )


def test_the_one_upload_form_takes_expiry_and_encryption_from_the_upload_settings() -> None:
    # Given the upload settings a deployed register or complaint function reads
    config = UploadSettings(
        UPLOAD_EXPIRY_S="120", DOCUMENTS_SSE="aws:kms", DOCUMENTS_KMS_KEY_ID="arn:aws:kms:ap-south-1:1:key/d"
    )
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    # When a document's or an evidence file's form is asked for
    form = uploads.presign("complaints/cmp_1/evd_1", "image/jpeg", now=now, config=config)
    # Then it expires when the settings say, and the policy asks for the configured key
    assert form.expires_at == "2026-12-01T10:02:00Z"
    conditions = _policy(form.post)["conditions"]
    assert {"key": "complaints/cmp_1/evd_1"} in conditions
    assert {"x-amz-server-side-encryption": "aws:kms"} in conditions
    assert {"x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:ap-south-1:1:key/d"} in conditions


def test_upload_settings_default_to_fifteen_minutes_and_s3_managed_encryption() -> None:
    config = UploadSettings()
    assert (config.upload_expiry_s, config.documents_sse, config.documents_kms_key_id) == (900, "AES256", "")
