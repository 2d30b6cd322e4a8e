"""Staff pages of the distribution list: spokesperson, registry officer and head; 403 for others."""

import pytest
from django.urls import reverse

from audit.models import LedgerEvent
from release.models import Delivery, Subscription
from tests.release.newsroom.publication_helpers import quick

pytestmark = pytest.mark.django_db

MANAGERS = ["spokesperson", "registry_officer", "head"]
REFUSED = ["journalist", "specialist", "inspector", "deputy_head"]


@pytest.fixture
def subscription(organisation):
    return Subscription.objects.create(organisation=organisation, email="toasoan@bao.vn")


@pytest.fixture
def failed(organisation, head, subscription):
    pub = quick(organisation, head, title="Thông cáo", number=1)
    return Delivery.objects.create(
        publication=pub,
        subscription=subscription,
        email=subscription.email,
        status=Delivery.Status.FAILED,
        attempts=4,
        last_error="SMTPRecipientsRefused",
    )


def _pages(subscription, failed):
    return [
        ("get", reverse("outgoing:distribution:index")),
        ("post", reverse("outgoing:distribution:index")),
        ("post", reverse("outgoing:distribution:deactivate", args=[subscription.pk])),
        ("get", reverse("outgoing:distribution:deliveries")),
        ("post", reverse("outgoing:distribution:retry", args=[failed.pk])),
    ]


@pytest.mark.parametrize("who", MANAGERS)
def test_managers_see_the_list_and_the_failed_deliveries(request, login, who, subscription, failed):
    client = login(request.getfixturevalue(who))
    page = client.get(reverse("outgoing:distribution:index"))
    assert page.status_code == 200
    assert "toasoan@bao.vn" in page.content.decode()
    deliveries = client.get(reverse("outgoing:distribution:deliveries"))
    assert deliveries.status_code == 200
    assert "SMTPRecipientsRefused" in deliveries.content.decode()


@pytest.mark.parametrize("who", REFUSED)
def test_others_get_403_everywhere(request, login, who, subscription, failed):
    client = login(request.getfixturevalue(who))
    for method, url in _pages(subscription, failed):
        response = getattr(client, method)(url, {"email": "x@bao.vn"})
        assert response.status_code == 403, (method, url)
    subscription.refresh_from_db()
    failed.refresh_from_db()
    assert subscription.active and failed.status == Delivery.Status.FAILED
    assert Subscription.objects.count() == 1


def test_the_other_organisations_spokesperson_cannot_reach_this_list(
    login, other_organisation, organisation, subscription, failed
):
    from roles.models import Role
    from tests.conftest import _staff

    other = _staff("phatngon2", other_organisation, Role.SPOKESPERSON, "Người phát ngôn")
    client = login(other)
    page = client.get(reverse("outgoing:distribution:index"))
    assert page.status_code == 200  # their own organisation's (empty) list
    assert "toasoan@bao.vn" not in page.content.decode()
    url = reverse("outgoing:distribution:index") + f"?org={organisation.code}"
    assert client.get(url).status_code == 403
    deactivate = reverse("outgoing:distribution:deactivate", args=[subscription.pk])
    assert client.post(deactivate).status_code == 404  # not on their list
    assert client.post(deactivate + f"?org={organisation.code}").status_code == 403
    retry = reverse("outgoing:distribution:retry", args=[failed.pk])
    assert client.post(retry).status_code == 404
    subscription.refresh_from_db()
    assert subscription.active


def test_anonymous_visitors_are_sent_to_login(client, subscription, failed):
    for method, url in _pages(subscription, failed):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_spokesperson_adds_and_deactivates_an_address(login, spokesperson, subscription):
    client = login(spokesperson)
    response = client.post(
        reverse("outgoing:distribution:index"),
        {"email": "BanBienTap@BaoMoi.vn", "name": "Báo Mới"},
    )
    assert response.status_code == 302
    added = Subscription.objects.get(email="banbientap@baomoi.vn")
    assert added.name == "Báo Mới" and added.created_by == spokesperson
    duplicate = client.post(reverse("outgoing:distribution:index"), {"email": "toasoan@bao.vn"})
    assert duplicate.status_code == 400
    assert "đã có trong danh sách" in duplicate.content.decode()
    client.post(reverse("outgoing:distribution:deactivate", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert not subscription.active
    assert LedgerEvent.objects.filter(action="subscription.deactivated").count() == 1


def test_the_register_stays_closed_to_the_spokesperson(login, spokesperson):
    assert login(spokesperson).get(reverse("outgoing:register:index")).status_code == 403
