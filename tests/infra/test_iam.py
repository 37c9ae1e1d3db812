"""Least privilege: each function's role reaches exactly what ``infra/access.py`` lists, on exact ARNs."""

from __future__ import annotations

import json

import pytest

from infra.access import ACCESS, TABLE_WRITE_ACTIONS, Documents, Secret
from sevamitra.data.schema import TABLES
from sevamitra.routes import Function

# No resource-level permissions exist for these: the only statements allowed on "*".
RESOURCE_STAR_ALLOWED = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
_INDEXES = {spec.logical_name: {index.name for index in spec.indexes} for spec in TABLES}


def _statements(synth, function: Function | str) -> list[dict]:
    """The role statements of an API function, or of an entry by its name (``book-expiry``)."""
    name = function.value if isinstance(function, Function) else function
    function_props = next(
        res["Properties"]
        for res in synth.of_type("AWS::Lambda::Function").values()
        if res["Properties"]["FunctionName"] == f"sevamitra-{synth.stack.stage.name}-{name}"
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


def _grants_by_table(synth, function: Function | str) -> dict[str, set[str]]:
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


@pytest.mark.parametrize("function", list(Function), ids=lambda f: f.value)
def test_no_function_has_a_data_plane_action_on_every_resource(dev, function):
    for statement in _statements(dev, function):
        assert statement["Effect"] == "Allow"
        if "*" in _as_list(statement["Resource"]):
            assert set(_as_list(statement["Action"])) <= RESOURCE_STAR_ALLOWED, statement
        for action in _as_list(statement["Action"]):
            assert not action.endswith("*"), statement


@pytest.mark.parametrize("function", list(Function), ids=lambda f: f.value)
def test_function_reaches_exactly_its_tables_with_exactly_its_access(dev, function):
    access = ACCESS[function]
    grants = _grants_by_table(dev, function)
    assert set(grants) == access.tables
    for logical, actions in grants.items():
        writes = actions & set(TABLE_WRITE_ACTIONS)
        assert bool(writes) == (logical in access.writes), (logical, actions)
        assert "dynamodb:Scan" not in actions


@pytest.mark.parametrize("function", list(Function), ids=lambda f: f.value)
def test_function_reaches_documents_secrets_and_the_bus_only_as_declared(dev, function):
    access = ACCESS[function]
    bucket_id = dev.logical_id(dev.stack.documents.bucket)
    secret_ids = {
        Secret.IDENTITY_KEY: dev.logical_id(dev.stack.secrets.identity_key),
        Secret.POLICE_CALLBACK: dev.logical_id(dev.stack.secrets.police_key),
    }
    s3_actions: set[str] = set()
    secrets: set[Secret] = set()
    puts_events = False
    for statement in _statements(dev, function):
        actions = set(_as_list(statement["Action"]))
        resources = _as_list(statement["Resource"])
        if any(action.startswith("s3:") for action in actions):
            s3_actions |= actions
            for resource in resources:
                text = json.dumps(resource)
                assert resource == {"Fn::GetAtt": [bucket_id, "Arn"]} or (
                    bucket_id in text and resource["Fn::Join"][1][1] == "/*"
                ), resource
        if any(action.startswith("secretsmanager:") for action in actions):
            assert actions == {"secretsmanager:GetSecretValue"}
            by_id = {secret_id: secret for secret, secret_id in secret_ids.items()}
            secrets |= {by_id[resource["Ref"]] for resource in resources}
        if "events:PutEvents" in actions:
            assert resources == [{"Fn::GetAtt": [dev.logical_id(dev.stack.events.bus), "Arn"]}]
            puts_events = True
        assert not any(action.startswith("states:") for action in actions)
    expected_s3 = {
        None: set(),
        Documents.READ: {"s3:GetObject", "s3:ListBucket"},
        Documents.READ_WRITE: {"s3:GetObject", "s3:PutObject", "s3:ListBucket"},
    }[access.documents]
    assert s3_actions == expected_s3
    assert secrets == set(access.secrets)
    assert puts_events == access.puts_events


def test_match_only_reads(dev):
    grants = _grants_by_table(dev, Function.MATCH)
    assert set(grants) == {"geo", "professionals"}
    assert all(not actions & set(TABLE_WRITE_ACTIONS) for actions in grants.values())


def test_only_register_can_write_documents_and_only_verify_reads_the_police_key(dev):
    writers = {
        function
        for function in Function
        if any("s3:PutObject" in _as_list(s["Action"]) for s in _statements(dev, function))
    }
    assert writers == {Function.REGISTER}
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


def _index_arns(synth, function: Function | str, logical: str) -> set[str]:
    table_id = _table_ids(synth)[logical]
    found = set()
    for statement in _statements(synth, function):
        for resource in _as_list(statement["Resource"]):
            if "Fn::Join" in resource and resource["Fn::Join"][1][0] == {"Fn::GetAtt": [table_id, "Arn"]}:
                found.add(resource["Fn::Join"][1][1])
    return found


def test_book_writes_bookings_professionals_index_complaints_idempotency_and_reads_agencies(dev):
    grants = _grants_by_table(dev, Function.BOOK)
    writers = {logical for logical, actions in grants.items() if actions & set(TABLE_WRITE_ACTIONS)}
    assert writers == {"bookings", "professionals", "geo", "complaints", "idempotency"}
    assert set(grants) - writers == {"agencies"}
    assert grants["bookings"] >= {"dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"}
    assert _index_arns(dev, Function.BOOK, "bookings") == {"/index/awaiting_accept"}


def test_the_expiry_job_reaches_only_bookings_professionals_and_the_index(dev):
    grants = _grants_by_table(dev, "book-expiry")
    assert set(grants) == {"bookings", "professionals", "geo"}
    assert all(actions & set(TABLE_WRITE_ACTIONS) for actions in grants.values())
    assert _index_arns(dev, "book-expiry", "bookings") == {"/index/awaiting_accept"}
    statements = _statements(dev, "book-expiry")
    assert not any(
        a.startswith(("s3:", "secretsmanager:", "events:")) for s in statements for a in _as_list(s["Action"])
    )
