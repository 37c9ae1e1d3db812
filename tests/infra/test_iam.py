"""Least privilege: each function's role reaches exactly what ``infra/access.py`` lists, on exact ARNs."""

from __future__ import annotations

import json

import pytest

from infra.access import RECEIPT_PREFIX, TABLE_WRITE_ACTIONS, AuditAnchors, Documents, Secret, access_of
from sevamitra.data.schema import TABLES
from sevamitra.domain import expenses
from sevamitra.edge.routes import (
    BOOKING_EXPIRY,
    COMPLAINT_ESCALATION,
    MESSAGE_ENTRIES,
    SCHEDULED_JOBS,
    VERIFY_STEPS,
    Entry,
    Function,
)

# No resource-level permissions exist for these: the only statements allowed on "*".
RESOURCE_STAR_ALLOWED = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
_INDEXES = {spec.logical_name: {index.name for index in spec.indexes} for spec in TABLES}


# The API functions and the workflow steps, each with its own role and access row.
SUBJECTS = [*Function, VERIFY_STEPS, *(job.entry for job in SCHEDULED_JOBS), *MESSAGE_ENTRIES]


def _name(subject: Function | Entry | str) -> str:
    """An API function, an entry, or an entry's name (``book-expiry``)."""
    if isinstance(subject, Entry):
        return subject.name
    return subject.value if isinstance(subject, Function) else subject


def _statements(synth, function: Function | Entry | str) -> list[dict]:
    function_props = next(
        res["Properties"]
        for res in synth.of_type("AWS::Lambda::Function").values()
        if res["Properties"]["FunctionName"] == f"sevamitra-{synth.stack.stage.name}-{_name(function)}"
    )
    role_id = function_props["Role"]["Fn::GetAtt"][0]
    policies = [
        res["Properties"]
        for res in synth.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in res["Properties"]["Roles"]
    ]
    return [statement for policy in policies for statement in policy["PolicyDocument"]["Statement"]]


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _table_ids(synth) -> dict[str, str]:
    return {logical: synth.logical_id(table) for logical, table in synth.stack.data.tables.items()}


def _grants_by_table(synth, function: Function | Entry | str) -> dict[str, set[str]]:
    """logical table name -> dynamodb actions, checking every resource is the table or a named index."""
    by_id = {table_id: logical for logical, table_id in _table_ids(synth).items()}
    grants: dict[str, set[str]] = {}
    for statement in _statements(synth, function):
        actions = set(_as_list(statement["Action"]))
        if not any(action.startswith("dynamodb:") for action in actions):
            continue
        for resource in _as_list(statement["Resource"]):
            if "Fn::GetAtt" in resource:
                logical = by_id[resource["Fn::GetAtt"][0]]
            else:
                table_ref, suffix = resource["Fn::Join"][1]
                logical = by_id[table_ref["Fn::GetAtt"][0]]
                assert suffix.removeprefix("/index/") in _INDEXES[logical], suffix
            grants.setdefault(logical, set()).update(actions)
    return grants


@pytest.mark.parametrize("function", SUBJECTS, ids=_name)
def test_no_function_has_a_data_plane_action_on_every_resource(dev, function):
    for statement in _statements(dev, function):
        assert statement["Effect"] == "Allow"
        if "*" in _as_list(statement["Resource"]):
            assert set(_as_list(statement["Action"])) <= RESOURCE_STAR_ALLOWED, statement
        for action in _as_list(statement["Action"]):
            assert not action.endswith("*"), statement


@pytest.mark.parametrize("function", SUBJECTS, ids=_name)
def test_function_reaches_exactly_its_tables_with_exactly_its_access(dev, function):
    access = access_of(function)
    grants = _grants_by_table(dev, function)
    assert set(grants) == access.tables
    for logical, actions in grants.items():
        writes = actions & set(TABLE_WRITE_ACTIONS)
        assert bool(writes) == (logical in access.writes), (logical, actions)
        assert actions == set(access.table_actions(logical)), logical
        assert "dynamodb:Scan" not in actions


@pytest.mark.parametrize("function", SUBJECTS, ids=_name)
def test_function_reaches_documents_secrets_and_the_bus_only_as_declared(dev, function):
    access = access_of(function)
    bucket_id = dev.logical_id(dev.stack.documents.bucket)
    secret_ids = {
        Secret.IDENTITY_KEY: dev.logical_id(dev.stack.secrets.identity_key),
        Secret.POLICE_CALLBACK: dev.logical_id(dev.stack.secrets.police_key),
        Secret.CURSOR_KEY: dev.logical_id(dev.stack.secrets.cursor_key),
        Secret.IGRS_KEY: dev.logical_id(dev.stack.secrets.igrs_key),
        Secret.ONDC_SIGNING_KEY: dev.logical_id(dev.stack.ondc.signing_key),
    }
    anchors_id = dev.logical_id(dev.stack.anchors.bucket)
    anchor_actions: set[str] = set()
    download_actions: set[str] = set()
    s3_actions: set[str] = set()
    secrets: set[Secret] = set()
    puts_events = False
    states_actions: set[str] = set()
    for statement in _statements(dev, function):
        actions = set(_as_list(statement["Action"]))
        resources = _as_list(statement["Resource"])
        if any(action.startswith("s3:") for action in actions) and anchors_id in json.dumps(resources):
            # The write-once anchors bucket: its objects, and listing it; nothing else with them.
            assert all(anchors_id in json.dumps(resource) for resource in resources), resources
            anchor_actions |= actions
        elif statement.get("Sid", "").startswith("Download"):
            # Download links: read the objects under exactly the declared prefixes, list only those.
            download_actions |= actions
            prefixes = [f"{prefix}*" for prefix in access.downloads]
            if statement["Sid"] == "DownloadBucket":
                assert resources == [{"Fn::GetAtt": [bucket_id, "Arn"]}]
                assert statement["Condition"] == {"StringLike": {"s3:prefix": prefixes}}
            else:
                assert statement["Sid"] == "DownloadObjects"
                assert [r["Fn::Join"][1][0]["Fn::GetAtt"][0] for r in resources] == [bucket_id] * len(
                    prefixes
                )
                assert [r["Fn::Join"][1][1] for r in resources] == [f"/{p}" for p in prefixes]
        elif any(action.startswith("s3:") for action in actions):
            s3_actions |= actions
            objects = {
                Documents.EVIDENCE_UPLOAD: "/complaints/*",
                Documents.RECEIPT_UPLOAD: "/receipts/*",
            }.get(access.documents, "/professionals/*")
            for resource in resources:
                text = json.dumps(resource)
                if resource == {"Fn::GetAtt": [bucket_id, "Arn"]}:  # listing: the documents prefix only
                    assert statement["Condition"] == {"StringLike": {"s3:prefix": [objects.lstrip("/")]}}
                else:
                    assert bucket_id in text, resource
                    assert resource["Fn::Join"][1][1] == objects, resource
        if any(action.startswith("secretsmanager:") for action in actions):
            assert actions == {"secretsmanager:GetSecretValue"}
            by_id = {secret_id: secret for secret, secret_id in secret_ids.items()}
            secrets |= {by_id[resource["Ref"]] for resource in resources}
        if "events:PutEvents" in actions:
            assert resources == [{"Fn::GetAtt": [dev.logical_id(dev.stack.events.bus), "Arn"]}]
            puts_events = True
        states_actions |= {action for action in actions if action.startswith("states:")}
    expected_states = (
        {"states:StartExecution", "states:DescribeExecution"} if access.starts_verification else set()
    )
    if access.answers_verification:
        expected_states.add("states:SendTaskSuccess")
    assert states_actions == expected_states
    expected_s3 = {
        None: set(),
        Documents.READ: {"s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"},
        Documents.READ_WRITE: {"s3:GetObject", "s3:PutObject", "s3:ListBucket"},
        Documents.EVIDENCE_UPLOAD: {"s3:PutObject"},
        Documents.RECEIPT_UPLOAD: {"s3:PutObject"},
    }[access.documents]
    assert s3_actions == expected_s3
    assert download_actions == ({"s3:GetObject", "s3:ListBucket"} if access.downloads else set())
    expected_anchor_actions = {
        None: set(),
        AuditAnchors.READ: {"s3:GetObject", "s3:ListBucket"},
        AuditAnchors.WRITE: {"s3:GetObject", "s3:PutObject", "s3:ListBucket"},
    }[access.anchors]
    assert anchor_actions == expected_anchor_actions
    assert secrets == set(access.secrets)
    assert puts_events == access.puts_events


def test_match_reads_and_only_counts_searches_and_stores_alerts(dev):
    """Its writes: UpdateItem on the per-account search counters (sevamitra.data.rate_limits),
    PutItem of match alerts (POST /match/alerts) and that route's idempotency records."""
    grants = _grants_by_table(dev, Function.MATCH)
    assert grants == {
        "geo": {"dynamodb:Query"},
        "rate_limits": {"dynamodb:UpdateItem"},
        "match_alerts": {"dynamodb:PutItem"},
        "idempotency": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"},
    }


@pytest.mark.parametrize("subject", [Function.BOOK, BOOKING_EXPIRY.entry], ids=_name)
def test_bookings_change_the_open_request_counters_only_by_update(dev, subject):
    """The counters change inside the booking transactions (UpdateItem per item); nothing else."""
    assert _grants_by_table(dev, subject)["open_requests"] == {"dynamodb:UpdateItem"}


def test_only_their_owners_reach_the_per_account_counters(dev):
    roles = [*Function, VERIFY_STEPS, BOOKING_EXPIRY.entry, COMPLAINT_ESCALATION.entry]
    reached = {
        _name(role): {t for t in ("open_requests", "rate_limits") if t in _grants_by_table(dev, role)}
        for role in roles
    }
    assert {name: tables for name, tables in reached.items() if tables} == {
        "match": {"rate_limits"},
        "book": {"open_requests"},
        "book-expiry": {"open_requests"},
        # An upheld overcharge suspends and cancels the professional's waiting requests, each
        # taken off its citizen's count in the same transaction (complaint/sanctions.py).
        "complaint": {"open_requests"},
    }


def test_s3_writers_register_complaint_evidence_book_receipts_and_only_verify_reads_the_police_key(dev):
    writers = {
        function
        for function in Function
        if any("s3:PutObject" in _as_list(s["Action"]) for s in _statements(dev, function))
    }
    assert writers == {Function.REGISTER, Function.COMPLAINT, Function.BOOK}
    (evidence,) = [s for s in _statements(dev, Function.COMPLAINT) if s["Action"] == "s3:PutObject"]
    assert evidence["Resource"]["Fn::Join"][1][1] == "/complaints/*"
    # Receipts: the book function signs upload forms under receipts/ and reaches nothing else there.
    book_s3 = [
        s for s in _statements(dev, Function.BOOK) if any(a.startswith("s3:") for a in _as_list(s["Action"]))
    ]
    assert [(s["Sid"], s["Action"], s.get("Condition")) for s in book_s3] == [
        ("ReceiptObjects", "s3:PutObject", None),
        # Its reads there: checking a receipt is uploaded and signing its download link.
        ("DownloadObjects", "s3:GetObject", None),
        ("DownloadBucket", "s3:ListBucket", {"StringLike": {"s3:prefix": ["receipts/*"]}}),
    ]
    assert [s["Resource"]["Fn::Join"][1][1] for s in book_s3[:2]] == ["/receipts/*", "/receipts/*"]
    assert access_of(Function.COMPLAINT).downloads == ("complaints/", "receipts/")
    assert expenses.RECEIPT_PREFIX == RECEIPT_PREFIX  # the keys the code signs are the ones granted
    police_id = dev.logical_id(dev.stack.secrets.police_key)
    readers = {
        function
        for function in Function
        if any({"Ref": police_id} in _as_list(s["Resource"]) for s in _statements(dev, function))
    }
    assert readers == {Function.VERIFY}


def test_function_roles_carry_no_managed_policies(dev):
    for function in dev.stack.api_functions.values():
        role_id = dev.logical_id(function.role)
        assert "ManagedPolicyArns" not in dev.resources[role_id]["Properties"]


def test_verification_roles_hold_exactly_what_the_steps_and_the_callback_call(dev):
    assert _grants_by_table(dev, VERIFY_STEPS) == {
        "professionals": {"dynamodb:GetItem", "dynamodb:UpdateItem"},
        "verifications": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"},
        "audit": {"dynamodb:Query", "dynamodb:PutItem"},
    }
    assert _grants_by_table(dev, Function.VERIFY) == {
        "verifications": {"dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"}
    }
    verifications_id = _table_ids(dev)["verifications"]
    statements = {s.get("Sid"): s for s in _statements(dev, Function.VERIFY)}
    assert statements["TableVerifications"]["Resource"] == {"Fn::GetAtt": [verifications_id, "Arn"]}
    assert "dynamodb:Query" not in statements["TableVerifications"]["Action"]
    query = statements["TableVerifications2"]
    assert query["Action"] == "dynamodb:Query"
    # The officers' list only: all pending requests, or one district's.
    assert [resource["Fn::Join"][1][1] for resource in query["Resource"]] == [
        "/index/pending",
        "/index/pending_by_district",
    ]
    steps_s3 = {
        a for s in _statements(dev, VERIFY_STEPS) for a in _as_list(s["Action"]) if a.startswith("s3:")
    }
    # GetObjectVersion: the document check reads the very version it pins.
    assert steps_s3 == {"s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"}


def _entry_statements(synth, name: str) -> list[dict]:
    function_props = next(
        res["Properties"]
        for res in synth.of_type("AWS::Lambda::Function").values()
        if res["Properties"]["FunctionName"] == f"sevamitra-{synth.stack.stage.name}-{name}"
    )
    role_id = function_props["Role"]["Fn::GetAtt"][0]
    return [
        statement
        for res in synth.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in res["Properties"]["Roles"]
        for statement in res["Properties"]["PolicyDocument"]["Statement"]
        if "Sid" in statement
    ]


def test_escalation_job_reaches_only_complaints_their_index_and_the_outbox_and_puts_on_the_bus(dev):
    statements = {s["Sid"]: s for s in _entry_statements(dev, "complaint-escalation")}
    assert set(statements) == {
        "TableComplaints",
        "TableComplaints2",
        "TableOutbox",
        "TableOutbox2",
        "PutEvents",
    }
    # complaint_escalated (the district's officers) is written in the escalation's transaction.
    assert statements["TableOutbox"]["Action"] == "dynamodb:PutItem"
    assert statements["TableOutbox"]["Condition"] == {
        "ForAnyValue:StringEquals": {"dynamodb:EnclosingOperation": ["TransactWriteItems"]}
    }
    assert statements["TableOutbox2"]["Action"] == "dynamodb:DeleteItem"
    complaints_id = _table_ids(dev)["complaints"]
    items = statements["TableComplaints"]
    assert set(items["Action"]) == {"dynamodb:GetItem", "dynamodb:UpdateItem"}
    assert items["Resource"] == {"Fn::GetAtt": [complaints_id, "Arn"]}
    query = statements["TableComplaints2"]
    assert query["Action"] == "dynamodb:Query"
    assert query["Resource"]["Fn::Join"][1] == [{"Fn::GetAtt": [complaints_id, "Arn"]}, "/index/open_by_due"]
    assert statements["PutEvents"]["Action"] == "events:PutEvents"
    assert statements["PutEvents"]["Resource"] == {
        "Fn::GetAtt": [dev.logical_id(dev.stack.events.bus), "Arn"]
    }
