"""make dev serves the web portal under /app/ as CloudFront does: files, config.json, the portal's
own routes, the cache and security headers; nothing outside web/dist."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from infra import portal_policy
from infra.portal_policy import portal_config
from local.portal import PortalSite

OUTPUTS = {
    "ApiUrl": "http://127.0.0.1:3000",
    "UserPoolId": "ap-south-1_abc",
    "UserPoolClientId": "client123",
    "AwsEndpointUrl": "http://127.0.0.1:5000",
    "Region": "ap-south-1",
}


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>Seva Mitra</title>")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)")
    (tmp_path.parent / "secret.txt").write_text("not for the web")
    return tmp_path


def _site(dist: Path) -> PortalSite:
    return PortalSite(portal_config(OUTPUTS), root=dist, connect_to=("http://127.0.0.1:5000",))


def _headers(answer: tuple[int, bytes, list[tuple[str, str]]]) -> dict[str, str]:
    return dict(answer[2])


def test_config_json_says_where_the_api_and_cognito_are():
    assert portal_config(OUTPUTS) == {
        "apiUrl": "http://127.0.0.1:3000",
        "cognito": {
            "region": "ap-south-1",
            "userPoolId": "ap-south-1_abc",
            "clientId": "client123",
            "endpoint": "http://127.0.0.1:5000/",
        },
        "languages": ["hi", "en"],
    }


def test_a_deployed_stack_config_has_no_emulator_endpoint():
    deployed = {k: v for k, v in OUTPUTS.items() if k not in ("AwsEndpointUrl", "Region")}
    assert "endpoint" not in portal_config(deployed)["cognito"]
    assert portal_config(deployed)["cognito"]["region"] == "ap-south-1"


def test_config_json_is_served_never_cached(dist: Path):
    status, body, headers = _site(dist).respond("GET", "/app/config.json")
    assert status == 200
    assert json.loads(body)["apiUrl"] == "http://127.0.0.1:3000"
    assert dict(headers)["Cache-Control"] == "no-cache"


def test_hashed_assets_are_cached_for_a_year(dist: Path):
    answer = _site(dist).respond("GET", "/app/assets/index-abc123.js")
    assert answer[0] == 200
    assert _headers(answer)["Cache-Control"] == portal_policy.IMMUTABLE_CACHE
    assert _headers(answer)["Content-Type"].startswith("text/javascript")


@pytest.mark.parametrize("path", ["/app/", "/app/bookings/bkg_1", "/app/pro/documents"])
def test_the_portals_own_routes_get_index_html(dist: Path, path: str):
    status, body, headers = _site(dist).respond("GET", path)
    assert status == 200
    assert b"Seva Mitra" in body
    assert dict(headers)["Cache-Control"] == "no-cache"


def test_text_is_gzipped_for_browsers_that_accept_it(dist: Path):
    status, body, headers = _site(dist).respond("GET", "/app/assets/index-abc123.js", "gzip, deflate, br")
    assert status == 200
    assert dict(headers)["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == b"console.log(1)"
    page = _site(dist).respond("GET", "/app/bookings/1", "gzip")
    assert gzip.decompress(page[1]).startswith(b"<!doctype html>")
    plain = _site(dist).respond("GET", "/app/assets/index-abc123.js")
    assert "Content-Encoding" not in dict(plain[2])
    assert plain[1] == b"console.log(1)"


def test_a_missing_file_is_404_not_the_page(dist: Path):
    assert _site(dist).respond("GET", "/app/assets/gone-123.js")[0] == 404


def test_nothing_outside_the_build_is_served(dist: Path):
    status, body, _ = _site(dist).respond("GET", "/app/../secret.txt")
    assert status == 404
    assert b"not for the web" not in body


def test_every_answer_carries_the_security_headers(dist: Path):
    for path in ("/app/", "/app/config.json", "/app/nothing.png"):
        headers = _headers(_site(dist).respond("GET", path))
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "connect-src 'self' http://127.0.0.1:5000" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"


def test_app_without_slash_redirects_and_writes_are_refused(dist: Path):
    status, _, headers = _site(dist).respond("GET", "/app")
    assert (status, dict(headers)["Location"]) == (301, "/app/")
    assert _site(dist).respond("POST", "/app/")[0] == 405


def test_an_unbuilt_portal_says_how_to_build_it(tmp_path: Path):
    status, body, _ = _site(tmp_path / "empty").respond("GET", "/app/")
    assert status == 503
    assert b"make web" in body


def test_only_app_paths_are_the_portals():
    assert PortalSite.serves("/app")
    assert PortalSite.serves("/app/x")
    assert not PortalSite.serves("/apply")
    assert not PortalSite.serves("/health")
