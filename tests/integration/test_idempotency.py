"""``sevamitra.edge.idempotency`` on moto: one operation per key, caller and body, whatever the timing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import pytest
from pydantic import BaseModel

from sevamitra.data import idempotency as records
from sevamitra.data.models import IdempotencyModel
from sevamitra.edge import idempotency
from sevamitra.edge.errors import Conflict, DependencyFailed, Unprocessable
from sevamitra.platform.settings import settings

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
SCOPE = {"sub": "citizen-1", "body": {"service_id": "plumber_tap_repair", "note": "kitchen"}}

pytestmark = pytest.mark.usefixtures("aws")


class Counter:
    """A ``produce`` that counts its runs and answers with the run number."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> dict[str, Any]:
        self.runs += 1
        return {"id": f"thing-{self.runs}"}


def at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def records_stored() -> list[IdempotencyModel]:
    return list(IdempotencyModel.scan())


def test_without_a_key_every_call_runs_and_nothing_is_stored() -> None:
    produce = Counter()
    idempotency.run_once(None, "create", SCOPE, produce, clock=at(NOW))
    idempotency.run_once(None, "create", SCOPE, produce, clock=at(NOW))
    assert produce.runs == 2
    assert records_stored() == []


def test_a_retry_gets_the_first_result_and_the_operation_runs_once() -> None:
    produce = Counter()
    first = idempotency.run_once("k-1", "create", SCOPE, produce, clock=at(NOW))
    again = idempotency.run_once("k-1", "create", SCOPE, produce, clock=at(NOW + timedelta(minutes=5)))
    assert first == again == {"id": "thing-1"}
    assert produce.runs == 1
    (record,) = records_stored()
    assert record.status == "completed"
    assert "kitchen" not in str(record.attribute_values)  # only a hash of the body is kept


def test_the_same_key_with_another_body_is_422_not_a_second_operation() -> None:
    produce = Counter()
    idempotency.run_once("k-2", "create", SCOPE, produce, clock=at(NOW))
    other = {**SCOPE, "body": {"service_id": "plumber_tap_repair", "note": "bathroom"}}
    with pytest.raises(Unprocessable) as raised:
        idempotency.run_once("k-2", "create", other, produce, clock=at(NOW))
    assert raised.value.code == "idempotency_key_reused"
    assert produce.runs == 1


def test_a_key_belongs_to_its_caller_and_operation() -> None:
    produce = Counter()
    idempotency.run_once("shared", "create", SCOPE, produce, clock=at(NOW))
    idempotency.run_once("shared", "create", {**SCOPE, "sub": "citizen-2"}, produce, clock=at(NOW))
    idempotency.run_once("shared", "other_operation", SCOPE, produce, clock=at(NOW))
    assert produce.runs == 3


def test_a_retry_while_the_first_attempt_runs_is_409_request_in_progress() -> None:
    seen: list[Exception] = []

    def produce() -> dict[str, Any]:
        try:
            idempotency.run_once("k-3", "create", SCOPE, Counter(), clock=at(NOW))
        except Conflict as exc:
            seen.append(exc)
        return {"id": "first"}

    assert idempotency.run_once("k-3", "create", SCOPE, produce, clock=at(NOW)) == {"id": "first"}
    assert [exc.code for exc in seen] == ["request_in_progress"]


def test_a_failed_attempt_gives_the_key_back_so_a_retry_runs_again() -> None:
    def failing() -> dict[str, Any]:
        raise DependencyFailed(message="downstream is down")

    with pytest.raises(DependencyFailed):
        idempotency.run_once("k-4", "create", SCOPE, failing, clock=at(NOW))
    assert records_stored() == []
    produce = Counter()
    assert idempotency.run_once("k-4", "create", SCOPE, produce, clock=at(NOW)) == {"id": "thing-1"}


def test_an_attempt_abandoned_by_a_crashed_invocation_is_taken_over_after_its_lease() -> None:
    rid = idempotency.record_id("create", "k-5", SCOPE)
    body_hash = idempotency._digest(SCOPE["body"])
    ttl = settings().idempotency_ttl_s
    assert (
        records.claim(rid, body_hash, now_s=int(NOW.timestamp()), lease_s=idempotency.LEASE_S, ttl_s=ttl)
        is None
    )

    produce = Counter()
    within = NOW + timedelta(seconds=idempotency.LEASE_S - 1)
    with pytest.raises(Conflict):
        idempotency.run_once("k-5", "create", SCOPE, produce, clock=at(within))
    after = NOW + timedelta(seconds=idempotency.LEASE_S + 1)
    assert idempotency.run_once("k-5", "create", SCOPE, produce, clock=at(after)) == {"id": "thing-1"}
    other = {**SCOPE, "body": {"note": "something else"}}
    with pytest.raises(Unprocessable):
        idempotency.run_once("k-5", "create", other, produce, clock=at(after))


def test_an_expired_record_no_longer_holds_the_key() -> None:
    produce = Counter()
    idempotency.run_once("k-6", "create", SCOPE, produce, clock=at(NOW))
    later = NOW + timedelta(seconds=settings().idempotency_ttl_s + 1)
    other = {**SCOPE, "body": {"note": "a new request after the record expired"}}
    assert idempotency.run_once("k-6", "create", other, produce, clock=at(later)) == {"id": "thing-2"}


def test_when_marking_done_fails_once_it_is_retried_and_a_retry_gets_the_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = records.complete
    failures = iter([DependencyFailed(message="store down")])

    def flaky(record_id: str, result: dict[str, Any]) -> None:
        for exc in failures:
            raise exc
        real(record_id, result)

    monkeypatch.setattr(records, "complete", flaky)
    produce = Counter()
    assert idempotency.run_once("k-7", "create", SCOPE, produce, clock=at(NOW)) == {"id": "thing-1"}
    assert idempotency.run_once("k-7", "create", SCOPE, produce, clock=at(NOW)) == {"id": "thing-1"}
    assert produce.runs == 1


def test_when_the_store_stays_down_the_client_still_gets_what_happened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def down(*_: Any) -> None:
        raise DependencyFailed(message="store down")

    monkeypatch.setattr(records, "complete", down)
    produce = Counter()
    assert idempotency.run_once("k-8", "create", SCOPE, produce, clock=at(NOW)) == {"id": "thing-1"}
    with pytest.raises(Conflict):  # the record holds the key until its lease ends
        idempotency.run_once("k-8", "create", SCOPE, produce, clock=at(NOW))


def test_a_store_that_cannot_take_the_record_fails_before_the_operation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def down(*_: Any, **__: Any) -> None:
        raise DependencyFailed(message="store down")

    monkeypatch.setattr(records, "claim", down)
    produce = Counter()
    with pytest.raises(DependencyFailed):
        idempotency.run_once("k-9", "create", SCOPE, produce, clock=at(NOW))
    assert produce.runs == 0


# --- fields marked secret ---------------------------------------------------------------------


class Created(BaseModel):
    id: str
    code: Annotated[str, idempotency.SECRET]
    note: str = "kept"


def test_secret_fields_are_the_ones_marked_secret() -> None:
    assert idempotency.secret_fields(Created) == {"code"}


def test_a_field_marked_secret_is_never_stored_and_a_replay_reads_it_back_from_its_owner() -> None:
    owner = {"thing-1": "271828"}  # where the secret lives (for a booking: the bookings table)
    recovered: list[dict[str, Any]] = []

    def recover(stored: dict[str, Any]) -> dict[str, Any]:
        recovered.append(stored)
        return {"code": owner[stored["id"]]}

    withhold = idempotency.Withhold.secrets_of(Created, recover)

    def produce() -> dict[str, Any]:
        return Created(id="thing-1", code=owner["thing-1"]).model_dump()

    first = idempotency.run_once("k-s", "create", SCOPE, produce, clock=at(NOW), withhold=withhold)
    (record,) = records_stored()
    assert "271828" not in str(record.attribute_values)
    assert json.loads(record.result) == {"id": "thing-1", "note": "kept"}

    again = idempotency.run_once("k-s", "create", SCOPE, Counter(), clock=at(NOW), withhold=withhold)
    assert again == first == {"id": "thing-1", "code": "271828", "note": "kept"}
    assert recovered == [{"id": "thing-1", "note": "kept"}]


def test_a_result_stored_before_a_field_was_withheld_is_replayed_as_stored() -> None:
    def produce() -> dict[str, Any]:
        return {"id": "thing-1", "code": "161803"}

    idempotency.run_once("k-old", "create", SCOPE, produce, clock=at(NOW))

    def recover(stored: dict[str, Any]) -> dict[str, Any]:
        raise AssertionError("nothing to recover")

    withhold = idempotency.Withhold.secrets_of(Created, recover)
    again = idempotency.run_once("k-old", "create", SCOPE, Counter(), clock=at(NOW), withhold=withhold)
    assert again == {"id": "thing-1", "code": "161803"}
