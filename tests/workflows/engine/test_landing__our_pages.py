"""Every link a user can follow lands on the product's pages (issue 13): viewflow's task detail
and process detail send staff to the task's form or the case's page, the menu has no second
"Inbox / Queue" pair nor the kanban, and notification links are short and labelled."""

from django.urls import reverse

from tests.workflows.helpers import open_task, task_url


def _case_page(case) -> str:
    return reverse("cases:pages:detail", args=[case.pk])


def test_the_menu_links_only_our_work_pages(case, staff, client):
    client.force_login(staff["vanthu"])
    html = client.get(reverse("work:index")).content.decode()
    for generic in ('href="/workspace/case/"', "/workspace/case/inbox/", "/workspace/case/queue/"):
        assert generic not in html
    assert html.count(reverse("work:queue")) >= 1 and html.count(reverse("work:mine")) >= 1


def test_task_and_process_details_land_on_the_case_page_or_the_form(case, staff, act, client):
    task = open_task(case, "triage")
    process = case.processes.get()
    client.force_login(staff["vanthu"])
    # In the queue: the case's page (the queue's "Nhận và xử lý" takes it).
    assert client.get(task_url(task, "detail"))["Location"] == _case_page(case)
    assert client.get(reverse("work:open", args=[task.pk]))["Location"] == reverse("work:queue")
    # viewflow's task address (notifications sent before this change): the queue, not
    # viewflow's claim screen.
    assert client.get(task_url(task, "index"))["Location"] == reverse("work:queue")
    process_url = task.flow_task.flow_class.instance.reverse("process_detail", args=[process.pk])
    assert client.get(process_url)["Location"] == _case_page(case)
    # Held: its form.
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    draft = open_task(case, "draft")
    client.force_login(staff["chuyenvien"])
    assert client.get(task_url(draft, "detail"))["Location"] == task_url(draft, "execute")
    assert client.get(task_url(draft, "index"))["Location"] == task_url(draft, "execute")
    assert client.get(reverse("work:open", args=[draft.pk]))["Location"] == task_url(
        draft, "execute"
    )
    # Someone else's held task: the case's page.
    client.force_login(staff["phatngon"])
    assert client.get(reverse("work:open", args=[draft.pk]))["Location"] == _case_page(case)
    assert client.get(task_url(draft, "index"))["Location"] == _case_page(case)


def test_the_landing_refuses_other_organisations_and_journalists(
    case, outsider, journalist, client
):
    task = open_task(case, "triage")
    process = case.processes.get()
    process_url = task.flow_task.flow_class.instance.reverse("process_detail", args=[process.pk])
    for who in (outsider, journalist):
        client.force_login(who)
        assert client.get(reverse("work:open", args=[task.pk])).status_code == 403
        assert client.get(process_url).status_code == 403
        assert client.get(task_url(task, "detail")).status_code == 403


def test_a_notification_shows_a_short_labelled_link(case, staff, client):
    client.force_login(staff["vanthu"])
    html = client.get(reverse("cases:pages:notifications")).content.decode()
    task = open_task(case, "triage")
    assert f'href="{reverse("work:open", args=[task.pk])}">Mở hồ sơ {case.reference}</a>' in html


def test_the_case_page_names_steps_and_statuses_in_words(case, staff, act, client):
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    client.force_login(staff["chuyenvien"])
    html = client.get(_case_page(case)).content.decode()
    assert "Đã xong" in html and "Đang xử lý" in html
    for code in (">DONE<", ">ASSIGNED<", ">NEW<"):
        assert code not in html
    assert "Mở quy trình" not in html


def test_breadcrumbs_name_the_case_and_the_step(case, staff, act, client):
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    client.force_login(staff["chuyenvien"])
    html = client.get(task_url(open_task(case, "draft"), "execute")).content.decode()
    crumbs = html.split('class="vf-card__breadcrumbs"', 1)[1].split("</h2>", 1)[0]
    assert case.reference in crumbs and "Soạn trả lời" in crumbs
    assert "#" not in crumbs
