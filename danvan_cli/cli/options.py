"""The options several commands share, declared once."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from danvan_cli.config.rubric import Kind


class Lang(str, Enum):
    vi = "vi"
    en = "en"


class Format(str, Enum):
    table = "table"
    json = "json"


class KindOpt(str, Enum):
    collective = "collective"
    individual = "individual"

    @property
    def id(self) -> Kind:
        return "collective" if self is KindOpt.collective else "individual"


LangOpt = Annotated[
    Lang,
    typer.Option("--lang", envvar="DANVAN_LANG", help="Ngôn ngữ thông báo: vi (mặc định) hoặc en."),
]
PlanOpt = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        envvar="DANVAN_PLAN",
        help="Tệp kế hoạch YAML (mặc định: kế hoạch của không gian làm việc, nếu không có thì rubrics/van-ninh-2023.yaml đi kèm danvan).",
        dir_okay=False,
    ),
]
WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        envvar="DANVAN_WORKSPACE",
        help="Thư mục không gian làm việc (mặc định: thư mục hiện tại hoặc thư mục cha có danvan.yaml).",
        file_okay=False,
    ),
]
FormatOpt = Annotated[
    Format, typer.Option("--format", help="table: bảng cho người đọc; json: một tài liệu JSON.")
]
