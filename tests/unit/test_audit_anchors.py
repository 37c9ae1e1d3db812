"""Checking a trail against its newest anchor (sevamitra.domain.anchors)."""

from __future__ import annotations

from sevamitra.domain.anchors import Anchor, AnchoredCheck, verify_anchored
from sevamitra.domain.audit import AuditEntry, next_entry


def _trail(count: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for n in range(count):
        entries.append(
            next_entry(
                entries[-1] if entries else None,
                subject="pro_1",
                at=f"2026-12-01T10:00:0{n}Z",
                actor="officer",
                action="complaint_dismissed",
                evidence={"n": n},
            )
        )
    return entries


def _anchor(entry: AuditEntry) -> Anchor:
    return Anchor(entry.subject, entry.seq, entry.hash, "2026-12-01T10:05:00Z")


def test_an_intact_trail_is_valid_through_its_anchor() -> None:
    trail = _trail(3)
    assert verify_anchored(trail, _anchor(trail[1])) == AnchoredCheck(True, None, 2)


def test_an_unanchored_trail_is_only_chain_checked() -> None:
    assert verify_anchored(_trail(2), None) == AnchoredCheck(True, None, None)


def test_a_trail_cut_below_its_anchor_is_broken_at_the_first_missing_entry() -> None:
    trail = _trail(4)
    assert verify_anchored(trail[:2], _anchor(trail[3])) == AnchoredCheck(False, 3, 4)
    assert verify_anchored([], _anchor(trail[0])) == AnchoredCheck(False, 1, 1)


def test_a_different_entry_at_the_anchored_seq_is_broken_there() -> None:
    trail = _trail(2)
    other = next_entry(
        trail[0], subject="pro_1", at="2026-12-01T11:00:00Z", actor="x", action="y", evidence={}
    )
    assert verify_anchored([trail[0], other], _anchor(trail[1])) == AnchoredCheck(False, 2, 2)


def test_a_broken_chain_is_reported_where_it_breaks() -> None:
    trail = _trail(3)
    assert verify_anchored([trail[0], trail[2]], _anchor(trail[2])) == AnchoredCheck(False, 3, 3)
