"""What the document check reads from S3: the size and first bytes of one version, and which version
that was, even when an upload form is posted again while it reads."""

from __future__ import annotations

from typing import Any

import pytest

from local.provision import LocalResources, cached_client
from sevamitra.data import documents
from sevamitra.edge.errors import DependencyFailed
from sevamitra.platform.settings import settings

KEY = "professionals/pro_s/id_proof/doc_s"
CHECKED = b"%PDF-1.7 the checked one"
POSTED_LATER = b"\x89PNG\r\n\x1a\n posted while the check was reading"


def _s3() -> Any:
    return cached_client("s3", settings().aws_region)


class _PostsWhileReading:
    """An S3 client that lets another upload land right after HeadObject, as a re-posted form could."""

    def __init__(self, real: Any, bucket: str) -> None:
        self._real, self._bucket = real, bucket

    def head_object(self, **kwargs: Any) -> Any:
        described = self._real.head_object(**kwargs)
        self._real.put_object(Bucket=self._bucket, Key=KEY, Body=POSTED_LATER)
        return described

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def test_the_bytes_read_are_those_of_the_version_whose_size_was_read(
    aws: LocalResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _s3().put_object(Bucket=aws.documents_bucket, Key=KEY, Body=CHECKED)
    monkeypatch.setattr(documents, "_s3", lambda: _PostsWhileReading(_s3(), aws.documents_bucket))

    stored = documents.stored_object(KEY)

    assert stored == documents.StoredObject(
        len(CHECKED), CHECKED[: len(stored.head)], first["VersionId"], first["ETag"].strip('"')
    )
    assert _s3().get_object(Bucket=aws.documents_bucket, Key=KEY)["Body"].read() == POSTED_LATER


def test_without_versioning_the_etag_pins_the_read_and_a_post_in_between_is_retried(
    aws: LocalResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    unversioned = "sevamitra-test-unversioned"
    _s3().create_bucket(
        Bucket=unversioned, CreateBucketConfiguration={"LocationConstraint": settings().aws_region}
    )
    elsewhere = settings().model_copy(update={"documents_bucket": unversioned})
    monkeypatch.setattr(documents, "settings", lambda: elsewhere)
    put = _s3().put_object(Bucket=unversioned, Key=KEY, Body=CHECKED)

    stored = documents.stored_object(KEY)
    assert stored is not None
    assert (stored.version_id, stored.etag, stored.size) == (None, put["ETag"].strip('"'), len(CHECKED))

    monkeypatch.setattr(documents, "_s3", lambda: _PostsWhileReading(_s3(), unversioned))
    with pytest.raises(DependencyFailed):  # Step Functions retries the step, which reads again
        documents.stored_object(KEY)
