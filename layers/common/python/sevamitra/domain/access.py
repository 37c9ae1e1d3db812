"""Who may act for whom: the one place the ownership rules of professionals and agencies live.

- An agency is acted for by its members, once the agency is approved by an officer.
- A professional is *managed* (documents, submission) by its own account (``account_sub``,
  self-registration), by the account that registered it (``registered_by``: itself, an agency
  member or an officer) and by the members of its approved agency.
- A professional's *availability* (online, location) is set by its own account alone once it has
  one; for an assisted registration (no account of its own), by its managers.
- A professional is *viewed* by its managers and by officers.

Predicates are pure; the ``require_*`` helpers raise ``Forbidden`` and load the agency only when
the answer depends on it (``agency_of`` is passed in, the repository by default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, Protocol

from sevamitra.domain.professionals import Agency, Professional
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Forbidden

AgencyLoader = Callable[[str], Agency | None]


class Managed(Protocol):
    """What the ownership rules read of a professional (any view of its record)."""

    @property
    def account_sub(self) -> str | None: ...

    @property
    def registered_by(self) -> str: ...

    @property
    def agency_id(self) -> str | None: ...


def may_act_for_agency(caller: Caller, agency: Agency | None) -> bool:
    return agency is not None and agency.is_approved and caller.sub in agency.members


def is_direct_manager(caller: Caller, professional: Managed) -> bool:
    return caller.sub in (professional.account_sub, professional.registered_by)


def may_manage(caller: Caller, professional: Managed, agency: Agency | None) -> bool:
    """``agency`` is the professional's agency (or None): the caller's membership decides."""
    if is_direct_manager(caller, professional):
        return True
    return agency is not None and agency.id == professional.agency_id and may_act_for_agency(caller, agency)


def may_view(caller: Caller, professional: Professional, agency: Agency | None) -> bool:
    return caller.is_officer or may_manage(caller, professional, agency)


def _default_agency_loader() -> AgencyLoader:
    from sevamitra.data import agencies

    return agencies.get_agency


def _agency_for(professional: Managed, agency_of: AgencyLoader | None) -> Agency | None:
    if professional.agency_id is None:
        return None
    return (agency_of or _default_agency_loader())(professional.agency_id)


def is_manager(caller: Caller, professional: Managed, agency_of: AgencyLoader | None = None) -> bool:
    """``may_manage``, loading the professional's agency only when the answer depends on it."""
    if is_direct_manager(caller, professional):
        return True
    return may_manage(caller, professional, _agency_for(professional, agency_of))


def may_set_availability(
    caller: Caller, professional: Managed, agency_of: AgencyLoader | None = None
) -> bool:
    """Only the professional's own account once there is one (going online is theirs to do); for
    an assisted registration, its managers (``is_manager``)."""
    if professional.account_sub:
        return caller.sub == professional.account_sub
    return is_manager(caller, professional, agency_of)


def require_manager(caller: Caller, professional: Managed, agency_of: AgencyLoader | None = None) -> None:
    if is_direct_manager(caller, professional):
        return
    if not may_manage(caller, professional, _agency_for(professional, agency_of)):
        raise Forbidden(
            message="Only the professional, whoever registered them, or their agency may do this."
        )


def require_viewer(caller: Caller, professional: Professional, agency_of: AgencyLoader | None = None) -> None:
    if caller.is_officer or is_direct_manager(caller, professional):
        return
    if not may_view(caller, professional, _agency_for(professional, agency_of)):
        raise Forbidden(message="Only the professional, their managers and officers may see this profile.")


def require_agency_member(caller: Caller, agency: Agency | None) -> Agency:
    """The agency the caller acts for: it must exist, be approved and list the caller as a member."""
    if agency is None or not may_act_for_agency(caller, agency):
        raise Forbidden(message="Only members of an approved agency may do this.")
    return agency


# --- what an account acts for, as list partitions -----------------------------------------------


class ActsFor(NamedTuple):
    """Whom an account acts for, as the keys the list indexes of bookings and complaints hold:
    its own professional (``account_sub``), the professionals it registered (``registered_by``,
    itself included when self-registered) and those of the approved agencies it is a member of.
    Exactly ``is_manager``'s rule, for every professional at once. (Agencies are found by their
    owner: no route adds other members yet; a route that does must index them too.)"""

    professional_ids: tuple[str, ...] = ()
    registrar_subs: tuple[str, ...] = ()
    agency_ids: tuple[str, ...] = ()

    def partitions(self) -> tuple[tuple[str, str], ...]:
        """``(index name, key value)`` pairs: the same names on bookings and complaints."""
        return (
            *(("by_professional", pid) for pid in self.professional_ids),
            *(("by_registrar", sub) for sub in self.registrar_subs),
            *(("by_agency", agency_id) for agency_id in self.agency_ids),
        )


def acts_for(
    caller: Caller,
    *,
    own_professional: Callable[[str], str | None] | None = None,
    owned_agency: Callable[[str], str | None] | None = None,
    agency_of: AgencyLoader | None = None,
) -> ActsFor:
    """Whom ``caller`` acts for (the look-ups default to the repositories)."""
    if own_professional is None or owned_agency is None:
        from sevamitra.data import accounts

        own_professional = own_professional or accounts.professional_id_of
        owned_agency = owned_agency or accounts.agency_id_of
    professional_id = own_professional(caller.sub)
    agency_id = owned_agency(caller.sub)
    agency = (agency_of or _default_agency_loader())(agency_id) if agency_id else None
    return ActsFor(
        professional_ids=(professional_id,) if professional_id else (),
        registrar_subs=(caller.sub,),
        agency_ids=(agency.id,) if may_act_for_agency(caller, agency) and agency else (),
    )
