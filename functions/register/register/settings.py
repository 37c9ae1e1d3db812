"""The register function's configuration (validated once per cold start)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sevamitra.platform.settings import FROM_STACK, CommonSettings, settings_for


class RegisterSettings(CommonSettings):
    # How long a presigned upload form stays valid.
    upload_expiry_s: int = Field(default=900, ge=60, le=3600, alias="UPLOAD_EXPIRY_S")
    # Server-side encryption every uploaded document must request (the policy enforces it).
    documents_sse: str = Field(default="AES256", alias="DOCUMENTS_SSE")
    # With aws:kms (prod): the documents key, so uploads use it rather than aws/s3.
    documents_kms_key_id: str = Field(default="", alias="DOCUMENTS_KMS_KEY_ID")
    # The KMS key that seals professionals' mobile numbers (sevamitra.data.contacts). Unset: the
    # alias the local stack gives it.
    contacts_key_setting: Annotated[str, FROM_STACK] = Field(default="", alias="CONTACTS_KEY_ID")

    @property
    def contacts_key_id(self) -> str:
        return self.contacts_key_setting or f"alias/{self.resource_prefix}contacts"


def register_settings() -> RegisterSettings:
    return settings_for(RegisterSettings)
