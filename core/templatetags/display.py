"""Template filters that put codes and moments into words: `{% load display %}`."""

from django import template

from core import labels

register = template.Library()


@register.filter
def datetime_vn(value, arg: str = ""):
    """{{ event.at|datetime_vn }} → "19:13 ngày 30/11/2026"; `|datetime_vn:"s"` adds seconds."""
    return labels.datetime_display(value, seconds=arg == "s")


@register.filter
def time_left(value):
    """{{ case.due_at|time_left }} → "còn 7 ngày", "còn 3 giờ 5 phút", "quá hạn 1 ngày"."""
    return labels.time_left(value)


@register.filter
def role_label(value):
    """{{ event.actor_role|role_label }} → "Văn thư / cán bộ truyền thông"."""
    return labels.role_label(value)


@register.filter
def task_status(value):
    """{{ task.status|task_status }} → "Đã xong", "Đang xử lý", "Chờ nhận"…"""
    return labels.task_status_label(value)
