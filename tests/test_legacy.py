"""TCVN3 and VNI text: every letter with every tone, capitals, whole dossiers, mixed files."""

from __future__ import annotations

import unicodedata

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font

from builders import spec, write
from danvan_cli.text.legacy import convert, detect
from danvan_cli.validate.run import validate_file

TONES = {
    "none": "",
    "grave": "\u0300",
    "acute": "\u0301",
    "hook": "\u0309",
    "tilde": "\u0303",
    "dot": "\u0323",
}

# TCVN 5712:1993 (VN3) byte values, transcribed per tone in the order
# none, acute, grave, hook, tilde, dot (bytes, decoded as Windows-1252 like Excel does).
TCVN3_BYTES = {
    "a": [0x61, 0xB8, 0xB5, 0xB6, 0xB7, 0xB9],
    "ă": [0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6],
    "â": [0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB],
    "e": [0x65, 0xD0, 0xCC, 0xCE, 0xCF, 0xD1],
    "ê": [0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6],
    "i": [0x69, 0xDD, 0xD7, 0xD8, 0xDC, 0xDE],
    "o": [0x6F, 0xE3, 0xDF, 0xE1, 0xE2, 0xE4],
    "ô": [0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9],
    "ơ": [0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE],
    "u": [0x75, 0xF3, 0xEF, 0xF1, 0xF2, 0xF4],
    "ư": [0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9],
    "y": [0x79, 0xFD, 0xFA, 0xFB, 0xFC, 0xFE],
}
ORDER = ["none", "acute", "grave", "hook", "tilde", "dot"]

# VNI-Windows capitals as published for VNI keyboards, in the same tone order.
VNI_CAPITALS = {
    "A": ["A", "AÙ", "AØ", "AÛ", "AÕ", "AÏ"],
    "Ă": ["AÊ", "AÉ", "AÈ", "AÚ", "AÜ", "AË"],
    "Â": ["AÂ", "AÁ", "AÀ", "AÅ", "AÃ", "AÄ"],
    "E": ["E", "EÙ", "EØ", "EÛ", "EÕ", "EÏ"],
    "Ê": ["EÂ", "EÁ", "EÀ", "EÅ", "EÃ", "EÄ"],
    "I": ["I", "Í", "Ì", "Æ", "Ó", "Ò"],
    "O": ["O", "OÙ", "OØ", "OÛ", "OÕ", "OÏ"],
    "Ô": ["OÂ", "OÁ", "OÀ", "OÅ", "OÃ", "OÄ"],
    "Ơ": ["Ô", "ÔÙ", "ÔØ", "ÔÛ", "ÔÕ", "ÔÏ"],
    "U": ["U", "UÙ", "UØ", "UÛ", "UÕ", "UÏ"],
    "Ư": ["Ö", "ÖÙ", "ÖØ", "ÖÛ", "ÖÕ", "ÖÏ"],
    "Y": ["Y", "YÙ", "YØ", "YÛ", "YÕ", "Î"],
}


def expected(letter: str, tone: str) -> str:
    return unicodedata.normalize("NFC", letter + TONES[tone])


def cases_tcvn3():
    for letter, codes in TCVN3_BYTES.items():
        for tone, code in zip(ORDER, codes, strict=True):
            yield letter, tone, bytes([code]).decode("cp1252") if code != 0xAD else "\xad"


def cases_vni():
    for letter, codes in VNI_CAPITALS.items():
        for tone, code in zip(ORDER, codes, strict=True):
            yield letter, tone, code


@pytest.mark.parametrize(("letter", "tone", "code"), list(cases_tcvn3()))
def test_tcvn3_every_letter_and_tone(letter, tone, code):
    word = f"x{code}m"  # inside a syllable, as typed
    want = f"x{expected(letter, tone)}m"
    got = convert(word, font=".VnTime")
    assert (got.text if got else word) == want
    capital = convert(f"X{code}M", font=".VnTimeH")  # the capital fonts draw lower-case codes
    assert (capital.text if capital else f"X{code}M") == want.upper()


@pytest.mark.parametrize(("letter", "tone", "code"), list(cases_vni()))
def test_vni_every_letter_and_tone_both_cases(letter, tone, code):
    want = expected(letter, tone)
    upper = convert(f"X{code}M", font="VNI-Times")
    lower = convert(f"x{code.lower()}m", font="VNI-Times")
    assert (upper.text if upper else f"X{code}M") == f"X{want}M"
    assert (lower.text if lower else f"x{code.lower()}m") == f"x{want.lower()}m"


def test_d_with_stroke_in_both():
    assert convert("\xae\xa7", font=".VnTime").text == "đĐ"
    assert convert("ñÑ", font="VNI-Times").text == "đĐ"


@pytest.mark.parametrize(
    ("text", "encoding", "unicode"),
    [
        ("Héi N«ng d©n x· V¹n Th¾ng", "TCVN3", "Hội Nông dân xã Vạn Thắng"),
        ("Hoäi Noâng daân xaõ Vaïn Thaéng", "VNI", "Hội Nông dân xã Vạn Thắng"),
        ("UBND HUYÖN V¹N NINH", "TCVN3", "UBND HUYỆN VẠN NINH"),
        ("§¹i L·nh", "TCVN3", "Đại Lãnh"),
        ("Ñaïi Laõnh", "VNI", "Đại Lãnh"),
    ],
)
def test_detected_by_characters_alone(text, encoding, unicode):
    assert detect(text) == encoding
    assert convert(text).text == unicode


@pytest.mark.parametrize(
    "text", ["Ngày đăng ký", "Tám", "Lĩnh vực", "José", "Cấp cơ sở", "13,5", "Tổng điểm"]
)
def test_unicode_and_plain_text_are_left_alone(text):
    assert detect(text) is None and convert(text) is None


def _legacy(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def _to_tcvn3() -> dict[str, str]:
    table = {}
    for letter, codes in TCVN3_BYTES.items():
        for tone, code in zip(ORDER, codes, strict=True):
            table[expected(letter, tone)] = (
                bytes([code]).decode("cp1252") if code != 0xAD else "\xad"
            )
    table.update(
        {
            "đ": "\xae",
            "Đ": "\xa7",
            "Ă": "\xa1",
            "Â": "\xa2",
            "Ê": "\xa3",
            "Ô": "\xa4",
            "Ơ": "\xa5",
            "Ư": "\xa6",
        }
    )
    return table


def test_a_dossier_typed_entirely_in_tcvn3_validates_with_unicode_names(tmp_path, config):
    table = _to_tcvn3()
    s = spec()
    s.info = {
        _legacy(k, table): (_legacy(v, table) if isinstance(v, str) else v)
        for k, v in s.info.items()
    }
    s.header = [_legacy(h, table) for h in s.header]
    s.rows = [
        [_legacy(c, table) if isinstance(c, str) and not c.isdigit() else c for c in row]
        for row in s.rows
    ]
    s.papers = [(_legacy(label, table), _legacy(mark, table)) for label, mark in s.papers]
    path = write(tmp_path / "tcvn3.xlsx", s)
    wb = openpyxl.load_workbook(path)
    for row in wb.active.iter_rows():
        for cell in row:
            cell.font = Font(name=".VnTime")
    wb.save(path)
    report = validate_file(path, config)
    assert {f.code for f in report.findings} == {"text.legacy_converted"}
    assert report.valid and report.total == 95.5
    assert report.info.name == "Hội Nông dân xã Vạn Thắng"
    assert report.info.unit == "Ủy ban nhân dân xã Vạn Thắng"
    name_cell = next(f for f in report.findings if f.params["after"] == "Hội Nông dân xã Vạn Thắng")
    assert name_cell.cell == "B5" and name_cell.params["encoding"] == "TCVN3"


def test_mixed_encodings_are_handled_cell_by_cell(tmp_path, config):
    s = spec(
        **{
            "Tên tập thể": "Héi N«ng d©n x· V¹n Th¾ng",  # TCVN3
            "Đơn vị": "UÛy ban nhaân daân xaõ Vaïn Thaéng",  # VNI
            "Tên mô hình": "Dân vận khéo",  # Unicode
        }
    )
    report = validate_file(write(tmp_path / "tron.xlsx", s), config)
    converted = {
        f.cell: f.params["encoding"] for f in report.findings if f.code == "text.legacy_converted"
    }
    assert converted == {"B5": "TCVN3", "B6": "VNI"}
    assert report.info.name == "Hội Nông dân xã Vạn Thắng"
    assert report.info.unit == "Ủy ban nhân dân xã Vạn Thắng"
    assert report.info.model == "Dân vận khéo"


@pytest.mark.parametrize(
    ("typed", "font", "unicode"),
    [
        ("Lª ThÞ Hµ", None, "Lê Thị Hà"),  # one plain capital is no word in capitals
        ("Vâ V¨n T¸m", ".VnTime", "Võ Văn Tám"),
        ("Tæ d©n vËn", ".VnTime", "Tổ dân vận"),
        ("V¹N NINH", None, "VẠN NINH"),  # capitals typed with .VnTimeH, font unknown
        ("v¹n ninh", ".VnTimeH", "VẠN NINH"),
    ],
)
def test_capitals_only_where_typed_in_capitals(typed, font, unicode):
    assert convert(typed, font=font).text == unicode


def test_a_file_typed_in_vni_without_fonts_is_read_whole(tmp_path, config):
    """.xls files carry no fonts danvan reads: the file's encoding is decided from its clear
    cells, and the ambiguous ones ("Traàn Vaên Taâm") are read the same way."""
    vni = {
        "Năm": "Naêm",
        "Loại": "Loaïi",
        "Tên tập thể": "Teân taäp theå",
        "Đơn vị": "Ñôn vò",
        "Tên mô hình": "Teân moâ hình",
    }
    s = spec(**{"Tên tập thể": "Traàn Vaên Taâm"})
    s.info = {vni.get(k, k): v for k, v in s.info.items()}
    s.info["Loaïi"] = "Taäp theå"
    report = validate_file(write(tmp_path / "vni.xlsx", s), config)
    assert report.info.name == "Trần Văn Tâm"
    assert report.info.kind == "collective"
    assert "info.missing" not in {f.code for f in report.findings}


@pytest.mark.parametrize(
    "text",
    [
        "Hoà Bình",
        "Nuôi cá bè",
        "khoá học",
        "Thuỷ",
        "Chè xanh",
        "Hoè",
        'Mô hình "Tám Võ Bùi" José è',
        "Ủy ban nhân dân xã Vạn Thắng",
        "Bà Nguyễn Thị Hoà",
        "Mô hình",
        "Tổ dân phố",
    ],
)
def test_unicode_vietnamese_is_never_taken_for_legacy_text(text):
    assert detect(text) is None and convert(text) is None


def test_unicode_dossier_with_old_style_tones_is_left_alone(tmp_path, config):
    s = spec(
        **{
            "Đơn vị": "Hoà Bình",
            "Tên mô hình": "Nuôi cá bè",
            "Tên tập thể": "Hội Nông dân thôn Hoà Bình",
        }
    )
    report = validate_file(write(tmp_path / "u.xlsx", s), config)
    assert report.findings == []
    assert (report.info.unit, report.info.model) == ("Hoà Bình", "Nuôi cá bè")


_PAIRS = "[aeouyAEOUY][øûïåäëüØÛÏÅÄËÜ]|[aeoAEO][âÂ]|[aA][êÊ]|[ôöÔÖ][øùûõïØÙÛÕÏ]|[ñÑ]"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aeoyuAEOUYôöÔÖñÑøûïåäëüØÛÏÅÄËÜâÂêÊùõÙÕxbcđ ", max_size=12))
def test_the_fast_vni_pattern_finds_exactly_the_pairs(text):
    """The VNI pair pattern, rewritten for speed, matches where the plain alternation does."""
    import re

    from danvan_cli.text import legacy

    plain = re.search(_PAIRS, text)
    fast = legacy._VNI_STRONG.search(text)
    assert (plain and plain.span()) == (fast and fast.span())
