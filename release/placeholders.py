"""Template placeholders that must be filled before a document is signed.

The drafting templates (workflows/statements/fields.py) mark each blank to fill with "…".
A document may not be signed while its staff-written text still holds any of these markers:

- "…" (U+2026, the templates' own blank) or "..." (three or more full stops typed instead)
  standing as a word of its own: "Ngày …, tại …", "Nội dung: …". An ellipsis written onto
  a word ("có biểu hiện ngộ độc…") is prose, not a blank;
- text in square brackets, "[…]" or "[tên đơn vị]", or a lone "[";
- text in angle brackets, "<…>" or "<tên đơn vị>".

"./." (the end mark) is not a placeholder. Journalists' words quoted in a case document are
not checked: only the text the office wrote (`FlowArtifact.signed_texts`).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from core.errors import DomainError

PLACEHOLDER = re.compile(r"(?<!\w)(?:…|\.{3,})|\[|<[^<>\n]*>")
CONTEXT = 30


def placeholders_find(text: str) -> list[str]:
    """Return each placeholder in `text` with up to 30 characters around it."""
    found = []
    for match in PLACEHOLDER.finditer(text or ""):
        start, end = max(0, match.start() - CONTEXT), min(len(text), match.end() + CONTEXT)
        snippet = " ".join(text[start:end].split())
        found.append(("…" if start else "") + snippet + ("…" if end < len(text) else ""))
    return found


def placeholders_refuse(*texts: str) -> None:
    """Refuse to sign a text that still holds a template placeholder."""
    for text in texts:
        found = placeholders_find(text)
        if found:
            raise DomainError(
                _(
                    "Văn bản còn chỗ trống chưa điền (dấu “…”, “...”, “[ ]” hoặc “< >”) ở: "
                    "«%(where)s». Hãy trả lại để điền đủ nội dung trước khi ký."
                )
                % {"where": found[0]},
                code="placeholder",
                field="body",
            )
