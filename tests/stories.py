"""Facts several test tiers assert the same way: the history of a professional the police
cleared, and valid identities for fresh registrations."""

from __future__ import annotations

from sevamitra.domain.types import verhoeff_check_digit

# GET /professionals/{id} -> verification.history as (stage, outcome), for a first submission
# that passed the document check and that the police answered "clear".
CLEARED_HISTORY = [
    ("registered", None),
    ("submitted", None),
    ("document_check", "passed"),
    ("police_requested", None),
    ("police_answered", "clear"),
    ("decision", "verified"),
]


def identity(seed: int, *, series: int) -> tuple[str, str]:
    """A Verhoeff-valid Aadhaar and a valid mobile number, distinct per (series, seed)."""
    aadhaar = f"{series}{seed % 10**10:010d}"
    return aadhaar + verhoeff_check_digit(aadhaar), f"{series}{seed % 10**9:09d}"
