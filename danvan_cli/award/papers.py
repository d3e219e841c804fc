"""What each paper of the year says — the Tờ trình, the council's Biên bản, the Quyết định with
its list, the Giấy khen, the notices back to the units — as data, from the pool, the register
and the plan's `documents:`. No layout here (write/papers.py renders them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from danvan_cli.award.council import NO, YES
from danvan_cli.award.eligibility import lower_level_years
from danvan_cli.award.explain import rule_text
from danvan_cli.award.package import recognized_below
from danvan_cli.award.pool import Pool, Pooled, display_order
from danvan_cli.config.documents import NUMBER, YEAR, Issuer, LevelPapers, Signer, fill
from danvan_cli.config.load import Config
from danvan_cli.config.plan import Level, Plan
from danvan_cli.config.rubric import KINDS, Kind
from danvan_cli.errors import UsageError
from danvan_cli.i18n.catalog import t
from danvan_cli.register.store import Recognition, Register
from danvan_cli.text.collation import person_key, sort_key
from danvan_cli.text.identity import name_key
from danvan_cli.validate.results import FileResult, Validation

PaperKind = Literal["proposal", "minutes", "decision", "certificate", "notice"]
PAPER_KINDS: tuple[PaperKind, ...] = ("proposal", "minutes", "decision", "certificate", "notice")
BLANK = "……"  # a blank the clerk or a person fills in


@dataclass(frozen=True)
class Heading:
    """The top of a paper: who issues it, its number, place and date."""

    issuer: Issuer
    number: str  # the plan's pattern filled in ("……-TTr/BDVHU" while the number is unknown)
    place: str
    date: dt.date | None  # None: the date line left for the clerk (the minutes have none)


@dataclass(frozen=True)
class Row:
    """A candidate in a paper's table."""

    kind: Kind
    name: str
    unit: str
    position: str = ""
    model: str = ""
    field: str = ""
    benefit: Decimal | None = None
    total: Decimal | None = None
    status: str = ""  # the ranking's status id (proposed, tie, reserve)
    basis: str = ""  # the lower level's decisions it rests on
    vote: str = ""  # the council's mark (Đồng ý / Không) once it met; "" where it marked none


@dataclass(frozen=True)
class Tie:
    """Candidates equal on every key across the quota line: the council picks `places`.
    After its meeting, whom it marked "Đồng ý" and "Không" (the others: no vote)."""

    kind: Kind
    names: list[str]
    total: Decimal | None
    places: int
    chosen: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LevelPaper:
    """What every paper of a level shares."""

    heading: Heading
    year: int
    level: Level
    papers: LevelPapers
    basis: list[str]  # titles of the legal texts in force on the paper's date
    rows: list[Row]


@dataclass(frozen=True)
class Considered:
    """What a level that chooses among the lower level's recognized (the province: R5) went
    through: the candidates recognized at the lower level in the year, and the years they must
    have been recognized in a row (the others of the pool never were candidates)."""

    lower: str  # the lower level's name ("huyện")
    count: int
    years: list[int]


@dataclass(frozen=True)
class ProposalPaper(LevelPaper):
    to: list[str] = field(default_factory=list)
    received: int = 0
    eligible: int = 0
    considered: Considered | None = None  # a level chosen among the lower level's recognized
    ties: list[Tie] = field(default_factory=list)
    signer: Signer | None = None
    recipients: list[str] = field(default_factory=list)
    lower_name: str = ""  # the lower level the candidates were recognized at ("cơ sở")


@dataclass(frozen=True)
class MinutesPaper(LevelPaper):
    council: Issuer | None = None
    proposer: str = ""  # who proposed the list (the level's proposal issuer), "" if none
    place: str = ""
    received: int = 0
    eligible: int = 0
    considered: Considered | None = None
    ties: list[Tie] = field(default_factory=list)
    decided: bool = False  # after the meeting: the council's marks filled in
    chair: Signer | None = None
    secretary: Signer | None = None
    recipients: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DecisionPaper(LevelPaper):
    decision: str = ""
    date: dt.date | None = None
    authority: str = ""
    proposed_by: str = ""
    executors: str = ""
    signer: Signer | None = None
    recipients: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CertificatePaper(LevelPaper):
    decision: str = ""
    date: dt.date | None = None
    authority: str = ""  # who awards, in capitals on the certificate
    achievement: str = ""
    preprinted: bool = False
    signer: Signer | None = None


@dataclass(frozen=True)
class Fix:
    """One thing a dossier must fix."""

    position: str  # sheet!cell
    rule: str  # the plan's rule, in words ("" when the problem is the file's own)
    severity: str  # error | warning
    message: str
    hint: str


@dataclass(frozen=True)
class NoticeDossier:
    name: str
    file: str  # the file's own name, as the unit sent it
    valid: bool
    fixes: list[Fix]


@dataclass(frozen=True)
class NoticePaper:
    heading: Heading
    year: int | None
    unit: str  # whom it is addressed to (`addressee`): a collective, or an individual's unit
    basis: list[str]
    received: int
    valid: int
    deadline: dt.date
    dossiers: list[NoticeDossier]
    signer: Signer | None
    recipients: list[str]


def count(n: int) -> str:
    """A count as the papers write it: 03 tập thể, 05 cá nhân, 12 hồ sơ."""
    return f"{n:02d}"


def papers_of(plan: Plan, level: Level, what: PaperKind) -> LevelPapers:
    """The level's papers, or a usage error naming the key the plan lacks."""
    papers = plan.documents.levels.get(level.id)
    if papers is None or (what != "notice" and getattr(papers, what, None) is None):
        raise UsageError("paper.not_configured", level=level.id, paper=what)
    return papers


def heading(plan: Plan, issuer_id: str, pattern: str, date: dt.date | None, year: int) -> Heading:
    issuer = plan.documents.issuers[issuer_id]
    number = fill(pattern, **{NUMBER[1:-1]: BLANK, YEAR[1:-1]: str(year)})
    return Heading(issuer, number, issuer.place or plan.authority.place, date)


def basis(plan: Plan, date: dt.date) -> list[str]:
    return [text.title for text in plan.basis(date)]


def _decisions_text(decisions: Iterable[tuple[str | None, dt.date | None]]) -> str:
    parts = []
    for number, date in decisions:
        if number and date:
            parts.append(t("paper.decision_ref", "vi", number=number, date=date))
        elif number:
            parts.append(number)
    return "; ".join(parts)


def _lower_basis(m: Pooled, level: Level, register: Register | None, year: int) -> str:
    """What a candidate's proposal rests on: the basic-level decision its dossier cites (R4),
    or the lower level's decisions of the years R5 looks at (from the register)."""
    req = level.requires
    info = m.result.info
    if req.cite_lower_decision:
        return (info.lower_decision if info else None) or ""
    if req.lower_level is None or register is None or m.candidate is None:
        return ""
    years = set(lower_level_years(level, year))
    found = [
        (r.decision_no, r.decision_date)
        for r in register.recognitions(m.candidate.id, level=req.lower_level)
        if r.year in years
    ]
    return _decisions_text(found)


def row(m: Pooled, plan: Plan, *, basis_text: str = "", vote: str = "") -> Row:
    r, info = m.result, m.result.info
    fields = {f.id: f.name for f in plan.fields}
    assert m.kind is not None
    return Row(
        kind=m.kind,
        name=r.name or "",
        unit=r.unit or "",
        position=(info.position if info else None) or "",
        model=(info.model if info else None) or "",
        field=fields.get(info.field, "") if info and info.field else "",
        benefit=info.benefit if info else None,
        total=r.total,
        status=m.status,
        basis=basis_text,
        vote=vote,
    )


def _ranked(members: Iterable[Pooled]) -> list[Pooled]:
    return sorted(
        (m for m in members if m.kind is not None),
        key=lambda m: (KINDS.index(m.kind or "collective"), m.entry.rank or 0, display_order(m)),
    )


def ties(pool: Pool, votes: dict[str, str] | None = None) -> list[Tie]:
    """The ties across the quota line, each with the places left for the council to fill
    (and, given its `votes`, whom it chose and whom it did not)."""
    out = []
    votes = votes or {}
    for kind in KINDS:
        tied = sorted(
            (m for m in pool.members if m.kind == kind and m.status == "tie"), key=display_order
        )
        if not tied:
            continue
        quota = (pool.quota or {}).get(kind)
        proposed = sum(1 for m in pool.members if m.kind == kind and m.status == "proposed")
        places = (quota - proposed) if quota is not None else len(tied)

        names = [m.result.name or m.path for m in tied]
        marks = [votes.get(m.result.sha256) for m in tied]
        chose = [n for n, mark in zip(names, marks, strict=True) if mark == YES]
        refused = [n for n, mark in zip(names, marks, strict=True) if mark == NO]
        out.append(Tie(kind, names, tied[0].result.total, places, chose, refused))
    return out


def _received(pool: Pool) -> tuple[int, int]:
    return len(pool.members), sum(1 for m in pool.members if m.status != "ineligible")


def considered(pool: Pool, register: Register | None) -> Considered | None:
    """For a level chosen among the lower level's recognized (no dossier of its own cites a
    decision: the register decides), what it considered; None for a level that scores the
    dossiers it receives."""
    req = pool.level.requires
    if req.lower_level is None or req.cite_lower_decision or register is None:
        return None
    lower = pool.config.plan.level(req.lower_level).called.lower()
    below = recognized_below(pool, register)
    return Considered(lower, len(below), lower_level_years(pool.level, pool.year))


def proposal(
    pool: Pool, register: Register | None, date: dt.date, chosen: list[Pooled] | None = None
) -> ProposalPaper:
    """The Tờ trình proposing the level's list: before the council those proposed within the
    quota and the ties (named for the council); after it (`chosen`), the council's choice."""
    plan, level = pool.config.plan, pool.level
    papers = papers_of(plan, level, "proposal")
    letter = papers.proposal
    assert letter is not None
    if chosen is None:
        members = [m for m in pool.members if m.status in ("proposed", "tie")]
        found_ties = ties(pool)
    else:
        members, found_ties = chosen, []
    rows = [
        row(m, plan, basis_text=_lower_basis(m, level, register, pool.year))
        for m in _ranked(members)
    ]
    received, eligible = _received(pool)
    return ProposalPaper(
        heading=heading(plan, letter.issuer, letter.number, date, pool.year),
        year=pool.year,
        level=level,
        papers=papers,
        basis=basis(plan, date),
        rows=rows,
        to=letter.to,
        received=received,
        eligible=eligible,
        considered=considered(pool, register),
        ties=found_ties,
        signer=plan.documents.signer(letter),
        recipients=letter.recipients,
        lower_name=plan.level(level.requires.lower_level).called.lower()
        if level.requires.lower_level
        else "",
    )


def minutes(
    pool: Pool, votes: dict[str, str] | None = None, register: Register | None = None
) -> MinutesPaper:
    """The council's Biên bản: before the meeting (`votes` None) every eligible candidate
    with the ranking's result and an empty vote column; after it, the council's marks as it
    made them (a row it left blank stays without a vote: no "Không" it never cast) and how
    each tie ended."""
    plan, level = pool.config.plan, pool.level
    papers = papers_of(plan, level, "minutes")
    spec = papers.minutes
    assert spec is not None
    eligible = [m for m in pool.members if m.status != "ineligible"]
    rows = []
    for m in _ranked(eligible):
        vote = "" if votes is None else votes.get(m.result.sha256, "")
        rows.append(row(m, plan, vote=vote))
    received, count_eligible = _received(pool)
    proposer = ""
    if papers.proposal is not None:
        proposer = plan.documents.issuers[papers.proposal.issuer].called
    return MinutesPaper(
        heading=heading(plan, spec.issuer, spec.number, None, pool.year),
        year=pool.year,
        level=level,
        papers=papers,
        basis=[],
        rows=rows,
        council=plan.documents.issuers[spec.issuer],
        proposer=proposer,
        place=spec.place,
        received=received,
        eligible=count_eligible,
        considered=considered(pool, register),
        ties=ties(pool, votes),
        decided=votes is not None,
        chair=spec.chair,
        secretary=spec.secretary,
        recipients=spec.recipients,
    )


def _recognized_rows(
    config: Config, recognitions: Sequence[Recognition], pool: Pool | None
) -> list[Row]:
    """The recognized, enriched with their dossier of the year when it is in the pool."""
    by_candidate = {m.candidate.id: m for m in (pool.members if pool else []) if m.candidate}
    rows = []
    for rec in recognitions:
        m = by_candidate.get(rec.candidate.id)
        if m is not None and m.kind is not None:
            rows.append(row(m, config.plan))
        else:
            rows.append(Row(kind=rec.candidate.kind, name=rec.name, unit=rec.unit))

    def order(r: Row) -> tuple[object, ...]:
        name = person_key(r.name) if r.kind == "individual" else (sort_key(r.name),)
        return (KINDS.index(r.kind), -(r.total or 0), *name)

    return sorted(rows, key=order)


def decision(
    config: Config,
    level: Level,
    year: int,
    number: str,
    date: dt.date,
    recognitions: Sequence[Recognition],
    pool: Pool | None,
) -> DecisionPaper:
    """The Quyết định khen thưởng and its list: exactly the recognitions of `number`."""
    plan = config.plan
    papers = papers_of(plan, level, "decision")
    spec = papers.decision
    assert spec is not None
    issuer = plan.documents.issuers[spec.issuer]
    return DecisionPaper(
        heading=Heading(issuer, number, issuer.place or plan.authority.place, date),
        year=year,
        level=level,
        papers=papers,
        basis=basis(plan, date),
        rows=_recognized_rows(config, recognitions, pool),
        decision=number,
        date=date,
        authority=spec.authority,
        proposed_by=spec.proposed_by,
        executors=spec.executors,
        signer=plan.documents.signer(spec),
        recipients=spec.recipients,
    )


def certificates(paper: DecisionPaper) -> CertificatePaper:
    """One Giấy khen per recognized candidate of a decision, signed like the decision."""
    spec = paper.papers.certificate
    if spec is None:
        raise UsageError("paper.not_configured", level=paper.level.id, paper="certificate")
    return CertificatePaper(
        heading=paper.heading,
        year=paper.year,
        level=paper.level,
        papers=paper.papers,
        basis=[],
        rows=paper.rows,
        decision=paper.decision,
        date=paper.date,
        authority=paper.authority,
        achievement=fill(spec.achievement, **{YEAR[1:-1]: str(paper.year)}),
        preprinted=spec.preprinted,
        signer=paper.signer,
    )


def addressee(f: FileResult) -> str | None:
    """Who sent a dossier, so whom its notice goes to: a collective itself ("Hội Phụ nữ xã Vạn
    Long", not the commune its "Đơn vị" names), an individual's unit (Đơn vị công tác); None
    when the file names neither."""
    if f.kind == "collective" and f.name:
        return f.name
    return f.unit or None


def notices(
    config: Config, validation: Validation, date: dt.date, *, file_name: dict[str, str]
) -> list[NoticePaper]:
    """One notice per body that submitted dossiers with errors or warnings (`addressee`): what
    each must fix and by when. Files naming no one to address get none."""
    plan = config.plan
    spec = plan.documents.notice
    if spec is None:
        raise UsageError("paper.not_configured", level="-", paper="notice")
    units: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for i, f in enumerate(validation.files):
        to = addressee(f)
        if not to:
            continue
        key = name_key(to, plan.name_aliases)
        units.setdefault(key, []).append(i)
        names.setdefault(key, to)
    out = []
    for key in sorted(units, key=lambda k: sort_key(names[k])):
        files = [validation.files[i] for i in units[key]]
        if not any(f.findings for f in files):
            continue
        years = sorted({f.year for f in files if f.year})
        year = years[-1] if years else None
        deadline = date + dt.timedelta(days=spec.resubmit_days)
        dossiers = [
            NoticeDossier(
                name=f.name or "",
                file=file_name.get(f.path, f.path),
                valid=f.valid,
                fixes=[
                    Fix(
                        x.position,
                        rule_text(x.rule, config, "vi") if x.rule else "",
                        x.severity,
                        x.message("vi"),
                        x.hint("vi", printed=True),
                    )
                    for x in f.findings
                ],
            )
            for f in files
            if f.findings
        ]
        out.append(
            NoticePaper(
                heading=heading(plan, spec.issuer, spec.number, date, year or date.year),
                year=year,
                unit=names[key],
                basis=basis(plan, date),
                received=len(files),
                valid=sum(f.valid for f in files),
                deadline=deadline,
                dossiers=dossiers,
                signer=plan.documents.signer(spec),
                recipients=spec.recipients,
            )
        )
    return out
