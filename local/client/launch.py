"""The local stack started as ``make dev`` starts it (``python -m local.server``), for the e2e tests
and the load script: on free ports, with its own state directory, waited for until it answers;
stopped with SIGTERM, as Ctrl-C would."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from local.client import StackError, load_outputs
from local.client.http import is_healthy
from local.paths import ROOT, pythonpath

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalStackProcess:
    """``python -m local.server`` writing to ``state_dir`` (its ``outputs.json``; the log in
    ``log_path``, default ``state_dir/server.log``), with ``env`` on top of this process's
    environment (knobs such as ``BOOKING_ACCEPT_TIMEOUT_S``)."""

    def __init__(
        self,
        state_dir: Path,
        *,
        env: Mapping[str, str] | None = None,
        log_path: Path | None = None,
        start_timeout_s: float = START_TIMEOUT_S,
        stop_timeout_s: float = STOP_TIMEOUT_S,
    ) -> None:
        self.state_dir = Path(state_dir)
        self.log_path = log_path or self.state_dir / "server.log"
        self.env = dict(env or {})
        self.start_timeout_s = start_timeout_s
        self.stop_timeout_s = stop_timeout_s
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.outputs: dict[str, Any] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> dict[str, Any]:
        """Start it and wait until ``/health`` answers: its outputs. ``StackError`` (with the log)
        when it exits or does not answer in time."""
        env = {
            **os.environ,
            "PORT": str(self.port),
            "MOTO_PORT": str(free_port()),
            "LOCAL_STATE_DIR": str(self.state_dir),
            "PYTHONPATH": pythonpath(),
            "PYTHONUNBUFFERED": "1",
            **self.env,
        }
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "local.server"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise StackError(f"local stack exited with {self.process.returncode}:\n{self.log()}")
            if is_healthy(self.url):
                self.outputs = load_outputs(self.state_dir / "outputs.json")
                return self.outputs
            time.sleep(0.1)
        self.process.kill()
        self.process.wait()
        raise StackError(f"local stack not healthy within {self.start_timeout_s:g}s:\n{self.log()}")

    def stop(self) -> int | None:
        """SIGTERM, then its exit code; None if it had to be killed after ``stop_timeout_s``."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=self.stop_timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def __enter__(self) -> LocalStackProcess:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
