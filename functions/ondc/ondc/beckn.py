"""How Seva Mitra's records are written in ONDC's services specification (2.0.0): the domains
and categories we serve, money, places, and a booking as a Beckn order.

Rate-card categories and ONDC home-services domains (docs/ondc.md): appliance, laptop, RO and
mobile repair are ``ONDC:SRV10`` (appliance repair); electrician, plumber, carpenter, mason and
painter ``ONDC:SRV11`` (infra services); beautician ``ONDC:SRV12`` (personal care). Tailors,
cooks, aayas, drivers and tutors have no home-services domain in that specification and are not
offered on the network.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sevamitra.domain.bookings import Booking, BookingStatus, CancelledBy
from sevamitra.domain.ratecard import Service, rate_card
from sevamitra.platform.clock import iso

VERSION = "2.0.0"
COUNTRY = "IND"
CURRENCY = "INR"
FULFILLMENT_ID = "F1"
FULFILLMENT_TYPE = "Home-Service"

DOMAINS: dict[str, str] = {
    "appliance_repair": "ONDC:SRV10",
    "laptop_repair": "ONDC:SRV10",
    "ro_repair": "ONDC:SRV10",
    "mobile_repair": "ONDC:SRV10",
    "electrician": "ONDC:SRV11",
    "plumber": "ONDC:SRV11",
    "carpenter": "ONDC:SRV11",
    "mason": "ONDC:SRV11",
    "painter": "ONDC:SRV11",
    "beautician": "ONDC:SRV12",
}
SERVED_DOMAINS = frozenset(DOMAINS.values())

# ONDC error codes used in callbacks (ONDC's error code list; docs/ondc.md).
ITEM_NOT_FOUND = "30004"
PROVIDER_UNAVAILABLE = "30001"  # "Provider not found" / not available now
NOT_SERVICEABLE = "30009"  # "Location Serviceability Error"
INVALID_ORDER = "30016"  # "Invalid order"; also: an order that is not this buyer app's
CANNOT_CANCEL = "50001"
INTERNAL = "31001"


def domain_of(service: Service) -> str | None:
    return DOMAINS.get(service.category)


def services_in(domain: str) -> list[Service]:
    return [service for service in rate_card().values() if DOMAINS.get(service.category) == domain]


def rupees(paise: int) -> str:
    """``"150.00"``: the specification writes prices as decimal rupee strings; paise are exact."""
    return f"{paise // 100}.{paise % 100:02d}"


_GPS = re.compile(r"^\s*(-?[0-9]{1,2}(?:\.[0-9]+)?)\s*,\s*(-?[0-9]{1,3}(?:\.[0-9]+)?)\s*$")


def parse_gps(text: Any) -> tuple[float, float] | None:
    """``"26.8467,80.9462"`` -> (lat, lng); None for anything else."""
    found = _GPS.match(text) if isinstance(text, str) else None
    if found is None:
        return None
    lat, lng = float(found.group(1)), float(found.group(2))
    return (lat, lng) if -90 <= lat <= 90 and -180 <= lng <= 180 else None


def gps(lat: float, lng: float) -> str:
    return f"{lat:.6f},{lng:.6f}"


def end_stop(fulfillments: Iterable[Any]) -> dict[str, Any]:
    """The service's place: the ``end`` stop of the first fulfillment that has one (older
    buyer apps write ``fulfillment.end``)."""
    for fulfillment in fulfillments:
        if not isinstance(fulfillment, dict):
            continue
        for stop in fulfillment.get("stops") or []:
            if isinstance(stop, dict) and stop.get("type") == "end":
                return stop
        if isinstance(fulfillment.get("end"), dict):
            return dict(fulfillment["end"])
    return {}


def timestamp(moment: datetime) -> str:
    """Beckn timestamps carry milliseconds: ``2026-11-27T10:00:00.000Z``."""
    return iso(moment).replace("Z", ".000Z")


def callback_context(
    request: dict[str, Any], action: str, moment: datetime, *, subscriber_id: str, subscriber_url: str
) -> dict[str, Any]:
    """The context of our ``on_<action>``: the request's, from us, now (same message id)."""
    context = {key: value for key, value in request.items() if key not in ("bpp_id", "bpp_uri")}
    context.update(
        action=f"on_{action}",
        bpp_id=subscriber_id,
        bpp_uri=subscriber_url,
        timestamp=timestamp(moment),
        version=request.get("version", VERSION),
    )
    return context


def unsolicited_context(
    order_context: dict[str, Any], action: str, moment: datetime, *, subscriber_id: str, subscriber_url: str
) -> dict[str, Any]:
    """The context of a callback nobody asked for (``on_status`` when a booking changes): the
    order's transaction, a new message id."""
    context = callback_context(
        order_context, action, moment, subscriber_id=subscriber_id, subscriber_url=subscriber_url
    )
    context["message_id"] = str(uuid.uuid4())
    return context


def error(code: str, message: str, kind: str = "DOMAIN-ERROR") -> dict[str, Any]:
    return {"type": kind, "code": code, "message": message}


# --- a booking as an order ----------------------------------------------------------------------

ORDER_STATUS = {
    BookingStatus.REQUESTED: "Created",
    BookingStatus.ACCEPTED: "Accepted",
    BookingStatus.IN_PROGRESS: "In-progress",
    BookingStatus.COMPLETED: "Completed",
    BookingStatus.CANCELLED: "Cancelled",
    BookingStatus.EXPIRED: "Cancelled",
}
FULFILLMENT_STATE = {
    BookingStatus.REQUESTED: "Pending",
    BookingStatus.ACCEPTED: "Pending",
    BookingStatus.IN_PROGRESS: "At-Location",
    BookingStatus.COMPLETED: "Completed",
    BookingStatus.CANCELLED: "Cancelled",
    BookingStatus.EXPIRED: "Cancelled",
}
FINAL = frozenset({BookingStatus.COMPLETED, BookingStatus.CANCELLED, BookingStatus.EXPIRED})


def quote(service: Service, fee_paise: int) -> dict[str, Any]:
    """The fixed fee and nothing else: no tax, discount or convenience fee lines."""
    price = {"currency": CURRENCY, "value": rupees(fee_paise)}
    return {
        "price": price,
        "breakup": [
            {
                "title": service.name.en,
                "price": price,
                "item": {"id": service.id, "quantity": {"selected": {"count": 1}}, "price": price},
                "tags": [
                    {
                        "descriptor": {"code": "title"},
                        "list": [{"descriptor": {"code": "type"}, "value": "item"}],
                    }
                ],
            }
        ],
        "ttl": "PT30M",
    }


def payment(fee_paise: int, *, paid: bool = False) -> dict[str, Any]:
    """The citizen pays the professional the fixed fee when the work is done."""
    return {
        "id": "PM1",
        "type": "ON-FULFILLMENT",
        "collected_by": "BPP",
        "status": "PAID" if paid else "NOT-PAID",
        "params": {"amount": rupees(fee_paise), "currency": CURRENCY},
    }


CANCELLATION_TERMS = [
    {
        "fulfillment_state": {"descriptor": {"code": "Pending"}},
        "reason_required": False,
        "cancellation_fee": {"amount": {"currency": CURRENCY, "value": "0.00"}},
    },
]


def item(service: Service, *, count: int = 1) -> dict[str, Any]:
    return {"id": service.id, "fulfillment_ids": [FULFILLMENT_ID], "quantity": {"selected": {"count": count}}}


def order(
    booking: Booking,
    service: Service,
    *,
    professional_name: str | None,
    customer: dict[str, Any] | None = None,
    start_code: str | None = None,
) -> dict[str, Any]:
    """The booking as an ONDC order: ``id`` is the booking id, ``provider`` the professional.
    While the booking can still start, the end stop carries the start code (an ``OTP``
    authorisation) for the buyer app to show its customer, who alone should hold it."""
    status = booking.status
    stop: dict[str, Any] = {
        "type": "end",
        "location": {
            "gps": gps(booking.lat, booking.lng),
            **({"address": booking.address} if booking.address else {}),
        },
    }
    if booking.citizen_mobile:
        stop["contact"] = {"phone": booking.citizen_mobile}
    if customer and customer.get("name"):
        stop["person"] = {"name": str(customer["name"])}
    if start_code and status in (BookingStatus.REQUESTED, BookingStatus.ACCEPTED):
        stop["authorization"] = {"type": "OTP", "token": start_code, "status": "valid"}
    fulfillment: dict[str, Any] = {
        "id": FULFILLMENT_ID,
        "type": FULFILLMENT_TYPE,
        "tracking": False,
        "state": {"descriptor": {"code": FULFILLMENT_STATE[status]}},
        "stops": [stop],
    }
    if professional_name and status not in FINAL:
        fulfillment["agent"] = {"person": {"name": professional_name}}
    body: dict[str, Any] = {
        "id": booking.id,
        "status": ORDER_STATUS[status],
        "provider": {"id": booking.professional_id},
        "items": [item(service)],
        "fulfillments": [fulfillment],
        "quote": quote(service, booking.fee_paise),
        "payments": [payment(booking.fee_paise, paid=status is BookingStatus.COMPLETED)],
        "cancellation_terms": CANCELLATION_TERMS,
        "created_at": _ms(booking.created_at),
        "updated_at": _ms(booking.updated_at),
    }
    if status in (BookingStatus.CANCELLED, BookingStatus.EXPIRED):
        by_consumer = booking.cancelled_by in (CancelledBy.CITIZEN.value, CancelledBy.EMPLOYER.value)
        body["cancellation"] = {
            "cancelled_by": "CONSUMER" if by_consumer else "PROVIDER",
            "reason": {"descriptor": {"code": "expired" if status is BookingStatus.EXPIRED else "cancelled"}},
        }
    return body


def _ms(text: str) -> str:
    return text.replace("Z", ".000Z") if text.endswith("Z") and "." not in text else text
