"""Turning cell values as offices type them into numbers, dates and choices.

Every function returns the parsed value or None; callers turn None into a finding.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Literal

from danvan_cli.config.plan import Plan
from danvan_cli.config.rubric import KINDS, Kind
from danvan_cli.read.labels import labels
from danvan_cli.text.normalize import clean, fold

_EXCEL_EPOCH = dt.date(1899, 12, 30)
# A value longer than this is no number, date, mark, flag or choice: the parsers below say
# so at once, never scanning (or caching) a cell of 30,000 characters.
MAX_VALUE = 200


def _long(value: Any) -> bool:
    return isinstance(value, str) and len(value) > MAX_VALUE and len(value.strip()) > MAX_VALUE


_NUMBER = re.compile(r"^[+-]?(\d+)([.,](\d+))?$")


def to_decimal(value: Any) -> Decimal | None:
    """A score: a number, or text with a decimal point or comma ("13,5"). Never a bool."""
    number = _to_decimal(value)
    if number is not None and number.is_zero():
        return Decimal(0)  # no "-0"
    return number


@lru_cache(maxsize=4096)
def _float_decimal(value: float) -> Decimal:
    """The exact decimal a float cell shows: one object per value, shared by every dossier
    (scores and maxima repeat across a batch: what a batch keeps per file stays small)."""
    return Decimal(repr(value))


def _to_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or _long(value):
        return None
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return _float_decimal(value) if isinstance(value, float) else Decimal(value)
    if isinstance(value, str):
        text = clean(value).replace(" ", "")
        if not _NUMBER.match(text):
            return None
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:
            return None
    return None


def to_year(value: Any) -> int | None:
    if _long(value):
        return None
    number = to_decimal(value)
    if number is None:
        text = clean(str(value)) if isinstance(value, str) else ""
        m = re.fullmatch(r"(?:năm\s*)?(\d{4})", text, re.IGNORECASE)
        number = Decimal(m.group(1)) if m else None
    if number is None or number != number.to_integral_value():
        return None
    year = int(number)
    return year if 2000 <= year <= 2100 else None


_DATE_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_DATE_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$")


def to_date(value: Any) -> dt.date | None:
    """A date: an Excel date, a serial number, or text day-first (15/02/2024, 15-2-2024)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value) or value != int(value) or not 1 <= value <= 2958465:
            return None
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    if not isinstance(value, str) or _long(value):
        return None
    text = clean(value)
    if re.fullmatch(r"\d{4,5}", text):
        return to_date(float(text))
    for pattern, order in ((_DATE_DMY, "dmy"), (_DATE_ISO, "ymd")):
        m = pattern.match(text)
        if m:
            parts = dict(zip(order, map(int, m.groups()), strict=True))
            return _safe_date(parts["y"], parts["m"], parts["d"])
    m = _DATE_WORDS.match(fold(text).replace(",", ""))
    if m:
        d, mo, y = map(int, m.groups())
        return _safe_date(y, mo, d)
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_MONEY_UNITS = {"ty": 10**9, "trieu": 10**6, "nghin": 10**3, "ngan": 10**3}
_MONEY_NOISE = re.compile(r"(vnd|vnđ|dong|đồng|đ)\.?$")


def to_money(value: Any) -> Decimal | None:
    """An amount in VND: 1250000000, "1.250.000.000", "1,250,000,000 đồng", "1,5 tỷ"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return to_decimal(value)
    if not isinstance(value, str) or _long(value):
        return None
    text = fold(value).replace(" ", "")
    text = _MONEY_NOISE.sub("", text)
    factor = 1
    for word, mult in _MONEY_UNITS.items():
        if text.endswith(word):
            text, factor = text[: -len(word)], mult
            break
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text) or re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        text = text.replace(".", "").replace(",", "")
    number = to_decimal(text)
    return None if number is None else number * factor


def to_flag(value: Any, yes: frozenset[str], no: frozenset[str]) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return {1: True, 0: False}.get(int(value)) if value in (0, 1) else None
    if not isinstance(value, str) or _long(value):
        return None
    key = fold(value) or value.strip()
    if key in yes:
        return True
    if key in no:
        return False
    return None


class Choices:
    """Options (id → the names that may stand for it) made ready for `choice`: every name
    folded once, not for every cell read."""

    def __init__(self, options: dict[str, list[str]]) -> None:
        self.position = {option_id: i for i, option_id in enumerate(options)}
        self.keys: dict[str, str] = {}  # folded id or name → the first option it names
        for option_id, names in options.items():
            for key in (fold(option_id), *(fold(n) for n in names)):
                self.keys.setdefault(key, option_id)
        self.letters: dict[str, str] = {}  # a folded id → its option
        for option_id in options:
            self.letters.setdefault(fold(option_id), option_id)


def choice(value: Any, options: dict[str, list[str]] | Choices) -> str | None:
    """The option id whose id, name or alias matches the text (e.g. "a) Kinh tế" → "a")."""
    if not isinstance(value, str) or _long(value):
        return None
    ready = options if isinstance(options, Choices) else Choices(options)
    raw = fold(value)
    text = re.sub(r"^cap\s+", "", raw)
    found = [f for f in (ready.keys.get(raw), ready.keys.get(text)) if f is not None]
    if found:
        return min(found, key=ready.position.__getitem__)  # the first option either names
    letter = re.match(r"^([a-z])\s*[).]", clean(value).lower())
    if letter:
        return ready.letters.get(letter.group(1))
    return None


_READY: dict[tuple[int, str], tuple[object, Choices]] = {}


def _ready(owner: object, what: str, options: Callable[[], dict[str, list[str]]]) -> Choices:
    """The Choices of `owner` (a plan, the label contract), made once per owner."""
    found = _READY.get((id(owner), what))
    if found is None or found[0] is not owner:
        if len(_READY) > 64:
            _READY.clear()
        found = _READY[(id(owner), what)] = (owner, Choices(options()))
    return found[1]


def to_code(value: Any) -> str | None:
    """A criterion number: 1, 1.0, "1", "01", "1." → "01"."""
    number = to_decimal(value)
    if number is None and isinstance(value, str) and not _long(value):
        m = re.fullmatch(r"(\d{1,3})\s*[.)]?", clean(value))
        number = Decimal(m.group(1)) if m else None
    if number is None or number != number.to_integral_value() or not 0 < number < 1000:
        return None
    return _CODES[int(number)]


_CODES = [f"{n:02d}" for n in range(1000)]  # one string per criterion number


def display(value: Any) -> str:
    """A raw cell value as a person would read it, for messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return clean(str(value)) if value is not None else ""


def kind_of(value: Any) -> Kind | None:
    """ "Tập thể" / "Cá nhân" (or the words labels.yaml lists) as a kind id."""
    words = labels().values
    found = choice(value, _ready(words, "kind", lambda: {k: list(words[k]) for k in KINDS}))
    return "collective" if found == "collective" else "individual" if found else None


def level_of(value: Any, plan: Plan) -> str | None:
    """A level id of the plan from its id, name or alias ("Huyện", "cấp huyện", "huyen")."""
    return choice(value, _ready(plan, "level", plan.level_names))


def field_of(value: Any, plan: Plan) -> str | None:
    """A field id of the plan (R12) from its letter, name or alias ("a) Kinh tế" → "a")."""
    return choice(
        value, _ready(plan, "field", lambda: {f.id: [f.name, *f.aliases] for f in plan.fields})
    )


def gender_of(value: Any) -> Literal["female", "male"] | None:
    """Nữ / Nam (or the words labels.yaml lists)."""
    words = labels().values
    genders = _ready(
        words, "gender", lambda: {"female": list(words["female"]), "male": list(words["male"])}
    )
    found = choice(value, genders)
    return "female" if found == "female" else "male" if found == "male" else None


def percent_of(value: Any) -> Decimal | None:
    """A share in percent: 75, "75%", "75,5 %", or a fraction as Excel keeps a cell formatted
    as a percentage (0.75)."""
    if isinstance(value, str):
        value = value.strip().removesuffix("%").strip()
    number = to_decimal(value)
    if number is None or number < 0:
        return None
    if isinstance(value, float) and number <= 1:
        number *= 100
    return number if number <= 100 else None


def flag_of(value: Any) -> bool | None:
    """Có / Không (or the words labels.yaml lists)."""
    words = labels().values
    return to_flag(value, words["yes"], words["no"])


# What a presence mark may hold, and nothing else (folded text): a yes word, a number of
# copies ("2 bản", "01 bộ"), a document's number as it is cited ("25/QĐ-UBND", "Số 45",
# "Quyết định số 12/QĐ-UBND ngày 15/6/2024": a number above 0), or a yes word with one of
# these ("Có, 2 bản", "x (12/QĐ-UBND)"). A mark with any other word ("có thể", "x (bản
# photo)", "1 bản (hỏng)", "12/QĐ-UBND (đã bị bãi bỏ)") is one danvan does not understand:
# what a mark may say is listed, never only what denies it.
_KINDS = (
    "quyet dinh|qd|to trinh|ttr|bien ban|bb|bao cao|bc|cong van|cv|nghi quyet|nq|ke hoach"
    "|kh|thong bao|tb|giay khen|bang khen|giay chung nhan|gcn"
)
_NUMBER_CITED = r"0*[1-9]\d*[a-z]*"
_CODE = r"[a-z0-9]+(?:\s*[-/.]\s*[a-z0-9]+)*"
_DAY = r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}"
_CITED = (
    rf"(?:(?:{_KINDS})\s*)?"
    rf"(?:so\s*:?\s*{_NUMBER_CITED}(?:\s*/\s*{_CODE})?|{_NUMBER_CITED}\s*/\s*{_CODE})"
    rf"(?:\s*,?\s*ngay\s*{_DAY})?"
)
_SOME_COPIES = r"0*[1-9]\d?\s*(?:ban|bo)"
# A document's code as an office writes it after its number ("25/QĐ-UBND", "01/TTr-BDVHU",
# "12/2024/QĐ-UBND"): the kind of document (Nghị định 30/2020's abbreviations), then the
# issuers in capitals. "12/QĐ-UBND-đã-bị-bãi-bỏ", "1/bản-hỏng", "1/dự-thảo" are words glued
# to a number, not a code: such a mark is one danvan does not understand.
_DOCUMENT_KINDS = frozenset(
    [
        "qd",
        "ttr",
        "bb",
        "bc",
        "kh",
        "tb",
        "cv",
        "nq",
        "tt",
        "nd",
        "ct",
        "hd",
        "ctr",
        "pa",
        "da",
        "qc",
        "tc",
        "gm",
        "gcn",
        "bgn",
        "btt",
        "cd",
    ]
)
_CODE_AFTER_NUMBER = re.compile(r"\d+[A-Za-z]*\s*/\s*([^\s,;:()]+)")
_WITH = rf"(?:{_CITED}|{_SOME_COPIES})"
_MARKS: dict[int, tuple[frozenset[str], re.Pattern[str]]] = {}


def _presence(yes: frozenset[str]) -> re.Pattern[str]:
    """The presence marks of these yes words (made once per label contract)."""
    found = _MARKS.get(id(yes))
    if found is None or found[0] is not yes:
        words = "|".join(re.escape(w) for w in sorted(yes, key=len, reverse=True))
        pattern = re.compile(
            rf"(?:(?:{words})(?:\s*[,;:\-]?\s*\(?\s*{_WITH}\s*\)?)?|{_WITH})\s*\.?"
        )
        found = _MARKS[id(yes)] = (yes, pattern)
    return found[1]


COPIES = 99  # a whole number up to this in a papers mark: the number of copies handed in


def paper_mark(value: Any) -> bool | None:
    """Whether a papers-list mark says the paper is present: True only for an explicit
    presence mark and nothing else (x, ✓, Có…, a document number, a date, a number of copies
    from 1 to 99, typed as a number or as text alike, or a yes word with copies or a number:
    `_presence`); False for a blank, 0 or an absence word ("Thiếu", "Không nộp", "Chưa",
    "Ko", "N/A", "?"…, alone or leading the mark); None for any other mark ("có thể", "x
    (bản photo)"), and for one that says present and also not ("Có nhưng không hợp lệ", "✓
    thiếu", "đã hủy 12/QĐ-UBND": a negation word anywhere), reported and taken as absent. A
    date far from the dossier's year is judged by the dossier reader (`mark_date`)."""
    from danvan_cli.read.cells import CellError
    from danvan_cli.read.labels import labels

    if value is None or isinstance(value, CellError):
        return None if isinstance(value, CellError) else False
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return True
    if isinstance(value, int | float):
        return _copies(to_decimal(value))
    if _long(value):
        return None  # no mark is that long: a paragraph, reported
    text = clean(str(value))
    if not text:
        return False
    if re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?", text):
        return _copies(to_decimal(text))  # "2" as 2: a number of copies
    words = labels().values
    key = fold(text) or text
    if key in words["absent"] or key in words["no"]:
        return False
    if key in words["yes"]:
        return True
    first = key.split(" ", 1)[0]
    lead = " ".join(key.split(" ", 2)[:2])
    if words["absent"] & {first, lead} or words["no"] & {first, lead}:
        return False
    spaced = f" {_WORDS.sub(' ', key)} "
    if any(f" {word} " in spaced for word in words["negation"]):
        return None  # present and not present at once
    if _presence(words["yes"]).fullmatch(key) and _codes_written_as_codes(text):
        return True  # a yes word, copies, a document's number: nothing else
    if to_date(text) is not None:
        return True  # the date of the paper
    return None


def _codes_written_as_codes(text: str) -> bool:
    """Every "number/…" of a mark is a date or a document's code: a kind of document first,
    then issuers in capitals (see _DOCUMENT_KINDS)."""
    for m in _CODE_AFTER_NUMBER.finditer(text):
        parts = [p for p in re.split(r"[-/.]", m.group(1)) if p and not p.isdigit()]
        if not parts:
            continue  # a date, or a number and a year
        if fold(parts[0]) not in _DOCUMENT_KINDS:
            return False
        if any(not p.isupper() for p in parts[1:]):
            return False
    return True


_WORDS = re.compile(r"[^0-9a-z]+")


def _copies(number: Decimal | None) -> bool | None:
    """A number in a papers mark: 0 is none, a whole 1–99 that many copies, anything else
    (a negative, a fraction, 45000) no mark danvan understands."""
    if number is None:
        return None
    if number == 0:
        return False
    if number == number.to_integral_value() and 1 <= number <= COPIES:
        return True
    return None


def mark_date(value: Any) -> dt.date | None:
    """The date a papers mark gives (a date cell, or a date typed as text), if any."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and not _long(value):
        text = clean(value)
        if not re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?", text):
            return to_date(text)
    return None
