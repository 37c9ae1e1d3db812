"""Request and response models of the notify function."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import ConfigDict, Field, StrictBool, StringConstraints

from sevamitra.data.notifications import InboxEntry, Preferences
from sevamitra.domain.types import Model

DeviceToken = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4096)]


class Language(StrEnum):
    HI = "hi"
    EN = "en"


class Platform(StrEnum):
    FCM = "fcm"
    APNS = "apns"


class NotificationOut(Model):
    id: str
    kind: str
    at: str
    title: str
    body: str
    booking_id: str | None = None
    complaint_id: str | None = None
    job_id: str | None = None
    # On an officer's queue notifications only: the professional it is about (a verification to
    # look at). Absent elsewhere, so the inbox rows of everyone else keep their shape.
    professional_id: str | None = Field(default=None, exclude_if=lambda value: value is None)

    @classmethod
    def of(cls, entry: InboxEntry) -> NotificationOut:
        return cls(
            id=entry.id,
            kind=entry.kind,
            at=entry.at,
            title=entry.title,
            body=entry.body,
            booking_id=entry.booking_id,
            complaint_id=entry.complaint_id,
            job_id=entry.job_id,
            professional_id=entry.professional_id,
        )


class NotificationsOut(Model):
    notifications: list[NotificationOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next (older) page; null: no more")

    @classmethod
    def of(cls, entries: list[InboxEntry], next_cursor: str | None) -> NotificationsOut:
        return cls(notifications=[NotificationOut.of(e) for e in entries], next_cursor=next_cursor)


class PreferencesIn(Model):
    model_config = ConfigDict(extra="forbid")

    language: Language = Field(description="Language of notifications and SMS")
    sms: StrictBool = Field(description="SMS to the registered mobile where a notification calls for one")


class PreferencesOut(Model):
    language: Language
    sms: bool

    @classmethod
    def of(cls, preferences: Preferences) -> PreferencesOut:
        return cls(language=Language(preferences.language), sms=preferences.sms)


class DeviceIn(Model):
    model_config = ConfigDict(extra="forbid")

    platform: Platform
    token: DeviceToken = Field(description="The FCM registration token or APNs device token")


class DeviceOut(Model):
    platform: Platform
    push: bool = Field(
        description="Whether push notifications reach this device (its platform is configured)"
    )
