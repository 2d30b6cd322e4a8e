"""One line per check (`PASS …` / `FAIL …` with its figure) and the closing count."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field


@dataclass
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.ok else 'FAIL'} {self.name}: {self.detail}"


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    out: object = None

    def add(self, name: str, ok: bool, detail: str) -> bool:
        check = Check(name, bool(ok), detail)
        self.checks.append(check)
        print(check.line(), file=self.out or sys.stdout, flush=True)
        return check.ok

    @property
    def failed(self) -> int:
        return sum(not c.ok for c in self.checks)

    @property
    def passed(self) -> int:
        return sum(c.ok for c in self.checks)

    def summary(self) -> str:
        return f"{self.passed} passed, {self.failed} failed"

    def exit_status(self) -> int:
        return 1 if self.failed or not self.checks else 0


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`; 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]
