"""Per-account rate limits: a burst allowance within a sustained rate, as fixed windows.

An account may make at most ``burst`` requests in any burst window and ``sustained`` in any
sustained window (both aligned to the epoch; the sustained window is a whole number of burst
windows). Both counts live in ONE item per (scope, account, sustained window), so a request is
one conditional ``UpdateItem`` (``sevamitra.data.rate_limits``). Fixed windows let a client use
up to twice an allowance across a window boundary; that is the price of one write per request.
"""

from __future__ import annotations

from typing import NamedTuple

MAX_BURST_WINDOWS = 60
"""Burst windows per sustained window: each has its own counter in the item (which stays < 1 KB)."""


class Windows(NamedTuple):
    start_s: int  # the sustained window's start (epoch seconds): part of the item's key
    burst_index: int  # which burst window of it ``now`` falls in
    burst_end_s: int
    end_s: int


class RateLimit(NamedTuple):
    burst: int
    burst_window_s: int
    sustained: int
    sustained_window_s: int

    def check(self) -> RateLimit:
        """The limit, or ``ValueError`` saying what makes it unusable."""
        if min(self) < 1:
            raise ValueError("rate limits and windows must be positive")
        if self.sustained_window_s % self.burst_window_s:
            raise ValueError("the sustained window must be a whole number of burst windows")
        if self.sustained_window_s // self.burst_window_s > MAX_BURST_WINDOWS:
            raise ValueError(f"at most {MAX_BURST_WINDOWS} burst windows per sustained window")
        if self.burst > self.sustained:
            raise ValueError("the burst cannot exceed the sustained allowance")
        return self

    def windows(self, now_s: int) -> Windows:
        start = now_s - now_s % self.sustained_window_s
        index = (now_s - start) // self.burst_window_s
        return Windows(
            start_s=start,
            burst_index=index,
            burst_end_s=start + (index + 1) * self.burst_window_s,
            end_s=start + self.sustained_window_s,
        )


class Refused(NamedTuple):
    """Over the limit: the client may try again after ``retry_after_s`` seconds."""

    retry_after_s: int
