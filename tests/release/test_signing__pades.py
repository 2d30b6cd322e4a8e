"""PAdES signing: person then agency seal, checked by pyHanko and independently by poppler's pdfsig."""

import io
import os

import pytest
from django.test import override_settings
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import HTTPTimeStamper

from release.pki import certificates as dev
from release.signing import SignatureBox, SigningError, sign_pdf, timestamper
from release.validation import validate_pdf
from tests.release import pdfsig as poppler

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
needs_pdfsig = pytest.mark.skipif(
    not poppler.available() and not REQUIRE_SERVICES,
    reason="pdfsig/certutil not installed (make system-test-deps)",
)

SIGNATURE_BOX = SignatureBox(page=0, x1=330, y1=120, x2=500, y2=190)
# The caller puts the seal over the left third of the signature.
SEAL_BOX = SignatureBox(page=0, x1=300, y1=100, x2=400, y2=200)


def sign_pair(pdf, credentials, *, person="head", tsa=None):
    signed = sign_pdf(
        pdf,
        credential=getattr(credentials, person),
        field_name="ChuKyNguoiKy",
        box=SIGNATURE_BOX,
        reason="Phát hành văn bản",
        location="Thuận An",
        timestamper=tsa,
    )
    return sign_pdf(
        signed,
        credential=credentials.agency,
        field_name="ChuKyCoQuan",
        box=SEAL_BOX,
        reason="Đóng dấu điện tử",
        location="Thuận An",
        timestamper=tsa,
    )


@pytest.fixture(scope="session")
def nss_dir(dev_pki, tmp_path_factory):
    if not poppler.available():
        if REQUIRE_SERVICES:
            pytest.fail("pdfsig/certutil not installed (REQUIRE_SERVICES=1 forbids skipping)")
        pytest.skip("pdfsig/certutil not installed")
    return poppler.nss_db_trusting(dev_pki.root_path, tmp_path_factory.mktemp("nss"))


@pytest.fixture
def signed_pdf(unsigned_pdf, signing_credentials):
    return sign_pair(unsigned_pdf, signing_credentials)


def flip_byte(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1 :]


def offset_inside_first_stream(data: bytes) -> int:
    """Return an offset inside the first content stream after the header: signed by everyone."""
    start = data.index(b"stream", 200)
    return start + 40


def test_person_and_agency_signatures_are_pades_and_valid_in_pyhanko(signed_pdf, dev_pki):
    report = validate_pdf(signed_pdf)

    assert [s.field_name for s in report.signatures] == ["ChuKyNguoiKy", "ChuKyCoQuan"]
    person, agency = report.signatures
    assert person.signer == "Nguyễn Văn Lãnh"
    assert agency.signer == "Phòng Giáo dục và Đào tạo thành phố Thuận An"
    for sig in report.signatures:
        assert sig.intact and sig.valid and sig.trusted, sig
        assert not sig.timestamped
        assert sig.signed_at is not None and sig.signed_at.tzinfo is not None
    assert not person.covers_document  # the seal was appended after it
    assert agency.covers_document
    assert report.all_valid
    reader = PdfFileReader(io.BytesIO(signed_pdf))
    for embedded in reader.embedded_signatures:
        assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    # RSA keeps the document at PDF 1.x (EC would make pyHanko declare 2.0).
    assert reader.root.get("/Version", "/1.7") != "/2.0"


def test_both_signatures_have_visible_boxes_on_the_page(signed_pdf):
    reader = PdfFileReader(io.BytesIO(signed_pdf))
    rects = {}
    for embedded in reader.embedded_signatures:
        field = embedded.sig_field
        rects[embedded.field_name] = [float(v) for v in field["/Rect"]]
        assert "/AP" in field  # an appearance stream: the image is drawn
    assert rects["ChuKyNguoiKy"] == [330, 120, 500, 190]
    assert rects["ChuKyCoQuan"] == [300, 100, 400, 200]


@needs_pdfsig
def test_pdfsig_accepts_both_signatures(signed_pdf, nss_dir):
    result = poppler.pdfsig(signed_pdf, nss_dir=nss_dir)

    assert len(result.signatures) == 2, result.output
    for sig in result.signatures:
        assert sig.valid, result.output
        assert sig.trusted, result.output
        assert sig.signature_type == "ETSI.CAdES.detached"
    assert result.signatures[1].total_document_signed
    assert not result.signatures[0].total_document_signed


@needs_pdfsig
def test_one_changed_byte_in_the_signed_range_fails_pyhanko_and_pdfsig(signed_pdf, nss_dir):
    tampered = flip_byte(signed_pdf, offset_inside_first_stream(signed_pdf))

    report = validate_pdf(tampered)
    assert [s.intact for s in report.signatures] == [False, False]
    assert not report.all_valid
    result = poppler.pdfsig(tampered, nss_dir=nss_dir)
    assert len(result.signatures) == 2, result.output
    assert result.returncode == 0  # why the output must be parsed
    for sig in result.signatures:
        assert not sig.valid
        assert sig.validation == "Digest Mismatch.", result.output


@needs_pdfsig
def test_a_changed_byte_in_the_seal_dictionary_fails_only_the_seal(signed_pdf, nss_dir):
    # The signing time /M of the last signature is signed by the seal only.
    # pyHanko writes the colon octal-escaped: /M (D\07220261126...).
    offset = signed_pdf.rindex(b"/M (D\\072") + len(b"/M (D\\072") + 3
    tampered = flip_byte(signed_pdf, offset)

    report = validate_pdf(tampered)
    assert report.signatures[0].intact and report.signatures[0].valid
    assert not report.signatures[1].intact
    assert not report.all_valid
    result = poppler.pdfsig(tampered, nss_dir=nss_dir)
    assert [s.valid for s in result.signatures] == [True, False], result.output


def test_bytes_appended_after_the_seal_are_not_covered(signed_pdf):
    report = validate_pdf(signed_pdf + b"\n% appended\n")

    assert all(s.intact and s.valid for s in report.signatures)
    assert not report.signatures[-1].covers_document
    assert not report.all_valid


def test_untrusted_root_reports_trusted_false(signed_pdf, tmp_path):
    stranger = dev.ensure_authorities(tmp_path / "stranger")
    with override_settings(RELEASE_TRUST_ROOTS=[str(stranger.root_path)]):
        report = validate_pdf(signed_pdf)
    for sig in report.signatures:
        assert sig.intact and sig.valid
        assert not sig.trusted
    assert not report.all_valid


def test_no_configured_trust_root_never_falls_back_to_the_system(signed_pdf, tmp_path):
    with override_settings(RELEASE_TRUST_ROOTS=[str(tmp_path / "missing.pem")]):
        report = validate_pdf(signed_pdf)
    assert [s.trusted for s in report.signatures] == [False, False]


@needs_pdfsig
def test_pdfsig_without_the_root_does_not_trust(signed_pdf, tmp_path):
    empty_nss = poppler.nss_db_trusting(None, tmp_path / "nss")
    result = poppler.pdfsig(signed_pdf, nss_dir=empty_nss)
    assert [s.valid for s in result.signatures] == [True, True], result.output
    assert not any(s.trusted for s in result.signatures)


def test_b_t_with_timestamper_shows_a_trusted_timestamp(
    unsigned_pdf, signing_credentials, dummy_timestamper
):
    signed = sign_pair(
        unsigned_pdf, signing_credentials, person="deputy_head", tsa=dummy_timestamper
    )

    report = validate_pdf(signed)
    assert report.all_valid
    for sig in report.signatures:
        assert sig.timestamped
        assert sig.signed_at is not None
    assert report.signatures[0].signer == "Trần Thị Phó"


def test_invisible_signature_without_box(unsigned_pdf, signing_credentials):
    signed = sign_pdf(
        unsigned_pdf, credential=signing_credentials.agency, field_name="Seal", box=None
    )
    report = validate_pdf(signed)
    assert report.all_valid
    embedded = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    assert [float(v) for v in embedded.sig_field["/Rect"]] == [0, 0, 0, 0]


def test_visible_signature_without_an_image_uses_a_text_stamp(unsigned_pdf, signing_credentials):
    credential = signing_credentials.head
    credential.image_path = ""
    signed = sign_pdf(unsigned_pdf, credential=credential, field_name="Sig", box=SIGNATURE_BOX)
    assert validate_pdf(signed).all_valid


def test_timestamper_follows_tsa_url_setting():
    with override_settings(TSA_URL=""):
        assert timestamper() is None
    with override_settings(TSA_URL="http://tsa.example.vn/tsr"):
        tsa = timestamper()
    assert isinstance(tsa, HTTPTimeStamper)
    assert tsa.url == "http://tsa.example.vn/tsr"


def test_wrong_passphrase_raises_signing_error(unsigned_pdf, signing_credentials, tmp_path):
    credential = signing_credentials.head
    wrong = tmp_path / "wrong.secret"
    wrong.write_text("not-the-passphrase")
    credential.secret_file = str(wrong)
    with pytest.raises(SigningError, match="sai mật khẩu"):
        sign_pdf(unsigned_pdf, credential=credential, field_name="Sig", box=None)


def test_missing_key_file_or_secret_raises_signing_error(unsigned_pdf, signing_credentials):
    credential = signing_credentials.agency
    credential.pkcs12_path = "/nonexistent/agency.p12"
    with pytest.raises(SigningError, match="Không tìm thấy tệp khóa"):
        sign_pdf(unsigned_pdf, credential=credential, field_name="Sig", box=None)

    credential = signing_credentials.deputy_head
    credential.secret_file = ""
    credential.secret_env = "PHATNGON_TEST_UNSET_PASSPHRASE"
    os.environ.pop("PHATNGON_TEST_UNSET_PASSPHRASE", None)
    with pytest.raises(SigningError, match="PHATNGON_TEST_UNSET_PASSPHRASE"):
        sign_pdf(unsigned_pdf, credential=credential, field_name="Sig", box=None)


def test_passphrase_from_environment_variable(unsigned_pdf, signing_credentials, monkeypatch):
    credential = signing_credentials.deputy_head
    with open(credential.secret_file) as fh:
        monkeypatch.setenv("PHATNGON_TEST_PASSPHRASE", fh.read())
    credential.secret_file = ""
    credential.secret_env = "PHATNGON_TEST_PASSPHRASE"
    signed = sign_pdf(unsigned_pdf, credential=credential, field_name="Sig", box=None)
    assert validate_pdf(signed).all_valid


def test_signing_a_non_pdf_raises_signing_error(signing_credentials):
    with pytest.raises(SigningError):
        sign_pdf(b"not a pdf", credential=signing_credentials.agency, field_name="S", box=None)


def test_content_changed_after_the_person_signed_voids_that_signature(
    unsigned_pdf, signing_credentials
):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = sign_pdf(
        unsigned_pdf, credential=signing_credentials.head, field_name="ChuKy", box=SIGNATURE_BOX
    )
    # Paint over the page in a new revision, then let the agency seal the result.
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    overlay = writer.add_object(generic.StreamObject(stream_data=b"1 1 1 rg 0 0 600 800 re f"))
    writer.add_stream_to_page(0, overlay)
    out = io.BytesIO()
    writer.write(out)
    sealed = sign_pdf(
        out.getvalue(), credential=signing_credentials.agency, field_name="ConDau", box=SEAL_BOX
    )

    person, agency = validate_pdf(sealed).signatures
    assert person.intact and person.valid and person.trusted
    assert person.later_changes == "OTHER"
    assert not person.ok
    assert agency.ok
    assert not validate_pdf(sealed).all_valid


def test_adding_the_seal_counts_as_an_allowed_later_change(signed_pdf):
    person, agency = validate_pdf(signed_pdf).signatures
    assert person.later_changes == "FORM_FILLING"
    assert person.later_changes_allowed
    assert agency.later_changes == "NONE"
