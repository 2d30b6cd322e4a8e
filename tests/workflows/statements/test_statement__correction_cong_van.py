"""A demand for correction is a công văn (Mẫu 1.5) to the outlet that published the article;
the other kinds keep their thông cáo, thông báo and giấy mời forms."""

from datetime import date

import pytest

from core.errors import DomainError
from release.models import DocType
from release.validation import validate_pdf
from tests.release.helpers import flat_text
from tests.workflows.helpers import draft_data, new_statement
from workflows.statements import issue
from workflows.statements.models import Statement

pytestmark = pytest.mark.django_db

ARTICLE = {
    "title": "Đề nghị cải chính bài “Thu tiền trái phép”",
    "body": "Ngày 28/11/2026, Báo Tin Nhanh đăng bài có nội dung không đúng sự thật.",
    "article_outlet": "Báo Tin Nhanh",
    "article_title": "Thu tiền trái phép",
    "article_url": "https://tinnhanh.example.vn/bai-1",
    "article_published_on": date(2026, 11, 28),
}
SUMMARY = (
    "đề nghị cải chính thông tin sai sự thật trong bài “Thu tiền trái phép” đăng trên "
    "Báo Tin Nhanh ngày 28/11/2026"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # No time travel: the session's dev PKI is issued at the real time, and a signature made
    # before its certificates' start would not validate (checked under faketime too).
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_correction_is_issued_as_a_signed_cong_van_to_the_outlet(
    staff, organisation, unit, act, signing_credentials, django_capture_on_commit_callbacks
):
    statement = new_statement(
        staff["chuyenvien"], organisation, kind=Statement.Kind.CORRECTION, **ARTICLE
    )
    assert statement.doc_type == DocType.CONG_VAN
    draft = draft_data(
        statement,
        body=ARTICLE["body"],
        article_outlet=ARTICLE["article_outlet"],
        article_title=ARTICLE["article_title"],
        article_url=ARTICLE["article_url"],
        article_published_on="28/11/2026",
    )
    act(staff["chuyenvien"], statement, "draft", draft)
    act(staff["phatngon"], statement, "review", {"action": "approve"})
    with django_capture_on_commit_callbacks(execute=True):
        act(staff["lanhdao"], statement, "signoff", {"action": "sign", "confirm": "on"})
    statement.refresh_from_db()
    document = statement.document
    assert statement.status == Statement.Status.RELEASED, document.last_error
    assert document.doc_type == DocType.CONG_VAN
    assert document.number_display == "01/PGDĐT-TH"  # the drafting specialist's unit
    assert document.summary == SUMMARY
    assert document.addressees == ["Báo Tin Nhanh"]
    pdf = document.pdf.read()
    assert validate_pdf(pdf).all_valid
    text = flat_text(pdf)
    assert f"V/v {SUMMARY}" in text
    assert "Kính gửi: Báo Tin Nhanh" in text
    assert "Nơi nhận: - Như trên; - Lưu: VT, TH." in text
    assert "THÔNG BÁO" not in text


def test_a_correction_drafted_by_someone_without_a_unit_is_numbered_by_the_agency(
    staff, organisation
):
    statement = new_statement(
        staff["phatngon"], organisation, kind=Statement.Kind.CORRECTION, **ARTICLE
    )
    fields = issue._document_fields(statement)
    assert fields["unit"] is None and fields["addressees"] == ["Báo Tin Nhanh"]
    assert fields["summary"] == SUMMARY


def test_a_correction_cannot_be_a_thong_bao_any_more(staff, organisation):
    with pytest.raises(DomainError) as error:
        new_statement(
            staff["phatngon"],
            organisation,
            kind=Statement.Kind.CORRECTION,
            doc_type=DocType.THONG_BAO,
            **ARTICLE,
        )
    assert error.value.code == "doc_type"


@pytest.mark.parametrize(
    ("kind", "doc_type"),
    [
        (Statement.Kind.INITIAL, DocType.THONG_CAO),
        (Statement.Kind.PERIODIC, DocType.THONG_CAO),
        (Statement.Kind.PERIODIC, DocType.THONG_BAO),
    ],
)
def test_other_statements_keep_their_own_form(staff, organisation, kind, doc_type):
    statement = new_statement(staff["phatngon"], organisation, kind=kind, doc_type=doc_type)
    fields = issue._document_fields(statement)
    assert fields["doc_type"] == doc_type and "addressees" not in fields


def test_open_corrections_become_cong_van_and_released_ones_keep_their_type(staff, organisation):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("workflows.migrations.0013_open_corrections_as_cong_van")
    open_one, released = (
        new_statement(staff["phatngon"], organisation, kind=Statement.Kind.CORRECTION, **ARTICLE)
        for _ in range(2)
    )
    Statement.objects.filter(pk=open_one.pk).update(doc_type=DocType.THONG_BAO)
    Statement.objects.filter(pk=released.pk).update(
        doc_type=DocType.THONG_BAO, status=Statement.Status.RELEASED
    )
    migration.forwards(apps, None)
    open_one.refresh_from_db()
    released.refresh_from_db()
    assert open_one.doc_type == DocType.CONG_VAN
    assert released.doc_type == DocType.THONG_BAO
