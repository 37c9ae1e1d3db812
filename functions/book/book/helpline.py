"""Helpline booking (issue 17; API.md "Bookings that don't strand people"): staff of the state's
toll-free call centre, in the Cognito group ``helpline``, book for a caller without a smartphone
by the caller's mobile number.

The booking belongs to the account that signed up with that number (created, without an
invitation, when there is none: ``sevamitra.data.accounts.citizen_for_phone``), so every rule of
a citizen's booking holds for it (open-request allowance, complaints, payment by SMS reply), and
it records ``booked_by``: the staff account, the audit record of who booked. The start code goes
to the caller by SMS; the booking's events carry ``by_helpline`` so that notify sends the caller
its updates by SMS too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from book.settings import book_settings
from sevamitra.data import accounts, notifications
from sevamitra.domain import messages, ratecard
from sevamitra.domain.bookings import Booking
from sevamitra.edge import pii
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import DependencyFailed, Forbidden
from sevamitra.platform.observability import logger
from sevamitra.platform.sms import SmsMessage, send_sms

SendSms = Callable[[SmsMessage], object]
BOOKED_REPLY = "sms_helpline_booked"


class Owner(NamedTuple):
    """Whose booking it is (the caller's account, as a ``Caller`` with its phone number), and
    the staff account that booked it (None: the citizen booked themselves)."""

    citizen: Caller
    booked_by: str | None


def owner_of(caller: Caller, for_mobile: str | None) -> Owner:
    """The caller themselves, or (``for_mobile``, helpline staff only: 403 otherwise) the
    account of that mobile, found or created in the user pool."""
    if for_mobile is None:
        return Owner(caller, None)
    if not caller.is_helpline:
        raise Forbidden(message="Only helpline staff may book for another mobile number.")
    pool = book_settings().user_pool_id
    if not pool:
        raise DependencyFailed(message="Accounts cannot be looked up right now.")
    phone = pii.e164(for_mobile)
    sub = accounts.citizen_for_phone(pool, phone)
    return Owner(Caller(sub=sub, groups=frozenset(), phone_number=phone), caller.sub)


def send_start_code(booking: Booking, code: str, phone: str, *, send: SendSms | None = None) -> bool:
    """The start code (and what was booked) to the caller by SMS, in the language of their
    preferences (Hindi by default). It is the answer to their call, so it goes whatever their
    SMS preference for notifications. A failed send is logged and not retried here: the
    booking stands, and the staff member has the code in the answer to read out."""
    language = messages.language_or_default(notifications.get_preferences(booking.citizen_sub).language)
    service = ratecard.get_service(booking.service_id)
    text = messages.reply(BOOKED_REPLY, language, service=getattr(service.name, language), code=code)
    try:
        (send or send_sms)(
            SmsMessage(to=phone, body=text, template=messages.reply_dlt_key(BOOKED_REPLY, language))
        )
    except Exception:
        logger.warning("Start code SMS not sent", extra={"booking_id": booking.id})
        return False
    return True
