"""Separation of duties on a complaint (docs/decisions.md, "Separation of duties").

An officer who filed the complaint, made the booking, or registered or manages the professional
(their own account, whoever registered them, a member of their agency) is a party to it: they
may not decide it, confirm the ban it proposes or decide its appeal (403 ``conflict_of_interest``).
The ban needs a second officer (403 ``four_eyes_required``), and an appeal an appellate officer
who took no earlier part.
"""

from __future__ import annotations

from sevamitra.data import complaints as repo
from sevamitra.data import professionals as professionals_repo
from sevamitra.domain import access
from sevamitra.domain.complaints import Complaint
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Forbidden


def parties(complaint: Complaint) -> set[str]:
    """The accounts on either side of ``complaint`` known without loading an agency: the
    complainant, the booking's citizen, whoever registered the professional and their account."""
    involved = {complaint.complainant_sub}
    booking = repo.get_booking(complaint.booking_id)
    if booking is not None:
        involved.add(booking.citizen_sub)
    if complaint.registrar_sub:
        involved.add(complaint.registrar_sub)
    return involved


def require_no_conflict(caller: Caller, complaint: Complaint) -> None:
    """403 ``conflict_of_interest`` when the caller is a party to the complaint (module docstring)."""
    conflicted = caller.sub in parties(complaint)
    if not conflicted:
        professional = professionals_repo.get_professional(complaint.professional_id)
        conflicted = professional is not None and access.is_manager(caller, professional)
    if conflicted:
        raise Forbidden(
            "conflict_of_interest",
            "An officer who filed the complaint, made the booking, or registered or manages the "
            "professional may not decide it.",
        )


def require_other_officer(caller: Caller, *earlier: object) -> None:
    """403 ``four_eyes_required`` when the caller is one of the officers who acted ``earlier``."""
    if caller.sub in {str(e) for e in earlier if e}:
        raise Forbidden(
            "four_eyes_required", "This step needs an officer who took no earlier part in the case."
        )
