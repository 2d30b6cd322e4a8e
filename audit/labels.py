"""The ledger in words: each action code and each target as an inspector reads them.

The codes stay in the ledger (they are what is hashed); these tables only say them. Targets
are looked up by their model's name (`apps.get_model`), so that the ledger imports no app
above it (ARCHITECTURE.md: dependencies point one way).
"""

from collections import defaultdict

from django.apps import apps
from django.utils.translation import gettext_lazy as _

# Every action the product records. An unknown code is shown as it is.
ACTION_LABELS = {
    # Press cases (workflows)
    "case.submit": _("Hồ sơ: nhà báo gửi câu hỏi, đề nghị"),
    "case.accept": _("Hồ sơ: tiếp nhận"),
    "case.triage.accept": _("Phân loại: tiếp nhận, giao chuyên viên"),
    "case.triage.forward": _("Phân loại: chuyển cơ quan có thẩm quyền"),
    "case.triage.duplicate": _("Phân loại: trùng hồ sơ đã có"),
    "case.triage.clarify": _("Phân loại: đề nghị nhà báo làm rõ"),
    "case.clarification.reply": _("Nhà báo gửi nội dung làm rõ"),
    "case.draft": _("Soạn trả lời"),
    "case.draft.save": _("Soạn trả lời: lưu dự thảo"),
    "case.attachment.open": _("Hồ sơ: mở tệp đính kèm"),
    "case.draft.submit": _("Soạn trả lời: trình người phát ngôn"),
    "case.review.approve": _("Người phát ngôn đồng ý, trình lãnh đạo ký"),
    "case.review.return": _("Người phát ngôn trả lại chuyên viên"),
    "case.review.refuse": _("Người phát ngôn đề xuất từ chối"),
    "case.signoff.sign": _("Lãnh đạo ký ban hành"),
    "case.signoff.return": _("Lãnh đạo trả lại"),
    "case.release": _("Văn bản trả lời được cấp số, chờ ký số"),
    "case.close": _("Hồ sơ kết thúc: văn bản đã phát hành"),
    "case.extend": _("Gia hạn trả lời"),
    "case.late": _("Hồ sơ quá hạn trả lời"),
    "case.step": _("Hồ sơ chuyển bước"),
    "task.claim": _("Nhận công việc"),
    "task.unclaim": _("Trả lại công việc chưa làm"),
    "task.reassign": _("Chuyển công việc cho đồng nghiệp"),
    # Statements (workflows)
    "statement.create": _("Thông tin phát ngôn: mở"),
    "statement.draft.save": _("Thông tin phát ngôn: lưu dự thảo"),
    "statement.draft.submit": _("Thông tin phát ngôn: trình người phát ngôn"),
    "statement.review.approve": _("Thông tin phát ngôn: người phát ngôn đồng ý"),
    "statement.review.return": _("Thông tin phát ngôn: người phát ngôn trả lại"),
    "statement.signoff.sign": _("Thông tin phát ngôn: lãnh đạo ký"),
    "statement.signoff.return": _("Thông tin phát ngôn: lãnh đạo trả lại"),
    "statement.release": _("Thông tin phát ngôn: cấp số, chờ ký số"),
    "statement.released": _("Thông tin phát ngôn: đã ký số, chờ công bố"),
    "statement.record": _("Công bố biên bản họp báo"),
    "statement.withdraw": _("Hủy thông tin phát ngôn"),
    "statement.recalled": _("Thông tin phát ngôn: văn bản bị thu hồi"),
    "schedule.save": _("Lịch cung cấp thông tin định kỳ: lưu"),
    "schedule.reminder": _("Nhắc lịch cung cấp thông tin định kỳ"),
    "schedule.missed": _("Lỡ kỳ cung cấp thông tin định kỳ"),
    "notification.sent": _("Gửi thông báo"),
    # Documents (release)
    "document.numbered": _("Văn bản: cấp số"),
    "document.rendered": _("Văn bản: tạo tệp PDF"),
    "document.signed": _("Văn bản: ký số"),
    "document.sealed": _("Văn bản: đóng dấu số của cơ quan"),
    "document.registered": _("Văn bản: vào sổ văn bản đi"),
    "document.dispatched": _("Văn bản: chuyển đi"),
    "document.download": _("Văn bản: tải về"),
    "document.failed": _("Văn bản: phát hành không thành công"),
    "document.retry": _("Văn bản: thử phát hành lại"),
    "document.cancelled": _("Văn bản: thu hồi"),
    "register.export": _("Xuất sổ văn bản đi"),
    "publication.scheduled": _("Tin báo chí: hẹn giờ công bố"),
    "publication.publish_at_set": _("Tin báo chí: đặt giờ công bố"),
    "publication.distributed": _("Tin báo chí: công bố và gửi báo chí"),
    "publication.addendum": _("Tin báo chí: đính chính"),
    "publication.delivered": _("Tin báo chí: đã gửi thư"),
    "publication.delivery_failed": _("Tin báo chí: gửi thư không thành công"),
    "publication.delivery_retry": _("Tin báo chí: gửi thư lại"),
    "subscription.added": _("Đăng ký nhận tin: thêm địa chỉ"),
    "subscription.subscribed": _("Đăng ký nhận tin"),
    "subscription.unsubscribed": _("Hủy đăng ký nhận tin"),
    "subscription.deactivated": _("Ngừng gửi tin đến địa chỉ"),
    # People and roles (roles)
    "journalist.register": _("Nhà báo đăng ký tài khoản"),
    "journalist.confirm_email": _("Nhà báo xác nhận thư điện tử"),
    "journalist.verify": _("Xác minh thẻ nhà báo"),
    "journalist.expire": _("Thẻ nhà báo hết hạn"),
    "membership.grant": _("Giao vai trò"),
    "membership.end": _("Kết thúc vai trò"),
    "spokesperson.assign": _("Giao người phát ngôn"),
    "spokesperson.revoke": _("Thôi giao người phát ngôn"),
    "spokesperson.publish": _("Công bố người phát ngôn"),
    "spokesperson.decision.issue": _("Ban hành quyết định giao người phát ngôn"),
    "press_agency.sharing_on": _("Cơ quan báo chí: bật chia sẻ hồ sơ"),
    "press_agency.sharing_off": _("Cơ quan báo chí: tắt chia sẻ hồ sơ"),
    "permission.grant": _("Cấp quyền trên hồ sơ"),
    "permission.revoke": _("Thu hồi quyền trên hồ sơ"),
    # Accounts
    "auth.login": _("Đăng nhập"),
    "auth.login_failed": _("Đăng nhập sai"),
    "auth.lockout": _("Tạm khoá đăng nhập"),
    "auth.password_change": _("Đổi mật khẩu"),
    "auth.password_reset_request": _("Yêu cầu đặt lại mật khẩu"),
    "auth.password_reset": _("Đặt lại mật khẩu"),
    "auth.token_create": _("Tạo khoá API"),
    "auth.token_revoke": _("Thu hồi khoá API"),
    "access.denied": _("Bị từ chối truy cập"),
    "incoming.register": _("Sổ văn bản đến: vào sổ văn bản đến"),
    "incoming.update": _("Sổ văn bản đến: bổ sung thông tin văn bản đến"),
    "incoming.export": _("Sổ văn bản đến: xuất sổ"),
    "case.notice": _("Hồ sơ: phát hành công văn thông báo (chưa kết thúc hồ sơ)"),
    "case.complaint.acceptance": _("Khiếu nại, tố cáo: ghi việc thụ lý hoặc không thụ lý"),
    "case.complaint.conclusion": _("Khiếu nại, tố cáo: ghi kết luận giải quyết, bắt đầu tính hạn"),
    "case.complaint.notice": _("Khiếu nại, tố cáo: công văn thông báo thụ lý đã phát hành"),
    "refusal_ground.confirm": _("Căn cứ từ chối: xác nhận nội dung văn bản"),
    "annual_report.generate": _("Báo cáo năm: lập dự thảo, chốt số liệu"),
    "annual_report.regenerate": _("Báo cáo năm: tổng hợp lại số liệu"),
    "annual_report.reminder": _("Báo cáo năm: nhắc hạn gửi báo cáo"),
    "report.export": _("Báo cáo, thống kê: xuất tệp Excel"),
    "preference.email_notifications": _("Tài khoản: đổi cài đặt nhận thư thông báo"),
    # The working calendar (workflows.rules.calendar_years)
    "calendar.year.confirm": _("Lịch làm việc: xác nhận lịch nghỉ của năm theo văn bản"),
    "calendar.year.unconfirm": _("Lịch làm việc: đưa lịch nghỉ của năm về dự kiến"),
    "calendar.holiday.switch_off": _("Lịch làm việc: không áp dụng một ngày nghỉ lễ"),
    "calendar.holiday.switch_on": _("Lịch làm việc: áp dụng lại một ngày nghỉ lễ"),
    # Administration and the ledger itself
    "admin.add": _("Quản trị: thêm"),
    "admin.change": _("Quản trị: sửa"),
    "admin.delete": _("Quản trị: xoá"),
    "admin.permissions": _("Quản trị: đổi quyền"),
    "audit.view_events": _("Thanh tra: xem nhật ký"),
    "audit.view_timeline": _("Thanh tra: xem dòng thời gian"),
    "audit.view_chain_status": _("Thanh tra: xem tình trạng chuỗi"),
    "audit.verify_request": _("Thanh tra: yêu cầu kiểm tra chuỗi"),
    "audit.view_exports": _("Thanh tra: xem các bản xuất"),
    "audit.view_export": _("Thanh tra: xem bản xuất"),
    "audit.export_request": _("Thanh tra: yêu cầu xuất dữ liệu"),
    "audit.export_ready": _("Bản xuất nhật ký đã sẵn sàng"),
    "audit.export_download": _("Thanh tra: tải bản xuất"),
}


def action_label(code: str) -> str:
    """The words for an action code ("case.triage.accept" → "Phân loại: tiếp nhận, …")."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


# What each kind of target is called, and the field(s) that name one of them (read with
# values_list: no model instance is built). Kinds without a field (None) have no single
# object to look up.
TARGETS = {
    "workflows.case": (_("Hồ sơ"), "reference"),
    "workflows.statement": (_("Thông tin phát ngôn"), "reference"),
    # Số/ký hiệu as IssuedDocument.number_display writes it: 06/TB-PGDĐT.
    "release.issueddocument": (_("Văn bản"), ("number", "symbol")),
    "roles.organisation": (_("Cơ quan"), "name"),
    "roles.spokespersonassignment": (_("Người phát ngôn"), "contact_name"),
    "roles.journalistprofile": (_("Hồ sơ nhà báo"), "user__username"),
    "roles.membership": (_("Phân công vai trò"), None),
    "auth.user": (_("Tài khoản"), "username"),
    "workflows.calendaryear": (_("Lịch nghỉ theo năm"), "year"),
    "workflows.calendarswap": (_("Ngày nghỉ bù, làm bù"), "date"),
    "audit.auditexport": (_("Bản xuất nhật ký"), None),
    "audit.ledger": (_("Nhật ký kiểm toán"), None),
    "audit.export": (_("Bản xuất nhật ký"), None),
    "release.register": (_("Sổ văn bản đi"), None),
    "page": (_("Trang"), None),
}


def _model(target_type: str):
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _names_by_pk(model, field, pks) -> dict[str, str]:
    fields = (field,) if isinstance(field, str) else field
    rows = model._default_manager.filter(pk__in=pks).values_list("pk", *fields)
    if fields == ("number", "symbol"):
        return {str(pk): f"{number:02d}/{symbol}" for pk, number, symbol in rows}
    return {str(pk): str(value) for pk, value in rows}


def target_names(pairs) -> dict[tuple[str, str], str]:
    """Name each (target_type, target_id): "Hồ sơ HS-2026-000003", "Văn bản 06/TB-PGDĐT".

    One query per kind of target; an object that no longer exists, or a kind the table does
    not know, is named by its type and id.
    """
    wanted: dict[str, set[str]] = defaultdict(set)
    for target_type, target_id in pairs:
        if target_type:
            wanted[target_type].add(target_id)
    names: dict[tuple[str, str], str] = {}
    for target_type, ids in wanted.items():
        noun, field = TARGETS.get(target_type, (None, None))
        found: dict[str, str] = {}
        model = _model(target_type) if field else None
        if model is not None:
            found = _names_by_pk(model, field, [int(i) for i in ids if i.isdigit()])
        for target_id in ids:
            if noun is None:
                names[(target_type, target_id)] = f"{target_type} {target_id}".strip()
            else:
                names[(target_type, target_id)] = (
                    f"{noun} {found.get(target_id, target_id)}".strip()
                )
    return names


def organisation_names(codes) -> dict[str, str]:
    """Organisation codes with their names ("pgddt-thuan-an" → "Phòng GDĐT …")."""
    model = _model("roles.organisation")
    codes = {c for c in codes if c}
    if model is None or not codes:
        return {}
    return dict(model._default_manager.filter(code__in=codes).values_list("code", "name"))


def events_describe(events) -> list:
    """Give each event of a page its words: `action_name`, `role_name`, `organisation_name`
    and `target_name` (two or three queries for the whole page)."""
    from core.labels import role_label

    events = list(events)
    targets = target_names((e.target_type, e.target_id) for e in events)
    organisations = organisation_names(e.organisation_code for e in events)
    for e in events:
        e.action_name = action_label(e.action)
        e.role_name = role_label(e.actor_role)
        e.organisation_name = organisations.get(e.organisation_code, e.organisation_code)
        e.target_name = targets.get((e.target_type, e.target_id), "")
    return events
