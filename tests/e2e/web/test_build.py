"""The built portal (web/dist, `make web`) and its sources: the first-load budget, nothing loaded
from elsewhere, nothing the Content-Security-Policy would block, every string in both message
catalogues, and the client's own unit tests (Node's test runner over web/test)."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from local.paths import ROOT

WEB = ROOT / "web"
DIST = WEB / "dist"
SRC = WEB / "src"
# HTML + JS + CSS a phone downloads before the first screen, gzip-compressed (what CloudFront and
# every browser negotiate): at most 150 KB.
FIRST_LOAD_BUDGET_BYTES = 150 * 1000


class _Assets(HTMLParser):
    """The scripts, stylesheets and module preloads index.html names, and any inline script."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("src"):
                self.urls.append(str(attributes["src"]))
            else:
                self._in_script = True
        if tag == "link" and attributes.get("rel") in ("stylesheet", "modulepreload", "icon"):
            self.urls.append(str(attributes.get("href")))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1


def _built() -> tuple[str, _Assets]:
    index = DIST / "index.html"
    if not index.is_file():
        pytest.fail("web/dist is not built: run `make web` (make test does it first)")
    html = index.read_text(encoding="utf-8")
    parser = _Assets()
    parser.feed(html)
    return html, parser


def first_load() -> dict[str, int]:
    """Each file of the first load and its gzip size."""
    html, assets = _built()
    sizes = {"index.html": len(gzip.compress(html.encode(), 9))}
    for url in assets.urls:
        if url.startswith("data:"):
            continue
        path = DIST / url.removeprefix("/app/")
        sizes[url] = len(gzip.compress(path.read_bytes(), 9))
    return sizes


def test_first_load_is_within_150_kb_compressed():
    sizes = first_load()
    assert any(url.endswith(".js") for url in sizes), sizes
    assert any(url.endswith(".css") for url in sizes), sizes
    assert sum(sizes.values()) <= FIRST_LOAD_BUDGET_BYTES, sizes


def test_the_page_loads_only_its_own_files_and_no_inline_script():
    html, assets = _built()
    assert assets.inline_scripts == 0
    for url in assets.urls:
        assert url.startswith("/app/") or url.startswith("data:"), url
    assert not re.search(r"https?://", html.replace("http://www.w3.org", ""))
    for asset in (DIST / "assets").iterdir():
        if asset.suffix == ".css":
            css = asset.read_text()
            assert "@import" not in css, asset
            assert "url(http" not in css, asset


def test_english_is_not_in_the_first_load():
    # The Hindi catalogue is part of the first load; English comes when chosen.
    sizes = first_load()
    english = json.loads((SRC / "messages" / "en.json").read_text())["home.title"]
    for url in sizes:
        if url.endswith(".js"):
            assert english not in (DIST / url.removeprefix("/app/")).read_text(encoding="utf-8")


def _catalogue(lang: str) -> dict[str, str]:
    return json.loads((SRC / "messages" / f"{lang}.json").read_text(encoding="utf-8"))


def test_both_catalogues_have_the_same_messages_with_the_same_placeholders():
    hi, en = _catalogue("hi"), _catalogue("en")
    assert set(hi) == set(en)
    for key in hi:
        assert hi[key].strip(), key
        assert en[key].strip(), key
        assert set(re.findall(r"\{(\w+)\}", hi[key])) == set(re.findall(r"\{(\w+)\}", en[key])), key


def _code(path: Path) -> str:
    """A source file without its comments."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    return re.sub(r"(^|\s)//.*$", "", text, flags=re.MULTILINE)


def test_every_message_a_screen_asks_for_is_in_the_catalogue():
    # t('key') anywhere; and in screens and components, every 'a.b' string (the keys a form's
    # problems are given as) but the browser-storage names.
    hi = _catalogue("hi")
    asked = [
        (path.name, key)
        for path in SRC.rglob("*.js")
        for key in re.findall(r"\bt\('([a-z_][\w.]*)'", _code(path))
    ]
    asked += [
        (path.name, key)
        for folder in ("screens", "components")
        for path in (SRC / folder).glob("*.js")
        for key in re.findall(r"'([a-z_]+(?:\.[A-Za-z_0-9]+)+)'", _code(path))
        if not key.startswith("sevamitra.")
    ]
    assert len(asked) > 100
    missing = [(name, key) for name, key in asked if key not in hi]
    assert not missing


def test_no_screen_holds_hindi_text_of_its_own():
    # Place names are data (web/src/data); digits are what people type (web/src/digits.js).
    devanagari_letters = re.compile(r"[\u0900-\u0965\u0970-\u097f]")
    offenders = [
        path.relative_to(WEB).as_posix()
        for path in SRC.rglob("*.js")
        if "data" not in path.parts and devanagari_letters.search(_code(path))
    ]
    assert not offenders


def test_client_unit_tests_pass_in_node():
    node = shutil.which("node")
    assert node, "Node is needed to build the portal"
    result = subprocess.run(
        [node, "--test", "test/"], cwd=WEB, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
