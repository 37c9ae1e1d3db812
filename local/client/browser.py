"""The browser that drives the web portal in the browser tests and the portal benchmark:
``CHROMIUM_PATH``, else Debian's ``chromium`` (``make browser`` installs it with a Devanagari
font), else None, meaning Playwright's own download (``playwright install chromium``)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")
