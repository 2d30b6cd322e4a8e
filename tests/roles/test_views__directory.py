from datetime import date, timedelta

from django.utils import timezone

from roles import services
from roles.models import SpokespersonAssignment
from tests.factories import OrganisationFactory, UserFactory


def test_directory_lists_head_and_published_current_spokespersons(
    client, organisation, head, spokesperson
):
    r = client.get("/nguoi-phat-ngon/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Phòng Giáo dục và Đào tạo thành phố Thuận An" in html
    assert head.get_full_name() in html
    assert "Trần Thị Bình" in html and "0274 3755 124" in html and "phatngon@example.gov.vn" in html
    # The number of the decision that names the spokesperson (NĐ 244 Art. 3.3).
    assert '<td data-label="Quyết định" class="decision">15/QĐ-PGDĐT</td>' in html
    assert client.get("/spokespersons/").status_code == 200


def test_unpublished_expired_or_revoked_entries_stay_off(client, organisation, head):
    def assign(name, **kw):
        return services.spokesperson_assign(
            organisation=organisation,
            user=UserFactory(),
            kind=SpokespersonAssignment.Kind.AUTHORISED,
            issued_by=head,
            scope="Kỳ thi tuyển sinh lớp 10",
            valid_from=kw.pop("valid_from", timezone.localdate()),
            valid_to=kw.pop("valid_to", timezone.localdate() + timedelta(days=5)),
            contact_name=name,
            contact_title="Chuyên viên",
            contact_phone="0274 3755 999",
            contact_email="x@example.gov.vn",
        )

    decided = {
        "by": head,
        "decision_reference": "07/GUQ-PGDĐT",
        "decision_issued_at": timezone.now(),
    }
    assign("Chưa Công Bố")
    expired = assign("Đã Hết Hạn", valid_from=date(2025, 1, 1), valid_to=date(2025, 1, 5))
    services.spokesperson_publish(assignment=expired, **decided)
    revoked = assign("Đã Thu Hồi")
    services.spokesperson_publish(assignment=revoked, **decided)
    services.spokesperson_revoke(assignment=revoked, reason="Kết thúc vụ việc", by=head)
    shown = assign("Đang Hiệu Lực")
    services.spokesperson_publish(assignment=shown, **decided)
    # Published by hand without a decision (as the seeded entry once was): not shown.
    undecided = assign("Không Quyết Định")
    SpokespersonAssignment.objects.filter(pk=undecided.pk).update(
        published_at=timezone.now(), decision_reference="15/QĐ-PGDĐT"
    )

    html = client.get("/nguoi-phat-ngon/").content.decode()
    assert "Đang Hiệu Lực" in html and "Kỳ thi tuyển sinh lớp 10" in html
    for hidden in ("Chưa Công Bố", "Đã Hết Hạn", "Đã Thu Hồi", "Không Quyết Định"):
        assert hidden not in html


def test_directory_query_count_does_not_grow_with_organisations(
    client, organisation, head, spokesperson, django_assert_max_num_queries
):
    client.get("/nguoi-phat-ngon/")
    for i in range(8):
        org = OrganisationFactory(code=f"truong-{i}", kind="school", parent=organisation)
        services.membership_grant(
            user=UserFactory(), organisation=org, role="head", title="Hiệu trưởng"
        )
    with django_assert_max_num_queries(6):
        r = client.get("/nguoi-phat-ngon/")
    assert r.content.decode().count('class="head"') == 9
