"""The workspace (config.workspace), `init` and the command context (usecases.workspace,
usecases.context), and the small use cases on top: template and the two checks."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from danvan_cli.config.load import default_rubrics_dir, load_config
from danvan_cli.config.workspace import find, locate, open_workspace
from danvan_cli.errors import ConfigError, UsageError
from danvan_cli.i18n.catalog import Message
from danvan_cli.register.check import TABLES
from danvan_cli.register.migrations import MIGRATIONS
from danvan_cli.register.store import RegisterError
from danvan_cli.usecases.context import Context, context, resolve_level, workspace_context
from danvan_cli.usecases.maintenance import check_register, check_rubrics
from danvan_cli.usecases.template import DEFAULT_NAMES, template
from danvan_cli.usecases.workspace import init
from danvan_cli.validate.run import validate_file
from danvan_cli.write.template import write_template


@pytest.fixture(autouse=True)
def _no_workspace_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("DANVAN_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)


def test_init_makes_the_workspace_and_a_second_run_changes_nothing(tmp_path):
    root = tmp_path / "ws"
    first = init(root)
    assert first.created and first.year == dt.date.today().year
    assert first.next_folder == root.resolve() / "ho-so" / str(first.year)
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == [
        ".danvan",
        ".danvan/register.sqlite",
        "danvan.yaml",
        "ho-so",
        "ket-qua",
    ]
    text = (root / "danvan.yaml").read_text(encoding="utf-8")
    assert "plan: van-ninh-2023.yaml\n" in text
    assert "authority: ỦY BAN NHÂN DÂN HUYỆN VẠN NINH\n" in text and "place: Vạn Ninh\n" in text
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    again = init(root)
    assert not again.created and {p: p.read_bytes() for p in before} == before
    shutil.rmtree(root / "ket-qua")
    assert init(root).created and (root / "ket-qua").is_dir()  # completed, nothing else touched
    assert (root / "danvan.yaml").read_text(encoding="utf-8") == text


def test_init_never_replaces_a_damaged_register(tmp_path):
    root = tmp_path / "ws"
    init(root)
    (root / ".danvan" / "register.sqlite").write_bytes(b"")
    with pytest.raises(RegisterError) as caught:
        init(root)
    assert caught.value.key == "register.empty_file"
    assert (root / ".danvan" / "register.sqlite").read_bytes() == b""


def test_a_workspace_with_its_own_plan_and_header(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    for f in default_rubrics_dir().glob("*.yaml"):
        shutil.copy(f, root / f.name)
    (root / "van-ninh-2023.yaml").rename(root / "ke-hoach-2025.yaml")
    outcome = init(root, "ke-hoach-2025.yaml")
    ws = outcome.workspace
    assert ws.plan_path() == root.resolve() / "ke-hoach-2025.yaml"
    assert outcome.config.plan_path == ws.plan_path()
    assert set(outcome.config.sources) == {
        "ke-hoach-2025.yaml",
        "collective.yaml",
        "individual.yaml",
    }
    config_file = root / "danvan.yaml"
    config_file.write_text(
        "plan: ke-hoach-2025.yaml\nauthority: ỦY BAN NHÂN DÂN XÃ VẠN THẮNG\nplace:\n",
        encoding="utf-8",
    )
    config = open_workspace(root).config()
    assert config.plan.authority.name == "ỦY BAN NHÂN DÂN XÃ VẠN THẮNG"
    assert config.plan.authority.place == "Vạn Ninh"  # left blank: the plan's
    assert config.plan.levels == load_config(ws.plan_path()).plan.levels


def _second_plan(folder):
    """A copy of the bundled plan under another id, with its two rubrics, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in default_rubrics_dir().glob("*.yaml"):
        shutil.copy(f, folder / f.name)
    plan = folder / "van-ninh-2023.yaml"
    text = plan.read_text(encoding="utf-8").replace("id: van-ninh-2023", "id: ke-hoach-rieng", 1)
    (folder / "rieng.yaml").write_text(text, encoding="utf-8")
    plan.unlink()
    return folder / "rieng.yaml"


def test_init_stores_a_plan_path_that_resolves_from_the_workspace(tmp_path, monkeypatch):
    """`init ws --plan plan/x.yaml` from the parent: the plan is the file typed (from the
    current folder), and danvan.yaml names it so that every later command, run from any
    folder, finds it: a file outside the workspace by its absolute path, one inside by its
    path from the workspace."""
    _second_plan(tmp_path / "plan")
    outcome = init(tmp_path / "ws", "plan/rieng.yaml")
    assert outcome.config.plan.id == "ke-hoach-rieng"
    text = (tmp_path / "ws" / "danvan.yaml").read_text(encoding="utf-8")
    assert f"plan: {(tmp_path / 'plan' / 'rieng.yaml').resolve()}\n" in text
    for where in (tmp_path, tmp_path / "ws", tmp_path / "plan", tmp_path.parent):
        monkeypatch.chdir(where)
        assert workspace_context(tmp_path / "ws").config.plan.id == "ke-hoach-rieng"
        assert context(None, tmp_path / "ws").config.plan.id == "ke-hoach-rieng"
    monkeypatch.chdir(tmp_path)
    _second_plan(tmp_path / "ws2" / "ke-hoach")
    init(tmp_path / "ws2", "ws2/ke-hoach/rieng.yaml")
    text = (tmp_path / "ws2" / "danvan.yaml").read_text(encoding="utf-8")
    assert "plan: ke-hoach/rieng.yaml\n" in text  # inside: from the workspace, movable with it
    monkeypatch.chdir(tmp_path / "ws2" / "ke-hoach")
    assert workspace_context(tmp_path / "ws2").config.plan.id == "ke-hoach-rieng"


def test_a_relative_plan_in_danvan_yaml_is_read_from_the_workspace_only(tmp_path, monkeypatch):
    root = init(tmp_path / "ws").workspace.root
    (root / "danvan.yaml").write_text("plan: ke-hoach/rieng.yaml\n", encoding="utf-8")
    _second_plan(tmp_path / "ke-hoach")  # beside the workspace, in the current folder: not it
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        workspace_context(root)
    assert caught.value.key == "config.not_found"
    assert caught.value.params["path"] == str(root / "ke-hoach" / "rieng.yaml")
    _second_plan(root / "ke-hoach")
    assert workspace_context(root).config.plan.id == "ke-hoach-rieng"


def test_a_bundled_plan_by_its_name_on_any_command_and_a_second_init(tmp_path, monkeypatch):
    _second_plan(tmp_path / "ws")
    first = init(tmp_path / "ws", "rieng.yaml")  # a file in the workspace folder, by its name
    assert first.config.plan.id == "ke-hoach-rieng" and first.plan_kept is None
    assert "plan: rieng.yaml\n" in (tmp_path / "ws" / "danvan.yaml").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path / "ws" / "ho-so")
    bundled = workspace_context(None, Path("van-ninh-2023.yaml")).config
    assert bundled.plan.id == "van-ninh-2023"
    assert bundled.plan_path == default_rubrics_dir() / "van-ninh-2023.yaml"
    assert context(Path("van-ninh-2023.yaml")).config.plan.id == "van-ninh-2023"
    assert context(Path("rieng.yaml")).config.plan.id == "ke-hoach-rieng"  # the workspace's file
    again = init(tmp_path / "ws", "van-ninh-2023.yaml")  # another plan: said, not taken
    assert again.plan_kept == default_rubrics_dir() / "van-ninh-2023.yaml"
    assert again.config.plan.id == "ke-hoach-rieng"
    assert "plan: rieng.yaml\n" in (tmp_path / "ws" / "danvan.yaml").read_text(encoding="utf-8")
    assert init(tmp_path / "ws", "rieng.yaml").plan_kept is None  # the same plan: nothing to say
    assert init(tmp_path / "ws").plan_kept is None  # no --plan: nothing asked


def test_the_workspace_names_its_files_and_years(workspace, tmp_path):
    ws = workspace.ws
    inside = ws.dossiers(2024) / "a.xlsx"
    assert ws.relative(inside) == "ho-so/2024/a.xlsx"
    assert ws.relative(tmp_path / "ngoai.xlsx") == str(tmp_path / "ngoai.xlsx")
    assert ws.output(2024, "x.xlsx") == ws.root / "ket-qua" / "2024" / "x.xlsx"
    assert ws.output(None, "x.xlsx") == ws.root / "ket-qua" / "x.xlsx"
    assert ws.register_path == ws.root / ".danvan" / "register.sqlite"
    assert ws.years() == []
    for name in ("2023", "2024", "2025", "cu", "20x"):
        (ws.dossier_root / name).mkdir()
    for name in ("2024", "2023", "cu", "20x"):
        (ws.dossier_root / name / "a.xlsx").write_bytes(b"x")
    (ws.dossier_root / "2026").write_bytes(b"a file, not a folder")
    assert ws.years() == [2023, 2024]  # non-empty year folders only, oldest first


def test_the_workspace_is_found_like_git(tmp_path, monkeypatch):
    assert locate() is None
    with pytest.raises(UsageError) as caught:
        find()
    assert caught.value.key == "workspace.not_found"
    root = init(tmp_path / "ws").workspace.root
    deep = root / "ho-so" / "2024"
    deep.mkdir()
    monkeypatch.chdir(deep)
    assert locate() == root and find().root == root
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DANVAN_WORKSPACE", str(root))
    assert locate() == root
    monkeypatch.delenv("DANVAN_WORKSPACE")
    assert locate(tmp_path / "ws") == root
    with pytest.raises(UsageError) as caught:
        locate(tmp_path)
    assert (caught.value.key, caught.value.params) == (
        "workspace.not_here",
        {"path": str(tmp_path)},
    )


@pytest.mark.parametrize(
    ("content", "key", "line"),
    [
        (b"plan: [khong dong", "config.invalid", ": 2:1: YAML không đúng cú pháp"),
        (b"plan: van-ninh-2023.yaml\nnguoi_ky: A\n", "config.invalid", ": nguoi_ky: "),
        ("plan: x\nplace: Vạn Ninh\n".encode("utf-16"), "config.not_utf8", None),
    ],
)
def test_a_broken_workspace_file_is_a_config_error(tmp_path, content, key, line):
    root = tmp_path / "ws"
    init(root)
    (root / "danvan.yaml").write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        open_workspace(root)
    assert caught.value.key == key and caught.value.exit_code == 2
    if line is not None:
        (text,) = [m.render("vi") for m in caught.value.lines if isinstance(m, Message)]
        assert text.startswith(f"{root / 'danvan.yaml'}{line}"), text


def test_the_context_of_a_command_inside_or_outside_a_workspace(tmp_path, monkeypatch):
    outside = context()
    assert outside.workspace is None and outside.config.plan.id == "van-ninh-2023"
    with pytest.raises(AssertionError):
        _ = outside.ws
    with pytest.raises(UsageError):
        workspace_context()
    root = init(tmp_path / "ws").workspace.root
    (root / "danvan.yaml").write_text(
        "plan: van-ninh-2023.yaml\nplace: Vạn Giã\n", encoding="utf-8"
    )
    monkeypatch.chdir(root)
    inside = context()
    assert inside.ws.root == root and inside.config.plan.authority.place == "Vạn Giã"
    given = context(plan=default_rubrics_dir() / "van-ninh-2023.yaml")
    assert given.ws.root == root and given.config.plan.authority.place == "Vạn Ninh"  # --plan wins
    assert workspace_context().config.plan.authority.place == "Vạn Giã"


def test_levels_are_named_by_id_name_or_alias(config):
    for text, level in [
        ("huyen", "huyen"),
        ("Huyện", "huyen"),
        ("cấp huyện", "huyen"),
        ("district", "huyen"),
        ("CƠ SỞ", "co-so"),
        ("co-so", "co-so"),
        ("province", "tinh"),
    ]:
        assert resolve_level(config, text).id == level, text
    with pytest.raises(UsageError) as caught:
        resolve_level(config, "xa")
    assert caught.value.params == {"level": "xa", "levels": "co-so, huyen, tinh"}


def test_template_writes_the_form_once_unless_forced(tmp_path, config):
    ctx = Context(None, config)
    made = template(ctx, "individual", None, None, False)
    assert made.path.name == DEFAULT_NAMES["individual"] == "mau-ho-so-ca-nhan.xlsx"
    assert (tmp_path / "mau-ho-so-ca-nhan.xlsx").is_file()
    before = made.path.read_bytes()
    with pytest.raises(UsageError) as caught:
        template(ctx, "individual", None, None, False)
    assert caught.value.key == "template.exists" and made.path.read_bytes() == before
    province = template(ctx, "collective", tmp_path / "tinh.xlsx", "Tỉnh", False)
    subtitle = openpyxl.load_workbook(province.path)["Bản tự chấm điểm"]["A5"].value
    assert subtitle.startswith("(Đối với tập thể; cấp đề nghị: Tỉnh; theo Kế hoạch")
    district = template(ctx, "collective", tmp_path / "tinh.xlsx", None, True)
    subtitle = openpyxl.load_workbook(district.path)["Bản tự chấm điểm"]["A5"].value
    assert "cấp đề nghị: Huyện;" in subtitle
    with pytest.raises(UsageError) as caught:
        template(ctx, "collective", tmp_path / "xa.xlsx", "xã", False)
    assert caught.value.key == "usage.bad_level" and not (tmp_path / "xa.xlsx").exists()


def test_the_rubric_and_register_checks(workspace):
    notes = check_rubrics(workspace)
    assert (
        Message("rubric.lint_same_text", {"file": "collective.yaml", "a": "01", "b": "02"}) in notes
    )
    assert {m.key for m in notes} == {"rubric.lint_same_text", "rubric.lint_superseded"}
    result = check_register(workspace)
    assert (result.problems, result.notes) == ([], [])
    assert result.counts == {**dict.fromkeys(TABLES, 0), "schema": len(MIGRATIONS)}
    assert {"candidates", "dossiers", "recognitions", "audit"} <= set(TABLES)


def test_the_blank_basic_level_form_lists_what_is_missing(tmp_path, config):
    path = tmp_path / "co-so.xlsx"
    write_template(path, "individual", "co-so", config, dt.date(2024, 1, 2))
    sheet = openpyxl.load_workbook(path)["Bản tự chấm điểm"]
    assert "cấp đề nghị: Cơ sở;" in sheet["A5"].value
    codes = {f.code for f in validate_file(path, config).findings}
    assert "info.missing" in codes and not any(c.startswith("file.") for c in codes)


@pytest.mark.parametrize(
    ("level", "asks"),
    [("co-so", False), ("huyen", True), ("tinh", False)],
)
def test_the_form_asks_for_the_lower_decision_only_where_r4_reads_it(tmp_path, config, level, asks):
    """A level with no lower level (cơ sở), or whose look-back is the register's (tỉnh),
    has no "Quyết định công nhận cấp cơ sở" row, and no prompt naming an empty level."""
    path = tmp_path / f"{level}.xlsx"
    write_template(path, "collective", level, config, dt.date(2024, 1, 2))
    sheet = openpyxl.load_workbook(path)["Bản tự chấm điểm"]
    labels = [sheet.cell(r, 1).value for r in range(1, sheet.max_row + 1)]
    prompts = [dv.prompt or "" for dv in sheet.data_validations.dataValidation]
    assert ("Quyết định công nhận cấp cơ sở" in labels) is asks
    assert not any("cấp  " in p or "cấp (" in p for p in prompts), prompts
    if asks:
        assert any("điển hình cấp cơ sở (ví dụ" in p for p in prompts)


def test_what_each_level_requires_comes_from_the_rules_not_the_console(config):
    """rubric show prints what the library says a level requires, as the rules check it: R4
    (the dossier cites the lower decision) takes the place of R5's look-back."""
    from danvan_cli.usecases.maintenance import show_rubrics

    view = show_rubrics(Context(None, config))
    said = {lv: [m.render("vi") for m in lines] for lv, lines in view.requires.items()}
    assert said == {
        "co-so": ["có đăng ký mô hình"],
        "huyen": ["có đăng ký mô hình", "là điển hình cấp cơ sở (hồ sơ nêu quyết định công nhận)"],
        "tinh": ["đã được công nhận cấp huyện 2 năm liên tục"],
    }
    levels = [
        lv.model_copy(update={"requires": lv.requires.model_copy(update={"consecutive_years": 3})})
        if lv.id == "huyen"
        else lv
        for lv in config.plan.levels
    ]
    plan = config.plan.model_copy(update={"levels": levels})
    view = show_rubrics(Context(None, config.model_copy(update={"plan": plan})))
    assert [m.key for m in view.requires["huyen"]] == ["rubric.registration", "rubric.cite"]


def _cli(args: list[str]):
    from typer.testing import CliRunner

    from danvan_cli.cli import app

    return CliRunner().invoke(app, args)


def test_init_and_demo_on_a_file_say_it_is_a_file_not_a_folder(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    for args in (
        ["init", str(afile)],
        ["demo", str(afile)],
        ["demo", str(afile), "--lang", "en"],
        ["history", "show", "--workspace", str(afile)],
    ):
        result = _cli(args)
        assert result.exit_code == 2, result.output
        assert "ngoài dự kiến" not in result.stderr and "Traceback" not in result.output
        said = result.stderr.replace("\n", " ")
        if "en" in args:
            assert f"{afile} is a file, not a folder" in said
        else:
            assert f"{afile} là một tệp, không phải thư mục" in said
    assert afile.read_text(encoding="utf-8") == "x"


def test_init_and_outputs_under_a_file_name_the_file_in_the_way(tmp_path, monkeypatch, config):
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    dossier = tmp_path / "a.xlsx"
    write_template(dossier, "collective", "huyen", config, dt.date(2024, 1, 2))
    monkeypatch.chdir(tmp_path)
    init(tmp_path / "ws")
    for args in (
        ["init", str(afile / "sub")],
        ["demo", str(afile / "sub")],
        ["template", "--kind", "collective", "-o", str(afile / "t.xlsx")],
        ["validate", str(dossier), "--report", str(afile / "r.xlsx")],
        [
            "report",
            "--year",
            "2024",
            "-o",
            str(afile / "r.xlsx"),
            "--workspace",
            str(tmp_path / "ws"),
        ],
    ):
        result = _cli(args)
        assert result.exit_code == 2, (args, result.output)
        said = result.stderr.replace("\n", " ")
        assert f"{afile} là một tệp, không phải thư mục" in said, (args, said)
        assert "không tồn tại" not in said, (args, said)
    assert afile.read_text(encoding="utf-8") == "x"


def test_a_folder_the_system_refuses_is_named_with_the_reason(tmp_path, monkeypatch):
    import errno

    from danvan_cli.cli.handler import render_error
    from danvan_cli.errors import OutputError, make_folder

    def refuse(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(OutputError) as caught:
        make_folder(tmp_path / "moi")
    text, _ = render_error(caught.value, "vi")
    assert text.startswith(f"Không tạo được thư mục {tmp_path / 'moi'}: ổ đĩa đã đầy")
    monkeypatch.undo()
    if Path("/proc").is_dir():  # Linux: a folder where no folder may be made
        result = _cli(["init", "/proc/danvan-khong-co"])
        assert result.exit_code == 2 and "ngoài dự kiến" not in result.stderr
        assert "Không tạo được thư mục /proc/danvan-khong-co" in result.stderr.replace("\n", " ")
