"""Django's `flush`, made to work with the append-only ledger triggers.

`flush` erases every table, the ledger included: a deliberate whole-database wipe (also what
pytest-django does between `transaction=True` tests). It is allowed only when
settings.AUDIT_FLUSH_ALLOWED is true (the demo and the tests); production refuses it.
"""

from django.conf import settings
from django.core.management import CommandError
from django.core.management.commands.flush import Command as FlushCommand

from audit.db import maintenance


class Command(FlushCommand):
    def handle(self, **options):
        if not getattr(settings, "AUDIT_FLUSH_ALLOWED", False):
            raise CommandError(
                "flush would erase the audit ledger; set AUDIT_FLUSH_ALLOWED=true "
                "only on a demo or test database."
            )
        with maintenance(options["database"]):
            return super().handle(**options)
