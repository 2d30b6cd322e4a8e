"""core.text: Vietnamese without diacritics, and the key a newsroom search compares."""

import pytest

from core.text import search_key, unaccent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thông cáo về đề án", "Thong cao ve de an"),
        ("ĐỀ ÁN Đường bộ", "DE AN Duong bo"),
        ("", ""),
        (None, ""),
    ],
)
def test_unaccent_drops_diacritics_and_the_stroke_of_d(text, expected):
    assert unaccent(text) == expected


def test_search_key_ignores_case_and_diacritics():
    assert search_key("THÔNG CÁO Báo chí") == search_key("thong cao bao chi") == "thong cao bao chi"


def test_the_migration_import_still_works():
    from release.text import search_key as legacy

    assert legacy is search_key
