"""Exactly what each role may do on each table, read back from the synthesized template.

``EXPECTED`` is the specification, written from the data layer calls each function's code paths
make (``tests/integration/test_least_privilege.py`` records them on moto and proves the grants
cover them and nothing more). The named holes of issue 13 are tested by name: registration never
deletes, updates or batch-writes identities (and cannot write the ban registry), the complaint
function never deletes or updates audit entries, booking updates a professional only inside the
transaction that writes the booking; and the audit table is append-only for every role.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from infra.access import TRANSACTION, access_of
from sevamitra.edge import idempotency
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
from tests.infra.test_iam import _as_list, _grants_by_table, _statements, _table_ids

GET, PUT, UPDATE, DELETE = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
)
QUERY, CHECK, BATCH_WRITE = "dynamodb:Query", "dynamodb:ConditionCheckItem", "dynamodb:BatchWriteItem"
BATCH_GET = "dynamodb:BatchGetItem"
ITEMS = {GET, PUT, UPDATE, DELETE}  # an idempotency record's whole life
FUNCTIONS_ROOT = Path(__file__).resolve().parents[2] / "functions"

EXPECTED: dict[str, dict[str, set[str]]] = {
    "register": {
        "professionals": {GET, PUT, UPDATE, QUERY},
        "identities": {CHECK, PUT},
        "agencies": {GET, PUT, UPDATE, QUERY},
        "geo": {PUT, DELETE},  # availability moves the entries with the professional
        "idempotency": ITEMS,
        "notifications": {GET},  # GET /me shows the preferences
        "match_alerts": {QUERY, UPDATE},  # going online fires the alerts around (issue 17)
        "outbox": {PUT, DELETE},  # ... with their professional_available events
        "audit": {QUERY, PUT},  # claim codes sent, claims, locks on the professional's trail
    },
    "match": {
        "geo": {QUERY},
        "rate_limits": {UPDATE},  # counting the account's searches
        "match_alerts": {PUT},  # POST /match/alerts
        "idempotency": ITEMS,
    },
    "book": {
        "bookings": {GET, PUT, UPDATE, QUERY},  # GET /bookings: its list indexes
        "professionals": {GET, UPDATE, QUERY},  # whom the caller acts for: by_account
        "geo": {QUERY, PUT, DELETE},
        "agencies": {GET, QUERY},  # ... and by_owner
        "complaints": {GET, PUT},  # the lock look-up; the overcharge opened at completion
        "idempotency": ITEMS,
        "open_requests": {UPDATE},  # the citizen's count, in the booking's own transactions
        "outbox": {PUT, DELETE},  # each transition's events, deleted once published
        "notifications": {GET},  # a helpline caller's language, for the start code SMS
    },
    "complaint": {
        "complaints": {GET, PUT, UPDATE, DELETE, QUERY},  # GET /complaints: its list indexes
        "bookings": {GET, UPDATE, QUERY},  # a suspension cancels the waiting ones: by_professional
        "professionals": {GET, UPDATE, QUERY},
        "agencies": {GET, QUERY},  # an agency member sees and answers complaints about its professional
        "geo": {DELETE},
        "identities": {GET, PUT, DELETE},  # the ban registry only: on a confirmed ban, off on appeal
        "audit": {QUERY, PUT},
        "idempotency": ITEMS,
        "outbox": {PUT, DELETE},
        "open_requests": {UPDATE},  # a cancelled requested booking leaves its citizen's count
    },
    "verify": {"verifications": {GET, UPDATE, QUERY}},
    # The inbox (an officer's merged with their queues' feeds, in their language); preferences
    # and devices.
    "notify": {"notifications": {QUERY, PUT, GET}},
    "jobs": {
        "jobs": {GET, BATCH_GET, PUT, UPDATE, CHECK, QUERY},  # discovery reads the posts found in one batch
        "job_sites": {QUERY, PUT, DELETE},
        "applications": {GET, PUT, UPDATE, QUERY},
        "offers": {GET, PUT, UPDATE},
        "engagements": {GET, PUT, UPDATE, QUERY},
        "attendance": {GET, PUT, UPDATE, QUERY},
        "professionals": {GET, UPDATE, CHECK, QUERY},  # a full-time accept holds them; by_account
        "geo": {PUT, DELETE},  # out of the match index while held, back when the engagement ends
        "agencies": {GET},
        "idempotency": ITEMS,
    },
    VERIFY_STEPS.name: {
        "professionals": {GET, UPDATE},
        "verifications": {GET, PUT, UPDATE},
        "audit": {QUERY, PUT},
    },
    # complaint_escalated (the district's officers) in the escalation's transaction.
    COMPLAINT_ESCALATION.entry.name: {"complaints": {GET, UPDATE, QUERY}, "outbox": {PUT, DELETE}},
    ENGAGEMENT_END.entry.name: {
        "engagements": {GET, UPDATE, QUERY},
        "professionals": {GET, UPDATE},
        "geo": {PUT},
    },
    BOOKING_EXPIRY.entry.name: {
        "bookings": {GET, UPDATE, QUERY},
        "professionals": {GET, UPDATE},
        "geo": {PUT, DELETE, QUERY},
        "agencies": {GET},
        "open_requests": {UPDATE},
        "outbox": {PUT, DELETE},
    },
    NOTIFY_EVENTS.name: {"professionals": {GET}, "notifications": {GET, PUT, DELETE, QUERY}},
    OUTBOX_SWEEP.entry.name: {"outbox": {GET, DELETE, QUERY}},
    INBOUND_SMS.name: {
        "identities": {GET},  # mobile# only: who registered the sender's number
        "notifications": {GET, PUT},  # the reference; the rate limit of "not understood"
        "bookings": {GET, UPDATE},
        "professionals": {GET, UPDATE},
        "geo": {PUT, DELETE, QUERY},  # a decline re-offers: search and claim the next professional
        "agencies": {GET},
        "open_requests": {UPDATE},  # an SMS accept or decline moves the booking out of requested
        "outbox": {PUT, DELETE},
    },
    # The by_day index and each moved chain's head: reads only, never a write to the trail.
    AUDIT_ANCHORING.entry.name: {"audit": {QUERY}},
    # The complaint and the IGRS reference on it (with its igrs#<reference> pointer).
    IGRS_DELIVERY.name: {"complaints": {GET, UPDATE, PUT}},
    # /ondc/<action> only claims messages (and gives a claim back when the work cannot be queued).
    "ondc": {"ondc": {PUT, DELETE}},
    # The worker books, cancels and rates through the bookings repository's own transactions.
    ONDC_WORKER.name: {
        "geo": {QUERY, PUT, DELETE},
        "professionals": {GET, UPDATE},
        "bookings": {GET, PUT, UPDATE},
        "open_requests": {UPDATE},
        "ondc": {GET, PUT, UPDATE},
        "outbox": {PUT, DELETE},
        # An ONDC issue opens its complaint through the path of POST /complaints (and its lock).
        "complaints": {GET, PUT},
    },
    ONDC_TRACKER.entry.name: {
        "ondc": {UPDATE, QUERY},
        "bookings": {GET},
        "professionals": {GET},
        "complaints": {GET},  # the issues' complaints, for the unsolicited on_issue_status
    },
}
SUBJECTS: dict[str, Function | Entry] = {
    **{function.value: function for function in Function},
    **{
        entry.name: entry
        for entry in (
            VERIFY_STEPS,
            COMPLAINT_ESCALATION.entry,
            BOOKING_EXPIRY.entry,
            NOTIFY_EVENTS,
            OUTBOX_SWEEP.entry,
            INBOUND_SMS,
            ENGAGEMENT_END.entry,
            AUDIT_ANCHORING.entry,
            IGRS_DELIVERY,
            ONDC_WORKER,
            ONDC_TRACKER.entry,
        )
    },
}


def _on_table(synth, subject: str, logical: str) -> list[dict]:
    """The role's DynamoDB statements that reach ``logical`` (its table or an index of it)."""
    table_id = _table_ids(synth)[logical]
    return [
        statement
        for statement in _statements(synth, subject)
        if any(a.startswith("dynamodb:") for a in _as_list(statement["Action"]))
        and table_id in str(statement["Resource"])
    ]


def _leading_keys(statement: dict) -> list[str] | None:
    return statement.get("Condition", {}).get("ForAllValues:StringLike", {}).get("dynamodb:LeadingKeys")


def _transaction_only(statement: dict) -> bool:
    enclosing = statement.get("Condition", {}).get("ForAnyValue:StringEquals", {})
    return enclosing.get("dynamodb:EnclosingOperation") == [TRANSACTION]


@pytest.mark.parametrize("subject", EXPECTED)
def test_each_role_has_exactly_these_actions_on_each_table(dev, subject):
    assert _grants_by_table(dev, subject) == EXPECTED[subject]


def test_every_function_in_the_stack_has_a_row(dev):
    prefix = f"sevamitra-{dev.stack.stage.name}-"
    names = {
        res["Properties"]["FunctionName"].removeprefix(prefix)
        for res in dev.of_type("AWS::Lambda::Function").values()
        if str(res["Properties"].get("FunctionName", "")).startswith(prefix)
    }
    assert names == set(EXPECTED)


def test_register_never_deletes_updates_or_batch_writes_identities_nor_writes_the_ban_registry(dev):
    statements = _on_table(dev, "register", "identities")
    actions = {a for s in statements for a in _as_list(s["Action"])}
    assert actions == {CHECK, PUT}
    assert not actions & {DELETE, UPDATE, BATCH_WRITE, GET, QUERY}
    by_action = {s["Action"]: s for s in statements}
    # The ban registry is only checked, in the registration's transaction.
    assert _leading_keys(by_action[CHECK]) == ["ban#aadhaar#*", "ban#mobile#*"]
    # Puts only claim an identity or an account, and only inside that transaction.
    assert _leading_keys(by_action[PUT]) == ["aadhaar#*", "mobile#*", "account#*"]
    assert _transaction_only(by_action[PUT])


def test_complaint_never_deletes_or_updates_audit_entries(dev):
    statements = _on_table(dev, "complaint", "audit")
    actions = {a for s in statements for a in _as_list(s["Action"])}
    assert actions == {QUERY, PUT}
    assert not actions & {DELETE, UPDATE, BATCH_WRITE}
    (put,) = [s for s in statements if s["Action"] == PUT]
    assert _transaction_only(put)  # entries go in with the decision they record


def test_complaint_deletes_only_complaint_locks_and_writes_only_ban_entries(dev):
    (delete,) = [s for s in _on_table(dev, "complaint", "complaints") if DELETE in _as_list(s["Action"])]
    assert _as_list(delete["Action"]) == [DELETE]
    assert _leading_keys(delete) == ["lock#*"]
    assert _transaction_only(delete)
    for statement in _on_table(dev, "complaint", "identities"):
        assert _leading_keys(statement) == ["ban#aadhaar#*", "ban#mobile#*"], statement


def test_the_notification_roles_reach_only_their_key_families(dev):
    def families(subject: str) -> dict[str, list[str] | None]:
        return {
            " ".join(sorted(_as_list(s["Action"]))): _leading_keys(s)
            for s in _on_table(dev, subject, "notifications")
        }

    assert families("register") == {GET: ["prefs#*"]}
    assert families("notify") == {
        QUERY: ["inbox#*", "feed#*"],
        PUT: ["prefs#*", "device#*"],
        GET: ["prefs#*"],
    }
    assert families(NOTIFY_EVENTS.name) == {
        GET: ["prefs#*"],
        PUT: ["inbox#*", "sent#*", "ref#*", "feed#*"],
        DELETE: ["sent#*"],
        QUERY: ["device#*"],
    }
    assert families(INBOUND_SMS.name) == {GET: ["ref#*", "prefs#*"], PUT: ["nack#*"]}
    (identities,) = _on_table(dev, INBOUND_SMS.name, "identities")
    assert _leading_keys(identities) == ["mobile#*"]


def test_every_outbox_write_is_part_of_the_transaction_of_its_change(dev):
    for subject in (
        "book",
        "complaint",
        BOOKING_EXPIRY.entry.name,
        INBOUND_SMS.name,
        "register",
        COMPLAINT_ESCALATION.entry.name,
    ):
        (put,) = [s for s in _on_table(dev, subject, "outbox") if PUT in _as_list(s["Action"])]
        assert _as_list(put["Action"]) == [PUT]
        assert _transaction_only(put), subject


def test_book_updates_professionals_only_inside_the_transaction_that_writes_the_booking(dev):
    statements = _on_table(dev, "book", "professionals")
    by_action = {a: s for s in statements for a in _as_list(s["Action"])}
    assert set(by_action) == {GET, UPDATE, QUERY}  # never puts, deletes or batch-writes a professional
    assert "/index/by_account" in json.dumps(by_action[QUERY]["Resource"])  # whom the caller acts for
    assert _transaction_only(by_action[UPDATE])
    assert not _transaction_only(by_action[GET])
    for subject in ("book", BOOKING_EXPIRY.entry.name, "complaint"):
        (update,) = [s for s in _on_table(dev, subject, "professionals") if UPDATE in _as_list(s["Action"])]
        assert _as_list(update["Action"]) == [UPDATE], subject
        assert _transaction_only(update), subject


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_audit_table_is_append_only_for_every_role(stage, request):
    synth = request.getfixturevalue(stage)
    audit_id = _table_ids(synth)["audit"]
    reaching = []
    for policy in synth.of_type("AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = set(_as_list(statement["Action"]))
            if audit_id in str(statement["Resource"]) or statement["Resource"] == "*":
                assert not actions & {DELETE, UPDATE, BATCH_WRITE, "dynamodb:*", "dynamodb:PartiQLUpdate"}
                assert not any(a.startswith("dynamodb:") and a.endswith("*") for a in actions)
                if audit_id in str(statement["Resource"]):
                    reaching.append(actions)
    assert reaching  # the complaint function and the verification steps append to it
    assert set().union(*reaching) == {QUERY, PUT}


@pytest.mark.parametrize("subject", EXPECTED)
def test_each_declared_grant_is_one_statement_with_exactly_its_resources_and_conditions(dev, subject):
    access = access_of(SUBJECTS[subject])
    table_ids = _table_ids(dev)
    statements = [
        s for s in _statements(dev, subject) if any(a.startswith("dynamodb:") for a in _as_list(s["Action"]))
    ]
    expected = []
    for logical in sorted(access.tables):
        arn = {"Fn::GetAtt": [table_ids[logical], "Arn"]}
        for grant in access.grants[logical]:
            resources = [arn] if grant.on_table else []
            resources += [{"Fn::Join": ["", [arn, f"/index/{name}"]]} for name in grant.indexes]
            expected.append((sorted(grant.actions), resources, grant.conditions()))
    rendered = [
        (sorted(_as_list(s["Action"])), _as_list(s["Resource"]), s.get("Condition", {})) for s in statements
    ]
    assert sorted(json.dumps(r, sort_keys=True) for r in rendered) == sorted(
        json.dumps(e, sort_keys=True) for e in expected
    )


def _idempotent_operations(function: Function) -> set[str]:
    """The operation names the function's handlers pass to ``idempotency.run_once`` (directly or
    through the handler kit's ``idempotent_created``; both take it second)."""
    operations = set()
    for path in (FUNCTIONS_ROOT / function.value).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            called = getattr(node, "func", None)
            name = getattr(called, "attr", None) or getattr(called, "id", None)
            if isinstance(node, ast.Call) and name in ("run_once", "idempotent_created"):
                operation = node.args[1]
                assert isinstance(operation, ast.Constant), f"{path}: {name} needs a literal operation"
                operations.add(str(operation.value))
    return operations


@pytest.mark.parametrize("function", list(Function), ids=str)
def test_each_function_reaches_only_the_idempotency_records_of_its_own_operations(dev, function):
    statements = _on_table(dev, function.value, "idempotency")
    operations = _idempotent_operations(function)
    if not operations:
        assert statements == []
        return
    (statement,) = statements
    assert set(_leading_keys(statement) or []) == {f"{op}#*" for op in operations}
    for operation in operations:
        assert idempotency.record_id(operation, "key", {"sub": "s", "body": {}}).startswith(f"{operation}#")


@pytest.mark.parametrize(
    ("subject", "logical", "indexes"),
    [
        ("book", "bookings", {"by_citizen", "by_professional", "by_registrar", "by_agency", "by_booker"}),
        ("complaint", "complaints", {"by_status", "by_district", "by_complainant", "by_professional",
                                     "by_registrar", "by_agency"}),
        ("register", "agencies", {"by_owner", "by_status"}),
        ("register", "professionals", {"by_account", "by_agency"}),
        ("verify", "verifications", {"pending", "pending_by_district"}),
    ],
)  # fmt: skip
def test_lists_are_queries_on_their_own_indexes_and_never_scans(dev, subject, logical, indexes):
    """Every list route is a Query on an index designed for it: Query is granted on exactly those
    indexes (not on the table), and no role anywhere may Scan."""
    table_arn = json.dumps({"Fn::GetAtt": [_table_ids(dev)[logical], "Arn"]})
    queried = set()
    for statement in _on_table(dev, subject, logical):
        if QUERY in _as_list(statement["Action"]):
            assert _as_list(statement["Action"]) == [QUERY]
            for resource in _as_list(statement["Resource"]):
                text = json.dumps(resource)
                assert "/index/" in text, resource  # never the table itself
                queried.add(text.rsplit("/index/", 1)[1].strip('"]}'))
    assert queried == indexes
    assert table_arn
    for policy in dev.of_type("AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            assert "dynamodb:Scan" not in _as_list(statement["Action"])
            assert "dynamodb:*" not in _as_list(statement["Action"])


def test_jobs_writes_professionals_and_the_match_index_only_inside_its_transactions(dev):
    by_action = {a: st for st in _on_table(dev, "jobs", "professionals") for a in _as_list(st["Action"])}
    assert set(by_action) == {GET, UPDATE, CHECK, QUERY}
    assert _transaction_only(by_action[UPDATE])
    assert _transaction_only(by_action[CHECK])
    for statement in _on_table(dev, "jobs", "geo"):
        assert _transaction_only(statement), statement
    # Posts, offers and engagements change only in the transactions that keep N engagements for N
    # positions.
    for logical in ("offers", "engagements"):
        (write,) = [st for st in _on_table(dev, "jobs", logical) if PUT in _as_list(st["Action"])]
        assert _transaction_only(write)


def test_match_alerts_are_put_by_match_and_fired_by_register_only_in_a_transaction(dev):
    (put,) = _on_table(dev, "match", "match_alerts")
    assert _as_list(put["Action"]) == [PUT]
    statements = {
        s["Action"] if isinstance(s["Action"], str) else tuple(s["Action"]): s
        for s in _on_table(dev, "register", "match_alerts")
    }
    assert set(statements) == {QUERY, UPDATE}
    assert _transaction_only(statements[UPDATE])  # fired once, with its event in the outbox
