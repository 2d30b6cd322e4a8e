"""A statement's fields: the drafter's editable fields, their checks, the legal clock and the
starting text; shared by drafting, the steps and issuing."""

from datetime import timedelta

from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from release.models import DocType
from workflows.rules import deadlines

from .models import Statement

# The documents each kind may be released as (the first is the default).
KIND_DOC_TYPES = {
    Statement.Kind.PERIODIC: (DocType.THONG_CAO, DocType.THONG_BAO),
    Statement.Kind.INITIAL: (DocType.THONG_CAO,),
    Statement.Kind.DIVERGENT: (DocType.THONG_CAO,),
    # A demand for correction goes to the press agency that published: a công văn (Mẫu 1.5).
    Statement.Kind.CORRECTION: (DocType.CONG_VAN,),
    Statement.Kind.CONFERENCE: (DocType.GIAY_MOI, DocType.THONG_BAO),
    Statement.Kind.ANNUAL_REPORT: (DocType.BAO_CAO,),
}

# Fields a drafter may change while the statement is in the drafting step.
EDITABLE_FIELDS = (
    "title",
    "body",
    "event_summary",
    "embargo_at",
    "article_outlet",
    "article_title",
    "article_url",
    "article_published_on",
    "conference_at",
    "conference_place",
    "conference_content",
    "conference_chair",
)

# A starting text per kind, filled with the organisation's name.
BODY_TEMPLATES = {
    Statement.Kind.PERIODIC: (
        "{org} cung cấp thông tin định kỳ về hoạt động của ngành như sau:\n\n"
        "1. Kết quả nổi bật trong kỳ: …\n\n2. Nhiệm vụ trọng tâm kỳ tới: …"
    ),
    Statement.Kind.INITIAL: (
        "Ngày …, tại …, đã xảy ra sự việc …\n\n"
        "Ngay sau khi nắm được thông tin, {org} đã …\n\n"
        "{org} sẽ tiếp tục cung cấp thông tin khi có kết quả xác minh."
    ),
    Statement.Kind.DIVERGENT: (
        "Thời gian qua, dư luận có nhiều ý kiến khác nhau về …\n\n"
        "Về vấn đề này, {org} thông tin như sau: …"
    ),
    Statement.Kind.CORRECTION: (
        "Ngày {date}, {outlet} đăng bài “{article}” ({url}) có nội dung không đúng sự thật về {org}."
        "\n\nNội dung sai sự thật: …\n\nThông tin chính xác: …\n\n"
        "Căn cứ quy định về phát ngôn và cung cấp thông tin cho báo chí, {org} đề nghị "
        "{outlet} cải chính, xin lỗi và gỡ bỏ thông tin sai sự thật theo quy định của "
        "Luật Báo chí."
    ),
    Statement.Kind.CONFERENCE: (
        "{org} trân trọng kính mời: đại diện lãnh đạo và phóng viên các cơ quan báo chí."
    ),
    # The figures table (the statement's annex) goes in at the line ANNEX_MARK.
    Statement.Kind.ANNUAL_REPORT: (
        "Thực hiện Nghị định số 244/2026/NĐ-CP, {org} báo cáo kết quả công tác phát ngôn và "
        "cung cấp thông tin cho báo chí năm {year} (số liệu từ ngày 15/12/{previous} đến ngày "
        "14/12/{year}) như sau:\n\n"
        "1. Tình hình thực hiện công tác phát ngôn\n\n…\n\n"
        "2. Kết quả\n\n[BẢNG SỐ LIỆU]\n\n"
        "3. Đánh giá, khó khăn, vướng mắc\n\n…\n\n"
        "4. Kiến nghị, đề xuất\n\n…"
    ),
}

# Where an annual report's figures table goes in its body (at the end when the line is gone).
ANNEX_MARK = "[BẢNG SỐ LIỆU]"


def body_template(statement: Statement, *, year: int | None = None) -> str:
    published = statement.article_published_on
    year = year or timezone.localdate().year
    return BODY_TEMPLATES.get(statement.kind, "").format(
        org=statement.organisation.name,
        outlet=statement.article_outlet or "…",
        article=statement.article_title or "…",
        url=statement.article_url or "…",
        date=published.strftime("%d/%m/%Y") if published else "…",
        year=year,
        previous=year - 1,
    )


def statement_snapshot(statement: Statement) -> dict:
    data = model_to_dict(
        statement,
        fields=[
            "status",
            "title",
            "clock_start_at",
            "due_at",
            "embargo_at",
            "signer",
            "signing_authority",
            "document",
            "released_at",
        ],
    )
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def statement_clean(statement: Statement, *, now, for_submit: bool) -> None:
    """Check a statement's fields; `for_submit` adds what a statement needs before review."""
    statement.title = (statement.title or "").strip()
    if not statement.title:
        raise DomainError(_("Hãy nhập tiêu đề."), code="title", field="title")
    if len(statement.title) > 300:
        raise DomainError(_("Tiêu đề dài tối đa 300 ký tự."), code="title", field="title")
    statement.body = (statement.body or "").strip()
    if len(statement.body) > 100_000:
        raise DomainError(_("Nội dung dài tối đa 100.000 ký tự."), code="body", field="body")
    if statement.embargo_at and statement.embargo_at > now + timedelta(days=366):
        raise DomainError(
            _("Thời điểm công bố quá xa (tối đa một năm)."), code="embargo_at", field="embargo_at"
        )
    if (
        statement.embargo_at
        and statement.due_at
        and statement.kind in Statement.CLOCKED_KINDS
        and statement.embargo_at > statement.due_at
    ):
        raise DomainError(
            _(
                "Thời điểm công bố phải trước hạn phát ngôn (%(due)s): công bố muộn hơn là vi "
                "phạm thời hạn luật định."
            )
            % {"due": f"{timezone.localtime(statement.due_at):%H:%M %d/%m/%Y}"},
            code="embargo_after_due",
            field="embargo_at",
        )
    if statement.kind == Statement.Kind.CORRECTION:
        if not statement.article_outlet.strip():
            raise DomainError(
                _("Hãy ghi cơ quan báo chí đã đăng thông tin sai sự thật."),
                code="article_outlet",
                field="article_outlet",
            )
        if not statement.article_url:
            raise DomainError(
                _("Hãy ghi đường dẫn bài báo."), code="article_url", field="article_url"
            )
        if statement.article_published_on and statement.article_published_on > timezone.localdate(
            now
        ):
            raise DomainError(
                _("Ngày đăng bài không được ở tương lai."),
                code="article_published_on",
                field="article_published_on",
            )
    if statement.kind == Statement.Kind.CONFERENCE:
        if (
            statement.conference_at is not None
            and statement.status == Statement.Status.DRAFTING
            and statement.conference_at < now
        ):
            raise DomainError(
                _("Thời gian họp báo đã qua: giấy mời phải mời đến một buổi họp báo sắp tới."),
                code="conference_at",
                field="conference_at",
            )
        if statement.conference_at is None:
            raise DomainError(
                _("Hãy nhập thời gian họp báo."), code="conference_at", field="conference_at"
            )
        if not statement.conference_place.strip():
            raise DomainError(
                _("Hãy nhập địa điểm họp báo."),
                code="conference_place",
                field="conference_place",
            )
        if for_submit and not statement.conference_content.strip():
            raise DomainError(
                _("Hãy nhập nội dung họp báo (dòng “Tới dự” của giấy mời)."),
                code="conference_content",
                field="conference_content",
            )
        if for_submit and not statement.conference_chair.strip():
            raise DomainError(
                _("Hãy nhập người chủ trì họp báo."),
                code="conference_chair",
                field="conference_chair",
            )
    if for_submit and not statement.body:
        raise DomainError(_("Nội dung không được để trống."), code="body", field="body")


def statement_deadline(statement: Statement) -> None:
    """Fill the legal clock of a 24-hour (or correction) statement from the rulebook."""
    if statement.kind not in Statement.CLOCKED_KINDS:
        return
    if statement.clock_start_at is None:
        raise DomainError(
            _(
                "Hãy nhập thời điểm cơ quan tiếp nhận, xử lý hoặc xác định vụ việc (bắt đầu tính hạn)."
            ),
            code="clock_start_at",
            field="clock_start_at",
        )
    try:
        deadline = deadlines.deadline_compute(
            kind=statement.kind,
            received_at=statement.clock_start_at,
            start_at=statement.clock_start_at,
            organisation=statement.organisation,
        )
    except DomainError as exc:
        if exc.code != "no_rule":
            raise
        # e.g. divergent opinion under the 2017 regime: no legal clock.
        statement.regime = deadlines.regime_for(statement.clock_start_at)
        statement.rule = None
        statement.due_at = None
        statement.due_explanation = exc.message
        return
    statement.regime, statement.rule = deadline.regime, deadline.rule
    statement.due_at, statement.due_explanation = deadline.due_at, deadline.explanation


# The clock start may be corrected while drafting (the deadline is computed again and the
# change is on the ledger); it cannot be cleared.
# Fields that may be cleared (set to None); text fields are cleared with "".
NULLABLE_FIELDS = {"embargo_at", "article_published_on", "conference_at"}


def statement_fields_apply(statement: Statement, data: dict) -> None:
    """Copy the given editable fields (absent ones stay as they are)."""
    clock = data.get("clock_start_at")

    def minute(moment):
        return moment.replace(second=0, microsecond=0) if moment else None

    # Forms post minutes: the same minute is no correction (seconds must not drift the clock).
    if (
        clock is not None
        and statement.kind in Statement.CLOCKED_KINDS
        and minute(clock) != minute(statement.clock_start_at)
    ):
        if clock > timezone.now() + timedelta(minutes=5):
            raise DomainError(
                _("Thời điểm bắt đầu tính hạn không được ở tương lai."),
                code="clock_start_at",
                field="clock_start_at",
            )
        statement.clock_start_at = clock
        statement_deadline(statement)
    for name in EDITABLE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        if value is None and name not in NULLABLE_FIELDS:
            value = ""
        setattr(statement, name, value)
    if "invited_agencies" in data and data["invited_agencies"] is not None:
        statement.invited_agencies.set(list(data["invited_agencies"]))
