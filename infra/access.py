"""Least privilege, declared in one place: what each function may touch.

The functions construct grants exactly this and nothing else: DynamoDB actions on the named
tables (and, for queries, their indexes), S3 object actions on the documents prefix of the
bucket, secret reads, event bus puts, starting the verification state machine and answering its
waiting tasks. ``tests/infra`` reads the roles back from the template. Workflow steps and
scheduled jobs (``sevamitra.routes.Entry``) get their function's access unless ``ENTRY_ACCESS``
names them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

from sevamitra.routes import BOOKING_EXPIRY, VERIFY_STEPS, Entry, Function


class Secret(Enum):
    IDENTITY_KEY = "identity_key"  # HMAC key for Aadhaar/mobile hashes
    POLICE_CALLBACK = "police_callback"  # shared key of X-Seva-Signature


class Documents(Enum):
    READ = "read"  # get/head stored documents (the document check)
    READ_WRITE = "read_write"  # also sign presigned POSTs (put)
    EVIDENCE_UPLOAD = "evidence_upload"  # only sign presigned POSTs under complaints/ (put)


# Exact IAM actions per access level.
TABLE_READ_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
)
TABLE_WRITE_ACTIONS = (
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
)
TABLE_QUERY_ACTIONS = frozenset({"dynamodb:Query", "dynamodb:Scan"})
# HeadObject is authorised by s3:GetObject; ListBucket (on the documents prefix only) makes a
# missing object a 404, not a 403.
DOCUMENT_READ_ACTIONS = ("s3:GetObject",)
DOCUMENT_WRITE_ACTIONS = ("s3:PutObject",)
DOCUMENT_BUCKET_ACTIONS = ("s3:ListBucket",)
# Complaint evidence lives under this prefix of the documents bucket.
EVIDENCE_PREFIX = "complaints/"
SECRET_READ_ACTIONS = ("secretsmanager:GetSecretValue",)
EVENT_PUT_ACTIONS = ("events:PutEvents",)
STATE_MACHINE_START_ACTIONS = ("states:StartExecution",)
# On the state machine's executions: a retried submit checks whether its execution exists.
EXECUTION_DESCRIBE_ACTIONS = ("states:DescribeExecution",)
# The police callback resumes the waiting task; it never fails or heartbeats one.
TASK_ANSWER_ACTIONS = ("states:SendTaskSuccess",)


@dataclass(frozen=True)
class Access:
    reads: frozenset[str] = field(default_factory=frozenset)  # table logical names, read only
    writes: frozenset[str] = field(default_factory=frozenset)  # table logical names, read and write
    documents: Documents | None = None
    secrets: frozenset[Secret] = field(default_factory=frozenset)
    puts_events: bool = False
    starts_verification: bool = False  # states:StartExecution (+ DescribeExecution)
    answers_verification: bool = False  # states:SendTaskSuccess on the state machine
    # Where the read/write levels would give more: exactly these DynamoDB actions on the table.
    exact: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def tables(self) -> frozenset[str]:
        return self.reads | self.writes

    def table_actions(self, logical: str) -> tuple[str, ...]:
        if logical in self.exact:
            return self.exact[logical]
        return TABLE_READ_ACTIONS + (TABLE_WRITE_ACTIONS if logical in self.writes else ())


def _access(
    *,
    reads: tuple[str, ...] = (),
    writes: tuple[str, ...] = (),
    exact: Mapping[str, tuple[str, ...]] | None = None,
    documents: Documents | None = None,
    secrets: tuple[Secret, ...] = (),
    puts_events: bool = False,
    starts_verification: bool = False,
    answers_verification: bool = False,
) -> Access:
    exact = dict(exact or {})
    exact_writes = {logical for logical, actions in exact.items() if set(actions) & set(TABLE_WRITE_ACTIONS)}
    all_writes = frozenset(writes) | exact_writes
    return Access(
        reads=(frozenset(reads) | frozenset(exact)) - all_writes,
        writes=all_writes,
        documents=documents,
        secrets=frozenset(secrets),
        puts_events=puts_events,
        starts_verification=starts_verification,
        answers_verification=answers_verification,
        exact=MappingProxyType(exact),
    )


ACCESS: dict[Function, Access] = {
    Function.REGISTER: _access(
        writes=("professionals", "identities", "agencies", "idempotency"),
        documents=Documents.READ_WRITE,
        secrets=(Secret.IDENTITY_KEY,),
        starts_verification=True,
    ),
    # Counting searches per account (sevamitra.data.rate_limits) is its only write.
    Function.MATCH: _access(reads=("geo", "professionals"), exact={"rate_limits": ("dynamodb:UpdateItem",)}),
    # Agencies are read to tell whether a caller manages the booked professional (access.py).
    # A citizen's open requests are counted in the transactions that create and move bookings.
    Function.BOOK: _access(
        reads=("agencies",),
        writes=("bookings", "professionals", "geo", "complaints", "idempotency"),
        exact={"open_requests": ("dynamodb:UpdateItem",)},
    ),
    # Opening a complaint adds it to the booking's complaint_ids; an upheld overcharge bans
    # (professional, geo index, ban registry) and every decision appends to the audit trail.
    # The ban check hashes numbers with the identity key. No events: the escalation job emits.
    Function.COMPLAINT: _access(
        writes=("complaints", "bookings", "professionals", "geo", "identities", "audit", "idempotency"),
        documents=Documents.EVIDENCE_UPLOAD,
        secrets=(Secret.IDENTITY_KEY,),
    ),
    # The police callback and the officers' list: requests only (the workflow's steps move the
    # professional on), the callback key, and resuming the waiting task.
    Function.VERIFY: _access(
        exact={"verifications": ("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query")},
        secrets=(Secret.POLICE_CALLBACK,),
        answers_verification=True,
    ),
}

# Workflow steps and scheduled jobs that need less (or other) access than their function,
# keyed by ``Entry.name`` (``book-expiry``).
ENTRY_ACCESS: dict[str, Access] = {
    # The verification steps: read and conditionally update the professional, open and update
    # the police request, read the stored documents, announce requests and escalations.
    VERIFY_STEPS.name: _access(
        exact={
            "professionals": ("dynamodb:GetItem", "dynamodb:UpdateItem"),
            "verifications": ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
            # The decision's entry on the audit trail: read the chain's head, append after it.
            "audit": ("dynamodb:Query", "dynamodb:PutItem"),
        },
        documents=Documents.READ,
        puts_events=True,
    ),
    # Finds overdue complaints through open_by_due, escalates them and emits IGRSEscalation.
    "complaint-escalation": _access(writes=("complaints",), puts_events=True),
    # The expiry sweep: the awaiting_accept index, the booking, its professional and their entries,
    # and the citizen's count of open requests.
    BOOKING_EXPIRY.entry.name: _access(
        writes=("bookings", "professionals", "geo"), exact={"open_requests": ("dynamodb:UpdateItem",)}
    ),
}


def access_of(entry: Function | Entry) -> Access:
    if isinstance(entry, Entry):
        return ENTRY_ACCESS.get(entry.name, ACCESS[entry.function])
    return ACCESS[entry]
