"""The asynchronous half of ``/ondc/<action>``: what each request means in Seva Mitra's terms,
and the ``on_<action>`` that answers it. ``ondc.worker`` (the queue consumer) runs ``answer`` and
posts the result; the same function runs locally and in AWS.

- search: the catalogue is ``/match``'s: for each rate-card service of the domain (and category
  or item asked for), the nearest verified, online, free professionals within 3 km of the
  search's point (``geo_index.nearest``), each a provider whose items are those services at the
  rate card's fee. Nothing else is quoted.
- select / init: the chosen professional is checked as ``POST /bookings`` checks them (verified,
  online, free, offering the service, within 3 km); the quote is the fixed fee.
- confirm: the booking is made by the bookings repository's own transaction
  (``sevamitra.data.bookings.create``: the professional claimed, one active booking, the
  customer's open-request allowance, the 30-minute expiry); its id is derived from the buyer
  app and transaction, so a redelivered confirm finds the booking it made instead of making a
  second. The start code goes to the buyer app in ``on_confirm`` for its customer.
- status / cancel / rating: the booking as an order; cancel and rating through the repository's
  own transitions, only for the buyer app whose order it is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from pydantic import SecretStr

from ondc import beckn
from sevamitra.data import bookings as booking_repo
from sevamitra.data import geo_index, snapshots
from sevamitra.data import ondc as records
from sevamitra.data.bookings import Commit
from sevamitra.data.snapshots import ProfessionalSnapshot
from sevamitra.domain import geo, ratecard, service_area
from sevamitra.domain.bookings import (
    CANCELLABLE_STATUSES,
    Booking,
    BookingStatus,
    CancelledBy,
    Rating,
    hash_start_code,
    price,
)
from sevamitra.domain.events import Kind, booking_event, booking_requested
from sevamitra.domain.professionals import eligible
from sevamitra.domain.ratecard import Service
from sevamitra.edge.errors import DependencyFailed, NotFound
from sevamitra.platform import bus
from sevamitra.platform.clock import Clock, iso, numeric_code, utc_now
from sevamitra.platform.observability import logger
from sevamitra.platform.ondc_settings import ondc_settings

CodeFactory = Callable[[], str]
MAX_COMMITS = 4


class Answer(NamedTuple):
    """What to post, and where."""

    bap_uri: str
    payload: dict[str, Any]


class Refused(Exception):
    """A request we answer with an error in its ``on_<action>`` (nothing was changed)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def answer(
    action: str, request: dict[str, Any], *, now: Clock = utc_now, codes: CodeFactory = numeric_code
) -> Answer:
    """The ``on_<action>`` for a checked request (``intake.receive`` queued it)."""
    context = request["context"]
    message = request.get("message") or {}
    moment = now()
    config = ondc_settings()
    reply_context = beckn.callback_context(
        context,
        action,
        moment,
        subscriber_id=config.ondc_subscriber_id,
        subscriber_url=config.ondc_subscriber_url,
    )
    try:
        body = _HANDLERS[action](context, message, moment, codes)
        payload: dict[str, Any] = {"context": reply_context, "message": body}
    except Refused as refusal:
        logger.info("ONDC request refused", extra={"action": action, "ondc_error": refusal.code})
        payload = {"context": reply_context, "error": beckn.error(refusal.code, refusal.message)}
    return Answer(str(context["bap_uri"]), payload)


# --- search -------------------------------------------------------------------------------------


def _search(context: dict[str, Any], message: dict[str, Any], moment: datetime, _: CodeFactory) -> dict:
    intent = message.get("intent") or {}
    fulfillment = intent.get("fulfillment") or {}
    point = beckn.parse_gps((beckn.end_stop([fulfillment]).get("location") or {}).get("gps"))
    if point is None:
        raise Refused(beckn.NOT_SERVICEABLE, "Search needs the end stop's gps (where the service is wanted).")
    if not service_area.contains(*point):
        raise Refused(beckn.NOT_SERVICEABLE, "The location is outside Uttar Pradesh, our service area.")
    services = _asked_services(context["domain"], intent)
    size = ondc_settings().ondc_catalogue_size
    providers: dict[str, tuple[geo_index.Nearby, list[Service]]] = {}
    for service in services:
        for nearby in geo_index.nearest(service.id, point[0], point[1], size):
            found = providers.setdefault(nearby.professional_id, (nearby, []))
            found[1].append(service)
    ordered = sorted(providers.values(), key=lambda entry: (entry[0].distance_m, entry[0].professional_id))
    return {
        "catalog": {
            "descriptor": {"name": "Seva Mitra", "short_desc": "Police-verified professionals at fixed fees"},
            "fulfillments": [{"id": beckn.FULFILLMENT_ID, "type": beckn.FULFILLMENT_TYPE}],
            "payments": [{"id": "PM1", "type": "ON-FULFILLMENT", "collected_by": "BPP"}],
            "providers": [_provider(nearby, offered) for nearby, offered in ordered[:size]],
        }
    }


def _asked_services(domain: str, intent: dict[str, Any]) -> list[Service]:
    """The domain's services, narrowed by the intent's category (ours, or the domain's ``SRVnn-*``)
    and item (an id, or words of its name)."""
    services = beckn.services_in(domain)
    category = str((intent.get("category") or {}).get("id") or "")
    if category and not category.endswith("*"):
        services = [s for s in services if s.category == category]
    item = intent.get("item") or {}
    item_id = item.get("id")
    if item_id:
        services = [s for s in services if s.id == item_id]
    words = str((item.get("descriptor") or {}).get("name") or "").strip()
    if words:
        matching = {s.id for s in ratecard.search(words)}
        services = [s for s in services if s.id in matching]
    return services


def _provider(nearby: geo_index.Nearby, services: list[Service]) -> dict[str, Any]:
    provider: dict[str, Any] = {
        "id": nearby.professional_id,
        "descriptor": {
            "name": nearby.name,
            "short_desc": f"Police-verified, about {geo.shown_distance_m(nearby.distance_m)} m away",
        },
        "fulfillments": [{"id": beckn.FULFILLMENT_ID, "type": beckn.FULFILLMENT_TYPE}],
        "categories": [
            {"id": category, "descriptor": {"name": category.replace("_", " ").title()}}
            for category in sorted({s.category for s in services})
        ],
        "items": [
            {
                "id": service.id,
                "descriptor": {"name": service.name.en, "short_desc": service.name.hi},
                "price": {"currency": beckn.CURRENCY, "value": beckn.rupees(service.fee_paise)},
                "category_ids": [service.category],
                "fulfillment_ids": [beckn.FULFILLMENT_ID],
                "payment_ids": ["PM1"],
                "time": {"label": "duration", "duration": f"PT{service.duration_minutes}M"},
            }
            for service in services
        ],
    }
    if nearby.rating is not None:
        provider["rating"] = f"{nearby.rating:.1f}"
    return provider


# --- select, init, confirm ----------------------------------------------------------------------


class Selection(NamedTuple):
    professional_id: str
    service: Service
    lat: float
    lng: float


def _selection(context: dict[str, Any], order: dict[str, Any]) -> Selection:
    provider_id = str((order.get("provider") or {}).get("id") or "")
    items = [i for i in order.get("items") or [] if isinstance(i, dict)]
    if not provider_id or len(items) != 1:
        raise Refused(beckn.INVALID_ORDER, "An order is one professional (provider) and one service (item).")
    count = ((items[0].get("quantity") or {}).get("selected") or {}).get("count", 1)
    if str(count) != "1":
        raise Refused(beckn.INVALID_ORDER, "Each service is booked once per order (quantity 1).")
    service = ratecard.rate_card().get(str(items[0].get("id")))
    if service is None or beckn.domain_of(service) != context.get("domain"):
        raise Refused(beckn.ITEM_NOT_FOUND, "That item is not on the rate card of this domain.")
    point = beckn.parse_gps(
        (beckn.end_stop(order.get("fulfillments") or []).get("location") or {}).get("gps")
    )
    if point is None:
        raise Refused(
            beckn.NOT_SERVICEABLE, "The order needs the end stop's gps (where the service is wanted)."
        )
    return Selection(provider_id, service, *point)


def _available(selection: Selection) -> ProfessionalSnapshot:
    """The professional, as ``POST /bookings`` would take them; ``Refused`` otherwise."""
    state = snapshots.professional(selection.professional_id)
    if state is None:
        raise Refused(beckn.PROVIDER_UNAVAILABLE, "No such provider.")
    if not eligible(state) or selection.service.id not in state.services:
        raise Refused(beckn.PROVIDER_UNAVAILABLE, "The professional is not available for this service now.")
    if geo.distance_m(selection.lat, selection.lng, state.lat, state.lng) > geo.SEARCH_RADIUS_M:
        raise Refused(beckn.NOT_SERVICEABLE, "The professional is farther than 3 km from the location.")
    return state


def _fulfillment(selection: Selection, stop: dict[str, Any], state: str) -> dict[str, Any]:
    end: dict[str, Any] = {"type": "end", "location": {"gps": beckn.gps(selection.lat, selection.lng)}}
    for key in ("contact", "person", "customer"):
        if isinstance(stop.get(key), dict):
            end[key] = stop[key]
    address = (stop.get("location") or {}).get("address")
    if isinstance(address, str):
        end["location"]["address"] = address
    return {
        "id": beckn.FULFILLMENT_ID,
        "type": beckn.FULFILLMENT_TYPE,
        "tracking": False,
        "state": {"descriptor": {"code": state}},
        "stops": [end],
    }


def _offer(selection: Selection, order: dict[str, Any], state: str) -> dict[str, Any]:
    stop = beckn.end_stop(order.get("fulfillments") or [])
    body: dict[str, Any] = {
        "provider": {"id": selection.professional_id},
        "items": [beckn.item(selection.service)],
        "fulfillments": [_fulfillment(selection, stop, state)],
        "quote": beckn.quote(selection.service, selection.service.fee_paise),
    }
    return body


def _select(context: dict[str, Any], message: dict[str, Any], moment: datetime, _: CodeFactory) -> dict:
    order = message.get("order") or {}
    selection = _selection(context, order)
    _available(selection)
    return {"order": _offer(selection, order, "Serviceable")}


def _init(context: dict[str, Any], message: dict[str, Any], moment: datetime, _: CodeFactory) -> dict:
    order = message.get("order") or {}
    selection = _selection(context, order)
    _available(selection)
    _customer_mobile(order)
    body = _offer(selection, order, "Serviceable")
    if isinstance(order.get("billing"), dict):
        body["billing"] = order["billing"]
    body["payments"] = [beckn.payment(selection.service.fee_paise)]
    body["cancellation_terms"] = beckn.CANCELLATION_TERMS
    records.put_transaction(
        context["bap_id"],
        context["transaction_id"],
        {"professional_id": selection.professional_id, "service_id": selection.service.id},
        int(moment.timestamp()),
    )
    return {"order": body}


def _customer_mobile(order: dict[str, Any]) -> str:
    """The customer's 10-digit mobile: the end stop's contact, else the billing phone."""
    stop = beckn.end_stop(order.get("fulfillments") or [])
    phone = str((stop.get("contact") or {}).get("phone") or (order.get("billing") or {}).get("phone") or "")
    digits = phone.removeprefix("+91").removeprefix("0") if len(phone) > 10 else phone
    if not (len(digits) == 10 and digits.isascii() and digits.isdigit() and digits[0] in "6789"):
        raise Refused(beckn.INVALID_ORDER, "The customer's contact phone must be a 10-digit Indian mobile.")
    return digits


def booking_id_for(bap_id: str, transaction_id: str) -> str:
    """One booking per buyer app transaction: a redelivered confirm finds the one it made."""
    return "bkg_" + hashlib.sha256(f"ondc|{bap_id}|{transaction_id}".encode()).hexdigest()[:32]


def citizen_of(bap_id: str, mobile: str) -> str:
    """The citizen a buyer app's customer is to the bookings table (their open requests count)."""
    return f"ondc|{bap_id}|{mobile}"


def _confirm(context: dict[str, Any], message: dict[str, Any], moment: datetime, codes: CodeFactory) -> dict:
    order = message.get("order") or {}
    selection = _selection(context, order)
    mobile = _customer_mobile(order)
    stop = beckn.end_stop(order.get("fulfillments") or [])
    booking_id = booking_id_for(context["bap_id"], context["transaction_id"])
    booking = booking_repo.get_booking(booking_id)
    if booking is None:
        booking = _book(context, selection, mobile, stop, booking_id, moment, codes)
    elif booking.citizen_sub != citizen_of(context["bap_id"], mobile):
        raise Refused(beckn.INVALID_ORDER, "This transaction already has another order.")
    customer = (stop.get("person") or (stop.get("customer") or {}).get("person") or {}) or None
    records.put_order(
        booking.id,
        {
            "booking_id": booking.id,
            "bap_id": context["bap_id"],
            "bap_uri": context["bap_uri"],
            "transaction_id": context["transaction_id"],
            "context": {
                k: context[k]
                for k in ("domain", "location", "version", "bap_id", "bap_uri", "transaction_id")
                if k in context
            },
            "customer": customer,
        },
        told=booking.status.value,
    )
    return {"order": _order_of(booking, customer)}


def _book(
    context: dict[str, Any],
    selection: Selection,
    mobile: str,
    stop: dict[str, Any],
    booking_id: str,
    moment: datetime,
    codes: CodeFactory,
) -> Booking:
    config = ondc_settings()
    code = codes()
    engagement = price(selection.service)
    address = (stop.get("location") or {}).get("address")
    for _ in range(MAX_COMMITS):
        state = _available(selection)
        at = iso(moment)
        booking = Booking(
            id=booking_id,
            status=BookingStatus.REQUESTED,
            citizen_sub=citizen_of(context["bap_id"], mobile),
            citizen_mobile=mobile,
            professional_id=state.id,
            registrar_sub=state.registered_by,
            agency_id=state.agency_id,
            service_id=selection.service.id,
            fee_paise=engagement.fee_paise,
            duration_minutes=engagement.duration_minutes,
            lat=selection.lat,
            lng=selection.lng,
            address=str(address)[:300] if isinstance(address, str) else None,
            engagement=engagement,
            start_code_hash=hash_start_code(booking_id, code),
            start_code=SecretStr(code),
            counted=True,
            expires_at=iso(moment + timedelta(seconds=config.booking_accept_timeout_s)),
            created_at=at,
            updated_at=at,
        )
        # The professional hears of it as of any booking (notify: SMS with HAAN/NA, inbox).
        requested = [booking_requested(booking)]
        outcome = booking_repo.create(booking, state, config.max_open_requests_citizen, requested)
        if outcome is Commit.DONE:
            bus.emit(requested)
            logger.info("booking requested over ONDC", extra={"booking_id": booking_id})
            return booking
        if outcome is Commit.LIMIT_REACHED:
            raise Refused(beckn.INVALID_ORDER, "This customer already has bookings waiting for an answer.")
        existing = booking_repo.get_booking(booking_id)
        if existing is not None:
            return existing  # made by an earlier delivery of this confirm
    raise DependencyFailed(message="The professional is being booked right now; the queue retries.")


def _order_of(booking: Booking, customer: dict[str, Any] | None) -> dict[str, Any]:
    service = ratecard.get_service(booking.service_id)
    state = snapshots.professional(booking.professional_id)
    code = booking.start_code.get_secret_value() if booking.start_code else None
    return beckn.order(
        booking, service, professional_name=state.name if state else None, customer=customer, start_code=code
    )


# --- status, cancel, rating, support ------------------------------------------------------------


def _owned(context: dict[str, Any], order_id: str) -> tuple[records.Order, Booking]:
    """The order and its booking, only for the buyer app that placed it."""
    order = records.get_order(order_id)
    if order is None or order.get("bap_id") != context["bap_id"]:
        raise Refused(beckn.INVALID_ORDER, "No such order for this buyer app.")
    booking = booking_repo.get_booking(order.booking_id)
    if booking is None:
        raise Refused(beckn.INVALID_ORDER, "No such order for this buyer app.")
    return order, booking


def status_message(order: records.Order, booking: Booking) -> dict[str, Any]:
    return {"order": _order_of(booking, order.get("customer"))}


def _status(context: dict[str, Any], message: dict[str, Any], moment: datetime, _: CodeFactory) -> dict:
    order, booking = _owned(context, str(message.get("order_id") or ""))
    return status_message(order, booking)


def _cancel(context: dict[str, Any], message: dict[str, Any], moment: datetime, _: CodeFactory) -> dict:
    order, booking = _owned(context, str(message.get("order_id") or ""))
    for _attempt in range(MAX_COMMITS):
        if booking.status is BookingStatus.CANCELLED:
            break
        if booking.status not in CANCELLABLE_STATUSES:
            raise Refused(beckn.CANNOT_CANCEL, "Only a booking not yet started can be cancelled.")
        at = iso(moment)
        state = snapshots.professional(booking.professional_id)
        cancelled = booking.model_copy(
            update={"status": BookingStatus.CANCELLED, "cancelled_at": at, "updated_at": at}
        )
        by = CancelledBy.CITIZEN.value
        events = [booking_event(Kind.BOOKING_CANCELLED, cancelled, at, cancelled_by=by)]
        outcome = booking_repo.finish(
            booking, BookingStatus.CANCELLED, at, state, cancelled_by=by, events=events
        )
        if outcome is Commit.DONE:
            bus.emit(events)
        refreshed = booking_repo.get_booking(booking.id)
        if refreshed is None:
            raise NotFound()
        booking = refreshed
        if outcome is Commit.DONE:
            break
    if booking.status is not BookingStatus.CANCELLED:
        raise Refused(beckn.CANNOT_CANCEL, "The booking could not be cancelled in its state.")
    records.mark_told(booking.id, order.told, booking.status.value, final=True)
    return status_message(order, booking)


def _rating(context: dict[str, Any], message: dict[str, Any], moment: datetime, _: CodeFactory) -> dict:
    booking_id = booking_id_for(context["bap_id"], context["transaction_id"])
    _order, booking = _owned(context, booking_id)
    stars = round(float(message["ratings"][0]["value"]))
    if booking.status is not BookingStatus.COMPLETED:
        raise Refused(beckn.INVALID_ORDER, "Only a completed booking can be rated.")
    if booking.rating is None:
        rating = Rating(stars=stars, comment=None, at=iso(moment))
        outcome = booking_repo.rate(
            booking, rating, snapshots.professional(booking.professional_id), rating.at
        )
        if outcome is Commit.CONFLICT:
            raise DependencyFailed(message="The booking is being changed; the queue retries.")
    return {"feedback_ack": True, "rating_ack": True}


def _support(context: dict[str, Any], message: dict[str, Any], moment: datetime, _: CodeFactory) -> dict:
    support = message.get("support") or {}
    ref = str(support.get("ref_id") or support.get("order_id") or "")
    config = ondc_settings()
    contact = {"phone": config.ondc_support_phone, "url": config.ondc_support_url}
    return {"support": {"ref_id": ref, **{key: value for key, value in contact.items() if value}}}


_HANDLERS: dict[str, Callable[[dict[str, Any], dict[str, Any], datetime, CodeFactory], dict[str, Any]]] = {
    "search": _search,
    "select": _select,
    "init": _init,
    "confirm": _confirm,
    "status": _status,
    "cancel": _cancel,
    "rating": _rating,
    "support": _support,
    "issue": lambda *args: _issues().raise_issue(*args),
    "issue_status": lambda *args: _issues().issue_status(*args),
}


def _issues() -> Any:
    from ondc import issues  # imports this module: loaded on first use

    return issues
