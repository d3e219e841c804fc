"""The bench's only door into danvan's library: every `danvan_cli` import is in this file.

When the library's modules move, only this file changes. It is written against the stage
packages of danvan_cli (award.pool, award.ranking, write.ranking, write.rejections,
validate.run, validate.results, config.load). The bench runs it as a process of its own:

    python bench/library.py rank ROWS CANDIDATES OUT.xlsx
    python bench/library.py rejections ROWS OUT.xlsx

and reads one JSON line of phase timings (wall and CPU seconds) from its stdout.

Both go through the real code: the sample dossiers are validated by `validate_file` once,
then cloned under new paths, digests and names into synthetic pool members (`Pooled`), which
`award.ranking.rank` ranks among synthetic `Entry`s up to CANDIDATES and
`write.ranking.write_ranking` writes; the rejection report clones the validated results
until their findings fill ROWS rows, and `write.rejections.write_rejections` writes them.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

from mixes import sample_files

try:
    from danvan_cli.award.pool import Pool, Pooled
    from danvan_cli.award.ranking import Entry, rank
    from danvan_cli.config.load import Config, load_config
    from danvan_cli.usecases.context import resolve_level
    from danvan_cli.validate.results import FileResult, Validation
    from danvan_cli.validate.run import validate_file
    from danvan_cli.write.ranking import write_ranking
    from danvan_cli.write.rejections import write_rejections as write_rejection_report
except ImportError as exc:  # the library moved: this file follows it
    raise SystemExit(
        f"bench/library.py does not match this danvan_cli ({exc}): update its imports"
    ) from None

YEAR = 2024
LEVEL = "huyen"  # the district level of the bundled plan: quota 3 collectives, 5 individuals


def _sample_results(config: Config) -> list[FileResult]:
    return [validate_file(p, config) for p in sample_files()]


def _clone(result: FileResult, i: int) -> FileResult:
    """The result of dossier number i: a new path, digest and name, the same findings."""
    digest = hashlib.sha256(f"bench-{i}".encode()).hexdigest()
    path = f"ho-so/{YEAR}/{i:06d}-{Path(result.path).name}"
    info = result.info
    if info is not None and info.name:  # units stay those of the samples: a district's few
        info = info.replace(name=f"{info.name} {i}")
    return result.replace(path=path, sha256=digest, info=info)


def rank_and_write(n_candidates: int, rows: int, path: Path) -> dict[str, float]:
    """Rank `n_candidates` with the real `rank`, `rows` of them pool members written by the
    real `write_ranking` (eligible ones on the kind sheets, the rest on the excluded sheet)."""
    started = time.perf_counter()
    config = load_config()
    level = resolve_level(config, LEVEL)
    flags = list(config.plan.tie_break.flags)
    criteria = {str(k): list(v) for k, v in config.plan.tie_break.criteria.items()}
    quota = {str(k): v for k, v in (level.quota or {}).items()}
    women = config.plan.tie_break.women_ratio
    sources = [r for r in _sample_results(config) if r.info is not None]
    members: list[Pooled] = []
    entries: list[Entry] = []
    for i in range(rows):
        result = _clone(sources[i % len(sources)], i)
        m = Pooled(result=result, findings=list(result.findings))
        info = result.info
        assert info is not None
        m.entry = Entry(
            kind=result.kind,
            total=result.total,
            flags={f: info.flag(f, women) for f in config.plan.tie_break.flags},
            criteria=result.scores,
            eligible=m.eligible,
            ref=m,
        )
        members.append(m)
        entries.append(m.entry)
    rnd = random.Random(1)
    kinds = sorted({e.kind for e in entries if e.kind})
    for _ in range(n_candidates - rows):
        kind = rnd.choice(kinds)
        entries.append(
            Entry(
                kind=kind,
                total=Decimal(rnd.randint(180, 200)) / 2,
                flags={f: rnd.random() < 0.3 for f in flags},
                criteria={c: Decimal(rnd.randint(26, 30)) / 2 for c in criteria.get(kind, [])},
                eligible=rnd.random() < 0.8,
            )
        )
    setup = time.perf_counter() - started
    t0, c0 = time.perf_counter(), time.process_time()
    rank(entries, quota, flags, criteria)
    t1, c1 = time.perf_counter(), time.process_time()
    pool = Pool(
        YEAR, level, config, members, [], [(m.result.path, m.result.sha256) for m in members]
    )
    write_ranking(pool, path)
    t2, c2 = time.perf_counter(), time.process_time()
    return {
        "setup": setup,
        "rank": t1 - t0,
        "write": t2 - t1,
        "rank_cpu": c1 - c0,
        "write_cpu": c2 - c1,
        "rows": rows,
    }


def write_rejections(n_rows: int, path: Path) -> dict[str, float]:
    """A rejection report of `n_rows` finding rows by the real `write_rejection_report`: the
    validated samples (valid ones too: they count in the per-unit sheet) cloned until their
    findings fill the rows."""
    started = time.perf_counter()
    config = load_config()
    sources = _sample_results(config)
    files: list[FileResult] = []
    count = 0
    i = 0
    while count < n_rows:
        result = _clone(sources[i % len(sources)], i)
        room = n_rows - count
        if len(result.findings) > room:
            result = result.replace(findings=result.findings[:room])
        files.append(result)
        count += len(result.findings)
        i += 1
    report_all = Validation(files=files, provenance=config.provenance())
    setup = time.perf_counter() - started
    t0, c0 = time.perf_counter(), time.process_time()
    write_rejection_report(report_all, config, path)
    return {
        "setup": setup,
        "write": time.perf_counter() - t0,
        "write_cpu": time.process_time() - c0,
        "rows": count,
        "files": len(files),
    }


def main() -> None:
    what = sys.argv[1]
    if what == "rank":
        result = rank_and_write(int(sys.argv[3]), int(sys.argv[2]), Path(sys.argv[4]))
    elif what == "rejections":
        result = write_rejections(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        raise SystemExit(f"unknown measurement {what!r}: rank or rejections")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
