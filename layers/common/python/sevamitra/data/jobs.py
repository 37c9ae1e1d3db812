"""The jobs repository: posts and their site index, applications, offers, engagements and
attendance. Every state change is conditional; the ones that span items are one transaction:

- a post is stored with its site entries (``job_sites``), and the entries leave with the status
  ``open`` (the last position filled, the post closed) in the same transaction;
- an offer is stored with its application's move to ``offered``, while the job is open;
- an accept is ONE transaction: the offer (pending -> accepted), the application (offered ->
  engaged), the job's ``filled`` counter (conditional on the count read and on ``open``; the
  last position sets ``filled``), the new engagement, and the professional: for a holding
  (full-time) engagement their versioned update (``engagement_id``) with their match index
  entries (``geo_index.add_index_changes``), as a booking claims them; otherwise a check that
  they are still verified. Of racing accepts for the last position exactly one commits;
- an engagement that ends frees its professional and re-indexes them in its transaction.

Writes that can lose a race return a ``Commit``; the caller reads again and decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from sevamitra.data import dynamo, geo_index
from sevamitra.data.bookings import Commit
from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import (
    ApplicationModel,
    AttendanceModel,
    EngagementModel,
    JobModel,
    JobSiteModel,
    OfferModel,
    ProfessionalModel,
)
from sevamitra.data.snapshots import ProfessionalSnapshot
from sevamitra.domain import geo
from sevamitra.domain.jobs import (
    ANY_SERVICE,
    Application,
    ApplicationStatus,
    Attendance,
    Dispute,
    Engagement,
    EngagementStatus,
    Job,
    JobStatus,
    Offer,
    OfferStatus,
)
from sevamitra.domain.professionals import ProfessionalStatus

StartKey = dict[str, Any] | None
Page = tuple[list[Any], StartKey]


def _transact(what: str, stage: Callable[[TransactWrite], None]) -> Commit:
    """The transaction ``stage`` fills, as a ``Commit`` (``sevamitra.data.dynamo.transact``)."""
    outcome = dynamo.transact(what, stage)
    if outcome.done:
        return Commit.DONE
    if outcome.conflict:
        return Commit.CONFLICT
    if outcome.condition_failed:
        return Commit.CONDITION_FAILED
    outcome.reraise()


def _plain(item: Any) -> dict[str, Any]:
    return dict(item.to_simple_dict())


def _page(items: Iterable[Any], limit: int, keys: tuple[str, ...]) -> Page:
    """The first ``limit`` of ``items`` (read ``limit + 1``) and, when there are more, the
    ``ExclusiveStartKey`` of the next page (the last item's table and index keys)."""
    taken = []
    for item in items:
        taken.append(item)
        if len(taken) > limit:
            break
    if len(taken) <= limit:
        return taken, None
    last = taken[limit - 1].serialize()
    return taken[:limit], {key: last[key] for key in keys}


# --- posts and their sites ------------------------------------------------------------------------


def _job_item(job: Job) -> JobModel:
    return JobModel(**job.model_dump(mode="json", exclude_none=True))


def _job(item: JobModel) -> Job:
    return Job.model_validate(_plain(item))


def site_entries(job: Job) -> list[JobSiteModel]:
    """The site index entries of an open job: under its service and under ``ANY_SERVICE``."""
    cell = geo.fine_cell(job.lat, job.lng)
    partition = geo.partition_cell(cell)
    return [
        JobSiteModel(
            pk=geo.partition_key(service, partition),
            sk=geo.sort_key(cell, job.id),
            job_id=job.id,
            lat=job.lat,
            lng=job.lng,
        )
        for service in (job.service_id, ANY_SERVICE)
    ]


def create_job(job: Job) -> None:
    """The post (a new id) and its site entries, in one transaction."""

    def stage(tx: TransactWrite) -> None:
        tx.save(_job_item(job), condition=JobModel.id.does_not_exist())
        for entry in site_entries(job):
            tx.save(entry)

    if _transact("Posting the job", stage) is not Commit.DONE:
        raise RuntimeError("a new job id was already taken")  # ids are random: never


def get_job(job_id: str) -> Job | None:
    with dependency_errors("Job look-up"):
        try:
            return _job(JobModel.get(job_id, consistent_read=True))
        except DoesNotExist:
            return None


def get_jobs(job_ids: list[str]) -> dict[str, Job]:
    """The posts with these ids (one BatchGetItem per 100), by id; missing ones left out."""
    if not job_ids:
        return {}
    with dependency_errors("Job look-up"):
        return {item.id: _job(item) for item in JobModel.batch_get(job_ids)}


def jobs_of_poster(sub: str, limit: int, start: StartKey) -> tuple[list[Job], StartKey]:
    """The account's posts, newest first, a page at a time (the ``by_poster`` index)."""
    with dependency_errors("Listing jobs"):
        items, last = _page(
            JobModel.by_poster.query(
                sub, scan_index_forward=False, limit=limit + 1, last_evaluated_key=start
            ),
            limit,
            ("id", "poster_sub", "created_at"),
        )
    return [_job(item) for item in items], last


def _site_reader(service: str) -> geo.Reader:
    def read(key_range: geo.KeyRange, cap: int | None) -> geo.Page:
        results = JobSiteModel.query(
            key_range.pk(service),
            JobSiteModel.sk.between(key_range.sk_low, key_range.sk_high),
            limit=cap,
            attributes_to_get=["sk", "lat", "lng"],
        )
        entries = [
            geo.Entry(
                sk=item.sk, professional_id=item.sk.split("#", 1)[1], lat=float(item.lat), lng=float(item.lng)
            )
            for item in results
        ]
        complete = cap is None or len(entries) < cap or results.last_evaluated_key is None
        return geo.Page(entries, complete)

    return read


def nearest_open_jobs(service: str | None, lat: float, lng: float, limit: int) -> list[geo.Hit]:
    """The ``limit`` open jobs nearest to the point within 3 km (``Entry.professional_id`` holds
    the job id): the match index's nearest-first search over the site index, no Scan."""
    with dependency_errors("Job search"):
        return geo.nearest(lat, lng, limit, _site_reader(service or ANY_SERVICE))


def close(job: Job, at: str) -> Commit:
    """open -> closed; its site entries leave in the same transaction."""

    def stage(tx: TransactWrite) -> None:
        tx.update(
            JobModel(job.id),
            actions=[
                JobModel.status.set(JobStatus.CLOSED.value),
                JobModel.closed_at.set(at),
                JobModel.updated_at.set(at),
            ],
            condition=JobModel.status == JobStatus.OPEN.value,
        )
        for entry in site_entries(job):
            tx.delete(JobSiteModel(entry.pk, entry.sk))

    return _transact("Closing the job", stage)


# --- applications ---------------------------------------------------------------------------------


def _application(item: ApplicationModel) -> Application:
    return Application.model_validate(_plain(item))


def get_application(job_id: str, professional_id: str) -> Application | None:
    with dependency_errors("Application look-up"):
        try:
            return _application(ApplicationModel.get(job_id, professional_id, consistent_read=True))
        except DoesNotExist:
            return None


def add_application(application: Application) -> bool:
    """Store the application; False when this professional already applied to this job."""
    item = ApplicationModel(**application.model_dump(mode="json", exclude_none=True))
    return dynamo.conditional(
        "Applying", lambda: item.save(condition=ApplicationModel.professional_id.does_not_exist())
    )


_APPLICATION_PAGE_KEYS = ("job_id", "professional_id", "applied_at")


def applications_of(job_id: str, limit: int, start: StartKey) -> tuple[list[Application], StartKey]:
    """A job's applications, newest first, a page at a time."""
    with dependency_errors("Listing applications"):
        items, last = _page(
            ApplicationModel.by_job_recent.query(
                job_id, scan_index_forward=False, limit=limit + 1, last_evaluated_key=start
            ),
            limit,
            _APPLICATION_PAGE_KEYS,
        )
    return [_application(item) for item in items], last


# --- offers ---------------------------------------------------------------------------------------


def _offer(item: OfferModel) -> Offer:
    return Offer.model_validate(_plain(item))


def get_offer(offer_id: str) -> Offer | None:
    with dependency_errors("Offer look-up"):
        try:
            return _offer(OfferModel.get(offer_id, consistent_read=True))
        except DoesNotExist:
            return None


def add_offer(offer: Offer, at: str) -> Commit:
    """The offer, and its application ``applied`` -> ``offered``, while the job is open."""

    def stage(tx: TransactWrite) -> None:
        tx.save(
            OfferModel(**offer.model_dump(mode="json", exclude_none=True)),
            condition=OfferModel.id.does_not_exist(),
        )
        tx.update(
            ApplicationModel(offer.job_id, offer.professional_id),
            actions=[
                ApplicationModel.status.set(ApplicationStatus.OFFERED.value),
                ApplicationModel.offer_id.set(offer.id),
                ApplicationModel.updated_at.set(at),
            ],
            condition=ApplicationModel.status == ApplicationStatus.APPLIED.value,
        )
        tx.condition_check(JobModel, offer.job_id, condition=JobModel.status == JobStatus.OPEN.value)

    return _transact("Making the offer", stage)


def _offer_decided(
    tx: TransactWrite, offer: Offer, to: OfferStatus, at: str, extra: list[Any] | None = None
) -> None:
    tx.update(
        OfferModel(offer.id),
        actions=[OfferModel.status.set(to.value), OfferModel.decided_at.set(at), *(extra or [])],
        condition=OfferModel.status == OfferStatus.PENDING.value,
    )


def _application_moved(tx: TransactWrite, offer: Offer, to: ApplicationStatus, at: str) -> None:
    tx.update(
        ApplicationModel(offer.job_id, offer.professional_id),
        actions=[ApplicationModel.status.set(to.value), ApplicationModel.updated_at.set(at)],
        condition=(ApplicationModel.status == ApplicationStatus.OFFERED.value)
        & (ApplicationModel.offer_id == offer.id),
    )


def end_offer(offer: Offer, to: OfferStatus, at: str) -> Commit:
    """pending -> declined (the professional said no) or lapsed (the job filled or closed first);
    the application is ``declined`` either way."""

    def stage(tx: TransactWrite) -> None:
        _offer_decided(tx, offer, to, at)
        _application_moved(tx, offer, ApplicationStatus.DECLINED, at)

    return _transact("Answering the offer", stage)


ENDING = "active"


def _engagement_item(engagement: Engagement) -> EngagementModel:
    ending = ENDING if engagement.ends_on and engagement.status is EngagementStatus.ACTIVE else None
    return EngagementModel(**engagement.model_dump(mode="json", exclude_none=True), ending=ending)


def accept(offer: Offer, job: Job, engagement: Engagement, state: ProfessionalSnapshot, at: str) -> Commit:
    """The offer becomes ``engagement``, taking one of the job's positions: only if the job is
    still open with the count read (``job.filled``), the offer pending, and the professional
    verified (and, for a holding engagement, not held already and unchanged since read)."""
    filled = job.filled + 1
    job_actions: list[Any] = [JobModel.filled.set(filled), JobModel.updated_at.set(at)]
    last_position = filled >= job.positions
    if last_position:
        job_actions.append(JobModel.status.set(JobStatus.FILLED.value))

    def stage(tx: TransactWrite) -> None:
        _offer_decided(tx, offer, OfferStatus.ACCEPTED, at, [OfferModel.engagement_id.set(engagement.id)])
        _application_moved(tx, offer, ApplicationStatus.ENGAGED, at)
        tx.update(
            JobModel(job.id),
            actions=job_actions,
            condition=(JobModel.status == JobStatus.OPEN.value) & (JobModel.filled == job.filled),
        )
        tx.save(_engagement_item(engagement), condition=EngagementModel.id.does_not_exist())
        if last_position:
            for entry in site_entries(job):
                tx.delete(JobSiteModel(entry.pk, entry.sk))
        verified = ProfessionalModel.status == ProfessionalStatus.VERIFIED.value
        if engagement.holds_professional:
            tx.update(
                state.versioned(),
                actions=[ProfessionalModel.engagement_id.set(engagement.id)],
                condition=verified & ProfessionalModel.engagement_id.does_not_exist(),
            )
            geo_index.add_index_changes(
                tx, state.subject, state.subject._replace(engagement_id=engagement.id)
            )
        else:
            tx.condition_check(ProfessionalModel, state.subject.id, condition=verified)

    return _transact("Accepting the offer", stage)


# --- engagements ----------------------------------------------------------------------------------


def _engagement(item: EngagementModel) -> Engagement:
    values = _plain(item)
    values.pop("ending", None)
    return Engagement.model_validate(values)


def get_engagement(engagement_id: str) -> Engagement | None:
    with dependency_errors("Engagement look-up"):
        try:
            return _engagement(EngagementModel.get(engagement_id, consistent_read=True))
        except DoesNotExist:
            return None


def engagements_of_employer(sub: str, limit: int, start: StartKey) -> tuple[list[Engagement], StartKey]:
    with dependency_errors("Listing engagements"):
        items, last = _page(
            EngagementModel.by_employer.query(
                sub, scan_index_forward=False, limit=limit + 1, last_evaluated_key=start
            ),
            limit,
            ("id", "employer_sub", "created_at"),
        )
    return [_engagement(item) for item in items], last


def engagements_of_professional(
    professional_id: str, limit: int, start: StartKey
) -> tuple[list[Engagement], StartKey]:
    with dependency_errors("Listing engagements"):
        items, last = _page(
            EngagementModel.by_professional.query(
                professional_id, scan_index_forward=False, limit=limit + 1, last_evaluated_key=start
            ),
            limit,
            ("id", "professional_id", "created_at"),
        )
    return [_engagement(item) for item in items], last


def end_engagement(engagement: Engagement, at: str, by: str, state: ProfessionalSnapshot | None) -> Commit:
    """active -> ended; a professional it holds is freed and re-indexed when eligible."""
    holds = state is not None and state.subject.engagement_id == engagement.id

    def stage(tx: TransactWrite) -> None:
        tx.update(
            EngagementModel(engagement.id),
            actions=[
                EngagementModel.status.set(EngagementStatus.ENDED.value),
                EngagementModel.ended_at.set(at),
                EngagementModel.ended_by.set(by),
                EngagementModel.ending.remove(),
            ],
            condition=EngagementModel.status == EngagementStatus.ACTIVE.value,
        )
        if state is not None and holds:
            tx.update(
                state.versioned(),
                actions=[ProfessionalModel.engagement_id.remove()],
                condition=ProfessionalModel.engagement_id == engagement.id,
            )
            geo_index.add_index_changes(tx, state.subject, state.subject._replace(engagement_id=None))

    return _transact("Ending the engagement", stage)


def due_to_end(before: str) -> list[str]:
    """Ids of active engagements whose ``ends_on`` is before ``before`` (``YYYY-MM-DD``), from the
    sparse ``ending`` index (never a scan)."""
    with dependency_errors("Listing engagements to end"):
        return [
            str(item.id)
            for item in EngagementModel.ending_index.query(ENDING, EngagementModel.ends_on < before)
        ]


# --- attendance -----------------------------------------------------------------------------------


def _attendance(item: AttendanceModel) -> Attendance:
    values = _plain(item)
    values["date"] = values.pop("work_day", item.date)  # to_simple_dict names it as stored
    return Attendance.model_validate(values)


def add_attendance(entry: Attendance) -> bool:
    """Record a day; False when that day is already recorded."""
    item = AttendanceModel(**entry.model_dump(mode="json", exclude_none=True))
    return dynamo.conditional(
        "Recording attendance", lambda: item.save(condition=AttendanceModel.date.does_not_exist())
    )


def get_attendance(engagement_id: str, day: str) -> Attendance | None:
    with dependency_errors("Attendance look-up"):
        try:
            return _attendance(AttendanceModel.get(engagement_id, day, consistent_read=True))
        except DoesNotExist:
            return None


def add_dispute(entry: Attendance, dispute: Dispute) -> bool:
    """The worker's dispute of a recorded day, once and before ``dispute_by``; False otherwise."""
    item = AttendanceModel(entry.engagement_id, entry.date)
    return dynamo.conditional(
        "Disputing attendance",
        lambda: item.update(
            actions=[AttendanceModel.dispute.set(dispute.model_dump(mode="json", exclude_none=True))],
            condition=AttendanceModel.date.exists()
            & AttendanceModel.dispute.does_not_exist()
            & (AttendanceModel.dispute_by > dispute.at),
        ),
    )


def attendance_between(engagement_id: str, first: str, last: str) -> list[Attendance]:
    """Every recorded day from ``first`` to ``last`` (``YYYY-MM-DD``), in date order."""
    with dependency_errors("Reading attendance"):
        return [
            _attendance(item)
            for item in AttendanceModel.query(
                engagement_id, AttendanceModel.date.between(first, last), consistent_read=True
            )
        ]
