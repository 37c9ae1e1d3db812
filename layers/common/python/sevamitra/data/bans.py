"""The permanent ban: the only code that makes a professional ``banned``.

``add_ban`` adds to a transaction everything a ban is, and it cannot be staged without the
upheld overcharge complaint that justifies it, because the complaint's decision is part of it:

- the complaint becomes ``upheld`` (conditional: still in the status it was read with, kind
  ``overcharge``, about this professional) and its lock is deleted;
- the professional becomes ``banned`` and offline (conditional: the version read, not already
  banned); an active booking is left as it is (the booking's lifecycle ends it);
- the professional's geo index entries are deleted (``add_index_changes``);
- ``ban#aadhaar#<hash>`` and ``ban#mobile#<hash>`` go on the ban registry, which registration
  checks in its own transaction.

If any condition fails nothing is written.
"""

from __future__ import annotations

from typing import Any

from pynamodb.transactions import TransactWrite

from sevamitra.data import geo_index
from sevamitra.data.complaints import add_decision
from sevamitra.data.identities import IdentityKind, ban_pk
from sevamitra.data.models import ComplaintModel, IdentityModel, ProfessionalModel
from sevamitra.data.snapshots import ProfessionalSnapshot
from sevamitra.domain.complaints import Complaint, ComplaintKind, ComplaintStatus
from sevamitra.domain.professionals import ProfessionalStatus


def add_ban(
    tx: TransactWrite, complaint: Complaint, decision: dict[str, Any], target: ProfessionalSnapshot
) -> None:
    """Decide ``complaint`` upheld and ban ``target`` (the professional as read, with its
    version: ``snapshots.professional``) in ``tx`` (see the module docstring)."""
    if complaint.kind is not ComplaintKind.OVERCHARGE or decision.get("outcome") != ComplaintStatus.UPHELD:
        raise ValueError("only an upheld overcharge complaint bans")
    if complaint.professional_id != target.id:
        raise ValueError("the complaint is about another professional")
    at = str(decision["at"])
    add_decision(
        tx,
        complaint,
        decision,
        condition=(ComplaintModel.kind == ComplaintKind.OVERCHARGE.value)
        & (ComplaintModel.professional_id == target.id),
    )
    tx.update(
        target.versioned(),
        actions=[
            ProfessionalModel.status.set(ProfessionalStatus.BANNED.value),
            ProfessionalModel.online.set(False),
            ProfessionalModel.updated_at.set(at),
        ],
        condition=ProfessionalModel.status != ProfessionalStatus.BANNED.value,
    )
    after = target.subject._replace(status=ProfessionalStatus.BANNED.value, online=False)
    geo_index.add_index_changes(tx, target.subject, after)
    for kind, digest in (
        (IdentityKind.AADHAAR, target.aadhaar_hash),
        (IdentityKind.MOBILE, target.mobile_hash),
    ):
        tx.save(
            IdentityModel(
                pk=ban_pk(kind, digest),
                professional_id=target.id,
                created_at=at,
                reason=f"complaint:{complaint.id}",
            )
        )
