"""Settings of the local stack itself (``make dev``), on top of what every function reads."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from infra.verification_workflow import state_machine_arn
from sevamitra.platform.settings import CommonSettings

# moto's default account: resources get the same ARNs in every run, so the environment can name
# them before they exist (VERIFICATION_STATE_MACHINE_ARN).
LOCAL_ACCOUNT_ID = "123456789012"


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

    @property
    def local_state_machine_arn(self) -> str:
        """The ARN the local stack gives the verification state machine: set as
        VERIFICATION_STATE_MACHINE_ARN before any function reads its settings."""
        return state_machine_arn(self.aws_region, LOCAL_ACCOUNT_ID, self.resource_prefix)
