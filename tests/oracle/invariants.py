"""The invariants of the stored data, checked by reading every table directly.

What "a race can lose but never corrupt" and "nothing half-written" mean, item by item:

- identities: every professional holds its ``aadhaar#`` and ``mobile#`` claims (and ``account#``
  when self-registered), every claim points at a professional with that hash, and the ban
  registry's ``ban#`` items exist exactly for banned professionals;
- the geo index: a professional has entries iff eligible (verified, online, no active booking),
  one per service, at their location, under their name and rating; no entry without one;
- offers (issue 17): no booking offered twice to one professional; a requested booking's live
  offer (its last, ``pending``) is to the professional it names, and no professional holds two
  live offers; an accepted booking's last offer is ``accepted``; ``timer`` (the timers index)
  only while requested or accepted; an expired ``not_started`` booking had been accepted; a
  professional's ``slots`` are exactly their scheduled bookings still active, never overlapping,
  and a scheduled booking counts as their active booking only once it holds them (``held``);
- bookings: a valid status; ``awaiting`` (the expiry index) only while requested; at most one
  active booking (requested, accepted, in_progress) per professional, and it is the one their
  ``active_booking_id`` names (and that names an active booking of theirs); each account's
  stored count of open requests (``open_requests``) is the number of its counted bookings in
  ``requested``;
- complaints: a valid status, a decision exactly when decided and matching it, ``open_flag`` only
  while open or waiting to be emitted; the lock ``lock#<booking>#<kind>`` exists iff an
  undecided complaint of that booking and kind does, and names it; at most one undecided
  complaint per booking and kind; every complaint listed on its booking and back; an upheld
  overcharge suspends its professional (or finds them suspended or banned) and its confirmed
  ban bans them, until an appeal overturns it;
- decisions: no complaint decided twice, no police request decided twice, no double ban on a
  professional's audit trail, whose hash chain is intact; no more verification decisions in a
  professional's history than submissions;
- the event outbox: an event still waiting to be published announces a change the tables hold
  (its booking in that status or one after it, its complaint opened or decided, its professional
  banned): an event is never written without its change.
- jobs: no job over-filled: ``filled`` equals its engagements and never exceeds ``positions``,
  ``filled`` status exactly when every position is taken; site entries exist exactly for open
  jobs (under their service and ``*``), at their site; an offer is accepted iff its engagement
  exists; at most one active full-time engagement per professional, and it is the one their
  ``engagement_id`` names (and that keeps them out of the match index).

Used by ``benchmarks/load.py`` (after the load), ``tests/e2e/test_load.py`` and the fault
injection tests (after every injected fault). Scans are not snapshots: ``check`` scans again when
it finds something, so that a write landing between two table scans is not reported; a real
violation survives every rescan.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sevamitra.domain import geo
from sevamitra.domain.audit import AuditEntry, verify_chain

BOOKING_STATUSES = frozenset({"requested", "accepted", "in_progress", "completed", "cancelled", "expired"})
ACTIVE = frozenset({"requested", "accepted", "in_progress"})
COMPLAINT_STATUSES = frozenset({"open", "upheld", "dismissed", "escalated"})
UNDECIDED = frozenset({"open", "escalated"})
PROFESSIONAL_STATUSES = frozenset(
    {
        "pending_documents",
        "verification_pending",
        "police_pending",
        "verified",
        "rejected",
        "banned",
        "suspended",
    }
)
TABLES = (
    "professionals", "identities", "geo", "bookings", "complaints", "verifications", "audit",
    "open_requests", "outbox", "jobs", "job_sites", "offers", "engagements",
)  # fmt: skip
JOB_STATUSES = frozenset({"open", "filled", "closed"})
ANY_SERVICE = "*"


def plain(value: Any) -> Any:
    """DynamoDB's Decimals as ints (when whole) or floats, sets as sorted lists, recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    return value


@dataclass
class Snapshot:
    professionals: dict[str, dict[str, Any]]
    identities: dict[str, dict[str, Any]]
    geo: dict[tuple[str, str], dict[str, Any]]
    bookings: dict[str, dict[str, Any]]
    complaints: dict[str, dict[str, Any]]
    locks: dict[str, dict[str, Any]]
    verifications: dict[str, dict[str, Any]]
    audit: dict[str, list[dict[str, Any]]]
    open_requests: dict[str, dict[str, Any]] = field(default_factory=dict)  # account sub -> counter
    outbox: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    job_sites: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    offers: dict[str, dict[str, Any]] = field(default_factory=dict)
    engagements: dict[str, dict[str, Any]] = field(default_factory=dict)


def table_prefix(dynamodb: Any) -> str:
    """The stage's table prefix, found from the table names (``<prefix>professionals``)."""
    names = dynamodb.meta.client.list_tables()["TableNames"]
    prefixes = {name[: -len("professionals")] for name in names if name.endswith("professionals")}
    if len(prefixes) != 1:
        raise RuntimeError(f"cannot tell the table prefix from {names}")
    return prefixes.pop()


def _scan(dynamodb: Any, name: str) -> list[dict[str, Any]]:
    table = dynamodb.Table(name)
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"ConsistentRead": True}
    while True:
        page = table.scan(**kwargs)
        items.extend(plain(item) for item in page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def snapshot(dynamodb: Any, prefix: str) -> Snapshot:
    """Every table as stored (``dynamodb`` is a boto3 DynamoDB *resource*)."""
    raw = {logical: _scan(dynamodb, f"{prefix}{logical}") for logical in TABLES}
    complaints = {c["id"]: c for c in raw["complaints"]}
    audit: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in raw["audit"]:
        audit[entry["subject"]].append(entry)
    return Snapshot(
        professionals={p["id"]: p for p in raw["professionals"]},
        identities={i["pk"]: i for i in raw["identities"]},
        geo={(g["pk"], g["sk"]): g for g in raw["geo"]},
        bookings={b["id"]: b for b in raw["bookings"]},
        complaints={k: v for k, v in complaints.items() if not k.startswith("lock#")},
        locks={k: v for k, v in complaints.items() if k.startswith("lock#")},
        verifications={v["request_id"]: v for v in raw["verifications"]},
        audit=dict(audit),
        open_requests={c["account_sub"]: c for c in raw["open_requests"]},
        outbox={o["event_id"]: o for o in raw["outbox"]},
        jobs={j["id"]: j for j in raw["jobs"]},
        job_sites={(e["pk"], e["sk"]): e for e in raw["job_sites"]},
        offers={o["id"]: o for o in raw["offers"]},
        engagements={e["id"]: e for e in raw["engagements"]},
    )


@dataclass
class Acknowledged:
    """What clients were told: bookings created (201) and transitions acknowledged (200). Every
    acknowledged booking must exist, and an acknowledged step must not be undone."""

    bookings: dict[str, str] = field(default_factory=dict)  # booking id -> professional id
    steps: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # id -> statuses

    def created(self, booking_id: str, professional_id: str) -> None:
        self.bookings[booking_id] = professional_id

    def moved(self, booking_id: str, status: str) -> None:
        self.steps[booking_id].append(status)


# Statuses a booking may still reach after an acknowledged one (the lifecycle's forward closure).
_REACHABLE = {
    "requested": {"requested", "accepted", "in_progress", "completed", "cancelled", "expired"},
    "accepted": {"accepted", "in_progress", "completed", "cancelled", "expired"},
    "in_progress": {"in_progress", "completed"},
    "completed": {"completed"},
    "cancelled": {"cancelled"},
    "expired": {"expired"},
}


def violations(snap: Snapshot, acknowledged: Acknowledged | None = None) -> list[str]:
    found: list[str] = []
    found += _identities(snap)
    found += _geo_index(snap)
    found += _bookings(snap)
    found += _offers(snap)
    found += _complaints(snap)
    found += _decisions(snap)
    found += _outbox(snap)
    found += _jobs(snap)
    if acknowledged is not None:
        found += _acknowledged(snap, acknowledged)
    return found


def check(
    dynamodb: Any,
    prefix: str | None = None,
    acknowledged: Acknowledged | None = None,
    *,
    rescans: int = 3,
    pause_s: float = 0.5,
) -> list[str]:
    """The violations that persist over ``rescans`` scans (empty: all invariants hold)."""
    prefix = table_prefix(dynamodb) if prefix is None else prefix
    found: list[str] = []
    for attempt in range(rescans):
        found = violations(snapshot(dynamodb, prefix), acknowledged)
        if not found:
            return []
        if attempt + 1 < rescans:
            time.sleep(pause_s)
    return found


# --- the checks ------------------------------------------------------------------------------


def _identities(snap: Snapshot) -> list[str]:
    found = []
    for pid, pro in snap.professionals.items():
        if pro.get("status") not in PROFESSIONAL_STATUSES:
            found.append(f"professional {pid}: unknown status {pro.get('status')!r}")
        claims = [f"aadhaar#{pro['aadhaar_hash']}", f"mobile#{pro['mobile_hash']}"]
        if pro.get("account_sub"):
            claims.append(f"account#{pro['account_sub']}")
        for pk in claims:
            holder = snap.identities.get(pk, {}).get("professional_id")
            if holder != pid:
                found.append(f"professional {pid}: identity {pk.split('#')[0]} held by {holder!r}")
        banned = pro.get("status") == "banned"
        for pk in (f"ban#aadhaar#{pro['aadhaar_hash']}", f"ban#mobile#{pro['mobile_hash']}"):
            if banned and pk not in snap.identities:
                found.append(f"professional {pid}: banned but {pk.split('#')[1]} not on the ban registry")
    for pk, item in snap.identities.items():
        kind, _, rest = pk.partition("#")
        holder = snap.professionals.get(item.get("professional_id", ""))
        if holder is None:
            found.append(f"identity {kind}: names a missing professional {item.get('professional_id')!r}")
        elif kind == "account" and holder.get("account_sub") != rest:
            found.append(f"identity account: professional {holder['id']} has another account")
        elif kind in ("aadhaar", "mobile") and holder.get(f"{kind}_hash") != rest:
            found.append(f"identity {kind}: hash differs from professional {holder['id']}'s")
        elif kind == "ban" and holder.get("status") != "banned":
            found.append(f"ban registry: professional {holder['id']} is {holder.get('status')}, not banned")
    return found


def eligible(pro: Mapping[str, Any]) -> bool:
    return (
        pro.get("status") == "verified"
        and bool(pro.get("online"))
        and not pro.get("active_booking_id")
        and not pro.get("engagement_id")
    )


def expected_entries(pro: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    if not eligible(pro):
        return {}
    lat, lng = float(pro["lat"]), float(pro["lng"])
    cell = geo.fine_cell(lat, lng)
    count = int(pro.get("rating_count") or 0)
    rating = round(float(pro.get("rating_sum") or 0) / count, 1) if count else None
    content = {"professional_id": pro["id"], "name": pro["name"], "lat": lat, "lng": lng, "rating": rating}
    return {
        (geo.partition_key(service, geo.partition_cell(cell)), geo.sort_key(cell, pro["id"])): content
        for service in set(pro.get("services") or ())
    }


def _geo_index(snap: Snapshot) -> list[str]:
    found = []
    expected: dict[tuple[str, str], dict[str, Any]] = {}
    for pro in snap.professionals.values():
        expected.update(expected_entries(pro))
    for key in snap.geo.keys() - expected.keys():
        pid = snap.geo[key].get("professional_id")
        owner = snap.professionals.get(pid or "")
        why = "missing" if owner is None else _ineligible_reason(owner)
        found.append(f"geo index: entry {key[0]} for professional {pid} who is {why}")
    for key in expected.keys() - snap.geo.keys():
        found.append(
            f"geo index: eligible professional {expected[key]['professional_id']} has no {key[0]} entry"
        )
    for key in expected.keys() & snap.geo.keys():
        stored, want = snap.geo[key], expected[key]
        got = {
            "professional_id": stored.get("professional_id"),
            "name": stored.get("name"),
            "lat": float(stored.get("lat", 0)),
            "lng": float(stored.get("lng", 0)),
            "rating": None if stored.get("rating") is None else float(stored["rating"]),
        }
        if got != want:
            found.append(f"geo index: entry {key[0]} of {want['professional_id']} is {got}, expected {want}")
    return found


def _ineligible_reason(pro: Mapping[str, Any]) -> str:
    if pro.get("status") != "verified":
        return str(pro.get("status"))
    if not pro.get("online"):
        return "offline"
    if pro.get("engagement_id"):
        return f"held by engagement {pro.get('engagement_id')}"
    return f"on booking {pro.get('active_booking_id')}"


def _bookings(snap: Snapshot) -> list[str]:
    found = []
    active: dict[str, list[str]] = defaultdict(list)
    for bid, booking in snap.bookings.items():
        status = booking.get("status")
        if status not in BOOKING_STATUSES:
            found.append(f"booking {bid}: unknown status {status!r}")
        if (status == "requested") != bool(booking.get("awaiting")):
            found.append(f"booking {bid}: {status} but awaiting={booking.get('awaiting')!r}")
        if status in ACTIVE and booking.get("held") is not False:  # a scheduled one holds its slot
            active[booking["professional_id"]].append(bid)
        for cid in booking.get("complaint_ids") or ():
            complaint = snap.complaints.get(cid)
            if complaint is None or complaint.get("booking_id") != bid:
                found.append(f"booking {bid}: lists complaint {cid}, which is not about it")
    holders = {pid: pro.get("active_booking_id") for pid, pro in snap.professionals.items()}
    found += _one_holder("professional", "active booking", active, holders, snap.bookings)
    found += _open_requests(snap)
    return found


def _offers(snap: Snapshot) -> list[str]:
    found = []
    live: dict[str, list[str]] = defaultdict(list)
    for bid, booking in sorted(snap.bookings.items()):
        status = booking.get("status")
        offers = booking.get("offers") or []
        offered = [o.get("professional_id") for o in offers]
        twice = sorted(pid for pid, n in Counter(offered).items() if n > 1)
        if twice:
            found.append(f"booking {bid}: offered more than once to {twice}")
        pending = [o for o in offers if o.get("outcome") == "pending"]
        if status == "requested" and offers:
            if len(pending) != 1 or offers[-1] is not pending[0]:
                found.append(f"booking {bid}: requested but its live offer is not its last one")
            elif pending[0].get("professional_id") != booking.get("professional_id"):
                found.append(
                    f"booking {bid}: offered to {pending[0].get('professional_id')} "
                    f"but held by {booking.get('professional_id')}"
                )
        if status == "requested" and booking.get("held") is not False:  # scheduled: see _slots
            live[str(booking.get("professional_id"))].append(bid)
        if status == "accepted" and offers and offers[-1].get("outcome") != "accepted":
            found.append(f"booking {bid}: accepted but its last offer is {offers[-1].get('outcome')}")
        if status not in ("requested", "accepted") and booking.get("timer"):
            found.append(f"booking {bid}: {status} but still on the timers index")
        if booking.get("reason") == "not_started" and (status != "expired" or not booking.get("accepted_at")):
            found.append(f"booking {bid}: not_started but {status}, accepted_at={booking.get('accepted_at')}")
    for pid, held in sorted(live.items()):
        if len(held) > 1:
            found.append(f"professional {pid}: {len(held)} live offers at once {held}")
    found += _slots(snap)
    return found


def _slots(snap: Snapshot) -> list[str]:
    """A professional's slots are exactly their scheduled bookings still requested or accepted
    (or in progress), and no two of them overlap."""
    found = []
    expected: dict[str, set[str]] = defaultdict(set)
    for bid, booking in snap.bookings.items():
        if booking.get("scheduled_for") and booking.get("status") in ACTIVE:
            expected[str(booking.get("professional_id"))].add(bid)
    for pid in sorted(expected.keys() | {p for p, pro in snap.professionals.items() if pro.get("slots")}):
        slots = (snap.professionals.get(pid) or {}).get("slots") or {}
        if set(slots) != expected[pid]:
            found.append(
                f"professional {pid}: slots {sorted(slots)}, scheduled bookings {sorted(expected[pid])}"
            )
        windows = sorted(tuple(str(text).split("/", 1)) for text in slots.values())
        for (_, end), (start, _) in itertools.pairwise(windows):
            if start < end:
                found.append(f"professional {pid}: overlapping slots")
    return found


def _open_requests(snap: Snapshot) -> list[str]:
    """Every account's counter equals its counted bookings in ``requested`` (no counter: 0)."""
    open_now = Counter(
        str(b.get("citizen_sub"))
        for b in snap.bookings.values()
        if b.get("status") == "requested" and b.get("counted")
    )
    found = []
    for sub in sorted(open_now.keys() | snap.open_requests.keys()):
        stored = int(snap.open_requests.get(sub, {}).get("requested") or 0)
        if stored != open_now[sub]:
            found.append(f"account {sub}: open requests counted {stored}, but {open_now[sub]} requested")
    return found


def _complaints(snap: Snapshot) -> list[str]:
    found = []
    undecided: dict[str, list[str]] = defaultdict(list)
    for cid, complaint in snap.complaints.items():
        status = complaint.get("status")
        if status not in COMPLAINT_STATUSES:
            found.append(f"complaint {cid}: unknown status {status!r}")
        decision = complaint.get("decision")
        if (status in ("upheld", "dismissed")) != bool(decision):
            found.append(f"complaint {cid}: {status} with decision {decision!r}")
        elif decision and decision.get("outcome") != status:
            found.append(f"complaint {cid}: {status} but decided {decision.get('outcome')}")
        flag = complaint.get("open_flag")
        pending_emit = bool(complaint.get("escalation")) and not complaint["escalation"].get("emitted")
        if (status == "open" and flag != "open") or (status != "open" and flag == "open"):
            found.append(f"complaint {cid}: {status} with open_flag={flag!r}")
        if flag == "igrs_pending" and not pending_emit:
            found.append(f"complaint {cid}: in the IGRS outbox with nothing to emit")
        booking = snap.bookings.get(complaint.get("booking_id", ""))
        if booking is None:
            found.append(f"complaint {cid}: booking {complaint.get('booking_id')} missing")
        elif cid not in (booking.get("complaint_ids") or ()):
            found.append(f"complaint {cid}: not listed on booking {booking['id']}")
        if status in UNDECIDED:
            undecided[f"lock#{complaint.get('booking_id')}#{complaint.get('kind')}"].append(cid)
        ban = complaint.get("ban") or {}
        if status == "upheld" and complaint.get("kind") == "overcharge" and (decision or {}).get("ban"):
            pro = snap.professionals.get(complaint.get("professional_id", ""), {})
            expected = {"proposed": ("suspended", "banned"), "confirmed": ("banned",)}.get(
                str(ban.get("status"))
            )
            if expected is None and ban.get("status") != "overturned":
                found.append(f"complaint {cid}: upheld with a ban, ban record {ban!r}")
            elif expected is not None and pro.get("status") not in expected:
                found.append(f"complaint {cid}: ban {ban.get('status')}, professional {pro.get('status')}")
    holders = {lock: item.get("complaint_id") for lock, item in snap.locks.items()}
    found += _one_holder("lock", "undecided complaint", undecided, holders, snap.complaints)
    return found


def _one_holder(
    owner: str,
    what: str,
    live: Mapping[str, list[str]],
    holders: Mapping[str, str | None],
    items: Mapping[str, Mapping[str, Any]],
) -> list[str]:
    """At most one live ``what`` per owner, and the owner's pointer (``holders``) names exactly
    it: a professional's ``active_booking_id``, a complaint lock's ``complaint_id``."""
    found = []
    for key, ids in live.items():
        if len(ids) > 1:
            found.append(f"{owner} {key}: {len(ids)} {what}s at once {sorted(ids)}")
        if holders.get(key) not in ids:
            found.append(f"{owner} {key}: live {what} {ids} but it points at {holders.get(key)!r}")
    for key, held in holders.items():
        if held and held not in live.get(key, []):
            status = items.get(held, {}).get("status", "missing")
            found.append(f"{owner} {key}: points at {what} {held}, which is {status}")
    return found


def _decisions(snap: Snapshot) -> list[str]:
    found = []
    for subject, entries in snap.audit.items():
        chain = verify_chain(AuditEntry.model_validate({"evidence": {}, **e}) for e in entries)
        if not chain.valid:
            found.append(f"audit trail of {subject}: chain broken at seq {chain.broken_at}")
        counts = Counter(_decision_key(e) for e in entries)
        for key, count in counts.items():
            if key is not None and count > 1:
                found.append(f"audit trail of {subject}: {key} recorded {count} times")
    for pid, pro in snap.professionals.items():
        verification = pro.get("verification") or {}
        decided = sum(1 for h in verification.get("history") or () if h.get("stage") == "decision")
        if decided > int(verification.get("submissions") or 0):
            found.append(f"professional {pid}: {decided} verification decisions for fewer submissions")
    return found


def _decision_key(entry: Mapping[str, Any]) -> str | None:
    action, evidence = entry.get("action"), entry.get("evidence") or {}
    if action in ("complaint_upheld", "complaint_dismissed"):
        return f"decision of complaint {evidence.get('complaint_id')}"
    if action in ("verified", "rejected"):
        return f"decision of police request {evidence.get('request_id')}"
    if action == "banned":
        return "ban"
    if action == "suspended":
        return f"suspension by complaint {evidence.get('complaint_id')}"
    return None


def _acknowledged(snap: Snapshot, acknowledged: Acknowledged) -> list[str]:
    found = []
    for bid, pid in acknowledged.bookings.items():
        booking = snap.bookings.get(bid)
        if booking is None:
            found.append(f"booking {bid}: created (201) but not stored")
            continue
        offered = [o.get("professional_id") for o in booking.get("offers") or ()]
        if booking.get("professional_id") != pid and pid not in offered:
            found.append(f"booking {bid}: created for {pid}, stored for {booking.get('professional_id')}")
        for status in acknowledged.steps.get(bid, []):
            if booking.get("status") not in _REACHABLE[status]:
                found.append(f"booking {bid}: acknowledged {status}, stored {booking.get('status')}")
    return found


# A booking event announces a status the booking holds, or one reached after it.
_BOOKING_EVENT_STATUS = {
    "booking_requested": "requested",
    "booking_accepted": "accepted",
    "booking_started": "in_progress",
    "booking_completed": "completed",
    "booking_cancelled": "cancelled",
    "booking_expired": "expired",
}


def _outbox(snap: Snapshot) -> list[str]:
    found = []
    for event_id, item in snap.outbox.items():
        event = json.loads(item["detail"])
        kind = event.get("kind")
        if kind in _BOOKING_EVENT_STATUS:
            booking = snap.bookings.get(event.get("booking_id", ""))
            announced = _BOOKING_EVENT_STATUS[kind]
            if booking is None or booking["status"] not in _REACHABLE[announced]:
                found.append(f"outbox {event_id}: its booking is {booking and booking['status']}")
        elif kind in ("complaint_opened", "complaint_decided"):
            complaint = snap.complaints.get(event.get("complaint_id", ""))
            decided = complaint is not None and complaint["status"] in ("upheld", "dismissed")
            if complaint is None or (kind == "complaint_decided" and not decided):
                found.append(f"outbox {event_id}: its complaint is {complaint and complaint['status']}")
        elif kind in ("banned", "ban_confirmed"):
            professional = snap.professionals.get(event.get("professional_id", ""))
            if professional is None or professional["status"] != "banned":
                found.append(f"outbox {event_id}: its professional is not banned")
        elif kind == "suspended":
            professional = snap.professionals.get(event.get("professional_id", ""))
            if professional is None or professional["status"] not in ("suspended", "banned"):
                found.append(f"outbox {event_id}: its professional is not suspended")
    return found


def _site_keys(job: Mapping[str, Any]) -> set[tuple[str, str]]:
    cell = geo.fine_cell(float(job["lat"]), float(job["lng"]))
    partition = geo.partition_cell(cell)
    return {
        (geo.partition_key(service, partition), geo.sort_key(cell, job["id"]))
        for service in (job["service_id"], ANY_SERVICE)
    }


def _jobs(snap: Snapshot) -> list[str]:
    found = []
    engaged: dict[str, list[str]] = defaultdict(list)
    for eid, engagement in snap.engagements.items():
        engaged[engagement.get("job_id", "")].append(eid)
        offer = snap.offers.get(engagement.get("offer_id", ""))
        if offer is None or offer.get("status") != "accepted" or offer.get("engagement_id") != eid:
            found.append(f"engagement {eid}: its offer {engagement.get('offer_id')} is not accepted as it")
    expected_sites: set[tuple[str, str]] = set()
    for jid, job in snap.jobs.items():
        status, filled, positions = (
            job.get("status"),
            int(job.get("filled") or 0),
            int(job.get("positions") or 0),
        )
        if status not in JOB_STATUSES:
            found.append(f"job {jid}: unknown status {status!r}")
        if filled > positions:
            found.append(f"job {jid}: over-filled, {filled} of {positions} positions")
        if filled != len(engaged.get(jid, [])):
            found.append(f"job {jid}: filled={filled} but {len(engaged.get(jid, []))} engagements")
        if (status == "filled") != (filled == positions and status != "closed"):
            found.append(f"job {jid}: {status} with {filled} of {positions} positions filled")
        if status == "open":
            expected_sites |= _site_keys(job)
    for key in snap.job_sites.keys() - expected_sites:
        job = snap.jobs.get(snap.job_sites[key].get("job_id", ""), {})
        found.append(
            f"job sites: entry {key[0]} for job {snap.job_sites[key].get('job_id')}, {job.get('status')}"
        )
    for key in expected_sites - snap.job_sites.keys():
        found.append(f"job sites: open job {key[1].split('#', 1)[1]} has no {key[0]} entry")
    for oid, offer in snap.offers.items():
        if offer.get("status") == "accepted" and offer.get("engagement_id") not in snap.engagements:
            found.append(f"offer {oid}: accepted without its engagement")
    holding: dict[str, list[str]] = defaultdict(list)
    for eid, engagement in snap.engagements.items():
        if engagement.get("status") == "active" and engagement.get("holds_professional"):
            holding[engagement["professional_id"]].append(eid)
    holders = {pid: pro.get("engagement_id") for pid, pro in snap.professionals.items()}
    found += _one_holder("professional", "full-time engagement", holding, holders, snap.engagements)
    return found
