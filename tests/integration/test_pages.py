"""``sevamitra.data.pages``: newest-first pages merged from several index partitions, on moto.

Overlapping partitions give each item once; a page that runs out of its Query budget stops
early and resumes exactly there; a filter never names the queried index's own key (DynamoDB
refuses that); a state of the wrong shape is 422 ``invalid_cursor``."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from botocore.client import BaseClient

from local.provision import LocalResources
from sevamitra.data import bookings as repo
from sevamitra.data import pages
from sevamitra.data.models import BookingModel
from sevamitra.edge.errors import Unprocessable

_serial = itertools.count(1)


def booking(created_at: str, *, citizen: str = "c1", registrar: str = "r1", agency: str | None = None) -> str:
    booking_id = f"bkg_{next(_serial):04d}"
    BookingModel(
        booking_id,
        status="requested" if next(_serial) % 2 else "cancelled",
        citizen_sub=citizen,
        professional_id="pro_1",
        registrar_sub=registrar,
        agency_id=agency,
        service_id="electrician_fan_installation",
        fee_paise=15000,
        duration_minutes=45,
        lat=26.85,
        lng=80.95,
        expires_at="2026-11-27T10:30:00Z",
        created_at=created_at,
        listed_at=repo.listed_at(created_at, booking_id),
        updated_at=created_at,
    ).save()
    return booking_id


def every_page(
    partitions: list[tuple[str, str]], limit: int, status: str | None = None, budget: int | None = None
) -> list[list[str]]:
    result: list[list[str]] = []
    state: dict[str, Any] | None = None
    while True:
        parts = pages.partitions_of(repo.LIST_INDEXES, partitions, {"status": _status(status)})
        page = pages.newest_first(
            parts,
            limit,
            state,
            lambda raw: str(raw["id"]["S"]),
            query_budget=budget,
        )
        result.append(page.items)
        if page.state is None:
            return result
        state = page.state
        assert len(result) < 100


def _status(status: str | None) -> Any:
    return BookingModel.status == status if status else None


def test_an_item_in_several_partitions_is_listed_once_even_with_equal_times(aws: LocalResources) -> None:
    # Three bookings share a second: the unique sort key still orders them one way everywhere.
    same_second = [booking("2026-11-27T10:00:00Z", agency="agy_1") for _ in range(3)]
    only_registrar = [booking("2026-11-27T09:00:00Z"), booking("2026-11-27T11:00:00Z")]
    only_agency = [booking("2026-11-27T10:30:00Z", registrar="r2", agency="agy_1")]
    partitions = [("by_registrar", "r1"), ("by_agency", "agy_1")]
    for limit in (1, 2, 3, 10):
        listed = [i for page in every_page(partitions, limit) for i in page]
        assert sorted(listed) == sorted(same_second + only_registrar + only_agency), limit
        assert len(listed) == len(set(listed)), limit
        stamps = [BookingModel.get(i).listed_at for i in listed]
        assert stamps == sorted(stamps, reverse=True)


def test_a_page_out_of_budget_stops_early_and_resumes_where_it_stopped(aws: LocalResources) -> None:
    made = [booking(f"2026-11-27T10:{minute:02d}:00Z") for minute in range(12)]
    # One Query per page: a sparse filter leaves pages short, never loses or repeats an item.
    cancelled = [i for i in made if BookingModel.get(i).status == "cancelled"]
    result = every_page([("by_citizen", "c1")], limit=2, status="cancelled", budget=1)
    listed = [i for page in result for i in page]
    assert listed == sorted(cancelled, key=lambda i: BookingModel.get(i).listed_at, reverse=True)
    assert all(len(page) <= 2 for page in result)


def test_the_filter_never_names_the_queried_partitions_key(
    aws: LocalResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    booking("2026-11-27T10:00:00Z")
    queries: list[dict[str, Any]] = []
    make_api_call = BaseClient._make_api_call

    def recording(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if operation == "Query":
            queries.append(params)
        return make_api_call(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", recording)
    for partitions in ([("by_professional", "pro_1")], [("by_citizen", "c1"), ("by_registrar", "r1")]):
        repo.list_bookings(partitions, status="requested", professional_id="pro_1", limit=5, state=None)
    assert len(queries) == 3
    for params in queries:
        names = params["ExpressionAttributeNames"]
        keys = {names[n] for n in names if n in params["KeyConditionExpression"]}
        in_filter = {names[n] for n in names if n in params.get("FilterExpression", "")}
        assert in_filter, params
        assert not keys & in_filter, params
        assert params["ScanIndexForward"] is False


@pytest.mark.parametrize(
    "state",
    [
        {},
        {"p": []},
        {"p": [None, None]},
        {"p": "x"},
        {"p": [["only-one"]]},
        {"p": [["a", ""]]},
        {"p": [[1, 2]]},
        {"p": [True]},
        {"p": [None], "extra": 1},
    ],
)
def test_a_state_of_another_shape_is_invalid_cursor(aws: LocalResources, state: dict[str, Any]) -> None:
    with pytest.raises(Unprocessable) as refused:
        repo.list_bookings([("by_citizen", "c1")], status=None, professional_id=None, limit=5, state=state)
    assert refused.value.code == "invalid_cursor"
