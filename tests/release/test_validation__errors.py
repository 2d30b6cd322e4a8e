"""validate_pdf refuses every kind of bad upload with a coded, Vietnamese PdfCheckError."""

import io
import os

import pytest
from django.test import override_settings
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer

from release.signing import sign_pdf
from release.validation import PdfCheckError, validate_pdf


@pytest.fixture
def signed_pdf(unsigned_pdf, signing_credentials):
    return sign_pdf(
        unsigned_pdf, credential=signing_credentials.agency, field_name="ConDau", box=None
    )


def check_error(data) -> PdfCheckError:
    with pytest.raises(PdfCheckError) as excinfo:
        validate_pdf(data)
    error = excinfo.value
    assert error.message and str(error) == error.message
    return error


def test_random_bytes_are_not_a_pdf(dev_pki):
    error = check_error(os.urandom(4096).replace(b"%PDF-", b"xxxxx"))
    assert error.code == "not_pdf"
    assert error.message == "Tệp tải lên không phải là tệp PDF."


def test_an_image_or_text_or_empty_file_is_not_a_pdf(dev_pki):
    for data in (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "Xin chào".encode(), b""):
        assert check_error(data).code == "not_pdf"


def test_non_bytes_input_is_not_a_pdf(dev_pki):
    assert check_error("%PDF-1.7 as text").code == "not_pdf"


def test_oversize_file_is_refused_before_parsing(signed_pdf):
    padded = signed_pdf + b"%" * (20 * 1024 * 1024)
    error = check_error(padded)
    assert error.code == "too_large"
    assert "20" in error.message


def test_size_limit_comes_from_settings(signed_pdf):
    with override_settings(RELEASE_MAX_UPLOAD_BYTES=len(signed_pdf) - 1):
        assert check_error(signed_pdf).code == "too_large"
    with override_settings(RELEASE_MAX_UPLOAD_BYTES=len(signed_pdf)):
        assert validate_pdf(signed_pdf).all_valid


def test_encrypted_pdf_is_refused(unsigned_pdf, dev_pki):
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(unsigned_pdf)))
    writer.encrypt("owner-secret", "user-secret")
    out = io.BytesIO()
    writer.write(out)

    error = check_error(out.getvalue())
    assert error.code == "encrypted"
    assert "mã hóa" in error.message


@pytest.mark.parametrize("where", ["inside the first revision", "inside the signature", "tail"])
def test_truncated_pdf_is_damaged(signed_pdf, where):
    cut = {
        "inside the first revision": signed_pdf.index(b"%%EOF") // 2,
        "inside the signature": signed_pdf.index(b"/Contents <") + 3000,
        "tail": len(signed_pdf) - 10,
    }[where]
    error = check_error(signed_pdf[:cut])
    assert error.code == "damaged"
    assert "bị hỏng" in error.message


def test_pdf_cut_right_after_its_first_revision_reads_as_unsigned(signed_pdf):
    # Readers accept junk after %%EOF, so what is left is a complete unsigned PDF.
    cut = signed_pdf.index(b"%%EOF") + len(b"%%EOF\n") + 20
    assert check_error(signed_pdf[:cut]).code == "no_signature"


def test_pdf_header_followed_by_garbage_is_damaged(dev_pki):
    assert check_error(b"%PDF-1.7\n" + os.urandom(3000)).code == "damaged"


def test_unsigned_pdf_has_no_signature(unsigned_pdf, dev_pki):
    error = check_error(unsigned_pdf)
    assert error.code == "no_signature"
    assert error.message == "Tệp PDF không có chữ ký số nào."


def test_corrupted_signature_value_is_reported_not_raised(signed_pdf):
    # Overwrite the middle of the CMS blob in /Contents: the signature becomes garbage.
    start = signed_pdf.index(b"/Contents <") + len(b"/Contents <")
    middle = start + 3000
    broken = signed_pdf[:middle] + b"00" * 200 + signed_pdf[middle + 400 :]
    assert len(broken) == len(signed_pdf)

    report = validate_pdf(broken)
    assert len(report.signatures) == 1
    assert not report.signatures[0].ok
    assert not report.all_valid


def test_report_carries_the_file_sha256(signed_pdf):
    import hashlib

    assert validate_pdf(signed_pdf).sha256 == hashlib.sha256(signed_pdf).hexdigest()
