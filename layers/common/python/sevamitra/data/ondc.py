"""The ONDC seller platform's own records (table ``ondc``, ``OndcModel``), one item per key:

- ``msg#<bap_id>#<message_id>``: a buyer app's request, claimed once with
  ``attribute_not_exists(pk)`` before it is queued (a replayed ``message_id`` does nothing), and
  deleted by TTL after ``MESSAGE_TTL_S``;
- ``txn#<bap_id>#<transaction_id>``: the order a buyer app is building (select, then init);
- ``order#<booking_id>``: a confirmed order, which buyer app it belongs to, where its callbacks
  go, and the booking status last told to it (``told``). While the booking may still change it is
  in the sparse ``tracked`` index, which the unsolicited ``on_status`` sweep reads.

Bookings themselves live in the bookings table, written by ``sevamitra.data.bookings``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pynamodb.expressions.update import Action

from sevamitra.data import dynamo
from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import OndcModel

MESSAGE = "msg#"
TRANSACTION = "txn#"
ORDER = "order#"
TRACKED = "open"
MESSAGE_TTL_S = 7 * 24 * 3600
TRANSACTION_TTL_S = 7 * 24 * 3600


def message_key(bap_id: str, message_id: str) -> str:
    return f"{MESSAGE}{bap_id}#{message_id}"


def transaction_key(bap_id: str, transaction_id: str) -> str:
    return f"{TRANSACTION}{bap_id}#{transaction_id}"


def order_key(booking_id: str) -> str:
    return f"{ORDER}{booking_id}"


def claim_message(bap_id: str, message_id: str, now_s: int) -> bool:
    """True the first time this buyer app's ``message_id`` is seen; False for a replay."""
    item = OndcModel(message_key(bap_id, message_id), expires=now_s + MESSAGE_TTL_S)
    return dynamo.conditional(
        "Recording the ONDC message", lambda: item.save(condition=OndcModel.pk.does_not_exist())
    )


def release_message(bap_id: str, message_id: str) -> None:
    """Forget a claimed message whose work could not be queued: the buyer app may send it again."""
    with dependency_errors("Releasing the ONDC message"):
        OndcModel(message_key(bap_id, message_id)).delete()


def _body(item: OndcModel | None) -> dict[str, Any] | None:
    return None if item is None or item.body is None else dict(json.loads(item.body))


def get_transaction(bap_id: str, transaction_id: str) -> dict[str, Any] | None:
    return _body(dynamo.read("ONDC transaction look-up", OndcModel, transaction_key(bap_id, transaction_id)))


def put_transaction(bap_id: str, transaction_id: str, body: dict[str, Any], now_s: int) -> None:
    """The order as selected and initialised so far (the last writer wins: a buyer app builds
    its own transaction, one step at a time)."""
    item = OndcModel(
        transaction_key(bap_id, transaction_id),
        body=json.dumps(body, separators=(",", ":")),
        expires=now_s + TRANSACTION_TTL_S,
    )
    with dependency_errors("Saving the ONDC transaction"):
        item.save()


class Order(dict[str, Any]):
    """A confirmed order as stored (``booking_id``, ``bap_id``, ``bap_uri``, ``transaction_id``,
    ``context`` and ``told``: the booking status last sent to the buyer app)."""

    @property
    def booking_id(self) -> str:
        return str(self["booking_id"])

    @property
    def told(self) -> str | None:
        value = self.get("told")
        return None if value is None else str(value)


def _order(item: OndcModel | None) -> Order | None:
    body = _body(item)
    if item is None or body is None:
        return None
    return Order({**body, "told": item.told})


def get_order(booking_id: str) -> Order | None:
    return _order(dynamo.read("ONDC order look-up", OndcModel, order_key(booking_id)))


def put_order(booking_id: str, body: dict[str, Any], told: str) -> bool:
    """Record a confirmed order once: False when it is already recorded (a retried confirm)."""
    item = OndcModel(
        order_key(booking_id), body=json.dumps(body, separators=(",", ":")), told=told, tracked=TRACKED
    )
    return dynamo.conditional(
        "Recording the ONDC order", lambda: item.save(condition=OndcModel.pk.does_not_exist())
    )


def mark_told(booking_id: str, before: str | None, told: str, *, final: bool) -> bool:
    """The buyer app now knows the booking is ``told`` (only if it was told ``before`` until now:
    two senders never both report one change); a final status leaves the ``tracked`` index."""
    condition = OndcModel.told == before if before is not None else OndcModel.told.does_not_exist()
    actions: list[Action] = [OndcModel.told.set(told)]
    if final:
        actions.append(OndcModel.tracked.remove())
    return dynamo.conditional(
        "Recording the status told",
        lambda: OndcModel(order_key(booking_id)).update(actions=actions, condition=condition),
    )


def tracked_orders() -> Iterator[Order]:
    """Every order whose booking may still change, from the sparse ``tracked`` index."""
    with dependency_errors("Listing the ONDC orders"):
        for item in OndcModel.tracked_orders.query(TRACKED):
            order = _order(item)
            if order is not None:
                yield order


# --- issues (ONDC IGM) ----------------------------------------------------------------------------

# ``issue#<complaint_id>``: a buyer app's issue and the complaint it became (``ondc/issues.py``),
# where its callbacks go, and the complaint status last told (``told``). While the complaint is
# undecided it is in the ``tracked`` index under its own partition, which the tracker reads.
ISSUE = "issue#"
TRACKED_ISSUE = "issue"


def issue_key(complaint_id: str) -> str:
    return f"{ISSUE}{complaint_id}"


class IssueRecord(dict[str, Any]):
    """``issue_id``, ``complaint_id``, ``booking_id``, ``bap_id``, ``bap_uri``, ``context``,
    ``issue`` (as the buyer app sent it) and ``told``."""

    @property
    def complaint_id(self) -> str:
        return str(self["complaint_id"])

    @property
    def told(self) -> str | None:
        value = self.get("told")
        return None if value is None else str(value)


def _issue(item: OndcModel | None) -> IssueRecord | None:
    body = _body(item)
    if item is None or body is None:
        return None
    return IssueRecord({**body, "told": item.told})


def get_issue(complaint_id: str) -> IssueRecord | None:
    return _issue(dynamo.read("ONDC issue look-up", OndcModel, issue_key(complaint_id)))


def put_issue(complaint_id: str, body: dict[str, Any], told: str) -> bool:
    """Record an issue once: False when it is already recorded (a redelivered issue)."""
    item = OndcModel(
        issue_key(complaint_id),
        body=json.dumps(body, separators=(",", ":")),
        told=told,
        tracked=TRACKED_ISSUE,
    )
    return dynamo.conditional(
        "Recording the ONDC issue", lambda: item.save(condition=OndcModel.pk.does_not_exist())
    )


def mark_issue_told(complaint_id: str, before: str | None, told: str, *, final: bool) -> bool:
    """The buyer app now knows the complaint is ``told`` (only if it was told ``before``); a
    decided complaint leaves the ``tracked`` index."""
    condition = OndcModel.told == before if before is not None else OndcModel.told.does_not_exist()
    actions: list[Action] = [OndcModel.told.set(told)]
    if final:
        actions.append(OndcModel.tracked.remove())
    return dynamo.conditional(
        "Recording the issue status told",
        lambda: OndcModel(issue_key(complaint_id)).update(actions=actions, condition=condition),
    )


def tracked_issues() -> Iterator[IssueRecord]:
    """Every issue whose complaint is still undecided."""
    with dependency_errors("Listing the ONDC issues"):
        for item in OndcModel.tracked_orders.query(TRACKED_ISSUE):
            issue = _issue(item)
            if issue is not None:
                yield issue
