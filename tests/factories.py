"""factory_boy factories for the models every test needs."""

from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from roles.models import JournalistProfile, Organisation, PressAgency, Unit

PASSWORD = "phatngon-test"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Nguyễn Văn"
    last_name = factory.Sequence(lambda n: f"An {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"co-quan-{n}")
    name = factory.Sequence(lambda n: f"Phòng Giáo dục và Đào tạo số {n}")
    kind = Organisation.Kind.OFFICE
    governing_body = "UBND THÀNH PHỐ THUẬN AN"
    abbreviation = "PGDĐT"
    head_title = "Trưởng phòng"
    place_name = "Thuận An"
    phone = "0274 3755 123"
    email = factory.LazyAttribute(lambda o: f"{o.code}@example.gov.vn")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Văn phòng"
    abbreviation = factory.Sequence(lambda n: f"VP{n}")


class PressAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PressAgency

    name = factory.Sequence(lambda n: f"Báo Giáo dục số {n}")
    licence_number = factory.Sequence(lambda n: f"{n}/GP-BTTTT")


class JournalistProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalistProfile

    user = factory.SubFactory(UserFactory)
    press_agency = factory.SubFactory(PressAgencyFactory)
    press_card_number = factory.Sequence(lambda n: f"HN{n:05d}")
    card_expiry = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    status = JournalistProfile.Status.VERIFIED
    email_confirmed_at = factory.LazyFunction(timezone.now)


def long_ago() -> date:
    return date(2020, 1, 1)


def api_token_key(user, days: int = 365) -> str:
    """An API key for `user` straight from the token model (no ledger event; long-lived, so
    that tests can travel in time)."""
    from datetime import timedelta

    from api.models import ApiToken

    _token, key = ApiToken.objects.create(user=user, expiry=timedelta(days=days))
    return key


def password_login(client, username: str, password: str) -> bool:
    """Log in through the login form (as a person does; the lockout sees the request)."""
    client.logout()
    client.post("/dang-nhap/", {"username": username, "password": password})
    return "_auth_user_id" in client.session
