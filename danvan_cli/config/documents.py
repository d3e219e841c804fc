"""Who issues and signs each paper, as data (the plan's `documents:` section, which a
workspace's danvan.yaml may override key by key).

Nghị định 30/2020/NĐ-CP gives the layout; this gives the words that differ from one office to
the next: the issuing bodies and their header kind (state: national name and motto; Party:
"ĐẢNG CỘNG SẢN VIỆT NAM"), the signers' authority lines, positions and names, the number
patterns, "Kính gửi" and "Nơi nhận". Nothing of it is in the code.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from danvan_cli.config.rubric import Strict

HeaderKind = Literal["state", "party"]
# The placeholders a pattern of the plan may use, and what they stand for.
NUMBER = "{số}"  # the document's number, left blank ("…") for the clerk when unknown
YEAR = "{năm}"  # the award year
PLACEHOLDERS = (NUMBER, YEAR)
_BRACES = re.compile(r"\{[^{}]*\}")


def _lines(value: Any) -> Any:
    """A header line or several: "A" or [A, B] (each line printed as given)."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    return value


Lines = Annotated[list[str], BeforeValidator(_lines)]


def fill(pattern: str, **values: str) -> str:
    """A plan pattern with its placeholders replaced: fill("{số}/TTr-UBND", số="05")."""
    text = unicodedata.normalize("NFC", pattern)
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def _placeholders(where: str, text: str, allowed: tuple[str, ...]) -> None:
    for found in _BRACES.findall(unicodedata.normalize("NFC", text)):
        if found not in allowed:
            raise PydanticCustomError(
                "plan_bad_placeholder",
                "{where}",
                {"where": where, "value": found, "allowed": ", ".join(allowed)},
            )


class Signer(Strict):
    """The signature block: authority lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), the
    position ("PHÓ CHỦ TỊCH") and the full name (blank: a line the signer fills by hand)."""

    authority: Lines = []
    position: Annotated[str, Field(min_length=1)]
    name: str = ""
    title: str = ""  # the position as a sentence names it ("Chủ tịch Hội đồng"; default: position)


class Issuer(Strict):
    """An issuing body: its header kind, the parent body's lines (regular) and its own (bold)."""

    header: HeaderKind = "state"
    parent: Lines = []
    name: Annotated[Lines, Field(min_length=1)]
    called: Annotated[str, Field(min_length=1)]  # in a sentence: "Ban Dân vận Huyện ủy"
    place: str | None = None  # the date line's place (default: the plan's authority.place)
    signer: Signer | None = None  # who signs its papers unless a paper names another


class Letter(Strict):
    """A paper sent to someone (Tờ trình, Thông báo): issuer, number pattern, "Kính gửi",
    signer (default: the issuer's) and "Nơi nhận"."""

    issuer: str
    number: str = NUMBER
    to: Lines = []
    signer: Signer | None = None
    recipients: list[str] = []


class Notice(Letter):
    """The note back to a unit whose dossiers must be fixed (Thông báo kết quả kiểm tra)."""

    resubmit_days: Annotated[int, Field(ge=1, le=120)] = 10


class Minutes(Strict):
    """The council's minutes (Biên bản họp xét, Mẫu 1.9)."""

    issuer: str
    number: str = NUMBER
    place: str = ""  # where the council meets (blank: a line to fill)
    chair: Signer
    secretary: Signer
    recipients: list[str] = []


class Decision(Strict):
    """The award decision (Quyết định khen thưởng, Mẫu 1.2) and its list."""

    issuer: str
    authority: Annotated[str, Field(min_length=1)]  # "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN …"
    proposed_by: Annotated[str, Field(min_length=1)]  # "Theo đề nghị của …"
    executors: Annotated[str, Field(min_length=1)]  # Điều 3: "… chịu trách nhiệm thi hành"
    signer: Signer | None = None
    recipients: list[str] = []


class Certificate(Strict):
    """The certificate (Giấy khen): the achievement line, and whether it is printed on a
    pre-printed blank (only the variable lines) or on plain A4 (everything)."""

    achievement: Annotated[str, Field(min_length=1)]  # may use {năm}
    preprinted: bool = False


class LevelPapers(Strict):
    """The papers of one level of the plan."""

    award: Annotated[str, Field(min_length=1)]  # "Giấy khen", "Bằng khen"
    giver: Annotated[str, Field(min_length=1)]  # "Chủ tịch Ủy ban nhân dân huyện …"
    proposal: Letter | None = None  # Tờ trình (rank; the top level: export)
    minutes: Minutes | None = None  # Biên bản họp xét (rank: draft; recognize/export: final)
    decision: Decision | None = None  # Quyết định + Danh sách (recognize)
    certificate: Certificate | None = None  # Giấy khen (recognize)


class Documents(Strict):
    issuers: dict[str, Issuer] = {}
    levels: dict[str, LevelPapers] = {}
    notice: Notice | None = None  # validate --report
    workbooks: str | None = None  # the issuer whose signer signs every printed workbook

    @model_validator(mode="after")
    def _references(self) -> Documents:
        def known(where: str, issuer: str) -> None:
            if issuer not in self.issuers:
                raise PydanticCustomError(
                    "plan_no_issuer", "{where}", {"where": where, "value": issuer}
                )

        if self.workbooks is not None:
            known("documents.workbooks", self.workbooks)
        if self.notice is not None:
            known("documents.notice.issuer", self.notice.issuer)
            _placeholders("documents.notice.number", self.notice.number, (NUMBER, YEAR))
        for level, papers in self.levels.items():
            base = f"documents.levels.{level}"
            for name in ("proposal", "minutes", "decision"):
                paper = getattr(papers, name)
                if paper is not None:
                    known(f"{base}.{name}.issuer", paper.issuer)
                    if hasattr(paper, "number"):
                        _placeholders(f"{base}.{name}.number", paper.number, PLACEHOLDERS)
            if papers.certificate is not None:
                _placeholders(
                    f"{base}.certificate.achievement", papers.certificate.achievement, (YEAR,)
                )
        return self

    def signer(self, paper: Letter | Decision) -> Signer | None:
        return paper.signer or self.issuers[paper.issuer].signer


def merge(base: Any, override: Any) -> Any:
    """The plan's documents with a workspace's overrides: mappings merged key by key, anything
    else (a list of recipients, a name) replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = merge(base.get(key), value) if key in base else value
        return out
    return override
