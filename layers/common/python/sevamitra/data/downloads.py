"""Short-lived download links for what parties uploaded to the documents bucket: complaint evidence
(``complaints/<id>/``) and expense receipts (``receipts/<booking>/<expense>/``), for the people
who may see them (the complaint and booking routes decide who; this module only signs).

Uploads go straight to S3 with a presigned POST and nothing tells the record that the file came,
so a link is signed only for an object that is there: one HeadObject per item, at most
``MAX_CHECKED`` per answer (a complaint holds at most 10 evidence files; a booking up to 50 receipts). An
object that is missing, beyond the cap, or cannot be checked now is listed without a link, never
an error. Each link forces a download (``documents.presigned_download``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

from pydantic import Field

from sevamitra.data import documents
from sevamitra.domain.documents import DocumentContentType
from sevamitra.edge.errors import DependencyFailed, Throttled
from sevamitra.platform.clock import iso
from sevamitra.platform.observability import logger
from sevamitra.platform.settings import CommonSettings, settings_for

# HeadObject calls one answer may make (sequential: about 20 ms each in a region).
MAX_CHECKED = 20

# The file name a download is saved under: the item's id and the extension of its recorded type.
_EXTENSIONS = {
    DocumentContentType.PDF.value: ".pdf",
    DocumentContentType.JPEG.value: ".jpg",
    DocumentContentType.PNG.value: ".png",
}
# A recorded type that is none of the accepted ones (an old or damaged record) is sent as bytes.
_FALLBACK_TYPE = "application/octet-stream"


class DownloadSettings(CommonSettings):
    # How long a download link stays valid (API.md: url_expires_at).
    download_url_s: int = Field(default=300, ge=30, le=3600, alias="DOWNLOAD_URL_S")


def download_settings() -> DownloadSettings:
    return settings_for(DownloadSettings)


class Stored(NamedTuple):
    """One uploaded item as its record names it: ``ref`` (the evidence or receipt id) is what
    the answer is keyed by and the file is named after."""

    ref: str
    key: str
    content_type: str


class Download(NamedTuple):
    url: str
    expires_at: str

    def fields(self) -> dict[str, str]:
        """The link as the views show it (API fields ``url``, ``url_expires_at``)."""
        return {"url": self.url, "url_expires_at": self.expires_at}


def links(
    items: Iterable[Stored], *, now: datetime, config: DownloadSettings | None = None
) -> dict[str, Download]:
    """A link for each of ``items`` (in order, up to ``MAX_CHECKED``) whose object is stored;
    the others are absent from the answer."""
    config = config or download_settings()
    expires_at = iso(now + timedelta(seconds=config.download_url_s))
    found: dict[str, Download] = {}
    for checked, item in enumerate(items):
        if checked >= MAX_CHECKED:
            break
        try:
            if not documents.object_exists(item.key):
                continue
            content_type = item.content_type if item.content_type in _EXTENSIONS else _FALLBACK_TYPE
            filename = f"{item.ref}{_EXTENSIONS.get(content_type, '')}"
            url = documents.presigned_download(
                item.key, content_type, filename, expires_in_s=config.download_url_s
            )
        except (DependencyFailed, Throttled):
            # The view still answers; the links come back with the next read.
            logger.warning("download links unavailable", extra={"ref": item.ref})
            break
        found[item.ref] = Download(url, expires_at)
    return found
