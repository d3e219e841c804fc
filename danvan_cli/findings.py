"""Findings are data: a stable code, where it is, and the values its message needs."""

from __future__ import annotations

from typing import Any

from danvan_cli.i18n.catalog import Severity, catalog, finding_text
from danvan_cli.record import Record


class Finding(Record):
    __slots__ = ("cell", "code", "criterion", "params", "sheet")

    def __init__(
        self,
        code: str,
        sheet: str | None = None,
        cell: str | None = None,
        criterion: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        if code not in catalog().codes:  # a programming error, caught by the tests
            raise KeyError(f"finding code {code!r} is not in the message catalog")
        self.code, self.sheet, self.cell, self.criterion = code, sheet, cell, criterion
        self.params = params if params is not None else {}

    @property
    def severity(self) -> Severity:
        return catalog().codes[self.code].severity

    @property
    def rule(self) -> str | None:
        return catalog().codes[self.code].rule

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def position(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def _params(self) -> dict[str, Any]:
        return {"criterion": self.criterion, **self.params}

    def message(self, lang: str) -> str:
        return finding_text(self.code, "message", lang, self._params())

    def hint(self, lang: str, *, printed: bool = False) -> str:
        """How to fix it; `printed`: as a paper for the units or the council says it (no
        danvan command named)."""
        return finding_text(self.code, "printed" if printed else "hint", lang, self._params())

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "rule": self.rule,
            "sheet": self.sheet,
            "cell": self.cell,
            "criterion": self.criterion,
            "message": self.message(lang),
            "hint": self.hint(lang),
        }
