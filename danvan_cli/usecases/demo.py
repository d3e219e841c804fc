"""`danvan demo`: a workspace built from samples/ and the whole award year run on it, through
the same use cases a user's commands call (so it leaves the same audit rows).

validate → import history → rank district → the council's decisions → recognize →
rank province → export. Reads the samples; writes only inside the demo folder.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

from danvan_cli.award.council import COUNCIL, KIND_SHEETS, NO, YES
from danvan_cli.errors import OutputError, UsageError, make_folder, no_place, os_reason
from danvan_cli.i18n.catalog import t
from danvan_cli.usecases.context import workspace_context
from danvan_cli.usecases.export import export
from danvan_cli.usecases.history import import_history
from danvan_cli.usecases.papers import notice_counts
from danvan_cli.usecases.rank import rank
from danvan_cli.usecases.recognize import recognize
from danvan_cli.usecases.validate import validate
from danvan_cli.usecases.workspace import init
from danvan_cli.write.document import dated

YEAR = 2024
DECISION = ("123/QĐ-UBND", dt.date(2024, 9, 20))
# The award year's calendar, as an office would live it (plan II.3.4: dossiers before 1 Sep,
# the council and the decision in Q3, the province proposal after it): every paper and workbook
# of a step is dated that step's day, so a Tờ trình precedes its Quyết định and a notice's
# deadline to send a dossier back falls in the award year — whatever day the demo runs.
DATES = {
    "validate": dt.date(2024, 9, 5),  # the dossiers checked, the notices sent
    "rank": dt.date(2024, 9, 12),  # the Board's Tờ trình to the chairman
    "recognize": DECISION[1],  # the council has met; the Quyết định and Giấy khen
    "rank_province": dt.date(2024, 9, 25),
    "export": dt.date(2024, 9, 27),  # the district's Tờ trình to the province
}


def samples_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "samples", here.parent / "samples"):
        if (candidate / str(YEAR)).is_dir():
            return candidate
    raise UsageError("demo.no_samples", path=str(here.parent / "samples"))


def council_marks(ranking: Path, target: Path) -> int:
    """What the council does: "Đồng ý" for each proposed row, "Không" for reserves; ties stay
    empty for the council to decide. Returns the number of "Đồng ý"."""
    import openpyxl

    wb = openpyxl.load_workbook(ranking)
    agreed = 0
    proposed = t("status.proposed", "vi")
    reserve = t("status.reserve", "vi")
    for sheet in KIND_SHEETS.values():
        ws = wb[sheet]
        header = next(r for r in range(1, ws.max_row + 1) if any(c.value == COUNCIL for c in ws[r]))
        cols = {c.value: c.column for c in ws[header]}
        status_col = cols[t("col.status", "vi")]
        for r in range(header + 1, ws.max_row + 1):
            status = ws.cell(r, status_col).value
            if status == proposed:
                ws.cell(r, cols[COUNCIL], YES)
                agreed += 1
            elif status == reserve:
                ws.cell(r, cols[COUNCIL], NO)
    try:
        wb.save(target)
    except OSError as exc:
        raise OutputError("output.failed", path=str(target), error=os_reason(exc)) from None
    return agreed


def _papers(say: Callable[[str], None], key: str, paths: list[Path], lang: str) -> None:
    """One line naming the Word papers a step wrote, and the folder they are in."""
    if paths:
        names = ", ".join(p.name for p in paths)
        say(t(key, lang, names=names, path=str(paths[0].parent)))


def run_demo(folder: Path | None, lang: str, say: Callable[[str], None]) -> Path:
    """The whole year in `folder` (a new or empty one; None: a new temporary folder)."""
    samples = samples_dir()
    if folder is None:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="danvan-demo-"))
    if folder.is_dir():
        if any(folder.iterdir()):
            raise UsageError("demo.not_empty", path=str(folder))
    elif folder.exists() or folder.is_symlink():
        raise no_place(folder, FileExistsError(), UsageError)
    ws = init(folder).workspace
    try:
        shutil.copytree(samples / str(YEAR), ws.dossiers(YEAR), dirs_exist_ok=True)
    except OSError as exc:
        raise OutputError(
            "output.failed", path=str(ws.dossiers(YEAR)), error=os_reason(exc)
        ) from None
    out = ws.outputs / str(YEAR)
    make_folder(out)
    say(t("demo.step_init", lang, path=str(ws.root), year=YEAR))
    ctx = workspace_context(ws.root)
    config = ctx.config

    rejection = out / f"bao-cao-kiem-tra-ho-so-{YEAR}.xlsx"
    with dated(DATES["validate"]):
        validated = validate(ctx, [ws.dossiers(YEAR)], report=rejection, lang=lang)
    checked = validated.validation
    valid = checked.valid_count
    say(
        t(
            "demo.step_validate",
            lang,
            files=len(checked.files),
            valid=valid,
            invalid=len(checked.files) - valid,
            path=str(rejection),
        )
    )
    if validated.notices:
        folder = validated.notices[0].path.parent
        counts = notice_counts(validated.notices)
        say(t("demo.papers_notices", lang, path=str(folder), **counts))

    history = samples / "lich-su-cong-nhan.xlsx"
    result = import_history(ctx, history)
    province = config.plan.top_level
    lower = config.plan.level(province.requires.lower_level or province.id)
    years = province.requires.consecutive_years
    say(t("demo.step_history", lang, added=result.added, file=history.name, years=years))

    district = config.plan.level(config.plan.default_level)
    with dated(DATES["rank"]):
        ranked = rank(ctx, YEAR, district.id, lang=lang)
    say(
        t(
            "demo.step_rank",
            lang,
            level=district.called.lower(),
            path=str(ranked.workbook),
            **ranked.pool.counts(),
        )
    )
    _papers(say, "demo.papers_rank", [p.path for p in ranked.papers], lang)

    decided = ranked.workbook.with_name(f"{ranked.workbook.stem}-hoi-dong.xlsx")
    agreed = council_marks(ranked.workbook, decided)
    say(t("demo.step_council", lang, count=agreed, path=str(decided)))

    with dated(DATES["recognize"]):
        recognized = recognize(ctx, decided, DECISION[0], DECISION[1].strftime("%d/%m/%Y"))
    say(
        t(
            "demo.step_recognize",
            lang,
            count=len(recognized.added),
            decision=DECISION[0],
            date=DECISION[1],
        )
    )
    _papers(say, "demo.papers_recognize", [p.path for p in recognized.papers], lang)

    with dated(DATES["rank_province"]):
        ranked = rank(ctx, YEAR, province.id, lang=lang)
    proposed = ranked.pool.with_status("proposed")
    say(
        t(
            "demo.step_rank_province",
            lang,
            level=province.called.lower(),
            lower=lower.called.lower(),
            years=years,
            count=len(proposed),
            names=", ".join(m.result.name or m.path for m in proposed),
            path=str(ranked.workbook),
        )
    )
    _papers(say, "demo.papers_rank", [p.path for p in ranked.papers], lang)

    with dated(DATES["export"]):
        exported = export(ctx, for_province=True, year=YEAR, lang=lang)
    folder_out = exported.written.folder
    files = len(exported.written.files) + 1
    say(
        t(
            "demo.step_export",
            lang,
            level=province.called.lower(),
            path=str(folder_out),
            files=files,
        )
    )
    papers = [folder_out / n for n, _, _ in exported.written.files if n.endswith(".docx")]
    _papers(say, "demo.papers_export", papers, lang)
    say(t("demo.done", lang, path=str(ws.root)))
    return ws.root
