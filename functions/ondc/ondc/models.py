"""What buyer apps send (``/ondc/<action>``) and what we answer at once.

The envelope is checked here: a Beckn ``context`` with what we need to answer (who sent it, where
the callback goes, which transaction and message) and, per action, the part of ``message`` the
work reads. Everything else a buyer app sends is kept as sent (``extra="allow"``): the
specification's messages carry much more than we use, and the worker reads the request as received.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

_Id = Field(min_length=1, max_length=200)


class Beckn(BaseModel):
    # defer_build as sevamitra.domain.types.Model: a request builds the validators of its action.
    model_config = ConfigDict(extra="allow", defer_build=True)


# The domains we serve (ondc.beckn.DOMAINS): any other is refused as the schema refuses it.
Domain = Literal["ONDC:SRV10", "ONDC:SRV11", "ONDC:SRV12"]


class Context(Beckn):
    domain: Domain
    action: str = Field(min_length=1, max_length=32)
    version: str | None = Field(default=None, max_length=16)
    core_version: str | None = Field(default=None, max_length=16)
    bap_id: str = _Id
    bap_uri: str = Field(min_length=1, max_length=500, pattern=r"^https?://")
    bpp_id: str | None = Field(default=None, max_length=200)
    bpp_uri: str | None = Field(default=None, max_length=500)
    transaction_id: str = _Id
    message_id: str = _Id
    timestamp: str = Field(min_length=1, max_length=40)
    ttl: str | None = Field(default=None, max_length=40)


class SearchMessage(Beckn):
    intent: dict[str, Any]


class OrderMessage(Beckn):
    order: dict[str, Any]


class OrderIdMessage(Beckn):
    order_id: str = _Id


class CancelMessage(OrderIdMessage):
    cancellation_reason_id: str | None = Field(default=None, max_length=32)


class RatingValue(Beckn):
    rating_category: str | None = Field(default=None, max_length=64)
    id: str | None = Field(default=None, max_length=200)
    value: str = Field(pattern=r"^[1-5](\.0+)?$")


class RatingMessage(Beckn):
    ratings: list[RatingValue] = Field(min_length=1, max_length=10)


class SupportMessage(Beckn):
    support: dict[str, Any] = Field(default_factory=dict)


def _context(action: str) -> type[Context]:
    """The context of ``/ondc/<action>``: its ``action`` is that action."""
    annotation: Any = Literal[action]
    return create_model(f"{action.title()}Context", __base__=Context, action=(annotation, ...))


class SearchIn(Beckn):
    context: _context("search")  # type: ignore[valid-type]
    message: SearchMessage


class SelectIn(Beckn):
    context: _context("select")  # type: ignore[valid-type]
    message: OrderMessage


class InitIn(Beckn):
    context: _context("init")  # type: ignore[valid-type]
    message: OrderMessage


class ConfirmIn(Beckn):
    context: _context("confirm")  # type: ignore[valid-type]
    message: OrderMessage


class StatusIn(Beckn):
    context: _context("status")  # type: ignore[valid-type]
    message: OrderIdMessage


class CancelIn(Beckn):
    context: _context("cancel")  # type: ignore[valid-type]
    message: CancelMessage


class BecknRatingIn(Beckn):
    context: _context("rating")  # type: ignore[valid-type]
    message: RatingMessage


class SupportIn(Beckn):
    context: _context("support")  # type: ignore[valid-type]
    message: SupportMessage


class IssueDescriptor(Beckn):
    code: str = Field(min_length=1, max_length=32)  # IGM sub-category: ITM004, FLM002, AGT01, ...
    short_desc: str | None = Field(default=None, max_length=500)
    long_desc: str | None = Field(default=None, max_length=2000)


class IssueRef(Beckn):
    ref_id: str = _Id
    ref_type: str = Field(min_length=1, max_length=32)


class Issue(Beckn):
    """ONDC IGM 2.0.0's issue, the parts we read (the rest is kept and echoed)."""

    id: str = _Id
    refs: list[IssueRef] = Field(min_length=1, max_length=20)
    descriptor: IssueDescriptor


class IssueMessage(Beckn):
    issue: Issue


class IssueIdMessage(Beckn):
    issue_id: str = _Id


class IssueIn(Beckn):
    context: _context("issue")  # type: ignore[valid-type]
    message: IssueMessage


class IssueStatusIn(Beckn):
    context: _context("issue_status")  # type: ignore[valid-type]
    message: IssueIdMessage


class Ack(BaseModel):
    status: Literal["ACK", "NACK"]


class AckMessage(BaseModel):
    ack: Ack


class AckOut(BaseModel):
    """``{"message": {"ack": {"status": "ACK"}}}``: received, checked and queued; the answer is
    the ``on_<action>`` callback to the buyer app."""

    message: AckMessage

    @classmethod
    def ack(cls) -> AckOut:
        return cls(message=AckMessage(ack=Ack(status="ACK")))
