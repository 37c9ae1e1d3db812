"""Least privilege, declared in one place: what each function may touch.

The functions construct grants exactly this and nothing else: DynamoDB actions on the named
tables and their indexes, S3 object actions on the documents bucket, secret reads, event bus puts,
starting the verification state machine. ``tests/infra`` reads the roles back from the template.
Workflow steps and scheduled jobs (``sevamitra.routes.Entry``) get their function's access unless
``ENTRY_ACCESS`` names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from sevamitra.routes import BOOKING_EXPIRY, Entry, Function


class Secret(Enum):
    IDENTITY_KEY = "identity_key"  # HMAC key for Aadhaar/mobile hashes
    POLICE_CALLBACK = "police_callback"  # shared key of X-Seva-Signature


class Documents(Enum):
    READ = "read"  # get/head stored documents (the document check)
    READ_WRITE = "read_write"  # also sign presigned POSTs (put)


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
# HeadObject is authorised by s3:GetObject; ListBucket makes a missing object a 404, not a 403.
DOCUMENT_READ_ACTIONS = ("s3:GetObject",)
DOCUMENT_WRITE_ACTIONS = ("s3:PutObject",)
DOCUMENT_BUCKET_ACTIONS = ("s3:ListBucket",)
SECRET_READ_ACTIONS = ("secretsmanager:GetSecretValue",)
EVENT_PUT_ACTIONS = ("events:PutEvents",)
STATE_MACHINE_START_ACTIONS = ("states:StartExecution",)


@dataclass(frozen=True)
class Access:
    reads: frozenset[str] = field(default_factory=frozenset)  # table logical names, read only
    writes: frozenset[str] = field(default_factory=frozenset)  # table logical names, read and write
    documents: Documents | None = None
    secrets: frozenset[Secret] = field(default_factory=frozenset)
    puts_events: bool = False
    starts_verification: bool = False

    @property
    def tables(self) -> frozenset[str]:
        return self.reads | self.writes


def _access(
    *,
    reads: tuple[str, ...] = (),
    writes: tuple[str, ...] = (),
    documents: Documents | None = None,
    secrets: tuple[Secret, ...] = (),
    puts_events: bool = False,
    starts_verification: bool = False,
) -> Access:
    return Access(
        reads=frozenset(reads) - frozenset(writes),
        writes=frozenset(writes),
        documents=documents,
        secrets=frozenset(secrets),
        puts_events=puts_events,
        starts_verification=starts_verification,
    )


ACCESS: dict[Function, Access] = {
    Function.REGISTER: _access(
        writes=("professionals", "identities", "agencies", "idempotency"),
        documents=Documents.READ_WRITE,
        secrets=(Secret.IDENTITY_KEY,),
        starts_verification=True,
    ),
    Function.MATCH: _access(reads=("geo", "professionals")),
    # Agencies are read to tell whether a caller manages the booked professional (access.py).
    Function.BOOK: _access(
        reads=("agencies",),
        writes=("bookings", "professionals", "geo", "complaints", "idempotency"),
    ),
    Function.COMPLAINT: _access(
        writes=("complaints", "bookings", "professionals", "geo", "identities", "audit"),
        puts_events=True,
    ),
    Function.VERIFY: _access(
        writes=("verifications", "professionals", "audit"),
        documents=Documents.READ,
        secrets=(Secret.POLICE_CALLBACK,),
        puts_events=True,
    ),
}

# Workflow steps and scheduled jobs that need less (or other) access than their function,
# keyed by ``Entry.name`` (``book-expiry``).
ENTRY_ACCESS: dict[str, Access] = {
    # The expiry sweep: the awaiting_accept index, the booking, its professional and their entries.
    BOOKING_EXPIRY.entry.name: _access(writes=("bookings", "professionals", "geo")),
}


def access_of(entry: Function | Entry) -> Access:
    if isinstance(entry, Entry):
        return ENTRY_ACCESS.get(entry.name, ACCESS[entry.function])
    return ACCESS[entry]
