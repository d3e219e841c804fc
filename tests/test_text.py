"""The small pure helpers every stage leans on: near names (text.near), normalising text
(text.normalize), Vietnamese numbers (i18n.numbers), cell names (read.cells), the label
contract (read.labels), YAML reading (yamlio) and the plan's and rubric's models."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal

import pytest

from danvan_cli import yamlio
from danvan_cli.config.plan import Level
from danvan_cli.config.rubric import KINDS
from danvan_cli.i18n.numbers import fmt_number
from danvan_cli.read.cells import cell_ref, column_letter, is_blank
from danvan_cli.read.labels import HISTORY_REQUIRED, TABLE_KEYS, labels
from danvan_cli.register.store import Candidate
from danvan_cli.text.near import NearIndex, NearMatcher, distance, near
from danvan_cli.text.normalize import clean, fold, slug, strip_marks, words


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# -- near names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "d"),
    [
        ("hòa", "hòa", 0),
        ("hòa", "hoa", 1),  # one diacritic
        ("tư", "tứ", 1),
        ("minh", "mình", 1),
        ("an", "anh", 1),
        ("hòa", "hóa", 1),  # one tone mark for another
        ("bình", "bính", 1),
        ("hòa", "hoà", 2),  # a moved mark is two edits here; identity keys place it first
        ("nguyễn", "nguyên", 1),
        ("", "abc", 3),
    ],
)
def test_distance_counts_letters_and_marks_of_the_nfd_form(a, b, d):
    assert distance(a, b) == distance(b, a) == d
    assert distance(nfd(a), b) == d


def test_near_is_one_edit_apart_and_never_equal():
    assert near("lê văn tư", "lê văn tứ") and near("lê văn tứ", "lê văn tư")
    assert not near("lê văn tư", "lê văn tư")
    assert not near("nguyễn văn an", "nguyễn văn anh hùng")
    index = NearIndex()
    for i, key in enumerate(["lê văn tư", "lê văn tứ", "lê văn tú", "trần thị tư", "lê vă tư"]):
        index.add(i, key)
    assert index.near("lê văn tư") == {1, 2, 4}
    assert index.near("nguyễn văn an") == set()


def test_near_matcher_pairs_name_and_unit_within_one_kind(config):
    identity = config.plan.identity()
    people = [
        Candidate(1, "individual", "Lê Văn Tứ", "xã Vạn Hưng", "k1"),
        Candidate(2, "individual", "Lê Văn Tư", "UBND xã Vạn Hưng", "k2"),
        Candidate(3, "collective", "Lê Văn Tư", "xã Vạn Hưng", "k3"),
        Candidate(4, "individual", "Lê Văn Tư", "xã Vạn Hứng", "k4"),
        Candidate(5, "individual", "Lê Văn Tư", "xã Đại Lãnh", "k5"),
    ]
    matcher = NearMatcher(people, identity)
    # near name, same unit (1); same name, near unit (4); never another kind (3) or unit (5)
    assert matcher.matches("individual", "Lê Văn Tư", "xã Vạn Hưng") == [1, 4]
    assert matcher.matches("individual", "Lê Văn Tư", "xã Vạn Hưng", exclude=4) == [1]
    assert matcher.matches("collective", "Lê Văn Tứ", "xã Vạn Hưng") == [3]
    # "UBND" expands to "Ủy ban nhân dân": far from "xã Vạn Hưng"
    assert 2 not in matcher.matches("individual", "Lê Văn Tứ", "xã Vạn Hưng")
    assert matcher.matches("individual", "Lê Văn Tứ", "Ủy ban nhân dân xã Vạn Hưng") == [2]


# -- normalising text ----------------------------------------------------------------------


def test_clean_keeps_what_a_person_typed_in_nfc_on_single_spaces():
    assert clean(nfd("  Nguyễn   Thị\tHòa \n")) == "Nguyễn Thị Hòa"
    assert unicodedata.is_normalized("NFC", clean(nfd("Hòa")))
    assert clean("Hội\x01 Nông\x0b dân\x7f") == "Hội Nông dân"
    assert clean("=SUM(A1)") == "=SUM(A1)"


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Năm thi đua:", "nam thi dua"),
        (nfd("NĂM THI ĐUA :"), "nam thi dua"),
        ("1. Tên mô hình", "ten mo hinh"),
        ("a) Lĩnh vực", "linh vuc"),
        ("- Đơn vị", "don vi"),
        ("Tỷ lệ nữ (%) (*):", "ty le nu (%)"),
        ("Văn hóa–xã hội", "van hoa - xa hoi"),
        ("Văn hóa -  xã hội", "van hoa - xa hoi"),
        ("Điểm tự chấm", "diem tu cham"),
    ],
)
def test_fold_is_the_label_key(label, key):
    assert fold(label) == key


def test_words_slugs_and_marks():
    assert words("Tờ trình (của UBND huyện), số 12/TTr") == "to trinh cua ubnd huyen so 12 ttr"
    assert strip_marks("Đặng Thị Ngọc Ánh") == "Dang Thi Ngoc Anh"
    assert slug("Hội Nông dân xã Vạn Thắng") == "hoi-nong-dan-xa-van-thang"
    assert slug("../../etc/passwd") == "etc-passwd"  # never a path
    assert slug("???") == "ho-so"
    assert len(slug("Đ" * 200)) == 60


# -- numbers and cells ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (Decimal("96.5"), "96,5", "96.5"),
        (Decimal("96.50"), "96,5", "96.5"),
        (Decimal("100.0"), "100", "100"),
        (Decimal("1200000000"), "1.200.000.000", "1,200,000,000"),
        (13.5, "13,5", "13.5"),
        (Decimal("0.1"), "0,1", "0.1"),
        (2024, "2024", "2024"),  # years and counts are never grouped
        (12345, "12345", "12345"),
        (True, "True", "True"),
        ("R1", "R1", "R1"),
    ],
)
def test_numbers_the_vietnamese_way(value, vi, en):
    assert fmt_number(value, "vi") == vi and fmt_number(value, "en") == en


def test_cell_names():
    assert [column_letter(c) for c in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip
    assert cell_ref(0, 0) == "A1" and cell_ref(8, 3) == "D9"
    assert [is_blank(v) for v in (None, "", "  \t", "x", 0, False)] == [
        True, True, True, False, False, False,
    ]  # fmt: skip


def test_the_label_contract_is_loaded_folded():
    lab = labels()
    assert lab is labels()  # read once
    assert lab.info_by_fold["nam thi dua"] == "year"
    assert lab.info_by_fold[fold("Đơn vị công tác")] == "unit"
    assert lab.info["name"].required and not lab.info["position"].required
    assert set(lab.table) == set(TABLE_KEYS) and lab.table_labels["score"] == "Điểm tự chấm"
    assert fold("Điểm tự đánh giá") in lab.table["score"]
    assert set(lab.history) >= HISTORY_REQUIRED and "decision_date" not in HISTORY_REQUIRED
    assert lab.is_known(fold("Tổng điểm")) and lab.is_known(fold("Thành phần hồ sơ"))
    assert not lab.is_known(fold("Hội Nông dân xã Vạn Thắng"))
    assert {"collective", "individual", "yes", "no"} <= set(lab.values)


# -- YAML ----------------------------------------------------------------------------------


def test_yaml_errors_say_where(tmp_path):
    assert yamlio.load("a: 1\nb: [x, y]\n") == {"a": 1, "b": ["x", "y"]}
    with pytest.raises(yamlio.YAMLError) as caught:
        yamlio.load("a: 1\n  b: 2\n")
    assert caught.value.where == "2:4" and caught.value.problem


def test_yaml_is_read_once_then_from_a_json_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    text = "levels: [huyen, tinh]\nquota: {collective: 3}\n"
    assert yamlio.load_cached(text) == {"levels": ["huyen", "tinh"], "quota": {"collective": 3}}
    (cached,) = (tmp_path / "cache" / "danvan").glob("yaml-*.json")
    assert json.loads(cached.read_text(encoding="utf-8")) == yamlio.load(text)
    cached.write_text('{"from": "the cache"}', encoding="utf-8")
    assert yamlio.load_cached(text) == {"from": "the cache"}  # the YAML is not parsed again
    cached.write_text("{broken", encoding="utf-8")
    assert yamlio.load_cached(text)["quota"] == {"collective": 3}  # a bad cache is ignored
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a-file"))
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    assert yamlio.load_cached("x: 1\n") == {"x": 1}  # no usable cache folder: still read


# -- the plan's and rubric's models --------------------------------------------------------


def test_plan_and_rubric_models(config):
    plan = config.plan
    assert [lv.id for lv in plan.levels] == ["co-so", "huyen", "tinh"]
    assert plan.top_level.id == "tinh" and plan.level("huyen").name == "Huyện"
    assert plan.level("tinh").pool_levels == ["huyen", "tinh"]
    assert plan.level("huyen").pool_levels == ["huyen"]
    assert plan.level_names()["huyen"] == ["Huyện", "cap huyen", "district"]
    identity = plan.identity()
    assert identity.unit_key("UBND xã Vạn Thắng") == identity.unit_key(
        "Ủy ban nhân dân xã Vạn Thắng"
    )
    assert Level(id="xa", name="Xã").pool_levels == ["xa"]
    for kind in KINDS:
        rubric = config.rubric(kind)
        assert sum(c.max for c in rubric.criteria) == rubric.total == 100
        first = rubric.criterion("01")
        assert first is not None and rubric.threshold(first) == first.max * Decimal("0.9")
        assert rubric.criterion("08") is None


@pytest.mark.parametrize(
    ("a", "b"),
    [("", ""), ("a", ""), ("ab", "ba"), ("abc", "abd"), ("abc", "ab"), ("abc", "xbc"),
     ("abcd", "abdc"), ("lê văn tư", "lê văn tứ"), ("thôn", "thon"), ("ab", "abcd")],
)  # fmt: skip
def test_one_edit_is_levenshtein_at_most_one(a, b):
    from danvan_cli.text.near import one_edit

    assert one_edit(nfd(a), nfd(b)) == (distance(a, b) <= 1) == one_edit(nfd(b), nfd(a))


def test_names_built_to_share_one_bucket_stay_fast():
    """500 names, each one letter inserted into the same word, all share one blocking key:
    a lookup compares a bounded number of them, in linear time each."""
    import time

    from danvan_cli.text.near import NearIndex

    base = "nguyen van an " * 3
    index = NearIndex()
    keys = [base[:p] + "x" + base[p:] for p in range(len(base))] * 12
    started = time.process_time()
    for i, key in enumerate(keys[:500]):
        index.add(i, key)
    for key in keys[:500]:
        index.near(key)
    assert time.process_time() - started < 5
