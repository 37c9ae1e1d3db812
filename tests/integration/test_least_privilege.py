"""Least privilege, checked against what the code really calls.

moto enforces no IAM, so the integration tests would pass with any role. Here every route and
job runs on moto through its handler (``local.dispatch``: the function it runs as is known) while
every AWS call is recorded; each DynamoDB call is turned into the IAM requests AWS evaluates for it
(``needs_of``: a TransactWriteItems needs PutItem/UpdateItem/DeleteItem/ConditionCheckItem on each
item's table, with ``dynamodb:EnclosingOperation``, and ``dynamodb:LeadingKeys`` is the item's
partition key) and checked against ``infra/access.py`` (which ``tests/infra/test_iam.py`` proves
the template renders exactly). Both ways: every call is allowed, and every granted action is used
by some call, so a grant wider than the code fails here too.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import requests
from botocore.client import BaseClient

import book.helpline
import complaint.igrs
import complaint.igrs_delivery
import local.dispatch
import local.lambdas
import notify.logic
from book.settings import BookSettings
from infra import access as acl
from infra.access import EVERY_INDEX, TRANSACTION, Access, Documents, Secret, TableGrant, access_of
from local.events import EventPump
from local.igrs import FakeIgrs
from local.provision import LocalResources, cached_client, create_user_pool
from local.sms import sns_event
from sevamitra.data.anchors import anchor_settings
from sevamitra.data.igrs import igrs_settings
from sevamitra.data.models import (
    AgencyModel,
    BookingModel,
    ComplaintModel,
    MatchAlertModel,
    OpenRequestsModel,
    OutboxEventModel,
    ProfessionalModel,
)
from sevamitra.data.schema import TABLES
from sevamitra.domain.documents import DOCUMENTS_PREFIX
from sevamitra.edge import pii
from sevamitra.edge.errors import DependencyFailed
from sevamitra.edge.routes import (
    AUDIT_ANCHORING,
    BOOKING_EXPIRY,
    COMPLAINT_ESCALATION,
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
from sevamitra.edge.signing import HEADER, sign
from sevamitra.platform import bus
from sevamitra.platform.ondc_settings import ondc_settings
from sevamitra.platform.settings import settings
from sevamitra.platform.sms import LOCAL_OUTBOX
from tests.integration.conftest import Api, ApiResponse, claims_for
from tests.integration.geo_seed import seed_professional
from tests.integration.verification_support import PDF, callback, eventually, finished, sfn
from tests.stories import identity

Subject = Function | Entry
SUBJECTS: tuple[Subject, ...] = (
    *Function,
    VERIFY_STEPS,
    BOOKING_EXPIRY.entry,
    COMPLAINT_ESCALATION.entry,
    NOTIFY_EVENTS,
    OUTBOX_SWEEP.entry,
    INBOUND_SMS,
    ENGAGEMENT_END.entry,
    AUDIT_ANCHORING.entry,
    IGRS_DELIVERY,
    ONDC_WORKER,
    ONDC_TRACKER.entry,
)
_HASH_KEYS = {spec.logical_name: spec.hash_key.name for spec in TABLES}


# --- what a DynamoDB call asks IAM for ----------------------------------------------------------


@dataclass(frozen=True)
class Need:
    """One IAM request: ``action`` on a table (or one of its indexes), for the item whose partition
    key is ``key`` (dynamodb:LeadingKeys), as part of ``enclosing`` (dynamodb:EnclosingOperation)."""

    action: str
    table: str
    index: str | None = None
    key: str | None = None
    enclosing: str | None = None


_TRANSACT_ITEM_ACTIONS = {
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
    "Delete": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
    "Get": "dynamodb:GetItem",
}


def _logical(table_name: str) -> str:
    return table_name.removeprefix(settings().table_prefix)


def _partition_key(table: str, item_or_key: dict[str, Any] | None) -> str | None:
    value = (item_or_key or {}).get(_HASH_KEYS.get(table, ""))
    return None if value is None else str(next(iter(value.values())))


def _queried_key(table: str, params: dict[str, Any]) -> str | None:
    """The partition key value of a Query on the table (``#0 = :0`` in KeyConditionExpression)."""
    names = params.get("ExpressionAttributeNames", {})
    values = params.get("ExpressionAttributeValues", {})
    for name, value in re.findall(r"(#\w+)\s*=\s*(:\w+)", params.get("KeyConditionExpression", "")):
        if names.get(name) == _HASH_KEYS.get(table):
            return str(next(iter(values[value].values())))
    return None


def needs_of(operation: str, params: dict[str, Any]) -> list[Need]:
    """The IAM requests DynamoDB makes for one API call."""
    if operation in ("TransactWriteItems", "TransactGetItems"):
        needs = []
        for entry in params["TransactItems"]:
            ((kind, item),) = entry.items()
            table = _logical(item["TableName"])
            key = _partition_key(table, item.get("Key") or item.get("Item"))
            needs.append(Need(_TRANSACT_ITEM_ACTIONS[kind], table, key=key, enclosing=operation))
        return needs
    if operation in ("BatchGetItem", "BatchWriteItem"):
        needs = []
        for table_name, request in params["RequestItems"].items():
            table = _logical(table_name)
            if operation == "BatchGetItem":
                keys = [_partition_key(table, key) for key in request["Keys"]]
            else:
                keys = [
                    _partition_key(table, (write.get("PutRequest") or {}).get("Item"))
                    or _partition_key(table, (write.get("DeleteRequest") or {}).get("Key"))
                    for write in request
                ]
            needs += [Need(f"dynamodb:{operation}", table, key=key) for key in keys]
        return needs
    table = _logical(params["TableName"])
    index = params.get("IndexName")
    if operation == "Query":
        key = None if index else _queried_key(table, params)
    else:
        key = _partition_key(table, params.get("Key") or params.get("Item"))
    return [Need(f"dynamodb:{operation}", table, index=index, key=key)]


def matching(access: Access, need: Need) -> TableGrant | None:
    """The first of ``access``'s grants that covers ``need``, as IAM would evaluate its statement."""
    for grant in access.grants.get(need.table, ()):
        if need.action not in grant.actions:
            continue
        if need.index is None and not grant.on_table:
            continue
        if need.index is not None and grant.indexes != EVERY_INDEX and need.index not in grant.indexes:
            continue
        if grant.key_prefixes and not (need.key and need.key.startswith(grant.key_prefixes)):
            continue
        if grant.in_transaction and need.enclosing != TRANSACTION:
            continue
        return grant
    return None


def allows(access: Access, need: Need) -> bool:
    return matching(access, need) is not None


def _object_read_actions(access: Access) -> set[str]:
    """The read actions functions.py grants on document objects: GetObject, and for the document
    check (``Documents.READ``) GetObjectVersion where access.py declares it (pinned versions)."""
    actions = set(acl.DOCUMENT_READ_ACTIONS)
    if access.documents is Documents.READ:
        actions |= set(getattr(acl, "DOCUMENT_VERSION_READ_ACTIONS", ()))
    return actions


def other_call_allowed(access: Access, service: str, operation: str, params: dict[str, Any]) -> bool:
    """Calls to the other services: what ``access`` declares for them (functions.py renders it)."""
    if service == "s3" and params.get("Bucket") == anchor_settings().audit_anchor_bucket:
        # The write-once anchors bucket: list and read with either level, put only with WRITE.
        if operation in ("ListObjectsV2", "GetObject", "HeadObject"):
            return access.anchors is not None
        return operation == "PutObject" and access.anchors is acl.AuditAnchors.WRITE
    if (
        service == "s3"
        and operation == "HeadObject"
        and str(params["Key"]).startswith(access.downloads or "/")
    ):
        # A download link's check (``Access.downloads``): s3:GetObject under those prefixes only.
        return "VersionId" not in params
    if service == "s3" and operation in ("HeadObject", "GetObject"):
        # Both are authorised by s3:GetObject, or by s3:GetObjectVersion when a VersionId is asked.
        action = "s3:GetObjectVersion" if "VersionId" in params else "s3:GetObject"
        readable = access.documents in (Documents.READ, Documents.READ_WRITE)
        in_prefix = str(params["Key"]).startswith(DOCUMENTS_PREFIX)
        return readable and in_prefix and action in _object_read_actions(access)
    if service == "secretsmanager" and operation == "GetSecretValue":
        secret = {
            settings().identity_key_secret_arn: Secret.IDENTITY_KEY,
            settings().police_secret_arn: Secret.POLICE_CALLBACK,
            settings().cursor_key_secret_arn: Secret.CURSOR_KEY,
            igrs_settings().igrs_secret_arn: Secret.IGRS_KEY,
            ondc_settings().ondc_signing_key_secret_arn: Secret.ONDC_SIGNING_KEY,
        }.get(params["SecretId"])
        return secret in access.secrets
    if service == "kms" and operation in ("Encrypt", "Decrypt"):
        # Only under the contacts key's encryption context (the grant's condition).
        wanted = acl.Contacts.SEAL if operation == "Encrypt" else acl.Contacts.OPEN
        granted = access.contacts in (wanted, acl.Contacts.SEAL_AND_OPEN)
        return granted and params.get("EncryptionContext") == {"purpose": "professional-mobile"}
    if service == "cognito-idp" and operation == "ListUsers":
        return access.reads_accounts
    if service == "cognito-idp" and operation == "AdminCreateUser":
        return access.creates_accounts
    if service == "sns" and operation in ("CreatePlatformEndpoint", "Publish"):
        wanted_push = acl.Push.REGISTER if operation == "CreatePlatformEndpoint" else acl.Push.DELIVER
        return access.push is wanted_push
    if service == "pinpoint-sms-voice-v2" and operation == "SendTextMessage":
        return access.sends_sms
    if service == "stepfunctions" and operation in ("StartExecution", "DescribeExecution"):
        return access.starts_verification
    if service == "stepfunctions" and operation == "SendTaskSuccess":
        return access.answers_verification
    if service == "events" and operation == "PutEvents":
        return access.puts_events
    if service == "sqs" and operation == "SendMessage":
        return access.queues_ondc_work
    return False


# --- the operation -> action table, without AWS ---------------------------------------------------

_T = "sevamitra-test-"  # stands for the table prefix below


@pytest.mark.parametrize(
    ("operation", "params", "needs"),
    [
        ("GetItem", {"TableName": "identities", "Key": {"pk": {"S": "ban#mobile#h"}}},
         [Need("dynamodb:GetItem", "identities", key="ban#mobile#h")]),
        ("PutItem", {"TableName": "audit", "Item": {"subject": {"S": "pro_1"}, "seq": {"N": "2"}}},
         [Need("dynamodb:PutItem", "audit", key="pro_1")]),
        ("UpdateItem", {"TableName": "bookings", "Key": {"id": {"S": "bkg_1"}}},
         [Need("dynamodb:UpdateItem", "bookings", key="bkg_1")]),
        ("DeleteItem", {"TableName": "idempotency", "Key": {"id": {"S": "create_booking#x"}}},
         [Need("dynamodb:DeleteItem", "idempotency", key="create_booking#x")]),
        ("Query", {"TableName": "audit", "KeyConditionExpression": "#0 = :0",
                   "ExpressionAttributeNames": {"#0": "subject"},
                   "ExpressionAttributeValues": {":0": {"S": "pro_1"}}},
         [Need("dynamodb:Query", "audit", key="pro_1")]),
        ("Query", {"TableName": "bookings", "IndexName": "awaiting_accept",
                   "KeyConditionExpression": "#0 = :0"},
         [Need("dynamodb:Query", "bookings", index="awaiting_accept")]),
        ("TransactWriteItems", {"TransactItems": [
            {"ConditionCheck": {"TableName": "identities", "Key": {"pk": {"S": "ban#aadhaar#h"}}}},
            {"Put": {"TableName": "identities", "Item": {"pk": {"S": "aadhaar#h"}}}},
            {"Update": {"TableName": "professionals", "Key": {"id": {"S": "pro_1"}}}},
            {"Delete": {"TableName": "geo", "Key": {"pk": {"S": "svc#cell"}, "sk": {"S": "x"}}}},
        ]},
         [Need("dynamodb:ConditionCheckItem", "identities", key="ban#aadhaar#h", enclosing=TRANSACTION),
          Need("dynamodb:PutItem", "identities", key="aadhaar#h", enclosing=TRANSACTION),
          Need("dynamodb:UpdateItem", "professionals", key="pro_1", enclosing=TRANSACTION),
          Need("dynamodb:DeleteItem", "geo", key="svc#cell", enclosing=TRANSACTION)]),
        ("BatchWriteItem", {"RequestItems": {"audit": [
            {"DeleteRequest": {"Key": {"subject": {"S": "pro_1"}, "seq": {"N": "1"}}}}]}},
         [Need("dynamodb:BatchWriteItem", "audit", key="pro_1")]),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)  # fmt: skip
def test_each_dynamodb_operation_needs_the_actions_iam_evaluates_for_it(operation, params, needs):
    assert needs_of(operation, params) == needs


def test_a_grant_applies_only_to_its_key_family_index_and_transactions():
    register, complaint = access_of(Function.REGISTER), access_of(Function.COMPLAINT)
    in_tx = {"enclosing": TRANSACTION}
    # Registration claims identities in a transaction; it never writes the ban registry.
    assert allows(register, Need("dynamodb:PutItem", "identities", key="aadhaar#h", **in_tx))
    assert not allows(register, Need("dynamodb:PutItem", "identities", key="aadhaar#h"))
    assert not allows(register, Need("dynamodb:PutItem", "identities", key="ban#aadhaar#h", **in_tx))
    assert allows(register, Need("dynamodb:ConditionCheckItem", "identities", key="ban#mobile#h", **in_tx))
    assert not allows(register, Need("dynamodb:DeleteItem", "identities", key="ban#mobile#h", **in_tx))
    # Queries only on the named index.
    assert allows(register, Need("dynamodb:Query", "professionals", index="by_account"))
    assert not allows(register, Need("dynamodb:Query", "professionals", key="pro_1"))
    # A decision deletes the lock, never a complaint.
    assert allows(complaint, Need("dynamodb:DeleteItem", "complaints", key="lock#bkg#quality", **in_tx))
    assert not allows(complaint, Need("dynamodb:DeleteItem", "complaints", key="cmp_1", **in_tx))
    # Each function reaches only its own idempotency records (book's hold start codes).
    assert allows(register, Need("dynamodb:GetItem", "idempotency", key="create_agency#d"))
    assert not allows(register, Need("dynamodb:GetItem", "idempotency", key="create_booking#d"))


# --- recording every AWS call, per function --------------------------------------------------------


@dataclass(frozen=True)
class Call:
    subject: Subject
    service: str
    operation: str
    params: dict[str, Any]


class Recorder:
    """Records every botocore API call (pynamodb's and boto3's) made while a handler runs, with
    the function or entry that runs it (threads of moto's Step Functions executions included)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._current = threading.local()

    def record(self, service: str, operation: str, params: dict[str, Any]) -> None:
        subject = getattr(self._current, "subject", None)
        if subject is not None:
            with self._lock:
                self.calls.append(Call(subject, service, operation, params))

    def running(self, function: Function | str, module: str) -> _Running:
        return _Running(
            self._current, Function(function) if module == "handler" else Entry(Function(function), module)
        )


@dataclass
class _Running:
    state: threading.local
    subject: Subject

    def __enter__(self) -> None:
        self.previous = getattr(self.state, "subject", None)
        self.state.subject = self.subject

    def __exit__(self, *exc: object) -> None:
        self.state.subject = self.previous


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    make_api_call = BaseClient._make_api_call
    call_handler = local.dispatch.call_handler

    def recording(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        recorder.record(client.meta.service_model.service_name, operation, params)
        return make_api_call(client, operation, params)

    def attributed(function: Function | str, module: str, event: Any, function_name: str) -> Any:
        with recorder.running(function, module):
            return call_handler(function, module, event, function_name)

    monkeypatch.setattr(BaseClient, "_make_api_call", recording)
    monkeypatch.setattr(local.dispatch, "call_handler", attributed)
    monkeypatch.setattr(local.lambdas, "call_handler", attributed)
    return recorder


# --- every route and job, as the apps, officers, the police and the schedules use them ------------

SERVICE = "electrician_fan_installation"  # id proof only; fee 15000
FEE = 15_000
HOME = {"lat": 26.8467, "lng": 80.9462}
PAST = "2020-01-01T00:00:00Z"
_serial = itertools.count(1)


@dataclass
class As:
    """Calls through API Gateway events as one account."""

    api: Api
    claims: dict[str, Any]

    def call(self, method: str, path: str, body: Any = None, *, key: str | None = None) -> ApiResponse:
        headers = {"Idempotency-Key": key} if key else None
        return self.api(method, path, body=body, claims=self.claims, headers=headers)

    def ok(
        self, method: str, path: str, body: Any = None, *, status: int = 200, key: str | None = None
    ) -> Any:
        response = self.call(method, path, body, key=key)
        assert response.status == status, (method, path, response.body)
        return response.body


@dataclass
class People:
    citizen: As
    pro: As  # registers themself
    owner: As  # an agency's owner, who registers a professional for it
    member: As  # another member of that agency
    officer: As
    employer: As

    @classmethod
    def of(cls, api: Api) -> People:
        return cls(
            citizen=As(api, claims_for("lp-citizen")),
            pro=As(api, claims_for("lp-pro")),
            owner=As(api, claims_for("lp-owner")),
            member=As(api, claims_for("lp-member")),
            officer=As(api, claims_for("lp-officer", "officers")),
            employer=As(api, claims_for("lp-employer", "employers")),
        )


def _registration(location: dict[str, float], **extra: Any) -> tuple[dict[str, Any], str]:
    aadhaar, mobile = identity(next(_serial), series=7)
    body = {
        "name": "Sunita Devi", "mobile": mobile, "aadhaar": aadhaar, "services": [SERVICE],
        "location": location, "district": "Lucknow", "qualification": {"kind": "none"}, **extra,
    }  # fmt: skip
    return body, aadhaar


def _near(metres_north: float) -> dict[str, float]:
    return {"lat": HOME["lat"] + metres_north / 111_195, "lng": HOME["lng"]}


def _registration_and_verification(api: Api, people: People) -> tuple[str, str]:
    """Register (idempotent: a retry replays, a refused one gives its key back), the ID proof,
    submit, the workflow's steps (an escalation too), the officers' list, the police callback."""
    pro = people.pro
    body, _ = _registration(_near(200))
    pid = pro.ok("POST", "/professionals", body, status=201, key="lp-register-1")["id"]
    mobile = str(body["mobile"])
    assert pro.ok("POST", "/professionals", body, status=201, key="lp-register-1")["id"] == pid
    assert people.citizen.call("POST", "/professionals", body, key="lp-2").error_code == "duplicate_identity"
    document = {"kind": "id_proof", "content_type": "application/pdf", "size_bytes": len(PDF)}
    form = pro.ok("POST", f"/professionals/{pid}/documents", document, status=201)["upload"]
    posted = requests.post(form["url"], data=form["fields"], files={"file": ("id.pdf", PDF)}, timeout=10)
    assert posted.status_code in (200, 201, 204), posted.text
    pro.ok("POST", f"/professionals/{pid}/submit", status=202)

    def listed() -> str | None:
        pending = people.officer.ok("GET", "/verification/requests")["requests"]
        return next((r["request_id"] for r in pending if r["professional_id"] == pid), None)

    request_id = eventually(listed, what="the police request")
    # The police are late: the state machine's timeout runs the escalation step, as here.
    step = {"action": "escalate", "professional_id": pid, "request_id": request_id, "escalation": 1}
    assert local.lambdas.run_entry(VERIFY_STEPS, step) == {"escalation": 1}
    assert callback(api, {"request_id": request_id, "result": "clear"}).status == 200
    (execution,) = sfn().list_executions(stateMachineArn=settings().verification_state_machine_arn)[
        "executions"
    ]
    assert finished(execution["executionArn"]) == "SUCCEEDED"
    assert pro.ok("GET", f"/professionals/{pid}")["status"] == "verified"
    assert pro.ok("GET", "/me")["professional_id"] == pid
    return str(pid), mobile


def _agency_professional(people: People) -> tuple[str, str, str]:
    """An approved agency; a professional its owner registers (verified behind the API's back:
    the workflow ran above), seen and put online by another member of the agency."""
    agency = {"name": "Awadh Services", "udyam_number": "UDYAM-UP-12-0001234", "district": "Lucknow",
              "contact_mobile": "9812345678"}  # fmt: skip
    agency_id = people.owner.ok("POST", "/agencies", agency, status=201, key="lp-agency")["id"]
    people.officer.ok("POST", f"/agencies/{agency_id}/approve")
    assert people.officer.call("POST", f"/agencies/{agency_id}/approve").error_code == "already_approved"
    AgencyModel(agency_id).update(actions=[AgencyModel.members.add({people.member.claims["sub"]})])
    body, aadhaar = _registration(HOME, on_behalf=True)
    pid = people.owner.ok("POST", "/professionals", body, status=201)["id"]
    people.member.ok("GET", f"/professionals/{pid}")
    ProfessionalModel.get(pid).update(actions=[ProfessionalModel.status.set("verified")])
    assert people.member.ok("PUT", f"/professionals/{pid}/availability", {"online": True})["findable"] is True
    return str(pid), aadhaar, str(agency_id)


def _waiting_booking(professional_id: str) -> str:
    """A request another citizen made of the professional, still waiting (stored as the bookings
    function stores one, counted in its citizen's open requests)."""
    booking_id = f"bkg_lp_waiting_{next(_serial)}"
    BookingModel(
        booking_id, status="requested", citizen_sub="lp-citizen-2", professional_id=professional_id,
        service_id=SERVICE, fee_paise=FEE, duration_minutes=60, lat=HOME["lat"], lng=HOME["lng"],
        expires_at="2099-01-01T00:00:00Z", created_at=PAST, updated_at=PAST, counted=True,
        listed_at=f"{PAST}#{booking_id}",
    ).save()  # fmt: skip
    OpenRequestsModel("lp-citizen-2", requested=1).save()
    return booking_id


def _match_alerts(people: People, agency_pro: str) -> None:
    """A citizen's alert (idempotent; a refused one gives its key back) fires once when the
    agency's professional goes offline and online again next to it."""
    wish = {"service_id": SERVICE, "location": HOME, "hours": 2}
    created = people.citizen.ok("POST", "/match/alerts", wish, status=201, key="lp-alert-1")
    assert people.citizen.ok("POST", "/match/alerts", wish, status=201, key="lp-alert-1") == created
    unknown = {**wish, "service_id": "astrologer_horoscope"}
    assert people.citizen.call("POST", "/match/alerts", unknown, key="lp-alert-2").status == 404
    path = f"/professionals/{agency_pro}/availability"
    people.member.ok("PUT", path, {"online": False})
    assert people.member.ok("PUT", path, {"online": True})["findable"] is True
    (alert,) = MatchAlertModel.scan()
    assert alert.fired_for == agency_pro


def _claim(people: People) -> None:
    """An assisted professional claims their account: the code by SMS (the sealed mobile opened),
    a wrong code, the claim (identity, audit entry) and the audit trail's head."""
    body, _ = _registration(_near(400), on_behalf=True)
    pid = people.officer.ok("POST", "/professionals", body, status=201)["id"]  # block-level staff
    people.officer.ok("POST", f"/professionals/{pid}/claim-code", status=201)
    (sent,) = LOCAL_OUTBOX.messages(pii.e164(str(body["mobile"])))
    found = re.search(r"\b(\d{6})\b", sent.body)
    assert found
    worker = As(people.owner.api, {**claims_for("lp-worker"), "phone_number": pii.e164(str(body["mobile"]))})
    wrong = f"{(int(found.group(1)) + 1) % 1_000_000:06d}"
    assert (
        worker.call("POST", f"/professionals/{pid}/claim", {"code": wrong}).error_code == "wrong_claim_code"
    )
    worker.ok("POST", f"/professionals/{pid}/claim", {"code": found.group(1)})
    assert worker.ok("GET", "/me")["professional_id"] == pid


_PIPE = {"description": "PVC pipe, 2 m", "amount_paise": 1000}


def _upload(key: str) -> None:
    """What the app posts with the upload form, put straight in the bucket (no function's call)."""
    s3 = cached_client("s3", settings().aws_region)
    s3.put_object(Bucket=settings().documents_bucket, Key=key, Body=b"\xff\xd8\xff\xe0 photo")


def _bookings_and_complaints(people: People, self_pro: str, agency_pro: str, aadhaar: str) -> None:
    citizen, member, officer = people.citizen, people.member, people.officer
    booking = {"service_id": SERVICE, "location": HOME}

    # Found, booked (the nearest: the agency's professional; idempotent), moved through its
    # lifecycle, completed above the fee (the overcharge complaint opens with it) and rated.
    found = citizen.ok("GET", f"/match?service={SERVICE}&lat={HOME['lat']}&lng={HOME['lng']}")["results"]
    assert agency_pro in [result["professional_id"] for result in found]
    booked = citizen.ok("POST", "/bookings", booking, status=201, key="lp-book-1")
    assert booked["professional_id"] == agency_pro
    assert citizen.ok("POST", "/bookings", booking, status=201, key="lp-book-1")["id"] == booked["id"]
    taken = citizen.call("POST", "/bookings", {**booking, "professional_id": agency_pro}, key="lp-book-2")
    assert taken.error_code == "professional_unavailable"
    bid, code = booked["id"], booked["start_code"]
    citizen.ok("GET", f"/bookings/{bid}")
    member.ok("POST", f"/bookings/{bid}/accept")
    wrong = "000000" if code != "000000" else "111111"
    assert member.call("POST", f"/bookings/{bid}/start", {"start_code": wrong}).status == 422
    member.ok("POST", f"/bookings/{bid}/start", {"start_code": code})
    # A receipt for materials, uploaded (by the app, straight to the bucket): the booking's
    # citizen and the professional's side get its download link (the book function checks it).
    expense = member.ok("POST", f"/bookings/{bid}/expenses", {"items": [_PIPE]}, status=201)["id"]
    receipt = member.ok(
        "POST", f"/bookings/{bid}/expenses/{expense}/receipts", {"content_type": "image/jpeg"}, status=201
    )
    _upload(receipt["key"])
    for reader in (citizen, member):
        (shown,) = reader.ok("GET", f"/bookings/{bid}")["expenses"][0]["receipts"]
        assert "url" in shown
    completed = member.ok("POST", f"/bookings/{bid}/complete", {"amount_collected_paise": FEE + 5000})
    (overcharge,) = completed["complaint_ids"]
    citizen.ok("POST", f"/bookings/{bid}/rating", {"stars": 2, "comment": "Asked for more"}, status=201)

    # A complaint (idempotent; a second of its kind is refused and gives its key back), seen,
    # answered and given evidence, dismissed; the overcharge upheld: banned, on the registry,
    # and both decisions on the trail.
    quality = {"booking_id": bid, "kind": "quality", "description": "The fan wobbles."}
    cid = citizen.ok("POST", "/complaints", quality, status=201, key="lp-c1")["id"]
    assert citizen.ok("POST", "/complaints", quality, status=201, key="lp-c1")["id"] == cid
    assert citizen.call("POST", "/complaints", quality, key="lp-c2").error_code == "complaint_exists"
    member.ok("GET", f"/complaints/{cid}")
    member.ok("POST", f"/complaints/{cid}/response", {"text": "It was level when I left."}, status=201)
    evidence = citizen.ok(
        "POST", f"/complaints/{cid}/evidence", {"content_type": "image/jpeg", "size_bytes": 900}, status=201
    )
    _upload(evidence["upload"]["fields"]["key"])
    # The officer downloads the evidence and the booking's receipt (the complaint function checks both).
    assert all("url" in item for item in officer.ok("GET", f"/complaints/{cid}")["evidence"])
    officer.ok("POST", f"/complaints/{cid}/resolve", {"decision": "dismissed", "remarks": "It is level."})
    waiting = _waiting_booking(agency_pro)
    member.ok("POST", f"/complaints/{overcharge}/response", {"text": "I took the fee."}, status=201)
    officer.ok("POST", f"/complaints/{overcharge}/resolve", {"decision": "upheld", "remarks": "Paid 200."})
    assert BookingModel.get(waiting).status == "cancelled"  # suspended at once: waiting bookings end
    BookingModel(waiting).delete()  # a stand-in (not a full booking), out of the lists read below
    second = As(citizen.api, claims_for("lp-officer-2", "officers"))  # a ban needs four eyes
    second.ok("POST", f"/complaints/{overcharge}/confirm-ban", {"remarks": "Receipt seen."})
    assert people.employer.ok("GET", f"/bans/check?aadhaar={aadhaar}")["banned"] is True
    assert len(officer.ok("GET", f"/professionals/{agency_pro}/audit")["entries"]) == 4
    # Appealed by the agency, overturned by an appellate officer: off the registry again.
    member.ok(
        "POST", f"/complaints/{overcharge}/appeal", {"text": "The 50 rupees were a switch."}, status=201
    )
    appellate = As(citizen.api, claims_for("lp-appellate", "officers", "appellate"))
    decision = {"decision": "overturned", "remarks": "The receipt is for a switch."}
    appellate.ok("POST", f"/complaints/{overcharge}/appeal/decide", decision)
    assert people.employer.ok("GET", f"/bans/check?aadhaar={aadhaar}")["banned"] is False

    # The self-registered professional goes online and moves; a booking of them is cancelled
    # and its complaint escalated once overdue; the next booking expires.
    people.pro.ok("PUT", f"/professionals/{self_pro}/availability", {"online": True})
    people.pro.ok("PUT", f"/professionals/{self_pro}/availability", {"online": True, "location": _near(900)})
    cancelled = citizen.ok("POST", "/bookings", {**booking, "professional_id": self_pro}, status=201)["id"]
    citizen.ok("POST", f"/bookings/{cancelled}/cancel")
    misconduct = {"booking_id": cancelled, "kind": "misconduct", "description": "Rude on the phone."}
    overdue = citizen.ok("POST", "/complaints", misconduct, status=201)["id"]
    ComplaintModel.get(overdue).update(actions=[ComplaintModel.due_by.set(PAST)])
    assert local.lambdas.run_entry(COMPLAINT_ESCALATION.entry, {})["escalated"] == 1
    expiring = citizen.ok("POST", "/bookings", {**booking, "professional_id": self_pro}, status=201)["id"]
    BookingModel(expiring).update(actions=[BookingModel.expires_at.set(PAST)])
    assert local.lambdas.run_entry(BOOKING_EXPIRY.entry, {})["expired"] == 1


def _every_page(account: As, path: str) -> list[Any]:
    """All pages of a list route one item at a time (each next page by its signed cursor)."""
    items: list[Any] = []
    cursor = ""
    while True:
        separator = "&" if "?" in path else "?"
        body = account.ok("GET", f"{path}{separator}limit=1" + (f"&cursor={cursor}" if cursor else ""))
        items += next(value for key, value in body.items() if key != "next_cursor")
        if body["next_cursor"] is None:
            return items
        cursor = body["next_cursor"]


def _lists(people: People, self_pro: str, agency_pro: str, agency_id: str) -> None:
    """Everyone's own lists: bookings and complaints on both sides (the professional's own, the
    agency's owner), officers' complaints (all and one district's), agencies and the verification
    queue; an agency's counts and a professional's public card."""
    citizen, pro, owner, officer = people.citizen, people.pro, people.owner, people.officer
    assert len(_every_page(citizen, "/bookings")) == 3
    assert len(_every_page(pro, "/bookings?role=professional")) == 2
    assert len(_every_page(owner, "/bookings?role=professional")) == 1
    assert len(_every_page(owner, f"/bookings?role=professional&professional_id={agency_pro}")) == 1
    assert len(_every_page(citizen, "/complaints")) == 3
    assert len(_every_page(pro, "/complaints")) == 1
    assert len(_every_page(owner, "/complaints?kind=quality")) == 1
    assert len(_every_page(officer, "/complaints?overdue=true")) == 1
    assert len(_every_page(officer, "/complaints?district=Lucknow&status=upheld")) == 1
    assert agency_id in [a["id"] for a in _every_page(officer, "/agencies?status=approved")]
    assert officer.ok("GET", f"/agencies/{agency_id}")["professionals"] == 1
    assert people.citizen.call("GET", f"/professionals/{self_pro}/card").status == 200
    _every_page(officer, "/verification/requests?district=Lucknow")


def _notifications(aws: LocalResources, people: People, self_pro: str, mobile: str) -> None:
    """Events to messages (one SMS send fails once and is retried), a publication that failed
    and the sweep that publishes it, a reply that accepts and one that declines by SMS, garbage
    and its one answer, the decline route, and the caller's inbox, preferences and devices."""
    sqs = cached_client("sqs", settings().aws_region)
    sqs.set_queue_attributes(QueueUrl=aws.notify_queue_url, Attributes={"VisibilityTimeout": "0"})
    pump = EventPump(aws.notify_queue_url, settings().aws_region)
    citizen, pro = people.citizen, people.pro
    booking = {"service_id": SERVICE, "location": HOME, "professional_id": self_pro}
    send = notify.logic.send_sms
    fails = iter([True])

    def flaky(message: Any) -> str:
        if next(fails, False):
            raise DependencyFailed(message="the SMS service is down once")
        return send(message)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(notify.logic, "send_sms", flaky)
        pump.drain()
        pump.drain()

    def reference() -> str:
        pump.drain()
        requests_sent = [m.body for m in LOCAL_OUTBOX.messages(pii.e164(mobile)) if "HAAN " in m.body]
        match = re.search(r"HAAN ([A-Z0-9]{5})", requests_sent[-1])
        assert match
        return match.group(1)

    accepted = citizen.ok("POST", "/bookings", booking, status=201)["id"]
    assert _sms(mobile, f"HAAN {reference()}") == ["accepted"]
    # The citizen of the accepted booking sees the professional's mobile, opened from its seal.
    assert citizen.ok("GET", f"/bookings/{accepted}")["professional"]["mobile"] == mobile
    citizen.ok("POST", f"/bookings/{accepted}/cancel")
    citizen.ok("POST", "/bookings", booking, status=201)
    assert _sms(mobile, f"NA {reference()}") == ["declined"]
    assert _sms("9800000999", "garbage") == ["not_understood"]
    declined = citizen.ok("POST", "/bookings", booking, status=201)["id"]
    pro.ok("POST", f"/bookings/{declined}/decline")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bus, "put_domain_events", lambda events: [])
        unpublished = citizen.ok("POST", "/bookings", booking, status=201)["id"]
    for item in OutboxEventModel.scan():
        item.update(actions=[OutboxEventModel.created_at.set(PAST)])
    assert local.lambdas.run_entry(OUTBOX_SWEEP.entry, {})["published"] >= 1
    pump.drain()
    citizen.ok("POST", f"/bookings/{unpublished}/cancel")  # the professional is free for the jobs
    pro.ok("GET", "/me/notifications?limit=1")
    # An officer's inbox merged with their district's and the appellate queue's feeds, in the
    # language of their preferences.
    district_officer = {**claims_for("lp-appellate", "officers", "appellate"), "custom:district": "lucknow"}
    As(citizen.api, district_officer).ok("GET", "/me/notifications?limit=1")
    pro.ok("PUT", "/me/preferences", {"language": "en", "sms": True})
    pro.ok("PUT", "/me/devices", {"platform": "fcm", "token": "device-token"}, status=201)
    sqs.set_queue_attributes(QueueUrl=aws.notify_queue_url, Attributes={"VisibilityTimeout": "2"})


def _igrs_and_anchors(aws: LocalResources, people: People, agency_pro: str) -> None:
    """The escalated complaint goes to IGRS (the fake, on loopback) and IGRS calls back; the audit
    trail is anchored and checked against its anchor."""
    fake = FakeIgrs(b"local-igrs-shared-key")
    fake.start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            client = complaint.igrs.HttpIgrs(fake.url, complaint.igrs.igrs_key)
            patch.setattr(complaint.igrs_delivery, "default_igrs", lambda: client)
            EventPump(aws.igrs_queue_url, settings().aws_region, entry=IGRS_DELIVERY).drain()
    finally:
        fake.stop()
    (reference,) = fake.grievances
    raw = json.dumps({"igrs_reference": reference, "status": "disposed"})
    signed = {HEADER: sign(b"local-igrs-shared-key", int(time.time()), raw.encode())}
    assert people.citizen.api("POST", "/igrs/callback", body=raw, headers=signed).status == 200
    assert local.lambdas.run_entry(AUDIT_ANCHORING.entry, {})["anchored"] >= 1
    trail = people.officer.ok("GET", f"/professionals/{agency_pro}/audit")
    assert trail["anchored_through"] == len(trail["entries"])  # every entry so far is anchored


def _helpline(aws: LocalResources, people: People, self_pro: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Helpline staff book twice for a caller's mobile: the first creates the caller's account,
    the second finds it and texts the code in its language; staff list and cancel their own."""
    pool, _client_id = create_user_pool(settings().aws_region, settings().resource_prefix)
    monkeypatch.setattr(book.helpline, "book_settings", lambda: BookSettings(USER_POOL_ID=pool))
    staff = As(people.citizen.api, claims_for("lp-helpline", "helpline"))
    body = {"service_id": SERVICE, "location": HOME, "professional_id": self_pro, "for_mobile": "9811122233"}
    for _ in range(2):
        booked = staff.ok("POST", "/bookings", body, status=201)
        assert booked["id"] in [b["id"] for b in staff.ok("GET", "/bookings?role=helpline")["bookings"]]
        staff.ok("POST", f"/bookings/{booked['id']}/cancel")


def _sms(sender: str, text: str) -> list[str]:
    return list(local.lambdas.run_entry(INBOUND_SMS, sns_event(pii.e164(sender), text))["outcomes"])


def _jobs(people: People, self_pro: str, agency_id: str) -> None:
    """An agency posts; the employer posts a full-time and a daily job; the self-registered
    professional (online) finds them, applies, accepts both (the full-time one takes them out of
    the index), declines a third; attendance, a dispute, the statement; the engagement ends
    (back in the index); a job is closed. Idempotent posts, a refused one giving its key back."""
    pro, employer = people.pro, people.employer
    # Online and free, so that the full-time accept takes their entries out of the index.
    assert pro.ok("PUT", f"/professionals/{self_pro}/availability", {"online": True})["findable"] is True
    starts_on = (date.today() - timedelta(days=10)).isoformat()
    post = {"title": "Fan fitters", "service_id": SERVICE, "kind": "full_time", "positions": 2,
            "wage": {"paise": 1_400_000, "per": "month"}, "starts_on": starts_on, "site": HOME,
            "district": "Lucknow"}  # fmt: skip
    daily = {**post, "kind": "daily_wage", "wage": {"paise": 60_000, "per": "day"}}
    people.owner.ok("POST", "/jobs", {**daily, "agency_id": agency_id}, status=201)
    full_time = employer.ok("POST", "/jobs", post, status=201, key="lp-job-1")["id"]
    assert employer.ok("POST", "/jobs", post, status=201, key="lp-job-1")["id"] == full_time
    below = {**daily, "wage": {"paise": 100, "per": "day"}}
    assert employer.call("POST", "/jobs", below, key="lp-job-2").error_code == "below_minimum_wage"
    day_job = employer.ok("POST", "/jobs", daily, status=201)["id"]
    assert full_time in [job["id"] for job in employer.ok("GET", "/me/jobs")["jobs"]]
    other = employer.ok("POST", "/jobs", daily, status=201)["id"]
    found = pro.ok("GET", f"/jobs?lat={HOME['lat']}&lng={HOME['lng']}&limit=1")
    assert found["next_cursor"]
    pro.ok("GET", f"/jobs?lat={HOME['lat']}&lng={HOME['lng']}&limit=1&cursor={found['next_cursor']}")
    offers = []
    for job_id in (full_time, day_job, other):
        pro.ok("POST", f"/jobs/{job_id}/applications", {}, status=201, key=f"lp-apply-{job_id}")
        pro.ok("GET", f"/jobs/{job_id}")
        employer.ok("GET", f"/jobs/{job_id}/applications")
        offer = {"professional_id": self_pro}
        offers.append(
            employer.ok("POST", f"/jobs/{job_id}/offers", offer, status=201, key=f"lp-offer-{job_id}")
        )
    pro.ok("GET", f"/offers/{offers[0]['id']}")
    held = pro.ok("POST", f"/offers/{offers[0]['id']}/accept")["engagement_id"]
    pro.ok("POST", f"/offers/{offers[1]['id']}/accept")
    pro.ok("POST", f"/offers/{offers[2]['id']}/decline")
    employer.ok("GET", "/engagements?role=employer")
    pro.ok("GET", "/engagements?role=professional")
    employer.ok("GET", f"/engagements/{held}")
    worked = (date.today() - timedelta(days=2)).isoformat()
    employer.ok("POST", f"/engagements/{held}/attendance", {"date": worked, "present": False}, status=201)
    dispute = {"reason": "I was on site.", "present": True}
    pro.ok("POST", f"/engagements/{held}/attendance/{worked}/dispute", dispute, status=201)
    people.officer.ok("GET", f"/engagements/{held}/statement?month={worked[:7]}")
    pro.ok("POST", f"/engagements/{held}/end")
    employer.ok("POST", f"/jobs/{other}/close")
    # A contract whose last day has passed: the sweep ends it and frees the professional.
    contract = {**post, "kind": "contract", "ends_on": (date.today() - timedelta(days=3)).isoformat()}
    job_id = employer.ok("POST", "/jobs", {**contract, "kind": "full_time"}, status=201)["id"]
    pro.ok("POST", f"/jobs/{job_id}/applications", {}, status=201)
    offer_id = employer.ok("POST", f"/jobs/{job_id}/offers", {"professional_id": self_pro}, status=201)["id"]
    pro.ok("POST", f"/offers/{offer_id}/accept")
    assert local.lambdas.run_entry(ENGAGEMENT_END.entry, {})["ended"] == 1


def _reoffers(aws: LocalResources, people: People, self_pro: str, mobile: str, agency_id: str) -> None:
    """Issue 17: a booking made without a chosen professional declined by SMS (re-offered to an
    agency's professional), its offer timed out twice in the sweep (re-offered once, then nobody
    left), accepted and never started (expired, not_started)."""
    citizen = people.citizen
    pump = EventPump(aws.notify_queue_url, settings().aws_region)
    for waiting in citizen.ok("GET", "/bookings?status=requested")["bookings"]:
        citizen.ok("POST", f"/bookings/{waiting['id']}/cancel")  # the self-registered one is free
    for pid, north in (("lp_far", 1500), ("lp_farther", 2000)):
        seed_professional(pid, **_near(north))
        ProfessionalModel.get(pid).update(actions=[ProfessionalModel.agency_id.set(agency_id)])
    bid = citizen.ok("POST", "/bookings", {"service_id": SERVICE, "location": HOME}, status=201)["id"]
    assert citizen.ok("GET", f"/bookings/{bid}")["professional_id"] == self_pro
    pump.drain()
    sent = [m.body for m in LOCAL_OUTBOX.messages(pii.e164(mobile)) if "HAAN " in m.body]
    match = re.search(r"NA ([A-Z0-9]{5})", sent[-1])
    assert match
    assert _sms(mobile, f"NA {match.group(1)}") == ["declined"]
    assert citizen.ok("GET", f"/bookings/{bid}")["professional_id"] == "lp_far"

    def time_out() -> dict[str, int]:
        due = [BookingModel.offer_due_at.set(PAST), BookingModel.timer_due_at.set(PAST)]
        BookingModel(bid).update(actions=due)
        return dict(local.lambdas.run_entry(BOOKING_EXPIRY.entry, {}))

    assert time_out()["reoffered"] == 1
    assert time_out()["offers_lapsed"] == 1
    As(people.citizen.api, claims_for("sub-lp_farther")).ok("POST", f"/bookings/{bid}/accept")
    BookingModel(bid).update(
        actions=[BookingModel.start_due_at.set(PAST), BookingModel.timer_due_at.set(PAST)]
    )
    assert local.lambdas.run_entry(BOOKING_EXPIRY.entry, {})["not_started"] == 1
    pump.drain()


@pytest.fixture
def story(
    aws: LocalResources,
    verification_workflow: str,
    recorder: Recorder,
    api: Api,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Recorder]:
    pii.clear_key_cache()
    people = People.of(api)
    self_pro, mobile = _registration_and_verification(api, people)
    agency_pro, aadhaar, agency_id = _agency_professional(people)
    _match_alerts(people, agency_pro)
    _claim(people)
    _bookings_and_complaints(people, self_pro, agency_pro, aadhaar)
    _lists(people, self_pro, agency_pro, agency_id)
    _notifications(aws, people, self_pro, mobile)
    _helpline(aws, people, self_pro, monkeypatch)
    _reoffers(aws, people, self_pro, mobile, agency_id)
    _jobs(people, self_pro, agency_id)
    _igrs_and_anchors(aws, people, agency_pro)
    _ondc(api, aws, monkeypatch)
    yield recorder
    pii.clear_key_cache()


def _ondc(api: Api, aws: LocalResources, monkeypatch: pytest.MonkeyPatch) -> None:
    """A buyer app books a professional over ONDC, follows it, cancels another and rates; one
    request whose work cannot be queued gives its message back."""
    import json as json_

    import local.ondc
    import ondc.intake
    import ondc.keys
    import ondc.registry
    from local.client.ondc import BuyerApp
    from tests.integration.geo_seed import offset, seed_professional

    monkeypatch.setattr(
        ondc.registry,
        "_fetch",
        lambda key_id: local.ondc.lookup(
            json_.dumps({"subscriber_id": key_id.subscriber_id, "ukId": key_id.unique_key_id}).encode()
        )[1],
    )
    monkeypatch.setattr(local.ondc, "call_handler", local.dispatch.call_handler)  # attributed
    ondc.registry.forget()
    ondc.keys.forget()
    spot = offset(26.9, 81.0, 0, 0)
    seed_professional("pro_ondc1", *spot, name="Ondc One")
    seed_professional("pro_ondc2", *offset(*spot, 50, 0), name="Ondc Two")
    pump = local.ondc.WorkPump(aws.ondc_queue_url, settings().aws_region)
    with BuyerApp() as bap:
        local.ondc.register(json_.dumps(bap.registration()).encode())

        def send(action: str, message: dict[str, Any], txn: str) -> ApiResponse:
            body, headers = bap.signed(action, message, transaction_id=txn)
            return api("POST", f"/ondc/{action}", body=body.decode(), headers=headers)

        def order(pid: str) -> dict[str, Any]:
            stop = {
                "type": "end",
                "location": {"gps": f"{spot[0]},{spot[1]}"},
                "contact": {"phone": "9811111111"},
            }
            items = [{"id": SERVICE, "quantity": {"selected": {"count": 1}}}]
            return {"order": {"provider": {"id": pid}, "items": items, "fulfillments": [{"stops": [stop]}]}}

        intent = {
            "intent": {
                "fulfillment": {"stops": [{"type": "end", "location": {"gps": f"{spot[0]},{spot[1]}"}}]}
            }
        }
        for action, message, txn in (
            ("search", intent, "lp-1"),
            ("select", order("pro_ondc1"), "lp-1"),
            ("init", order("pro_ondc1"), "lp-1"),
            ("confirm", order("pro_ondc1"), "lp-1"),
            ("confirm", order("pro_ondc2"), "lp-2"),
        ):
            assert send(action, message, txn).status == 200
            while pump.drain_once(wait_s=0):
                pass
        first = bap.wait_for("on_confirm", transaction_id="lp-1")["message"]["order"]["id"]
        second = bap.wait_for("on_confirm", transaction_id="lp-2")["message"]["order"]["id"]
        pro = As(api, claims_for("sub-pro_ondc1"))
        code = bap.wait_for("on_confirm", transaction_id="lp-1")["message"]["order"]["fulfillments"][0][
            "stops"
        ][0]["authorization"]["token"]
        pro.ok("POST", f"/bookings/{first}/accept")
        pro.ok("POST", f"/bookings/{first}/start", {"start_code": code})
        pro.ok("POST", f"/bookings/{first}/complete", {"amount_collected_paise": FEE})
        local.dispatch.call_handler(ONDC_TRACKER.entry.function, "tracker", {}, "ondc-tracker")
        rating = {"ratings": [{"rating_category": "Fulfillment", "id": "F1", "value": "5"}]}
        for action, message, txn in (
            ("status", {"order_id": first}, "lp-1"),
            ("rating", rating, "lp-1"),
            ("cancel", {"order_id": second}, "lp-2"),
        ):
            assert send(action, message, txn).status == 200
            while pump.drain_once(wait_s=0):
                pass
        bap.wait_for("on_cancel", transaction_id="lp-2")

        # An issue about the completed order opens a complaint (a second of its kind is refused),
        # is asked after, decided by an officer and told unsolicited by the tracker.
        def issue(issue_id: str) -> dict[str, Any]:
            refs = [{"ref_id": first, "ref_type": "ORDER"}]
            descriptor = {"code": "ITM004", "short_desc": "The tap still leaks"}
            return {"issue": {"id": issue_id, "refs": refs, "descriptor": descriptor}}

        for action, message, txn in (
            ("issue", issue("lp-issue-1"), "lp-1"),
            ("issue", issue("lp-issue-2"), "lp-1"),
            ("issue_status", {"issue_id": "lp-issue-1"}, "lp-1"),
        ):
            assert send(action, message, txn).status == 200
            while pump.drain_once(wait_s=0):
                pass
        bap.wait_for("on_issue_status", transaction_id="lp-1")
        (ref,) = [
            r for r in bap.received("on_issue")[0]["message"]["issue"]["refs"] if r["ref_type"] == "COMPLAINT"
        ]
        pro.ok(
            "POST", f"/complaints/{ref['ref_id']}/response", {"text": "It was dry when I left."}, status=201
        )
        officer = As(api, claims_for("lp-officer-ondc", "officers"))
        officer.ok(
            "POST", f"/complaints/{ref['ref_id']}/resolve", {"decision": "dismissed", "remarks": "Dry."}
        )
        local.dispatch.call_handler(ONDC_TRACKER.entry.function, "tracker", {}, "ondc-tracker")
        assert bap.received("on_issue_status")[-1]["message"]["issue"]["status"] == "RESOLVED"
        # The queue is gone for one request: its message is given back (503 NACK).
        broken = ondc_settings().model_copy(update={"ondc_queue_url": aws.ondc_queue_url + "-gone"})
        monkeypatch.setattr(ondc.intake, "ondc_settings", lambda: broken)
        assert send("status", {"order_id": first}, "lp-1").status == 503
    ondc.registry.forget()
    ondc.keys.forget()


def _name(subject: Subject) -> str:
    return subject.name if isinstance(subject, Entry) else subject.value


def test_every_aws_call_of_every_route_and_job_is_allowed_by_its_role_and_every_grant_is_used(story):
    refused: set[str] = set()
    used: set[tuple[str, str, TableGrant, str]] = set()  # (subject, table, grant, action)
    for call in story.calls:
        access = access_of(call.subject)
        if call.service != "dynamodb":
            if not other_call_allowed(access, call.service, call.operation, call.params):
                refused.add(f"{_name(call.subject)}: {call.service}:{call.operation}")
            continue
        for need in needs_of(call.operation, call.params):
            grant = matching(access, need)
            if grant is None:
                refused.add(f"{_name(call.subject)}: {need}")
            else:
                used.add((_name(call.subject), need.table, grant, need.action))
    assert sorted(refused) == []
    assert [call for call in story.calls if call.operation == "Scan"] == []

    unused = [
        f"{_name(subject)}: {action} on {table_name} ({grant})"
        for subject in SUBJECTS
        for table_name, grants in access_of(subject).grants.items()
        for grant in grants
        for action in sorted(grant.actions)
        if (_name(subject), table_name, grant, action) not in used
    ]
    assert unused == []
    # Every download prefix is read by its function (the link's check), and nothing else is.
    downloads_read = {
        (_name(call.subject), prefix)
        for call in story.calls
        if call.service == "s3" and call.operation == "HeadObject"
        for prefix in access_of(call.subject).downloads
        if str(call.params["Key"]).startswith(prefix)
    }
    assert downloads_read == {
        (_name(subject), prefix) for subject in SUBJECTS for prefix in access_of(subject).downloads
    }
    assert {call.subject for call in story.calls} == set(SUBJECTS)
