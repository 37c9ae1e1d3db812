"""Short references sent by SMS: what a professional types back after ``HAAN`` or ``NA`` for a
booking request, and what a citizen types after ``PAID <amount>`` for a completed booking.

Five characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B), about
5.1 million of them. A request's candidates are derived from its booking and professional, so a
retried delivery finds the reference it already holds; a candidate held by another live request is
skipped for the next one. A reference is free again once its request is no longer live
(``live_until``, the booking's ``expires_at``); the book function checks the booking itself too.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sevamitra.data import notifications
from sevamitra.edge.errors import DependencyFailed
from sevamitra.platform.clock import iso, parse_iso, utc_now

ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
LENGTH = 5
MAX_CANDIDATES = 20
# References stay readable for a day after their request ends (a late reply gets "not understood").
KEEP_AFTER_S = 24 * 3600
# A completed booking's payment reference (``PAID <amount> <ref>`` from its citizen) stays live
# this long after completion.
PAYMENT_REF_LIVE_S = 7 * 24 * 3600


def payment_reference_for(booking_id: str, professional_id: str, completed_at: str) -> str:
    """The reference the ``booking_completed`` SMS names for the citizen's ``PAID`` reply."""
    live_until = iso(parse_iso(completed_at) + timedelta(seconds=PAYMENT_REF_LIVE_S))
    return reference_for(booking_id, professional_id, live_until, notifications.PAYMENT_REF)


def candidate(
    booking_id: str, professional_id: str, attempt: int, purpose: str = notifications.REQUEST_REF
) -> str:
    seed = f"{booking_id}|{professional_id}|{attempt}"
    if purpose != notifications.REQUEST_REF:
        seed += f"|{purpose}"
    number = int.from_bytes(hashlib.sha256(seed.encode()).digest())
    letters = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[index])
    return "".join(letters)


def reference_for(
    booking_id: str, professional_id: str, live_until: str, purpose: str = notifications.REQUEST_REF
) -> str:
    now = utc_now()
    expires = int((parse_iso(live_until) + timedelta(seconds=KEEP_AFTER_S)).timestamp())
    for attempt in range(MAX_CANDIDATES):
        ref = candidate(booking_id, professional_id, attempt, purpose)
        claimed = notifications.claim_reference(
            notifications.SmsReference(ref, booking_id, professional_id, live_until, purpose),
            iso(now),
            expires,
        )
        if claimed:
            return ref
    raise DependencyFailed(message="No free SMS reference; the delivery is retried.")
