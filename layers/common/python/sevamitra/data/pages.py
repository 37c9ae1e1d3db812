"""Pages of a list route: newest first, over one or more partitions of global secondary indexes.

A list is a set of *partitions* (an index and one value of its partition key, optionally with a
filter), each read newest first (``ScanIndexForward=false``) and merged into one newest-first
page. What the page leaves unread is the *state*: per partition, the key to resume after (the
last item taken, or the last key DynamoDB evaluated), or that it is exhausted. The edge signs the
state into an opaque cursor bound to the caller and the query (``sevamitra.edge.cursors``); here
it is only checked for shape.

Partitions may overlap (a booking of a professional the caller registered AND whose agency the
caller runs): the indexes that can overlap sort by a unique key (``listed_at``, ``<created_at>#<id>``),
so every partition is in the same total order and an item found in several is at the head of
each at the same moment: it is taken once, from all of them.

Reads are bounded: at most ``query_budget`` Query calls per page (a filter that matches little
could otherwise read a whole partition). A page that runs out of budget stops early, and its
cursor resumes exactly there: a page may be short, even empty, while ``next_cursor`` is set.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar

from pynamodb.expressions.condition import Condition
from pynamodb.indexes import GlobalSecondaryIndex

from sevamitra.data.errors import dependency_errors
from sevamitra.edge.cursors import INVALID_CURSOR
from sevamitra.edge.errors import Unprocessable

T = TypeVar("T")
RawItem = dict[str, dict[str, Any]]

# A partition's entry in the state: not read yet, exhausted, or the key values to resume after.
_START = None
_DONE = False


@dataclass(frozen=True)
class Partition:
    """One value of one index's partition key, read newest first (and filtered by ``where``)."""

    index: GlobalSecondaryIndex[Any]
    value: str
    where: Condition | None = None

    @property
    def key_names(self) -> tuple[str, ...]:
        """The index's sort key, then the table's keys: what resumes a query after an item (the
        index's partition key is ``value``)."""
        attributes = self.index.Meta.attributes.values()
        (sort_key,) = [a.attr_name for a in attributes if a.is_range_key]
        model = self.index._model
        table_keys = [
            model.get_attributes()[name].attr_name
            for name in (model._hash_keyname, model._range_keyname)
            if name is not None
        ]
        return (sort_key, *table_keys)

    @property
    def hash_name(self) -> str:
        (name,) = [a.attr_name for a in self.index.Meta.attributes.values() if a.is_hash_key]
        return str(name)


def where_all(conditions: Mapping[str, Condition | None], partition_key: str) -> Condition | None:
    """The conjunction of ``conditions`` (attribute name -> condition on it), leaving out the one
    on the partition's own key: a Query's filter may not name the index's key attributes, and the
    partition already holds only that value."""
    combined: Condition | None = None
    for name, condition in conditions.items():
        if condition is None or name == partition_key:
            continue
        combined = condition if combined is None else combined & condition
    return combined


def partitions_of(
    indexes: Mapping[str, GlobalSecondaryIndex[Any]],
    keys: Sequence[tuple[str, str]],
    conditions: Mapping[str, Condition | None],
) -> list[Partition]:
    """``(index name, partition value)`` pairs as partitions filtered by ``conditions``."""
    partitions = []
    for index_name, value in keys:
        index = indexes[index_name]
        hash_name = Partition(index, value).hash_name
        partitions.append(Partition(index, value, where_all(conditions, hash_name)))
    return partitions


class Page(NamedTuple, Generic[T]):
    items: list[T]
    # What to hand back for the next page (the edge signs it); None when nothing is left.
    state: dict[str, Any] | None


class _Budget:
    def __init__(self, queries: int) -> None:
        self.left = queries

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True


class _Reader:
    """One partition, read page by page, items handed out one at a time."""

    def __init__(self, partition: Partition, after: list[str] | None, page_size: int) -> None:
        self.partition = partition
        self.names = partition.key_names
        start = self._key(after) if after is not None else None
        self._pages = partition.index.query(
            partition.value,
            filter_condition=partition.where,
            scan_index_forward=False,
            page_size=page_size,
            last_evaluated_key=start,
        ).page_iter
        self._buffer: deque[RawItem] = deque()
        self._read = False
        self.after = after  # resume after this (None: from the newest)
        self.done = False

    def _key(self, values: Sequence[str]) -> RawItem:
        key = {self.partition.hash_name: {"S": self.partition.value}}
        key.update({name: {"S": value} for name, value in zip(self.names, values, strict=True)})
        return key

    def _values(self, key: RawItem) -> list[str]:
        return [str(key[name]["S"]) for name in self.names]

    def head(self, budget: _Budget) -> RawItem | None:
        """The newest unread item; None when exhausted or out of budget (then not ``done``)."""
        while not self._buffer and not self.done:
            if self._read and self._pages.last_evaluated_key is None:
                self.done = True
                break
            if not budget.take():
                return None
            with dependency_errors("Listing"):
                page = next(self._pages)
            self._read = True
            self._buffer.extend(page.get("Items") or [])
            if not self._buffer:
                self._moved_past_page()
        return self._buffer[0] if self._buffer else None

    def take(self) -> RawItem:
        item = self._buffer.popleft()
        if self._buffer:
            self.after = self._values(item)
        else:
            self._moved_past_page()
        return item

    def _moved_past_page(self) -> None:
        """Everything DynamoDB evaluated so far was taken or filtered out."""
        last = self._pages.last_evaluated_key
        if last is None:
            self.done = True
        else:
            self.after = self._values(last)

    def order(self, item: RawItem) -> tuple[str, ...]:
        return tuple(self._values(item))

    def state(self) -> list[str] | bool | None:
        return _DONE if self.done else self.after


def _starts(state: Mapping[str, Any] | None, partitions: Sequence[Partition]) -> list[Any]:
    """Each partition's entry of a state we issued; 422 ``invalid_cursor`` for any other shape."""
    if state is None:
        return [_START] * len(partitions)
    entries = state.get("p") if isinstance(state, Mapping) else None
    if not isinstance(entries, list) or len(entries) != len(partitions) or set(state) != {"p"}:
        raise Unprocessable(INVALID_CURSOR)
    for entry, partition in zip(entries, partitions, strict=True):
        if entry is _START or entry is _DONE:
            continue
        if (
            not isinstance(entry, list)
            or len(entry) != len(partition.key_names)
            or not all(isinstance(value, str) and value for value in entry)
        ):
            raise Unprocessable(INVALID_CURSOR)
    return entries


def newest_first(
    partitions: Sequence[Partition],
    limit: int,
    state: Mapping[str, Any] | None,
    convert: Callable[[RawItem], T],
    *,
    query_budget: int | None = None,
) -> Page[T]:
    """Up to ``limit`` items, newest first, from the union of ``partitions`` after ``state``."""
    entries = _starts(state, partitions)
    readers = [
        _Reader(partition, entry, page_size=limit + 1)
        for partition, entry in zip(partitions, entries, strict=True)
        if entry is not _DONE
    ]
    budget = _Budget(query_budget if query_budget is not None else 2 * len(partitions) + 2)
    items: list[T] = []
    while len(items) < limit:
        heads: list[tuple[tuple[str, ...], _Reader]] = []
        blocked = False
        for reader in readers:
            item = reader.head(budget)
            if item is not None:
                heads.append((reader.order(item), reader))
            elif not reader.done:
                blocked = True  # out of budget: a newer item may be unread there
        if blocked or not heads:
            break
        newest = max(order for order, _ in heads)
        taken = [reader.take() for order, reader in heads if order == newest]
        items.append(convert(taken[0]))
    if all(reader.done for reader in readers):
        return Page(items, None)
    positions: list[Any] = []
    live = iter(readers)
    for entry in entries:
        positions.append(_DONE if entry is _DONE else next(live).state())
    return Page(items, {"p": positions})
