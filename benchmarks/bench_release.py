"""Benchmark the release engine: bare WeasyPrint render vs the full issue of the same document.

Usage: .venv/bin/python benchmarks/bench_release.py [--runs 20] [--profile]

Runs in a temporary directory (SQLite database, dev PKI, media) with the test settings,
so Celery is eager: `document_issue` numbers the document, and on commit the task renders,
signs twice (person + agency seal, B-B: no TSA), stores and registers it. Prints medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TMP = Path(tempfile.mkdtemp(prefix="bench-release-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["PHATNGON_VAR_DIR"] = str(TMP / "var")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(TMP / "media")
os.environ["TSA_URL"] = ""

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.getLogger("celery").setLevel(logging.WARNING)

from datetime import date  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

PARAGRAPH = (
    "Thực hiện kế hoạch năm học, Phòng Giáo dục và Đào tạo thông báo tới các trường mầm non, "
    "tiểu học và trung học cơ sở trên địa bàn về việc tổ chức tuyển sinh, bảo đảm quyền lợi "
    "của học sinh và thực hiện đúng quy định của Nhà nước về công tác phát ngôn. "
)


def setup():
    """Create tables, one organisation with a head, and a dev PKI with their credentials."""
    from django.contrib.auth import get_user_model

    from release.pki.credentials import sync_dev_credentials
    from roles.models import Organisation, Role
    from roles.services import membership_grant

    call_command("migrate", verbosity=0)
    settings.MEDIA_ROOT = TMP / "media"
    organisation = Organisation.objects.create(
        code="pgddt-thuan-an",
        name="Phòng Giáo dục và Đào tạo thành phố Thuận An",
        kind="office",
        governing_body="UBND THÀNH PHỐ THUẬN AN",
        abbreviation="PGDĐT",
        head_title="Trưởng phòng",
        place_name="Thuận An",
    )
    head = get_user_model().objects.create_user(
        "lanhdao", first_name="Nguyễn Văn", last_name="Lãnh"
    )
    membership_grant(
        user=head,
        organisation=organisation,
        role=Role.HEAD,
        title="Trưởng phòng",
        valid_from=date(2020, 1, 1),
    )
    sync_dev_credentials(directory=TMP / "pki")
    settings.RELEASE_TRUST_ROOTS = [str(TMP / "pki" / "root-ca.pem")]
    return organisation, head


def body_for(pages: int) -> str:
    # About 6 such paragraphs fill one A4 page at 14 pt; the header and signature take the rest.
    count = {1: 2, 5: 24}[pages]
    return "\n\n".join([PARAGRAPH * 2] * count)


def issue(organisation, head, body):
    from release import services

    return services.document_issue(
        organisation=organisation,
        doc_type="thong_bao",
        summary="Về việc tuyển sinh lớp 6 năm học 2027 - 2028",
        body=body,
        recipients=["Các trường THCS trên địa bàn", "Báo Giáo dục và Thời đại"],
        signer=head,
        authority="",
        signer_title="Trưởng phòng",
        by=head,
    )


def instrument() -> dict[str, list[float]]:
    """Time the phases of a full issue by wrapping the functions the service calls."""
    from collections import defaultdict

    from release import rendering, services, signing

    phases: dict[str, list[float]] = defaultdict(list)

    def wrap(module, name, label):
        original = getattr(module, name)

        def timed_call(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                phases[label].append(time.perf_counter() - start)

        setattr(module, name, timed_call)

    wrap(rendering, "document_html", "template+QR")
    wrap(rendering, "html_render", "WeasyPrint layout")
    wrap(signing, "sign_pdf", "one signature")
    wrap(services, "document_process", "task total")
    return phases


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="cProfile the full 1-page issue")
    args = parser.parse_args()

    from release.models import IssuedDocument
    from release.rendering import document_html, html_render

    organisation, head = setup()
    phases = instrument()
    print(f"release benchmark — {args.runs} runs each, medians; temp dir {TMP}")
    results = {}
    for pages in (1, 5):
        body = body_for(pages)
        # Warm up: imports, font files, the parsed signing keys, templates.
        doc = issue(organisation, head, body)
        doc.refresh_from_db()
        assert doc.status == IssuedDocument.Status.ISSUED, doc.last_error
        html = document_html(doc)
        page_count = len(html_render(html).pages)
        phases.clear()
        bare, full_times = [], []
        # Interleaved, so both see the same load on a shared machine.
        for _ in range(args.runs):
            bare.append(timed(lambda: html_render(html).write_pdf()))  # noqa: B023
            full_times.append(timed(lambda: issue(organisation, head, body)))  # noqa: B023
        bare_median = statistics.median(bare)
        full_median = statistics.median(full_times)
        results[pages] = (bare_median, full_median)
        print(
            f"{pages}-page document ({page_count} pages rendered): "
            f"bare WeasyPrint {bare_median * 1000:.0f} ms, "
            f"full issue {full_median * 1000:.0f} ms, "
            f"ratio full/bare {full_median / bare_median:.2f}"
        )
        parts = ", ".join(
            f"{name} {statistics.median(values) * 1000:.0f} ms" for name, values in phases.items()
        )
        print(f"  inside the full issue (medians): {parts}")
    failed = IssuedDocument.objects.exclude(status=IssuedDocument.Status.ISSUED).count()
    assert failed == 0, f"{failed} documents were not issued"

    body = body_for(1)
    count = args.runs
    start = time.perf_counter()
    for _ in range(count):
        issue(organisation, head, body)
    elapsed = time.perf_counter() - start
    print(f"throughput: {count / elapsed:.2f} signed 1-page documents per second (warm, 1 process)")
    print(
        "targets: ratio <= 1.6 ->",
        "met" if all(f / b <= 1.6 for b, f in results.values()) else "MISSED",
        "; >= 2 docs/s ->",
        "met" if count / elapsed >= 2 else "MISSED",
    )

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            issue(organisation, head, body)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
