"""What a dashboard shows (`dashboards.build` fills it): per unit row the level distribution against the
quota, the averages and the progress of its assessment; the totals, the duty groups' averages and the
monthly trend of the chosen subtree.

Averages are exact sums over counts rounded half-up to 2 decimals: a figure of one summary keeps the
summary's own rounded means; a figure of several adds their exact sums up (integers per denominator, one
Fraction per criterion at the end)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from .periods import Period
from .summaries import SCORE

PAGE_ROWS = 100  # unit rows per page of the tables (a province's wards); totals count every row
NOT_RUN, NOT_DECIDED, NOT_PUBLISHED, DONE = "not_run", "not_decided", "not_published", "published"
PROGRESS_LABELS = {NOT_RUN: "Chưa chạy", NOT_DECIDED: "Đã tính, chưa quyết định",
                   NOT_PUBLISHED: "Đã quyết định, chưa công bố", DONE: "Đã công bố"}  # fmt: skip


@dataclass
class QuotaUse:
    level: str
    kept: int  # computed level A after the quota
    demoted: int  # moved down by the quota
    allowed: int | None  # None: the quota's groups cannot be recounted from stored results
    decided: int  # level A after the leaders' decisions

    @property
    def over(self) -> bool:
        return self.allowed is not None and self.decided > self.allowed


class Averages:
    """Summary rows added up: people, computed levels, quota use, exact sums → rounded means."""

    def __init__(self):
        self.people = 0
        self.levels: Counter = Counter()
        self.quota: dict[str, list] = {}
        self._parts = 0
        self._own: dict | None = None  # the means of a single summary
        self._sums: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self._counts: Counter = Counter()
        self._means: dict | None = None

    def add(self, people: int, data: dict | None, sums: dict | None = None) -> None:
        """One summary's figures (`sums` needed when several are added up); `data` None: its sums only."""
        self.people += people
        self._parts += 1
        self._means = None
        if sums:
            self.add_sums((code, num, den, count) for code, (num, den, count) in sums.items())
        if data is None:
            return
        self._own = data["means"]
        levels = self.levels
        for level, n in data["levels"].items():
            levels[level] += n
        for level, (kept, down, allowed) in data["quota"].items():
            mine = self.quota.setdefault(level, [0, 0, 0])
            mine[0] += kept
            mine[1] += down
            mine[2] = None if mine[2] is None or allowed is None else mine[2] + allowed

    def add_sums(self, parts) -> None:
        """Exact sums as (code, numerator, denominator, count)."""
        for code, num, den, count in parts:
            self._sums[code][den] += num
            self._counts[code] += count

    @classmethod
    def added_up(cls, people: int, sums: dict[str, dict[int, int]], counts: dict[str, int]) -> Averages:
        """A figure the database added up (`dash_queries.group_sums`)."""
        out = cls()
        out.people, out._parts = people, 2
        out.add_sums((c, num, den, counts[c] if i == 0 else 0)
                     for c, parts in sums.items() for i, (den, num) in enumerate(parts.items()))  # fmt: skip
        return out

    def means(self) -> dict[str, Decimal]:
        if self._means is None:
            if self._parts == 1 and self._own is not None:  # the summary's own rounded means
                self._means = {code: Decimal(v) for code, v in self._own.items()}
            else:
                from ...tabular.writers import round_decimal

                self._means = {c: round_decimal(_exact(p) / self._counts[c], 2)
                               for c, p in self._sums.items() if self._counts[c]}  # fmt: skip
        return self._means

    @property
    def score(self) -> Decimal | None:
        return self.means().get(SCORE)

    def criterion(self, code: str) -> Decimal | None:
        return self.means().get(code)


def _exact(parts: dict[int, int]) -> Fraction:
    """{denominator: numerator} as one exact number."""
    common = math.lcm(*parts)
    return Fraction(sum(num * (common // den) for den, num in parts.items()), common)


@dataclass
class UnitRow:
    unit_id: int
    code: str
    name: str
    own: bool  # the chosen unit's own people (not a child's subtree)
    drill: bool  # has units below it (the dashboard can open it)
    averages: Averages = field(default_factory=Averages)
    moves: Counter = field(default_factory=Counter)  # level -> +/- people by the leaders' decisions
    changed: int = 0  # levels a leader changed
    progress: str = NOT_RUN
    assessment: str = ""  # "HT kỳ 2026-01: đã công bố"

    @cached_property
    def levels(self) -> Counter:  # read once the decisions are counted
        out = Counter(self.averages.levels)
        out.update(self.moves)
        return +out

    @property
    def people(self) -> int:
        return self.averages.people

    @cached_property
    def quotas(self) -> dict[str, QuotaUse]:
        levels = self.levels
        return {lv: QuotaUse(lv, k, d, a, levels.get(lv, 0)) for lv, (k, d, a) in self.averages.quota.items()}


@dataclass
class Dashboard:
    period: Period
    root_code: str
    root_name: str
    parent_code: str | None  # the unit above, when the caller may open it
    levels: list[str]
    criteria: list[tuple[str, str]]  # (code, title)
    rows: list[UnitRow]  # every unit row; figures only on the page built (`shown`), or on every row
    groups: dict[str, Averages]  # duty group -> averages over the chosen subtree
    trend: list[tuple[str, Counter]]  # (month, level -> people)
    quota_words: dict[str, str]  # level -> the ruleset's words
    totals: Counter  # level -> people (decided) of every row
    shown: int | None = None  # the page whose rows carry their figures; None: every row

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.rows) // PAGE_ROWS))

    def clamp(self, number: int) -> int:
        return min(max(number, 1), self.pages)

    def page(self, number: int) -> list[UnitRow]:
        """The unit rows of page `number` (1-based, clamped)."""
        number = self.clamp(number)
        if self.shown is not None and number != self.shown:
            raise ValueError(f"the dashboard was built for page {self.shown}, not {number}")
        return self.rows[(number - 1) * PAGE_ROWS : number * PAGE_ROWS]

    def by_progress(self) -> dict[str, list[UnitRow]]:
        out = {key: [] for key in PROGRESS_LABELS}
        for row in self.rows:
            out[row.progress].append(row)
        return out
