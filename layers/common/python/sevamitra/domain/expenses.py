"""Expenses and the citizen's payment record: what a booking may cost beyond its fixed fee, and
what the citizen says they paid (API.md, "Fair outcomes").

Materials bought for the job are outside the fixed fee, but never a hidden charge: the assigned
professional claims them while the work is in progress, the citizen approves or disputes each
claim. What may be collected is the fee plus the APPROVED expenses; anything above it (declared
by the professional at completion, or stated by the citizen afterwards) is an overcharge, and so
is a disputed claim. Expenses live on their booking (``Booking.expenses``, by id) so that every
decision is one conditional write of one item.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

MAX_EXPENSES = 10
"""Expense claims per booking (a booking item stays small; a real job has a handful)."""
MAX_ITEMS = 20
"""Lines per claim."""
MAX_DESCRIPTION = 200
MAX_ITEM_PAISE = 10_000_000
"""₹1,00,000 a line: far above any material a household job needs, far below an overflow."""
MAX_RECEIPTS = 5
"""Receipt uploads per claim (a claim's receipts live on the booking item too)."""
RECEIPT_PREFIX = "receipts/"
"""Receipts live under this prefix of the documents bucket, one folder per booking and claim;
the book function may sign uploads there and nowhere else (infra/access.py)."""


def receipt_key(booking_id: str, expense_id: str, receipt_id: str) -> str:
    return f"{RECEIPT_PREFIX}{booking_id}/{expense_id}/{receipt_id}"


class ExpenseStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    DISPUTED = "disputed"


class PaymentVia(StrEnum):
    API = "api"
    SMS = "sms"


def approved_paise(expenses: Mapping[str, Mapping[str, Any]] | None) -> int:
    """The sum of the approved claims."""
    return sum(
        int(record.get("total_paise", 0))
        for record in (expenses or {}).values()
        if record.get("status") == ExpenseStatus.APPROVED
    )


def pending_ids(expenses: Mapping[str, Mapping[str, Any]] | None) -> list[str]:
    """The claims still awaiting the citizen's answer: a write that relies on the approved sum
    is conditional on these staying pending (nothing else can change the sum)."""
    return sorted(
        expense_id
        for expense_id, record in (expenses or {}).items()
        if record.get("status") == ExpenseStatus.PENDING_APPROVAL
    )


def allowed_paise(fee_paise: int, expenses: Mapping[str, Mapping[str, Any]] | None) -> int:
    """What may be collected: the fixed fee plus the approved expenses."""
    return fee_paise + approved_paise(expenses)


def receipts_of(expenses: Mapping[str, Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """Every claim's receipts, each with its ``receipt_id`` and ``expense_id``, oldest first: what
    a complaint about the booking shows as evidence."""
    listed = [
        {"receipt_id": receipt_id, "expense_id": expense_id, **receipt}
        for expense_id, record in (expenses or {}).items()
        for receipt_id, receipt in (record.get("receipts") or {}).items()
    ]
    return sorted(listed, key=lambda receipt: receipt_order(receipt["receipt_id"], receipt))


def receipt_order(receipt_id: str, receipt: Mapping[str, Any]) -> tuple[str, int, str]:
    """Oldest first; within one second (``requested_at`` has whole seconds, ids are random) by
    the place each receipt claimed on its claim when it was recorded (docs/decisions.md)."""
    return (str(receipt.get("requested_at")), int(receipt.get("place", -1)), receipt_id)
