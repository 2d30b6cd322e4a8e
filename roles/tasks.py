from celery import shared_task

from . import services


@shared_task
def press_cards_expire() -> int:
    """Mark accreditations whose press card expired."""
    return services.press_cards_expire()


@shared_task
def memberships_sync_groups() -> int:
    """Keep role groups in line with membership validity periods."""
    return services.memberships_sync_groups()
