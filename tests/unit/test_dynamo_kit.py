"""The DynamoDB kit (``sevamitra.data.dynamo``) and what it replaced: a refused condition and a
cancelled transaction are decoded in one module, a professional is read as one snapshot, and the
functions and the data layer say "verified" and "banned" only through ``ProfessionalStatus``."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from botocore.exceptions import ClientError
from pynamodb.exceptions import (
    CancellationReason,
    DoesNotExist,
    GetError,
    PutError,
    TransactWriteError,
    UpdateError,
    VerboseClientError,
)

from local.paths import ROOT, pythonpath
from sevamitra.data import dynamo
from sevamitra.edge.errors import DependencyFailed, Throttled

LAYER = ROOT / "layers/common/python/sevamitra"
DATA = LAYER / "data"
FUNCTIONS = ROOT / "functions"


def _client_error(code: str, reasons: list[CancellationReason | None] | None = None) -> VerboseClientError:
    return VerboseClientError(
        {"Error": {"Code": code, "Message": "m"}}, "TransactWriteItems", cancellation_reasons=reasons or []
    )


def _cancelled(*reasons: CancellationReason | None) -> TransactWriteError:
    return TransactWriteError("Failed", _client_error("TransactionCanceledException", list(reasons)))


def _refused(item: dict[str, Any] | None = None) -> CancellationReason:
    return CancellationReason(code="ConditionalCheckFailed", raw_item=item)


class _Connection:
    """Stands in for pynamodb's Connection: the transaction's commit raises ``error``, if any."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error

    def transact_write_items(self, **_: Any) -> dict[str, Any]:
        if self.error is not None:
            raise self.error
        return {}


def _transact_with(monkeypatch: pytest.MonkeyPatch, error: Exception | None) -> dynamo.Outcome:
    monkeypatch.setattr(dynamo, "connection", lambda: _Connection(error))
    return dynamo.transact("The test write", lambda tx: None)


# --- a read ------------------------------------------------------------------------------------------


class _Table:
    """Stands in for a pynamodb model: ``get`` answers from ``items`` or fails with ``error``."""

    items: ClassVar[dict[str, object]] = {"pro_1": "the item"}
    error: ClassVar[Exception | None] = None
    reads: ClassVar[list[tuple[str, bool]]] = []

    @classmethod
    def get(cls, key: str, consistent_read: bool = False) -> object:
        cls.reads.append((key, consistent_read))
        if cls.error is not None:
            raise cls.error
        if key not in cls.items:
            raise DoesNotExist()
        return cls.items[key]


def test_a_read_is_consistent_and_a_missing_item_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_Table, "reads", [])
    assert dynamo.read("The test read", _Table, "pro_1") == "the item"
    assert dynamo.read("The test read", _Table, "pro_2") is None
    assert _Table.reads == [("pro_1", True), ("pro_2", True)]


def test_a_failed_read_is_503(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_Table, "error", GetError("Failed", _client_error("InternalServerError")))
    with pytest.raises(DependencyFailed, match="The test read failed"):
        dynamo.read("The test read", _Table, "pro_1")


# --- a conditional write ---------------------------------------------------------------------------


def _raising(error: Exception) -> Callable[[], None]:
    def write() -> None:
        raise error

    return write


def test_a_write_whose_condition_held_is_true() -> None:
    assert dynamo.conditional("The test write", lambda: None) is True


@pytest.mark.parametrize(
    "error",
    [
        UpdateError("Failed", _client_error("ConditionalCheckFailedException")),
        PutError("Failed", _client_error("ConditionalCheckFailedException")),
        ClientError({"Error": {"Code": "ConditionalCheckFailedException"}}, "UpdateItem"),
    ],
    ids=["pynamodb update", "pynamodb put", "botocore"],
)
def test_a_write_refused_by_its_condition_is_false(error: Exception) -> None:
    assert dynamo.conditional("The test write", _raising(error)) is False


def test_any_other_failure_of_a_conditional_write_is_503_or_429() -> None:
    failed = UpdateError("Failed", _client_error("InternalServerError"))
    with pytest.raises(DependencyFailed, match="The test write failed"):
        dynamo.conditional("The test write", _raising(failed))
    throttled = ClientError({"Error": {"Code": "ProvisionedThroughputExceededException"}}, "PutItem")
    with pytest.raises(Throttled, match="The test write is busy"):
        dynamo.conditional("The test write", _raising(throttled))


# --- a transaction ---------------------------------------------------------------------------------


def test_a_committed_transaction_is_done_and_has_no_reasons(monkeypatch: pytest.MonkeyPatch) -> None:
    outcome = _transact_with(monkeypatch, None)
    assert (outcome.done, outcome.cancelled, outcome.reasons) == (True, False, [])


def test_refused_items_are_named_by_the_labels_in_the_order_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a transaction of four items, of which the second and fourth were refused
    error = _cancelled(None, _refused(), None, _refused())
    # When it is decoded
    outcome = _transact_with(monkeypatch, error)
    # Then the labels of exactly those items come back, and nothing else is claimed
    assert outcome.refused(["ban", "id", "identity", "account"]) == {"id", "account"}
    assert (outcome.cancelled, outcome.condition_failed, outcome.conflict) == (True, True, False)
    assert outcome.error is error


def test_the_items_as_they_were_come_back_only_for_refused_writes_that_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counter = {"account_sub": {"S": "citizen-1"}, "requested": {"N": "3"}}
    outcome = _transact_with(monkeypatch, _cancelled(_refused(counter), _refused(), None))
    assert list(outcome.refused_items()) == [counter]


@pytest.mark.parametrize(
    "error",
    [
        _cancelled(None, CancellationReason(code="TransactionConflict")),
        TransactWriteError("Failed", _client_error("TransactionConflictException")),
    ],
    ids=["a reason", "the error itself"],
)
def test_a_conflicting_transaction_is_a_conflict(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    outcome = _transact_with(monkeypatch, error)
    assert (outcome.done, outcome.conflict, outcome.condition_failed) == (False, True, False)


def test_a_cancellation_the_caller_cannot_answer_is_reraised_as_503(monkeypatch: pytest.MonkeyPatch) -> None:
    error = _cancelled(CancellationReason(code="ValidationError"))
    outcome = _transact_with(monkeypatch, error)
    assert (outcome.condition_failed, outcome.conflict) == (False, False)
    with pytest.raises(DependencyFailed, match="The test write failed") as raised:
        outcome.reraise()
    assert raised.value.__cause__ is error


@pytest.mark.parametrize(
    ("code", "answer"),
    [("InternalServerError", DependencyFailed), ("ProvisionedThroughputExceededException", Throttled)],
)
def test_a_transaction_that_failed_without_a_cancellation_is_raised(
    monkeypatch: pytest.MonkeyPatch, code: str, answer: type[Exception]
) -> None:
    with pytest.raises(answer):
        _transact_with(monkeypatch, TransactWriteError("Failed", _client_error(code)))


# --- said once ---------------------------------------------------------------------------------------


def _python(*roots: Path) -> list[Path]:
    return sorted(path for root in roots for path in root.rglob("*.py"))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_only_the_kit_decodes_dynamodb_outcomes_or_makes_a_connection() -> None:
    words = ("ConditionalCheckFailed", "TransactionCanceled", "cancellation_reasons", "Connection(")
    said = sorted(
        f"{_name(path)}: {word}"
        for path in _python(DATA)
        if path.name != "dynamo.py"
        for word in words
        if word in path.read_text(encoding="utf-8")
    )
    assert said == []


def test_a_professional_item_is_turned_into_a_snapshot_in_one_place() -> None:
    readers = [path.name for path in _python(DATA) if "IndexSubject.from_model(" in path.read_text("utf-8")]
    assert readers == ["snapshots.py"]


def test_the_functions_use_only_the_geo_index_search() -> None:
    # The searches (nearest first; the distance to the nearest beyond a radius) and the value a
    # snapshot carries (IndexSubject: read, never written, by a function).
    public = {"nearest", "Nearby", "nearest_distance_within", "IndexSubject"}
    reached: list[str] = []
    for path in _python(FUNCTIONS):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "sevamitra.data.geo_index":
                names = [alias.name for alias in node.names]
                reached += [f"{_name(path)}: {name}" for name in names if name not in public]
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "geo_index"
                and node.attr not in public
            ):
                reached.append(f"{_name(path)}: geo_index.{node.attr}")
    assert reached == []


STATUS_WORDS = {"verified", "banned"}
# The one declaration of the statuses, and the audit trail's actions (what was decided, which
# happen to share two words with the statuses; an action is not a status).
# domain/events.py: ``banned`` there is the name of an event kind (API.md), not a status.
STATUS_DECLARED_IN = {
    LAYER / "domain/professionals.py",
    LAYER / "domain/audit.py",
    LAYER / "domain/events.py",
}


def _status_literals(tree: ast.AST) -> list[int]:
    """Lines that name a status word as a constant or compare something with one."""
    lines = []
    for node in ast.walk(tree):
        values: list[ast.expr] = []
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            values = [node.value]
        elif isinstance(node, ast.Compare) and all(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            values = [node.left, *node.comparators]
        if any(isinstance(v, ast.Constant) and v.value in STATUS_WORDS for v in values):
            lines.append(node.lineno)
    return lines


def test_verified_and_banned_are_said_only_by_the_status_enum() -> None:
    found = [
        f"{_name(path)}:{line}"
        for path in _python(LAYER, FUNCTIONS)
        if path not in STATUS_DECLARED_IN
        for line in _status_literals(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []


def test_a_search_does_not_load_the_professional_models() -> None:
    # The geo index imports eligible() where it writes: match only searches (its cold start).
    probe = "import sys, match.handler; print('sevamitra.domain.professionals' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": pythonpath(), "AWS_REGION": "ap-south-1"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"
