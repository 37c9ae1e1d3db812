"""Metering the project's own code on moto: DynamoDB capacity units from the real items, Lambda
invocations and their duration, Step Functions state transitions, events, SMS, KMS calls.

DynamoDB is metered on the wire: a botocore ``before-call``/``after-call`` hook on every client
created while the meter is installed (boto3's and the one pynamodb builds), which reads the
request and looks up the items it touches in moto's backend before and after the call: writes
cost the larger of the two item versions plus their index writes, GetItem the whole stored item
(whatever the projection). Query and Scan cost what they evaluate before any filter: moto's
``Table.query``/``Table.scan`` are wrapped to run the same request once more without the filter
and projection, and the sizes of those items (index entries, for an index) are what is charged.
The arithmetic is ``benchmarks.capacity_units``.

Every request also asks for ``ReturnConsumedCapacity=TOTAL``; where moto answers, its figure is
kept beside ours (``reported``). Moto 5.2.5 reports a constant per operation (1.0 for
PutItem/DeleteItem/Query/Scan, 0.5 for GetItem, nothing for UpdateItem and transactions), which is
DynamoDB's figure only for a small item and an eventually consistent read; the tests hold the two
to agreement exactly there.
"""

from __future__ import annotations

import inspect
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import botocore.session

from benchmarks.capacity_units import (
    IndexShape,
    Item,
    item_size,
    item_write_units,
    page_read_units,
    read_units,
)

ACCOUNT = "123456789012"


@dataclass(eq=False)
class Tally:
    """What a stretch of work cost."""

    rcu: float = 0.0
    wcu: float = 0.0
    index_wcu: float = 0.0
    dynamodb_requests: int = 0
    lambda_invocations: int = 0
    lambda_ms: float = 0.0
    api_requests: int = 0
    state_transitions: int = 0
    events: int = 0
    sms: int = 0
    kms_requests: int = 0
    sqs_requests: int = 0
    # (operation, ours, moto's) wherever moto reported consumed capacity.
    reported: list[tuple[str, float, float]] = field(default_factory=list)
    # "<table>" or "<table>/<index>" -> [read units, write units] (for the hot-partition model)
    by_key_space: dict[str, list[float]] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        for name in (
            "rcu",
            "wcu",
            "index_wcu",
            "dynamodb_requests",
            "lambda_invocations",
            "lambda_ms",
            "api_requests",
            "state_transitions",
            "events",
            "sms",
            "kms_requests",
            "sqs_requests",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.reported += other.reported
        for space, (rcu, wcu) in other.by_key_space.items():
            self.spend(space, rcu, wcu)

    def spend(self, space: str, rcu: float, wcu: float) -> None:
        units = self.by_key_space.setdefault(space, [0.0, 0.0])
        units[0] += rcu
        units[1] += wcu

    def figures(self) -> dict[str, Any]:
        """The figures the issue asks for per operation (wcu includes index writes)."""
        return {
            "rcu": round(self.rcu, 2),
            "wcu": round(self.wcu + self.index_wcu, 2),
            "lambda_invocations": self.lambda_invocations,
            "state_transitions": self.state_transitions,
            "events": self.events,
            "sms": self.sms,
        }

    def details(self) -> dict[str, Any]:
        return {
            "table_wcu": round(self.wcu, 2),
            "index_wcu": round(self.index_wcu, 2),
            "dynamodb_requests": self.dynamodb_requests,
            "api_requests": self.api_requests,
            "lambda_ms": round(self.lambda_ms, 1),
            "kms_requests": self.kms_requests,
            "sqs_requests": self.sqs_requests,
        }


_WRITES = {"PutItem": "Put", "UpdateItem": "Update", "DeleteItem": "Delete"}


class Meter:
    """Install once (``installed``), then ``window`` around what to measure; windows nest and
    every open window is charged."""

    def __init__(self, region: str, table_prefix: str = "") -> None:
        self.region = region
        self.table_prefix = table_prefix
        self._open: list[Tally] = []
        self._lock = threading.RLock()
        self._evaluated = threading.local()

    # --- charging ----------------------------------------------------------------------------

    def charge(self, **amounts: float) -> None:
        with self._lock:
            for tally in self._open:
                for name, amount in amounts.items():
                    setattr(tally, name, getattr(tally, name) + amount)

    def _spend(self, table: str, index: str | None, rcu: float, wcu: float) -> None:
        space = f"{table.removeprefix(self.table_prefix)}{'/' + index if index else ''}"
        with self._lock:
            for tally in self._open:
                tally.spend(space, rcu, wcu)

    def _report(self, operation: str, ours: float, theirs: float) -> None:
        with self._lock:
            for tally in self._open:
                tally.reported.append((operation, ours, theirs))

    @contextmanager
    def window(self, tally: Tally | None = None) -> Iterator[Tally]:
        tally = tally if tally is not None else Tally()
        with self._lock:
            self._open.append(tally)
        try:
            yield tally
        finally:
            with self._lock:
                self._open.remove(tally)

    # --- moto's tables ------------------------------------------------------------------------

    def _backend(self) -> Any:
        from moto.dynamodb.models import dynamodb_backends

        return dynamodb_backends[ACCOUNT][self.region]

    def stored(self, table_name: str, key: Item) -> dict[str, Any] | None:
        backend = self._backend()
        table = backend.get_table(table_name)
        hash_key, range_key = backend.get_keys_value(table, dict(key))
        item = table.get_item(hash_key, range_key)
        return item.to_json()["Attributes"] if item is not None else None

    def key_of(self, table_name: str, item: Item) -> dict[str, Any]:
        table = self._backend().get_table(table_name)
        names = [table.hash_key_attr, *([table.range_key_attr] if table.range_key_attr else [])]
        return {name: item[name] for name in names}

    def indexes(self, table_name: str) -> list[IndexShape]:
        table = self._backend().get_table(table_name)
        table_keys = (table.hash_key_attr, *([table.range_key_attr] if table.range_key_attr else []))
        return [
            IndexShape(
                index.name,
                tuple(key["AttributeName"] for key in index.schema),
                table_keys,
                index.projection.get("ProjectionType", "ALL"),
            )
            for index in (table.global_indexes or [])
        ]

    # --- the wire -----------------------------------------------------------------------------

    def _before(self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        operation = model.name
        body = json.loads(params.get("body") or b"{}")
        touched: list[tuple[str, dict[str, Any], dict[str, Any] | None, bool]] = []
        if operation in _WRITES:
            key = body.get("Key") or self.key_of(body["TableName"], body["Item"])
            touched.append((body["TableName"], key, self.stored(body["TableName"], key), False))
        elif operation == "BatchWriteItem":
            for name, requests in body.get("RequestItems", {}).items():
                for request in requests:
                    _kind, what = next(iter(request.items()))
                    key = what.get("Key") or self.key_of(name, what["Item"])
                    touched.append((name, key, self.stored(name, key), False))
        elif operation == "TransactWriteItems":
            for entry in body.get("TransactItems", []):
                (_, what) = next(iter(entry.items()))
                key = what.get("Key") or self.key_of(what["TableName"], what["Item"])
                touched.append((what["TableName"], key, self.stored(what["TableName"], key), True))
        self._evaluated.sizes = []
        context["capacity"] = (operation, body, touched)

    def _after(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        operation, body, touched = context.pop("capacity", (None, {}, []))
        if operation is None:
            return
        rcu = 0.0
        wcu = index_wcu = 0
        consistent = bool(body.get("ConsistentRead"))
        if operation == "GetItem":
            rcu = read_units(item_size(self.stored(body["TableName"], body["Key"])), consistent=consistent)
            self._spend(body["TableName"], None, rcu, 0)
        elif operation == "BatchGetItem":
            for name, request in body.get("RequestItems", {}).items():
                for key in request.get("Keys", []):
                    units = read_units(
                        item_size(self.stored(name, key)), consistent=bool(request.get("ConsistentRead"))
                    )
                    self._spend(name, None, units, 0)
                    rcu += units
        elif operation == "TransactGetItems":
            for entry in body.get("TransactItems", []):
                get = entry["Get"]
                units = read_units(
                    item_size(self.stored(get["TableName"], get["Key"])), consistent=True, transactional=True
                )
                self._spend(get["TableName"], None, units, 0)
                rcu += units
        elif operation in ("Query", "Scan"):
            pages = getattr(self._evaluated, "sizes", [])
            rcu = sum(page_read_units(sizes, consistent=consistent) for sizes in pages) if pages else 0.5
            self._spend(body["TableName"], body.get("IndexName"), rcu, 0)
        for table_name, key, before, transactional in touched:
            after = self.stored(table_name, key)
            table_units = item_write_units(before, after, transactional=transactional)[0]
            self._spend(table_name, None, 0, table_units)
            wcu += table_units
            for shape in self.indexes(table_name):
                shape_units = item_write_units(before, after, [shape], transactional=transactional)[1]
                if shape_units:
                    self._spend(table_name, shape.name, 0, shape_units)
                    index_wcu += shape_units
        self._evaluated.sizes = []
        self.charge(rcu=rcu, wcu=wcu, index_wcu=index_wcu, dynamodb_requests=1)
        reported = parsed.get("ConsumedCapacity")
        if isinstance(reported, dict) and "CapacityUnits" in reported:
            # moto's figure never includes index writes: compare the table's own units.
            self._report(operation, rcu + wcu, float(reported["CapacityUnits"]))

    @staticmethod
    def _ask_for_capacity(params: dict[str, Any], model: Any, **_: Any) -> None:
        if "ReturnConsumedCapacity" in model.input_shape.members:
            params.setdefault("ReturnConsumedCapacity", "TOTAL")

    def _put_events(self, params: dict[str, Any], **_: Any) -> None:
        self.charge(events=len(params.get("Entries", [])))

    def _kms(self, **_: Any) -> None:
        self.charge(kms_requests=1)

    def _sqs(self, **_: Any) -> None:
        self.charge(sqs_requests=1)

    def _register(self, client: Any) -> None:
        events = client.meta.events
        service = client.meta.service_model.service_name
        if service == "dynamodb":
            events.register("before-parameter-build.dynamodb", self._ask_for_capacity)
            events.register("before-call.dynamodb", self._before)
            events.register("after-call.dynamodb", self._after)
        elif service == "events":
            events.register("before-parameter-build.events.PutEvents", self._put_events)
        elif service == "kms":
            events.register("before-call.kms", self._kms)
        elif service == "sqs":
            events.register("before-call.sqs", self._sqs)

    # --- moto's Query and Scan: what they evaluate -------------------------------------------

    def _evaluating(self, original: Callable[..., Any], strip: tuple[str, ...]) -> Callable[..., Any]:
        signature = inspect.signature(original)
        meter = self

        def wrapped(table: Any, *args: Any, **kwargs: Any) -> Any:
            answer = original(table, *args, **kwargs)
            bound = signature.bind(table, *args, **kwargs)
            for name in strip:
                if name in bound.arguments:
                    bound.arguments[name] = None
            evaluated, _, _ = original(*bound.args, **bound.kwargs)
            sizes = getattr(meter._evaluated, "sizes", None)
            if sizes is not None:
                sizes.append([item_size(item.to_json()["Attributes"]) for item in evaluated])
            return answer

        return wrapped

    @contextmanager
    def installed(self) -> Iterator[Meter]:
        """Hook every botocore client created from now on, moto's Query/Scan, the in-process
        Lambda dispatcher and the local SMS outbox; all undone on exit."""
        from moto.dynamodb.models.table import Table

        import local.dispatch
        import local.lambdas
        from sevamitra.platform.sms import LocalOutbox

        create_client = botocore.session.Session.create_client
        original_query, original_scan = Table.query, Table.scan
        dispatch_call, lambdas_call = local.dispatch.call_handler, local.lambdas.call_handler
        original_send = LocalOutbox.send
        meter = self

        def hooked_create_client(session: Any, *args: Any, **kwargs: Any) -> Any:
            client = create_client(session, *args, **kwargs)
            meter._register(client)
            return client

        def timed_call(function: Any, module: str, event: Any, function_name: str) -> Any:
            started = time.perf_counter()
            try:
                return dispatch_call(function, module, event, function_name)
            finally:
                meter.charge(lambda_invocations=1, lambda_ms=(time.perf_counter() - started) * 1000)

        def counted_send(outbox: Any, message: Any) -> str:
            meter.charge(sms=1)
            return original_send(outbox, message)

        botocore.session.Session.create_client = hooked_create_client  # type: ignore[method-assign,assignment]
        Table.query = self._evaluating(  # type: ignore[method-assign]
            original_query, ("filter_expression", "projection_expressions")
        )
        Table.scan = self._evaluating(  # type: ignore[method-assign]
            original_scan, ("filter_expression", "projection_expression")
        )
        local.dispatch.call_handler = timed_call
        local.lambdas.call_handler = timed_call
        LocalOutbox.send = counted_send  # type: ignore[method-assign,assignment]
        try:
            yield self
        finally:
            botocore.session.Session.create_client = create_client  # type: ignore[method-assign]
            Table.query, Table.scan = original_query, original_scan  # type: ignore[method-assign]
            local.dispatch.call_handler, local.lambdas.call_handler = dispatch_call, lambdas_call
            LocalOutbox.send = original_send  # type: ignore[method-assign]
