"""Models of the workflows app (Django looks for them here)."""

from .case_models import Case, CaseAttachment, CaseProcess  # noqa: F401
from .notifications.models import Notification  # noqa: F401
from .rules.models import *  # noqa: F401,F403
from .statement_models import PeriodicSchedule, Statement, StatementProcess  # noqa: F401
