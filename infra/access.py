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
from sevamitra.data import igrs as igrs_repo
from sevamitra.data import notifications as inbox
from sevamitra.data import ondc as ondc_records
from sevamitra.data.complaints import LOCK_PREFIX
from sevamitra.data.identities import IdentityKind, account_pk, ban_pk, identity_pk
from sevamitra.edge.routes import (
    AUDIT_ANCHORING,
    BOOKING_EXPIRY,
    ENGAGEMENT_END,
    IGRS_DELIVERY,
    INBOUND_SMS,
    NOTIFY_EVENTS,
    ONDC_TRACKER,
    ONDC_WORKER,
    OUTBOX_SWEEP,
    VERIFY_STEPS,
    Entry,
    Function,
)


class Secret(Enum):
    IDENTITY_KEY = "identity_key"  # HMAC key for Aadhaar/mobile hashes
    POLICE_CALLBACK = "police_callback"  # shared key of X-Seva-Signature
    CURSOR_KEY = "cursor_key"  # HMAC key of list routes' page cursors
    ONDC_SIGNING_KEY = "ondc_signing_key"  # our Ed25519 key for ONDC callbacks (functions/ondc)
    IGRS_KEY = "igrs_key"  # shared key with IGRS: X-Seva-Signature both ways


class Contacts(Enum):
    """The contacts KMS key, which seals professionals' mobile numbers (sevamitra.data.contacts)."""

    SEAL = "seal"  # kms:Encrypt: registration
    OPEN = "open"  # kms:Decrypt: notify, to send an SMS; book, for an accepted booking's citizen
    SEAL_AND_OPEN = "seal_and_open"  # both: registration, which also sends claim codes by SMS


class Push(Enum):
    """SNS mobile push (the FCM and APNs platform applications)."""

    REGISTER = "register"  # sns:CreatePlatformEndpoint: PUT /me/devices
    DELIVER = "deliver"  # sns:Publish to endpoints: the event consumer


class AuditAnchors(Enum):
    """The write-once bucket of the audit chains' heads (sevamitra.data.anchors)."""

    READ = "read"  # the audit route: list a subject's anchors, read the newest
    WRITE = "write"  # the anchoring job: that, and put new heads and run records


class Documents(Enum):
    READ = "read"  # get/head stored documents and their pinned versions (the document check)
    READ_WRITE = "read_write"  # get/head the newest version, and sign presigned POSTs (put)
    EVIDENCE_UPLOAD = "evidence_upload"  # only sign presigned POSTs under complaints/ (put)
    RECEIPT_UPLOAD = "receipt_upload"  # only sign presigned POSTs under receipts/ (put)


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
# The anchors bucket (Object Lock): reads and listing; the job also puts. Never a delete, never
# an object-lock or retention change.
ANCHOR_READ_ACTIONS = ("s3:GetObject",)
ANCHOR_WRITE_ACTIONS = ("s3:PutObject",)
ANCHOR_BUCKET_ACTIONS = ("s3:ListBucket",)
CONTACTS_SEAL_ACTIONS = ("kms:Encrypt",)
CONTACTS_OPEN_ACTIONS = ("kms:Decrypt",)
CONTACTS_ACTIONS: dict[Contacts, tuple[str, ...]] = {
    Contacts.SEAL: CONTACTS_SEAL_ACTIONS,
    Contacts.OPEN: CONTACTS_OPEN_ACTIONS,
    Contacts.SEAL_AND_OPEN: CONTACTS_SEAL_ACTIONS + CONTACTS_OPEN_ACTIONS,
}
PUSH_REGISTER_ACTIONS = ("sns:CreatePlatformEndpoint",)
PUSH_DELIVER_ACTIONS = ("sns:Publish",)
SMS_SEND_ACTIONS = ("sms-voice:SendTextMessage",)
# notify reads the phone number of an account that manages a professional (ListUsers by sub).
ACCOUNT_READ_ACTIONS = ("cognito-idp:ListUsers",)
# A helpline booking creates its caller's account when the number has none (issue 17).
ACCOUNT_CREATE_ACTIONS = ("cognito-idp:AdminCreateUser",)
# Complaint evidence lives under this prefix of the documents bucket.
EVIDENCE_PREFIX = "complaints/"
# Expense receipts (sevamitra.domain.expenses.RECEIPT_PREFIX) live under this one.
RECEIPT_PREFIX = "receipts/"
# The upload-only levels: PutObject (to sign a presigned POST) under one prefix, nothing else.
UPLOAD_ONLY_PREFIXES: dict[Documents, str] = {
    Documents.EVIDENCE_UPLOAD: EVIDENCE_PREFIX,
    Documents.RECEIPT_UPLOAD: RECEIPT_PREFIX,
}
# Download links (``Access.downloads``): HeadObject and the presigned GET are both s3:GetObject.
DOWNLOAD_READ_ACTIONS = ("s3:GetObject",)
DOWNLOAD_BUCKET_ACTIONS = ("s3:ListBucket",)
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
BATCH_GET = "dynamodb:BatchGetItem"

# The value of dynamodb:EnclosingOperation for the items of a write transaction.
TRANSACTION = "TransactWriteItems"
# ``TableGrant.indexes`` for the coarse levels: the table and every one of its indexes.
EVERY_INDEX = ("*",)

# Key families (partition key prefixes, for dynamodb:LeadingKeys), from the code that makes the keys.
_KINDS = tuple(IdentityKind)
BAN_KEYS = tuple(ban_pk(kind, "") for kind in _KINDS)  # ban#aadhaar#, ban#mobile#: the registry
CLAIM_KEYS = (*(identity_pk(kind, "") for kind in _KINDS), account_pk(""))  # aadhaar#, mobile#, account#
LOCK_KEYS = (LOCK_PREFIX,)  # lock#<booking>#<kind>: one unresolved complaint per booking and kind
IGRS_KEYS = (igrs_repo.REFERENCE_PREFIX,)  # igrs#<reference>: the complaint IGRS calls back about
MOBILE_KEYS = (identity_pk(IdentityKind.MOBILE, ""),)  # mobile#: who registered a number
# The notifications table's key families (sevamitra.data.notifications).
INBOX_KEYS, PREFS_KEYS, DEVICE_KEYS = (inbox.INBOX,), (inbox.PREFS,), (inbox.DEVICE,)
SENT_KEYS, REF_KEYS, NACK_KEYS = (inbox.SENT,), (inbox.REF,), (inbox.NACK,)
FEED_KEYS = (inbox.FEED,)  # feed#<queue>: one row per event for every officer of a queue
# The ondc table's key families (sevamitra.data.ondc): messages seen, transactions, orders.
ONDC_MESSAGE_KEYS = (ondc_records.MESSAGE,)
ONDC_TRANSACTION_KEYS = (ondc_records.TRANSACTION,)
ONDC_ORDER_KEYS = (ondc_records.ORDER,)
ONDC_ISSUE_KEYS = (ondc_records.ISSUE,)  # issue#<complaint_id>: an ONDC issue and its complaint


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
    contacts: Contacts | None = None
    sends_sms: bool = False  # sms-voice:SendTextMessage from the origination identity
    push: Push | None = None
    reads_accounts: bool = False  # cognito-idp:ListUsers on the user pool
    anchors: AuditAnchors | None = None
    queues_ondc_work: bool = False  # sqs:SendMessage to the ONDC work queue (infra/constructs/ondc.py)
    creates_accounts: bool = False  # cognito-idp:AdminCreateUser on the user pool
    # Documents-bucket prefixes whose objects the function checks (HeadObject) and signs download
    # links for (GetObject; ListBucket on those prefixes, so a missing upload is a 404, not a 403).
    downloads: tuple[str, ...] = ()
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
    contacts: Contacts | None = None,
    sends_sms: bool = False,
    push: Push | None = None,
    reads_accounts: bool = False,
    anchors: AuditAnchors | None = None,
    queues_ondc_work: bool = False,
    creates_accounts: bool = False,
    downloads: tuple[str, ...] = (),
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
        contacts=contacts,
        sends_sms=sends_sms,
        push=push,
        reads_accounts=reads_accounts,
        anchors=anchors,
        queues_ondc_work=queues_ondc_work,
        creates_accounts=creates_accounts,
        downloads=downloads,
        grants=MappingProxyType(grants),
    )


def _idempotency(*operations: str) -> tuple[TableGrant, ...]:
    """Take, read, complete and give back this function's own idempotency records."""
    return (table(GET, PUT, UPDATE, DELETE, keys=idempotency_keys(*operations)),)


# The list indexes of GET /bookings and GET /complaints (sevamitra.data.bookings/complaints).
BOOKING_LISTS = tuple(sorted(bookings_repo.LIST_INDEXES))
COMPLAINT_LISTS = tuple(sorted(complaints_repo.LIST_INDEXES))
# A state change puts its domain events in the outbox in its own transaction; once published,
# the publisher deletes them (sevamitra.data.outbox, sevamitra.platform.bus.emit).
OUTBOX = (table(PUT, in_transaction=True), table(DELETE))
# A citizen's open requests are counted in the transactions that create and move bookings.
OPEN_REQUESTS = (table(UPDATE, in_transaction=True),)

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
            # GET /me shows the caller's notification preferences.
            "notifications": (table(GET, keys=PREFS_KEYS),),
            # Going online looks up the match alerts of the cells around and fires each once
            # (conditional update) with its professional_available event in the outbox.
            "match_alerts": (table(QUERY), table(UPDATE, in_transaction=True)),
            "outbox": OUTBOX,
            # Claims of assisted registrations are on the professional's trail: the head, an
            # entry appended (code sent, locked) or put in the claim's transaction.
            "audit": (table(QUERY, PUT),),
        },
        documents=Documents.READ_WRITE,
        secrets=(Secret.IDENTITY_KEY, Secret.CURSOR_KEY),
        starts_verification=True,
        # Seals a new registration's mobile; opens it to send a claim code by SMS.
        contacts=Contacts.SEAL_AND_OPEN,
        sends_sms=True,
        puts_events=True,
    ),
    # Counting searches per account (sevamitra.data.rate_limits) is its only write, besides the
    # match alerts it stores (POST /match/alerts, idempotent).
    Function.MATCH: _access(
        tables={
            "geo": (table(QUERY),),
            "rate_limits": (table(UPDATE),),
            "match_alerts": (table(PUT),),
            "idempotency": _idempotency("create_match_alert"),
        }
    ),
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
            "open_requests": OPEN_REQUESTS,
            "outbox": OUTBOX,
            # A helpline booking's start code SMS is in its caller's language.
            "notifications": (table(GET, keys=PREFS_KEYS),),
        },
        secrets=(Secret.CURSOR_KEY,),
        puts_events=True,
        # The professional's sealed mobile, opened for the citizen of an accepted booking.
        contacts=Contacts.OPEN,
        # A helpline booking finds its caller's account by phone number (ListUsers), creates it
        # when there is none (AdminCreateUser), and texts the caller the start code.
        reads_accounts=True,
        creates_accounts=True,
        sends_sms=True,
        # Receipt upload forms for expense claims, under receipts/ only.
        documents=Documents.RECEIPT_UPLOAD,
        # GET /bookings/{id}: download links of the receipts on the booking's claims.
        downloads=(RECEIPT_PREFIX,),
    ),
    # Opening a complaint adds it to the booking's complaint_ids; a decision deletes only its lock
    # and appends to the audit trail; an upheld overcharge bans (professional, geo entries out,
    # ban registry) in that transaction. The ban check hashes numbers with the identity key and
    # reads only the registry. Openings and decisions put their events through the outbox.
    Function.COMPLAINT: _access(
        tables={
            "complaints": (
                table(GET, UPDATE),
                table(PUT, in_transaction=True),
                table(DELETE, keys=LOCK_KEYS, in_transaction=True),
                index(*COMPLAINT_LISTS),
            ),
            # A suspension cancels the professional's waiting bookings (found on by_professional).
            "bookings": (table(GET), table(UPDATE, in_transaction=True), index("by_professional")),
            "professionals": (table(GET), table(UPDATE, in_transaction=True), index("by_account")),
            "agencies": (table(GET), index("by_owner")),
            # Out on suspension; a reinstated professional is offline (the ban took them offline)
            # and comes back into the index by going online (the register function).
            "geo": (table(DELETE, in_transaction=True),),
            # An overturned ban takes both identities off the registry.
            "identities": (
                table(GET, keys=BAN_KEYS),
                table(PUT, DELETE, keys=BAN_KEYS, in_transaction=True),
            ),
            "audit": (table(QUERY), table(PUT, in_transaction=True)),
            "idempotency": _idempotency("open_complaint"),
            "outbox": OUTBOX,
            "open_requests": OPEN_REQUESTS,
        },
        documents=Documents.EVIDENCE_UPLOAD,
        # GET /complaints/{id}: download links of the evidence and of the booking's receipts.
        downloads=(EVIDENCE_PREFIX, RECEIPT_PREFIX),
        # IGRS's callback is checked with IGRS's key (it reads the igrs#<reference> pointer and
        # updates the complaint's escalation).
        secrets=(Secret.IDENTITY_KEY, Secret.CURSOR_KEY, Secret.IGRS_KEY),
        puts_events=True,
        # The audit route checks the trail against its newest anchor.
        anchors=AuditAnchors.READ,
    ),
    # The police callback and the officers' list (all, or one district's): requests only (the
    # workflow's steps move the professional on), the callback key, and resuming the waiting task.
    Function.VERIFY: _access(
        tables={"verifications": (table(GET, UPDATE), index("pending", "pending_by_district"))},
        secrets=(Secret.POLICE_CALLBACK, Secret.CURSOR_KEY),
        answers_verification=True,
    ),
    # The caller's own inbox (paged with signed cursors), preferences and devices; an officer's
    # inbox merged with their queues' feeds, in the language of their preferences.
    Function.NOTIFY: _access(
        tables={
            "notifications": (
                table(QUERY, keys=INBOX_KEYS + FEED_KEYS),
                table(PUT, keys=PREFS_KEYS + DEVICE_KEYS),
                table(GET, keys=PREFS_KEYS),
            )
        },
        secrets=(Secret.CURSOR_KEY,),
        push=Push.REGISTER,
    ),
    # Jobs: a post goes in with its site entries; discovery queries the site index and reads the
    # posts found in one batch; an accept is one transaction over the offer, the application, the
    # job's counter, the new engagement and the professional (a full-time engagement takes them
    # out of the match index: their versioned update and geo entries; any other checks they are
    # still verified). Who manages a professional reads agencies; "my professional" reads
    # by_account. Page cursors are signed with the cursor key; offers and disputes announce
    # themselves on the bus.
    Function.JOBS: _access(
        tables={
            "jobs": (
                table(GET, BATCH_GET),
                table(PUT, UPDATE, CONDITION_CHECK, in_transaction=True),
                index("by_poster"),
            ),
            "job_sites": (table(QUERY), table(PUT, DELETE, in_transaction=True)),
            "applications": (table(GET, PUT), table(UPDATE, in_transaction=True), index("by_job_recent")),
            "offers": (table(GET), table(PUT, UPDATE, in_transaction=True)),
            "engagements": (
                table(GET),
                table(PUT, UPDATE, in_transaction=True),
                index("by_employer", "by_professional"),
            ),
            "attendance": (table(GET, PUT, UPDATE, QUERY),),
            "professionals": (
                table(GET),
                table(UPDATE, CONDITION_CHECK, in_transaction=True),
                index("by_account"),
            ),
            "geo": (table(PUT, DELETE, in_transaction=True),),
            "agencies": (table(GET),),
            "idempotency": _idempotency("create_job", "apply_to_job", "make_offer"),
        },
        secrets=(Secret.CURSOR_KEY,),
        puts_events=True,
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
    # Finds overdue complaints through open_by_due, escalates them and emits IGRSEscalation;
    # the escalation's complaint_escalated event (the district's officers) goes through the outbox.
    "complaint-escalation": _access(
        tables={"complaints": (table(GET, UPDATE), index("open_by_due")), "outbox": OUTBOX},
        puts_events=True,
    ),
    # The expiry sweep: the awaiting_accept index, the booking, and in one transaction the
    # booking, its professional (freed) and their entries (back in the index). Its timers (the
    # timers index): a re-offer searches the index for the next professional (whose agency may
    # say the citizen manages them) and claims them (their entries out) in that transaction.
    BOOKING_EXPIRY.entry.name: _access(
        tables={
            # UpdateItem alone too: an offer that lapsed with nobody else to offer it to.
            "bookings": (table(GET, UPDATE), index("awaiting_accept", "timers")),
            "professionals": (table(GET), table(UPDATE, in_transaction=True)),
            "geo": (table(QUERY), table(PUT, DELETE, in_transaction=True)),
            "agencies": (table(GET),),
            "open_requests": OPEN_REQUESTS,
            "outbox": OUTBOX,
        },
        puts_events=True,
    ),
    # Domain events -> messages: who must hear (the professional, the account that manages them,
    # preferences), the SMS reference of a request, one inbox row and one delivery marker per
    # recipient (a failed send gives its marker back), the devices to push to; the sealed mobile
    # opened to send the SMS, a managing account's phone number from the user pool.
    NOTIFY_EVENTS.name: _access(
        tables={
            "professionals": (table(GET),),
            "notifications": (
                table(GET, keys=PREFS_KEYS),
                table(PUT, keys=INBOX_KEYS + SENT_KEYS + REF_KEYS + FEED_KEYS),
                table(DELETE, keys=SENT_KEYS),
                table(QUERY, keys=DEVICE_KEYS),
            ),
        },
        contacts=Contacts.OPEN,
        sends_sms=True,
        push=Push.DELIVER,
        reads_accounts=True,
    ),
    # Events a publisher left in the outbox: found by age, published, deleted.
    OUTBOX_SWEEP.entry.name: _access(
        tables={"outbox": (table(GET, DELETE), index("pending"))}, puts_events=True
    ),
    # An inbound SMS: the sender's number hashed with the identity key and looked up among
    # registered mobiles, the reference, then the same accept / decline transactions as the API
    # routes (a decline frees the professional: back in the index); the reply and its rate limit.
    INBOUND_SMS.name: _access(
        tables={
            "identities": (table(GET, keys=MOBILE_KEYS),),
            "notifications": (table(GET, keys=REF_KEYS + PREFS_KEYS), table(PUT, keys=NACK_KEYS)),
            "bookings": (table(GET), table(UPDATE, in_transaction=True)),
            "professionals": (table(GET), table(UPDATE, in_transaction=True)),
            # NA <ref> re-offers an auto-assigned booking: the search and the claim of the next one.
            "geo": (table(QUERY), table(PUT, DELETE, in_transaction=True)),
            "agencies": (table(GET),),
            "open_requests": OPEN_REQUESTS,
            "outbox": OUTBOX,
        },
        secrets=(Secret.IDENTITY_KEY,),
        puts_events=True,
        sends_sms=True,
    ),
    # Engagements past their ends_on: the sparse ending index, the engagement, and in one
    # transaction the engagement, its professional (freed) and their entries (back in the index);
    # each end is announced.
    ENGAGEMENT_END.entry.name: _access(
        tables={
            "engagements": (table(GET), table(UPDATE, in_transaction=True), index("ending")),
            "professionals": (table(GET), table(UPDATE, in_transaction=True)),
            "geo": (table(PUT, in_transaction=True),),
        },
        puts_events=True,
    ),
    # IGRS outbound: the complaint, the reference IGRS returned recorded on it with its pointer
    # item (igrs#<reference>) in one transaction, the decision marked sent; the IGRS key signs.
    IGRS_DELIVERY.name: _access(
        tables={"complaints": (table(GET, UPDATE), table(PUT, keys=IGRS_KEYS, in_transaction=True))},
        secrets=(Secret.IGRS_KEY,),
    ),
    # Audit chains that moved since the last run (the by_day index), each chain's head, and the
    # write-once anchors bucket: the subject's newest anchor, new heads, the run's record.
    AUDIT_ANCHORING.entry.name: _access(
        tables={"audit": (table(QUERY), index("by_day"))},
        anchors=AuditAnchors.WRITE,
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
        "ondc": (
            table(PUT, keys=ONDC_TRANSACTION_KEYS),
            table(GET, PUT, UPDATE, keys=ONDC_ORDER_KEYS),
            table(GET, PUT, keys=ONDC_ISSUE_KEYS),
        ),
        "outbox": OUTBOX,  # the booking's events, in its transactions; published, then removed
        # An issue opens its complaint as POST /complaints does (sevamitra.data.complaint_opening):
        # the complaint and its lock in one transaction (with the booking's complaint_ids, above),
        # the lock's holder read on a refusal, the complaint read back for on_issue(_status).
        "complaints": (table(GET), table(PUT, in_transaction=True)),
    },
    secrets=(Secret.ONDC_SIGNING_KEY,),
    puts_events=True,
)
# Unsolicited on_status: the tracked orders, their bookings (and professionals' names), the
# status told; our signing key.
ENTRY_ACCESS[ONDC_TRACKER.entry.name] = _access(
    tables={
        "ondc": (
            table(UPDATE, keys=ONDC_ORDER_KEYS),
            index("tracked"),
            table(UPDATE, keys=ONDC_ISSUE_KEYS),
        ),
        "bookings": (table(GET),),
        "professionals": (table(GET),),
        "complaints": (table(GET),),  # unsolicited on_issue_status: the issues' complaints
    },
    secrets=(Secret.ONDC_SIGNING_KEY,),
)


def access_of(entry: Function | Entry) -> Access:
    if isinstance(entry, Entry):
        return ENTRY_ACCESS.get(entry.name, ACCESS[entry.function])
    return ACCESS[entry]
