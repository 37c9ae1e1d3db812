"""The words of every notification and SMS reply (``notification_templates.json``), rendered in
Hindi (the default) or English, and how many SMS parts a text costs.

Fields are cut to ``FIELD_LIMITS`` before they go into a text, so that every template fits its SMS
budget whatever a name or a job title says (``tests/unit/test_notification_templates.py`` renders
each one with the longest values). Money is written as people write it (``₹1,50,000``; ``Rs`` in
English, whose SMS must stay in the GSM-7 alphabet), deadlines in Indian time.
"""

from __future__ import annotations

import json
from datetime import timedelta, timezone
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from sevamitra.platform.clock import parse_iso

LANGUAGES = ("hi", "en")
DEFAULT_LANGUAGE = "hi"
AUDIENCES = ("citizen", "professional", "manager")
IST = timezone(timedelta(hours=5, minutes=30), "IST")

# The longest value a field may put into a text (characters); longer values are cut and end in
# "..": a GSM-7 mark, so that cutting never turns an English SMS into UCS-2.
FIELD_LIMITS = {
    "name": 20,
    "job": 30,
    "service": 50,
    "ref": 6,
    "fee": 14,
    "amount": 14,
    "deadline": 11,
    "complaint_kind": 20,
    "outcome": 20,
    "verification": 12,
    "igrs_status": 20,
    "remarks": 60,
}
ELLIPSIS = ".."


class Template(NamedTuple):
    kind: str
    audience: str
    sms: bool
    title: dict[str, str]
    body: dict[str, str]

    def dlt_key(self, language: str) -> str:
        """The key of this SMS's DLT template id in ``SMS_DLT_TEMPLATE_IDS``."""
        return f"{self.kind}.{self.audience}.{language}"


@cache
def catalogue() -> dict[str, Any]:
    text = (resources.files("sevamitra.domain") / "notification_templates.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def templates(kind: str) -> dict[str, Template]:
    """The templates of ``kind`` by audience (empty for an unknown kind)."""
    return {
        audience: Template(kind, audience, bool(spec["sms"]), dict(spec["title"]), dict(spec["body"]))
        for audience, spec in catalogue()["kinds"].get(kind, {}).items()
    }


def all_templates() -> list[Template]:
    return [template for kind in catalogue()["kinds"] for template in templates(kind).values()]


def language_or_default(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def cut(name: str, value: str) -> str:
    limit = FIELD_LIMITS.get(name)
    if limit is None or len(value) <= limit:
        return value
    return value[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def render(text: str, fields: dict[str, str]) -> str:
    return text.format_map(_Fields({name: cut(name, value) for name, value in fields.items()}))


def word(group: str, key: str, language: str) -> str:
    entry = catalogue()["words"].get(group, {}).get(key)
    return str(entry[language]) if entry else key


def reply(name: str, language: str, **fields: str) -> str:
    """One of the SMS replies (``sms_not_understood``, ``sms_declined``, ``sms_paid``...)."""
    return render(catalogue()["replies"][name][language_or_default(language)], fields)


def reply_dlt_key(name: str, language: str) -> str:
    return f"{name}.{language_or_default(language)}"


def indian_grouping(whole: int) -> str:
    """1234567 -> ``12,34,567``: lakhs and crores, as amounts are written in India."""
    digits = str(whole)
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ",".join([*groups, tail])


def money(paise: int, language: str) -> str:
    rupees, rest = divmod(int(paise), 100)
    amount = indian_grouping(rupees) + (f".{rest:02d}" if rest else "")
    return f"₹{amount}" if language == "hi" else f"Rs {amount}"


def deadline(at: str) -> str:
    """``28/11 16:00``: the day and time in Indian Standard Time."""
    return parse_iso(at).astimezone(IST).strftime("%d/%m %H:%M")


# --- SMS parts ------------------------------------------------------------------------------------

_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€\f")


class SmsSize(NamedTuple):
    encoding: str  # "GSM-7" | "UCS-2"
    units: int  # septets (extended characters count 2) or UTF-16 code units
    parts: int


def sms_size(text: str) -> SmsSize:
    """How carriers count ``text``: GSM-7 (160 per SMS, 153 per part when concatenated) if every
    character is in its alphabet, else UCS-2 (70, and 67 per part)."""
    if all(ch in _GSM7_BASIC or ch in _GSM7_EXTENDED for ch in text):
        units = sum(2 if ch in _GSM7_EXTENDED else 1 for ch in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    parts = 1 if units <= single else -(-units // part)
    return SmsSize(encoding, units, parts)
