"""The capacity meter (benchmarks/capacity_meter.py) on moto: what it charges for real requests,
and that it agrees with moto's ReturnConsumedCapacity wherever moto's figure is DynamoDB's."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from benchmarks.capacity_meter import Meter, Tally

REGION = "ap-south-1"
TABLE = "capacity-meter-test"


@pytest.fixture
def client() -> Iterator[object]:
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        dynamodb.create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[
                {"AttributeName": "id", "AttributeType": "S"},
                {"AttributeName": "queue", "AttributeType": "S"},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "by_queue",
                    "KeySchema": [{"AttributeName": "queue", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                }
            ],
        )
        with Meter(REGION).installed() as meter:
            # A client made while the meter is installed is metered (as the handlers' are).
            yield meter, boto3.client("dynamodb", region_name=REGION)


def _item(ident: str, payload_bytes: int, queue: str | None = None) -> dict:
    item = {"id": {"S": ident}, "payload": {"S": "x" * payload_bytes}}
    if queue:
        item["queue"] = {"S": queue}
    return item


def test_small_writes_and_eventual_reads_agree_with_moto(client) -> None:
    meter, dynamodb = client
    with meter.window() as tally:
        dynamodb.put_item(TableName=TABLE, Item=_item("a", 100))
        dynamodb.get_item(TableName=TABLE, Key={"id": {"S": "a"}})
        dynamodb.delete_item(TableName=TABLE, Key={"id": {"S": "a"}})
    assert [name for name, _, _ in tally.reported] == ["PutItem", "GetItem", "DeleteItem"]
    assert all(ours == moto for _, ours, moto in tally.reported), tally.reported
    assert (tally.wcu, tally.rcu) == (2, 0.5)


def test_large_item_costs_one_write_unit_per_kilobyte_and_reads_round_to_4kb(client) -> None:
    meter, dynamodb = client
    with meter.window() as tally:
        dynamodb.put_item(TableName=TABLE, Item=_item("big", 5000))  # ~5.0 KB -> 5 WCU
        dynamodb.get_item(TableName=TABLE, Key={"id": {"S": "big"}}, ConsistentRead=True)  # 8 KB -> 2 RCU
    assert tally.wcu == 5
    assert tally.rcu == 2.0
    # moto answers a constant here: our figure is DynamoDB's, moto's is not.
    assert {name: moto for name, _, moto in tally.reported} == {"PutItem": 1.0, "GetItem": 0.5}


def test_update_costs_the_larger_version_and_index_writes_follow_the_key(client) -> None:
    meter, dynamodb = client
    dynamodb.put_item(TableName=TABLE, Item=_item("u", 1500))
    with meter.window() as entered:
        dynamodb.update_item(
            TableName=TABLE,
            Key={"id": {"S": "u"}},
            UpdateExpression="SET queue = :q, payload = :p",
            ExpressionAttributeValues={":q": {"S": "pending"}, ":p": {"S": "small"}},
        )
    # 1.5 KB before, tiny after: 2 WCU for the table; the entry appears: 1 index write.
    assert (entered.wcu, entered.index_wcu) == (2, 1)
    with meter.window() as moved:
        dynamodb.update_item(
            TableName=TABLE,
            Key={"id": {"S": "u"}},
            UpdateExpression="SET queue = :q",
            ExpressionAttributeValues={":q": {"S": "other"}},
        )
    assert (moved.wcu, moved.index_wcu) == (1, 2)  # a key change: delete and put in the index


def test_transaction_writes_cost_double(client) -> None:
    meter, dynamodb = client
    with meter.window() as tally:
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": _item("t1", 10, queue="pending")}},
                {"Put": {"TableName": TABLE, "Item": _item("t2", 10)}},
            ]
        )
    assert (tally.wcu, tally.index_wcu) == (4, 1)


def test_query_charges_what_it_evaluates_before_the_filter(client) -> None:
    meter, dynamodb = client
    for n in range(3):
        dynamodb.put_item(TableName=TABLE, Item=_item(f"q{n}", 3000, queue="pending"))
    with meter.window() as tally:
        found = dynamodb.scan(
            TableName=TABLE, FilterExpression="id = :none", ExpressionAttributeValues={":none": {"S": "zz"}}
        )
    assert found["Count"] == 0
    # three ~3 KB items evaluated, summed (~9 KB) then rounded to 12 KB: 3 blocks, eventual: 1.5
    assert tally.rcu == 1.5


def test_windows_nest_and_both_are_charged(client) -> None:
    meter, dynamodb = client
    outer = Tally()
    with meter.window(outer), meter.window() as inner:
        dynamodb.put_item(TableName=TABLE, Item=_item("n", 10))
    dynamodb.put_item(TableName=TABLE, Item=_item("m", 10))
    assert (outer.wcu, inner.wcu) == (1, 1)
