"""Every action code the code records has words for the inspector (issue 13: the ledger
speaks in words, not codes)."""

import re
from pathlib import Path

from audit.labels import ACTION_LABELS

ROOT = Path(__file__).resolve().parents[2]
APPS = ("workflows", "reports", "release", "roles", "audit", "api", "outbox", "core")
# artifact_record(case, "case.x", …), audit.record(action="x.y", …), record("x.y", …)
RECORDED = re.compile(r'(?:artifact_record\(\s*\w+,\s*|action=|record\(\s*)"([a-z_]+\.[a-z_.]+)"')


def test_every_recorded_action_has_a_label():
    codes = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                codes |= set(RECORDED.findall(path.read_text(encoding="utf-8")))
    assert len(codes) > 40  # the pattern still finds the recorded actions
    assert sorted(c for c in codes if c not in ACTION_LABELS) == []
