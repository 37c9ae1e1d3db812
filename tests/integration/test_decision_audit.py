"""The police decision and its audit entry are one transaction: a verified (or rejected)
professional is never seen without the entry, nor the entry without the decision. (The e2e
story read the trail right after the profile turned verified and, under load, found it empty.)"""

from __future__ import annotations

from unittest import mock

import pytest
from botocore.exceptions import ClientError

from local.provision import LocalResources
from sevamitra.data import audit
from sevamitra.data.verifications import AuditNote, Change, Expect, advance
from sevamitra.domain.audit import POLICE
from sevamitra.domain.professionals import VerificationStage, history_entry
from sevamitra.edge.errors import DependencyFailed
from sevamitra.platform.clock import utc_now
from tests.integration.verification_support import professional, seed_professional


def _decide() -> bool:
    now = utc_now()
    return advance(
        "pro_test",
        Expect(("verification_pending",)),
        Change(
            stage=VerificationStage.DECISION,
            status="verified",
            entries=[history_entry(VerificationStage.DECISION, now, "verified")],
        ),
        now,
        note=AuditNote(POLICE, "verified", {"request_id": "vrq_1", "result": "clear"}),
    )


def test_the_decision_and_its_audit_entry_are_written_together(aws: LocalResources) -> None:
    seed_professional()

    assert _decide() is True

    assert professional().status == "verified"
    assert [(e.action, e.actor, e.evidence["request_id"]) for e in audit.trail("pro_test")] == [
        ("verified", POLICE, "vrq_1")
    ]


def test_a_failed_transaction_writes_neither_the_decision_nor_the_entry(aws: LocalResources) -> None:
    seed_professional()
    error = ClientError({"Error": {"Code": "InternalServerError", "Message": "boom"}}, "TransactWriteItems")

    with (
        mock.patch("pynamodb.connection.base.Connection.transact_write_items", side_effect=error),
        pytest.raises(DependencyFailed),
    ):
        _decide()

    assert professional().status == "verification_pending"
    assert audit.trail("pro_test") == []


def test_a_taken_audit_seq_is_read_again_and_the_decision_still_applies_once(aws: LocalResources) -> None:
    seed_professional()
    audit.append(
        "pro_test", at="2026-11-27T10:00:00Z", actor="officer-1", action="complaint_dismissed", evidence={}
    )
    stale_head = audit.head("pro_test")
    audit.append(
        "pro_test", at="2026-11-27T10:01:00Z", actor="officer-1", action="complaint_dismissed", evidence={}
    )
    heads = iter([stale_head])

    with mock.patch.object(
        audit, "head", side_effect=lambda subject: next(heads, None) or audit.trail(subject)[-1]
    ):
        assert _decide() is True

    entries = audit.trail("pro_test")
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[-1].action == "verified"
    assert professional().status == "verified"
