"""Rendering fetches nothing outside the project's static files; user text is escaped."""

import pytest

from release import rendering
from release.rendering import FetchRefused, StaticOnlyFetcher, document_html, document_render
from tests.release.helpers import flat_text, issue, poppler_available

HOSTILE = '<img src="http://127.0.0.1:9/x"> <link href="file:///etc/passwd">'


@pytest.fixture
def spy_fetcher(monkeypatch):
    """Record every fetcher the renderer creates, so a test can see what it was asked."""
    made: list[StaticOnlyFetcher] = []

    class Spy(StaticOnlyFetcher):
        def __init__(self):
            super().__init__()
            made.append(self)

    monkeypatch.setattr(rendering, "StaticOnlyFetcher", Spy)
    return made


@pytest.mark.django_db
@pytest.mark.skipif(not poppler_available(), reason="poppler-utils not installed")
def test_markup_in_user_text_fetches_nothing_and_shows_literally(organisation, head, spy_fetcher):
    document = issue(
        organisation,
        head,
        summary="Trả lời <b>báo</b> & bạn đọc",
        body=f"Nội dung có thẻ {HOSTILE} ở giữa.\n\nĐoạn hai <script>alert(1)</script>",
        recipients=['Báo "Tuổi Trẻ" <style>@import url(http://127.0.0.1:9/css)</style>'],
    )
    html = document_html(document)
    assert '<img src="http' not in html and "<link href=" not in html and "<script>" not in html
    assert "&lt;img src=&quot;http://127.0.0.1:9/x&quot;&gt;" in html

    rendered = document_render(document)
    asked = [url for fetcher in spy_fetcher for url in fetcher.requested]
    assert asked, "the fonts should have been fetched through the fetcher"
    assert all(
        url.startswith(rendering.STATIC_PREFIX + "release/fonts/") or url.startswith("data:")
        for url in asked
    ), asked
    assert not any("127.0.0.1:9" in url or "passwd" in url for url in asked)
    assert not any(fetcher.refused for fetcher in spy_fetcher)

    # Lines may break after a slash, so compare without whitespace.
    text = "".join(flat_text(rendered.pdf).split())
    for literal in (
        '<img src="http://127.0.0.1:9/x">',
        '<link href="file:///etc/passwd">',
        "<script>alert(1)</script>",
        "Trả lời <b>báo</b> & bạn đọc",
        "<style>@import url(http://127.0.0.1:9/css)</style>",
    ):
        assert "".join(literal.split()) in text, literal


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "https://example.com/font.ttf",
        "file:///etc/passwd",
        "ftp://127.0.0.1/x",
        rendering.STATIC_PREFIX + "../../etc/passwd",
        rendering.STATIC_PREFIX + "release/fonts/../../../config/settings/base.py",
        rendering.STATIC_PREFIX + "%2e%2e/%2e%2e/etc/passwd",
        rendering.STATIC_PREFIX + "release/fonts/nope.ttf",
        "https://phatngon.invalid/media/release/x.pdf",
    ],
)
def test_the_fetcher_refuses_anything_but_project_static_files(url):
    fetcher = StaticOnlyFetcher()
    with pytest.raises((FetchRefused, ValueError)):
        fetcher(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_bundled_fonts_and_data_uris():
    fetcher = StaticOnlyFetcher()
    font = fetcher(rendering.STATIC_PREFIX + "release/fonts/LiberationSerif-Regular.ttf")
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType file
    font.close()
    data = fetcher("data:text/plain;base64,eGluIGNow6Bv")
    assert data.read() == "xin chào".encode()
    data.close()
    assert fetcher.refused == []


@pytest.mark.django_db
def test_a_stylesheet_that_points_outside_is_refused_while_rendering(organisation, head):
    """Even if a template ever referenced an outside URL, rendering would not fetch it."""
    fetcher = StaticOnlyFetcher()
    html = (
        '<html><head><link rel="stylesheet" href="http://127.0.0.1:9/s.css">'
        '<style>@import url("file:///etc/passwd");</style></head>'
        '<body><img src="http://127.0.0.1:9/x"><p>xin chào</p></body></html>'
    )
    rendering.html_render(html, fetcher=fetcher).write_pdf()
    assert "http://127.0.0.1:9/s.css" in fetcher.refused
    assert "http://127.0.0.1:9/x" in fetcher.refused
    assert "file:///etc/passwd" in fetcher.refused
