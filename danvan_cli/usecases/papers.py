"""The year's Word papers on disk: where each lands, which template (the office's copy in
mau-van-ban/ or the bundled one), never over a file danvan did not write nor over a paper a
person edited since (unless forced). Called by rank, recognize, export and validate, and by
`danvan papers write` / `danvan papers templates`.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from danvan_cli.award import papers as contents
from danvan_cli.award.council import KIND_FILES
from danvan_cli.award.package import agreed, council_choice
from danvan_cli.award.pool import Pool, Pooled, build_pool
from danvan_cli.config.plan import Level
from danvan_cli.config.rubric import Kind
from danvan_cli.errors import DanvanError, OutputError, UsageError, make_folder, os_reason
from danvan_cli.i18n.catalog import Message
from danvan_cli.read.recognise import paper_kind
from danvan_cli.register.store import Register
from danvan_cli.text.normalize import slug
from danvan_cli.usecases.context import Audit, Context, changing, resolve_level
from danvan_cli.validate.results import Validation
from danvan_cli.validate.run import discover, sha256_of, validate_many
from danvan_cli.write.document import report_date, save_bytes
from danvan_cli.write.guard import guard_file
from danvan_cli.write.package import Enclosed
from danvan_cli.write.paper_templates import FOLDER, TEMPLATES
from danvan_cli.write.papers import (
    certificate_context,
    decision_context,
    edited,
    finish,
    minutes_context,
    notice_context,
    proposal_context,
    render,
    template_file,
)

OWN_TEMPLATES = "mau-van-ban"  # the workspace's templates, edited in Word
NOTICES = "thong-bao-kiem-tra-ho-so"  # the notices' folder, beside the rejection report
# The papers by the name the command line uses.
PAPERS: dict[str, contents.PaperKind] = {
    "to-trinh": "proposal",
    "bien-ban": "minutes",
    "quyet-dinh": "decision",
    "giay-khen": "certificate",
    "thong-bao": "notice",
}


@dataclass(frozen=True)
class Written:
    path: Path
    kept: bool = False  # an edited paper left as it was
    warnings_only: bool = False  # a notice whose dossiers are all valid: nothing to fix


def notice_counts(notices: Sequence[Written]) -> dict[str, int]:
    """The notices by what they ask: `fix` some dossier and send it back, or look at the
    warnings of valid dossiers (`warn`); `count` all of them."""
    warn = sum(w.warnings_only for w in notices)
    return {"count": len(notices), "fix": len(notices) - warn, "warn": warn}


def own_templates(ctx: Context) -> Path | None:
    return ctx.workspace.root / OWN_TEMPLATES if ctx.workspace is not None else None


def _suffix(kind: Kind | None) -> str:
    return f"-{KIND_FILES[kind]}" if kind is not None else ""


def names(level: str, year: int, kind: Kind | None = None) -> dict[str, str]:
    s = _suffix(kind)
    return {
        "proposal": f"to-trinh-{level}-{year}{s}.docx",
        "draft": f"bien-ban-hop-xet-{level}-{year}{s}-du-thao.docx",
        "minutes": f"bien-ban-hop-xet-{level}-{year}{s}.docx",
    }


def decision_names(level: str, year: int, decision: str) -> tuple[str, str]:
    number = slug(decision)
    return (
        f"quyet-dinh-khen-thuong-{level}-{year}-{number}.docx",
        f"giay-khen-{level}-{year}-{number}.docx",
    )


@dataclass(frozen=True)
class Draft:
    """A paper rendered in memory, not yet on disk (None: an edited paper to keep): every
    paper of a command is rendered — its template checked — before anything is written."""

    path: Path
    data: bytes | None
    warnings_only: bool = False  # see Written


def _draft(
    ctx: Context, template: str, context: dict[str, Any], kind: str, path: Path, force: bool
) -> Draft:
    guard_file(path, ctx.workspace, kind)
    if path.exists() and not force and edited(path):
        return Draft(path, None)
    return Draft(path, finish(render(template_file(template, own_templates(ctx)), context), kind))


def save_drafts(drafts: Sequence[Draft]) -> list[Written]:
    """The rendered papers written, each atomically; an edited one kept."""
    out = []
    for d in drafts:
        if d.data is None:
            out.append(Written(d.path, kept=True, warnings_only=d.warnings_only))
        else:
            make_folder(d.path.parent)
            save_bytes(d.data, d.path, ".docx")
            out.append(Written(d.path, warnings_only=d.warnings_only))
    return out


def _write(
    ctx: Context, template: str, context: dict[str, Any], kind: str, path: Path, force: bool
) -> Written:
    return save_drafts([_draft(ctx, template, context, kind, path, force)])[0]


def _has(pool: Pool, what: str) -> bool:
    papers = pool.config.plan.documents.levels.get(pool.level.id)
    return papers is not None and getattr(papers, what) is not None


def rank_drafts(
    ctx: Context,
    pool: Pool,
    register: Register,
    folder: Path,
    kind: Kind | None = None,
    force: bool = False,
) -> list[Draft]:
    """Beside the ranking workbook: the Tờ trình proposing the list and the Biên bản to be
    completed at the council's meeting (for the papers the plan names for the level), rendered
    — so that a broken template stops `rank` before it writes anything."""
    files = names(pool.level.id, pool.year, kind)
    out = []
    if _has(pool, "proposal"):
        paper = contents.proposal(pool, register, report_date())
        path = folder / files["proposal"]
        out.append(_draft(ctx, "proposal", proposal_context(paper), "proposal", path, force))
    if _has(pool, "minutes"):
        draft = contents.minutes(pool, register=register)
        path = folder / files["draft"]
        out.append(_draft(ctx, "minutes", minutes_context(draft), "minutes", path, force))
    return out


def rank_papers(
    ctx: Context,
    pool: Pool,
    register: Register,
    folder: Path,
    kind: Kind | None = None,
    force: bool = False,
) -> list[Written]:
    return save_drafts(rank_drafts(ctx, pool, register, folder, kind, force))


def _decision_papers(
    ctx: Context,
    register: Register,
    level: Level,
    year: int,
    decision: str,
    pool: Pool | None,
    folder: Path,
    force: bool,
    which: tuple[str, ...] = ("decision", "certificate"),
) -> list[Written]:
    """The Quyết định of `decision` and its Giấy khen — only the papers `which` names."""
    config = ctx.config
    found = [
        r for r in register.recognitions(year=year, level=level.id) if r.decision_no == decision
    ]
    papers = config.plan.documents.levels.get(level.id)
    if not found or papers is None or papers.decision is None:
        return []
    date = next((r.decision_date for r in found if r.decision_date), None) or report_date()
    paper = contents.decision(config, level, year, decision, date, found, pool)
    decision_file, certificate_file = decision_names(level.id, year, decision)
    out = []
    if "decision" in which:
        path = folder / decision_file
        out.append(_write(ctx, "decision", decision_context(paper), "decision", path, force))
    if "certificate" in which and papers.certificate is not None:
        cert = contents.certificates(paper)
        template = "certificate_preprinted" if cert.preprinted else "certificate"
        out.append(
            _write(
                ctx,
                template,
                certificate_context(cert),
                "certificate",
                folder / certificate_file,
                force,
            )
        )
    return out


def recognize_papers(
    ctx: Context,
    register: Register,
    level: Level,
    year: int,
    decision: str,
    votes: dict[str, str],
    force: bool = False,
) -> list[Written]:
    """After the council: the final Biên bản (its marks: `votes`, Đồng ý / Không by dossier),
    the Quyết định with its list and the Giấy khen of the recognitions recorded under
    `decision`, in ket-qua/<year>/."""
    folder = ctx.ws.output(year, "")
    make_folder(folder)
    pool, _ = build_pool(ctx.ws, ctx.config, register, year, level, on=report_date())
    out = []
    if _has(pool, "minutes"):
        paper = contents.minutes(pool, votes, register)
        path = folder / names(level.id, year)["minutes"]
        out.append(_write(ctx, "minutes", minutes_context(paper), "minutes", path, force))
    out += _decision_papers(ctx, register, level, year, decision, pool, folder, force)
    return out


def package_papers(
    ctx: Context,
    pool: Pool,
    register: Register,
    chosen: list[Pooled],
    votes: dict[str, str] | None,
) -> list[Enclosed]:
    """The papers of the upward proposal package: the Tờ trình of the chosen candidates with
    their decisions, and the council's Biên bản (final when its marks are given, else to be
    completed by hand)."""
    files = names(pool.level.id, pool.year)
    own = own_templates(ctx)
    out = []
    if _has(pool, "proposal"):
        paper = contents.proposal(pool, register, report_date(), chosen)
        data = render(template_file("proposal", own), proposal_context(paper))
        out.append(Enclosed("proposal", files["proposal"], finish(data, "proposal")))
    if _has(pool, "minutes"):
        minutes = contents.minutes(pool, votes, register)
        data = render(template_file("minutes", own), minutes_context(minutes))
        out.append(Enclosed("minutes", files["minutes"], finish(data, "minutes")))
    return out


@dataclass
class Notices:
    """The notices of a validation, rendered (not yet written), and the number of files with
    findings whose unit could not be read (no one to address)."""

    folder: Path
    drafts: list[Draft]
    unknown: int


def notice_drafts(
    ctx: Context, validation: Validation, folder: Path, force: bool = False
) -> Notices:
    """One notice per unit whose dossiers have findings, rendered for `folder` — so that a
    broken template stops the command before it writes anything."""
    if ctx.config.plan.documents.notice is None:
        return Notices(folder, [], 0)
    file_names = {f.path: Path(f.path).name for f in validation.files}
    found = contents.notices(ctx.config, validation, report_date(), file_name=file_names)
    unknown = sum(1 for f in validation.files if not contents.addressee(f) and f.findings)
    if found:
        make_folder(folder)  # the notices' own folder, beside the report
    drafts = [
        replace(
            _draft(
                ctx,
                "notice",
                notice_context(paper),
                "notice",
                folder / f"thong-bao-{slug(paper.unit)}.docx",
                force,
            ),
            warnings_only=paper.valid == paper.received,
        )
        for paper in found
    ]
    return Notices(folder, drafts, unknown)


def save_notices(notices: Notices) -> list[Written]:
    """The notices written; earlier ones in their folder no longer needed (and that nobody
    edited) removed."""
    if not notices.drafts:
        return []
    out = save_drafts(notices.drafts)
    keep = {w.path.name for w in out}
    for old in notices.folder.glob("thong-bao-*.docx"):
        if old.name not in keep and paper_kind(old) == "notice" and not edited(old):
            old.unlink()
    return out


def notice_papers(
    ctx: Context, validation: Validation, folder: Path, force: bool = False
) -> tuple[list[Written], int]:
    """One notice per unit whose dossiers must be fixed, in `folder`. Returns the papers and
    the number of files whose unit could not be read (no one to address)."""
    notices = notice_drafts(ctx, validation, folder, force)
    return save_notices(notices), notices.unknown


# -- danvan papers write / templates ----------------------------------------------------------
@dataclass
class PapersOutcome:
    written: list[Written]
    unknown_units: int = 0


def write_papers(
    ctx: Context,
    paper: str,
    year: int,
    level: str | None = None,
    decisions: Path | None = None,
    decision: str | None = None,
    output: Path | None = None,
    force: bool = False,
) -> PapersOutcome:
    """`danvan papers write PAPER --year Y`: one paper (re)written on its own."""
    if paper not in PAPERS:
        raise UsageError("paper.bad_kind", paper=paper, papers=", ".join(PAPERS))
    what = PAPERS[paper]
    ws, config = ctx.ws, ctx.config
    lv = resolve_level(config, level) if level else config.plan.level(config.plan.default_level)
    folder = output or ws.output(year, "")
    make_folder(folder)
    if what == "notice":
        files = discover([ws.dossiers(year)]) if ws.dossiers(year).is_dir() else []
        if not files:
            raise UsageError("award.no_dossiers", path=str(ws.dossiers(year)), year=year)
        results = validate_many(files, config, [ws.relative(p) for p in files], year=year)
        written, unknown = notice_papers(
            ctx, Validation(results), output or ws.output(year, NOTICES), force
        )
        with changing(ctx, "papers write") as (_, audit):
            _audit(ctx, audit, paper, year, lv, written)
        return PapersOutcome(written, unknown)
    contents.papers_of(config.plan, lv, what)  # the plan names the paper, or a usage error
    # One transaction: the dossiers the pool records and the audit row go together (a paper
    # kept because someone edited it leaves no unaudited record behind).
    with changing(ctx, "papers write") as (register, audit):
        if what in ("decision", "certificate"):
            written = _written_decisions(ctx, register, lv, year, decision, folder, force, what)
        else:
            pool, _ = build_pool(ws, config, register, year, lv, on=report_date())
            votes = council_choice(ws, config, decisions, year, lv, register) if decisions else None
            yes = agreed(votes)
            if what == "proposal":
                chosen = None
                if yes is not None:
                    chosen = [m for m in pool.members if m.result.sha256 in yes and m.eligible]
                doc = contents.proposal(pool, register, report_date(), chosen)
                path = folder / names(lv.id, year)["proposal"]
                written = [_write(ctx, "proposal", proposal_context(doc), "proposal", path, force)]
            else:
                doc_m = contents.minutes(pool, votes, register)
                name = names(lv.id, year)["minutes" if votes is not None else "draft"]
                written = [
                    _write(ctx, "minutes", minutes_context(doc_m), "minutes", folder / name, force)
                ]
        _audit(ctx, audit, paper, year, lv, written)
    return PapersOutcome(written)


def _written_decisions(
    ctx: Context,
    register: Register,
    level: Level,
    year: int,
    decision: str | None,
    folder: Path,
    force: bool,
    what: str,
) -> list[Written]:
    found = register.recognitions(year=year, level=level.id)
    numbers = sorted({r.decision_no for r in found if r.decision_no})
    if decision is not None:
        numbers = [n for n in numbers if n == decision.strip()]
    if not numbers:
        which = Message("paper.which_decision", {"decision": decision}) if decision else ""
        raise DanvanError(
            "paper.no_recognitions", level=level.called.lower(), year=year, decision=which
        )
    try:
        pool: Pool | None = build_pool(ctx.ws, ctx.config, register, year, level, on=report_date())[
            0
        ]
    except UsageError:  # no dossiers of that year in ho-so/: the register alone
        pool = None
    out = []
    for number in numbers:  # the paper named, and no other
        out += _decision_papers(ctx, register, level, year, number, pool, folder, force, (what,))
    return out


def _audit(
    ctx: Context, audit: Audit, paper: str, year: int, level: Level, written: Sequence[Written]
) -> None:
    """The row of `papers write`: the papers written (owed even when the register did not
    change); the register's own changes, if any, go into it too."""
    done = {ctx.ws.relative(w.path): sha256_of(w.path) for w in written if not w.kept}
    audit.inputs = {"paper": paper, "year": year, "level": level.id}
    audit.outputs = done
    audit.always = bool(done)


@dataclass
class TemplatesOutcome:
    folder: Path
    copied: list[Path]
    kept: list[Path]


def copy_templates(ctx: Context, force: bool = False) -> TemplatesOutcome:
    """The bundled templates copied into the workspace's mau-van-ban/ to edit in Word; a copy
    already there is kept unless `force`."""
    folder = ctx.ws.root / OWN_TEMPLATES
    make_folder(folder)
    copied, kept = [], []
    for file in TEMPLATES.values():
        target = folder / file
        if target.exists() and not force:
            kept.append(target)
            continue
        try:
            shutil.copyfile(FOLDER / file, target)
        except OSError as exc:
            raise OutputError("output.failed", path=str(target), error=os_reason(exc)) from None
        copied.append(target)
    return TemplatesOutcome(folder, copied, kept)
