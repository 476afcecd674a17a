"""The evaluation environment a compiled closure reads, and the per-person state it reads from."""

from __future__ import annotations

from ..records import PersonRecord


class PersonState:
    """Everything known about one person during a run.

    - `fields`: person fields by name (`mã_cán_bộ`, `đơn_vị`, ...); `inputs`: resolved inputs;
    - `task`: task field / per-task value name -> list of values, one per task row of the person;
    - `period`: sub-period result column -> list of values (roll-up rulesets);
    - `values`: person-level values (definitions, criteria codes, `điểm`, `điểm_bổ_sung`, `xếp_loại`,
      outputs); a criterion that does not apply holds `NA`;
    - `subs`: states of the persons whose `người_quản_lý` is this person (evaluated before it);
    - classification: `level_by_score`, `level_before_quota`, `level` (final), `not_rated`,
      `vetoed` (a `loại trừ` held), `reasons` (Vietnamese reasons of vetoes/caps/not-rated), and the
      explanation lines when asked for.
    """

    __slots__ = (
        "index",
        "record",
        "code",
        "fields",
        "inputs",
        "task",
        "task_rows",
        "n_tasks",
        "period",
        "n_period",
        "values",
        "subs",
        "score",
        "level_by_score",
        "level_before_quota",
        "level",
        "not_rated",
        "vetoed",
        "reasons",
        "explanation",
        "quota_lines",
        "decision",
    )

    def __init__(self, index: int, record: PersonRecord):
        self.index = index
        self.record = record
        self.code = record.code
        self.fields: dict[str, object] = {}
        self.inputs: dict[str, object] = {}
        self.task: dict[str, list] = {}
        self.task_rows = None
        self.n_tasks = 0
        self.period: dict[str, list] = {}
        self.n_period = 0
        self.values: dict[str, object] = {}
        self.subs: list[PersonState] = []
        self.score = None
        self.level_by_score: str | None = None
        self.level_before_quota: str | None = None
        self.level: str | None = None
        self.not_rated = False
        self.vetoed = False
        self.reasons: list[str] = []
        self.explanation: list[str] = []
        self.quota_lines: list[str] = []
        self.decision = ""  # with explanations: the one reason that decided the level (plain words)


class Env:
    """What a closure sees: the person `p`, the current record `row` inside an aggregate (a task or
    sub-period index, or a subordinate's PersonState) and the parameter values."""

    __slots__ = ("p", "row", "params")

    def __init__(self, p: PersonState | None, row, params: dict[str, object]):
        self.p = p
        self.row = row
        self.params = params
