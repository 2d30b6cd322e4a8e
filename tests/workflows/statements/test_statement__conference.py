"""A press conference: the invitation is released, and after the conference its record is
attached and published with the invitation (only for the conference kind, never too early)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import LedgerEvent
from core.errors import DomainError
from tests.factories import PressAgencyFactory
from tests.workflows.helpers import draft_data, new_statement
from workflows.statements import issue as statement_issue
from workflows.statements.models import Statement

RECORD = "Biên bản họp báo: Trưởng phòng thông tin về kết quả xác minh; trả lời 5 câu hỏi."


def _release(staff, act, statement, django_capture_on_commit_callbacks) -> Statement:
    extra = {}
    if statement.kind == Statement.Kind.CONFERENCE:  # the draft form shows these fields
        extra = {
            "conference_at": timezone.localtime(statement.conference_at).strftime("%Y-%m-%dT%H:%M"),
            "conference_place": statement.conference_place,
            "conference_content": statement.conference_content,
            "conference_chair": statement.conference_chair,
            "invited_agencies": [a.pk for a in statement.invited_agencies.all()],
        }
    act(staff["phatngon"], statement, "draft", draft_data(statement, **extra))
    act(staff["phatngon"], statement, "review", {"action": "approve"})
    with django_capture_on_commit_callbacks(execute=True):
        act(staff["lanhdao"], statement, "signoff", {"action": "sign", "confirm": "on"})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RELEASED, statement.document.last_error
    return statement


@pytest.fixture
def conference(staff, organisation, act, signing_credentials, django_capture_on_commit_callbacks):
    """A released invitation to a press conference two hours from now."""
    agency = PressAgencyFactory(name="Báo Giáo dục và Thời đại")
    statement = new_statement(
        staff["phatngon"],
        organisation,
        kind=Statement.Kind.CONFERENCE,
        title="Giấy mời họp báo về vụ ngộ độc thực phẩm",
        conference_at=timezone.now() + timedelta(hours=2),
        conference_place="Hội trường Phòng Giáo dục và Đào tạo",
        conference_content="họp báo thông tin về vụ ngộ độc thực phẩm tại Trường Tiểu học An Phú",
        conference_chair="Ông Nguyễn Văn Lãnh, Trưởng phòng",
        invited_agencies=[agency],
    )
    assert statement.doc_type == "giay_moi"
    return _release(staff, act, statement, django_capture_on_commit_callbacks)


def _detail(statement):
    return f"/workspace/statements/pages/{statement.pk}/"


@pytest.mark.django_db(transaction=False)
def test_the_record_cannot_be_attached_before_the_conference(client, staff, conference):
    with pytest.raises(DomainError) as exc:
        statement_issue.statement_record_attach(
            statement=conference, by=staff["phatngon"], text=RECORD
        )
    assert exc.value.code == "too_early"
    assert exc.value.message == "Buổi họp báo chưa diễn ra."
    client.force_login(staff["phatngon"])
    r = client.post(_detail(conference), {"record-text": RECORD})
    assert r.status_code == 200
    assert "Buổi họp báo chưa diễn ra." in r.content.decode()
    conference.refresh_from_db()
    assert conference.record == "" and conference.record_at is None
    assert conference.document.publication.addendum == ""
    assert not LedgerEvent.objects.filter(action="statement.record").exists()


@pytest.mark.django_db(transaction=False)
def test_after_the_conference_the_record_is_published(client, staff, conference):
    client.force_login(staff["phatngon"])
    assert 'name="record-text"' in client.get(_detail(conference)).content.decode()
    with time_machine.travel(conference.conference_at + timedelta(minutes=90), tick=False):
        r = client.post(_detail(conference), {"record-text": RECORD})
        assert r.status_code == 302, r.content.decode()[:2000]
        now = timezone.now()
    conference.refresh_from_db()
    assert conference.record == RECORD and conference.record_at == now
    publication = conference.document.publication
    publication.refresh_from_db()
    assert publication.addendum == RECORD and publication.addendum_at == now
    assert LedgerEvent.objects.filter(
        action="statement.record", target_id=str(conference.pk)
    ).exists()
    assert LedgerEvent.objects.filter(
        action="publication.addendum", target_id=str(publication.pk)
    ).exists()
    page = client.get(_detail(conference)).content.decode()
    assert "Biên bản, tóm tắt buổi họp báo" in page and "trả lời 5 câu hỏi" in page


@pytest.mark.django_db(transaction=False)
def test_the_head_may_attach_the_record_but_not_a_specialist(staff, conference):
    later = conference.conference_at + timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        for user_key in ("chuyenvien", "vanthu", "thanhtra"):
            with pytest.raises(PermissionDenied):
                statement_issue.statement_record_attach(
                    statement=conference, by=staff[user_key], text=RECORD
                )
        conference.refresh_from_db()
        assert conference.record == ""
        statement_issue.statement_record_attach(
            statement=conference, by=staff["lanhdao"], text=RECORD
        )
    conference.refresh_from_db()
    assert conference.document.publication.addendum == RECORD


@pytest.mark.django_db(transaction=False)
def test_an_empty_record_is_refused(staff, conference):
    later = conference.conference_at + timedelta(hours=1)
    with time_machine.travel(later, tick=False), pytest.raises(DomainError) as exc:
        statement_issue.statement_record_attach(
            statement=conference, by=staff["phatngon"], text="   "
        )
    assert exc.value.code == "text"


@pytest.mark.django_db(transaction=False)
def test_only_a_conference_has_a_record(
    client, staff, organisation, act, signing_credentials, django_capture_on_commit_callbacks
):
    statement = _release(
        staff,
        act,
        new_statement(staff["phatngon"], organisation, clock_start_at=timezone.now()),
        django_capture_on_commit_callbacks,
    )
    tomorrow = timezone.now() + timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False), pytest.raises(DomainError) as exc:
        statement_issue.statement_record_attach(
            statement=statement, by=staff["phatngon"], text=RECORD
        )
    assert exc.value.code == "invalid_kind"
    client.force_login(staff["phatngon"])
    assert 'name="record-text"' not in client.get(_detail(statement)).content.decode()
    statement.refresh_from_db()
    assert statement.record == "" and statement.document.publication.addendum == ""


def test_an_invitation_not_yet_released_has_no_record(staff, organisation):
    statement = new_statement(
        staff["phatngon"],
        organisation,
        kind=Statement.Kind.CONFERENCE,
        conference_at=timezone.now() + timedelta(hours=1),
        conference_place="Hội trường",
    )
    with (
        time_machine.travel(timezone.now() + timedelta(hours=2)),
        pytest.raises(DomainError) as exc,
    ):
        statement_issue.statement_record_attach(
            statement=statement, by=staff["phatngon"], text=RECORD
        )
    assert exc.value.code == "invalid_state"


@pytest.mark.django_db(transaction=False)
def test_an_authorised_spokesperson_without_a_role_may_publish_the_record(
    staff, organisation, conference
):
    """An authorisation (NĐ 244 Art. 3.5) is enough: no membership role is needed."""
    from roles import services as role_services
    from roles.models import SpokespersonAssignment
    from tests.factories import UserFactory

    authorised = UserFactory(username="uyquyen")
    role_services.spokesperson_assign(
        organisation=organisation,
        user=authorised,
        kind=SpokespersonAssignment.Kind.AUTHORISED,
        issued_by=staff["lanhdao"],
        scope="Vụ ngộ độc thực phẩm",
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate() + timedelta(days=5),
        contact_name="Người được ủy quyền",
        contact_title="Phó Trưởng phòng",
        contact_phone="0274 3755 111",
        contact_email="uyquyen@example.gov.vn",
    )
    with time_machine.travel(conference.conference_at + timedelta(hours=3), tick=False):
        statement_issue.statement_record_attach(statement=conference, by=authorised, text=RECORD)
    conference.document.publication.refresh_from_db()
    assert conference.document.publication.addendum == RECORD
