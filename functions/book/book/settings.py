"""The book function's configuration (validated once per cold start)."""

from __future__ import annotations

from pydantic import Field

from sevamitra.platform.settings import settings_for
from sevamitra.platform.sms import SmsSettings


class BookSettings(SmsSettings):
    # SmsSettings: book.sms answers inbound SMS.
    # Bookings one account may hold in ``requested`` (each holds a professional for up to
    # BOOKING_ACCEPT_TIMEOUT_S): a citizen, and an account in the Cognito group ``employers``.
    max_open_requests_citizen: int = Field(default=3, ge=1, alias="MAX_OPEN_REQUESTS_CITIZEN")
    max_open_requests_employer: int = Field(default=25, ge=1, alias="MAX_OPEN_REQUESTS_EMPLOYER")


def book_settings() -> BookSettings:
    return settings_for(BookSettings)
