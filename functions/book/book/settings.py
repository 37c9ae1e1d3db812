"""The book function's configuration (validated once per cold start)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sevamitra.data.downloads import DownloadSettings
from sevamitra.data.uploads import UploadSettings
from sevamitra.platform.settings import FROM_STACK, settings_for
from sevamitra.platform.sms import SmsSettings


class BookSettings(SmsSettings, UploadSettings, DownloadSettings):
    # SmsSettings: book.sms answers inbound SMS. UploadSettings: receipt upload forms.
    # DownloadSettings: the receipts' download links on GET /bookings/{id}.
    # Bookings one account may hold in ``requested`` (each holds a professional for up to
    # BOOKING_ACCEPT_TIMEOUT_S): a citizen, and an account in the Cognito group ``employers``.
    max_open_requests_citizen: int = Field(default=3, ge=1, alias="MAX_OPEN_REQUESTS_CITIZEN")
    max_open_requests_employer: int = Field(default=25, ge=1, alias="MAX_OPEN_REQUESTS_EMPLOYER")
    # Issue 17's clocks (API.md "Clocks"): an auto-assigned booking's offer moves on to the next
    # nearest professional after OFFER_TIMEOUT_S; an accepted booking not started START_GRACE_S
    # after acceptance expires (reason not_started).
    offer_timeout_s: int = Field(default=600, ge=1, alias="OFFER_TIMEOUT_S")
    start_grace_s: int = Field(default=7200, ge=1, alias="START_GRACE_S")
    # A scheduled booking's reminder to both sides goes this long before scheduled_for.
    reminder_lead_s: int = Field(default=3600, ge=1, alias="REMINDER_LEAD_S")
    # The user pool, where a helpline booking finds (or creates) its caller's account.
    user_pool_id: Annotated[str, FROM_STACK] = Field(default="", alias="USER_POOL_ID")


def book_settings() -> BookSettings:
    return settings_for(BookSettings)
