"""Claiming an assisted registration: the pending claim code on the professional's record, and
the transaction that gives the professional to the account that claims it.

The code itself is never stored: only its keyed hash (``pii.secret_digest``), with the hash of the
registered mobile it was sent to (the claimant's phone must be that number), its expiry and the
wrong tries so far. Every write is conditional on the version read (a new code, a wrong try and a
claim cannot overwrite each other). The claim sets ``account_sub`` only if it is still unset,
takes the account's ``account#`` identity (one professional per account, as registration does),
clears the code and appends its audit entry, all in one transaction.
"""

from __future__ import annotations

from typing import NamedTuple

from pynamodb.transactions import TransactWrite

from sevamitra.data import audit, dynamo
from sevamitra.data.identities import account_pk
from sevamitra.data.models import IdentityModel, ProfessionalModel
from sevamitra.domain.audit import AuditEntry


class ClaimView(NamedTuple):
    """What the claim rules read of a professional (``account_sub``, ``registered_by`` and
    ``agency_id`` make it a ``sevamitra.domain.access.Managed``)."""

    id: str
    version: int
    account_sub: str | None
    registered_by: str
    agency_id: str | None
    mobile_hash: str
    mobile_sealed: str | None
    code_hash: str | None
    code_mobile_hash: str | None
    expires_at: str | None
    wrong: int

    def versioned(self) -> ProfessionalModel:
        return ProfessionalModel(self.id, version=self.version)


def read(professional_id: str) -> ClaimView | None:
    item = dynamo.read("Professional look-up", ProfessionalModel, professional_id)
    if item is None:
        return None
    return ClaimView(
        id=item.id,
        version=int(item.version or 0),
        account_sub=item.account_sub or None,
        registered_by=item.registered_by,
        agency_id=item.agency_id,
        mobile_hash=item.mobile_hash,
        mobile_sealed=item.mobile_sealed,
        code_hash=item.claim_code_hash,
        code_mobile_hash=item.claim_mobile_hash,
        expires_at=item.claim_expires_at,
        wrong=int(item.claim_wrong or 0),
    )


def store_code(view: ClaimView, code_hash: str, expires_at: str, updated_at: str) -> bool:
    """A new code replaces any earlier one and starts a fresh count of wrong tries. False: the
    record changed since ``view`` was read, or it was claimed."""
    return dynamo.conditional(
        "Storing the claim code",
        lambda: view.versioned().update(
            actions=[
                ProfessionalModel.claim_code_hash.set(code_hash),
                ProfessionalModel.claim_mobile_hash.set(view.mobile_hash),
                ProfessionalModel.claim_expires_at.set(expires_at),
                ProfessionalModel.claim_wrong.set(0),
                ProfessionalModel.updated_at.set(updated_at),
            ],
            condition=ProfessionalModel.account_sub.does_not_exist(),
        ),
    )


def record_wrong_try(view: ClaimView) -> bool:
    """Count one wrong code against the code read. False: the record changed in between."""
    return dynamo.conditional(
        "Counting a wrong claim code",
        lambda: view.versioned().update(
            actions=[ProfessionalModel.claim_wrong.set(view.wrong + 1)],
            condition=ProfessionalModel.claim_code_hash == (view.code_hash or ""),
        ),
    )


def claim(view: ClaimView, account_sub: str, entry: AuditEntry, at: str) -> dynamo.Outcome:
    """Give the professional to ``account_sub``: done, or cancelled (the record changed, it was
    claimed, the account already is a professional, or the audit head moved: re-read)."""

    def add(tx: TransactWrite) -> None:
        tx.update(
            view.versioned(),
            actions=[
                ProfessionalModel.account_sub.set(account_sub),
                ProfessionalModel.claim_code_hash.remove(),
                ProfessionalModel.claim_mobile_hash.remove(),
                ProfessionalModel.claim_expires_at.remove(),
                ProfessionalModel.claim_wrong.remove(),
                ProfessionalModel.updated_at.set(at),
            ],
            condition=ProfessionalModel.account_sub.does_not_exist()
            & (ProfessionalModel.claim_code_hash == (view.code_hash or "")),
        )
        tx.save(
            IdentityModel(account_pk(account_sub), professional_id=view.id, created_at=at),
            condition=IdentityModel.pk.does_not_exist(),
        )
        audit.add_entry(tx, entry)

    return dynamo.transact("Claiming the professional", add)
