"""A whole year under a plan danvan has never seen: other level ids and names (written
"Cấp phường", as many plans write them), quotas, thresholds, five criteria with other maxima,
other deadlines, three fields, its own issuers and signers, and a three-year look-back. Every
command follows that plan alone, and no output — message, workbook, Word paper, file name —
names anything of the bundled plan or says "cấp cấp"."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from builders import Spec, write
from danvan_cli.cli import app

runner = CliRunner()

PLAN = """\
id: hoa-binh-xanh-2026
title: Kế hoạch phong trào thi đua "Dân vận khéo" phường Hòa Bình Xanh giai đoạn 2026 - 2030
phase: {from: 2024, to: 2030}
authority: {name: ỦY BAN NHÂN DÂN PHƯỜNG HÒA BÌNH XANH, place: Hòa Bình Xanh}
rubrics: {collective: tap-the.yaml, individual: ca-nhan.yaml}
achievement_report: {form: Mẫu báo cáo thành tích theo chuyên đề, reference: Nghị định số 152/2025/NĐ-CP}
fields:
  - {id: kt, name: Phát triển kinh tế, aliases: [kinh te]}
  - {id: xh, name: An sinh xã hội, aliases: [an sinh]}
  - {id: mt, name: Môi trường đô thị, aliases: [moi truong]}
economic_field: kt
deadlines:
  registration: {month: 3, day: 31}
  submission: {month: 8, day: 15}
levels:
  - id: to-dan-pho
    name: Cấp tổ dân phố
    requires: {registration: true}
    deadlines: [registration]
  - id: phuong
    name: Cấp phường
    aliases: [phuong]
    quota: {collective: 2, individual: 3}
    requires: {registration: true, lower_level: to-dan-pho, cite_lower_decision: true}
    deadlines: [registration, submission]
    papers:
      - {id: de-nghi, label: Văn bản đề nghị của tổ dân phố, match: [van ban de nghi]}
      - {id: bao-cao, label: Báo cáo thành tích, match: [bao cao thanh tich]}
  - id: thanh-pho
    name: Cấp thành phố
    quota: {collective: 1, individual: 1}
    requires: {lower_level: phuong, consecutive_years: 3}
    pool: [phuong, thanh-pho]
    deadlines: [registration, submission]
    copies: 2
    papers:
      - {id: to-trinh, label: Tờ trình của Ủy ban nhân dân phường, match: [to trinh]}
      - {id: bao-cao, label: Báo cáo thành tích, match: [bao cao thanh tich]}
      - {id: qd-phuong, label: Quyết định của Chủ tịch phường, match: [quyet dinh], recorded: true}
default_level: phuong
tie_break: {flags: [wide_influence], criteria: {collective: ["03"], individual: ["02"]}}
communes: [phường Hòa Bình Xanh]
documents:
  issuers:
    mat-tran:
      name: [ỦY BAN MẶT TRẬN TỔ QUỐC, PHƯỜNG HÒA BÌNH XANH]
      called: Ủy ban Mặt trận Tổ quốc phường
      signer: {authority: TM. BAN THƯỜNG TRỰC, position: CHỦ TỊCH, name: Lương Thị Nga}
    ubnd-phuong:
      name: [ỦY BAN NHÂN DÂN, PHƯỜNG HÒA BÌNH XANH]
      called: Ủy ban nhân dân phường Hòa Bình Xanh
      signer: {authority: TM. ỦY BAN NHÂN DÂN, position: CHỦ TỊCH, name: Đinh Công Sơn}
    hoi-dong:
      parent: [ỦY BAN NHÂN DÂN, PHƯỜNG HÒA BÌNH XANH]
      name: [HỘI ĐỒNG THI ĐUA -, KHEN THƯỞNG PHƯỜNG]
      called: Hội đồng Thi đua - Khen thưởng phường
  workbooks: mat-tran
  notice: {issuer: mat-tran, number: "{số}/TB-MTTQ", resubmit_days: 7, recipients: [Như trên, "Lưu: VT"]}
  levels:
    phuong:
      award: Giấy khen
      giver: Chủ tịch Ủy ban nhân dân phường Hòa Bình Xanh
      proposal: {issuer: mat-tran, number: "{số}/TTr-MTTQ", to: Chủ tịch Ủy ban nhân dân phường Hòa Bình Xanh, recipients: [Như trên, "Lưu: VT"]}
      minutes:
        issuer: hoi-dong
        number: "{số}/BB-HĐTĐKT"
        place: Hội trường Ủy ban nhân dân phường Hòa Bình Xanh
        chair: {position: CHỦ TỊCH HỘI ĐỒNG, name: Đinh Công Sơn}
        secretary: {position: THƯ KÝ, name: Mai Thị Thu}
        recipients: [Thành viên Hội đồng, "Lưu: VT"]
      decision:
        issuer: ubnd-phuong
        authority: CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG HÒA BÌNH XANH
        proposed_by: Chủ tịch Ủy ban Mặt trận Tổ quốc phường
        executors: Văn phòng Ủy ban nhân dân phường, các tập thể, cá nhân có tên tại Điều 1
        recipients: [Như Điều 3, "Lưu: VT"]
      certificate: {achievement: 'Đã có thành tích xuất sắc trong phong trào thi đua "Dân vận khéo" năm {năm}'}
    thanh-pho:
      award: Bằng khen
      giver: Chủ tịch Ủy ban nhân dân thành phố Hòa Bình
      proposal: {issuer: ubnd-phuong, number: "{số}/TTr-UBND", to: Chủ tịch Ủy ban nhân dân thành phố Hòa Bình, recipients: [Như trên, "Lưu: VT"]}
      minutes:
        issuer: hoi-dong
        number: "{số}/BB-HĐTĐKT"
        place: Hội trường Ủy ban nhân dân phường Hòa Bình Xanh
        chair: {position: CHỦ TỊCH HỘI ĐỒNG, name: Đinh Công Sơn}
        secretary: {position: THƯ KÝ, name: Mai Thị Thu}
        recipients: [Thành viên Hội đồng, "Lưu: VT"]
"""


def rubric(kind: str, maxima: list[int]) -> str:
    rows = "\n".join(
        f'  - {{code: "{i:02d}", max: {m}, title: "Nội dung {kind} {i}", evidence: "Số liệu"}}'
        for i, m in enumerate(maxima, start=1)
    )
    return (
        f"kind: {kind}\ntitle: Bảng chấm điểm {kind}\ntotal: 100\n"
        f"thresholds: {{criterion_ratio: 0.8, min_total: 85}}\ncriteria:\n{rows}\n"
    )


MAXIMA = {"collective": [30, 20, 20, 20, 10], "individual": [25, 25, 20, 20, 10]}
# Words of the bundled plan (van-ninh-2023) that must never appear under this one.
FORBIDDEN = re.compile(
    r"Vạn Ninh|VẠN NINH|van-ninh|huyện|Huyện|HUYỆN|\bhuyen\b|tỉnh|Tỉnh|TỈNH|\btinh\b|\bco-so\b"
    r"|district|province|Ban Dân vận|UBND huyện|Quốc phòng|bốn lĩnh vực|four fields"
    r"|thị trấn|[Cc]ấp [Cc]ấp|CẤP CẤP|cap-cap|Cơ sở|CƠ SỞ"
)
EVIDENCE = "Tổ chức 8 hội nghị cho 640 lượt người"


def dossier(folder: Path, kind: str, name: str, drop: float = 0, **info: object) -> Path:
    label = "Tên tập thể" if kind == "collective" else "Họ và tên"
    base: dict[str, object] = {
        "Năm": 2026,
        "Loại": "Tập thể" if kind == "collective" else "Cá nhân",
        label: name,
        "Đơn vị": "Ủy ban nhân dân phường Hòa Bình Xanh",
        "Tên mô hình": "Phường sạch, dân vui",
        "Lĩnh vực": "An sinh xã hội",
        "Ngày đăng ký": dt.date(2026, 3, 20),
        "Ngày nộp hồ sơ": dt.date(2026, 8, 10),
        "Cấp đề nghị": "Phường",
        "Quyết định công nhận cấp cơ sở": "3/QĐ-TDP ngày 02/5/2026",
        **info,
    }
    rows = []
    for i, mx in enumerate(MAXIMA[kind], start=1):
        score = mx - (drop if i == 1 else 0)
        rows.append([f"{i:02d}", f"Nội dung {i}", mx, score, EVIDENCE])
    papers = [("Văn bản đề nghị của tổ dân phố", "x"), ("Báo cáo thành tích", "Có")]
    folder.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower())
    return write(
        folder / f"{kind}-{slug}.xlsx", Spec(kind=kind, info=base, rows=rows, papers=papers)
    )


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> dict:
    """The year run once: every command's output, and the workspace."""
    root = tmp_path_factory.mktemp("second")
    plans = root / "plans"
    plans.mkdir()
    (plans / "hbx.yaml").write_text(PLAN, encoding="utf-8")
    (plans / "tap-the.yaml").write_text(
        rubric("collective", MAXIMA["collective"]), encoding="utf-8"
    )
    (plans / "ca-nhan.yaml").write_text(
        rubric("individual", MAXIMA["individual"]), encoding="utf-8"
    )
    ws = root / "ws"
    ws.mkdir()
    for name in ("hbx.yaml", "tap-the.yaml", "ca-nhan.yaml"):
        (ws / name).write_bytes((plans / name).read_bytes())
    outputs: list[str] = []

    stdout: dict[str, str] = {}
    said: dict[str, str] = {}  # each command's messages (stderr), by its words

    def run(*args: str, code: tuple[int, ...] = (0,)) -> str:
        result = runner.invoke(app, [*args, "--workspace", str(ws)])
        text = result.stdout + result.stderr
        assert result.exit_code in code, (args, text)
        outputs.append(text)
        stdout[args[0]] = result.stdout
        said[" ".join(args)] = result.stderr
        return text

    result = runner.invoke(app, ["init", str(ws), "--plan", "hbx.yaml"])
    assert result.exit_code == 0, result.output
    outputs.append(result.output)
    said["init"] = result.stderr
    folder = ws / "ho-so" / "2026"
    for i, drop in enumerate([0, 1, 2]):
        dossier(folder, "collective", f"Chi hội Khu phố {i + 1}", drop)
    for i, drop in enumerate([0, 0.5, 1, 1.5]):
        dossier(folder, "individual", f"Trần Thị Bích {i + 1}", drop)
    history = openpyxl.Workbook()
    sheet = history.active
    sheet.append(["Năm", "Cấp", "Loại", "Tên", "Đơn vị", "Số quyết định", "Ngày quyết định"])
    for y in (2024, 2025):
        sheet.append(
            [
                y,
                "Phường",
                "Tập thể",
                "Chi hội Khu phố 1",
                "Ủy ban nhân dân phường Hòa Bình Xanh",
                f"{y}/QĐ-UBND",
                f"10/09/{y}",
            ]
        )
        sheet.append(
            [
                y,
                "Phường",
                "Cá nhân",
                "Trần Thị Bích 1",
                "Ủy ban nhân dân phường Hòa Bình Xanh",
                f"{y}/QĐ-UBND",
                f"10/09/{y}",
            ]
        )
    history.save(root / "lich-su.xlsx")

    texts = {
        "validate": run("validate", str(folder), "--report", str(ws / "ket-qua" / "kiem-tra.xlsx")),
        "template": run("template", "--kind", "collective", "-o", str(ws / "ket-qua" / "mau.xlsx")),
        "rubric": run("rubric", "show") + run("rubric", "check"),
        "history": run("history", "import", str(root / "lich-su.xlsx")),
        "rank": run("rank", "--year", "2026", "--level", "phuong", "--format", "json"),
    }
    ranking = ws / "ket-qua" / "2026" / "tong-hop-xet-chon-phuong-2026.xlsx"
    wb = openpyxl.load_workbook(ranking)
    for sheet_name in ("Tập thể", "Cá nhân"):
        ws_ = wb[sheet_name]
        head = next(
            r
            for r in range(1, ws_.max_row + 1)
            if any(c.value == "Quyết định của Hội đồng" for c in ws_[r])
        )
        cols = {c.value: c.column for c in ws_[head]}
        for r in range(head + 1, ws_.max_row + 1):
            if ws_.cell(r, cols["Kết quả xét chọn"]).value == "Đề nghị khen thưởng":
                ws_.cell(r, cols["Quyết định của Hội đồng"], "Đồng ý")
    decided = ranking.with_name("hoi-dong.xlsx")
    wb.save(decided)
    texts["recognize"] = run(
        "recognize", str(decided), "--decision", "12/QĐ-UBND", "--date", "15/09/2026"
    )
    texts["rank_json"] = stdout["rank"]
    texts["rank_top"] = run("rank", "--year", "2026", "--level", "thanh-pho", code=(0, 1))
    texts["export"] = run("export", "--for-province", "--year", "2026")
    texts["report"] = run("report", "--from", "2024", "--to", "2026")
    who = ["--kind", "individual", "--name", "Trần Thị Bích 4"]
    who += ["--unit", "Ủy ban nhân dân phường Hòa Bình Xanh"]
    hold = [*who, "--reason", "complaint", "--document", "7/CV-UBKT", "--date", "01/10/2026"]
    revoke = ["--reason", "thu hồi", "--document", "3/QĐ-UBND", "--date", "20/10/2026"]
    texts["more"] = "".join(
        [
            run("history", "show"),
            run("history", "export"),
            run("hold", "add", *hold),
            run("hold", "list"),
            run("hold", "lift", "1", "--document", "9/KL-UBKT", "--date", "15/10/2026"),
            run("history", "correct", "1", "--reason", "gõ nhầm ngày", "--date", "11/09/2024"),
            run("papers", "write", "quyet-dinh", "--year", "2026", "--level", "phuong"),
            run("papers", "write", "thong-bao", "--year", "2026"),
            run("papers", "templates"),
            run("register", "check"),
            run("history", "revoke", "2", *revoke),
        ]
    )
    again = runner.invoke(app, ["init", str(ws), "--plan", "van-ninh-2023.yaml"])
    assert again.exit_code == 0, again.output
    said["init again"] = again.stderr
    return {"ws": ws, "texts": texts, "outputs": outputs, "stdout": stdout, "said": said}


def _workbook_texts(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    found = list(wb.sheetnames)
    for sheet in wb.worksheets:
        for row in sheet.iter_rows(values_only=True):
            found += [v for v in row if isinstance(v, str)]
    found += [wb.properties.title or "", wb.properties.description or ""]
    return found


def test_the_year_follows_the_plan(year):
    import json

    ranked = (
        json.loads(year["texts"]["rank"].split("\n", 1)[0])
        if year["texts"]["rank"].startswith("{")
        else None
    )
    assert ranked is not None, year["texts"]["rank"]
    assert ranked["level"] == "phuong" and ranked["quota"] == {"collective": 2, "individual": 3}
    status = {c["name"]: c["status"] for c in ranked["candidates"]}
    assert [status[f"Chi hội Khu phố {i}"] for i in (1, 2, 3)] == [
        "proposed",
        "proposed",
        "reserve",
    ]
    assert [status[f"Trần Thị Bích {i}"] for i in (1, 2, 3, 4)] == ["proposed"] * 3 + ["reserve"]
    assert "hoa-binh-xanh-2026" in year["texts"]["validate"]
    # three years running at the ward level: only the candidates with 2024 and 2025 too
    top = year["texts"]["rank_top"]
    assert "Chi hội Khu phố 1" in top and "Trần Thị Bích 1" in top


def test_every_command_says_it_followed_the_workspaces_plan(year):
    """README: each command ends by saying which plan decided — init, recognize, history,
    hold, papers and register check too; a second init asking for another plan says the
    workspace keeps its own."""
    said = year["said"]
    assert len(said) >= 20
    missing = [words for words, text in said.items() if "hoa-binh-xanh-2026 (hbx.yaml)" not in text]
    assert not missing, missing
    assert "không đổi sang" in said["init again"] and "van-ninh-2023.yaml" in said["init again"]
    assert "11/09/2024" in said["history correct 1 --reason gõ nhầm ngày --date 11/09/2024"]


def test_the_blank_form_has_the_plans_five_criteria(year):
    ws = openpyxl.load_workbook(year["ws"] / "ket-qua" / "mau.xlsx").active
    codes = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert [c for c in codes if isinstance(c, str) and re.fullmatch(r"0\d", c)] == [
        "01",
        "02",
        "03",
        "04",
        "05",
    ]
    assert any(ws.cell(r, 3).value == 30 for r in range(1, ws.max_row + 1))


def _named(ws: Path, outputs: list[str]) -> list[str]:
    """Every place an output names the bundled plan: messages, file names, workbook cells."""
    problems = [
        m.group(0) + " in: " + text[max(0, m.start() - 60) : m.end() + 60]
        for text in outputs
        for m in FORBIDDEN.finditer(text)
    ]
    for path in sorted((ws / "ket-qua").rglob("*")):
        rel = path.relative_to(ws).as_posix()
        problems += [f"file name {rel}"] if FORBIDDEN.search(path.name) else []
        if path.suffix == ".xlsx":
            for text in _workbook_texts(path):
                problems += [
                    f"{rel}: {m.group(0)} in {text[:120]!r}" for m in FORBIDDEN.finditer(text)
                ]
        elif path.suffix == ".csv":
            problems += [
                f"{rel}: {m.group(0)}" for m in FORBIDDEN.finditer(path.read_text("utf-8-sig"))
            ]
        elif path.suffix == ".docx":
            text = _docx_text(path)
            problems += [
                f"{rel}: {m.group(0)} in {text[max(0, m.start() - 60) : m.end() + 60]!r}"
                for m in FORBIDDEN.finditer(text)
            ]
    return problems


def _docx_text(path: Path) -> str:
    """Every text of a Word paper (body, headers, footers), runs joined as Word shows them."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
        xml = " ".join(z.read(n).decode("utf-8") for n in parts)
    paragraphs = re.split(r"</w:p>", xml)
    return "\n".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs)


def test_no_output_names_anything_of_the_bundled_plan(year):
    ws: Path = year["ws"]
    written = [p for p in (ws / "ket-qua").rglob("*.xlsx")]
    assert len(written) >= 6 and len(year["outputs"]) >= 10
    problems = _named(ws, year["outputs"])
    assert not problems, "\n".join(problems[:40])


def test_the_same_scan_finds_the_bundled_plan_in_its_own_demo(demo_cli):
    """The check above can fail: under the bundled plan the words are everywhere."""
    result = demo_cli["result"]
    assert result.exit_code == 0, result.output
    problems = _named(demo_cli["folder"], [result.output])
    assert any("huyện" in p or "Huyện" in p or "HUYỆN" in p for p in problems)
    assert any(".xlsx" in p for p in problems)


def test_a_level_named_cap_reads_once_cap_everywhere(year):
    ws: Path = year["ws"]
    ranking = openpyxl.load_workbook(ws / "ket-qua" / "2026" / "tong-hop-xet-chon-phuong-2026.xlsx")
    titles = [c.value for row in ranking["Tập thể"].iter_rows(max_row=8) for c in row if c.value]
    assert any("CẤP PHƯỜNG NĂM 2026" in str(v) for v in titles), titles
    # the package folder and its workbook are named from the level's id, like every output
    package = ws / "ket-qua" / "2026" / "de-nghi-cap-thanh-pho-2026"
    assert (package / "de-nghi-khen-thuong-cap-thanh-pho-2026.xlsx").is_file()
    proposal = _docx_text(ws / "ket-qua" / "2026" / "to-trinh-phuong-2026.docx")
    assert "khen thưởng cấp phường theo các tiêu chí" in proposal


@pytest.mark.parametrize(
    ("name", "called"),
    [
        ("Cấp xã", "xã"),
        ("CẤP TỈNH", "TỈNH"),
        ("cấp  phường", "phường"),
        ("Ca\u0302\u0301p xã", "xã"),  # typed in NFD
        ("Huyện", "Huyện"),
        ("Cơ sở", "Cơ sở"),
        ("Cấp", "Cấp"),  # nothing after it: the name itself
        ("Cấpxã", "Cấpxã"),
    ],
)
def test_the_level_after_the_word_cap(name, called):
    from danvan_cli.config.plan import Level

    assert Level(id="x", name=name).called == called


def test_an_unknown_field_is_told_with_the_plans_own_fields(year, tmp_path):
    """Under a plan of three fields, a dossier's "Lĩnh vực" the plan lacks gets a message
    naming those three, never the bundled plan's four; the blank form says the same."""
    import json

    path = dossier(tmp_path, "collective", "Chi hội Khu phố 9", **{"Lĩnh vực": "Giáo dục"})
    for lang, said in (("vi", "một lĩnh vực của kế hoạch"), ("en", "a field of the plan")):
        done = runner.invoke(
            app,
            [
                "validate",
                str(path),
                "--format",
                "json",
                "--workspace",
                str(year["ws"]),
                "--lang",
                lang,
            ],
        )
        findings = json.loads(done.stdout)["files"][0]["findings"]
        (bad,) = [f for f in findings if f["code"] == "info.invalid"]
        text = bad["message"] + bad["hint"]
        assert said in text
        assert "Phát triển kinh tế, An sinh xã hội, Môi trường đô thị" in text
        assert not FORBIDDEN.search(text), text
    form = openpyxl.load_workbook(year["ws"] / "ket-qua" / "mau.xlsx").active
    prompts = " ".join(dv.prompt or "" for dv in form.data_validations.dataValidation)
    assert "lĩnh vực của kế hoạch" in prompts and not FORBIDDEN.search(prompts)


def test_the_bundled_plans_lettered_fields_are_listed_with_their_letters(config):
    assert config.plan.field_labels() == [
        "a) Kinh tế",
        "b) Văn hóa - xã hội",
        "c) Quốc phòng - an ninh",
        "d) Xây dựng hệ thống chính trị",
    ]


def test_a_missing_decision_is_told_in_the_language_asked(year):
    paper = ["papers", "write", "quyet-dinh", "--year", "2026", "--level", "phuong"]
    done = runner.invoke(
        app, [*paper, "--decision", "99/QĐ", "--lang", "en", "--workspace", str(year["ws"])]
    )
    assert done.exit_code == 2
    assert "phường-level recognition of 2026, decision 99/QĐ" in done.stderr, done.stderr
    assert "quyết định" not in done.stderr
