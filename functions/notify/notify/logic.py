"""Turning a domain event into messages, and the routes of ``/me``'s notifications.

``deliver``: for each recipient (``recipients.py``) the template of its audience, in its language
(its account's preference; Hindi by default), goes to its inbox (once: the row's id is derived
from the event and the recipient), by push to its devices when that row is new, and by SMS where
the template says so and the recipient has not turned SMS off. Each SMS is sent once per event,
recipient and channel: a marker is taken with a conditional put before sending and given back if
the send fails, so a redelivered event (SQS, the outbox sweep) sends nothing twice and a failed
send is retried. Message bodies are never logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from notify import push, refs
from notify.recipients import CALLER, CITIZEN, PROFESSIONAL, Recipient, recipients
from notify.settings import notify_settings
from sevamitra.data import contacts, notifications, professionals
from sevamitra.data.notifications import InboxEntry, Preferences
from sevamitra.domain import districts, messages, ratecard
from sevamitra.domain.events import DomainEvent, Kind
from sevamitra.domain.professionals import Professional
from sevamitra.edge import cursors
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import NotFound, Unprocessable
from sevamitra.platform.clock import Clock, iso, utc_now
from sevamitra.platform.observability import logger
from sevamitra.platform.sms import SmsMessage, send_sms

SendSms = Callable[[SmsMessage], str]


@dataclass
class Delivery:
    inbox: int = 0
    sms: int = 0
    push: int = 0
    skipped: list[str] = field(default_factory=list)


# --- delivering an event ------------------------------------------------------------------------


def _professional(event: DomainEvent) -> Professional | None:
    return professionals.get_professional(event.professional_id) if event.professional_id else None


def _service_name(service_id: Any, language: str) -> str:
    if not isinstance(service_id, str):
        return ""
    try:
        name = ratecard.get_service(service_id).name
    except NotFound:
        return service_id
    return name.hi if language == "hi" else name.en


def fields_for(event: DomainEvent, language: str, professional: Professional | None) -> dict[str, str]:
    facts = event.facts
    fields = {"service": _service_name(facts.get("service_id"), language)}
    if professional is not None:
        fields["name"] = professional.name
    for name, fact in (
        ("fee", "fee_paise"),
        ("amount", "amount_collected_paise"),
        ("amount", "expenses_paise"),
    ):
        paise = facts.get(fact)
        if isinstance(paise, int):
            fields[name] = messages.money(paise, language)
    if isinstance(facts.get("due_by"), str):  # an escalated complaint: the SLA it missed
        fields["deadline"] = messages.deadline(str(facts["due_by"]))
    if isinstance(facts.get("respond_by"), str):
        fields["deadline"] = messages.deadline(str(facts["respond_by"]))
    if isinstance(facts.get("scheduled_for"), str):  # a scheduled booking: when it starts
        fields["deadline"] = messages.deadline(str(facts["scheduled_for"]))
    for group, fact in (("complaint_kind", "complaint_kind"), ("outcome", "outcome")):
        if isinstance(facts.get(fact), str):
            fields[group] = messages.word(group, str(facts[fact]), language)
    if event.kind is Kind.VERIFICATION_DECIDED and isinstance(facts.get("outcome"), str):
        fields["verification"] = messages.word("verification", str(facts["outcome"]), language)
    if isinstance(facts.get("job_title"), str):
        fields["job"] = str(facts["job_title"])
    if isinstance(facts.get("igrs_status"), str):
        fields["igrs_status"] = messages.word("igrs_status", str(facts["igrs_status"]), language)
    if isinstance(facts.get("igrs_remarks"), str):
        fields["remarks"] = str(facts["igrs_remarks"])
    return fields


def notification_id(event: DomainEvent, recipient: Recipient) -> str:
    return f"ntf_{notifications.digest(f'{event.event_id}|{recipient.key}', 24)}"


def _phone(recipient: Recipient) -> str | None:
    if recipient.sealed_mobile:
        return contacts.unseal(recipient.sealed_mobile)
    if recipient.phone_account:
        return contacts.account_phone(notify_settings().user_pool_id, recipient.phone_account)
    return None


def deliver(event: DomainEvent, *, send: SendSms | None = None, now: Clock = utc_now) -> Delivery:
    """Every message ``event`` calls for, each at most once. Raises (for a retry of the whole
    event) when a send or a write fails: what was delivered is not delivered again. ``send``:
    the SMS transport (``sevamitra.platform.sms.send_sms`` unless given)."""
    send = send or send_sms
    delivery = Delivery()
    templates = messages.templates(event.kind.value)
    professional = _professional(event)
    for recipient in recipients(event, professional):
        audience = recipient.audience
        if audience == CITIZEN and event.facts.get("by_helpline") and CALLER in templates:
            # A helpline caller has no app: their booking's updates go by SMS (API.md).
            audience = CALLER
        template = _wording(templates, audience, event)
        if template is None:
            delivery.skipped.append(recipient.audience)
            continue
        if recipient.feed:
            _to_feed(event, recipient, template, professional, delivery)
            continue
        preferences = notifications.get_preferences(recipient.sub) if recipient.sub else Preferences()
        language = messages.language_or_default(preferences.language)
        fields = fields_for(event, language, professional)
        if event.kind is Kind.BOOKING_REQUESTED and recipient.audience == PROFESSIONAL and event.booking_id:
            live_until = str(event.facts.get("expires_at") or event.at)
            fields["ref"] = refs.reference_for(event.booking_id, str(event.professional_id), live_until)
        if event.kind is Kind.BOOKING_COMPLETED and recipient.audience == CITIZEN and event.booking_id:
            fields["ref"] = refs.payment_reference_for(event.booking_id, str(event.professional_id), event.at)
        title = messages.render(template.title[language], fields)
        body = messages.render(template.body[language], fields)
        if recipient.sub:
            _to_inbox(event, recipient, title, body, delivery)
        if template.sms and preferences.sms:
            _by_sms(event, recipient, template.dlt_key(language), body, send, now, delivery)
    logger.info(
        "event delivered",
        extra={
            "event_id": event.event_id,
            "kind": event.kind.value,
            "inbox": delivery.inbox,
            "sms": delivery.sms,
            "push": delivery.push,
        },
    )
    return delivery


def _wording(
    templates: dict[str, messages.Template], audience: str, event: DomainEvent
) -> messages.Template | None:
    """The audience's template, or its variant for the event's ``reason`` (``<audience>.<reason>``:
    a booking that expired because the work never started is not one nobody accepted)."""
    reason = event.facts.get("reason")
    if isinstance(reason, str) and f"{audience}.{reason}" in templates:
        return templates[f"{audience}.{reason}"]
    return templates.get(audience)


def _to_feed(
    event: DomainEvent,
    recipient: Recipient,
    template: messages.Template,
    professional: Professional | None,
    delivery: Delivery,
) -> None:
    """One row in the queue's feed, in both languages (each officer reads it in their own):
    inbox only, no SMS or push (there is no roster to send to)."""
    assert recipient.feed is not None
    text = {}
    for language in messages.LANGUAGES:
        fields = fields_for(event, language, professional)
        text[language] = (
            messages.render(template.title[language], fields),
            messages.render(template.body[language], fields),
        )
    entry = InboxEntry(
        id=notification_id(event, recipient),
        kind=event.kind.value,
        at=event.at,
        title=text["hi"][0],
        body=text["hi"][1],
        booking_id=event.booking_id,
        complaint_id=event.complaint_id,
        job_id=event.job_id,
        professional_id=event.professional_id,
    )
    if notifications.add_to_feed(recipient.feed, entry, *text["en"]):
        delivery.inbox += 1


def _to_inbox(event: DomainEvent, recipient: Recipient, title: str, body: str, delivery: Delivery) -> None:
    assert recipient.sub is not None
    entry = InboxEntry(
        id=notification_id(event, recipient),
        kind=event.kind.value,
        at=event.at,
        title=title,
        body=body,
        booking_id=event.booking_id,
        complaint_id=event.complaint_id,
        job_id=event.job_id,
    )
    if not notifications.add_to_inbox(recipient.sub, entry):
        return  # delivered before: its push went with it
    delivery.inbox += 1
    data = {"kind": event.kind.value, "notification_id": entry.id}
    for name in ("booking_id", "complaint_id", "job_id"):
        value = getattr(event, name)
        if value:
            data[name] = value
    delivery.push += push.send(notifications.devices(recipient.sub), title, body, data)


def _by_sms(
    event: DomainEvent,
    recipient: Recipient,
    template: str,
    body: str,
    send: SendSms,
    now: Clock,
    delivery: Delivery,
) -> None:
    phone = _phone(recipient)
    if not phone:
        delivery.skipped.append(f"{recipient.audience}:no-phone")
        return
    marker = f"{event.event_id}#{recipient.key}#sms"
    expires = int(now().timestamp()) + notify_settings().delivery_marker_ttl_s
    if not notifications.claim_delivery(marker, expires):
        return  # sent before
    try:
        send(SmsMessage(to=phone, body=body, template=template))
    except Exception:
        logger.warning("SMS not sent; the event will be retried", extra={"event_id": event.event_id})
        notifications.release_delivery(marker)
        raise
    delivery.sms += 1


# --- the routes ---------------------------------------------------------------------------------

_INBOX_ROUTE = "GET /me/notifications"


def feeds_of(caller: Caller) -> list[str]:
    """The queue feeds an account reads: an officer's district's (the token's ``custom:district``,
    which only administrators set) and the appellate authority's. None for anyone else."""
    feeds: list[str] = []
    if not caller.is_officer:
        return feeds
    district = districts.code_of(caller.district) if caller.district else None
    if district:
        feeds.append(notifications.district_feed(district))
    if caller.is_appellate:
        feeds.append(notifications.APPELLATE_FEED)
    return feeds


def my_notifications(caller: Caller, limit: int, cursor: str | None) -> tuple[list[InboxEntry], str | None]:
    """The caller's inbox, newest first; an officer's merged with the feeds of their queues (one
    boundary, the last sort key shown, pages them all: the cursor is bound to the feeds)."""
    feeds = feeds_of(caller)
    if not feeds:
        scope = cursors.scope_of(_INBOX_ROUTE, caller.sub)
        start = cursors.decode(cursor, scope)
        entries, last = notifications.inbox_page(caller.sub, limit, start)
        return entries, cursors.encode(last, scope)
    scope = cursors.scope_of(_INBOX_ROUTE, caller.sub, *feeds)
    position = cursors.decode(cursor, scope)
    before = position.get("before") if position else None
    if position is not None and not isinstance(before, str):
        raise Unprocessable(cursors.INVALID_CURSOR)
    language = messages.language_or_default(notifications.get_preferences(caller.sub).language)
    entries, last_sk = notifications.merged_page(caller.sub, feeds, limit, before, language)
    return entries, cursors.encode({"before": last_sk} if last_sk else None, scope)


def set_preferences(caller: Caller, language: str, sms: bool, *, now: Clock = utc_now) -> Preferences:
    preferences = Preferences(language=language, sms=sms)
    notifications.put_preferences(caller.sub, preferences, iso(now()))
    return preferences


def register_device(caller: Caller, platform: str, token: str, *, now: Clock = utc_now) -> bool:
    """Keep the device; with the platform's application configured, make it a push endpoint.
    True when push reaches it."""
    application = notify_settings().platform_application(platform)
    endpoint = push.create_endpoint(application, token) if application else None
    notifications.put_device(caller.sub, platform, token, endpoint, iso(now()))
    return endpoint is not None
