"""What validation keeps of each file — the verdict, the totals, the findings and the values
later stages need, never the cells — and a batch of them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from danvan_cli.config.rubric import Kind
from danvan_cli.dossier.model import DossierInfo, PaperMark
from danvan_cli.findings import Finding
from danvan_cli.record import Record


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class FileResult(Record):
    """One file's validation. `info` is None when the file is no readable dossier."""

    __slots__ = (
        "danvan_output",
        "findings",
        "info",
        "kind",
        "papers",
        "path",
        "scores",
        "sha256",
        "total",
    )

    def __init__(
        self,
        path: str,
        sha256: str,
        findings: list[Finding] | None = None,
        info: DossierInfo | None = None,
        kind: Kind | None = None,
        total: Decimal | None = None,  # danvan's own sum, None when a score cannot be read
        scores: dict[str, Decimal] | None = None,
        papers: list[PaperMark] | None = None,
        danvan_output: bool = False,  # a workbook danvan wrote; callers leave it out
    ) -> None:
        self.path, self.sha256 = path, sha256
        self.findings = findings if findings is not None else []
        self.info, self.kind, self.total = info, kind, total
        self.scores = scores if scores is not None else {}
        self.papers = papers if papers is not None else []
        self.danvan_output = danvan_output

    @property
    def valid(self) -> bool:
        return not any(f.is_error for f in self.findings)

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(not f.is_error for f in self.findings)

    @property
    def name(self) -> str | None:
        return self.info.name if self.info else None

    @property
    def unit(self) -> str | None:
        return self.info.unit if self.info else None

    @property
    def year(self) -> int | None:
        return self.info.year if self.info else None

    @property
    def level(self) -> str | None:
        return self.info.level if self.info else None

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "valid": self.valid,
            "kind": self.kind,
            "name": self.name,
            "unit": self.unit,
            "year": self.year,
            "total": as_float(self.total),
            "scores": {code: float(v) for code, v in sorted(self.scores.items())},
            "findings": [f.to_dict(lang) for f in self.findings],
        }


class Validation(Record):
    """A batch of validated files, in the order they were given."""

    __slots__ = ("files", "provenance")

    def __init__(
        self,
        files: list[FileResult],
        provenance: dict[str, Any] | None = None,  # danvan version, plan and rubric files
    ) -> None:
        self.files, self.provenance = files, provenance

    @property
    def valid(self) -> bool:
        return all(f.valid for f in self.files)

    @property
    def valid_count(self) -> int:
        return sum(f.valid for f in self.files)

    def to_dict(self, lang: str, files: bool = True) -> dict[str, Any]:
        """The JSON of `danvan validate` (DESIGN §5); `files=False`: all but the files."""
        valid = self.valid_count
        data: dict[str, Any] = {
            "files": [f.to_dict(lang) for f in self.files] if files else [],
            "summary": {
                "files": len(self.files),
                "valid": valid,
                "invalid": len(self.files) - valid,
            },
        }
        if self.provenance is not None:
            data["provenance"] = self.provenance
        if not files:
            del data["files"]
        return data
