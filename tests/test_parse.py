import datetime as dt
from decimal import Decimal

import pytest

from danvan_cli.read import parse


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(13.5, "13.5"), ("13,5", "13.5"), (" 14 ", "14"), (15, "15"), ("15.0", "15.0")],
)
def test_scores_read_with_point_or_comma(raw, expected):
    assert parse.to_decimal(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["mười lăm", "13,5,1", True, float("nan"), float("inf"), "", None])
def test_non_numbers_are_not_scores(raw):
    assert parse.to_decimal(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "15/02/2024",
        "15-2-2024",
        "15.02.2024",
        "2024-02-15",
        45337,
        45337.0,
        "45337",
        dt.date(2024, 2, 15),
        dt.datetime(2024, 2, 15, 8, 30),
        "ngày 15 tháng 02 năm 2024",
    ],
)
def test_dates_in_every_office_form(raw):
    assert parse.to_date(raw) == dt.date(2024, 2, 15)


@pytest.mark.parametrize("raw", ["31/02/2024", "15/13/2024", "hôm qua", 45337.5, -3, True])
def test_impossible_dates_are_refused(raw):
    assert parse.to_date(raw) is None


def test_day_comes_first():
    assert parse.to_date("02/03/2024") == dt.date(2024, 3, 2)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.250.000.000", 1250000000),
        ("1,250,000,000 đồng", 1250000000),
        (1250000000.0, 1250000000),
        ("1,5 tỷ", 1500000000),
        ("350 triệu", 350000000),
        ("45.000.000 VNĐ", 45000000),
    ],
)
def test_money(raw, expected):
    assert parse.to_money(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"), [(1, "01"), (1.0, "01"), ("1", "01"), ("01", "01"), ("7.", "07")]
)
def test_criterion_numbers(raw, code):
    assert parse.to_code(raw) == code


@pytest.mark.parametrize("raw", ["I", "a", 1.5, 0, ""])
def test_not_criterion_numbers(raw):
    assert parse.to_code(raw) is None
