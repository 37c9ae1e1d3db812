"""DynamoDB's capacity accounting, as pure arithmetic on items in DynamoDB JSON.

The rules (DynamoDB developer guide, "Read/write capacity unit consumption" and "Capacity
management for transactions"):

- Item size: the sum over attributes of the name's UTF-8 length plus the value's size. Strings
  and binaries by their length, numbers about one byte per two significant digits plus one,
  booleans and nulls one byte, lists and maps three bytes plus one byte per element plus their
  elements, sets the sum of their elements.
- Reads: a strongly consistent read of up to 4 KB is one read unit, an eventually consistent one
  half a unit, a transactional one two units. GetItem rounds the item up to 4 KB (a missing item
  still costs the minimum); BatchGetItem rounds each item; Query and Scan add up the sizes of the
  items they evaluate (before any filter) and round the total up to 4 KB once per page.
- Writes: one write unit per 1 KB (rounded up) of the larger of the item before and after the
  write; transactional writes two. Every global secondary index the write touches costs index
  writes on top: an entry that appears or disappears is one write of the entry's size, an entry
  whose key changes is two (delete and put), an entry that only changes projected attributes
  is one, and an entry that does not change is none.

Assumptions where the guide is silent: a transactional ConditionCheck costs like a transactional
write of the checked item (an over-count if anything), and the index writes a transaction causes
are not doubled (the two units of a transactional write are its prepare and commit on the table;
DynamoDB propagates the committed item to its indexes once, as for any write).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

READ_UNIT_BYTES = 4096
WRITE_UNIT_BYTES = 1024

Item = Mapping[str, Mapping[str, Any]]


def number_size(text: str) -> int:
    """Bytes of a DynamoDB number: one per two significant digits, plus one."""
    mantissa = text.strip().lstrip("+-").lower().split("e")[0]
    digits = mantissa.replace(".", "").strip("0")
    return math.ceil(max(len(digits), 1) / 2) + 1


def value_size(value: Mapping[str, Any]) -> int:
    ((kind, raw),) = value.items()
    if kind == "S":
        return len(str(raw).encode("utf-8"))
    if kind == "N":
        return number_size(str(raw))
    if kind == "B":
        return len(raw) if isinstance(raw, bytes | bytearray) else len(base64.b64decode(raw))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(str(s).encode("utf-8")) for s in raw)
    if kind == "NS":
        return sum(number_size(str(n)) for n in raw)
    if kind == "BS":
        return sum(value_size({"B": b}) for b in raw)
    if kind == "L":
        return 3 + sum(1 + value_size(v) for v in raw)
    if kind == "M":
        return 3 + sum(1 + len(k.encode("utf-8")) + value_size(v) for k, v in raw.items())
    raise ValueError(f"unknown DynamoDB type {kind!r}")


def item_size(item: Item | None) -> int:
    """Bytes of an item (0 for no item)."""
    if not item:
        return 0
    return sum(len(name.encode("utf-8")) + value_size(value) for name, value in item.items())


def read_units(size: int, *, consistent: bool, transactional: bool = False) -> float:
    """Read units of reading ``size`` bytes in one rounding (an item, or a Query/Scan page)."""
    blocks = max(1, math.ceil(size / READ_UNIT_BYTES))
    if transactional:
        return 2.0 * blocks
    return float(blocks) if consistent else blocks / 2


def page_read_units(sizes: Iterable[int], *, consistent: bool) -> float:
    """A Query or Scan page: the evaluated items' sizes summed, then rounded once."""
    return read_units(sum(sizes), consistent=consistent)


def write_units(size: int, *, transactional: bool = False) -> int:
    blocks = max(1, math.ceil(size / WRITE_UNIT_BYTES))
    return 2 * blocks if transactional else blocks


@dataclass(frozen=True)
class IndexShape:
    """A global secondary index: its key attributes and projection (``ALL`` or ``KEYS_ONLY``,
    the two the project uses), plus the table's own key attributes (always projected)."""

    name: str
    keys: tuple[str, ...]
    table_keys: tuple[str, ...]
    projection: str = "ALL"

    def entry(self, item: Item | None) -> dict[str, Any] | None:
        """The index entry ``item`` has, or ``None`` when it lacks a key attribute (sparse)."""
        if not item or any(key not in item for key in self.keys):
            return None
        if self.projection == "ALL":
            return dict(item)
        return {name: item[name] for name in (*self.keys, *self.table_keys) if name in item}


def index_write_units(before: Item | None, after: Item | None, index: IndexShape) -> int:
    """Write units one table write costs in ``index`` (non-transactional)."""
    old, new = index.entry(before), index.entry(after)
    if old is None and new is None:
        return 0
    if old is None or new is None:
        return write_units(item_size(new if new is not None else old))
    if all(old[key] == new[key] for key in index.keys):
        return 0 if old == new else write_units(item_size(new))
    return write_units(item_size(old)) + write_units(item_size(new))


def item_write_units(
    before: Item | None,
    after: Item | None,
    indexes: Sequence[IndexShape] = (),
    *,
    transactional: bool = False,
) -> tuple[int, int]:
    """(table units, index units) of one write that turned ``before`` into ``after`` (``None``:
    no item). A write that changed nothing (a failed condition) costs its table units only."""
    table = write_units(max(item_size(before), item_size(after)), transactional=transactional)
    return table, sum(index_write_units(before, after, shape) for shape in indexes)
