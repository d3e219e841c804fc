"""Vietnamese alphabetical order, against lists sorted by hand."""

from __future__ import annotations

import random

import pytest

from danvan_cli.text.collation import person_key, sort_key

BY_HAND = [
    # letters: a ă â b c d đ e ê … o ô ơ … u ư
    [
        "an",
        "ăn",
        "ân",
        "bé",
        "cơm",
        "dân",
        "đan",
        "em",
        "êm",
        "im",
        "ong",
        "ôm",
        "ơn",
        "un",
        "ưng",
        "yên",
    ],
    # tones are secondary: ngang, huyền, hỏi, ngã, sắc, nặng
    ["ma", "mà", "mả", "mã", "má", "mạ", "mac"],
    # units as a Board's list orders them
    [
        "Đại Lãnh",
        "thị trấn Vạn Giã",
        "Vạn Bình",
        "Vạn Hưng",
        "Vạn Khánh",
        "Vạn Long",
        "Vạn Lương",
        "Vạn Phú",
        "Vạn Phước",
        "Vạn Thạnh",
        "Vạn Thắng",
        "Vạn Thọ",
        "Xuân Sơn",
    ],
]


@pytest.mark.parametrize("expected", BY_HAND)
def test_matches_lists_sorted_by_hand(expected):
    shuffled = list(expected)
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == expected


def test_case_and_unicode_form_do_not_change_the_order():
    import unicodedata

    words = ["Vạn Thắng", "vạn thắng", unicodedata.normalize("NFD", "Vạn Thắng")]
    assert len({sort_key(w)[:2] for w in words}) == 1


def test_people_by_given_name_then_family_name():
    names = [
        "Trần Văn Minh",
        "Nguyễn Thị Hoa",
        "Lê Thị Thu Hà",
        "Nguyễn Văn An",
        "Bùi Quang Vinh",
        "Võ Thị Hòa",
    ]
    assert sorted(names, key=person_key) == [
        "Nguyễn Văn An",
        "Lê Thị Thu Hà",
        "Nguyễn Thị Hoa",
        "Võ Thị Hòa",
        "Trần Văn Minh",
        "Bùi Quang Vinh",
    ]


def test_renames_follow_chains_and_never_repeat():
    from danvan_cli.text.identity import Identity

    ident = Identity(
        {"UBND": "Ủy ban nhân dân"}, [("xã C", "xã D"), ("xã A", "xã A mới"), ("xã B", "xã C")]
    )
    assert ident.unit_key("UBND xã A") == ident.unit_key("Ủy ban nhân dân xã A mới")
    assert ident.unit_key("Hội Nông dân xã B") == ident.unit_key("Hội Nông dân xã D")
    assert ident.unit_key("xã Bình") == ident.name_key("xã Bình")  # whole words only
