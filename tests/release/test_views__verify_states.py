"""The verification page: a genuine and a tampered file look different — colour, icon and
heading, not only the sentence."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from release.models import IssuedDocument
from tests.release.helpers import issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def issued(organisation, head, signing_credentials, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = issue(organisation, head, summary="Về việc tuyển sinh lớp 6")
    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.ISSUED
    return document


def _verdict(client, data: bytes) -> dict:
    """Upload `data` and return the result box's class, heading and icon."""
    page = client.post(
        reverse("release:verify-upload"),
        {"file": SimpleUploadedFile("van-ban.pdf", data, "application/pdf")},
    ).content.decode()
    box = re.search(
        r'<section class="upload-result verdict (verdict-\w+)" role="status"[^>]*>(.*?)</section>',
        page,
        re.S,
    )
    assert box, "the upload result box is missing"
    heading = re.search(r'<h2 id="verdict-heading">\s*(.*?)\s*</h2>', box.group(2), re.S)
    icon = re.search(r'<svg class="verdict-icon".*?</svg>', box.group(2), re.S)
    return {"class": box.group(1), "heading": heading.group(1), "icon": icon.group(0)}


def _tampered(pdf: bytes) -> bytes:
    data = bytearray(pdf)
    data[data.index(b"stream", 2000) + 40] ^= 0x01
    return bytes(data)


def test_a_genuine_and_a_tampered_file_differ_in_colour_icon_and_heading(client, issued):
    pdf = issued.pdf.read()
    genuine = _verdict(client, pdf)
    tampered = _verdict(client, _tampered(pdf))

    assert genuine["class"] == "verdict-ok" and genuine["heading"] == "Tệp hợp lệ"
    assert tampered["class"] == "verdict-bad" and tampered["heading"] == "Tệp KHÔNG hợp lệ"
    assert genuine["icon"] != tampered["icon"]
    assert 'aria-hidden="true"' in genuine["icon"]  # the heading says it in words


def test_a_file_that_is_no_pdf_gets_the_invalid_box(client, db):
    verdict = _verdict(client, b"Xin chao, day khong phai PDF")
    assert verdict["class"] == "verdict-bad" and verdict["heading"] == "Tệp KHÔNG hợp lệ"


def test_the_document_page_shows_its_status_as_a_verdict_and_times_in_words(client, issued):
    page = client.get(reverse("release:verify", args=[issued.verify_token])).content.decode()
    assert 'class="verdict verdict-ok"' in page and "Văn bản đang có hiệu lực" in page
    # Signing times read "19:16:18 ngày 30/11/2026", not ISO 8601.
    assert re.search(r"\d{2}:\d{2}:\d{2} ngày \d{2}/\d{2}/\d{4}", page)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", page)


def test_an_unknown_token_says_so_in_a_red_box_with_a_way_on(client, db):
    response = client.get(reverse("release:verify", args=["khong-co-ma-nay"]))
    page = response.content.decode()
    assert response.status_code == 404
    assert 'class="verdict verdict-bad"' in page and "Không tìm thấy văn bản" in page
    assert reverse("release:verify-upload") in page
