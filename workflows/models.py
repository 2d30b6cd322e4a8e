"""Models of the workflows app (Django looks for them here): each package's models, one app."""

from .cases.models import Case, CaseAttachment, CaseProcess  # noqa: F401
from .notifications.models import Notification  # noqa: F401
from .rules.models import *  # noqa: F401,F403
from .statements.models import PeriodicSchedule, Statement, StatementProcess  # noqa: F401
