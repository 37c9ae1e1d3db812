"""The register function's configuration (validated once per cold start)."""

from __future__ import annotations

from pydantic import Field

from sevamitra.platform.settings import CommonSettings, settings_for


class RegisterSettings(CommonSettings):
    # How long a presigned upload form stays valid.
    upload_expiry_s: int = Field(default=900, ge=60, le=3600, alias="UPLOAD_EXPIRY_S")
    # Server-side encryption every uploaded document must request (the policy enforces it).
    documents_sse: str = Field(default="AES256", alias="DOCUMENTS_SSE")
    # With aws:kms (prod): the documents key, so uploads use it rather than aws/s3.
    documents_kms_key_id: str = Field(default="", alias="DOCUMENTS_KMS_KEY_ID")


def register_settings() -> RegisterSettings:
    return settings_for(RegisterSettings)
