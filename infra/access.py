"""Least privilege, declared in one place: what each function may touch.

The functions construct grants exactly this and nothing else: DynamoDB actions on the named
tables (per ``TableGrant``: exact actions, on the table or only on named indexes, optionally only
for one family of partition keys (``dynamodb:LeadingKeys``) and only inside a
``TransactWriteItems``), S3 object actions on the documents prefix of the bucket, secret reads,
event bus puts, starting the verification state machine and answering its waiting tasks.
``tests/infra`` reads the roles back from the template; ``tests/integration/test_least_privilege.py``
runs every route and job on moto, records each AWS call and checks it against these grants (and
that every grant is used). Workflow steps and scheduled jobs (``sevamitra.edge.routes.Entry``) get
their function's access unless ``ENTRY_ACCESS`` names them.

The audit trail is append-only for everyone: reads and ``PutItem`` (each entry is put with
``attribute_not_exists(seq)``), never ``UpdateItem``, ``DeleteItem`` or ``BatchWriteItem``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

from sevamitra.data import bookings as bookings_repo
from sevamitra.data import complaints as complaints_repo
from sevamitra.data import ondc as ondc_records
from sevamitra.data.complaints import LOCK_PREFIX
from sevamitra.data.identities import IdentityKind, account_pk, ban_pk, identity_pk
from sevamitra.edge.routes import BOOKING_EXPIRY, ONDC_TRACKER, ONDC_WORKER, VERIFY_STEPS, Entry, Function


class Secret(Enum):
    IDENTITY_KEY = "identity_key"  # HMAC key for Aadhaar/mobile hashes
    POLICE_CALLBACK = "police_callback"  # shared key of X-Seva-Signature
    CURSOR_KEY = "cursor_key"  # HMAC key of list routes' page cursors
    ONDC_SIGNING_KEY = "ondc_signing_key"  # our Ed25519 key for ONDC callbacks (functions/ondc)


class Documents(Enum):
    READ = "read"  # get/head stored documents and their pinned versions (the document check)
    READ_WRITE = "read_write"  # get/head the newest version, and sign presigned POSTs (put)
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
# GetObject/HeadObject with a VersionId: the check reads the very version it pins.
DOCUMENT_VERSION_READ_ACTIONS = ("s3:GetObjectVersion",)
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

# DynamoDB actions of the exact grants below (``TABLE_*_ACTIONS`` are the coarse levels of
# ``_access(reads=..., writes=...)``). A TransactWriteItems needs, on each table it writes, each
# item's own action: Put -> PutItem, Update -> UpdateItem, Delete -> DeleteItem, ConditionCheck ->
# ConditionCheckItem (there is no dynamodb:TransactWriteItems action).
GET = "dynamodb:GetItem"
PUT = "dynamodb:PutItem"
UPDATE = "dynamodb:UpdateItem"
DELETE = "dynamodb:DeleteItem"
QUERY = "dynamodb:Query"
CONDITION_CHECK = "dynamodb:ConditionCheckItem"

# The value of dynamodb:EnclosingOperation for the items of a write transaction.
TRANSACTION = "TransactWriteItems"
# ``TableGrant.indexes`` for the coarse levels: the table and every one of its indexes.
EVERY_INDEX = ("*",)

# Key families (partition key prefixes, for dynamodb:LeadingKeys), from the code that makes the keys.
_KINDS = tuple(IdentityKind)
BAN_KEYS = tuple(ban_pk(kind, "") for kind in _KINDS)  # ban#aadhaar#, ban#mobile#: the registry
CLAIM_KEYS = (*(identity_pk(kind, "") for kind in _KINDS), account_pk(""))  # aadhaar#, mobile#, account#
LOCK_KEYS = (LOCK_PREFIX,)  # lock#<booking>#<kind>: one unresolved complaint per booking and kind
# The ondc table's key families (sevamitra.data.ondc): messages seen, transactions, orders.
ONDC_MESSAGE_KEYS = (ondc_records.MESSAGE,)
ONDC_TRANSACTION_KEYS = (ondc_records.TRANSACTION,)
ONDC_ORDER_KEYS = (ondc_records.ORDER,)


def idempotency_keys(*operations: str) -> tuple[str, ...]:
    """The records of these ``Idempotency-Key`` operations: ``sevamitra.edge.idempotency.record_id``
    keys them ``<operation>#<digest>``, so each function reaches only its own operations'."""
    return tuple(f"{operation}#" for operation in operations)


@dataclass(frozen=True)
class TableGrant:
    """Exactly ``actions`` on one table: on the table itself, or (``indexes``) only on those of its
    indexes; with ``key_prefixes``, only on items whose partition key starts with one of them;
    with ``in_transaction``, only as an item of a ``TransactWriteItems``."""

    actions: frozenset[str]
    indexes: tuple[str, ...] = ()
    key_prefixes: tuple[str, ...] = ()
    in_transaction: bool = False

    @property
    def on_table(self) -> bool:
        return not self.indexes or self.indexes == EVERY_INDEX

    def conditions(self) -> dict[str, dict[str, list[str]]]:
        """The IAM policy ``Condition`` this grant carries (empty: none)."""
        conditions: dict[str, dict[str, list[str]]] = {}
        if self.key_prefixes:
            patterns = [f"{prefix}*" for prefix in self.key_prefixes]
            conditions["ForAllValues:StringLike"] = {"dynamodb:LeadingKeys": patterns}
        if self.in_transaction:
            conditions["ForAnyValue:StringEquals"] = {"dynamodb:EnclosingOperation": [TRANSACTION]}
        return conditions


def table(*actions: str, keys: tuple[str, ...] = (), in_transaction: bool = False) -> TableGrant:
    """``actions`` on the table's items (optionally one key family, or only in a transaction)."""
    return TableGrant(frozenset(actions), key_prefixes=keys, in_transaction=in_transaction)


def index(*names: str) -> TableGrant:
    """Query on these indexes of the table (and not on the table itself)."""
    return TableGrant(frozenset({QUERY}), indexes=names)


@dataclass(frozen=True)
class Access:
    documents: Documents | None = None
    secrets: frozenset[Secret] = field(default_factory=frozenset)
    puts_events: bool = False
    starts_verification: bool = False  # states:StartExecution (+ DescribeExecution)
    answers_verification: bool = False  # states:SendTaskSuccess on the state machine
    queues_ondc_work: bool = False  # sqs:SendMessage to the ONDC work queue (infra/constructs/ondc.py)
    # Table logical name -> exactly what may be done on it.
    grants: Mapping[str, tuple[TableGrant, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(self.grants)

    @property
    def writes(self) -> frozenset[str]:
        """Tables with any write (put, update, delete): their KMS key is needed to encrypt too."""
        return frozenset(
            logical for logical in self.grants if self.table_actions(logical) & set(TABLE_WRITE_ACTIONS)
        )

    @property
    def reads(self) -> frozenset[str]:
        return self.tables - self.writes

    def table_actions(self, logical: str) -> frozenset[str]:
        """Every DynamoDB action granted on ``logical`` (its table or indexes)."""
        return frozenset(action for grant in self.grants.get(logical, ()) for action in grant.actions)


def _coarse(actions: tuple[str, ...]) -> TableGrant:
    """A coarse level's actions on the table, and (for queries) on every index."""
    return TableGrant(frozenset(actions), indexes=EVERY_INDEX if TABLE_QUERY_ACTIONS & set(actions) else ())


def _access(
    *,
    tables: Mapping[str, tuple[TableGrant, ...]] | None = None,
    reads: tuple[str, ...] = (),
    writes: tuple[str, ...] = (),
    exact: Mapping[str, tuple[str, ...]] | None = None,
    documents: Documents | None = None,
    secrets: tuple[Secret, ...] = (),
    puts_events: bool = False,
    starts_verification: bool = False,
    answers_verification: bool = False,
    queues_ondc_work: bool = False,
) -> Access:
    """``tables`` declares exact grants; ``reads``/``writes`` (coarse levels) and ``exact`` (exact
    actions on the table and all its indexes) remain for quick declarations, but every function
    here uses ``tables``."""
    grants: dict[str, tuple[TableGrant, ...]] = dict(tables or {})
    for logical in reads:
        grants.setdefault(logical, (_coarse(TABLE_READ_ACTIONS),))
    for logical in writes:
        grants[logical] = (_coarse(TABLE_READ_ACTIONS + TABLE_WRITE_ACTIONS),)
    for logical, actions in (exact or {}).items():
        grants[logical] = (_coarse(actions),)
    return Access(
        documents=documents,
        secrets=frozenset(secrets),
        puts_events=puts_events,
        starts_verification=starts_verification,
        answers_verification=answers_verification,
        queues_ondc_work=queues_ondc_work,
        grants=MappingProxyType(grants),
    )


def _idempotency(*operations: str) -> tuple[TableGrant, ...]:
    """Take, read, complete and give back this function's own idempotency records."""
    return (table(GET, PUT, UPDATE, DELETE, keys=idempotency_keys(*operations)),)


# The list indexes of GET /bookings and GET /complaints (sevamitra.data.bookings/complaints).
BOOKING_LISTS = tuple(sorted(bookings_repo.LIST_INDEXES))
COMPLAINT_LISTS = tuple(sorted(complaints_repo.LIST_INDEXES))

# Each row was checked against the data layer calls of the function's code paths
# (tests/integration/test_least_privilege.py proves each call is allowed and each grant used).
# ``in_transaction``: the code makes this write only inside a TransactWriteItems.
ACCESS: dict[Function, Access] = {
    # GET /me looks the caller up (by_account, by_owner). Registration claims the identities in
    # one transaction that only checks the ban registry (ConditionCheck) and can never write it.
    # Availability moves the geo entries in the transaction that changes the professional.
    # Officers list agencies by status (by_status) and see how many professionals one has
    # (a COUNT query of by_agency); the card is a GetItem.
    Function.REGISTER: _access(
        tables={
            "professionals": (
                table(GET, UPDATE),
                table(PUT, in_transaction=True),
                index("by_account", "by_agency"),
            ),
            "identities": (
                table(CONDITION_CHECK, keys=BAN_KEYS),
                table(PUT, keys=CLAIM_KEYS, in_transaction=True),
            ),
            "agencies": (table(GET, PUT, UPDATE), index("by_owner", "by_status")),
            "geo": (table(PUT, DELETE, in_transaction=True),),
            "idempotency": _idempotency("create_agency", "register_professional"),
        },
        documents=Documents.READ_WRITE,
        secrets=(Secret.IDENTITY_KEY, Secret.CURSOR_KEY),
        starts_verification=True,
    ),
    # Counting searches per account (sevamitra.data.rate_limits) is its only write.
    Function.MATCH: _access(tables={"geo": (table(QUERY),), "rate_limits": (table(UPDATE),)}),
    # A booking claims and frees its professional (and adds ratings) only in the transaction that
    # writes the booking; agencies are read to tell whether a caller manages the professional;
    # completion above the fee opens an overcharge complaint (and its lock) in that transaction.
    # GET /bookings reads the list indexes of the partitions the caller may see; whom it acts
    # for comes from its own professional (by_account) and the agency it owns (by_owner).
    Function.BOOK: _access(
        tables={
            "bookings": (
                table(GET, UPDATE),
                table(PUT, in_transaction=True),
                index(*BOOKING_LISTS),
            ),
            "professionals": (table(GET), table(UPDATE, in_transaction=True), index("by_account")),
            "geo": (table(QUERY), table(PUT, DELETE, in_transaction=True)),
            "agencies": (table(GET), index("by_owner")),
            "complaints": (table(GET, keys=LOCK_KEYS), table(PUT, in_transaction=True)),
            "idempotency": _idempotency("create_booking"),
            # A citizen's open requests are counted in the transactions that create and move bookings.
            "open_requests": (table(UPDATE, in_transaction=True),),
        },
        secrets=(Secret.CURSOR_KEY,),
    ),
    # Opening a complaint adds it to the booking's complaint_ids; a decision deletes only its lock
    # and appends to the audit trail; an upheld overcharge bans (professional, geo entries out,
    # ban registry) in that transaction. The ban check hashes numbers with the identity key and
    # reads the registry, the banned professional's name and the complaint. Officers list every
    # complaint (by status or district), others those they filed or are about whom they act for.
    # No events: the escalation job emits.
    Function.COMPLAINT: _access(
        tables={
            "complaints": (
                table(GET, UPDATE),
                table(PUT, in_transaction=True),
                table(DELETE, keys=LOCK_KEYS, in_transaction=True),
                index(*COMPLAINT_LISTS),
            ),
            "bookings": (table(GET), table(UPDATE, in_transaction=True)),
            "professionals": (table(GET), table(UPDATE, in_transaction=True), index("by_account")),
            "agencies": (table(GET), index("by_owner")),
            "geo": (table(DELETE, in_transaction=True),),
            "identities": (table(GET, keys=BAN_KEYS), table(PUT, keys=BAN_KEYS, in_transaction=True)),
            "audit": (table(QUERY), table(PUT, in_transaction=True)),
            "idempotency": _idempotency("open_complaint"),
        },
        documents=Documents.EVIDENCE_UPLOAD,
        secrets=(Secret.IDENTITY_KEY, Secret.CURSOR_KEY),
    ),
    # The police callback and the officers' list (all, or one district's): requests only (the
    # workflow's steps move the professional on), the callback key, and resuming the waiting task.
    Function.VERIFY: _access(
        tables={"verifications": (table(GET, UPDATE), index("pending", "pending_by_district"))},
        secrets=(Secret.POLICE_CALLBACK, Secret.CURSOR_KEY),
        answers_verification=True,
    ),
    # /ondc/<action>: claims each message once (a claim whose work could not be queued is given
    # back) and queues the work; buyer apps' keys come from the ONDC registry over HTTPS.
    Function.ONDC: _access(
        tables={"ondc": (table(PUT, DELETE, keys=ONDC_MESSAGE_KEYS),)},
        queues_ondc_work=True,
    ),
}

# Workflow steps and scheduled jobs that need less (or other) access than their function,
# keyed by ``Entry.name`` (``book-expiry``).
ENTRY_ACCESS: dict[str, Access] = {
    # The verification steps: read and conditionally update the professional, open and update
    # the police request, read the stored documents, announce requests and escalations.
    VERIFY_STEPS.name: _access(
        tables={
            "professionals": (table(GET, UPDATE),),
            "verifications": (table(GET, PUT, UPDATE),),
            # The decision's entry on the audit trail: read the chain's head, append after it.
            "audit": (table(QUERY, PUT),),
        },
        documents=Documents.READ,
        puts_events=True,
    ),
    # Finds overdue complaints through open_by_due, escalates them and emits IGRSEscalation.
    "complaint-escalation": _access(
        tables={"complaints": (table(GET, UPDATE), index("open_by_due"))}, puts_events=True
    ),
    # The expiry sweep: the awaiting_accept index, the booking, and in one transaction the
    # booking, its professional (freed) and their entries (back in the index).
    BOOKING_EXPIRY.entry.name: _access(
        tables={
            "bookings": (table(GET), table(UPDATE, in_transaction=True), index("awaiting_accept")),
            "professionals": (table(GET), table(UPDATE, in_transaction=True)),
            "geo": (table(PUT, in_transaction=True),),
            "open_requests": (table(UPDATE, in_transaction=True),),
        }
    ),
}


# The ONDC worker answers buyer apps as POST /bookings and the booking routes would: the geo index
# (search, and the claim's index entries), the professional and the booking in the bookings
# repository's own transactions (create, cancel, rate), the customer's open requests; its own
# transactions and orders; our signing key for the callbacks.
ENTRY_ACCESS[ONDC_WORKER.name] = _access(
    tables={
        "geo": (table(QUERY), table(PUT, DELETE, in_transaction=True)),
        "professionals": (table(GET), table(UPDATE, in_transaction=True)),
        "bookings": (table(GET), table(PUT, UPDATE, in_transaction=True)),
        "open_requests": (table(UPDATE, in_transaction=True),),
        "ondc": (table(PUT, keys=ONDC_TRANSACTION_KEYS), table(GET, PUT, UPDATE, keys=ONDC_ORDER_KEYS)),
    },
    secrets=(Secret.ONDC_SIGNING_KEY,),
)
# Unsolicited on_status: the tracked orders, their bookings (and professionals' names), the
# status told; our signing key.
ENTRY_ACCESS[ONDC_TRACKER.entry.name] = _access(
    tables={
        "ondc": (table(UPDATE, keys=ONDC_ORDER_KEYS), index("tracked")),
        "bookings": (table(GET),),
        "professionals": (table(GET),),
    },
    secrets=(Secret.ONDC_SIGNING_KEY,),
)


def access_of(entry: Function | Entry) -> Access:
    if isinstance(entry, Entry):
        return ENTRY_ACCESS.get(entry.name, ACCESS[entry.function])
    return ACCESS[entry]
