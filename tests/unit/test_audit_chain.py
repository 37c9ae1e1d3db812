"""The audit hash chain: canonical hashing, linking, and finding where a trail was tampered with."""

from __future__ import annotations

from sevamitra.domain.audit import GENESIS, AuditEntry, canonical_json, entry_hash, next_entry, verify_chain


def _trail(n: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for i in range(n):
        entries.append(
            next_entry(
                entries[-1] if entries else None,
                subject="pro_1",
                at=f"2026-11-27T10:00:0{i}Z",
                actor="officer-1",
                action="complaint_dismissed",
                evidence={"complaint_id": f"cmp_{i}", "remarks": "टिप्पणी", "fee_paise": 20000},
            )
        )
    return entries


def test_entries_are_numbered_from_one_and_linked_from_genesis() -> None:
    trail = _trail(3)
    assert [e.seq for e in trail] == [1, 2, 3]
    assert trail[0].prev_hash == GENESIS
    assert trail[1].prev_hash == trail[0].hash
    assert trail[2].prev_hash == trail[1].hash
    assert verify_chain(trail).valid
    assert verify_chain([]).valid


def test_hash_covers_every_field_but_itself_in_canonical_form() -> None:
    entry = _trail(1)[0]
    body = entry.model_dump(mode="json", exclude={"hash"})
    assert entry.hash == entry_hash(body)
    assert canonical_json({"b": 1, "a": [2, "ü"]}) == '{"a":[2,"ü"],"b":1}'
    assert entry_hash(dict(reversed(list(body.items())))) == entry.hash


def test_an_edited_entry_breaks_the_chain_at_that_entry() -> None:
    trail = _trail(4)
    edited = trail[2].model_copy(update={"evidence": {**trail[2].evidence, "remarks": "changed"}})
    check = verify_chain([trail[0], trail[1], edited, trail[3]])
    assert (check.valid, check.broken_at) == (False, 3)


def test_a_rehashed_edit_still_breaks_the_link_to_the_next_entry() -> None:
    trail = _trail(4)
    body = {**trail[1].model_dump(mode="json", exclude={"hash"}), "actor": "someone-else"}
    forged = AuditEntry(**body, hash=entry_hash(body))
    check = verify_chain([trail[0], forged, trail[2], trail[3]])
    assert (check.valid, check.broken_at) == (False, 3)


def test_a_removed_or_reordered_entry_breaks_the_chain() -> None:
    trail = _trail(4)
    assert verify_chain([trail[0], trail[1], trail[3]]).broken_at == 4
    swapped = [trail[0], trail[2].model_copy(update={"seq": 2}), trail[1].model_copy(update={"seq": 3})]
    assert verify_chain(swapped).broken_at == 2
