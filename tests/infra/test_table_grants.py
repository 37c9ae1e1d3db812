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
    BOOKING_EXPIRY,
    COMPLAINT_ESCALATION,
    ONDC_TRACKER,
    ONDC_WORKER,
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
ITEMS = {GET, PUT, UPDATE, DELETE}  # an idempotency record's whole life
FUNCTIONS_ROOT = Path(__file__).resolve().parents[2] / "functions"

EXPECTED: dict[str, dict[str, set[str]]] = {
    "register": {
        "professionals": {GET, PUT, UPDATE, QUERY},
        "identities": {CHECK, PUT},
        "agencies": {GET, PUT, UPDATE, QUERY},
        "geo": {PUT, DELETE},  # availability moves the entries with the professional
        "idempotency": ITEMS,
    },
    "match": {"geo": {QUERY}, "rate_limits": {UPDATE}},  # counting the account's searches
    "book": {
        "bookings": {GET, PUT, UPDATE, QUERY},  # GET /bookings: its list indexes
        "professionals": {GET, UPDATE, QUERY},  # whom the caller acts for: by_account
        "geo": {QUERY, PUT, DELETE},
        "agencies": {GET, QUERY},  # ... and by_owner
        "complaints": {GET, PUT},  # the lock look-up; the overcharge opened at completion
        "idempotency": ITEMS,
        "open_requests": {UPDATE},  # the citizen's count, in the booking's own transactions
    },
    "complaint": {
        "complaints": {GET, PUT, UPDATE, DELETE, QUERY},  # GET /complaints: its list indexes
        "bookings": {GET, UPDATE},
        "professionals": {GET, UPDATE, QUERY},
        "agencies": {GET, QUERY},  # an agency member sees and answers complaints about its professional
        "geo": {DELETE},
        "identities": {GET, PUT},
        "audit": {QUERY, PUT},
        "idempotency": ITEMS,
    },
    "verify": {"verifications": {GET, UPDATE, QUERY}},
    VERIFY_STEPS.name: {
        "professionals": {GET, UPDATE},
        "verifications": {GET, PUT, UPDATE},
        "audit": {QUERY, PUT},
    },
    COMPLAINT_ESCALATION.entry.name: {"complaints": {GET, UPDATE, QUERY}},
    BOOKING_EXPIRY.entry.name: {
        "bookings": {GET, UPDATE, QUERY},
        "professionals": {GET, UPDATE},
        "geo": {PUT},
        "open_requests": {UPDATE},
    },
    # /ondc/<action> only claims messages (and gives a claim back when the work cannot be queued).
    "ondc": {"ondc": {PUT, DELETE}},
    # The worker books, cancels and rates through the bookings repository's own transactions.
    ONDC_WORKER.name: {
        "geo": {QUERY, PUT, DELETE},
        "professionals": {GET, UPDATE},
        "bookings": {GET, PUT, UPDATE},
        "open_requests": {UPDATE},
        "ondc": {GET, PUT, UPDATE},
    },
    ONDC_TRACKER.entry.name: {"ondc": {UPDATE, QUERY}, "bookings": {GET}, "professionals": {GET}},
}
SUBJECTS: dict[str, Function | Entry] = {
    **{function.value: function for function in Function},
    **{
        entry.name: entry
        for entry in (
            VERIFY_STEPS,
            COMPLAINT_ESCALATION.entry,
            BOOKING_EXPIRY.entry,
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
        ("book", "bookings", {"by_citizen", "by_professional", "by_registrar", "by_agency"}),
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
