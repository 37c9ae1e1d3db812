"""The register function's configuration (validated once per cold start): the upload forms'
settings, the contacts key that seals a professional's mobile, and the SMS service that takes a
claim code to that mobile."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sevamitra.data.uploads import UploadSettings
from sevamitra.platform.settings import FROM_STACK, settings_for
from sevamitra.platform.sms import SmsSettings


class RegisterSettings(UploadSettings, SmsSettings):
    # SmsSettings: a claim code goes by SMS to the professional's registered mobile.
    # How long a claim code of an assisted registration stays valid (API.md "Clocks").
    claim_code_ttl_s: int = Field(default=86_400, ge=1, le=7 * 86_400, alias="CLAIM_CODE_TTL_S")
    # The KMS key that seals professionals' mobile numbers (sevamitra.data.contacts). Unset: the
    # alias the local stack gives it.
    contacts_key_setting: Annotated[str, FROM_STACK] = Field(default="", alias="CONTACTS_KEY_ID")

    @property
    def contacts_key_id(self) -> str:
        return self.contacts_key_setting or f"alias/{self.resource_prefix}contacts"


def register_settings() -> RegisterSettings:
    return settings_for(RegisterSettings)
