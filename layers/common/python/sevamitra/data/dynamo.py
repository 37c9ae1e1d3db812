"""DynamoDB outcomes, said once for every repository.

- ``connection()``: the one pynamodb ``Connection`` a process runs its transactions on.
- ``read(what, model, key)``: one item by key (a consistent read), or ``None`` when there is none.
- ``conditional(what, write)``: a single-item write with a condition, as ``True`` (written) or
  ``False`` (its condition did not hold, nothing was written). ``condition_failed(exc)`` is the
  same test for code that reads the refusal itself (the rate limiter's raw ``UpdateItem``).
- ``transact(what, add)``: one ``TransactWriteItems`` as an ``Outcome``: done, or cancelled with
  DynamoDB's reasons decoded per item (which conditions failed, a conflicting transaction, the
  items as they were for writes that asked for ``ALL_OLD``).

Every other SDK failure is raised as ``Throttled`` (429) or ``DependencyFailed`` (503)
(``errors.dependency_errors``): only a refused condition or a cancellation comes back as a value,
and ``Outcome.reraise`` turns a cancellation the caller has no answer for into that same 503.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NoReturn, TypeVar

from botocore.exceptions import ClientError
from pynamodb.connection import Connection
from pynamodb.exceptions import CancellationReason, DoesNotExist, PynamoDBException, TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from sevamitra.data.errors import dependency_error, dependency_errors, error_code
from sevamitra.platform.settings import settings

Label = TypeVar("Label")
M = TypeVar("M", bound=Model)

_WRITE_REFUSED = "ConditionalCheckFailedException"  # a single-item write's error code
_ITEM_REFUSED = "ConditionalCheckFailed"  # an item's reason in a cancelled transaction
_CANCELLED = "TransactionCanceledException"
# Another transaction on one of the items at that instant: a reason code of a cancelled
# transaction (and the error code DynamoDB gives a single-item write that meets a transaction).
_CONFLICTS = frozenset({"TransactionConflict", "TransactionConflictException"})


@cache
def connection() -> Connection:
    """One per process: each new Connection builds its own botocore session and client (about
    100 ms). pynamodb's ``TransactWrite`` needs one passed in."""
    return Connection(region=settings().aws_region)


def read(what: str, model: type[M], key: str) -> M | None:
    """The item of ``model`` stored under ``key`` (a consistent read), or ``None``."""
    with dependency_errors(what):
        try:
            return model.get(key, consistent_read=True)
        except DoesNotExist:
            return None


def condition_failed(exc: BaseException) -> bool:
    """Whether a single-item write (pynamodb's or botocore's) was refused by its condition."""
    return error_code(exc) == _WRITE_REFUSED


def conditional(what: str, write: Callable[[], object]) -> bool:
    """Run ``write``, one put, update or delete with a condition: True when it was written, False
    when its condition did not hold."""
    with dependency_errors(what):
        try:
            write()
        except (PynamoDBException, ClientError) as exc:
            if not condition_failed(exc):
                raise
            return False
    return True


@dataclass(frozen=True)
class Outcome:
    """What became of a transaction: done (no ``error``), or cancelled by DynamoDB, or refused
    for a conflicting transaction. ``reasons`` are DynamoDB's, one per item in the order pynamodb
    sent them (condition checks first, then puts, updates and deletes, each in call order), with
    ``None`` for an item that was not why."""

    what: str
    error: TransactWriteError | None = None

    @property
    def done(self) -> bool:
        return self.error is None

    @property
    def cancelled(self) -> bool:
        """DynamoDB cancelled it (``TransactionCanceledException``): ``reasons`` say why."""
        return self.error is not None and self.error.cause_response_code == _CANCELLED

    @property
    def reasons(self) -> list[CancellationReason | None]:
        return list(self.error.cancellation_reasons) if self.error is not None and self.cancelled else []

    @property
    def condition_failed(self) -> bool:
        """A condition of one of its items did not hold: the state moved on, re-read."""
        return any(_refused(reason) for reason in self.reasons)

    @property
    def conflict(self) -> bool:
        """Another transaction on one of its items at that instant: back off, then re-read."""
        return self.error is not None and (
            self.error.cause_response_code in _CONFLICTS
            or any(reason is not None and reason.code in _CONFLICTS for reason in self.reasons)
        )

    def refused(self, labels: Sequence[Label]) -> set[Label]:
        """Of ``labels`` (one per item, in the order sent), those of the items whose condition
        did not hold."""
        return {label for label, reason in zip(labels, self.reasons, strict=False) if _refused(reason)}

    def refused_items(self) -> Iterator[dict[str, Any]]:
        """The stored items (DynamoDB attribute values) whose condition did not hold, for the
        writes that asked for them (``return_values=ALL_OLD``)."""
        for reason in self.reasons:
            if reason is not None and _refused(reason) and reason.raw_item:
                yield reason.raw_item

    def reraise(self) -> NoReturn:
        """For a cancellation the caller has no answer for: the dependency failure it is (503,
        or 429 when throttled; retry-safe, nothing was written)."""
        if self.error is None:
            raise RuntimeError(f"{self.what}: a committed transaction has nothing to raise")
        raise dependency_error(self.what, self.error) from self.error


def _refused(reason: CancellationReason | None) -> bool:
    return reason is not None and reason.code == _ITEM_REFUSED


def transact(what: str, add: Callable[[TransactWrite], object]) -> Outcome:
    """Write what ``add`` puts into ``tx`` in one transaction. Committed or cancelled, the answer
    is the ``Outcome``; any other failure is raised as ``Throttled``/``DependencyFailed``."""
    with dependency_errors(what):
        try:
            with TransactWrite(connection=connection()) as tx:
                add(tx)
        except TransactWriteError as exc:
            if exc.cause_response_code != _CANCELLED and exc.cause_response_code not in _CONFLICTS:
                raise
            return Outcome(what, exc)
    return Outcome(what)
