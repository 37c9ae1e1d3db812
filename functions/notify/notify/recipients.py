"""Who must hear of an event: the citizen, the professional, the account that manages an
assisted professional (the one that registered them on their behalf), and the officers whose
queue the event adds to.

The professional is reached at their registered mobile (SMS) and, if they have an account of
their own, in its inbox; a managing account in its inbox and at its phone number. Officers are
reached through a queue feed, not one by one: the event is written ONCE to the feed of the
professional's district (``feed#district#<code>``: the district a professional registered in,
or the complaint's, from the event's ``district`` fact) or to the appellate feed, and
``GET /me/notifications`` merges an officer's inbox with the feeds their token names (the
``custom:district`` attribute; the ``appellate`` group). Inbox only: no SMS or push to officers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sevamitra.data.notifications import APPELLATE_FEED, district_feed
from sevamitra.domain import districts
from sevamitra.domain.events import DomainEvent, Kind
from sevamitra.domain.professionals import Professional

CITIZEN, PROFESSIONAL, MANAGER = "citizen", "professional", "manager"
# The citizen of a helpline booking (the event's fact ``by_helpline``): no app, so the booking's
# updates come by SMS from the kind's ``caller`` template where it has one (issue 17).
CALLER = "caller"
_PROFESSIONAL_SIDE = (PROFESSIONAL, MANAGER)
# Queue feeds (one row per event, read by every officer of the queue): the officers of the
# district concerned, and the appellate authority.
OFFICERS, APPELLATE = "officers", "appellate"

# Who hears of each kind (API.md, "Notifications"). booking_cancelled depends on who cancelled.
AUDIENCES: dict[Kind, tuple[str, ...]] = {
    Kind.BOOKING_REQUESTED: _PROFESSIONAL_SIDE,
    Kind.BOOKING_ACCEPTED: (CITIZEN,),
    Kind.BOOKING_EXPIRED: (CITIZEN,),
    Kind.BOOKING_CANCELLED: (CITIZEN,),
    Kind.BOOKING_STARTED: (CITIZEN,),
    Kind.BOOKING_COMPLETED: (CITIZEN,),
    Kind.COMPLAINT_OPENED: (*_PROFESSIONAL_SIDE, OFFICERS),
    Kind.COMPLAINT_DECIDED: (CITIZEN, *_PROFESSIONAL_SIDE),
    Kind.VERIFICATION_DECIDED: _PROFESSIONAL_SIDE,
    Kind.SUSPENDED: _PROFESSIONAL_SIDE,
    Kind.BANNED: _PROFESSIONAL_SIDE,
    Kind.BAN_CONFIRMED: _PROFESSIONAL_SIDE,
    Kind.PROFESSIONAL_AVAILABLE: (CITIZEN,),
    Kind.JOB_OFFER: _PROFESSIONAL_SIDE,
    # Jobs: the employer (the event's citizen side) follows the post; the worker hears when an
    # offer lapsed (every position was taken first) and when the engagement ends.
    Kind.JOB_APPLICATION: (CITIZEN,),
    Kind.JOB_OFFER_ACCEPTED: (CITIZEN,),
    Kind.JOB_OFFER_DECLINED: (CITIZEN,),
    Kind.JOB_OFFER_LAPSED: (CITIZEN, *_PROFESSIONAL_SIDE),
    Kind.JOB_FILLED: (CITIZEN,),
    Kind.ATTENDANCE_DISPUTED: (CITIZEN,),
    Kind.ENGAGEMENT_ENDED: (CITIZEN, *_PROFESSIONAL_SIDE),
    Kind.BOOKING_REMINDER: (CITIZEN, *_PROFESSIONAL_SIDE),
    # The officers' queues (issue 15): what waits for an officer of the district, or for the
    # appellate authority.
    Kind.VERIFICATION_SUBMITTED: (OFFICERS,),
    Kind.BAN_PROPOSED: (OFFICERS,),
    Kind.COMPLAINT_ESCALATED: (OFFICERS,),
    Kind.APPEAL_FILED: (APPELLATE,),
    # Issue 18: what IGRS says of an escalated complaint; a claim for materials to approve.
    Kind.IGRS_STATUS: (CITIZEN, *_PROFESSIONAL_SIDE),
    Kind.EXPENSE_CLAIMED: (CITIZEN,),
}


@dataclass(frozen=True)
class Recipient:
    audience: str
    key: str  # names the recipient in delivery markers and notification ids
    sub: str | None = None  # the account: inbox, preferences, devices
    sealed_mobile: str | None = None  # the professional's registered mobile, sealed
    phone_account: str | None = None  # an account whose own phone number gets the SMS
    feed: str | None = None  # a queue feed (officers): one row, in both languages, no SMS or push


def audiences(event: DomainEvent) -> tuple[str, ...]:
    if event.kind is Kind.BOOKING_CANCELLED and event.facts.get("cancelled_by") == CITIZEN:
        # The citizen knows; the professional (who may have accepted by SMS) must hear of it.
        return _PROFESSIONAL_SIDE
    return AUDIENCES.get(event.kind, ())


def district_of(event: DomainEvent, professional: Professional | None) -> str | None:
    """The district whose officers' queue the event concerns: the event's ``district`` fact (a
    complaint's), else the professional's."""
    named = event.facts.get("district")
    if not isinstance(named, str) or not named:
        named = professional.district if professional is not None else None
    return districts.code_of(named) if named else None


def recipients(event: DomainEvent, professional: Professional | None) -> list[Recipient]:
    found: list[Recipient] = []
    for audience in audiences(event):
        if audience == OFFICERS:
            district = district_of(event, professional)
            if district:
                feed = district_feed(district)
                found.append(Recipient(OFFICERS, f"feed:{feed}", feed=feed))
            continue
        if audience == APPELLATE:
            found.append(Recipient(APPELLATE, f"feed:{APPELLATE_FEED}", feed=APPELLATE_FEED))
            continue
        if audience == CITIZEN and event.citizen_sub:
            # At the phone number the account signed up with, where a kind's template says SMS
            # (booking_completed: the reply that records what the citizen paid).
            found.append(
                Recipient(
                    CITIZEN,
                    f"acct:{event.citizen_sub}",
                    sub=event.citizen_sub,
                    phone_account=event.citizen_sub,
                )
            )
        elif audience == PROFESSIONAL and professional is not None:
            found.append(
                Recipient(
                    PROFESSIONAL,
                    f"pro:{professional.id}",
                    sub=professional.account_sub,
                    sealed_mobile=professional.mobile_sealed,
                )
            )
        elif audience == MANAGER and professional is not None:
            manager = professional.registered_by
            if manager and manager != professional.account_sub:
                found.append(Recipient(MANAGER, f"acct:{manager}", sub=manager, phone_account=manager))
    return found
