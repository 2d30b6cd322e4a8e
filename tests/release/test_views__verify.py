"""Public verification page and upload: anyone may check a document; bad files never 500."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from release import amendments, verification
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


def _upload(client, url, data: bytes, name="van-ban.pdf"):
    return client.post(url, {"file": SimpleUploadedFile(name, data, "application/pdf")})


@pytest.mark.parametrize("route", ["release:verify", "release:verify-en"])
def test_anyone_sees_the_document_and_its_signatures(client, issued, route):
    response = client.get(reverse(route, args=[issued.verify_token]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "01/TB-PGDĐT" in page
    assert "Về việc tuyển sinh lớp 6" in page
    assert issued.organisation.name in page
    assert issued.sha256 in page
    assert "Có hiệu lực" in page
    assert "Nguyễn Văn Lãnh" in page  # the head's certificate, read from the stored PDF
    assert page.count("Hợp lệ") == 2


def test_a_cancelled_document_shows_cancelled(client, issued, registry_officer):
    amendments.document_cancel(document=issued, reason="Ban hành nhầm", by=registry_officer)
    page = client.get(reverse("release:verify", args=[issued.verify_token])).content.decode()
    assert "Đã bị thu hồi" in page and "Ban hành nhầm" in page


def test_an_unknown_token_is_a_404_page(client, db):
    response = client.get(reverse("release:verify", args=["khong-co-ma-nay"]))
    assert response.status_code == 404
    assert "Không tìm thấy văn bản" in response.content.decode()


def test_uploading_the_registered_pdf_says_valid(client, issued):
    pdf = issued.pdf.read()
    response = _upload(client, reverse("release:verify-upload"), pdf)
    assert response.status_code == 200
    assert "trùng khớp với văn bản đã đăng ký" in response.content.decode()
    result = verification.document_verify_upload(pdf)
    assert result["status"] == "valid"
    assert result["registered"] is True
    assert result["document"]["number"] == "01/TB-PGDĐT"
    assert result["sha256"] == issued.sha256
    assert len(result["signatures"]) == 2
    assert all(s["intact"] and s["trusted"] for s in result["signatures"])
    assert set(result["signatures"][0]) >= {"signer", "signed_at", "intact", "trusted"}


def test_uploading_on_the_document_page_says_whether_it_is_this_document(client, issued):
    url = reverse("release:verify", args=[issued.verify_token])
    page = _upload(client, url, issued.pdf.read()).content.decode()
    assert "Tệp tải lên đúng là văn bản này." in page


def test_a_cancelled_document_upload_says_cancelled(client, issued, registry_officer):
    amendments.document_cancel(document=issued, reason="Ban hành nhầm", by=registry_officer)
    result = verification.document_verify_upload(issued.pdf.read())
    assert result["status"] == "cancelled"
    assert result["registered"] is True


def test_a_validly_signed_but_unregistered_pdf_is_unknown(
    issued, signing_credentials, unsigned_pdf
):
    from release.signing import sign_pdf

    other = sign_pdf(
        unsigned_pdf, credential=signing_credentials.agency, field_name="Seal", box=None
    )
    result = verification.document_verify_upload(other)
    assert result["status"] == "unknown"
    assert result["registered"] is False
    assert result["document"] is None


def test_a_tampered_registered_pdf_is_invalid(client, issued):
    pdf = bytearray(issued.pdf.read())
    pdf[pdf.index(b"stream", 2000) + 40] ^= 0x01
    result = verification.document_verify_upload(bytes(pdf))
    assert result["status"] == "invalid"
    assert result["registered"] is False  # the hash no longer matches the register
    response = _upload(client, reverse("release:verify-upload"), bytes(pdf))
    assert response.status_code == 200
    assert "Tệp không hợp lệ" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"Xin chao, day khong phai PDF", "not_pdf"),
        (b"%PDF-1.7\n1 0 obj garbage", None),
    ],
)
def test_bad_uploads_get_a_vietnamese_message_not_a_500(client, db, data, code):
    response = _upload(client, reverse("release:verify-upload"), data)
    assert response.status_code == 200
    assert "Tệp không hợp lệ" in response.content.decode()
    result = verification.document_verify_upload(data)
    assert result["status"] == "invalid"
    assert result["error"]["message"]
    if code:
        assert result["error"]["code"] == code


def test_an_unsigned_pdf_is_reported_as_having_no_signature(client, db, unsigned_pdf):
    result = verification.document_verify_upload(unsigned_pdf)
    assert result["status"] == "invalid"
    assert result["error"]["code"] == "no_signature"
    response = _upload(client, reverse("release:verify-upload"), unsigned_pdf)
    assert response.status_code == 200
    assert result["error"]["message"] in response.content.decode()


def test_an_encrypted_pdf_is_refused_with_a_message(client, db, unsigned_pdf):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(unsigned_pdf)))
    writer.encrypt("chu-so-huu", "nguoi-doc")
    out = io.BytesIO()
    writer.write(out)
    result = verification.document_verify_upload(out.getvalue())
    assert result["status"] == "invalid"
    assert result["error"]["code"] == "encrypted"
    response = _upload(client, reverse("release:verify-upload"), out.getvalue())
    assert response.status_code == 200
    assert result["error"]["message"] in response.content.decode()


def test_a_huge_upload_is_refused_before_reading_it(client, db, settings):
    settings.RELEASE_MAX_UPLOAD_BYTES = 1024
    response = _upload(client, reverse("release:verify-upload"), b"%PDF-1.7\n" + b"0" * 4096)
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()


def test_a_post_without_a_file_is_a_400_with_the_form(client, db):
    response = client.post(reverse("release:verify-upload"), {})
    assert response.status_code == 400
    assert "Kiểm tra một tệp PDF" in response.content.decode()


def test_the_upload_form_is_public(client, db):
    for name in ("release:verify-upload", "release:verify-upload-en"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert 'enctype="multipart/form-data"' in response.content.decode()


def test_uploads_are_limited_per_client_and_minute(client, db, settings, unsigned_pdf):
    """Checking signatures is costly and the page is public: past the limit, a 429 with a
    Vietnamese message, without checking the file."""
    from django.core.cache import cache

    cache.clear()
    settings.RELEASE_VERIFY_UPLOADS_PER_MINUTE = 2
    url = reverse("release:verify-upload")
    assert _upload(client, url, unsigned_pdf).status_code == 200
    assert _upload(client, url, unsigned_pdf).status_code == 200
    r = _upload(client, url, unsigned_pdf)
    assert r.status_code == 429
    assert "quá nhiều tệp" in r.content.decode()
    other = client.post(
        url, {"file": SimpleUploadedFile("a.pdf", unsigned_pdf)}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200  # another address has its own window
    cache.clear()


def test_behind_a_trusted_proxy_the_upload_limit_is_per_client(client, db, settings, unsigned_pdf):
    """Behind the proxy REMOTE_ADDR is the proxy: the window is the forwarded client's, and a
    client's own X-Forwarded-For is not believed (code review D4, security review M3)."""
    from django.core.cache import cache

    cache.clear()
    settings.RELEASE_VERIFY_UPLOADS_PER_MINUTE = 2
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    url = reverse("release:verify-upload")

    def upload(**extra):
        pdf = SimpleUploadedFile("a.pdf", unsigned_pdf, "application/pdf")
        return client.post(url, {"file": pdf}, **extra).status_code

    proxied = {"REMOTE_ADDR": "127.0.0.1"}
    assert [upload(HTTP_X_FORWARDED_FOR="198.51.100.1", **proxied) for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert upload(HTTP_X_FORWARDED_FOR="198.51.100.2", **proxied) == 200
    direct = {"REMOTE_ADDR": "203.0.113.3"}
    assert [upload(HTTP_X_FORWARDED_FOR=f"10.0.{n}.1", **direct) for n in range(3)] == [
        200,
        200,
        429,
    ]
    cache.clear()
