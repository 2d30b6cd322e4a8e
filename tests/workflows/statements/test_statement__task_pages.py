"""A statement's task pages: the signer's draft document, the confirmation, a finished task."""

import re

import pytest
from django.urls import reverse

from tests.release.helpers import flat_text, poppler_available
from tests.workflows.helpers import BODY, new_statement, open_task, task_url, to_step
from workflows.statements.models import Statement


def _draft_url(statement):
    return reverse("workflows:statement-draft-pdf", args=[statement.pk])


@pytest.fixture
def at_signoff(staff, organisation, act):
    statement = new_statement(staff["chuyenvien"], organisation)
    to_step(statement, staff, act, "signoff")
    assert statement.status == Statement.Status.SIGNOFF
    return statement


@pytest.mark.skipif(not poppler_available(), reason="needs poppler (pdftotext)")
def test_the_signer_sees_the_statement_that_will_be_issued(at_signoff, staff, client):
    client.force_login(staff["lanhdao"])
    task = open_task(at_signoff, "signoff")
    client.post(task_url(task, "assign"), {})
    page = client.get(task_url(task, "execute")).content.decode()
    assert _draft_url(at_signoff) in page and "(số sẽ cấp khi ký)" in page
    png = reverse("workflows:statement-draft-png", args=[at_signoff.pk])
    assert png in page
    assert client.get(png)["Content-Type"] == "image/png"
    assert "Các cơ quan báo chí" in page  # the recipients
    r = client.get(_draft_url(at_signoff))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = flat_text(r.content)
    assert "THÔNG CÁO BÁO CHÍ" in text and at_signoff.title[:40] in text
    assert " ".join(BODY.split())[:60] in text and "(số sẽ cấp khi ký)" in text
    at_signoff.refresh_from_db()
    assert at_signoff.document is None


def test_the_spokesperson_may_read_the_draft_at_review(staff, organisation, act, client):
    statement = new_statement(staff["chuyenvien"], organisation)
    to_step(statement, staff, act, "review")
    client.force_login(staff["phatngon"])
    assert client.get(_draft_url(statement)).status_code == 200


@pytest.mark.parametrize("who", ["vanthu", "chuyenvien", "thanhtra"])
def test_the_draft_is_refused_to_who_may_not_review_or_sign(at_signoff, staff, client, who):
    client.force_login(staff[who])
    assert client.get(_draft_url(at_signoff)).status_code == 403


def test_the_draft_is_refused_to_another_organisation(at_signoff, client, outsider):
    client.force_login(outsider)
    assert client.get(_draft_url(at_signoff)).status_code == 403


def test_no_draft_while_drafting(staff, organisation, client):
    statement = new_statement(staff["chuyenvien"], organisation)
    client.force_login(staff["lanhdao"])
    assert client.get(_draft_url(statement)).status_code == 404


def _opened(client, user, statement, step) -> str:
    client.force_login(user)
    task = open_task(statement, step)
    client.post(task_url(task, "assign"), {})
    return client.get(task_url(task, "execute")).content.decode()


def test_review_and_signoff_open_with_the_forward_action_named_on_the_button(
    staff, organisation, act, client
):
    statement = new_statement(staff["chuyenvien"], organisation)
    to_step(statement, staff, act, "review")
    page = _opened(client, staff["phatngon"], statement, "review")
    assert re.search(r'name="action" value="approve"[^>]*checked', page)
    assert ">Duyệt và trình ký</button>" in page and 'data-label-return="Trả lại"' in page
    act(staff["phatngon"], statement, "review", {"action": "approve"})
    page = _opened(client, staff["lanhdao"], statement, "signoff")
    assert re.search(r'name="action" value="sign"[^>]*checked', page)
    assert ">Ký số và ban hành</button>" in page
    assert not re.search(r'name="confirm"[^>]*checked', page)


def test_signing_a_statement_needs_the_confirmation(at_signoff, staff, act):
    act(staff["lanhdao"], at_signoff, "signoff", {"action": "sign"}, expect=200)
    assert at_signoff.status == Statement.Status.SIGNOFF
    act(staff["lanhdao"], at_signoff, "signoff", {"action": "sign", "confirm": "on"})
    assert at_signoff.status == Statement.Status.RELEASING


def test_a_finished_statement_task_says_it_is_done(staff, organisation, act, client):
    statement = new_statement(staff["chuyenvien"], organisation)
    task = open_task(statement, "draft")
    to_step(statement, staff, act, "review")
    client.force_login(staff["chuyenvien"])
    r = client.get(task_url(task, "execute"))
    page = r.content.decode()
    assert r.status_code == 200 and "Việc này đã được xử lý xong." in page
    assert statement.get_absolute_url() in page and statement.reference in page


def test_the_creation_form_marks_each_kinds_own_fields(client, staff):
    """The page shows a kind's own fields only once that kind is chosen (task-form.js reads
    data-chooser and data-actions; UX review, problem 13)."""
    client.force_login(staff["phatngon"])
    page = client.get("/workspace/statements/pages/tao/").content.decode()
    assert 'data-chooser="kind"' in page
    form = client.get("/workspace/statements/pages/tao/").context["form"]
    actions = {name: f.widget.attrs.get("data-actions") for name, f in form.fields.items()}
    assert set(actions["clock_start_at"].split()) == {
        "initial_statement",
        "divergent_opinion",
        "correction_response",
    }
    assert actions["article_url"] == "correction_response"
    assert actions["conference_place"] == "conference"
    assert actions["title"] is None and actions["body"] is None
