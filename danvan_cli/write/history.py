"""The register's recognitions as a workbook: the same columns `history import` reads, so
it can be imported in another workspace."""

from __future__ import annotations

from pathlib import Path

from danvan_cli.config.load import Config
from danvan_cli.i18n.catalog import t
from danvan_cli.register.rows import headers, history_rows
from danvan_cli.register.store import Recognition
from danvan_cli.write.document import (
    VI,
    letterhead,
    new_workbook,
    save_atomic,
    write_header,
    write_table,
)


def write_history(recognitions: list[Recognition], config: Config, path: Path) -> None:
    wb = new_workbook(config, "history")
    ws = wb.active
    ws.title = t("sheet.history", VI)
    heads = headers()
    top = write_header(ws, letterhead(config), t("history.title", VI), len(heads))
    write_table(
        ws,
        top,
        heads,
        history_rows(recognitions, config),
        widths=[8, 10, 10, 32, 32, 18, 14],
        number_format={7: "dd/mm/yyyy"},
    )
    save_atomic(wb, path)
