"""Every route of the API, declared once: the CDK API and the local gateway are both built from
this table, and a test proves each function's resolver serves exactly its rows."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Auth(StrEnum):
    PUBLIC = "public"  # no authorizer
    COGNITO = "cognito"  # Cognito user pool authorizer (ID token)
    # No authorizer: the function checks X-Seva-Signature (the police's key; IGRS's own key for
    # /igrs/callback).
    POLICE_SIGNATURE = "police_signature"
    ONDC_SIGNATURE = "ondc_signature"  # no authorizer: the function checks the Beckn Authorization header


class Function(StrEnum):
    REGISTER = "register"
    MATCH = "match"
    BOOK = "book"
    COMPLAINT = "complaint"
    VERIFY = "verify"
    NOTIFY = "notify"
    JOBS = "jobs"
    ONDC = "ondc"


class Route(NamedTuple):
    method: str
    path: str
    function: Function
    auth: Auth


_P, _C, _S = Auth.PUBLIC, Auth.COGNITO, Auth.POLICE_SIGNATURE
_REG, _MATCH, _VERIFY = Function.REGISTER, Function.MATCH, Function.VERIFY
_BOOK, _CMP, _NOTIFY, _JOBS = Function.BOOK, Function.COMPLAINT, Function.NOTIFY, Function.JOBS

# The Beckn actions a buyer app may send us (ONDC services, issue 22).
ONDC_ACTIONS = (
    "search",
    "select",
    "init",
    "confirm",
    "status",
    "cancel",
    "rating",
    "support",
    "issue",  # ONDC IGM 2.0.0: an issue about an order becomes a complaint (ondc/issues.py)
    "issue_status",
)

ROUTES: tuple[Route, ...] = (
    Route("GET", "/health", _MATCH, _P),
    Route("GET", "/openapi.json", _MATCH, _P),
    Route("GET", "/services", _MATCH, _P),
    Route("GET", "/districts", _MATCH, _P),
    Route("GET", "/me", _REG, _C),
    Route("POST", "/agencies", _REG, _C),
    Route("GET", "/agencies", _REG, _C),
    Route("GET", "/agencies/{agency_id}", _REG, _C),
    Route("POST", "/agencies/{agency_id}/approve", _REG, _C),
    Route("POST", "/professionals", _REG, _C),
    Route("GET", "/professionals/{professional_id}", _REG, _C),
    # What the QR code on a professional's ID card opens: public, throttled per IP in production.
    Route("GET", "/professionals/{professional_id}/card", _REG, _P),
    Route("POST", "/professionals/{professional_id}/documents", _REG, _C),
    Route("POST", "/professionals/{professional_id}/submit", _REG, _C),
    Route("GET", "/verification/requests", _VERIFY, _C),
    Route("POST", "/verification/callback", _VERIFY, _S),
    Route("PUT", "/professionals/{professional_id}/availability", _REG, _C),
    Route("GET", "/match", _MATCH, _C),
    Route("POST", "/bookings", _BOOK, _C),
    Route("GET", "/bookings", _BOOK, _C),
    Route("GET", "/bookings/{booking_id}", _BOOK, _C),
    Route("POST", "/bookings/{booking_id}/accept", _BOOK, _C),
    Route("POST", "/bookings/{booking_id}/start", _BOOK, _C),
    Route("POST", "/bookings/{booking_id}/complete", _BOOK, _C),
    Route("POST", "/bookings/{booking_id}/cancel", _BOOK, _C),
    Route("POST", "/bookings/{booking_id}/decline", _BOOK, _C),
    Route("POST", "/bookings/{booking_id}/rating", _BOOK, _C),
    Route("POST", "/complaints", _CMP, _C),
    Route("GET", "/complaints", _CMP, _C),
    Route("GET", "/complaints/{complaint_id}", _CMP, _C),
    Route("POST", "/complaints/{complaint_id}/evidence", _CMP, _C),
    Route("POST", "/complaints/{complaint_id}/response", _CMP, _C),
    Route("POST", "/complaints/{complaint_id}/resolve", _CMP, _C),
    Route("GET", "/bans/check", _CMP, _C),
    # Under /professionals, served by the complaint function (API Gateway maps each resource's
    # method to its own function): the trail is written by complaint decisions and bans.
    Route("GET", "/professionals/{professional_id}/audit", _CMP, _C),
    Route("GET", "/me/notifications", _NOTIFY, _C),
    Route("PUT", "/me/preferences", _NOTIFY, _C),
    Route("PUT", "/me/devices", _NOTIFY, _C),
    Route("POST", "/jobs", _JOBS, _C),
    Route("GET", "/jobs", _JOBS, _C),
    Route("GET", "/me/jobs", _JOBS, _C),
    Route("GET", "/jobs/{job_id}", _JOBS, _C),
    Route("POST", "/jobs/{job_id}/close", _JOBS, _C),
    Route("POST", "/jobs/{job_id}/applications", _JOBS, _C),
    Route("GET", "/jobs/{job_id}/applications", _JOBS, _C),
    Route("POST", "/jobs/{job_id}/offers", _JOBS, _C),
    Route("GET", "/offers/{offer_id}", _JOBS, _C),
    Route("POST", "/offers/{offer_id}/accept", _JOBS, _C),
    Route("POST", "/offers/{offer_id}/decline", _JOBS, _C),
    Route("GET", "/engagements", _JOBS, _C),
    Route("GET", "/engagements/{engagement_id}", _JOBS, _C),
    Route("POST", "/engagements/{engagement_id}/attendance", _JOBS, _C),
    Route("POST", "/engagements/{engagement_id}/attendance/{date}/dispute", _JOBS, _C),
    Route("GET", "/engagements/{engagement_id}/statement", _JOBS, _C),
    Route("POST", "/engagements/{engagement_id}/end", _JOBS, _C),
    # IGRS's callback: no token, X-Seva-Signature with IGRS's own key (checked by the complaint
    # function, which owns the escalation it updates).
    Route("POST", "/igrs/callback", _CMP, _S),
    # Separation of duties on a ban (issue 18): a second officer confirms, an appeal is decided.
    Route("POST", "/complaints/{complaint_id}/confirm-ban", _CMP, _C),
    Route("POST", "/complaints/{complaint_id}/appeal", _CMP, _C),
    Route("POST", "/complaints/{complaint_id}/appeal/decide", _CMP, _C),
    Route("POST", "/bookings/{booking_id}/expenses", _BOOK, _C),
    Route("POST", "/bookings/{booking_id}/expenses/{expense_id}/approve", _BOOK, _C),
    Route("POST", "/bookings/{booking_id}/expenses/{expense_id}/dispute", _BOOK, _C),
    Route("POST", "/bookings/{booking_id}/payment", _BOOK, _C),
    Route("POST", "/match/alerts", _MATCH, _C),
    Route("POST", "/professionals/{professional_id}/claim-code", _REG, _C),
    Route("POST", "/professionals/{professional_id}/claim", _REG, _C),
    # ONDC buyer apps (Beckn): each request signed by its sender, answered ACK/NACK at once, the
    # work done by ``ondc.worker`` and its ``on_<action>`` posted back to the buyer app.
    *(Route("POST", f"/ondc/{action}", Function.ONDC, Auth.ONDC_SIGNATURE) for action in ONDC_ACTIONS),
    Route("POST", "/bookings/{booking_id}/expenses/{expense_id}/receipts", _BOOK, _C),
)


class Entry(NamedTuple):
    """A non-HTTP entry point of a function (a workflow step, a scheduled job): the Lambda
    handler ``<function>.<module>.lambda_handler`` deployed as its own Lambda function."""

    function: Function
    module: str

    @property
    def handler(self) -> str:
        return f"{self.function.value}.{self.module}.lambda_handler"

    @property
    def name(self) -> str:
        """The Lambda function's name suffix: ``verify-steps``, ``book-expiry``."""
        return f"{self.function.value}-{self.module}"


class ScheduledJob(NamedTuple):
    """An entry fired on a schedule: EventBridge in AWS, the local scheduler in ``make dev``."""

    entry: Entry
    every_minutes: int


# Workflow steps invoked by the verification state machine (Lambda tasks).
VERIFY_STEPS = Entry(Function.VERIFY, "steps")
WORKFLOW_ENTRIES: tuple[Entry, ...] = (VERIFY_STEPS,)

# Bookings not accepted in time expire (book/expiry.py).
BOOKING_EXPIRY = ScheduledJob(Entry(Function.BOOK, "expiry"), every_minutes=1)
# Complaints still open at due_by go to IGRS (complaint/escalation.py).
COMPLAINT_ESCALATION = ScheduledJob(Entry(Function.COMPLAINT, "escalation"), every_minutes=5)
# Outbox items a publisher could not put on the bus are published again (notify/outbox.py).
OUTBOX_SWEEP = ScheduledJob(Entry(Function.NOTIFY, "outbox"), every_minutes=1)
# Bookings made over ONDC: their changes go to the buyer app as unsolicited on_status (ondc/tracker.py).
ONDC_TRACKER = ScheduledJob(Entry(Function.ONDC, "tracker"), every_minutes=1)
# Engagements past their ends_on end and free their professionals (jobs/sweep.py).
ENGAGEMENT_END = ScheduledJob(Entry(Function.JOBS, "sweep"), every_minutes=30)
# Audit chain heads are copied to write-once storage (complaint/anchoring.py); at least every
# AUDIT_ANCHOR_INTERVAL_S (default 300 s: every 5 minutes here, its own timer locally).
AUDIT_ANCHORING = ScheduledJob(Entry(Function.COMPLAINT, "anchoring"), every_minutes=5)
SCHEDULED_JOBS: tuple[ScheduledJob, ...] = (
    BOOKING_EXPIRY,
    COMPLAINT_ESCALATION,
    OUTBOX_SWEEP,
    ENGAGEMENT_END,
    AUDIT_ANCHORING,
    ONDC_TRACKER,
)

# Entries fed by messages: domain events from the bus through an SQS queue (notify/events.py),
# and inbound SMS from the SMS service's two-way channel through an SNS topic (book/sms.py: a
# reply accepts or declines through the book function's own logic).
NOTIFY_EVENTS = Entry(Function.NOTIFY, "events")
INBOUND_SMS = Entry(Function.BOOK, "sms")
# Escalations and later decisions to IGRS, from the bus through the IGRS queue (complaint/igrs_delivery.py).
IGRS_DELIVERY = Entry(Function.COMPLAINT, "igrs_delivery")
MESSAGE_ENTRIES: tuple[Entry, ...] = (NOTIFY_EVENTS, INBOUND_SMS, IGRS_DELIVERY)

# The consumer of the ONDC work queue: the asynchronous half of every ``/ondc/<action>``.
ONDC_WORKER = Entry(Function.ONDC, "worker")


def routes_of(function: Function) -> list[Route]:
    return [route for route in ROUTES if route.function == function]
