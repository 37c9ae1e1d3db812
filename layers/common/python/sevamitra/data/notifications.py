"""The notifications table: inbox rows, preferences, devices, delivery markers, SMS references,
the "not understood" rate limit and the officers' queue feeds, one key family each
(``NotificationModel``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sevamitra.data import dynamo
from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import NotificationModel

INBOX, PREFS, DEVICE, SENT, REF, NACK = "inbox#", "prefs#", "device#", "sent#", "ref#", "nack#"
FEED = "feed#"


def digest(text: str, size: int = 32) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:size]


# --- preferences ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    language: str = "hi"
    sms: bool = True


def get_preferences(sub: str) -> Preferences:
    """The account's preferences, or the defaults (Hindi, SMS on)."""
    with dependency_errors("Reading preferences"):
        try:
            item = NotificationModel.get(f"{PREFS}{sub}", "prefs")
        except NotificationModel.DoesNotExist:
            return Preferences()
    return Preferences(language=item.language or "hi", sms=bool(item.sms) if item.sms is not None else True)


def put_preferences(sub: str, preferences: Preferences, now: str) -> None:
    with dependency_errors("Saving preferences"):
        NotificationModel(
            f"{PREFS}{sub}", "prefs", language=preferences.language, sms=preferences.sms, updated_at=now
        ).save()


# --- devices ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Device:
    platform: str
    endpoint_arn: str | None


def put_device(sub: str, platform: str, token: str, endpoint_arn: str | None, now: str) -> None:
    """One item per (account, platform, token): registering the same token again refreshes it."""
    with dependency_errors("Saving the device"):
        NotificationModel(
            f"{DEVICE}{sub}",
            f"{platform}#{digest(token)}",
            platform=platform,
            token=token,
            endpoint_arn=endpoint_arn,
            updated_at=now,
        ).save()


def devices(sub: str) -> list[Device]:
    with dependency_errors("Reading devices"):
        return [
            Device(str(item.platform), item.endpoint_arn)
            for item in NotificationModel.query(f"{DEVICE}{sub}")
        ]


# --- the inbox --------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxEntry:
    id: str
    kind: str
    at: str
    title: str
    body: str
    booking_id: str | None = None
    complaint_id: str | None = None
    job_id: str | None = None
    professional_id: str | None = None  # a queue feed's rows name the professional concerned


def add_to_inbox(sub: str, entry: InboxEntry) -> bool:
    """Put ``entry`` in ``sub``'s inbox once (its id is derived from the event and recipient):
    False when it was already there."""
    return _put_once(f"{INBOX}{sub}", entry, "Writing the inbox")


def _put_once(pk: str, entry: InboxEntry, what: str, **extra: Any) -> bool:
    item = NotificationModel(
        pk,
        f"{entry.at}#{entry.id}",
        notification_id=entry.id,
        kind=entry.kind,
        at=entry.at,
        title=entry.title,
        body=entry.body,
        booking_id=entry.booking_id,
        complaint_id=entry.complaint_id,
        job_id=entry.job_id,
        **extra,
    )
    return dynamo.conditional(what, lambda: item.save(condition=NotificationModel.pk.does_not_exist()))


def inbox_page(
    sub: str, limit: int, start: dict[str, Any] | None
) -> tuple[list[InboxEntry], dict[str, Any] | None]:
    """Newest first: one page, and the key to start the next one from (None on the last page:
    one more item is read to know)."""
    with dependency_errors("Reading the inbox"):
        items = list(
            NotificationModel.query(
                f"{INBOX}{sub}", scan_index_forward=False, limit=limit + 1, last_evaluated_key=start
            )
        )
    page = items[:limit]
    entries = [_entry(item) for item in page]
    if len(items) <= limit:
        return entries, None
    last = page[-1]
    return entries, {"pk": {"S": last.pk}, "sk": {"S": last.sk}}


def _entry(item: NotificationModel, language: str = "hi") -> InboxEntry:
    english = language == "en" and item.title_en is not None
    return InboxEntry(
        id=str(item.notification_id),
        kind=str(item.kind),
        at=str(item.at),
        title=str(item.title_en if english else item.title),
        body=str(item.body_en if english else item.body),
        booking_id=item.booking_id,
        complaint_id=item.complaint_id,
        job_id=item.job_id,
        professional_id=item.professional_id if item.pk.startswith(FEED) else None,
    )


# --- the officers' queue feeds ------------------------------------------------------------------
# A queue's notification is one row per event under ``feed#<feed>``, in both languages, read by
# every officer the queue belongs to (no roster to keep, one write per event). ``merged_page``
# reads an officer's inbox and feeds as one list.

APPELLATE_FEED = "appellate"


def district_feed(district: str) -> str:
    return f"district#{district}"


def add_to_feed(feed: str, entry: InboxEntry, title_en: str, body_en: str) -> bool:
    """Put ``entry`` (Hindi ``title``/``body``; English given) in ``feed`` once: False when it
    was already there."""
    return _put_once(
        f"{FEED}{feed}",
        entry,
        "Writing the queue feed",
        title_en=title_en,
        body_en=body_en,
        professional_id=entry.professional_id,
    )


def merged_page(
    sub: str, feeds: list[str], limit: int, before: str | None, language: str
) -> tuple[list[InboxEntry], str | None]:
    """``sub``'s inbox and ``feeds`` as one list, newest first: one page of entries older than
    ``before`` (a sort key; None for the first page), and the sort key of the page's last entry
    to start the next page before (None on the last page). Sort keys (``<at>#<id>``) are unique
    across the partitions, so one boundary pages them all: no entry twice, none skipped."""
    partitions = [f"{INBOX}{sub}", *(f"{FEED}{feed}" for feed in feeds)]
    condition = NotificationModel.sk < before if before else None
    with dependency_errors("Reading the inbox"):
        items = [
            item
            for pk in partitions
            for item in NotificationModel.query(pk, condition, scan_index_forward=False, limit=limit + 1)
        ]
    items.sort(key=lambda item: item.sk, reverse=True)
    page = items[:limit]
    entries = [_entry(item, language) for item in page]
    if len(items) <= limit:
        return entries, None
    return entries, str(page[-1].sk)


# --- one delivery per event, recipient and channel ---------------------------------------------


def claim_delivery(marker: str, expires: int) -> bool:
    """Take ``sent#<marker>`` before sending: False when a delivery already took it."""
    return dynamo.conditional(
        "Recording the delivery",
        lambda: NotificationModel(f"{SENT}{marker}", "sent", expires=expires).save(
            condition=NotificationModel.pk.does_not_exist()
        ),
    )


def release_delivery(marker: str) -> None:
    """Give the marker back after a failed send, so that the retry sends."""
    with dependency_errors("Releasing the delivery"):
        NotificationModel(f"{SENT}{marker}", "sent").delete()


# --- SMS references -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SmsReference:
    ref: str
    booking_id: str
    professional_id: str
    live_until: str
    # What a reply naming it may do: ``request`` (HAAN / NA, the professional) or ``payment``
    # (PAID, the booking's citizen, after completion).
    purpose: str = "request"


REQUEST_REF, PAYMENT_REF = "request", "payment"


def claim_reference(reference: SmsReference, now: str, expires: int) -> bool:
    """Take ``ref#<REF>`` for a booking request: only when free, stale (its request no longer
    live) or already this request's. False when a live request of another booking holds it."""
    same_purpose = NotificationModel.kind == reference.purpose
    if reference.purpose == REQUEST_REF:  # references made before purposes existed
        same_purpose = same_purpose | NotificationModel.kind.does_not_exist()
    condition = (
        NotificationModel.pk.does_not_exist()
        | (NotificationModel.live_until < now)
        | (
            (NotificationModel.booking_id == reference.booking_id)
            & (NotificationModel.professional_id == reference.professional_id)
            & same_purpose
        )
    )
    return dynamo.conditional(
        "Claiming an SMS reference",
        lambda: NotificationModel(
            f"{REF}{reference.ref}",
            "ref",
            booking_id=reference.booking_id,
            professional_id=reference.professional_id,
            live_until=reference.live_until,
            kind=reference.purpose,
            expires=expires,
        ).save(condition=condition),
    )


def find_reference(ref: str) -> SmsReference | None:
    with dependency_errors("Reading an SMS reference"):
        try:
            item = NotificationModel.get(f"{REF}{ref}", "ref", consistent_read=True)
        except NotificationModel.DoesNotExist:
            return None
    return SmsReference(
        ref, str(item.booking_id), str(item.professional_id), str(item.live_until), item.kind or REQUEST_REF
    )


def claim_reply_slot(sender_digest: str, now: str, until: str, expires: int) -> bool:
    """At most one "not understood" reply per sender per window: True when this sender may get
    one now (the slot is taken until ``until``)."""
    return dynamo.conditional(
        "Rate-limiting replies",
        lambda: NotificationModel(f"{NACK}{sender_digest}", "nack", live_until=until, expires=expires).save(
            condition=NotificationModel.pk.does_not_exist() | (NotificationModel.live_until < now)
        ),
    )


def inbox_of(sub: str) -> Iterator[InboxEntry]:
    """Every entry of ``sub``'s inbox, newest first (tests and tools)."""
    start: dict[str, Any] | None = None
    while True:
        entries, start = inbox_page(sub, 100, start)
        yield from entries
        if not start:
            return
