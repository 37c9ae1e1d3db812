"""Assisted professionals own their account: ``POST /professionals/{id}/claim-code`` (the account
that manages them) sends a one-time code by SMS to the registered mobile; ``POST
/professionals/{id}/claim`` with that code, from an account whose phone number is that mobile,
makes the account the professional's own (``GET /me`` shows it; it acts as the professional).

The code is 6 digits, stored only as a keyed hash, bound to the registered mobile, valid for
``CLAIM_CODE_TTL_S``; after ``MAX_WRONG`` wrong codes it is locked (a new code from the manager
starts again). Sending, claiming and locking are on the professional's audit trail."""

from __future__ import annotations

from datetime import timedelta

from pydantic import ConfigDict, Field

from register.settings import register_settings
from sevamitra.data import audit, claims, contacts
from sevamitra.domain import access
from sevamitra.domain.audit import AuditAction, next_entry
from sevamitra.domain.types import Model
from sevamitra.edge import pii
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Conflict, DependencyFailed, Forbidden, NotFound, Unprocessable
from sevamitra.platform.clock import Clock, iso, numeric_code, utc_now
from sevamitra.platform.observability import logger
from sevamitra.platform.sms import SmsMessage, send_sms

MAX_WRONG = 5
MAX_ATTEMPTS = 3
CODE_DIGITS = 6
_DIGEST_DOMAIN = "claim"
# Both languages in one text: the professional has no account yet, so no language preference.
_SMS_TEXT = (
    "सेवा मित्र: अपना पेशेवर खाता लेने का कोड {code} है। यह कोड किसी को न बताएँ। "
    "Seva Mitra: your code to claim your professional account is {code}. Do not share it."
)


class ClaimCodeOut(Model):
    expires_at: str = Field(description="When the code sent by SMS stops working")


class ClaimIn(Model):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[0-9]{6}$", description="The 6-digit code sent by SMS")


class ClaimOut(Model):
    professional_id: str
    account_sub: str


def _digest(professional_id: str, code: str) -> str:
    return pii.secret_digest(_DIGEST_DOMAIN, f"{professional_id}:{code}")


def send_claim_code(caller: Caller, professional_id: str, *, now: Clock = utc_now) -> ClaimCodeOut:
    """A new code for an assisted professional, by SMS to their registered mobile."""
    for _ in range(MAX_ATTEMPTS):
        view = claims.read(professional_id)
        if view is None:
            raise NotFound()
        access.require_manager(caller, view)
        if view.account_sub:
            raise Conflict("already_claimed")
        if not view.mobile_sealed:
            raise Conflict("no_registered_mobile")
        code = numeric_code(CODE_DIGITS)
        moment = now()
        expires_at = iso(moment + timedelta(seconds=register_settings().claim_code_ttl_s))
        if not claims.store_code(view, _digest(view.id, code), expires_at, iso(moment)):
            continue
        mobile = contacts.unseal(view.mobile_sealed)
        send_sms(SmsMessage(to=mobile, body=_SMS_TEXT.format(code=code), template="claim_code.hi"))
        audit.append(
            view.id,
            at=iso(moment),
            actor=caller.sub,
            action=AuditAction.CLAIM_CODE_SENT,
            evidence={"expires_at": expires_at},
        )
        logger.info("claim code sent", extra={"professional_id": view.id})
        return ClaimCodeOut(expires_at=expires_at)
    raise Conflict(message="The professional changed at the same time; retry.")


def claim(caller: Caller, professional_id: str, request: ClaimIn, *, now: Clock = utc_now) -> ClaimOut:
    """The caller's account becomes the professional's own, if its phone is the registered
    mobile and the code is right, unexpired and not locked."""
    for _ in range(MAX_ATTEMPTS):
        view = claims.read(professional_id)
        if view is None:
            raise NotFound()
        if view.account_sub:
            if view.account_sub == caller.sub:
                return ClaimOut(professional_id=view.id, account_sub=caller.sub)  # a retry
            raise Conflict("already_claimed")
        if not _is_registered_phone(caller, view.code_mobile_hash or view.mobile_hash):
            raise Forbidden(
                message="Only the professional's registered mobile number may claim this account."
            )
        at = iso(now())
        if view.wrong >= MAX_WRONG:
            raise Conflict("claim_locked")
        if view.code_hash is None or view.expires_at is None or view.expires_at <= at:
            raise Unprocessable("wrong_claim_code")
        if _digest(view.id, request.code) != view.code_hash:
            if not claims.record_wrong_try(view):
                continue
            if view.wrong + 1 >= MAX_WRONG:
                audit.append(view.id, at=at, actor=caller.sub, action=AuditAction.CLAIM_LOCKED, evidence={})
            raise Unprocessable("wrong_claim_code")
        entry = next_entry(
            audit.head(view.id),
            subject=view.id,
            at=at,
            actor=caller.sub,
            action=AuditAction.CLAIMED,
            evidence={"account_sub": caller.sub, "managed_by": view.registered_by},
        )
        # Items in the order pynamodb sends them: the puts (identity, audit entry), then the update.
        outcome = claims.claim(view, caller.sub, entry, at)
        if outcome.done:
            logger.info("professional claimed", extra={"professional_id": view.id})
            return ClaimOut(professional_id=view.id, account_sub=caller.sub)
        if outcome.refused(["account", "audit", "professional"]) == {"account"}:
            raise Conflict("already_registered")
        if not (outcome.condition_failed or outcome.conflict):
            outcome.reraise()
    raise DependencyFailed(message="The professional changed at the same time; it is safe to retry.")


def _is_registered_phone(caller: Caller, mobile_hash: str) -> bool:
    if not caller.mobile or len(caller.mobile) != 10 or not caller.mobile.isdigit():
        return False
    return pii.mobile_identity(caller.mobile).hash == mobile_hash
