"""Text helpers shared across the apps: Vietnamese without diacritics, search keys."""

import unicodedata


def unaccent(text: str) -> str:
    """Vietnamese without diacritics: "Thông cáo về đề án" → "Thong cao ve de an"."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_key(text: str) -> str:
    """What a search compares: lower case, without diacritics ("THÔNG CÁO" = "thong cao")."""
    return unaccent(text).casefold()
