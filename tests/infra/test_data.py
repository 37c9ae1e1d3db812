"""The CDK tables are the local stack's tables: one parity test against ``TABLES``."""

from __future__ import annotations

from sevamitra.data.schema import TABLES


def _tables(synth) -> dict[str, dict]:
    return {res["Properties"]["TableName"]: res for res in synth.of_type("AWS::DynamoDB::Table").values()}


def test_every_table_has_the_key_schema_indexes_and_ttl_of_the_models(dev):
    tables = _tables(dev)
    assert set(tables) == {f"sevamitra-dev-{spec.logical_name}" for spec in TABLES}
    for spec in TABLES:
        expected = spec.create_table_params(f"sevamitra-dev-{spec.logical_name}")
        props = tables[expected["TableName"]]["Properties"]
        assert props["KeySchema"] == expected["KeySchema"], spec.logical_name
        assert (
            sorted(props["AttributeDefinitions"], key=lambda a: a["AttributeName"])
            == expected["AttributeDefinitions"]
        ), spec.logical_name
        indexes = [
            {"IndexName": i["IndexName"], "KeySchema": i["KeySchema"], "Projection": i["Projection"]}
            for i in props.get("GlobalSecondaryIndexes", [])
        ]
        assert indexes == expected.get("GlobalSecondaryIndexes", []), spec.logical_name
        expected_ttl = {"AttributeName": spec.ttl_attribute, "Enabled": True} if spec.ttl_attribute else None
        assert props.get("TimeToLiveSpecification") == expected_ttl, spec.logical_name


def test_tables_are_on_demand_encrypted_and_recoverable(dev):
    for name, table in _tables(dev).items():
        props = table["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST", name
        assert props["SSESpecification"]["SSEEnabled"] is True, name
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True, name


def test_dev_tables_go_with_the_stack(dev):
    for name, table in _tables(dev).items():
        assert table["DeletionPolicy"] == "Delete", name
        assert not table["Properties"].get("DeletionProtectionEnabled"), name


def test_prod_tables_are_retained_and_deletion_protected(prod):
    tables = _tables(prod)
    assert set(tables) == {f"sevamitra-prod-{spec.logical_name}" for spec in TABLES}
    for name, table in tables.items():
        assert table["DeletionPolicy"] == "Retain", name
        assert table["UpdateReplacePolicy"] == "Retain", name
        assert table["Properties"]["DeletionProtectionEnabled"] is True, name
