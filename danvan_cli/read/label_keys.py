"""The keys of the label contract: the information a dossier gives, the scoring table's
columns, a history list's columns."""

from __future__ import annotations

from typing import Literal

InfoKey = Literal[
    "year",
    "kind",
    "name",
    "position",
    "unit",
    "model",
    "field",
    "period",
    "registered_on",
    "submitted_on",
    "level",
    "benefit",
    "lower_decision",
    "difficult",
    "wide_influence",
    "grassroots",
    "gender",
    "women_ratio",
]
TableKey = Literal["number", "criterion", "max", "score", "evidence"]
TABLE_KEYS: tuple[TableKey, ...] = ("number", "criterion", "max", "score", "evidence")
HistoryKey = Literal["year", "level", "kind", "name", "unit", "decision_no", "decision_date"]
HISTORY_REQUIRED: frozenset[str] = frozenset(
    {"year", "level", "kind", "name", "unit", "decision_no"}
)
