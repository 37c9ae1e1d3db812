"""A cancelled transaction on the local DynamoDB leaves every item as it was, though moto no
longer copies whole tables for it (``local/moto_transactions.py``); one that commits writes all."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from moto.dynamodb.models import DynamoDBBackend

from local.provision import LocalResources, cached_client
from sevamitra.data.models import table_name
from sevamitra.platform.settings import settings
from tests.integration.support import table_items

TABLE = "audit"  # a table with a hash and a range key: subject, seq


@pytest.fixture
def dynamodb(aws: LocalResources) -> Any:
    return cached_client("dynamodb", settings().aws_region)


def _name() -> str:
    return table_name(TABLE)


def _key(subject: str, seq: int) -> dict[str, Any]:
    return {"subject": {"S": subject}, "seq": {"N": str(seq)}}


def _put(subject: str, seq: int, note: str) -> dict[str, Any]:
    return {"Put": {"TableName": _name(), "Item": {**_key(subject, seq), "note": {"S": note}}}}


def _update(
    subject: str, seq: int, note: str, condition: str = "attribute_exists(subject)"
) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": _name(),
            "Key": _key(subject, seq),
            "UpdateExpression": "SET note = :n, tags = list_append(if_not_exists(tags, :e), :t)",
            "ConditionExpression": condition,
            "ExpressionAttributeValues": {":n": {"S": note}, ":e": {"L": []}, ":t": {"L": [{"S": note}]}},
        }
    }


def _snapshot() -> list[dict[str, Any]]:
    return sorted(table_items(TABLE), key=lambda item: (item["subject"]["S"], item["seq"]["N"]))


def test_the_rollback_is_installed_under_every_wrapper() -> None:
    assert getattr(DynamoDBBackend.transact_write_items, "item_level_rollback", False)


def test_a_cancelled_transaction_puts_back_every_item_it_had_changed(dynamodb: Any) -> None:
    dynamodb.transact_write_items(TransactItems=[_put("a", 1, "first"), _put("a", 2, "second")])
    dynamodb.transact_write_items(TransactItems=[_update("a", 1, "edited")])
    before = _snapshot()

    # moto applies items in order: the put, the delete and the update are done before the last
    # item's condition fails, and all of them must be undone
    with pytest.raises(ClientError) as refused:
        dynamodb.transact_write_items(
            TransactItems=[
                _put("b", 1, "new"),
                {"Delete": {"TableName": _name(), "Key": _key("a", 2)}},
                _update("a", 1, "changed again"),
                _update("c", 1, "missing"),  # fails: no such item
            ]
        )

    assert refused.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert _snapshot() == before
    assert before[0]["tags"] == {"L": [{"S": "edited"}]}


def test_a_cancelled_transaction_leaves_other_items_of_the_table_alone(dynamodb: Any) -> None:
    """moto used to put back a copy of the whole table; only the addressed items are restored."""
    dynamodb.transact_write_items(TransactItems=[_put("a", 1, "first")])
    dynamodb.put_item(TableName=_name(), Item={**_key("z", 9), "note": {"S": "outside"}})

    with pytest.raises(ClientError):
        dynamodb.transact_write_items(TransactItems=[_update("a", 1, "x"), _update("c", 1, "missing")])

    assert [item["note"]["S"] for item in _snapshot()] == ["first", "outside"]


def test_a_transaction_that_commits_writes_every_item(dynamodb: Any) -> None:
    dynamodb.transact_write_items(TransactItems=[_put("a", 1, "first")])

    dynamodb.transact_write_items(TransactItems=[_update("a", 1, "edited"), _put("b", 1, "new")])

    assert [item["note"]["S"] for item in _snapshot()] == ["edited", "new"]


def test_a_transaction_naming_one_item_twice_is_refused_and_changes_nothing(dynamodb: Any) -> None:
    dynamodb.transact_write_items(TransactItems=[_put("a", 1, "first")])
    before = _snapshot()

    with pytest.raises(ClientError) as refused:
        dynamodb.transact_write_items(
            TransactItems=[_put("b", 1, "new"), _update("a", 1, "x"), _put("a", 1, "y")]
        )

    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert _snapshot() == before
