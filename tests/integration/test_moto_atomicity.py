"""The emulator as the integration tests run it: DynamoDB requests from several threads (the
workflow's steps on moto's threads, the test calling handlers) apply one at a time, as in AWS."""

from __future__ import annotations

import threading

from local.provision import LocalResources, cached_client
from sevamitra.data.models import IdempotencyModel
from sevamitra.platform.settings import settings

WRITERS = 4
UPDATES = 150


def test_concurrent_updates_of_one_item_all_apply_without_errors(aws: LocalResources) -> None:
    dynamodb = cached_client("dynamodb", settings().aws_region)
    table = IdempotencyModel.Meta.table_name
    key = {"id": {"S": "one-item"}}
    dynamodb.put_item(TableName=table, Item=key)
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        for update in range(UPDATES):
            try:
                dynamodb.update_item(
                    TableName=table,
                    Key=key,
                    UpdateExpression=f"SET w{writer}_{update} = :v",
                    ExpressionAttributeValues={":v": {"S": "x"}},
                )
            except Exception as exc:  # every failure is the finding
                errors.append(exc)

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    item = dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]
    assert len(item) == 1 + WRITERS * UPDATES
