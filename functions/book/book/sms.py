"""Inbound SMS: a professional with a basic phone accepts or declines a job by replying to the
``booking_requested`` SMS with ``HAAN <ref>`` or ``NA <ref>``; a citizen records what they paid
by replying to the ``booking_completed`` SMS with ``PAID <rupees> <ref>`` from the mobile they
signed in with (``book.expenses.record_payment``, as ``POST /bookings/{id}/payment``).

The SMS service's two-way channel publishes each inbound message to an SNS topic, which invokes
this entry. It lives in the book function because a reply must go through exactly the book
function's own transitions (``logic.accept_booking`` / ``logic.decline_booking``: same checks,
same conditional writes, same events) and functions never import each other. The sender is
identified by the keyed hash of their number (the ``mobile#`` identity registration claimed), and
speaks only for that professional (``logic.SmsReply``).

An accepted ``HAAN`` gets no reply SMS (the professional knows what he sent; it would be the
booking's fourth SMS when the citizen also replies ``PAID``); ``NA`` is confirmed. Anything else
(another number, an unknown or stale reference, a booking no longer waiting or already taken,
garbage), a refused ``HAAN`` included, changes nothing and gets a short "not understood" reply,
at most one per number per ``NOT_UNDERSTOOD_WINDOW_S``, taken with a conditional write, so two
robots answering each other cannot run up a bill. Message texts are never logged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from book import expenses, logic
from sevamitra.data import identities, notifications
from sevamitra.data import professionals as professionals_repo
from sevamitra.domain import messages
from sevamitra.domain.expenses import PaymentVia
from sevamitra.edge import pii
from sevamitra.edge.errors import Conflict, Forbidden, NotFound
from sevamitra.platform.clock import Clock, iso, utc_now
from sevamitra.platform.observability import logger, metrics
from sevamitra.platform.sms import SmsMessage, SmsSettings, send_sms, sms_settings

NOT_UNDERSTOOD_WINDOW_S = 600
ACCEPT, DECLINE = "HAAN", "NA"
_COMMAND = re.compile(r"^\s*(HAAN|NA)[\s:.,-]+([A-Z0-9]{4,8})[\s.!]*$", re.IGNORECASE)
_INDIAN_MOBILE = re.compile(r"^\+91[6-9][0-9]{9}$")
PAID = "PAID"
_PAID = re.compile(
    r"^\s*PAID[\s:,]+(?:RS\.?\s*|INR\s*|₹\s*)?([0-9][0-9,]{0,11}(?:\.[0-9]{1,2})?)[\s:.,-]+([A-Z0-9]{4,8})[\s.!]*$",
    re.IGNORECASE,
)
MAX_PAID_PAISE = 10_000_000_00


@dataclass(frozen=True)
class Inbound:
    sender: str  # E.164
    text: str


def parse(text: str) -> tuple[str, str] | None:
    """``("HAAN" | "NA", REF)`` for a reply of the one accepted shape, else None."""
    match = _COMMAND.match(text or "")
    if match is None:
        return None
    return match.group(1).upper(), match.group(2).upper()


def _sender_digest(sender: str) -> str:
    """The keyed hash registration gave this number (for an Indian mobile), else of the number."""
    digits = sender[3:] if _INDIAN_MOBILE.match(sender) else sender
    return pii.mobile_identity(digits).hash


def _language_of(professional_id: str | None) -> str:
    if professional_id is None:
        return messages.DEFAULT_LANGUAGE
    professional = professionals_repo.get_professional(professional_id)
    if professional is None or professional.account_sub is None:
        return messages.DEFAULT_LANGUAGE
    return notifications.get_preferences(professional.account_sub).language


def parse_paid(text: str) -> tuple[int, str] | None:
    """``(paise, REF)`` for a citizen's ``PAID <rupees> <ref>`` (rupees as people write them:
    ``250``, ``1,250``, ``250.50``, ``Rs 250``, ``₹250``), else None."""
    match = _PAID.match(text or "")
    if match is None:
        return None
    rupees, _, fraction = match.group(1).replace(",", "").partition(".")
    paise = int(rupees) * 100 + int((fraction + "00")[:2])
    return (paise, match.group(2).upper()) if paise <= MAX_PAID_PAISE else None


def _paid(sender: str, amount_paise: int, ref: str, now: Clock) -> str | None:
    """A ``PAID`` reply from the mobile the booking's citizen signed in with records the payment
    through the same rule as ``POST /bookings/{id}/payment``; None when it does not apply."""
    reference = notifications.find_reference(ref)
    if (
        reference is None
        or reference.purpose != notifications.PAYMENT_REF
        or not _INDIAN_MOBILE.match(sender)
    ):
        return None
    citizen = expenses.CitizenReply(mobile=sender[3:])
    try:
        paid = expenses.record_payment(
            citizen, reference.booking_id, amount_paise, via=PaymentVia.SMS, now=now
        )
    except Conflict as refused:
        if refused.code != "payment_already_recorded":
            logger.info(
                "SMS payment refused", extra={"booking_id": reference.booking_id, "code": refused.code}
            )
            return None
        _reply(sender, "sms_paid_already", messages.DEFAULT_LANGUAGE, ref=ref)
        return "already_paid"
    except (Forbidden, NotFound) as refused:
        logger.info("SMS payment refused", extra={"booking_id": reference.booking_id, "code": refused.code})
        return None
    name = "sms_paid_overcharge" if paid.complaint_id else "sms_paid"
    _reply(sender, name, messages.DEFAULT_LANGUAGE, ref=ref, amount=messages.money(amount_paise, "hi"))
    logger.info("SMS payment recorded", extra={"booking_id": reference.booking_id})
    return "paid"


def handle(inbound: Inbound, *, now: Clock = utc_now) -> str:
    """What the reply did: ``accepted``, ``declined``, ``paid``, ``already_paid``,
    ``not_understood`` or ``ignored`` (a "not understood" already sent to this number within
    the window)."""
    sender = pii.e164(inbound.sender) if inbound.sender.startswith("+91") else inbound.sender
    digest = _sender_digest(sender)
    payment = parse_paid(inbound.text)
    if payment is not None:
        outcome = _paid(sender, *payment, now)
        if outcome is not None:
            return outcome
    professional_id = (
        identities.holder(identities.IdentityKind.MOBILE, digest) if _INDIAN_MOBILE.match(sender) else None
    )
    command = parse(inbound.text)
    if command is not None and professional_id is not None:
        verb, ref = command
        reference = notifications.find_reference(ref)
        if (
            reference is not None
            and reference.purpose == notifications.REQUEST_REF
            and reference.professional_id == professional_id
        ):
            actor = logic.SmsReply(professional_id)
            try:
                if verb == ACCEPT:
                    logic.accept_booking(actor, reference.booking_id, now=now)
                else:
                    logic.decline_booking(actor, reference.booking_id, now=now)
            except (Conflict, Forbidden, NotFound) as refused:
                logger.info(
                    "SMS reply refused", extra={"booking_id": reference.booking_id, "code": refused.code}
                )
            else:
                outcome = "accepted" if verb == ACCEPT else "declined"
                # An accepted HAAN gets no reply: the professional knows what he sent, and the
                # booking's SMS stay at 3 or fewer (docs/capacity.md, "Per booking"). A refused
                # one is answered below.
                if outcome == "declined":
                    _reply(sender, "sms_declined", _language_of(professional_id), ref=ref)
                logger.info(
                    "SMS reply applied", extra={"booking_id": reference.booking_id, "outcome": outcome}
                )
                return outcome
    return _not_understood(sender, digest, _language_of(professional_id), now())


def _not_understood(sender: str, digest: str, language: str, moment: datetime) -> str:
    until = moment + timedelta(seconds=NOT_UNDERSTOOD_WINDOW_S)
    if not notifications.claim_reply_slot(digest, iso(moment), iso(until), int(until.timestamp()) + 3600):
        logger.info("SMS not understood; reply already sent in this window")
        return "ignored"
    _reply(sender, "sms_not_understood", language)
    return "not_understood"


def _reply(sender: str, name: str, language: str, **fields: str) -> None:
    send_sms(
        SmsMessage(
            to=sender,
            body=messages.reply(name, language, **fields),
            template=messages.reply_dlt_key(name, language),
        )
    )


def _settings() -> SmsSettings:
    """This entry's settings (the SMS service's, for replies), validated once per cold start."""
    return sms_settings()


def inbound_of(record: dict[str, Any]) -> Inbound:
    """The message an SNS record carries, as the SMS service's two-way channel publishes it."""
    message = json.loads(record["Sns"]["Message"])
    return Inbound(sender=str(message.get("originationNumber", "")), text=str(message.get("messageBody", "")))


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, list[str]]:
    _settings()
    outcomes = [handle(inbound_of(record)) for record in event.get("Records", [])]
    for outcome in outcomes:
        metrics.add_metric(name=f"InboundSms_{outcome}", unit=MetricUnit.Count, value=1)
    return {"outcomes": outcomes}
