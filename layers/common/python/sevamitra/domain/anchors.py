"""Anchoring the audit trail: a chain's head (``seq`` and ``hash``) copied to write-once storage.

The hash chain alone catches an edited, reordered or removed middle entry, but deleting the
newest entries leaves a valid shorter chain. An anchor outside the table says "this subject's
chain reached ``seq`` with ``hash``": a trail that no longer holds that entry, or holds another
one in its place, fails verification. ``anchored_through`` tells an officer how much of the trail
the anchors vouch for (entries after it are only as good as the table).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sevamitra.domain.audit import AuditEntry, verify_chain


class Anchor(NamedTuple):
    subject: str
    seq: int
    hash: str
    anchored_at: str


class AnchoredCheck(NamedTuple):
    valid: bool
    broken_at: int | None = None
    anchored_through: int | None = None


def verify_anchored(entries: Sequence[AuditEntry], anchor: Anchor | None) -> AnchoredCheck:
    """The chain check, and then the anchor: the anchored entry must still be there, unchanged.
    A trail shorter than the anchor is broken at its first missing ``seq``."""
    through = anchor.seq if anchor is not None else None
    check = verify_chain(entries)
    if not check.valid:
        return AnchoredCheck(False, check.broken_at, through)
    if anchor is None:
        return AnchoredCheck(True, None, None)
    # A valid chain numbers its entries 1..n without a gap.
    anchored = next((entry for entry in entries if entry.seq == anchor.seq), None)
    if anchored is None:
        return AnchoredCheck(False, len(entries) + 1, through)
    if anchored.hash != anchor.hash:
        return AnchoredCheck(False, anchor.seq, through)
    return AnchoredCheck(True, None, through)
