"""Loaded into a test worker (`celery worker --include`): issuing takes a few seconds longer.

The fault tests need a window in which a worker is surely in the middle of rendering and
signing, to kill it there. Nothing in the application reads this module.
"""

import os
import time

from release import services

_DELAY = float(os.environ.get("PHATNGON_TEST_ISSUE_DELAY", "0"))
_render_and_sign = services._render_and_sign


def _slow_render_and_sign(document):
    time.sleep(_DELAY)
    return _render_and_sign(document)


if _DELAY:
    services._render_and_sign = _slow_render_and_sign
