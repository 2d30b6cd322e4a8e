"""The press distribution list: who may subscribe, duplicates, unsubscribe by signed link."""

import pytest
from django.core import signing
from django.urls import reverse

from audit.models import LedgerEvent
from core.errors import DomainError
from release.models import Subscription
from release.newsroom import subscriptions
from roles.models import JournalistProfile
from tests.factories import JournalistProfileFactory, PressAgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unverified(db):
    return JournalistProfileFactory(
        user=UserFactory(username="journalist3"), status=JournalistProfile.Status.PENDING
    ).user


def _org_page(organisation):
    return reverse("release:newsroom-organisation", args=[organisation.code])


def _subscribe_url(organisation):
    return reverse("release:newsroom-subscribe", args=[organisation.code])


def test_an_accredited_journalist_subscribes_and_unsubscribes_on_the_organisation_page(
    login, organisation, journalist
):
    client = login(journalist)
    page = client.get(_org_page(organisation)).content.decode()
    assert "Nhận thông cáo qua thư điện tử" in page
    response = client.post(_subscribe_url(organisation), {"action": "subscribe"})
    assert response.status_code == 302
    subscription = Subscription.objects.get(organisation=organisation, user=journalist)
    assert subscription.active and subscription.email == journalist.email
    assert subscription.press_agency == journalist.journalist_profile.press_agency
    assert LedgerEvent.objects.filter(
        action="subscription.subscribed", target_id=str(subscription.pk)
    ).exists()
    assert "Hủy nhận thông cáo" in client.get(_org_page(organisation)).content.decode()

    client.post(_subscribe_url(organisation), {"action": "unsubscribe"})
    subscription.refresh_from_db()
    assert not subscription.active and subscription.unsubscribed_at is not None


def test_an_unverified_journalist_is_told_why_and_refused(login, organisation, unverified):
    client = login(unverified)
    page = client.get(_org_page(organisation)).content.decode()
    assert "chưa được xác minh" in page
    assert 'value="subscribe"' not in page
    response = client.post(_subscribe_url(organisation), {"action": "subscribe"}, follow=True)
    assert "chưa được xác minh" in response.content.decode()
    assert not Subscription.objects.exists()
    with pytest.raises(DomainError) as caught:
        subscriptions.subscription_self(organisation=organisation, user=unverified)
    assert caught.value.code == "not_accredited"


def test_an_expired_press_card_is_refused(organisation, journalist):
    from datetime import date

    JournalistProfile.objects.filter(user=journalist).update(card_expiry=date(2020, 1, 1))
    journalist.refresh_from_db()
    with pytest.raises(DomainError):
        subscriptions.subscription_self(organisation=organisation, user=journalist)


def test_staff_and_anonymous_visitors_do_not_get_a_subscribe_button(
    client, login, organisation, specialist
):
    page = client.get(_org_page(organisation)).content.decode()
    assert 'value="subscribe"' not in page and "Đăng nhập" in page
    assert (
        'value="subscribe"' not in login(specialist).get(_org_page(organisation)).content.decode()
    )
    response = login(specialist).post(_subscribe_url(organisation), {"action": "subscribe"})
    assert response.status_code == 302
    assert not Subscription.objects.exists()


def test_anonymous_posting_the_subscribe_form_is_sent_to_login(client, organisation):
    response = client.post(_subscribe_url(organisation), {"action": "subscribe"})
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_same_address_cannot_be_on_the_list_twice(organisation, spokesperson, journalist):
    subscriptions.subscription_add(
        organisation=organisation, email=journalist.email.upper(), by=spokesperson
    )
    with pytest.raises(DomainError) as caught:
        subscriptions.subscription_self(organisation=organisation, user=journalist)
    assert caught.value.code == "duplicate"
    with pytest.raises(DomainError):
        subscriptions.subscription_add(
            organisation=organisation, email=f" {journalist.email} ", by=spokesperson
        )
    # Another organisation's list is separate; an address taken off may come back.
    subscription = Subscription.objects.get()
    subscriptions.subscription_deactivate(subscription=subscription, by=spokesperson)
    again = subscriptions.subscription_self(organisation=organisation, user=journalist)
    assert again.active and Subscription.objects.count() == 2


def test_staff_add_a_press_agency_address(organisation, registry_officer):
    agency = PressAgencyFactory(name="Báo Bình Dương")
    subscription = subscriptions.subscription_add(
        organisation=organisation,
        email="toasoan@baobinhduong.vn",
        press_agency=agency,
        by=registry_officer,
    )
    assert subscription.name == "Báo Bình Dương"
    assert LedgerEvent.objects.filter(action="subscription.added").count() == 1
    with pytest.raises(DomainError) as caught:
        subscriptions.subscription_add(
            organisation=organisation, email="khong-hop-le", by=registry_officer
        )
    assert caught.value.code == "email"


@pytest.mark.parametrize("who", ["specialist", "journalist", "outsider", "inspector"])
def test_others_cannot_change_the_list(request, organisation, who):
    with pytest.raises(DomainError) as caught:
        subscriptions.subscription_add(
            organisation=organisation, email="a@b.vn", by=request.getfixturevalue(who)
        )
    assert caught.value.code == "forbidden"


def test_the_unsubscribe_link_confirms_then_unsubscribes_without_login(client, organisation):
    subscription = Subscription.objects.create(organisation=organisation, email="a@bao.vn")
    url = reverse("release:unsubscribe", args=[subscriptions.unsubscribe_token(subscription)])
    assert url.startswith("/tin-bao-chi/huy-dang-ky/")
    page = client.get(url)
    assert page.status_code == 200
    assert "Xác nhận hủy nhận thư" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.active  # GET changes nothing
    done = client.post(url)
    assert done.status_code == 200 and "Đã hủy" in done.content.decode()
    subscription.refresh_from_db()
    assert not subscription.active
    event = LedgerEvent.objects.get(action="subscription.unsubscribed")
    assert event.target_id == str(subscription.pk) and event.actor_id is None
    again = client.get(url).content.decode()
    assert "đã hủy nhận thông cáo" in again


def test_a_one_click_unsubscribe_post_needs_no_csrf_token(organisation):
    from django.test import Client

    subscription = Subscription.objects.create(organisation=organisation, email="a@bao.vn")
    url = reverse("release:unsubscribe", args=[subscriptions.unsubscribe_token(subscription)])
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert not subscription.active


BAD_TOKENS = {
    "garbage": lambda: "khong-hop-le",
    "other-salt": lambda: signing.dumps({"s": 1, "e": "a@bao.vn"}, salt="another.salt"),
    "unknown-subscription": lambda: signing.dumps(
        {"s": 999, "e": "a@bao.vn"}, salt=subscriptions.UNSUBSCRIBE_SALT
    ),
    "not-a-dict": lambda: signing.dumps([1, 2], salt=subscriptions.UNSUBSCRIBE_SALT),
}


@pytest.mark.parametrize("kind", sorted(BAD_TOKENS))
def test_a_bad_token_gets_a_clear_vietnamese_error(client, organisation, kind):
    Subscription.objects.create(organisation=organisation, email="a@bao.vn")
    token = BAD_TOKENS[kind]()
    for method in (client.get, client.post):
        response = method(reverse("release:unsubscribe", args=[token]))
        assert response.status_code == 400
        assert "Đường dẫn hủy nhận thư không hợp lệ" in response.content.decode()
    assert Subscription.objects.get().active
