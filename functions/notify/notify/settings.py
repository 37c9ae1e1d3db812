"""The notify function's configuration (validated once per cold start)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sevamitra.platform import sms
from sevamitra.platform.settings import FROM_STACK, settings_for


class NotifySettings(sms.SmsSettings):
    # The user pool, to find the phone number of an account that manages a professional.
    user_pool_id: Annotated[str, FROM_STACK] = Field(default="", alias="USER_POOL_ID")
    # SNS mobile push platform applications (FCM for Android, APNs for iOS); empty: push is off
    # for that platform and a registered device only keeps its token.
    fcm_platform_application_arn: str = Field(default="", alias="FCM_PLATFORM_APPLICATION_ARN")
    apns_platform_application_arn: str = Field(default="", alias="APNS_PLATFORM_APPLICATION_ARN")
    # The outbox sweep republishes events older than this (the publisher's own try comes first).
    outbox_grace_s: int = Field(default=5, ge=1, alias="OUTBOX_GRACE_S")
    # How long a delivery marker (one SMS per event, recipient and channel) is kept.
    delivery_marker_ttl_s: int = Field(default=14 * 24 * 3600, ge=3600, alias="DELIVERY_MARKER_TTL_S")

    def platform_application(self, platform: str) -> str:
        return {
            "fcm": self.fcm_platform_application_arn,
            "apns": self.apns_platform_application_arn,
        }.get(platform, "")


def notify_settings() -> NotifySettings:
    return settings_for(NotifySettings)
