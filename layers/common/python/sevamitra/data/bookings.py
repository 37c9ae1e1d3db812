"""The bookings repository: every booking write is conditional, and every write that claims or
frees a professional is ONE transaction with the professional's versioned update and its geo
index entries (``geo_index.add_index_changes``).

The citizen's count of bookings in ``requested`` (``OpenRequestsModel``) changes only inside the
transactions that create such a booking (``ADD 1`` while below the allowance) and that move one
out of ``requested`` (accept, cancel, expire: ``ADD -1``): it is never counted and then written.

Writes that can lose a race return a ``Commit``; the caller re-reads and decides (retry, 409).
Nothing is ever half-written: a cancelled transaction wrote nothing. Every transition also puts
its domain events in the outbox in the same transaction (``sevamitra.data.outbox``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from enum import Enum
from typing import Any

from pynamodb.constants import ALL_OLD
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from sevamitra.data import complaints as complaint_repo
from sevamitra.data import dynamo, geo_index, outbox, pages
from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import BookingModel, OpenRequestsModel, ProfessionalModel
from sevamitra.data.snapshots import ProfessionalSnapshot
from sevamitra.domain.bookings import (
    AWAITING_ACCEPT,
    Booking,
    BookingStatus,
    Rating,
    next_due_at,
    slot,
    slot_text,
)
from sevamitra.domain.complaints import Complaint
from sevamitra.domain.events import DomainEvent
from sevamitra.domain.professionals import ProfessionalStatus
from sevamitra.platform.clock import parse_iso


class Commit(Enum):
    DONE = "done"
    CONDITION_FAILED = "condition_failed"  # state moved on: re-read
    CONFLICT = "conflict"  # a concurrent transaction on the same item: back off, re-read
    LIMIT_REACHED = "limit_reached"  # the citizen already holds their allowance of open requests


# --- reads ------------------------------------------------------------------------------------


def listed_at(created_at: str, item_id: str) -> str:
    """The list indexes' sort key: newest first, one total order (``sevamitra.data.pages``)."""
    return f"{created_at}#{item_id}"


def _to_item(booking: Booking) -> BookingModel:
    values = booking.model_dump(mode="json", exclude_none=True)
    values["complaint_ids"] = set(values.pop("complaint_ids", ())) or None
    # Excluded from every dump of a booking; this table is the one place it is written.
    values["start_code"] = booking.start_code.get_secret_value() if booking.start_code else None
    due_at = next_due_at(booking)
    return BookingModel(
        **values,
        awaiting=AWAITING_ACCEPT if booking.status is BookingStatus.REQUESTED else None,
        listed_at=listed_at(booking.created_at, booking.id),
        timer=TIMER if due_at else None,
        timer_due_at=due_at,
    )


def _to_domain(item: BookingModel) -> Booking:
    complaint_ids = frozenset(item.complaint_ids or ())
    item.complaint_ids = None  # to_simple_dict cannot render string sets
    values = item.to_simple_dict()
    values.pop("awaiting", None)
    values.pop("listed_at", None)
    values.pop("timer", None)
    values.pop("timer_due_at", None)
    if values.get("held") is None:
        values.pop("held", None)  # stored before scheduled bookings: held from the start
    return Booking.model_validate({**values, "complaint_ids": complaint_ids})


def get_booking(booking_id: str) -> Booking | None:
    item = dynamo.read("Booking look-up", BookingModel, booking_id)
    return None if item is None else _to_domain(item)


def due_for_expiry(now: str) -> Iterator[str]:
    """Ids of bookings still awaiting acceptance whose ``expires_at`` is at or before ``now``,
    oldest first, from the sparse ``awaiting_accept`` index (paginated by pynamodb)."""
    with dependency_errors("Listing expired bookings"):
        for item in BookingModel.awaiting_accept.query(AWAITING_ACCEPT, BookingModel.expires_at <= now):
            yield str(item.id)


TIMER = "due"
"""The value of ``timer`` on a booking with a pending timer: the ``timers`` index's hash key."""


def due_timers(now: str) -> Iterator[str]:
    """Ids of bookings whose next timer (``next_due_at``) is at or before ``now``, oldest first."""
    with dependency_errors("Listing due booking timers"):
        for item in BookingModel.timers.query(TIMER, BookingModel.timer_due_at <= now):
            yield str(item.id)


def _timer_actions(after: Booking) -> list[Any]:
    """Set (or clear) the booking's ``timers`` index entry to what ``after`` needs next."""
    due_at = next_due_at(after)
    if due_at is None:
        return [BookingModel.timer.remove(), BookingModel.timer_due_at.remove()]
    return [BookingModel.timer.set(TIMER), BookingModel.timer_due_at.set(due_at)]


def _offers_value(booking: Booking) -> list[dict[str, Any]]:
    return [offer.model_dump(mode="json") for offer in booking.offers]


# The list indexes by name (``GET /bookings``): the logic chooses partitions, this module reads them.
LIST_INDEXES = {
    "by_citizen": BookingModel.by_citizen,
    "by_professional": BookingModel.by_professional,
    "by_registrar": BookingModel.by_registrar,
    "by_agency": BookingModel.by_agency,
    "by_booker": BookingModel.by_booker,
}


def list_bookings(
    partitions: Sequence[tuple[str, str]],
    *,
    status: str | None,
    professional_id: str | None,
    limit: int,
    state: Mapping[str, Any] | None,
) -> pages.Page[Booking]:
    """Bookings in the union of ``partitions`` (``(index name, key value)``), newest first,
    with the given status and professional only."""
    conditions = {
        "status": BookingModel.status == status if status else None,
        "professional_id": BookingModel.professional_id == professional_id if professional_id else None,
    }
    return pages.newest_first(
        pages.partitions_of(LIST_INDEXES, partitions, conditions),
        limit,
        state,
        lambda raw: _to_domain(BookingModel.from_raw_data(raw)),
    )


# --- writes -----------------------------------------------------------------------------------


def _transact(what: str, stage: Any, *, counted_sub: str | None = None) -> Commit:
    """The transaction ``stage`` fills, as a ``Commit``. ``LIMIT_REACHED`` when the refused item
    is the open-requests counter of ``counted_sub``: of a transaction's items only the counter's
    update returns the item as it was when its condition fails."""
    outcome = dynamo.transact(what, stage)
    if outcome.done:
        return Commit.DONE
    if counted_sub is not None and any(
        item.get("account_sub", {}).get("S") == counted_sub for item in outcome.refused_items()
    ):
        return Commit.LIMIT_REACHED
    if outcome.conflict:
        return Commit.CONFLICT
    if outcome.condition_failed:
        return Commit.CONDITION_FAILED
    outcome.reraise()


def _count_open_request(tx: TransactWrite, sub: str, allowance: int) -> None:
    """One more open request for ``sub``, only while they hold fewer than ``allowance``."""
    tx.update(
        OpenRequestsModel(sub),
        actions=[OpenRequestsModel.requested.add(1)],
        condition=OpenRequestsModel.requested.does_not_exist() | (OpenRequestsModel.requested < allowance),
        return_values=ALL_OLD,
    )


def _release_open_request(tx: TransactWrite, booking: Booking) -> None:
    """A counted booking leaves ``requested``: one open request fewer for its citizen. No
    condition: the booking's own condition (still ``requested``) makes this happen once."""
    if booking.status is BookingStatus.REQUESTED and booking.counted:
        tx.update(OpenRequestsModel(booking.citizen_sub), actions=[OpenRequestsModel.requested.add(-1)])


def create(
    booking: Booking, state: ProfessionalSnapshot, open_allowance: int, events: Sequence[DomainEvent] = ()
) -> Commit:
    """Put the booking and claim the professional: only while verified, online, without an
    active booking or a full-time engagement, and unchanged since read; their index entries
    leave in the same transaction, and the booking counts as one of its citizen's open requests
    (``LIMIT_REACHED`` when they already hold ``open_allowance``)."""
    after = state.subject._replace(active_booking_id=booking.id)

    def stage(tx: TransactWrite) -> None:
        if booking.counted:
            _count_open_request(tx, booking.citizen_sub, open_allowance)
        tx.save(_to_item(booking), condition=BookingModel.id.does_not_exist())
        if not booking.held:
            _hold_slot(tx, booking, state)
            outbox.add_events(tx, events, booking.created_at)
            return
        tx.update(
            state.versioned(),
            actions=[ProfessionalModel.active_booking_id.set(booking.id)],
            condition=(ProfessionalModel.status == ProfessionalStatus.VERIFIED.value)
            & (ProfessionalModel.online == True)  # noqa: E712 - a DynamoDB condition, not a test
            & ProfessionalModel.active_booking_id.does_not_exist()
            & ProfessionalModel.engagement_id.does_not_exist(),
        )
        geo_index.add_index_changes(tx, state.subject, after)
        outbox.add_events(tx, events, booking.created_at)

    return _transact("Booking", stage, counted_sub=booking.citizen_sub)


def _slots_without(state: ProfessionalSnapshot, booking_id: str) -> Any:
    rest = {k: v for k, v in state.slots.items() if k != booking_id}
    return ProfessionalModel.slots.set(rest) if rest else ProfessionalModel.slots.remove()


def _hold_slot(tx: TransactWrite, booking: Booking, state: ProfessionalSnapshot) -> None:
    """A scheduled booking takes its slot on the professional (the logic checked that it overlaps
    none of theirs; the update is conditional on the version read, so no other slot or claim
    came in between), only while they are verified and not held by a full-time engagement."""
    assert booking.scheduled_for is not None
    window = slot_text(slot(parse_iso(booking.scheduled_for), booking.duration_minutes))
    tx.update(
        state.versioned(),
        actions=[ProfessionalModel.slots.set({**state.slots, booking.id: window})],
        condition=(ProfessionalModel.status == ProfessionalStatus.VERIFIED.value)
        & ProfessionalModel.engagement_id.does_not_exist(),
    )


def accept(
    booking: Booking, now: str, events: Sequence[DomainEvent] = (), *, accepted: Booking | None = None
) -> Commit:
    """requested -> accepted, only while still requested, still offered to the professional it
    was read with (a re-offer moves it on) and not yet past ``expires_at``; one open request
    fewer for the citizen and the events in the outbox in the same transaction. ``accepted``
    (the booking as accepted) brings its offers' outcome and start deadline."""
    after = accepted or booking.model_copy(update={"status": BookingStatus.ACCEPTED})
    actions: list[Any] = [
        BookingModel.status.set(BookingStatus.ACCEPTED.value),
        BookingModel.awaiting.remove(),
        BookingModel.accepted_at.set(now),
        BookingModel.updated_at.set(now),
        *_timer_actions(after),
    ]
    if after.offers:
        actions.append(BookingModel.offers.set(_offers_value(after)))
    if after.start_due_at:
        actions.append(BookingModel.start_due_at.set(after.start_due_at))

    def stage(tx: TransactWrite) -> None:
        tx.update(
            BookingModel(booking.id),
            actions=actions,
            condition=(BookingModel.status == BookingStatus.REQUESTED.value)
            & (BookingModel.professional_id == booking.professional_id)
            & (BookingModel.expires_at > now),
        )
        _release_open_request(tx, booking)
        outbox.add_events(tx, events, now)

    return _transact("Accepting the booking", stage)


def record_wrong_start_code(booking: Booking, max_attempts: int, now: str) -> int | None:
    """Count a wrong start code (``ADD``, while accepted and below ``max_attempts``): the new
    count, or None when the booking is no longer accepted or already locked."""
    item = BookingModel(booking.id)
    if not dynamo.conditional(
        "Recording the attempt",
        lambda: item.update(
            actions=[BookingModel.start_attempts.add(1), BookingModel.updated_at.set(now)],
            condition=(BookingModel.status == BookingStatus.ACCEPTED.value)
            & (BookingModel.start_attempts < max_attempts),
        ),
    ):
        return None
    return int(item.start_attempts)


def start(booking: Booking, max_attempts: int, now: str, events: Sequence[DomainEvent] = ()) -> Commit:
    """accepted -> in_progress, only while accepted, not locked, and with the code hash checked."""

    def stage(tx: TransactWrite) -> None:
        tx.update(
            BookingModel(booking.id),
            actions=[
                BookingModel.status.set(BookingStatus.IN_PROGRESS.value),
                BookingModel.started_at.set(now),
                BookingModel.updated_at.set(now),
                # Started: no start deadline, and a scheduled one's reminder is moot.
                BookingModel.timer.remove(),
                BookingModel.timer_due_at.remove(),
            ],
            condition=(BookingModel.status == BookingStatus.ACCEPTED.value)
            & (BookingModel.start_attempts < max_attempts)
            & (BookingModel.start_code_hash == booking.start_code_hash),
        )
        outbox.add_events(tx, events, now)

    return _transact("Starting the booking", stage)


_ENDED_AT = {
    BookingStatus.COMPLETED: BookingModel.completed_at,
    BookingStatus.CANCELLED: BookingModel.cancelled_at,
    BookingStatus.EXPIRED: BookingModel.expired_at,
}


def finish(
    booking: Booking,
    to: BookingStatus,
    now: str,
    state: ProfessionalSnapshot | None,
    *,
    amount_collected_paise: int | None = None,
    cancelled_by: str | None = None,
    complaint: Complaint | None = None,
    events: Sequence[DomainEvent] = (),
    condition: Condition | None = None,
    reason: str | None = None,
    offers: Booking | None = None,
) -> Commit:
    """End the booking (completed, cancelled or expired) from the status it was read in and with
    the professional it was read with (and ``condition``: completion's claims still pending,
    ``data.expenses.still_pending``; ``reason``: why it expired; ``offers``: the booking whose
    offer history to record, a decline's), and in
    the same transaction free its professional (if they still hold this booking) and put them
    back in the index when eligible, open ``complaint`` (an automatic overcharge), and, when it
    leaves ``requested``, take it off its citizen's open requests."""
    actions: list[Any] = [
        BookingModel.status.set(to.value),
        BookingModel.awaiting.remove(),
        _ENDED_AT[to].set(now),
        BookingModel.updated_at.set(now),
        BookingModel.timer.remove(),
        BookingModel.timer_due_at.remove(),
    ]
    if reason is not None:
        actions.append(BookingModel.reason.set(reason))
    if offers is not None and offers.offers:
        actions.append(BookingModel.offers.set(_offers_value(offers)))
    if amount_collected_paise is not None:
        actions.append(BookingModel.amount_collected_paise.set(amount_collected_paise))
    if cancelled_by is not None:
        actions.append(BookingModel.cancelled_by.set(cancelled_by))
    if complaint is not None:
        actions += complaint_repo.booking_actions(complaint)
    holds = state is not None and state.active_booking_id == booking.id

    def stage(tx: TransactWrite) -> None:
        expected = (BookingModel.status == booking.status.value) & (
            BookingModel.professional_id == booking.professional_id
        )
        tx.update(
            BookingModel(booking.id),
            actions=actions,
            condition=expected if condition is None else expected & condition,
        )
        _release_open_request(tx, booking)
        slotted = state is not None and booking.id in state.slots
        if state is not None and holds:
            tx.update(
                state.versioned(),
                actions=[
                    ProfessionalModel.active_booking_id.remove(),
                    *([_slots_without(state, booking.id)] if slotted else []),
                ],
                condition=ProfessionalModel.active_booking_id == booking.id,
            )
            geo_index.add_index_changes(tx, state.subject, state.subject._replace(active_booking_id=None))
        elif state is not None and slotted:
            tx.update(state.versioned(), actions=[_slots_without(state, booking.id)])
        if complaint is not None:
            complaint_repo.add_open_complaint(tx, complaint, update_booking=False)
        outbox.add_events(tx, events, now)

    return _transact("Updating the booking", stage)


def rate(booking: Booking, rating: Rating, state: ProfessionalSnapshot | None, now: str) -> Commit:
    """Record the booking's one rating (only while completed and unrated) and add it to the
    professional's sum and count, refreshing the rating on their index entries."""

    def stage(tx: TransactWrite) -> None:
        tx.update(
            BookingModel(booking.id),
            actions=[
                BookingModel.rating.set(rating.model_dump(mode="json", exclude_none=True)),
                BookingModel.updated_at.set(now),
            ],
            condition=(BookingModel.status == BookingStatus.COMPLETED.value)
            & BookingModel.rating.does_not_exist(),
        )
        if state is not None:
            tx.update(
                state.versioned(),
                actions=[
                    ProfessionalModel.rating_sum.add(rating.stars),
                    ProfessionalModel.rating_count.add(1),
                ],
            )
            after = state.subject._replace(
                rating_sum=state.subject.rating_sum + rating.stars,
                rating_count=state.subject.rating_count + 1,
            )
            geo_index.add_index_changes(tx, state.subject, after)

    return _transact("Rating the booking", stage)


def reoffer(
    booking: Booking,
    after: Booking,
    old: ProfessionalSnapshot | None,
    new: ProfessionalSnapshot,
    now: str,
    events: Sequence[DomainEvent] = (),
) -> Commit:
    """Move a ``requested`` booking from its professional to ``new`` in ONE transaction: the
    booking (only while still requested, still offered to the professional it was read with and
    not past ``expires_at``) takes ``after``'s professional, offers and timer; the old holder is
    freed and back in the index when eligible; ``new`` is claimed as ``create`` claims (verified,
    online, free, unchanged since read) and leaves the index; the new request's events go in the
    outbox. A late accept by the old holder and this cannot both succeed: each is conditional
    on the booking's status and professional as read."""
    actions: list[Any] = [
        BookingModel.professional_id.set(new.id),
        BookingModel.offers.set(_offers_value(after)),
        BookingModel.updated_at.set(now),
        *_timer_actions(after),
    ]
    for attribute, value in (
        (BookingModel.registrar_sub, new.registered_by),
        (BookingModel.agency_id, new.agency_id),
    ):
        actions.append(attribute.set(value) if value is not None else attribute.remove())
    if after.offer_due_at:
        actions.append(BookingModel.offer_due_at.set(after.offer_due_at))
    holds = old is not None and old.active_booking_id == booking.id

    def stage(tx: TransactWrite) -> None:
        tx.update(
            BookingModel(booking.id),
            actions=actions,
            condition=(BookingModel.status == BookingStatus.REQUESTED.value)
            & (BookingModel.professional_id == booking.professional_id)
            & (BookingModel.expires_at > now),
        )
        if old is not None and holds:
            tx.update(
                old.versioned(),
                actions=[ProfessionalModel.active_booking_id.remove()],
                condition=ProfessionalModel.active_booking_id == booking.id,
            )
            geo_index.add_index_changes(tx, old.subject, old.subject._replace(active_booking_id=None))
        tx.update(
            new.versioned(),
            actions=[ProfessionalModel.active_booking_id.set(booking.id)],
            condition=(ProfessionalModel.status == ProfessionalStatus.VERIFIED.value)
            & (ProfessionalModel.online == True)  # noqa: E712 - a DynamoDB condition, not a test
            & ProfessionalModel.active_booking_id.does_not_exist()
            & ProfessionalModel.engagement_id.does_not_exist(),
        )
        geo_index.add_index_changes(tx, new.subject, new.subject._replace(active_booking_id=booking.id))
        outbox.add_events(tx, events, now)

    return _transact("Re-offering the booking", stage)


def clear_offer_timer(booking: Booking, after: Booking, now: str) -> Commit:
    """Record that the current offer timed out with nobody else to offer it to: the booking
    stays with its professional (who may still accept until ``expires_at``), without a timer."""
    item = BookingModel(booking.id)
    done = dynamo.conditional(
        "Recording the offer's timeout",
        lambda: item.update(
            actions=[
                BookingModel.offers.set(_offers_value(after)),
                BookingModel.updated_at.set(now),
                *_timer_actions(after),
            ],
            condition=(BookingModel.status == BookingStatus.REQUESTED.value)
            & (BookingModel.professional_id == booking.professional_id),
        ),
    )
    return Commit.DONE if done else Commit.CONDITION_FAILED


def hold(booking: Booking, after: Booking, state: ProfessionalSnapshot, now: str) -> Commit:
    """A scheduled booking's slot comes near: it claims its professional (only while they hold
    no other booking; their entries leave the index; the slot stays until the booking ends, so
    no later booking can overlap it), conditional
    on the booking still requested or accepted and not yet holding."""

    def stage(tx: TransactWrite) -> None:
        tx.update(
            BookingModel(booking.id),
            actions=[BookingModel.held.set(True), BookingModel.updated_at.set(now), *_timer_actions(after)],
            condition=BookingModel.status.is_in(BookingStatus.REQUESTED.value, BookingStatus.ACCEPTED.value)
            & (BookingModel.held == False)  # noqa: E712 - a DynamoDB condition, not a test
            & (BookingModel.professional_id == booking.professional_id),
        )
        tx.update(
            state.versioned(),
            actions=[ProfessionalModel.active_booking_id.set(booking.id)],
            condition=ProfessionalModel.active_booking_id.does_not_exist(),
        )
        geo_index.add_index_changes(tx, state.subject, state.subject._replace(active_booking_id=booking.id))

    return _transact("Claiming the scheduled booking's professional", stage)


def remind(booking: Booking, after: Booking, now: str, events: Sequence[DomainEvent]) -> Commit:
    """Mark the reminder sent (once: conditional on not yet reminded) with its events."""

    def stage(tx: TransactWrite) -> None:
        tx.update(
            BookingModel(booking.id),
            actions=[
                BookingModel.reminded.set(True),
                BookingModel.updated_at.set(now),
                *_timer_actions(after),
            ],
            condition=BookingModel.status.is_in(BookingStatus.REQUESTED.value, BookingStatus.ACCEPTED.value)
            & (BookingModel.reminded == False),  # noqa: E712 - a DynamoDB condition, not a test
        )
        outbox.add_events(tx, events, now)

    return _transact("Recording the reminder", stage)
