"""The pynamodb models: the single source of every table's key schema and indexes.

``schema.py`` derives the CreateTable parameters from these classes; the CDK stack and the local
stack both build their tables from that, and ``tests/infra`` proves the template agrees.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from sevamitra.platform.settings import settings


def table_name(logical: str) -> str:
    return f"{settings().table_prefix}{logical}"


class _Meta:
    """Common table settings; ``table_name`` is set per model."""

    region = settings().aws_region
    billing_mode = "PAY_PER_REQUEST"
    max_retry_attempts = 3


class BaseModel(Model):
    """Base of every table model. ``LOGICAL_NAME`` is the table's name without the stage prefix."""

    LOGICAL_NAME = ""

    class Meta(_Meta):
        table_name = ""


# --- professionals ---------------------------------------------------------------------------


class ByAccountIndex(GlobalSecondaryIndex["ProfessionalModel"]):
    """Sparse: the professional an account *is* (self-registered), for ``GET /me``."""

    class Meta:
        index_name = "by_account"
        projection = KeysOnlyProjection()

    account_sub = UnicodeAttribute(hash_key=True)


class ProfessionalsByAgencyIndex(GlobalSecondaryIndex["ProfessionalModel"]):
    """Sparse: professionals registered for an agency, counted for ``GET /agencies/{id}``."""

    class Meta:
        index_name = "by_agency"
        projection = KeysOnlyProjection()

    agency_id = UnicodeAttribute(hash_key=True)


class ProfessionalModel(BaseModel):
    LOGICAL_NAME = "professionals"

    class Meta(_Meta):
        table_name = table_name("professionals")

    id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    name = UnicodeAttribute()
    # The professional's own account when self-registered; absent for assisted registrations.
    account_sub = UnicodeAttribute(null=True)
    # The account that created the record (self, agency member or officer); it manages documents.
    registered_by = UnicodeAttribute()
    agency_id = UnicodeAttribute(null=True)
    aadhaar_hash = UnicodeAttribute()
    aadhaar_last4 = UnicodeAttribute()
    mobile_hash = UnicodeAttribute()
    mobile_last4 = UnicodeAttribute()
    # The registered mobile, encrypted with the contacts KMS key (``sevamitra.data.contacts``):
    # SMS go to it; no table holds the number in clear.
    mobile_sealed = UnicodeAttribute(null=True)
    services = ListAttribute(of=UnicodeAttribute)
    lat = NumberAttribute()
    lng = NumberAttribute()
    district = UnicodeAttribute()
    qualification: MapAttribute[str, Any] = MapAttribute(null=True)
    documents: MapAttribute[str, Any] = MapAttribute(null=True)
    verification: MapAttribute[str, Any] = MapAttribute(null=True)
    online = BooleanAttribute(default=False)
    active_booking_id = UnicodeAttribute(null=True)
    # The active full-time engagement holding the professional (out of on-demand matching).
    engagement_id = UnicodeAttribute(null=True)
    # Slots of the scheduled bookings they hold but are not yet claimed by: booking id ->
    # "<from>/<to>" (sevamitra.domain.bookings.slot); changed only by versioned updates.
    slots: MapAttribute[str, Any] = MapAttribute(null=True)
    rating_sum = NumberAttribute(default=0)
    rating_count = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    version = VersionAttribute()
    # A pending claim of an assisted registration (sevamitra.data.claims): the code's keyed hash,
    # the mobile hash it is bound to, its expiry and the wrong tries so far.
    claim_code_hash = UnicodeAttribute(null=True)
    claim_mobile_hash = UnicodeAttribute(null=True)
    claim_expires_at = UnicodeAttribute(null=True)
    claim_wrong = NumberAttribute(null=True)

    by_account = ByAccountIndex()
    by_agency = ProfessionalsByAgencyIndex()


# --- identities and the ban registry ---------------------------------------------------------


class IdentityModel(BaseModel):
    """One item per claimed identity: ``aadhaar#<hmac>`` / ``mobile#<hmac>`` -> professional, and
    ``ban#aadhaar#<hmac>`` / ``ban#mobile#<hmac>`` for the ban registry. Claimed with
    ``attribute_not_exists(pk)`` so two registrations of one identity cannot both succeed."""

    LOGICAL_NAME = "identities"

    class Meta(_Meta):
        table_name = table_name("identities")

    pk = UnicodeAttribute(hash_key=True)
    professional_id = UnicodeAttribute()
    created_at = UnicodeAttribute()
    reason = UnicodeAttribute(null=True)


# --- agencies ---------------------------------------------------------------------------------


class ByOwnerIndex(GlobalSecondaryIndex["AgencyModel"]):
    class Meta:
        index_name = "by_owner"
        projection = KeysOnlyProjection()

    owner_sub = UnicodeAttribute(hash_key=True)


class AgenciesByStatusIndex(GlobalSecondaryIndex["AgencyModel"]):
    """``GET /agencies[?status=]``: one partition per status, newest first."""

    class Meta:
        index_name = "by_status"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class AgencyModel(BaseModel):
    LOGICAL_NAME = "agencies"

    class Meta(_Meta):
        table_name = table_name("agencies")

    id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    udyam_number = UnicodeAttribute()
    district = UnicodeAttribute()
    contact_mobile_hash = UnicodeAttribute()
    contact_mobile_last4 = UnicodeAttribute()
    status = UnicodeAttribute()
    owner_sub = UnicodeAttribute()
    members = UnicodeSetAttribute(null=True)
    approved_by = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()

    by_owner = ByOwnerIndex()
    by_status = AgenciesByStatusIndex()


# --- the geo index ----------------------------------------------------------------------------


class GeoEntryModel(BaseModel):
    """One item per (eligible professional, service): findable by ``/match``.

    ``pk`` is ``<service_id>#<coarse parent H3 cell>``; ``sk`` orders entries by their fine H3
    cell so that a compacted cell set becomes a few ``BETWEEN`` ranges (see sevamitra.domain.geo)."""

    LOGICAL_NAME = "geo"

    class Meta(_Meta):
        table_name = table_name("geo")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    professional_id = UnicodeAttribute()
    name = UnicodeAttribute()
    lat = NumberAttribute()
    lng = NumberAttribute()
    rating = NumberAttribute(null=True)


# --- bookings ---------------------------------------------------------------------------------


class AwaitingAcceptIndex(GlobalSecondaryIndex["BookingModel"]):
    """Sparse: only ``requested`` bookings carry ``awaiting``; the expiry job queries it by time."""

    class Meta:
        index_name = "awaiting_accept"
        projection = KeysOnlyProjection()

    awaiting = UnicodeAttribute(hash_key=True)
    expires_at = UnicodeAttribute(range_key=True)


class BookingTimersIndex(GlobalSecondaryIndex["BookingModel"]):
    """Sparse: a booking with a pending timer (an offer's timeout, the start deadline) carries
    ``timer`` and ``timer_due_at`` (``sevamitra.domain.bookings.next_due_at``); the timer sweep
    queries it by time (docs/decisions.md, "Booking timers run on the minute sweep")."""

    class Meta:
        index_name = "timers"
        projection = KeysOnlyProjection()

    timer = UnicodeAttribute(hash_key=True)
    timer_due_at = UnicodeAttribute(range_key=True)


class BookingsByCitizenIndex(GlobalSecondaryIndex["BookingModel"]):
    """``GET /bookings?role=citizen``: the bookings an account made, newest first."""

    class Meta:
        index_name = "by_citizen"
        projection = AllProjection()

    citizen_sub = UnicodeAttribute(hash_key=True)
    listed_at = UnicodeAttribute(range_key=True)


class BookingsByProfessionalIndex(GlobalSecondaryIndex["BookingModel"]):
    """``GET /bookings?role=professional``: one professional's bookings."""

    class Meta:
        index_name = "by_professional"
        projection = AllProjection()

    professional_id = UnicodeAttribute(hash_key=True)
    listed_at = UnicodeAttribute(range_key=True)


class BookingsByRegistrarIndex(GlobalSecondaryIndex["BookingModel"]):
    """``GET /bookings?role=professional``: bookings of the professionals an account registered
    (itself, or others it registered on their behalf)."""

    class Meta:
        index_name = "by_registrar"
        projection = AllProjection()

    registrar_sub = UnicodeAttribute(hash_key=True)
    listed_at = UnicodeAttribute(range_key=True)


class BookingsByBookerIndex(GlobalSecondaryIndex["BookingModel"]):
    """``GET /bookings?role=helpline``: the bookings a helpline staff account made for callers
    (sparse: only helpline bookings carry ``booked_by``)."""

    class Meta:
        index_name = "by_booker"
        projection = AllProjection()

    booked_by = UnicodeAttribute(hash_key=True)
    listed_at = UnicodeAttribute(range_key=True)


class BookingsByAgencyIndex(GlobalSecondaryIndex["BookingModel"]):
    """``GET /bookings?role=professional``: bookings of an agency's professionals."""

    class Meta:
        index_name = "by_agency"
        projection = AllProjection()

    agency_id = UnicodeAttribute(hash_key=True)
    listed_at = UnicodeAttribute(range_key=True)


class BookingModel(BaseModel):
    LOGICAL_NAME = "bookings"

    class Meta(_Meta):
        table_name = table_name("bookings")

    id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    citizen_sub = UnicodeAttribute()
    # The citizen's mobile (the Cognito phone_number claim at booking time), shown to the
    # professional while the booking is accepted or in progress.
    citizen_mobile = UnicodeAttribute(null=True)
    professional_id = UnicodeAttribute()
    # Who acts for the professional, copied from their record at booking time: the list indexes'
    # keys (an agency cannot change, nor can who registered the professional).
    registrar_sub = UnicodeAttribute(null=True)
    agency_id = UnicodeAttribute(null=True)
    service_id = UnicodeAttribute()
    fee_paise = NumberAttribute()
    duration_minutes = NumberAttribute()
    lat = NumberAttribute()
    lng = NumberAttribute()
    address = UnicodeAttribute(null=True)
    engagement: MapAttribute[str, Any] = MapAttribute(null=True)
    start_code_hash = UnicodeAttribute(null=True)
    start_code = UnicodeAttribute(null=True)  # shown to the citizen again; held nowhere else
    start_attempts = NumberAttribute(default=0)
    awaiting = UnicodeAttribute(null=True)
    # True when its creation counted it in the citizen's ``OpenRequestsModel`` item, so leaving
    # ``requested`` takes it off again (bookings made before that counter existed were not counted).
    counted = BooleanAttribute(null=True)
    expires_at = UnicodeAttribute()
    complaint_ids = UnicodeSetAttribute(null=True)
    rating: MapAttribute[str, Any] = MapAttribute(null=True)
    amount_collected_paise = NumberAttribute(null=True)
    # Expense claims by id, and what the citizen says they paid (sevamitra.domain.expenses).
    expenses: MapAttribute[str, Any] = MapAttribute(null=True)
    payment: MapAttribute[str, Any] = MapAttribute(null=True)
    cancelled_by = UnicodeAttribute(null=True)  # citizen, employer, professional or system
    created_at = UnicodeAttribute()
    # ``<created_at>#<id>``: the list indexes' sort key, unique so that a page merged from several
    # partitions is in one total order (sevamitra.data.pages).
    listed_at = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()
    accepted_at = UnicodeAttribute(null=True)
    started_at = UnicodeAttribute(null=True)
    completed_at = UnicodeAttribute(null=True)
    cancelled_at = UnicodeAttribute(null=True)
    expired_at = UnicodeAttribute(null=True)
    # Re-offer and the start deadline (issue 17; sevamitra.domain.bookings).
    auto_assigned = BooleanAttribute(null=True)
    offers: ListAttribute[Any] = ListAttribute(null=True)  # [{"professional_id", "outcome", "offered_at"}]
    offer_due_at = UnicodeAttribute(null=True)
    start_due_at = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    timer = UnicodeAttribute(null=True)
    timer_due_at = UnicodeAttribute(null=True)
    scheduled_for = UnicodeAttribute(null=True)
    held = BooleanAttribute(null=True)
    hold_at = UnicodeAttribute(null=True)
    reminder_at = UnicodeAttribute(null=True)
    reminded = BooleanAttribute(null=True)
    # The helpline staff account that booked for a caller (the by_booker index's key): issue 17.
    booked_by = UnicodeAttribute(null=True)

    awaiting_accept = AwaitingAcceptIndex()
    timers = BookingTimersIndex()
    by_citizen = BookingsByCitizenIndex()
    by_professional = BookingsByProfessionalIndex()
    by_registrar = BookingsByRegistrarIndex()
    by_agency = BookingsByAgencyIndex()
    by_booker = BookingsByBookerIndex()


# --- complaints -------------------------------------------------------------------------------


class OpenByDueIndex(GlobalSecondaryIndex["ComplaintModel"]):
    """Sparse: only ``open`` complaints carry ``open_flag``; the escalation job queries by due time."""

    class Meta:
        index_name = "open_by_due"
        projection = KeysOnlyProjection()

    open_flag = UnicodeAttribute(hash_key=True)
    due_by = UnicodeAttribute(range_key=True)


class ComplaintsByStatusIndex(GlobalSecondaryIndex["ComplaintModel"]):
    """Officers' ``GET /complaints``: one partition per status (locks have none)."""

    class Meta:
        index_name = "by_status"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    listed_at = UnicodeAttribute(range_key=True)


class ComplaintsByDistrictIndex(GlobalSecondaryIndex["ComplaintModel"]):
    """Officers' ``GET /complaints?district=``."""

    class Meta:
        index_name = "by_district"
        projection = AllProjection()

    district = UnicodeAttribute(hash_key=True)
    listed_at = UnicodeAttribute(range_key=True)


class ComplaintsByComplainantIndex(GlobalSecondaryIndex["ComplaintModel"]):
    """``GET /complaints``: the complaints an account filed."""

    class Meta:
        index_name = "by_complainant"
        projection = AllProjection()

    complainant_sub = UnicodeAttribute(hash_key=True)
    listed_at = UnicodeAttribute(range_key=True)


class ComplaintsByProfessionalIndex(GlobalSecondaryIndex["ComplaintModel"]):
    """``GET /complaints``: complaints about one professional."""

    class Meta:
        index_name = "by_professional"
        projection = AllProjection()

    professional_id = UnicodeAttribute(hash_key=True)
    listed_at = UnicodeAttribute(range_key=True)


class ComplaintsByRegistrarIndex(GlobalSecondaryIndex["ComplaintModel"]):
    """``GET /complaints``: about the professionals an account registered."""

    class Meta:
        index_name = "by_registrar"
        projection = AllProjection()

    registrar_sub = UnicodeAttribute(hash_key=True)
    listed_at = UnicodeAttribute(range_key=True)


class ComplaintsByAgencyIndex(GlobalSecondaryIndex["ComplaintModel"]):
    """``GET /complaints``: about an agency's professionals."""

    class Meta:
        index_name = "by_agency"
        projection = AllProjection()

    agency_id = UnicodeAttribute(hash_key=True)
    listed_at = UnicodeAttribute(range_key=True)


class ComplaintModel(BaseModel):
    """A complaint, or (``id = "lock#<booking_id>#<kind>"``) the lock that keeps one unresolved
    complaint per booking and kind: both are written in one transaction."""

    LOGICAL_NAME = "complaints"

    class Meta(_Meta):
        table_name = table_name("complaints")

    id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute(null=True)
    booking_id = UnicodeAttribute(null=True)
    professional_id = UnicodeAttribute(null=True)
    # Who acts for the professional, copied from their record when the complaint opens (keys of
    # the list indexes, as on bookings).
    registrar_sub = UnicodeAttribute(null=True)
    agency_id = UnicodeAttribute(null=True)
    complainant_sub = UnicodeAttribute(null=True)
    kind = UnicodeAttribute(null=True)
    description = UnicodeAttribute(null=True)
    amount_paid_paise = NumberAttribute(null=True)
    fee_paise = NumberAttribute(null=True)
    district = UnicodeAttribute(null=True)
    opened_by = UnicodeAttribute(null=True)  # "citizen" or "system" (overcharge seen at completion)
    # Only while open: puts the complaint in the sparse ``open_by_due`` index.
    open_flag = UnicodeAttribute(null=True)
    due_by = UnicodeAttribute(null=True)
    respond_by = UnicodeAttribute(null=True)  # the professional's window to answer
    response: MapAttribute[str, Any] = MapAttribute(null=True)
    decision: MapAttribute[str, Any] = MapAttribute(null=True)
    escalation: MapAttribute[str, Any] = MapAttribute(null=True)
    evidence: MapAttribute[str, Any] = MapAttribute(null=True)
    # An upheld overcharge's ban (proposed, confirmed by a second officer, overturned on appeal)
    # and the professional's one appeal (sevamitra.data.bans).
    ban: MapAttribute[str, Any] = MapAttribute(null=True)
    appeal: MapAttribute[str, Any] = MapAttribute(null=True)
    # On lock items: the complaint holding the lock.
    complaint_id = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute(null=True)
    # ``<created_at>#<id>`` on complaints (not locks): the list indexes' sort key.
    listed_at = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute(null=True)
    version = VersionAttribute(null=True)

    open_by_due = OpenByDueIndex()
    by_status = ComplaintsByStatusIndex()
    by_district = ComplaintsByDistrictIndex()
    by_complainant = ComplaintsByComplainantIndex()
    by_professional = ComplaintsByProfessionalIndex()
    by_registrar = ComplaintsByRegistrarIndex()
    by_agency = ComplaintsByAgencyIndex()


# --- police verification requests -------------------------------------------------------------


class PendingIndex(GlobalSecondaryIndex["VerificationRequestModel"]):
    """Sparse: only unanswered requests carry ``pending``; officers list them by request time."""

    class Meta:
        index_name = "pending"
        projection = AllProjection()

    pending = UnicodeAttribute(hash_key=True)
    requested_at = UnicodeAttribute(range_key=True)


class PendingByDistrictIndex(GlobalSecondaryIndex["VerificationRequestModel"]):
    """Sparse: ``pending_district`` is the request's district while it is unanswered."""

    class Meta:
        index_name = "pending_by_district"
        projection = AllProjection()

    pending_district = UnicodeAttribute(hash_key=True)
    requested_at = UnicodeAttribute(range_key=True)


class VerificationRequestModel(BaseModel):
    LOGICAL_NAME = "verifications"

    class Meta(_Meta):
        table_name = table_name("verifications")

    request_id = UnicodeAttribute(hash_key=True)
    professional_id = UnicodeAttribute()
    district = UnicodeAttribute()
    requested_at = UnicodeAttribute()
    # "pending" while unanswered (the sparse index key), removed once answered or closed.
    pending = UnicodeAttribute(null=True)
    # The district while unanswered (the sparse ``pending_by_district`` key), removed with ``pending``.
    pending_district = UnicodeAttribute(null=True)
    # pending | answered | closed (the execution ended without an answer).
    state = UnicodeAttribute(default="pending")
    # The token of the task waiting for this answer; replaced when the workflow waits again.
    task_token = UnicodeAttribute(null=True)
    execution = UnicodeAttribute(null=True)
    escalations = NumberAttribute(default=0)
    escalated_at = UnicodeAttribute(null=True)
    result = UnicodeAttribute(null=True)  # clear | adverse
    case_refs = ListAttribute(of=UnicodeAttribute, null=True)
    remarks = UnicodeAttribute(null=True)
    answered_at = UnicodeAttribute(null=True)
    closed_at = UnicodeAttribute(null=True)
    closed_reason = UnicodeAttribute(null=True)

    pending_index = PendingIndex()
    pending_by_district = PendingByDistrictIndex()


# --- audit trail ------------------------------------------------------------------------------


class AuditByDayIndex(GlobalSecondaryIndex["AuditEntryModel"]):
    """The entries written on one UTC day, by time: how the anchoring job finds the chains that
    moved since its last run without a scan (sevamitra.data.anchors)."""

    class Meta:
        index_name = "by_day"
        projection = KeysOnlyProjection()

    day = UnicodeAttribute(hash_key=True)
    at = UnicodeAttribute(range_key=True)


class AuditEntryModel(BaseModel):
    """Append-only, hash-chained decisions per subject (a professional)."""

    LOGICAL_NAME = "audit"

    class Meta(_Meta):
        table_name = table_name("audit")

    subject = UnicodeAttribute(hash_key=True)
    seq = NumberAttribute(range_key=True)
    at = UnicodeAttribute(null=True)
    actor = UnicodeAttribute(null=True)
    action = UnicodeAttribute(null=True)
    evidence: MapAttribute[str, Any] = MapAttribute(null=True)
    prev_hash = UnicodeAttribute(null=True)
    hash = UnicodeAttribute(null=True)
    # Not part of the hashed entry: the UTC date of ``at``, the by_day index's partition.
    day = UnicodeAttribute(null=True)
    by_day = AuditByDayIndex()


# --- per-account limits ------------------------------------------------------------------------


class OpenRequestsModel(BaseModel):
    """How many of an account's bookings are ``requested`` (waiting for the professional): one item
    per account, changed only in the transaction that creates such a booking (``ADD 1`` while
    below the account's allowance) and in every transaction that moves one out of ``requested``
    (``ADD -1``), so it cannot drift from the bookings (``sevamitra.data.bookings``)."""

    LOGICAL_NAME = "open_requests"

    class Meta(_Meta):
        table_name = table_name("open_requests")

    account_sub = UnicodeAttribute(hash_key=True)
    requested = NumberAttribute(default=0)


class RateWindowModel(BaseModel):
    """Requests of one account in one fixed window (``sevamitra.data.rate_limits``):
    ``pk = "<scope>#<sub>#<window start, epoch s>"``, the window's count ``hits`` and one count per
    burst window in it (``b0``, ``b1``, ..., written by name, so not declared here). Deleted by TTL
    after the window ends."""

    LOGICAL_NAME = "rate_limits"

    class Meta(_Meta):
        table_name = table_name("rate_limits")

    pk = UnicodeAttribute(hash_key=True)
    hits = NumberAttribute(default=0)
    expires = NumberAttribute()

    TTL_ATTRIBUTE = "expires"


# --- idempotency --------------------------------------------------------------------------------


class IdempotencyModel(BaseModel):
    """One record per operation, ``Idempotency-Key`` and caller (``sevamitra.data.idempotency``)."""

    LOGICAL_NAME = "idempotency"

    class Meta(_Meta):
        table_name = table_name("idempotency")

    id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    body_hash = UnicodeAttribute()
    lease_until = NumberAttribute()
    expiration = NumberAttribute()
    result = UnicodeAttribute(null=True)

    TTL_ATTRIBUTE = "expiration"


# --- the event outbox ------------------------------------------------------------------------------


class OutboxPendingIndex(GlobalSecondaryIndex["OutboxEventModel"]):
    """Every outbox item, oldest first: the sweep re-publishes those older than a few seconds."""

    class Meta:
        index_name = "pending"
        projection = KeysOnlyProjection()

    pending = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class OutboxEventModel(BaseModel):
    """A domain event written in the transaction of the state change it announces, deleted once
    EventBridge took it (``sevamitra.data.outbox``): an event can be late, never lost."""

    LOGICAL_NAME = "outbox"

    class Meta(_Meta):
        table_name = table_name("outbox")

    event_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()
    detail = UnicodeAttribute()  # the event as JSON (ids and facts, never a number or a code)
    pending = UnicodeAttribute(default="pending")
    created_at = UnicodeAttribute()

    pending_index = OutboxPendingIndex()


# --- notifications -----------------------------------------------------------------------------


class NotificationModel(BaseModel):
    """The notify function's records, one key family each (``sevamitra.data.notifications``):
    ``inbox#<sub>`` (sk ``<at>#<id>``), ``prefs#<sub>``, ``device#<sub>`` (sk ``<platform>#<token
    digest>``), ``sent#<event>#<recipient>#<channel>`` (one delivery), ``ref#<REF>`` (an SMS
    reference of a live booking request), ``nack#<mobile digest>`` (the "not understood"
    reply's rate limit) and ``feed#<feed>`` (sk ``<at>#<id>``: a queue's notifications, one row
    per event, read by every officer of the queue)."""

    LOGICAL_NAME = "notifications"

    class Meta(_Meta):
        table_name = table_name("notifications")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    notification_id = UnicodeAttribute(null=True)
    kind = UnicodeAttribute(null=True)
    at = UnicodeAttribute(null=True)
    title = UnicodeAttribute(null=True)
    body = UnicodeAttribute(null=True)
    booking_id = UnicodeAttribute(null=True)
    complaint_id = UnicodeAttribute(null=True)
    job_id = UnicodeAttribute(null=True)
    professional_id = UnicodeAttribute(null=True)
    language = UnicodeAttribute(null=True)
    sms = BooleanAttribute(null=True)
    platform = UnicodeAttribute(null=True)
    token = UnicodeAttribute(null=True)
    endpoint_arn = UnicodeAttribute(null=True)
    live_until = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute(null=True)
    expires = NumberAttribute(null=True)
    # A queue feed's row (``feed#<feed>``) is read by officers of either language: ``title`` and
    # ``body`` are its Hindi text, these its English.
    title_en = UnicodeAttribute(null=True)
    body_en = UnicodeAttribute(null=True)

    TTL_ATTRIBUTE = "expires"


# --- jobs: posts, their sites, applications, offers, engagements, attendance -------------------


class ByPosterIndex(GlobalSecondaryIndex["JobModel"]):
    """The posts of one account, newest first."""

    class Meta:
        index_name = "by_poster"
        projection = AllProjection()

    poster_sub = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class JobModel(BaseModel):
    """A job post. ``filled`` counts engagements; every accept is conditional on the count read,
    in the transaction that writes the engagement, so a job never has more than ``positions``."""

    LOGICAL_NAME = "jobs"

    class Meta(_Meta):
        table_name = table_name("jobs")

    id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    poster_sub = UnicodeAttribute()
    agency_id = UnicodeAttribute(null=True)
    title = UnicodeAttribute()
    service_id = UnicodeAttribute()
    skill = UnicodeAttribute()
    kind = UnicodeAttribute()
    positions = NumberAttribute()
    filled = NumberAttribute(default=0)
    wage: MapAttribute[str, Any] = MapAttribute()
    pieces_per_day = NumberAttribute(null=True)
    hours_per_day = NumberAttribute()
    starts_on = UnicodeAttribute()
    ends_on = UnicodeAttribute(null=True)
    lat = NumberAttribute()
    lng = NumberAttribute()
    district = UnicodeAttribute()
    floor: MapAttribute[str, Any] = MapAttribute(null=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    closed_at = UnicodeAttribute(null=True)

    by_poster = ByPosterIndex()


class JobSiteModel(BaseModel):
    """The site of an ``open`` job, twice: under ``<service_id>#<coarse H3 cell>`` and under
    ``*#<coarse H3 cell>`` (discovery without a service), sorted by fine H3 cell like the match
    index (sevamitra.domain.geo), so a 3 km search is a few ``BETWEEN`` Queries."""

    LOGICAL_NAME = "job_sites"

    class Meta(_Meta):
        table_name = table_name("job_sites")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    job_id = UnicodeAttribute()
    lat = NumberAttribute()
    lng = NumberAttribute()


class RecentApplicationsIndex(GlobalSecondaryIndex["ApplicationModel"]):
    """A job's applications, newest first (the poster's list)."""

    class Meta:
        index_name = "by_job_recent"
        projection = AllProjection()

    job_id = UnicodeAttribute(hash_key=True)
    applied_at = UnicodeAttribute(range_key=True)


class ApplicationModel(BaseModel):
    """One per (job, professional): applying twice is a failed ``attribute_not_exists``."""

    LOGICAL_NAME = "applications"

    class Meta(_Meta):
        table_name = table_name("applications")

    job_id = UnicodeAttribute(hash_key=True)
    professional_id = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    rating = NumberAttribute(null=True)
    distance_m = NumberAttribute()
    status = UnicodeAttribute()
    applied_by = UnicodeAttribute()
    applied_at = UnicodeAttribute()
    offer_id = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()

    by_job_recent = RecentApplicationsIndex()


class OfferModel(BaseModel):
    LOGICAL_NAME = "offers"

    class Meta(_Meta):
        table_name = table_name("offers")

    id = UnicodeAttribute(hash_key=True)
    job_id = UnicodeAttribute()
    professional_id = UnicodeAttribute()
    employer_sub = UnicodeAttribute()
    status = UnicodeAttribute()
    title = UnicodeAttribute()
    service_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    wage: MapAttribute[str, Any] = MapAttribute()
    starts_on = UnicodeAttribute()
    created_at = UnicodeAttribute()
    decided_at = UnicodeAttribute(null=True)
    engagement_id = UnicodeAttribute(null=True)


class EngagementsByEmployerIndex(GlobalSecondaryIndex["EngagementModel"]):
    class Meta:
        index_name = "by_employer"
        projection = AllProjection()

    employer_sub = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class EngagementsByProfessionalIndex(GlobalSecondaryIndex["EngagementModel"]):
    class Meta:
        index_name = "by_professional"
        projection = AllProjection()

    professional_id = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class EndingIndex(GlobalSecondaryIndex["EngagementModel"]):
    """Sparse: only active engagements with an ``ends_on`` carry ``ending``; the jobs sweep
    queries it for engagements whose last day has passed."""

    class Meta:
        index_name = "ending"
        projection = KeysOnlyProjection()

    ending = UnicodeAttribute(hash_key=True)
    ends_on = UnicodeAttribute(range_key=True)


class EngagementModel(BaseModel):
    """An accepted offer: one position of a job, held by one professional."""

    LOGICAL_NAME = "engagements"

    class Meta(_Meta):
        table_name = table_name("engagements")

    id = UnicodeAttribute(hash_key=True)
    job_id = UnicodeAttribute()
    offer_id = UnicodeAttribute()
    professional_id = UnicodeAttribute()
    employer_sub = UnicodeAttribute()
    service_id = UnicodeAttribute()
    title = UnicodeAttribute()
    kind = UnicodeAttribute()
    wage: MapAttribute[str, Any] = MapAttribute()
    pieces_per_day = NumberAttribute(null=True)
    hours_per_day = NumberAttribute()
    starts_on = UnicodeAttribute()
    ends_on = UnicodeAttribute(null=True)
    status = UnicodeAttribute()
    holds_professional = BooleanAttribute(default=False)
    district = UnicodeAttribute()
    created_at = UnicodeAttribute()
    ended_at = UnicodeAttribute(null=True)
    ended_by = UnicodeAttribute(null=True)
    # "active" while active with an ends_on: the sparse ``ending`` index key.
    ending = UnicodeAttribute(null=True)

    by_employer = EngagementsByEmployerIndex()
    by_professional = EngagementsByProfessionalIndex()
    ending_index = EndingIndex()


class AttendanceModel(BaseModel):
    """The employer's record of one day of an engagement; the worker's dispute beside it."""

    LOGICAL_NAME = "attendance"

    class Meta(_Meta):
        table_name = table_name("attendance")

    engagement_id = UnicodeAttribute(hash_key=True)
    # Stored as "work_day": "date" and "day" are DynamoDB reserved words (awkward in expressions).
    date = UnicodeAttribute(range_key=True, attr_name="work_day")
    present = BooleanAttribute()
    pieces = NumberAttribute(null=True)
    recorded_by = UnicodeAttribute()
    recorded_at = UnicodeAttribute()
    dispute_by = UnicodeAttribute()
    dispute: MapAttribute[str, Any] = MapAttribute(null=True)


# --- match alerts ------------------------------------------------------------------------------


class MatchAlertModel(BaseModel):
    """A citizen's standing wish (``POST /match/alerts``), keyed by where it is so that a
    professional going online finds the alerts near them with a Query per cell and service
    (``sevamitra.data.match_alerts``): ``cell`` is the H3 cell (``ALERT_RES``, 15 hex digits) of
    the alert's point, ``alert`` is ``<service_id>#<alert id>``. ``fired_at`` is set once, by the
    conditional write that announces it; TTL deletes the item after ``expires``."""

    LOGICAL_NAME = "match_alerts"

    class Meta(_Meta):
        table_name = table_name("match_alerts")

    cell = UnicodeAttribute(hash_key=True)
    alert = UnicodeAttribute(range_key=True)
    id = UnicodeAttribute()
    owner_sub = UnicodeAttribute()
    service_id = UnicodeAttribute()
    lat = NumberAttribute()
    lng = NumberAttribute()
    created_at = UnicodeAttribute()
    expires_at = UnicodeAttribute()
    expires = NumberAttribute()
    fired_at = UnicodeAttribute(null=True)
    fired_for = UnicodeAttribute(null=True)


# --- ONDC (Beckn) -------------------------------------------------------------------------------


class OndcTrackedIndex(GlobalSecondaryIndex["OndcModel"]):
    """Sparse: orders whose booking may still change, for the unsolicited ``on_status`` sweep."""

    class Meta:
        index_name = "tracked"
        projection = AllProjection()

    tracked = UnicodeAttribute(hash_key=True)
    pk = UnicodeAttribute(range_key=True)


class OndcModel(BaseModel):
    """What the ONDC seller platform keeps (``sevamitra.data.ondc``), one item per ``pk``:
    ``msg#<bap_id>#<message_id>`` (a request seen once; deleted by TTL), ``txn#<bap_id>#<txn>``
    (the order being built by select and init) and ``order#<booking_id>`` (a confirmed order: the
    buyer app it belongs to and the last status told to it)."""

    LOGICAL_NAME = "ondc"

    class Meta(_Meta):
        table_name = table_name("ondc")

    pk = UnicodeAttribute(hash_key=True)
    body = UnicodeAttribute(null=True)  # JSON: the transaction or order as ``sevamitra.data.ondc`` keeps it
    told = UnicodeAttribute(null=True)  # an order: the booking status last sent to the buyer app
    tracked = UnicodeAttribute(null=True)
    expires = NumberAttribute(null=True)

    tracked_orders = OndcTrackedIndex()

    TTL_ATTRIBUTE = "expires"


ALL_MODELS: tuple[type[BaseModel], ...] = (
    ProfessionalModel,
    IdentityModel,
    AgencyModel,
    GeoEntryModel,
    BookingModel,
    ComplaintModel,
    VerificationRequestModel,
    AuditEntryModel,
    IdempotencyModel,
    OpenRequestsModel,
    RateWindowModel,
    OutboxEventModel,
    NotificationModel,
    JobModel,
    JobSiteModel,
    ApplicationModel,
    OfferModel,
    EngagementModel,
    AttendanceModel,
    MatchAlertModel,
    OndcModel,
)
