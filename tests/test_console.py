"""The command line's own pieces: the language of messages and the error handler
(cli.handler), what the console prints where (cli.console), and the shared options
(cli.options)."""

from __future__ import annotations

import errno
import json
import sys

import pytest
from typer.testing import CliRunner

from danvan_cli.cli import app, console
from danvan_cli.cli.handler import language, render_error, run
from danvan_cli.cli.options import Format, KindOpt, Lang
from danvan_cli.errors import DanvanError, RuleError, os_reason
from danvan_cli.i18n.catalog import Message, t

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "env", "lang"),
    [
        ([], None, "vi"),
        ([], "en", "en"),
        (["validate", "x", "--lang", "en"], None, "en"),
        (["validate", "x", "--lang=en"], None, "en"),
        (["validate", "--lang", "vi"], "en", "vi"),
        (["validate", "--lang=vi"], "en", "vi"),
        (["validate", "--lang", "fr"], None, "vi"),  # not a language: the default
        (["validate", "--lang"], "en", "en"),
    ],
)
def test_the_language_is_known_before_parsing(args, env, lang, monkeypatch):
    if env:
        monkeypatch.setenv("DANVAN_LANG", env)
    else:
        monkeypatch.delenv("DANVAN_LANG", raising=False)
    assert language(args) == lang


def test_errors_are_rendered_from_the_catalog_with_their_lines():
    error = DanvanError(
        "history.bad_rows",
        lines=['Sheet!B3 (Cấp: "Quận")', Message("os.ENOSPC")],
        exit_code=1,
        path="ls.xlsx",
    )
    text, lines = render_error(error, "vi")
    assert text == t("history.bad_rows", "vi", path="ls.xlsx")
    assert lines == ['Sheet!B3 (Cấp: "Quận")', t("os.ENOSPC", "vi")]
    assert render_error(error, "en")[1][1] == t("os.ENOSPC", "en")
    assert (
        error.exit_code,
        RuleError("export.none").exit_code,
        DanvanError("crash").exit_code,
    ) == (
        1,
        1,
        2,
    )
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == Message("os.ENOSPC")
    odd = os_reason(OSError(errno.ENAMETOOLONG, "File name too long"))
    assert odd == Message("os.other", {"error": "File name too long", "code": "ENAMETOOLONG"})


def test_the_handler_turns_every_failure_into_a_message_and_an_exit_code(capsys, monkeypatch):
    monkeypatch.delenv("DANVAN_DEBUG", raising=False)

    def fails(exc: BaseException):
        def call():
            raise exc

        return call

    assert run(lambda: 0, []) == 0 and run(lambda: None, []) == 0 and run(lambda: 1, []) == 1
    assert run(fails(RuleError("export.none", level="tỉnh", year=2024)), ["--lang", "en"]) == 1
    assert (
        capsys.readouterr().err
        == "No candidate qualifies for the tỉnh level in 2024; no package written.\n"
    )
    assert run(fails(ValueError("a bug")), []) == 2
    assert capsys.readouterr().err == t("crash", "vi") + "\n"
    assert run(fails(KeyboardInterrupt()), []) == 130
    assert capsys.readouterr().err == "\n"
    with pytest.raises(ValueError, match="a bug"):
        run(fails(ValueError("a bug")), ["--debug"])
    monkeypatch.setenv("DANVAN_DEBUG", "1")
    with pytest.raises(ValueError):
        run(fails(ValueError("a bug")), [])


def test_json_is_compact_for_a_pipe_and_indented_for_a_person(capsys, monkeypatch):
    data = {"tên": "Hòa", "số": [1, 2]}
    console.print_json(data)
    assert capsys.readouterr().out == '{"tên":"Hòa","số":[1,2]}\n'
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    console.print_json(data)
    out = capsys.readouterr().out
    assert out == json.dumps(data, ensure_ascii=False, indent=2) + "\n" and "\n  " in out


def test_messages_go_to_stderr_and_are_never_markup(capsys):
    console.message("[bold]Hội [Nông] dân[/]")
    console.error("Lỗi [x]", ["  dòng 1", "[red]dòng 2[/]"])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "[bold]Hội [Nông] dân[/]\nLỗi [x]\n    dòng 1\n  [red]dòng 2[/]\n"


def test_file_names_are_shortened_to_the_folder_they_share(tmp_path):
    a, b = str(tmp_path / "ho-so" / "xa" / "a.xlsx"), str(tmp_path / "ho-so" / "b.xlsx")
    assert console._short_names([a, b]) == {a: "xa/a.xlsx", b: "b.xlsx"}
    assert console._short_names([a]) == {a: "a.xlsx"}
    assert console._short_names([]) == {}


def test_the_shared_options():
    from typing import get_args

    from danvan_cli.config.rubric import KINDS

    assert get_args(Lang) == ("vi", "en") and get_args(Format) == ("table", "json")
    assert get_args(KindOpt) == KINDS  # the option's values are the candidate kinds


def test_no_command_and_bad_choices_are_told_in_the_users_language():
    result = runner.invoke(app, ["xep-hang"])
    assert (result.exit_code, result.stderr) == (
        2,
        'Không có lệnh "xep-hang".\nXem cách dùng: danvan --help\n',
    )
    result = runner.invoke(app, ["template", "--kind", "nhom", "--lang", "en"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "Invalid value for --kind (one of: collective, individual)."
    )
    result = runner.invoke(app, ["recognize", "x.xlsx", "--date"])
    assert result.exit_code == 2 and result.stderr.startswith("Tùy chọn --date cần một giá trị")
    assert runner.invoke(app, []).exit_code == 2  # no command: the help, exit 2


@pytest.mark.parametrize("count", [0, 1, 3])
def test_a_streamed_list_is_the_same_json_text_as_one_document(capsys, count):
    """validate --format json writes its files one by one to a pipe (memory flat in the number
    of files); the text is exactly what one json.dumps of the whole document gives."""
    items = [{"path": f"a{i}.xlsx", "name": "Hội Nông dân \ud800", "n": i} for i in range(count)]
    rest = {"summary": {"files": count}, "provenance": {"danvan": "x"}}
    console.print_json_list("files", iter(items), rest)
    streamed = capsys.readouterr().out
    console.print_json({"files": items, **rest})
    whole = capsys.readouterr().out
    assert (
        streamed == whole and json.loads(streamed)["files"][-1:] == json.loads(whole)["files"][-1:]
    )
