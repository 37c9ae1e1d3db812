"""DynamoDB's capacity arithmetic (benchmarks/capacity_units.py): item sizes, rounding to 4 KB
reads and 1 KB writes, transactions counted double, index writes."""

from __future__ import annotations

import pytest

from benchmarks.capacity_units import (
    IndexShape,
    index_write_units,
    item_size,
    item_write_units,
    number_size,
    page_read_units,
    read_units,
    write_units,
)


def test_item_size_counts_names_and_values_by_dynamodbs_rules() -> None:
    assert item_size({"id": {"S": "abc"}}) == 2 + 3
    assert item_size({"n": {"N": "123.4500"}}) == 1 + number_size("123.45") == 1 + 4
    assert item_size({"ok": {"BOOL": True}, "x": {"NULL": True}}) == 3 + 2
    # a map: 3 bytes, 1 per element, plus each element's name and value
    assert item_size({"m": {"M": {"ab": {"S": "cd"}}}}) == 1 + 3 + 1 + 2 + 2
    assert item_size({"l": {"L": [{"S": "a"}, {"S": "bc"}]}}) == 1 + 3 + (1 + 1) + (1 + 2)
    assert item_size({"s": {"S": "हिं"}}) == 1 + len("हिं".encode())
    assert item_size(None) == 0


@pytest.mark.parametrize(
    ("size", "consistent", "units"),
    [
        (0, False, 0.5),
        (1, True, 1.0),
        (4096, True, 1.0),
        (4097, True, 2.0),
        (4097, False, 1.0),
        (10_000, False, 1.5),
    ],
)
def test_reads_round_up_to_4kb_and_eventual_reads_half(size: int, consistent: bool, units: float) -> None:
    assert read_units(size, consistent=consistent) == units


def test_transactional_reads_cost_two_units_per_4kb() -> None:
    assert read_units(5000, consistent=True, transactional=True) == 4.0


def test_a_query_page_sums_its_items_before_rounding() -> None:
    # 40 items of 100 bytes: 4,000 bytes, one 4 KB block, not 40 blocks
    assert page_read_units([100] * 40, consistent=True) == 1.0
    assert page_read_units([], consistent=False) == 0.5


@pytest.mark.parametrize(("size", "units"), [(0, 1), (1024, 1), (1025, 2), (3000, 3)])
def test_writes_round_up_to_1kb(size: int, units: int) -> None:
    assert write_units(size) == units
    assert write_units(size, transactional=True) == 2 * units


PENDING = IndexShape("pending", ("queue",), ("id",), "KEYS_ONLY")


def test_index_writes_follow_the_entry() -> None:
    plain = {"id": {"S": "e1"}}
    queued = {**plain, "queue": {"S": "p"}}
    moved = {**plain, "queue": {"S": "q"}}
    assert index_write_units(None, plain, PENDING) == 0  # sparse: no entry
    assert index_write_units(None, queued, PENDING) == 1  # appears
    assert index_write_units(queued, None, PENDING) == 1  # disappears
    assert index_write_units(queued, moved, PENDING) == 2  # key change: delete + put
    assert index_write_units(queued, {**queued, "other": {"S": "x"}}, PENDING) == 0  # not projected


def test_an_all_projection_index_rewrites_on_any_attribute_change() -> None:
    index = IndexShape("all", ("queue",), ("id",), "ALL")
    before = {"id": {"S": "e1"}, "queue": {"S": "p"}, "n": {"N": "1"}}
    assert index_write_units(before, {**before, "n": {"N": "2"}}, index) == 1
    assert index_write_units(before, before, index) == 0


def test_item_write_charges_the_larger_version_and_doubles_the_table_in_transactions() -> None:
    big = {"id": {"S": "a"}, "queue": {"S": "p"}, "body": {"S": "x" * 1500}}
    small = {"id": {"S": "a"}}
    assert item_write_units(big, small, [PENDING]) == (2, 1)
    # the table's prepare and commit; the index is written once, after the commit
    assert item_write_units(big, small, [PENDING], transactional=True) == (4, 1)
    assert item_write_units(None, None) == (1, 0)  # a failed conditional put still costs
