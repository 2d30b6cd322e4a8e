"""Load the 2017 and 2026 legal regimes (LEGAL.md, research/legal-sources.md) and 2026 swaps.

The figures are data: administrators correct or extend them in the admin. `load` is
idempotent (tests call it to restore the rulebook after a database flush).
"""

import datetime

from django.db import migrations

D = datetime.date

TCTT_CITATION = "Luật Tiếp cận thông tin 2016, Điều 28–31"

REGIMES = [
    {
        "code": "2017",
        "name": "Nghị định 09/2017/NĐ-CP và Luật Báo chí 2016",
        "effective_from": D(2017, 3, 30),
        "effective_to": D(2026, 6, 30),
        "citation": (
            "Nghị định 09/2017/NĐ-CP quy định chi tiết việc phát ngôn và cung cấp thông tin cho "
            "báo chí của các cơ quan hành chính nhà nước (hiệu lực 30/3/2017); Luật Báo chí "
            "103/2016/QH13; Luật Tiếp cận thông tin 104/2016/QH13."
        ),
        "note": "Áp dụng cho các việc nhận đến hết ngày 30/6/2026.",
        "rules": [
            dict(kind="question", limit=5, unit="working_days", pausable=True, extendable=True,
                 max_extension=5, extension_unit="working_days", agency_practice=True,
                 citation="NĐ 09/2017/NĐ-CP, Điều 4 (thời hạn do cơ quan quy định)"),
            dict(kind="answer_request", limit=30, unit="calendar_days",
                 citation="Luật Báo chí 2016, Điều 39 khoản 1"),
            dict(kind="press_report", limit=30, unit="calendar_days",
                 citation="Luật Báo chí 2016, Điều 39 khoản 2"),
            dict(kind="complaint", limit=30, unit="calendar_days",
                 citation="Luật Báo chí 2016, Điều 39 khoản 2",
                 note="Khoản 2 Điều 39 áp dụng chung cho ý kiến, kiến nghị, phê bình, khiếu nại, tố cáo do báo chí chuyển đến."),
            dict(kind="information_request", limit=3, unit="working_days", pausable=True,
                 extendable=True, max_extension=15, extension_unit="calendar_days",
                 citation=TCTT_CITATION,
                 note="Yêu cầu qua mạng điện tử: thông tin đơn giản 03 ngày làm việc; phức tạp 15 ngày làm việc, gia hạn tối đa 15 ngày (Điều 30)."),
            dict(kind="initial_statement", limit=24, unit="hours", clock_start="event",
                 citation="NĐ 09/2017/NĐ-CP, Điều 6 khoản 3 điểm a"),
            dict(kind="correction_response", limit=1, unit="working_days", agency_practice=True,
                 citation="NĐ 09/2017/NĐ-CP, Điều 4 (hình thức thứ sáu)",
                 note="Luật không quy định con số; xử lý khẩn."),
        ],
        "grounds": [
            ("a", "Thông tin thuộc danh mục bí mật nhà nước, bí mật thuộc nguyên tắc và quy định của Đảng, bí mật đời tư của cá nhân và bí mật khác theo quy định của pháp luật."),
            ("b", "Thông tin về vụ án đang được điều tra hoặc chưa xét xử, trừ trường hợp cơ quan hành chính nhà nước, cơ quan điều tra cần thông tin trên báo chí những vấn đề có lợi cho hoạt động điều tra và công tác đấu tranh phòng, chống tội phạm."),
            ("c", "Thông tin về vụ việc đang trong quá trình thanh tra chưa có kết luận thanh tra; vụ việc đang trong quá trình giải quyết khiếu nại, tố cáo; những vấn đề tranh chấp, mâu thuẫn giữa các cơ quan nhà nước đang trong quá trình giải quyết, chưa có kết luận chính thức của người có thẩm quyền mà theo quy định của pháp luật chưa được phép công bố."),
            ("d", "Những văn bản chính sách, đề án đang trong quá trình soạn thảo mà theo quy định của pháp luật chưa được cấp có thẩm quyền cho phép công bố."),
        ],
        "grounds_citation": "Luật Báo chí 2016, Điều 38 khoản 2 điểm %s",
        "grounds_unconfirmed": False,
    },
    {
        "code": "2026",
        "name": "Nghị định 244/2026/NĐ-CP, Nghị định 237/2026/NĐ-CP và Luật Báo chí 2025",
        "effective_from": D(2026, 7, 1),
        "effective_to": None,
        "citation": (
            "Nghị định 244/2026/NĐ-CP quy định chi tiết việc phát ngôn và cung cấp thông tin cho "
            "báo chí của các cơ quan hành chính nhà nước; Nghị định 237/2026/NĐ-CP quy định chi "
            "tiết Luật Báo chí; Luật Báo chí 126/2025/QH15; Luật Tiếp cận thông tin 104/2016/QH13."
        ),
        "note": "Áp dụng cho các việc nhận từ ngày 01/7/2026. Nội dung đọc từ bản OCR của văn bản đã ký.",
        "rules": [
            dict(kind="question", limit=5, unit="working_days", pausable=True, extendable=True,
                 max_extension=5, extension_unit="working_days", agency_practice=True,
                 citation="NĐ 244/2026/NĐ-CP, Điều 5, Điều 7 khoản 5 (thời hạn do quy chế nội bộ quy định)"),
            dict(kind="answer_request", limit=30, unit="calendar_days",
                 citation="NĐ 237/2026/NĐ-CP, Điều 18 khoản 1"),
            dict(kind="press_report", limit=15, unit="working_days",
                 citation="NĐ 237/2026/NĐ-CP, Điều 18 khoản 3"),
            dict(kind="complaint", limit=5, unit="working_days", clock_start="conclusion",
                 citation="NĐ 237/2026/NĐ-CP, Điều 18 khoản 2",
                 note="Gửi kết luận cho cơ quan báo chí trong 05 ngày làm việc kể từ khi có kết luận; việc thụ lý theo pháp luật về khiếu nại, tố cáo."),
            dict(kind="information_request", limit=3, unit="working_days", pausable=True,
                 extendable=True, max_extension=15, extension_unit="calendar_days",
                 citation=TCTT_CITATION,
                 note="Yêu cầu qua mạng điện tử: thông tin đơn giản 03 ngày làm việc; phức tạp 15 ngày làm việc, gia hạn tối đa 15 ngày (Điều 30)."),
            dict(kind="initial_statement", limit=24, unit="hours",
                 citation="NĐ 244/2026/NĐ-CP, Điều 7 khoản 3",
                 note="Tính từ khi cơ quan tiếp nhận và xử lý vụ việc."),
            dict(kind="divergent_opinion", limit=24, unit="hours", clock_start="determination",
                 citation="NĐ 244/2026/NĐ-CP, Điều 7 khoản 4"),
            dict(kind="correction_response", limit=1, unit="working_days", agency_practice=True,
                 citation="NĐ 244/2026/NĐ-CP, Điều 7 khoản 6",
                 note="Luật không quy định con số; xử lý khẩn."),
        ],
        "grounds": [
            ("a", "Thông tin thuộc bí mật nhà nước, bí mật cá nhân, bí mật gia đình."),
            ("b", "Thông tin về vụ án đang được điều tra hoặc chưa xét xử, trừ trường hợp cần thiết cho công tác đấu tranh phòng, chống tội phạm."),
            ("c", "Thông tin về vụ việc đang trong quá trình thanh tra, giải quyết khiếu nại, tố cáo, tranh chấp chưa có kết luận chính thức và chưa được phép công bố."),
        ],
        "grounds_citation": "Luật Báo chí 2025, Điều 31 khoản 2 điểm %s",
        "grounds_unconfirmed": True,
    },
]

TCTT_GROUNDS = [
    ("a", "Thông tin quy định tại Điều 6 của Luật Tiếp cận thông tin; thông tin không đáp ứng điều kiện quy định tại Điều 7 của Luật này."),
    ("b", "Thông tin được công khai theo quy định tại Điều 17 của Luật Tiếp cận thông tin, trừ trường hợp quy định tại khoản 1 Điều 23 của Luật này."),
    ("c", "Thông tin được yêu cầu không thuộc trách nhiệm cung cấp."),
    ("d", "Thông tin đã được cung cấp hai lần cho chính người yêu cầu, trừ trường hợp người yêu cầu có lý do chính đáng."),
    ("đ", "Thông tin được yêu cầu vượt quá khả năng đáp ứng hoặc làm ảnh hưởng đến hoạt động bình thường của cơ quan."),
    ("e", "Người yêu cầu cung cấp thông tin không thanh toán chi phí thực tế để in, sao, chụp, gửi thông tin qua dịch vụ bưu chính, fax."),
]

SWAPS = [
    (D(2026, 8, 22), "working_day", "Làm bù thứ Bảy cho ngày nghỉ 31/8/2026 (Quốc khánh)"),
    (D(2026, 8, 31), "day_off", "Nghỉ thứ Hai 31/8/2026, làm bù thứ Bảy 22/8/2026 (Quốc khánh)"),
]
SWAP_SOURCE = "Lịch nghỉ Quốc khánh 2026 theo gói holidays (chưa đối chiếu văn bản gốc)"


def load(apps, schema_editor):
    LegalRegime = apps.get_model("workflows", "LegalRegime")
    DeadlineRule = apps.get_model("workflows", "DeadlineRule")
    RefusalGround = apps.get_model("workflows", "RefusalGround")
    CalendarSwap = apps.get_model("workflows", "CalendarSwap")
    for data in REGIMES:
        regime, created = LegalRegime.objects.get_or_create(
            code=data["code"],
            defaults={
                key: data[key]
                for key in ("name", "effective_from", "effective_to", "citation", "note")
            },
        )
        if not created:
            continue  # an administrator owns it now
        for rule in data["rules"]:
            rule = dict(rule)
            DeadlineRule.objects.create(
                regime=regime, kind=rule.pop("kind"), step="final", **rule
            )
        for order, (code, label) in enumerate(data["grounds"], start=1):
            RefusalGround.objects.create(
                regime=regime,
                code=code,
                label=label,
                citation=data["grounds_citation"] % code,
                order=order,
                unconfirmed=data["grounds_unconfirmed"],
            )
        for order, (code, label) in enumerate(TCTT_GROUNDS, start=1):
            RefusalGround.objects.create(
                regime=regime,
                kind="information_request",
                code=code,
                label=label,
                citation=f"Luật Tiếp cận thông tin 2016, Điều 28 khoản 1 điểm {code}",
                order=order,
            )
    for day, kind, note in SWAPS:
        CalendarSwap.objects.get_or_create(
            date=day, defaults={"kind": kind, "note": note, "source": SWAP_SOURCE}
        )


def unload(apps, schema_editor):
    LegalRegime = apps.get_model("workflows", "LegalRegime")
    CalendarSwap = apps.get_model("workflows", "CalendarSwap")
    codes = [data["code"] for data in REGIMES]
    for regime in LegalRegime.objects.filter(code__in=codes):
        regime.rules.all().delete()
        regime.refusal_grounds.all().delete()
        regime.delete()
    CalendarSwap.objects.filter(date__in=[day for day, _kind, _note in SWAPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
