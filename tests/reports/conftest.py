"""Cases made straight in the database, at fixed instants, for the report figures."""

import itertools
from datetime import datetime

import pytest

from reports.selectors import VN_TZ
from roles.models import Role
from tests.conftest import _staff
from tests.factories import OrganisationFactory
from workflows.cases.models import Case

_refs = itertools.count(1)


def vn(*args) -> datetime:
    """An instant in Vietnam time."""
    return datetime(*args, tzinfo=VN_TZ)


def make_case(organisation, journalist, *, received_at, status=Case.Status.DRAFTING, **kw) -> Case:
    data = {
        "reference": f"RP-{next(_refs):06d}",
        "organisation": organisation,
        "kind": Case.Kind.QUESTION,
        "channel": Case.Channel.PORTAL,
        "journalist": journalist,
        "press_agency": journalist.journalist_profile.press_agency,
        "subject": "Tuyển sinh lớp 6",
        "received_at": received_at,
        "status": status,
    }
    data.update(kw)
    return Case.objects.create(**data)


@pytest.fixture
def school(organisation):
    """A school under Phòng GDĐT Thuận An (which is under the Sở)."""
    return OrganisationFactory(
        code="thcs-nguyen-trai",
        name="Trường THCS Nguyễn Trãi",
        kind="school",
        parent=organisation,
        abbreviation="THCSNT",
    )


@pytest.fixture
def province_head(province):
    """The Sở's director: oversees every organisation below the Sở."""
    return _staff("giamdoc", province, Role.HEAD, "Giám đốc")


@pytest.fixture
def province_specialist(province):
    """Staff of the Sở without a leading role: sees the Sở's own figures only."""
    return _staff("chuyenviendso", province, Role.REGISTRY_OFFICER, "Văn thư")


def make_statement(organisation, author, *, created_at, status="drafting", topics=(), **kw):
    """A statement straight in the database, created at `created_at`, carrying `topics`."""
    from workflows.statements.models import Statement

    data = {
        "reference": f"PN-RP-{next(_refs):06d}",
        "organisation": organisation,
        "kind": Statement.Kind.PERIODIC,
        "doc_type": "thong_cao",
        "title": "Thông tin định kỳ tháng 10",
        "author": author,
        "status": status,
    }
    data.update(kw)
    statement = Statement.objects.create(**data)
    Statement.objects.filter(pk=statement.pk).update(created_at=created_at)
    statement.topics.set(topics)
    return statement


def make_topics(organisation, year, titles, **kw) -> list:
    """Plan topics numbered 1, 2, … for `organisation` and `year`."""
    from roles.models import PlanTopic

    return [
        PlanTopic.objects.create(organisation=organisation, year=year, number=n, title=title, **kw)
        for n, title in enumerate(titles, start=1)
    ]


def december_second() -> datetime:
    """2 December 10:00 of this year, or now if later: a test that signs travels there, never
    before the (session's) test certificates were made, so it also passes under faketime."""
    now = datetime.now(tz=VN_TZ)
    return max(now, vn(now.year, 12, 2, 10))
