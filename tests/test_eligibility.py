"""What a level requires beyond a valid dossier (award.eligibility): R5's consecutive years
looked up in the register, and one dossier per candidate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from conftest import drop_dossier, history, register_of
from danvan_cli.award.eligibility import flag_duplicates, lower_level_years, requirements
from danvan_cli.award.pool import build_pool
from danvan_cli.config.plan import Requirements
from danvan_cli.findings import Finding
from danvan_cli.register.store import Candidate, Register
from danvan_cli.usecases.history import import_history

HOA = ("individual", "Nguyễn Thị Hòa", "Hội Phụ nữ xã Vạn Thắng")


@pytest.fixture
def register(tmp_path):
    with Register.open(tmp_path / "r.sqlite", create=True) as reg:
        yield reg


def recognized(register: Register, config, years: dict[int, str]) -> Candidate:
    """Nguyễn Thị Hòa, recognized at the given level in each of the given years."""
    with register.transaction():
        c, _ = register.candidate(*HOA, config.plan.identity().key(*HOA))
        for year, level in years.items():
            register.add_recognition(c.id, year, level, c.name, c.unit, f"{year}/QĐ", None, "h")
    return c


def test_lower_level_years_count_back_from_the_year(config):
    plan = config.plan
    assert lower_level_years(plan.level("tinh"), 2024) == [2023, 2024]
    assert lower_level_years(plan.level("huyen"), 2024) == [2024]
    three = plan.level("tinh").model_copy(
        update={"requires": Requirements(lower_level="huyen", consecutive_years=3)}
    )
    assert lower_level_years(three, 2026) == [2024, 2025, 2026]


@pytest.mark.parametrize(
    ("years", "missing"),
    [
        ({2023: "huyen", 2024: "huyen"}, []),
        ({2022: "huyen", 2023: "huyen", 2024: "huyen"}, []),
        ({2024: "huyen"}, [2023]),
        ({2023: "huyen"}, [2024]),
        ({2022: "huyen", 2024: "huyen"}, [2023]),  # not consecutive
        ({2023: "huyen", 2025: "huyen"}, [2024]),  # a later year does not count
        ({2023: "tinh", 2024: "co-so"}, [2023, 2024]),  # other levels do not count
        ({}, [2023, 2024]),
    ],
)
def test_r5_needs_the_lower_level_in_each_consecutive_year(register, config, years, missing):
    c = recognized(register, config, years)
    found = requirements(register, config, config.plan.level("tinh"), c, 2024)
    if not missing:
        assert found == []
        return
    assert found == [
        Finding(
            "eligibility.not_recognized",
            params={
                "lower": "huyện",
                "level": "tỉnh",
                "years": [2023, 2024],
                "missing": missing,
                "count": 2,
            },
        )
    ]
    (f,) = found
    assert f.is_error and f.rule == "R5"
    text = ", ".join(str(y) for y in missing)
    assert f.message("vi") == (
        "Chưa đủ điều kiện đề nghị cấp tỉnh: cần được công nhận điển hình cấp huyện 2 năm liên "
        f"tục (2023, 2024); sổ theo dõi chưa có năm {text}."
    )


def test_levels_that_cite_the_lower_decision_or_have_none_ask_nothing_of_the_register(
    register, config
):
    c = recognized(register, config, {})
    for level in ("huyen", "co-so"):  # R4 is cited in the dossier; the basic level has no lower
        assert requirements(register, config, config.plan.level(level), c, 2024) == []


def test_a_plans_own_number_of_years(register, config):
    c = recognized(register, config, {2023: "huyen", 2024: "huyen"})
    three = config.plan.level("tinh").model_copy(
        update={"requires": Requirements(lower_level="huyen", consecutive_years=3)}
    )
    (f,) = requirements(register, config, three, c, 2024)
    assert (f.params["years"], f.params["missing"], f.params["count"]) == (
        [2022, 2023, 2024],
        [2022],
        3,
    )
    one = three.model_copy(update={"requires": Requirements(lower_level="co-so")})
    assert requirements(register, config, one, c, 2024)[0].params["missing"] == [2024]


def test_another_candidate_recognized_does_not_count(register, config):
    recognized(register, config, {2023: "huyen", 2024: "huyen"})
    with register.transaction():
        other, _ = register.candidate(
            "individual",
            "Nguyễn Thị Hoa",
            HOA[2],
            config.plan.identity().key("individual", "Nguyễn Thị Hoa", HOA[2]),
        )
    (f,) = requirements(register, config, config.plan.level("tinh"), other, 2024)
    assert f.params["missing"] == [2023, 2024]  # "Hoa" is not "Hòa"


@dataclass
class Member:
    candidate: Candidate | None
    path: str
    findings: list[Finding] = field(default_factory=list)


def test_duplicates_name_every_other_file_of_the_candidate():
    a = Candidate(1, "individual", "A", "x", "k1")
    b = Candidate(2, "individual", "B", "y", "k2")
    members = [
        Member(a, "ho-so/1.xlsx"),
        Member(b, "ho-so/2.xlsx"),
        Member(a, "ho-so/3.xlsx"),
        Member(None, "ho-so/hong.xlsx"),
        Member(a, "ho-so/4.xlsx"),
        Member(None, "ho-so/hong-2.xlsx"),  # unreadable files are no one's duplicates
    ]
    flag_duplicates(members)
    found = {m.path: [(f.code, f.params) for f in m.findings] for m in members}
    dup = "eligibility.duplicate"
    assert found == {
        "ho-so/1.xlsx": [(dup, {"files": ["ho-so/3.xlsx", "ho-so/4.xlsx"]})],
        "ho-so/2.xlsx": [],
        "ho-so/3.xlsx": [(dup, {"files": ["ho-so/1.xlsx", "ho-so/4.xlsx"]})],
        "ho-so/hong.xlsx": [],
        "ho-so/4.xlsx": [(dup, {"files": ["ho-so/1.xlsx", "ho-so/3.xlsx"]})],
        "ho-so/hong-2.xlsx": [],
    }
    assert members[0].findings[0].is_error


def test_r5_in_the_pool_after_a_history_import(workspace, tmp_path):
    drop_dossier(workspace, "Nguyễn Thị Hòa", unit="Hội Phụ nữ xã Vạn Thắng")
    drop_dossier(workspace, "Trần Văn Minh", unit="Ủy ban nhân dân xã Vạn Phú")
    rows = [
        (
            2023,
            "Huyện",
            "Cá nhân",
            "NGUYỄN THỊ HOÀ",
            "Hội Phụ nữ xã Vạn Thắng",
            "1/QĐ",
            "22/09/2023",
        ),
        (
            2024,
            "Huyện",
            "Cá nhân",
            "Nguyễn Thị Hòa",
            "Hội Phụ nữ xã Vạn Thắng",
            "2/QĐ",
            "20/09/2024",
        ),
        (
            2024,
            "Huyện",
            "Cá nhân",
            "Trần Văn Minh",
            "UBND xã Vạn Phú",
            "2/QĐ",
            dt.date(2024, 9, 20),
        ),
    ]
    assert import_history(workspace, history(tmp_path / "h.xlsx", rows)).added == 3
    with register_of(workspace) as reg:
        pool, _ = build_pool(
            workspace.ws, workspace.config, reg, 2024, workspace.config.plan.level("tinh")
        )
    got = {m.result.name: m for m in pool.members}
    assert got["Nguyễn Thị Hòa"].status == "proposed"
    minh = got["Trần Văn Minh"]
    assert minh.status == "ineligible"
    assert [(f.code, f.params["missing"]) for f in minh.findings] == [
        ("eligibility.not_recognized", [2023])
    ]
