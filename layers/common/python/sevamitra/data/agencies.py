"""The agencies repository: agencies as domain objects, approval as a conditional write."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sevamitra.data import dynamo, pages
from sevamitra.data.models import AgencyModel
from sevamitra.domain.professionals import Agency, AgencyStatus
from sevamitra.edge.errors import Conflict, NotFound


def _to_domain(item: AgencyModel) -> Agency:
    values: dict[str, Any] = dict(item.attribute_values)
    values["members"] = frozenset(values.get("members") or ())
    return Agency.model_validate(values)


def create_agency(agency: Agency) -> None:
    item = AgencyModel(**agency.model_dump(mode="json"))
    item.members = set(agency.members) or None
    if not dynamo.conditional(
        "Saving the agency", lambda: item.save(condition=AgencyModel.id.does_not_exist())
    ):
        raise Conflict(message="An agency with this id exists.")


def get_agency(agency_id: str) -> Agency | None:
    item = dynamo.read("Agency look-up", AgencyModel, agency_id)
    return None if item is None else _to_domain(item)


def approve_agency(agency_id: str, officer_sub: str, now: str) -> Agency:
    """pending_approval -> approved, once: a second approval is 409 ``already_approved``."""
    item = AgencyModel(id=agency_id)
    if not dynamo.conditional(
        "Approving the agency",
        lambda: item.update(
            actions=[
                AgencyModel.status.set(AgencyStatus.APPROVED.value),
                AgencyModel.approved_by.set(officer_sub),
                AgencyModel.updated_at.set(now),
            ],
            condition=AgencyModel.status == AgencyStatus.PENDING_APPROVAL.value,
        ),
    ):
        if get_agency(agency_id) is None:
            raise NotFound(message="No agency with that id.")
        raise Conflict("already_approved")
    return _to_domain(item)  # update() loaded the item's new attributes


def list_agencies(
    statuses: Sequence[str], *, limit: int, state: Mapping[str, Any] | None
) -> pages.Page[Agency]:
    """Agencies in these statuses, newest first (the ``by_status`` index, one partition each)."""
    return pages.newest_first(
        [pages.Partition(AgencyModel.by_status, status) for status in statuses],
        limit,
        state,
        lambda raw: _to_domain(AgencyModel.from_raw_data(raw)),
    )
