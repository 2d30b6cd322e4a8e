"""Lists are pages: {"count", "next", "previous", "results"}."""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = _("Trang không tồn tại.")
