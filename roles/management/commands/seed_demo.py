"""Load the demo data (idempotent): organisations, press agencies and the demo users."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from roles import services
from roles.models import (
    JournalistProfile,
    Membership,
    Organisation,
    PlanTopic,
    PressAgency,
    Role,
    SpokespersonAssignment,
    Unit,
)

# The seed plan's content areas (kế hoạch truyền thông, mục II "Nội dung truyền thông", 1–8).
PLAN_YEAR = 2026
PLAN_TOPICS = [
    "Chủ trương, chính sách của ngành; đổi mới căn bản, toàn diện GDĐT; văn bản pháp luật về "
    "giáo dục; các ngày lễ kỷ niệm",
    "Giáo dục lý tưởng, đạo đức, lối sống, truyền thống; tư vấn tâm lý, phòng chống bạo lực học "
    "đường; văn hóa ứng xử trong nhà trường",
    "Chất lượng giáo dục các cấp học; Chương trình GDPT 2018; tuyển sinh đầu cấp, thi tốt nghiệp "
    "THPT; hướng nghiệp, phân luồng; phổ cập giáo dục, kiểm định, trường chuẩn quốc gia",
    "Chất lượng, chuẩn hóa đội ngũ giáo viên và cán bộ quản lý giáo dục; đánh giá theo chuẩn "
    "nghề nghiệp",
    "Cơ sở vật chất, trang thiết bị cho Chương trình GDPT 2018; huy động nguồn lực; tài chính, học "
    "phí, chính sách cho người học; công khai",
    "Cải cách hành chính, dân chủ cơ sở, dân vận chính quyền; thủ tục hành chính, dịch vụ công "
    "trực tuyến",
    "Chuyển đổi số trong giáo dục và đào tạo; nhận thức của cán bộ quản lý và giáo viên",
    "Công khai tuyển dụng, luân chuyển, bổ nhiệm viên chức quản lý các trường học",
]

DEMO_PASSWORD = "phatngon-demo"  # noqa: S105 — demo data only, never in migrations
START = date(2026, 1, 1)

ORGANISATIONS = [
    # code, name, kind, parent, governing body, abbreviation, head title, place, address, phone
    (
        "sgddt-binh-duong",
        "Sở Giáo dục và Đào tạo tỉnh Bình Dương",
        Organisation.Kind.DEPARTMENT,
        None,
        "UBND TỈNH BÌNH DƯƠNG",
        "SGDĐT",
        "Giám đốc",
        "Thủ Dầu Một",
        "Tầng 11, Tháp A, Trung tâm Hành chính tỉnh, phường Hòa Phú, thành phố Thủ Dầu Một",
        "0274 3822 552",
    ),
    (
        "pgddt-thuan-an",
        "Phòng Giáo dục và Đào tạo thành phố Thuận An",
        Organisation.Kind.OFFICE,
        "sgddt-binh-duong",
        "UBND THÀNH PHỐ THUẬN AN",
        "PGDĐT",
        "Trưởng phòng",
        "Thuận An",
        "Số 1 đường Nguyễn Văn Tiết, phường Lái Thiêu, thành phố Thuận An",
        "0274 3755 123",
    ),
    (
        "thcs-nguyen-trai-thuan-an",
        "Trường Trung học cơ sở Nguyễn Trãi",
        Organisation.Kind.SCHOOL,
        "pgddt-thuan-an",
        "PHÒNG GDĐT THÀNH PHỐ THUẬN AN",
        "THCSNT",
        "Hiệu trưởng",
        "Thuận An",
        "Phường Lái Thiêu, thành phố Thuận An",
        "0274 3759 001",
    ),
    (
        "th-lai-thieu",
        "Trường Tiểu học Lái Thiêu",
        Organisation.Kind.SCHOOL,
        "pgddt-thuan-an",
        "PHÒNG GDĐT THÀNH PHỐ THUẬN AN",
        "THLT",
        "Hiệu trưởng",
        "Thuận An",
        "Phường Lái Thiêu, thành phố Thuận An",
        "0274 3759 002",
    ),
    (
        "mn-hoa-sen-thuan-an",
        "Trường Mầm non Hoa Sen",
        Organisation.Kind.SCHOOL,
        "pgddt-thuan-an",
        "PHÒNG GDĐT THÀNH PHỐ THUẬN AN",
        "MNHS",
        "Hiệu trưởng",
        "Thuận An",
        "Phường An Phú, thành phố Thuận An",
        "0274 3759 003",
    ),
]

PRESS_AGENCIES = [
    ("Báo Giáo dục và Thời đại", "479/GP-BTTTT", "toasoan@giaoducthoidai.example.vn"),
    ("Báo Bình Dương", "117/GP-BTTTT", "toasoan@baobinhduong.example.vn"),
]

# username, full name (first, last), role, title, organisation, unit abbreviation
STAFF = [
    ("vanthu", ("Lê Thị", "Thu"), Role.REGISTRY_OFFICER, "Văn thư", "pgddt-thuan-an", None),
    ("chuyenvien", ("Phạm Văn", "Chuyên"), Role.SPECIALIST, "Chuyên viên", "pgddt-thuan-an", "TH"),
    (
        "phatngon",
        ("Trần Thị", "Bình"),
        Role.SPOKESPERSON,
        "Phó Trưởng phòng",
        "pgddt-thuan-an",
        None,
    ),
    ("lanhdao", ("Nguyễn Văn", "Lãnh"), Role.HEAD, "Trưởng phòng", "pgddt-thuan-an", None),
    (
        "pholanhdao",
        ("Võ Anh", "Tuấn"),
        Role.DEPUTY_HEAD,
        "Phó Trưởng phòng",
        "pgddt-thuan-an",
        None,
    ),
    ("thanhtra", ("Đỗ Minh", "Thanh"), Role.INSPECTOR, "Thanh tra viên", "pgddt-thuan-an", None),
    ("giamdoc", ("Hoàng Quốc", "Việt"), Role.HEAD, "Giám đốc", "sgddt-binh-duong", None),
]

# username, full name, agency index, card number, status
JOURNALISTS = [
    ("journalist1", ("Nguyễn Thị", "Hoa"), 0, "GD-01234", JournalistProfile.Status.VERIFIED),
    ("journalist2", ("Trần Quốc", "Huy"), 1, "BD-04567", JournalistProfile.Status.VERIFIED),
    ("journalist3", ("Lý Minh", "Khoa"), 1, "BD-07890", JournalistProfile.Status.PENDING),
]


# What each organisation prints on its documents (Nghị định 30/2020, Phụ lục I, II.2 and
# Phụ lục III, Mẫu 1.2): header lines with the place once, in the governing-body line, and a
# break between whole words; the competence basis and proposer of its decisions. Demo data:
# the decision numbers below are invented.
DOCUMENT_DATA = {
    "sgddt-binh-duong": {
        "header_governing_lines": "UBND TỈNH BÌNH DƯƠNG",
        "header_agency_lines": "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "decision_authority": "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "decision_bases": (
            "Căn cứ Quyết định số 20/2025/QĐ-UBND ngày 10 tháng 3 năm 2025 của Ủy ban nhân dân "
            "tỉnh Bình Dương quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở "
            "Giáo dục và Đào tạo tỉnh Bình Dương"
        ),
        "decision_proposer": "Chánh Văn phòng Sở",
    },
    "pgddt-thuan-an": {
        "header_governing_lines": "UBND THÀNH PHỐ THUẬN AN",
        "header_agency_lines": "PHÒNG GIÁO DỤC\nVÀ ĐÀO TẠO",
        "decision_authority": "TRƯỞNG PHÒNG GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ THUẬN AN",
        "decision_bases": (
            "Căn cứ Quyết định số 15/2025/QĐ-UBND ngày 20 tháng 3 năm 2025 của Ủy ban nhân dân "
            "thành phố Thuận An quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của "
            "Phòng Giáo dục và Đào tạo thành phố Thuận An"
        ),
        "decision_proposer": "Phụ trách Văn phòng",
    },
    "thcs-nguyen-trai-thuan-an": {
        "header_governing_lines": "PHÒNG GDĐT THÀNH PHỐ THUẬN AN",
        "header_agency_lines": "TRƯỜNG TRUNG HỌC CƠ SỞ\nNGUYỄN TRÃI",
    },
    "th-lai-thieu": {
        "header_governing_lines": "PHÒNG GDĐT THÀNH PHỐ THUẬN AN",
        "header_agency_lines": "TRƯỜNG TIỂU HỌC\nLÁI THIÊU",
    },
    "mn-hoa-sen-thuan-an": {
        "header_governing_lines": "PHÒNG GDĐT THÀNH PHỐ THUẬN AN",
        "header_agency_lines": "TRƯỜNG MẦM NON\nHOA SEN",
    },
}


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (chạy lại nhiều lần không tạo trùng). Mật khẩu mọi tài khoản: phatngon-demo."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        orgs = {}
        for code, name, kind, parent, gov, abbr, head_title, place, address, phone in ORGANISATIONS:
            org, _ = Organisation.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "kind": kind,
                    "parent": orgs.get(parent),
                    "governing_body": gov,
                    "abbreviation": abbr,
                    "head_title": head_title,
                    "place_name": place,
                    "address": address,
                    "phone": phone,
                    "email": f"{code}@example.gov.vn",
                    "portal_url": "https://binhduong.edu.vn",
                },
            )
            document_data = DOCUMENT_DATA.get(code, {})
            if any(getattr(org, field) != value for field, value in document_data.items()):
                for field, value in document_data.items():
                    setattr(org, field, value)
                org.save(update_fields=list(document_data))
            orgs[code] = org
            for number, title in enumerate(PLAN_TOPICS, start=1):
                PlanTopic.objects.get_or_create(
                    organisation=org, year=PLAN_YEAR, number=number, defaults={"title": title}
                )
        thuan_an = orgs["pgddt-thuan-an"]
        units = {
            abbr: Unit.objects.get_or_create(
                organisation=thuan_an, abbreviation=abbr, defaults={"name": name}
            )[0]
            for abbr, name in [
                ("VP", "Văn phòng"),
                ("TH", "Tổ Giáo dục Tiểu học"),
                ("THCS", "Tổ Giáo dục Trung học cơ sở"),
            ]
        }
        Unit.objects.get_or_create(
            organisation=orgs["sgddt-binh-duong"],
            abbreviation="VP",
            defaults={"name": "Văn phòng Sở"},
        )

        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.gov.vn"},
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.first_name, admin.last_name = "Quản trị", "Hệ thống"
            admin.save()

        users = {}
        for username, (first, last), role, title, org_code, unit_abbr in STAFF:
            user = self._user(username, first, last)
            users[username] = user
            org = orgs[org_code]
            if not Membership.objects.filter(user=user, organisation=org, role=role).exists():
                services.membership_grant(
                    user=user,
                    organisation=org,
                    role=role,
                    title=title,
                    unit=units.get(unit_abbr) if unit_abbr else None,
                    valid_from=START,
                    by=admin,
                )

        if not SpokespersonAssignment.objects.filter(
            user=users["phatngon"], organisation=thuan_an
        ).exists():
            services.spokesperson_assign(
                organisation=thuan_an,
                user=users["phatngon"],
                kind=SpokespersonAssignment.Kind.REGULAR,
                issued_by=users["lanhdao"],
                valid_from=START,
                contact_name="Trần Thị Bình",
                contact_title="Phó Trưởng phòng Giáo dục và Đào tạo",
                contact_phone="0274 3755 124",
                contact_email="phatngon.pgddt@example.gov.vn",
            )
            # Not published yet: the directory shows the entry once its decision (QĐ) is
            # signed and issued (seed_demo_statements issues it; the worker signs it).

        # The deputy head may sign on the head's behalf ("KT.").
        if not users["pholanhdao"].has_perm("roles.sign_on_behalf", thuan_an):
            services.permission_grant(
                perm="roles.sign_on_behalf",
                to=users["pholanhdao"],
                obj=thuan_an,
                by=users["lanhdao"],
            )

        agencies = []
        for name, licence, email in PRESS_AGENCIES:
            agency, _ = PressAgency.objects.get_or_create(
                name=name, defaults={"licence_number": licence, "email": email}
            )
            agencies.append(agency)

        reviewer = users["vanthu"]
        for username, (first, last), agency_index, card, status in JOURNALISTS:
            user = self._user(username, first, last)
            if hasattr(user, "journalist_profile"):
                continue
            profile = services.journalist_register(
                user=user,
                press_agency=agencies[agency_index],
                press_card_number=card,
                card_expiry=timezone.localdate() + timedelta(days=2 * 365),
                phone="0909 000 111",
            )
            services.journalist_confirm_email(profile=profile)
            if status == JournalistProfile.Status.VERIFIED:
                services.journalist_review(profile=profile, approve=True, by=reviewer)

        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng (mật khẩu: phatngon-demo)."))

    def _user(self, username, first, last):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.vn"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user
