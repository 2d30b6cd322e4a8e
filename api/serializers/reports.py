"""Reports: the query of GET /reports/cases/ and its figures."""

from rest_framework import serializers

from workflows.cases.models import Case


class CaseReportQuerySerializer(serializers.Serializer):
    organisation = serializers.SlugField(
        max_length=64, help_text="Mã cơ quan, ví dụ pgddt-thuan-an."
    )
    # "from" is a Python keyword: declared through the class namespace below.
    locals()["from"] = serializers.DateField(
        help_text="Ngày tiếp nhận đầu tiên, YYYY-MM-DD (giờ Việt Nam, tính cả ngày này)."
    )
    to = serializers.DateField(
        help_text="Ngày tiếp nhận cuối cùng, YYYY-MM-DD (giờ Việt Nam, tính cả ngày này)."
    )
    subordinates = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Cộng cả hồ sơ của các cơ quan cấp dưới (chỉ lãnh đạo, thanh tra).",
    )


class ByKindSerializer(serializers.Serializer):
    locals().update({kind: serializers.IntegerField(min_value=0) for kind in Case.Kind.values})


class CaseReportSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text="Mã cơ quan.")
    locals()["from"] = serializers.DateField()
    to = serializers.DateField()
    subordinates = serializers.BooleanField()
    received = serializers.IntegerField(help_text="Hồ sơ tiếp nhận trong kỳ.")
    answered = serializers.IntegerField()
    refused = serializers.IntegerField()
    forwarded = serializers.IntegerField()
    open = serializers.IntegerField(help_text="Đang xử lý (kể cả chờ làm rõ).")
    overdue = serializers.IntegerField(help_text="Đang xử lý và đã quá hạn lúc này.")
    on_time_rate = serializers.FloatField(
        allow_null=True,
        help_text="0–1: phần hồ sơ đã trả lời trong hạn; null khi chưa trả lời hồ sơ nào.",
    )
    median_working_days_to_answer = serializers.FloatField(
        allow_null=True, help_text="Số ngày làm việc từ tiếp nhận đến trả lời (trung vị)."
    )
    by_kind = ByKindSerializer(help_text="Hồ sơ tiếp nhận theo loại; tổng bằng received.")


class AnnualReportQuerySerializer(serializers.Serializer):
    organisation = serializers.SlugField(
        max_length=64, help_text="Mã cơ quan, ví dụ pgddt-thuan-an."
    )


class AnnualReportSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text="Mã cơ quan.")
    year = serializers.IntegerField()
    locals()["from"] = serializers.DateField(help_text="15/12 của năm trước (giờ Việt Nam).")
    to = serializers.DateField(help_text="14/12 của năm báo cáo (giờ Việt Nam, tính cả ngày này).")
    frozen = serializers.BooleanField(
        help_text="Số liệu đã chốt khi lập báo cáo (false: tạm tính đến hiện tại)."
    )
    generated_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField(allow_null=True, help_text="Trạng thái văn bản báo cáo.")
    document = serializers.CharField(allow_null=True, help_text="Số, ký hiệu khi đã ban hành.")
    figures = serializers.JSONField(
        help_text="questions, press_reports, complaints, statements, schedules, "
        "spokesperson_changes (như trong báo cáo)."
    )
