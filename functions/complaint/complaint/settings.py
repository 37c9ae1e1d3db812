"""The complaint function's configuration (validated once per cold start)."""

from __future__ import annotations

from sevamitra.data.anchors import AnchorSettings
from sevamitra.data.downloads import DownloadSettings
from sevamitra.data.igrs import IgrsSettings
from sevamitra.data.uploads import UploadSettings
from sevamitra.platform.settings import settings_for


class ComplaintSettings(UploadSettings, DownloadSettings, AnchorSettings, IgrsSettings):
    """Evidence uploads (presigned POSTs) and download links (presigned GETs), the audit anchors
    bucket (the audit route and the anchoring job) and IGRS (its endpoint and shared key:
    delivery and the callback)."""


def complaint_settings() -> ComplaintSettings:
    return settings_for(ComplaintSettings)
