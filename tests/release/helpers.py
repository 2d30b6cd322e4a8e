"""Helpers for the release tests: PostgreSQL-only fixtures, document factories, PDF tools."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from release import services
from release.models import Authority, DocType

# PostgreSQL-only tests use the `postgres_db` fixture of tests/conftest.py.

LONG_BODY_PARAGRAPH = (
    "Thực hiện kế hoạch năm học, Phòng Giáo dục và Đào tạo thông báo tới các trường mầm non, "
    "tiểu học và trung học cơ sở trên địa bàn về việc tổ chức tuyển sinh, bảo đảm quyền lợi "
    "của học sinh và thực hiện đúng quy định của Nhà nước. "
)


def issue(organisation, signer, *, by=None, **overrides):
    """Number a document through the service (the caller decides whether on_commit runs)."""
    kwargs = {
        "organisation": organisation,
        "doc_type": DocType.THONG_BAO,
        "summary": "Về việc tuyển sinh lớp 6 năm học 2027 - 2028",
        "body": "Phòng Giáo dục và Đào tạo thông báo.\n\nĐề nghị các trường thực hiện.",
        "recipients": ["Các trường THCS trên địa bàn", "Báo Giáo dục và Thời đại"],
        "signer": signer,
        "authority": Authority.NONE,
        "signer_title": "Trưởng phòng",
        "by": by or signer,
    }
    kwargs.update(overrides)
    return services.document_issue(**kwargs)


def pdftotext(
    pdf: bytes, *, first: int | None = None, last: int | None = None, layout: bool = True
) -> str:
    """Extract text with poppler's pdftotext (an independent reader)."""
    cmd = ["pdftotext", "-layout"] if layout else ["pdftotext"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    proc = subprocess.run([*cmd, "-", "-"], input=pdf, capture_output=True, check=True, timeout=60)
    return proc.stdout.decode("utf-8")


def pdftoppm_first_page(pdf: bytes, directory: Path) -> Path:
    """Render page 1 to PNG with poppler's pdftoppm and return the file."""
    source = directory / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(source), str(directory / "p")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    pages = sorted(directory.glob("p*.png"))
    return pages[0]


def poppler_available() -> bool:
    return all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdfsig"))


def flat_text(pdf: bytes) -> str:
    """Extract text in reading order with all whitespace runs collapsed to one space."""
    return " ".join(pdftotext(pdf, layout=False).split())
