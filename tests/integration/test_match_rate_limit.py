"""GET /match is rate limited per account, in DynamoDB (so across every Lambda instance): a burst
within a sustained allowance; beyond it 429 ``throttled`` with ``Retry-After``. The limits and
the clock are passed in here (the suite's environment lets other tests search freely)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from botocore.exceptions import ClientError

from local.provision import LocalResources, cached_client
from match import logic
from match.settings import MatchSettings
from sevamitra.data.models import RateWindowModel
from sevamitra.edge.errors import MESSAGES
from sevamitra.platform.settings import settings
from tests.integration.conftest import Api, ApiResponse, claims_for
from tests.integration.geo_seed import LUCKNOW, SERVICE, offset, seed_professional

CITIZEN = claims_for("citizen-limited")
OTHER = claims_for("citizen-other")
# 3 searches a minute, 5 an hour.
LIMITS = MatchSettings(
    MATCH_SEARCH_BURST="3",
    MATCH_SEARCH_BURST_WINDOW_S="60",
    MATCH_SEARCH_SUSTAINED="5",
    MATCH_SEARCH_SUSTAINED_WINDOW_S="3600",
)
HOUR = datetime(2026, 12, 1, 10, 0, 0, tzinfo=UTC)


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: int) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture
def clock(aws: LocalResources) -> Iterator[Clock]:
    seed_professional("pro_1", *offset(*LUCKNOW, 300, 0))
    fixed = Clock(HOUR + timedelta(seconds=10))
    with (
        mock.patch.object(logic, "utc_now", fixed),
        mock.patch.object(logic, "match_settings", return_value=LIMITS),
    ):
        yield fixed


def search(api: Api, claims: dict[str, Any] = CITIZEN, headers: dict[str, str] | None = None) -> ApiResponse:
    query = {"service": SERVICE, "lat": str(LUCKNOW[0]), "lng": str(LUCKNOW[1])}
    return api("GET", "/match", claims=claims, query=query, headers=headers or {})


def statuses(api: Api, count: int, claims: dict[str, Any] = CITIZEN) -> list[int]:
    return [search(api, claims).status for _ in range(count)]


def test_a_burst_passes_and_one_more_is_429_throttled(api: Api, clock: Clock) -> None:
    assert statuses(api, 3) == [200, 200, 200]

    refused = search(api)

    assert (refused.status, refused.error_code) == (429, "throttled")
    assert refused.headers["Retry-After"] == "50"  # the burst window ends at 10:01:00
    hindi = search(api, headers={"Accept-Language": "hi"})
    assert (hindi.status, hindi.body["error"]["message"]) == (429, MESSAGES["throttled"][1])


def test_another_account_is_unaffected(api: Api, clock: Clock) -> None:
    statuses(api, 4)
    assert statuses(api, 3, OTHER) == [200, 200, 200]


def test_the_burst_refills_in_the_next_window(api: Api, clock: Clock) -> None:
    assert statuses(api, 4) == [200, 200, 200, 429]
    clock.advance(50)
    assert statuses(api, 3) == [200, 200, 429]  # 5 an hour: the sustained allowance is next


def test_the_sustained_allowance_holds_across_burst_windows_until_it_refills(api: Api, clock: Clock) -> None:
    statuses(api, 3)
    clock.advance(60)
    assert statuses(api, 2) == [200, 200]

    refused = search(api)

    assert refused.status == 429
    assert refused.headers["Retry-After"] == str(3600 - 70)  # the hour ends at 11:00:00
    clock.advance(3600 - 70)
    assert statuses(api, 3) == [200, 200, 200]


def test_a_refused_search_reads_nothing(api: Api, clock: Clock) -> None:
    statuses(api, 3)
    with mock.patch.object(logic.geo_index, "nearest", side_effect=AssertionError("searched")):
        assert search(api).status == 429


def test_one_item_per_account_and_hour_counts_searches_and_expires_with_the_hour(
    api: Api, clock: Clock
) -> None:
    statuses(api, 2)
    clock.advance(60)
    statuses(api, 1)

    key = f"match#{CITIZEN['sub']}#{int(HOUR.timestamp())}"
    item = cached_client("dynamodb", settings().aws_region).get_item(
        TableName=RateWindowModel.Meta.table_name, Key={"pk": {"S": key}}, ConsistentRead=True
    )["Item"]

    assert item == {
        "pk": {"S": key},
        "hits": {"N": "3"},
        "b0": {"N": "2"},  # 10:00 to 10:01
        "b1": {"N": "1"},  # 10:01 to 10:02
        "expires": {"N": str(int(HOUR.timestamp()) + 3600)},  # DynamoDB's TTL deletes it after 11:00
    }
    assert [m.pk for m in RateWindowModel.scan()] == [key]


class _FailingClient:
    def __init__(self, code: str) -> None:
        self.code = code

    def update_item(self, **_: Any) -> None:
        raise ClientError({"Error": {"Code": self.code, "Message": "injected"}}, "UpdateItem")


def test_the_counter_failing_does_not_stop_the_search(api: Api, clock: Clock) -> None:
    """Fail open: the limit is a brake on mapping professionals, not a reason to refuse a citizen."""
    with mock.patch(
        "sevamitra.data.rate_limits.aws.client", return_value=_FailingClient("InternalServerError")
    ):
        response = search(api)
    assert response.status == 200
    assert [r["professional_id"] for r in response.body["results"]] == ["pro_1"]


def test_the_counter_throttled_by_dynamodb_is_429(api: Api, clock: Clock) -> None:
    failing = _FailingClient("ProvisionedThroughputExceededException")
    with mock.patch("sevamitra.data.rate_limits.aws.client", return_value=failing):
        response = search(api)
    assert (response.status, response.error_code) == (429, "throttled")


def test_a_search_needs_a_signed_in_caller_before_it_counts(api: Api, clock: Clock) -> None:
    response = api("GET", "/match", query={"service": SERVICE, "lat": "26.8", "lng": "80.9"})
    assert response.status == 401
    assert list(RateWindowModel.scan()) == []
