from celery import shared_task

from . import services


@shared_task(name="roles.tasks.press_cards_expire")
def press_cards_expire_task() -> int:
    """Mark accreditations whose press card expired."""
    return services.press_cards_expire()


@shared_task(name="roles.tasks.memberships_sync_groups")
def memberships_sync_groups_task() -> int:
    """Keep role groups in line with membership validity periods."""
    return services.memberships_sync_groups()
