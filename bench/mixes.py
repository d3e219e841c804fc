"""The two file mixes every case reads: N dossiers in a fresh folder, no broken files.

- samples: the valid and invalid dossiers of samples/2024 (three layouts), without the
  deliberately broken `loi-file-*` files and Excel lock files `~$*`, copied N times.
- layouts: dossiers built with tests/builders.py in its three layouts ("pairs", "sheets",
  "header"), both kinds, varied names, units, fields and scores (a quarter fail R1), plus the
  .xls and .ods fixtures of tests/fixtures, copied N times.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "2024"
FIXTURES = ROOT / "tests" / "fixtures"
MIXES = ("samples", "layouts")

UNITS = [
    "Ủy ban nhân dân xã Vạn Thắng",
    "Ủy ban nhân dân xã Vạn Phú",
    "Ủy ban nhân dân thị trấn Vạn Giã",
    "Ủy ban nhân dân xã Đại Lãnh",
    "Ủy ban nhân dân xã Vạn Hưng",
    "Ủy ban nhân dân xã Xuân Sơn",
]
COLLECTIVES = [
    "Hội Nông dân xã Vạn Thắng",
    "Mặt trận Tổ quốc xã Vạn Phú",
    "Hội Liên hiệp Phụ nữ thị trấn Vạn Giã",
    "Đoàn Thanh niên xã Đại Lãnh",
    "Hội Cựu chiến binh xã Vạn Hưng",
    "Chi hội Nông dân thôn Xuân Trang",
]
PEOPLE = [
    "Nguyễn Thị Hòa",
    "Trần Văn Minh",
    "Lê Thị Thu Hà",
    "Phạm Ngọc Sơn",
    "Võ Thị Kim Liên",
    "Huỳnh Văn Tâm",
]
FIELDS = ["Văn hóa - xã hội", "Kinh tế", "Quốc phòng - an ninh", "Xây dựng hệ thống chính trị"]


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.glob("*.xlsx") if not p.name.startswith(("~$", "loi-file-")))


def layout_templates(folder: Path) -> list[Path]:
    """Write the distinct dossiers of the layouts mix into `folder` (once per bench run)."""
    sys.dont_write_bytecode = True  # leave no __pycache__ in tests/
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import builders
    finally:
        sys.path.pop(0)
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for layout in ("pairs", "sheets", "header"):
        for kind, names in (("collective", COLLECTIVES), ("individual", PEOPLE)):
            for i, name in enumerate(names):
                label = "Tên tập thể" if kind == "collective" else "Họ và tên"
                field = FIELDS[i % len(FIELDS)]
                info: dict[str, object] = {label: name, "Đơn vị": UNITS[i], "Lĩnh vực": field}
                if field == "Kinh tế":
                    info["Giá trị làm lợi (VND)"] = 150_000_000 + 10_000_000 * i
                s = builders.spec(kind, **info)
                if i % 4 == 3:
                    s.score("03", 10)  # below 90 % of its maximum: R1 fails
                elif i % 2:
                    s.score("01", 13.5)
                path = folder / f"{layout}-{kind}-{i}.xlsx"
                builders.write(path, s, layout)
                out.append(path)
    out += sorted(p for p in FIXTURES.iterdir() if p.suffix in (".xls", ".ods"))
    return out


def make_mix(folder: Path, n: int, templates: list[Path]) -> Path:
    """`n` copies of the templates, round-robin, under new names; read once so that every
    case finds them in the page cache."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        src = templates[i % len(templates)]
        dst = folder / f"{i:05d}-{src.name}"
        shutil.copyfile(src, dst)
        dst.read_bytes()
    return folder
