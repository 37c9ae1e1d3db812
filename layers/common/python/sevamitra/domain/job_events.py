"""The jobs function's domain events, for ``notify`` to turn into messages.

Same envelope as every domain event on the bus (EventBridge ``source`` ``sevamitra.events``,
``detail-type`` the kind): ``{"event_id", "kind", "at", "job_id", "professional_id"?,
"citizen_sub"?, "facts"}``. ``event_id`` is ``<kind>:<aggregate>[:<transition>]``, the same for
the same transition however often it is published (a retried request publishes again), so
``notify`` de-duplicates by it. ``citizen_sub`` is the employer's account (the side that is not
the professional). Facts are ids, money in paise and dates: never an Aadhaar number or a mobile.

Who hears what (``notify`` decides how: inbox, SMS, push):
- ``job_offer``: the professional (and whoever manages them) has an offer to accept or decline;
- ``job_application``: the employer, someone applied;
- ``job_offer_accepted`` / ``job_offer_declined`` / ``job_offer_lapsed``: the employer; a lapsed
  offer tells the professional too that the position was taken first;
- ``job_filled``: the employer, every position is taken;
- ``attendance_disputed``: the employer (and officers' dashboards), the worker disputes a day;
- ``engagement_ended``: both sides.
"""

from __future__ import annotations

from sevamitra.domain.events import DomainEvent, Fact, Kind
from sevamitra.domain.jobs import Application, Attendance, Engagement, Job, Offer


def _event(
    kind: Kind,
    at: str,
    parts: tuple[str, ...],
    *,
    job_id: str,
    professional_id: str | None,
    employer_sub: str,
    facts: dict[str, Fact],
) -> DomainEvent:
    return DomainEvent(
        event_id=":".join((kind.value, *parts)),
        kind=kind,
        at=at,
        job_id=job_id,
        professional_id=professional_id,
        citizen_sub=employer_sub,
        facts={k: v for k, v in facts.items() if v is not None},
    )


def _offer_facts(offer: Offer) -> dict[str, Fact]:
    return {
        "offer_id": offer.id,
        "job_title": offer.title,
        "service_id": offer.service_id,
        "job_kind": offer.kind.value,
        "wage_paise": offer.wage.paise,
        "wage_per": offer.wage.per.value,
        "starts_on": offer.starts_on,
    }


def job_offer(offer: Offer) -> DomainEvent:
    return _event(
        Kind.JOB_OFFER,
        offer.created_at,
        (offer.id,),
        job_id=offer.job_id,
        professional_id=offer.professional_id,
        employer_sub=offer.employer_sub,
        facts=_offer_facts(offer),
    )


def offer_answered(kind: Kind, offer: Offer, at: str, engagement_id: str | None = None) -> DomainEvent:
    """accepted, declined or lapsed: each happens to an offer at most once."""
    return _event(
        kind,
        at,
        (offer.id,),
        job_id=offer.job_id,
        professional_id=offer.professional_id,
        employer_sub=offer.employer_sub,
        facts={**_offer_facts(offer), "engagement_id": engagement_id},
    )


def job_application(job: Job, application: Application) -> DomainEvent:
    return _event(
        Kind.JOB_APPLICATION,
        application.applied_at,
        (job.id, application.professional_id),
        job_id=job.id,
        professional_id=application.professional_id,
        employer_sub=job.poster_sub,
        facts={"job_title": job.title, "distance_m": application.distance_m},
    )


def job_filled(job: Job, at: str) -> DomainEvent:
    return _event(
        Kind.JOB_FILLED,
        at,
        (job.id,),
        job_id=job.id,
        professional_id=None,
        employer_sub=job.poster_sub,
        facts={"job_title": job.title, "positions": job.positions},
    )


def attendance_disputed(engagement: Engagement, entry: Attendance) -> DomainEvent:
    dispute = entry.dispute
    return _event(
        Kind.ATTENDANCE_DISPUTED,
        dispute.at if dispute else entry.recorded_at,
        (engagement.id, entry.date),
        job_id=engagement.job_id,
        professional_id=engagement.professional_id,
        employer_sub=engagement.employer_sub,
        facts={
            "engagement_id": engagement.id,
            "date": entry.date,
            "recorded_present": entry.present,
            "claimed_present": dispute.present if dispute else None,
            "claimed_pieces": dispute.pieces if dispute else None,
        },
    )


def engagement_ended(engagement: Engagement, at: str, by: str) -> DomainEvent:
    return _event(
        Kind.ENGAGEMENT_ENDED,
        at,
        (engagement.id,),
        job_id=engagement.job_id,
        professional_id=engagement.professional_id,
        employer_sub=engagement.employer_sub,
        facts={"engagement_id": engagement.id, "ended_by": by},
    )
