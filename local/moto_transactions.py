"""Cancelled transactions on moto's DynamoDB put back the items they touched, not whole tables.

moto 5.2.5 prepares every ``TransactWriteItems`` by deep-copying each table the transaction names,
and puts those copies back when the transaction is cancelled. The copy costs time in proportion
to the table, on every transaction, cancelled or not: a long-lived local stack (``make dev``, the
e2e stacks, the authorisation matrix's world) slowed down as its tables grew, and in the matrix
100 s of 280 s went into those copies.

DynamoDB only ever changes the items a transaction addresses, and so does moto. ``install()``
makes moto's table "copy" the table itself and keeps a copy of exactly the addressed items
instead, taken before the transaction and put back when it fails, however it fails. What a
caller sees is unchanged: a cancelled transaction leaves every item as it was
(``tests/integration/test_moto_transactions.py``). Writers must still be serialised, as the local
stack and the integration tests do (``local/atomic_dynamodb.py``).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, NamedTuple

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table

_MUTATIONS = ("Put", "Update", "Delete")


class _Before(NamedTuple):
    table: Table
    hash_key: DynamoType
    range_key: DynamoType | None
    item: Item | None  # a copy; None when the item did not exist


def _deepcopy_sharing_tables(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """moto's ``copy.deepcopy`` for its DynamoDB backend: a table is not copied (its backup is
    the items ``_before`` keeps); anything else (an item before an update) is."""
    return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _before(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> list[_Before]:
    """A copy of every item the transaction may change, once each, as it is now."""
    seen: set[tuple[str, str]] = set()
    kept: list[_Before] = []
    for entry in transact_items:
        for operation, request in entry.items():
            if operation not in _MUTATIONS or request.get("TableName") not in backend.tables:
                continue
            table = backend.tables[request["TableName"]]
            key = request.get("Key") or _key_of(table, request.get("Item") or {})
            address = (request["TableName"], repr(sorted((key or {}).items())))
            if key is None or address in seen:
                continue
            seen.add(address)
            hash_key, range_key = backend.get_keys_value(table, key)
            current = table.get_item(hash_key, range_key)
            kept.append(_Before(table, hash_key, range_key, copy.deepcopy(current)))
    return kept


def _key_of(table: Table, item: dict[str, Any]) -> dict[str, Any] | None:
    names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
    if not all(name in item for name in names):
        return None  # moto refuses the request itself
    return {name: item[name] for name in names}


def _put_back(kept: list[_Before]) -> None:
    for before in kept:
        if before.item is None:
            before.table.delete_item(before.hash_key, before.range_key)
        elif before.range_key is not None:
            before.table.items[before.hash_key][before.range_key] = before.item
        else:
            before.table.items[before.hash_key] = before.item  # type: ignore[assignment]  # as moto does


def _item_level_rollback(transact: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(transact)
    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        kept = _before(self, transact_items)
        try:
            transact(self, transact_items)
        except BaseException:
            _put_back(kept)
            raise

    transact_write_items.item_level_rollback = True  # type: ignore[attr-defined]
    return transact_write_items


def install() -> None:
    """Once per process, before any other wrapper of ``transact_write_items`` (they wrap this)."""
    if getattr(DynamoDBBackend.transact_write_items, "item_level_rollback", False):
        return
    dynamodb_models.copy = SimpleNamespace(deepcopy=_deepcopy_sharing_tables)  # type: ignore[assignment]
    DynamoDBBackend.transact_write_items = _item_level_rollback(  # type: ignore[method-assign]
        DynamoDBBackend.transact_write_items
    )
