"""Figures for the annual results report (before 1 Oct) and the phase report (III.1.đ).

Computed from a year's validated dossiers and the register's recognitions; every figure can
be recounted from those inputs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from danvan_cli.config.load import Config
from danvan_cli.register.store import Recognition
from danvan_cli.text.collation import sort_key
from danvan_cli.validate.results import FileResult

NO_RULE = "khác"


@dataclass
class Tally:
    dossiers: int = 0
    valid: int = 0
    recognized: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"dossiers": self.dossiers, "valid": self.valid, "recognized": self.recognized}


@dataclass
class YearFigures:
    year: int
    has_dossiers: bool = True  # ho-so/<year>/ exists: dossier figures are real zeros or counts
    dossiers: int = 0
    valid: int = 0
    unreadable: int = 0  # files that are no readable dossier (file.* errors)
    registered_late: int = 0
    submitted_late: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)  # dossiers with an error of the rule
    by_reason: Counter[str] = field(default_factory=Counter)  # dossiers with the finding code
    by_field: dict[str, Tally] = field(default_factory=dict)
    by_unit: dict[str, Tally] = field(default_factory=dict)
    by_commune: dict[str, Tally] = field(default_factory=dict)  # as the communes were that year
    recognitions: dict[str, dict[str, int]] = field(default_factory=dict)  # level -> kind -> n
    inputs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def invalid(self) -> int:
        return self.dossiers - self.valid

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "dossier_folder": self.has_dossiers,
            "dossiers": self.dossiers,
            "valid": self.valid,
            "invalid": self.invalid,
            "unreadable": self.unreadable,
            "registered_late": self.registered_late,
            "submitted_late": self.submitted_late,
            "rejected_by_rule": dict(sorted(self.by_rule.items())),
            "rejected_by_reason": dict(sorted(self.by_reason.items())),
            "by_field": {k: v.as_dict() for k, v in self.by_field.items()},
            "by_unit": {k: v.as_dict() for k, v in self.by_unit.items()},
            "by_commune": {k: v.as_dict() for k, v in self.by_commune.items()},
            "recognitions": self.recognitions,
        }


UNKNOWN = "?"  # field or unit not known: a recognition with no dossier, a dossier with no unit


def year_figures(
    config: Config,
    year: int,
    results: list[FileResult] | None,
    recognitions: list[Recognition],
) -> YearFigures:
    """The figures of one year: `results` are the year's dossiers (None: no ho-so/<year>/)."""
    identity = config.plan.identity()
    fig = YearFigures(year=year, has_dossiers=results is not None)
    fig.by_field = {f.id: Tally() for f in config.plan.fields}
    recognized: dict[str, Recognition] = {}  # this year's recognitions, by identity key
    for rec in recognitions:
        if rec.year == year:
            recognized.setdefault(rec.candidate.key, rec)
            level = fig.recognitions.setdefault(rec.level, {"collective": 0, "individual": 0})
            level[rec.candidate.kind] += 1
    units: dict[str, str] = {}  # unit key -> first spelling seen
    matched: set[str] = set()
    end = dt.date(year, 12, 31)  # units and communes as they were that year

    def unit_tallies(unit: str | None, name: str | None) -> tuple[Tally, Tally]:
        label = units.setdefault(identity.unit_key(unit, end), unit) if unit else UNKNOWN
        commune = (unit and identity.commune(unit, end)) or (name and identity.commune(name, end))
        return (
            fig.by_unit.setdefault(label, Tally()),
            fig.by_commune.setdefault(commune or UNKNOWN, Tally()),
        )

    for result in results or []:
        fig.inputs.append((result.path, result.sha256))
        fig.dossiers += 1
        fig.valid += result.valid
        codes = {f.code for f in result.findings if f.is_error}
        if result.info is None or any(c.startswith("file.") for c in codes):
            fig.unreadable += 1
        fig.registered_late += "deadline.registration_late" in codes
        fig.submitted_late += "deadline.submission_late" in codes
        for rule in {f.rule or NO_RULE for f in result.findings if f.is_error}:
            fig.by_rule[rule] += 1
        for code in codes:
            fig.by_reason[code] += 1
        kind, name, unit = result.kind, result.name, result.unit
        key = identity.key(kind, name, unit) if kind and name and unit else None
        is_recognized = key in recognized and key not in matched
        if is_recognized and key is not None:
            matched.add(key)
        field_id = result.info.field if result.info else None
        if field_id in fig.by_field:
            tally = fig.by_field[field_id]
            tally.dossiers += 1
            tally.valid += result.valid
            tally.recognized += is_recognized
        if result.info is not None:
            for tally in unit_tallies(unit, name):
                tally.dossiers += 1
                tally.valid += result.valid
                tally.recognized += is_recognized
    for key, rec in recognized.items():  # recognized with no dossier in ho-so/<year>
        if key not in matched:
            # under the unit the decision names, as the units and communes were that year
            # (never the candidate's latest unit: a 2024 decision of xã Vạn Phú stays there)
            fig.by_field.setdefault(UNKNOWN, Tally()).recognized += 1
            for tally in unit_tallies(rec.unit, rec.name):
                tally.recognized += 1
    fig.by_unit = _ordered(fig.by_unit)
    fig.by_commune = _ordered(fig.by_commune)
    return fig


def _ordered(tallies: dict[str, Tally]) -> dict[str, Tally]:
    """Vietnamese alphabetical order, the unknown last."""
    return dict(sorted(tallies.items(), key=lambda kv: (kv[0] == UNKNOWN, sort_key(kv[0]))))


def units_now(config: Config, figures: list[YearFigures]) -> dict[str, Tally]:
    """The units' figures over a phase, each year's unit counted under the unit it is at the
    end of the phase (renames and mergers followed, as candidates are): a collective renamed
    in the middle of the phase is one line, named as the latest year spells it."""
    identity = config.plan.identity()
    end = dt.date(figures[-1].year, 12, 31) if figures else None
    total: dict[str, Tally] = {}
    shown: dict[str, str] = {}
    for f in figures:  # oldest first: the latest spelling is the one shown
        for unit, tally in f.by_unit.items():
            key = identity.unit_key(unit, end) if unit != UNKNOWN else UNKNOWN
            if unit == UNKNOWN:
                shown[key] = UNKNOWN
            elif identity.unit_key(unit, dt.date(f.year, 12, 31)) == key:
                shown[key] = unit
            else:  # spelled before a rename: shown under the unit's name now
                shown.setdefault(key, identity.spelled_now(unit, end))
            into = total.setdefault(key, Tally())
            into.dossiers += tally.dossiers
            into.valid += tally.valid
            into.recognized += tally.recognized
    out: dict[str, Tally] = {}
    for key, tally in total.items():
        into = out.setdefault(shown[key], Tally())
        into.dossiers += tally.dossiers
        into.valid += tally.valid
        into.recognized += tally.recognized
    return _ordered(out)


def communes_now(config: Config, figures: list[YearFigures]) -> dict[str, Tally]:
    """The communes' figures over a phase, each year's commune counted under the commune it
    belongs to at the end of the phase (a phase report crossing a merger adds up the merged)."""
    identity = config.plan.identity()
    end = dt.date(figures[-1].year, 12, 31) if figures else None
    total: dict[str, Tally] = {}
    for f in figures:
        for commune, tally in f.by_commune.items():
            now = identity.commune(commune, end) if commune != UNKNOWN else None
            into = total.setdefault(now or commune, Tally())
            into.dossiers += tally.dossiers
            into.valid += tally.valid
            into.recognized += tally.recognized
    return _ordered(total)
