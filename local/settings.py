"""Settings of the local stack itself (``make dev``), on top of what every function reads."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from sevamitra.settings import CommonSettings


class LocalSettings(CommonSettings):
    host: str = Field(default="127.0.0.1", alias="HOST")
    port: int = Field(default=3000, ge=0, le=65535, alias="PORT")
    # 0: any free port.
    moto_port: int = Field(default=0, ge=0, le=65535, alias="MOTO_PORT")
    schedule_interval_s: float = Field(default=60, gt=0, alias="SCHEDULE_INTERVAL_S")
    local_state_dir: Path = Field(default=Path(".local"), alias="LOCAL_STATE_DIR")

    @property
    def outputs_path(self) -> Path:
        return self.local_state_dir / "outputs.json"
