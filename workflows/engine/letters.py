"""What every reply sent as a công văn (NĐ 30/2020 Phụ lục III, Mẫu 1.5) shares: the drafting
unit that ends its symbol, the “Kính gửi:” line, and a subject that continues a trích yếu."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from release.models import DocType
from roles.models import Membership, Role

# What a journalist or drafter may have put before the subject itself: “V/v”, “Về việc”, “Về”.
_LEADING_REGARDING = re.compile(r"^\s*(?:v/v\b\.?|về\s+việc\b:?|về\b:?)\s*", re.IGNORECASE)


def subject_phrase(text: str) -> str:
    """Return a subject that continues a sentence: “Tuyển sinh lớp 6.” → “tuyển sinh lớp 6”.

    Only the first letter is lowered, and only when the subject does not open with a proper
    name or an abbreviation (“THCS …”, “Hà Nội …”, “Trường THCS Nguyễn Trãi …”): the rest of
    the text keeps its capitals.
    """
    text = " ".join((text or "").split())
    text = _LEADING_REGARDING.sub("", text).rstrip(" .;:")
    words = text.split(" ")
    first = words[0] if words else ""
    if not first or not first[0].isupper():
        return text
    if len(first) > 1 and first.isupper():  # an abbreviation: UBND, THCS, GDĐT
        return text
    if len(words) > 1 and words[1][:1].isupper():  # a name of two or more capitalised words
        return text
    return first[0].lower() + text[1:]


def person_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def press_addressee(agency_name: str, journalist_name: str = "") -> str:
    """The “Kính gửi:” of a reply to the press: “Báo Giáo dục và Thời đại (nhà báo Nguyễn Thị
    Hoa)”, or the agency alone."""
    agency_name = (agency_name or "").strip()
    journalist_name = (journalist_name or "").strip()
    if agency_name and journalist_name:
        return f"{agency_name} (nhà báo {journalist_name})"
    return agency_name or f"Nhà báo {journalist_name}"


def member_unit(user, organisation):
    """The unit (phòng, tổ) `user` works in at `organisation` today, or None.

    A specialist's membership always names one; a spokesperson's or a head's may not.
    """
    if user is None:
        return None
    memberships = (
        Membership.objects.current()
        .filter(user=user, organisation=organisation, unit__isnull=False)
        .select_related("unit")
        .order_by("role")
    )
    specialist = next((m for m in memberships if m.role == Role.SPECIALIST), None)
    chosen = specialist or next(iter(memberships), None)
    return chosen.unit if chosen else None


@dataclass(frozen=True)
class Letter:
    """A công văn's fields for `release.services.document_issue` / `document_draft_pdf`.

    `summary` is the trích yếu without its “V/v” (the template prints it); `unit` is the
    drafting unit (None: the symbol is the agency's alone and “Lưu: VT.”).
    """

    summary: str
    body: str
    addressees: list[str]
    recipients: list[str] = field(default_factory=list)
    unit: object = None
    doc_type: str = DocType.CONG_VAN

    def document_fields(self) -> dict:
        return {
            "doc_type": self.doc_type,
            "summary": self.summary[:500],
            "body": self.body,
            "addressees": list(self.addressees),
            "recipients": list(self.recipients or self.addressees),
            "unit": self.unit,
        }
