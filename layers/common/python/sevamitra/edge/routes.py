"""Every route of the API, declared once: the CDK API and the local gateway are both built from
this table, and a test proves each function's resolver serves exactly its rows."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Auth(StrEnum):
    PUBLIC = "public"  # no authorizer
    COGNITO = "cognito"  # Cognito user pool authorizer (ID token)
    POLICE_SIGNATURE = "police_signature"  # no authorizer: the function checks X-Seva-Signature
    ONDC_SIGNATURE = "ondc_signature"  # no authorizer: the function checks the Beckn Authorization header


class Function(StrEnum):
    REGISTER = "register"
    MATCH = "match"
    BOOK = "book"
    COMPLAINT = "complaint"
    VERIFY = "verify"
    ONDC = "ondc"


class Route(NamedTuple):
    method: str
    path: str
    function: Function
    auth: Auth


_P, _C, _S = Auth.PUBLIC, Auth.COGNITO, Auth.POLICE_SIGNATURE
_REG, _MATCH, _VERIFY = Function.REGISTER, Function.MATCH, Function.VERIFY
_BOOK, _CMP = Function.BOOK, Function.COMPLAINT

# The Beckn actions a buyer app may send us (ONDC services, issue 22).
ONDC_ACTIONS = ("search", "select", "init", "confirm", "status", "cancel", "rating", "support")

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
    # ONDC buyer apps (Beckn): each request signed by its sender, answered ACK/NACK at once, the
    # work done by ``ondc.worker`` and its ``on_<action>`` posted back to the buyer app.
    *(Route("POST", f"/ondc/{action}", Function.ONDC, Auth.ONDC_SIGNATURE) for action in ONDC_ACTIONS),
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
# Bookings made over ONDC: their changes go to the buyer app as unsolicited on_status (ondc/tracker.py).
ONDC_TRACKER = ScheduledJob(Entry(Function.ONDC, "tracker"), every_minutes=1)
SCHEDULED_JOBS: tuple[ScheduledJob, ...] = (BOOKING_EXPIRY, COMPLAINT_ESCALATION, ONDC_TRACKER)

# The consumer of the ONDC work queue: the asynchronous half of every ``/ondc/<action>``.
ONDC_WORKER = Entry(Function.ONDC, "worker")


def routes_of(function: Function) -> list[Route]:
    return [route for route in ROUTES if route.function == function]
