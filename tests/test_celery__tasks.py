"""Celery tasks: every beat entry resolves, and the registered names outlive renames.

Queued messages and beat entries carry a task's registered name: a task renamed in Python
keeps its old `name=`, so nothing in flight is lost by a deploy.
"""

import pytest
from django.conf import settings

from config.celery import app


@pytest.fixture(scope="module")
def registered():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_every_beat_entry_names_a_registered_task(registered):
    for entry, spec in settings.CELERY_BEAT_SCHEDULE.items():
        assert spec["task"] in registered, entry


def test_our_tasks_end_in_task_and_keep_their_names(registered):
    ours = {
        name: task
        for name, task in registered.items()
        if task.__module__.split(".")[0]
        in {"audit", "core", "outbox", "release", "roles", "workflows"}
    }
    assert len(ours) >= 15
    for name, task in ours.items():
        assert task.__wrapped__.__name__.endswith("_task"), name
    # Names that messages and beat entries already hold.
    for name in (
        "release.tasks.document_process_task",
        "release.tasks.publications_due_sweep",
        "workflows.tasks.reminders_sweep",
        "audit.tasks.anchor_ledger",
        "audit.tasks.export_build",
        "roles.tasks.press_cards_expire",
    ):
        assert name in ours
