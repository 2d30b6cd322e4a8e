"""Vietnamese by default, English through /i18n/setlang/, viewflow's staff labels in Vietnamese."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import trans_real

from tests.factories import PressAgencyFactory

PAGES = {
    "home": "/",
    "register": "/nha-bao/dang-ky/",
    "directory": "/nguoi-phat-ngon/",
}
# A few strings per page, with diacritics, and their English translation.
VIETNAMESE = {
    "home": ["Phát ngôn và cung cấp thông tin cho báo chí", "Danh sách người phát ngôn"],
    "register": ["Đăng ký tài khoản nhà báo", "Số thẻ nhà báo", "Ngày hết hạn thẻ"],
    "directory": ["Người phát ngôn và người đứng đầu cơ quan", "Nghị định 244/2026/NĐ-CP"],
}
ENGLISH = {
    "home": [
        "Press statements and provision of information to the press",
        "Spokesperson directory",
    ],
    "register": ["Register a journalist account", "Press card number", "Card expiry date"],
    "directory": ["Spokespersons and heads of agencies", "Decree 244/2026/ND-CP"],
}


def _catalogues_stale():
    for locale_dir in settings.LOCALE_PATHS:
        for po in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                return True
    return False


@pytest.fixture(scope="session", autouse=True)
def compiled_messages():
    """Compile the catalogues when missing (make test compiles them; this test may run alone)."""
    if _catalogues_stale():
        call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)
        # Catalogues already loaded in this process would hide the fresh .mo files.
        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture(autouse=True)
def default_language_afterwards():
    """Deactivate the language a request left active in this thread (LocaleMiddleware never does).

    Otherwise English leaks into later tests on the same worker that format text outside a request.
    """
    yield
    translation.deactivate()


@pytest.fixture
def english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


@pytest.fixture
def press_agency(db):
    return PressAgencyFactory()


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_public_pages_are_vietnamese_by_default(client, spokesperson, page):
    response = client.get(PAGES[page])

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    for text in VIETNAMESE[page]:
        assert text in html
    for text in ENGLISH[page]:
        assert text not in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_public_pages_switch_to_english(english, spokesperson, page):
    response = english.get(PAGES[page])

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    for text in ENGLISH[page]:
        assert text in html
    for text in VIETNAMESE[page]:
        assert text not in html
    # Shared chrome from base.html follows the language too.
    assert "Log in" in html
    assert "Đăng nhập" not in html


@pytest.mark.django_db
def test_switching_back_to_vietnamese(english):
    english.post("/i18n/setlang/", {"language": "vi", "next": "/"})

    html = english.get("/").content.decode()

    assert "Phát ngôn và cung cấp thông tin cho báo chí" in html


def _registration(press_agency, **changes):
    data = {
        "username": "nhabao-moi",
        "full_name": "Nguyễn Văn An",
        "email": "an@baomoi.example",
        "phone": "0912 345 678",
        "press_agency": press_agency.pk,
        "press_card_number": "HN-12345",
        "card_expiry": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "password1": "mat-khau-rat-dai-2026",
        "password2": "mat-khau-rat-dai-2026",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_registration_error_is_vietnamese_by_default(client, press_agency):
    response = client.post(PAGES["register"], _registration(press_agency))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Thẻ nhà báo đã hết hạn; hãy dùng thẻ còn hiệu lực." in html


@pytest.mark.django_db
def test_registration_error_is_english_in_english_mode(english, press_agency):
    response = english.post(PAGES["register"], _registration(press_agency))

    assert response.status_code == 400
    html = response.content.decode()
    assert "The press card has expired; please use a valid card." in html
    assert "Thẻ nhà báo đã hết hạn" not in html


@pytest.mark.django_db
def test_registration_django_error_is_english_in_english_mode(english, press_agency):
    # A message from Django's own catalogue (the password mismatch) follows the language too.
    data = _registration(press_agency, password2="khac-mat-khau-2026")

    html = english.post(PAGES["register"], data).content.decode()

    assert "The two password fields didn’t match." in html


@pytest.mark.django_db
def test_viewflow_labels_are_vietnamese_for_staff(client, registry_officer):
    client.force_login(registry_officer)

    response = client.get("/workspace/case/inbox/")

    assert response.status_code == 200
    html = response.content.decode()
    # viewflow's own English msgids, translated by locale/vi (the inbox title and menu).
    assert "Việc của tôi" in html
    assert "Việc chờ nhận" in html
    assert ">Inbox<" not in html
    assert ">Queue<" not in html


@pytest.mark.django_db
def test_viewflow_labels_are_english_in_english_mode(english, registry_officer):
    english.force_login(registry_officer)

    html = english.get("/workspace/case/inbox/").content.decode()

    assert "Inbox" in html
    assert "Việc của tôi" not in html


def test_vietnamese_catalogue_holds_no_vietnamese_msgids():
    # Our msgids are Vietnamese and need no vi entry; locale/vi translates viewflow only.
    po = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    msgids = [
        line.removeprefix("msgid ").strip('"')
        for line in po.read_text(encoding="utf-8").splitlines()
        if line.startswith("msgid ")
    ]
    assert len(msgids) > 100
    vietnamese_letters = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
    offenders = [m for m in msgids if vietnamese_letters & set(m.lower())]
    assert offenders == []


def test_english_catalogue_is_complete():
    po = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    # An empty msgstr followed by a blank line is an untranslated entry (the header excepted).
    entries = text.split("\n\n")[1:]
    untranslated = [e for e in entries if e.rstrip().endswith('msgstr ""')]
    assert untranslated == []
