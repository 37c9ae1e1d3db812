"""The register function's configuration (validated once per cold start): the upload forms'
settings and the contacts key that seals a professional's mobile."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sevamitra.data.uploads import UploadSettings
from sevamitra.platform.settings import FROM_STACK, settings_for


class RegisterSettings(UploadSettings):
    # The KMS key that seals professionals' mobile numbers (sevamitra.data.contacts). Unset: the
    # alias the local stack gives it.
    contacts_key_setting: Annotated[str, FROM_STACK] = Field(default="", alias="CONTACTS_KEY_ID")

    @property
    def contacts_key_id(self) -> str:
        return self.contacts_key_setting or f"alias/{self.resource_prefix}contacts"


def register_settings() -> RegisterSettings:
    return settings_for(RegisterSettings)
