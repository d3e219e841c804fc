"""`danvan demo`: a workspace built from samples/ and the whole award year run on it.

validate → import history → rank district → the council's decisions → recognize →
rank province → export. Reads the samples; writes only inside the demo folder.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl

from danvan_cli.award import build_pool
from danvan_cli.errors import UsageError
from danvan_cli.export import build_package, top_level
from danvan_cli.history import import_history
from danvan_cli.i18n import t
from danvan_cli.rank_xlsx import COUNCIL, KIND_SHEETS, NO, YES, write_ranking
from danvan_cli.recognize import recognize
from danvan_cli.register import Register
from danvan_cli.report_xlsx import write_rejection_report
from danvan_cli.validate import Report, discover, validate_file
from danvan_cli.workspace import init

YEAR = 2024
DECISION = ("123/QĐ-UBND", dt.date(2024, 9, 20))


def samples_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "samples", here.parent / "samples"):
        if (candidate / str(YEAR)).is_dir():
            return candidate
    raise UsageError("demo.no_samples", path=str(here.parent / "samples"))


def council_marks(ranking: Path, target: Path) -> int:
    """What the council does: "Đồng ý" for each proposed row, "Không" for reserves; ties stay
    empty for the council to decide. Returns the number of "Đồng ý"."""
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
    wb.save(target)
    return agreed


def run_demo(folder: Path, lang: str, say: Callable[[str], None]) -> Path:
    samples = samples_dir()
    if folder.exists() and any(folder.iterdir()):
        raise UsageError("demo.not_empty", path=str(folder))
    ws, _ = init(folder)
    config = ws.config()
    shutil.copytree(samples / str(YEAR), ws.dossiers(YEAR), dirs_exist_ok=True)
    out = ws.outputs / str(YEAR)
    out.mkdir(parents=True, exist_ok=True)
    say(t("demo.step_init", lang, path=str(ws.root), year=YEAR))

    files = discover([ws.dossiers(YEAR)])
    report = Report(
        [validate_file(p, config, shown=p.relative_to(ws.root).as_posix()) for p in files]
    )
    rejection = out / f"bao-cao-kiem-tra-ho-so-{YEAR}.xlsx"
    write_rejection_report(report, config, rejection, lang)
    valid = sum(f.valid for f in report.files)
    say(
        t(
            "demo.step_validate",
            lang,
            files=len(report.files),
            valid=valid,
            invalid=len(report.files) - valid,
            path=str(rejection),
        )
    )

    history = samples / "lich-su-cong-nhan.xlsx"
    district = config.plan.level(config.plan.default_level)
    province = top_level(config)
    with Register.open(ws.register_path) as register:
        result = import_history(register, config, history)
        say(t("demo.step_history", lang, added=result.added, file=history.name))

        pool, _ = build_pool(ws, config, register, YEAR, district)
        ranking = out / f"tong-hop-xet-chon-{district.id}-{YEAR}.xlsx"
        write_ranking(pool, ranking, lang)
        counts = {
            s: sum(1 for m in pool.members if m.entry.status == s)
            for s in ("proposed", "tie", "reserve", "ineligible")
        }
        say(t("demo.step_rank", lang, level=district.name.lower(), path=str(ranking), **counts))

        decided = out / f"tong-hop-xet-chon-{district.id}-{YEAR}-hoi-dong.xlsx"
        agreed = council_marks(ranking, decided)
        say(t("demo.step_council", lang, count=agreed, path=str(decided)))

        outcome, _ = recognize(ws, config, register, decided, DECISION[0], DECISION[1])
        say(
            t(
                "demo.step_recognize",
                lang,
                count=len(outcome.added),
                decision=DECISION[0],
                date=DECISION[1],
            )
        )

        pool, _ = build_pool(ws, config, register, YEAR, province)
        ranking = out / f"tong-hop-xet-chon-{province.id}-{YEAR}.xlsx"
        write_ranking(pool, ranking, lang)
        proposed = [m for m in pool.members if m.entry.status == "proposed"]
        say(
            t(
                "demo.step_rank_province",
                lang,
                level=province.name.lower(),
                count=len(proposed),
                names=", ".join(str(m.report.info("name")) for m in proposed),
                path=str(ranking),
            )
        )

        target = out / f"de-nghi-cap-{province.id}-{YEAR}"
        package = build_package(pool, register, ws.root, target, lang)
        say(t("demo.step_export", lang, path=str(package.folder), files=len(package.files) + 1))
    say(t("demo.done", lang, path=str(ws.root)))
    return ws.root
