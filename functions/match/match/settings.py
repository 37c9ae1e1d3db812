"""The match function's configuration (validated once per cold start)."""

from __future__ import annotations

from pydantic import Field, model_validator

from sevamitra.edge.ratelimit import RateLimit
from sevamitra.platform.settings import CommonSettings, settings_for


class MatchSettings(CommonSettings):
    # Searches per account (GET /match): a burst within a sustained allowance, as fixed windows
    # (sevamitra.edge.ratelimit). The defaults leave a person searching room and make a script mapping
    # professionals' locations slow; docs/decisions.md "Searches are rate limited per account".
    search_burst: int = Field(default=10, ge=1, alias="MATCH_SEARCH_BURST")
    search_burst_window_s: int = Field(default=60, ge=1, alias="MATCH_SEARCH_BURST_WINDOW_S")
    search_sustained: int = Field(default=60, ge=1, alias="MATCH_SEARCH_SUSTAINED")
    search_sustained_window_s: int = Field(default=3600, ge=1, alias="MATCH_SEARCH_SUSTAINED_WINDOW_S")

    @property
    def search_rate_limit(self) -> RateLimit:
        return RateLimit(
            burst=self.search_burst,
            burst_window_s=self.search_burst_window_s,
            sustained=self.search_sustained,
            sustained_window_s=self.search_sustained_window_s,
        )

    @model_validator(mode="after")
    def _usable_rate_limit(self) -> MatchSettings:
        self.search_rate_limit.check()
        return self


def match_settings() -> MatchSettings:
    return settings_for(MatchSettings)
