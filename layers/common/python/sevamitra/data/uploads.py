"""Upload forms for the documents bucket: a professional's documents (register) and complaint
evidence (complaint) are both handed out here, with the one ``UploadSettings`` both read.

The settings model lives with the only code that reads it, so a function's settings contract
(``infra/constructs/functions.py`` ``SETTINGS``) is ``UploadSettings`` exactly when its code
imports this module (``tests/infra/test_environment.py``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from pydantic import Field

from sevamitra.data import documents
from sevamitra.platform.clock import iso
from sevamitra.platform.settings import CommonSettings, settings_for


class UploadSettings(CommonSettings):
    # How long a presigned upload form stays valid.
    upload_expiry_s: int = Field(default=900, ge=60, le=3600, alias="UPLOAD_EXPIRY_S")
    # Server-side encryption every uploaded file must request (the policy enforces it).
    documents_sse: str = Field(default="AES256", alias="DOCUMENTS_SSE")
    # With aws:kms (prod): the documents key, so uploads use it rather than aws/s3.
    documents_kms_key_id: str = Field(default="", alias="DOCUMENTS_KMS_KEY_ID")


def upload_settings() -> UploadSettings:
    return settings_for(UploadSettings)


class UploadForm(NamedTuple):
    post: dict[str, Any]  # {"url", "fields"}: an HTML-form POST straight to the bucket
    expires_at: str


def presign(
    key: str, content_type: str, *, now: datetime, config: UploadSettings | None = None
) -> UploadForm:
    """A presigned POST for exactly ``key`` and ``content_type`` (the policy of
    ``documents.upload_form``: SSE, 1 B .. 5 MiB), valid for ``upload_expiry_s`` from ``now``.
    ``config``: the function's ``UploadSettings`` unless given."""
    config = config or upload_settings()
    post = documents.presigned_upload(
        key,
        content_type,
        expires_in_s=config.upload_expiry_s,
        sse=config.documents_sse,
        kms_key_id=config.documents_kms_key_id,
    )
    return UploadForm(post, iso(now + timedelta(seconds=config.upload_expiry_s)))
