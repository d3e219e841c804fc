"""Every text a user reads comes from the one catalog, in both languages, and every key the
code asks for is there (a typo would be a crash at the worst moment)."""

from __future__ import annotations

import ast
import re
import string

import pytest

from conftest import ROOT
from danvan_cli.i18n.catalog import catalog

PACKAGE = ROOT / "danvan_cli"
SOURCES = sorted(PACKAGE.rglob("*.py"))
_KEY = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")
# calls whose first argument is a catalog key (a UI text or a finding code)
_KEYED = {"t", "Message", "Finding", "h", "problem"}
_ERRORS = {"DanvanError", "UsageError", "ConfigError", "OutputError", "RuleError", "RegisterError"}


def _keys_used() -> dict[str, set[str]]:
    """Literal catalog keys in the code: {"ui": …, "finding": …} (f-string keys are checked
    by the tests of the values they take)."""
    used: dict[str, set[str]] = {"ui": set(), "finding": set()}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in _KEYED | _ERRORS:
                continue
            at = 2 if name == "problem" else 0  # problem(path, where, key, …)
            arg = node.args[at] if len(node.args) > at else None
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                continue
            key = arg.value
            if not _KEY.match(key):
                continue
            if name == "h":
                key = f"help.{key}"
            used["finding" if name == "Finding" else "ui"].add(key)
    return used


USED = _keys_used()


def test_the_scan_sees_the_code():
    assert len(USED["finding"]) >= 30 and len(USED["ui"]) >= 150


@pytest.mark.parametrize("key", sorted(USED["ui"]))
def test_every_text_the_code_asks_for_is_in_the_catalog(key):
    assert key in catalog().ui, f"{key} is used in danvan_cli but missing from messages.yaml"


def test_every_finding_code_the_code_produces_is_in_the_catalog():
    assert USED["finding"] <= set(catalog().codes)


def test_every_finding_code_of_the_catalog_is_produced_by_the_code():
    literals = {
        node.value
        for path in SOURCES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert set(catalog().codes) <= literals, set(catalog().codes) - literals


@pytest.mark.parametrize("key", sorted(catalog().ui))
def test_both_languages_say_the_same_placeholders(key):
    entry = catalog().ui[key]
    names = {
        lang: {n for _, n, _, _ in string.Formatter().parse(getattr(entry, lang)) if n}
        for lang in ("vi", "en")
    }
    assert names["vi"] == names["en"], key
    assert entry.vi.strip() and entry.en.strip(), key


def test_a_mistyped_severity_stops_the_catalog(tmp_path, monkeypatch):
    """A catalog file of new content is checked by its pydantic schema before it is used."""
    import pydantic

    from danvan_cli import yamlio
    from danvan_cli.i18n import catalog as module

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    bad = tmp_path / "messages.yaml"
    bad.write_text(
        "findings:\n  x.y: {severity: warnin, rule: null, vi: {message: m, hint: h},"
        " en: {message: m, hint: h}}\nui: {}\n",
        encoding="utf-8",
    )
    with pytest.raises(pydantic.ValidationError):
        yamlio.load_file_checked(bad, module._check, "messages")
    with pytest.raises(pydantic.ValidationError):  # and again: a refusal is never remembered
        yamlio.load_file_checked(bad, module._check, "messages")


def test_an_unchanged_catalog_is_checked_once(tmp_path, monkeypatch):
    from danvan_cli import yamlio

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    good = tmp_path / "m.yaml"
    good.write_text("ui: {a: {vi: x, en: y}}\n", encoding="utf-8")
    seen: list[object] = []
    for _ in range(3):
        assert yamlio.load_file_checked(good, seen.append, "m") == {
            "ui": {"a": {"vi": "x", "en": "y"}}
        }
    assert len(seen) == 1
    good.write_text("ui: {a: {vi: x, en: z}}\n", encoding="utf-8")  # new content: checked
    yamlio.load_file_checked(good, seen.append, "m")
    assert len(seen) == 2


def test_no_vietnamese_sentence_is_left_in_the_code():
    """User text lives in the catalog; the code keeps only the workbook contract (sheet and
    column names `recognize` reads back) and the letters of the text tools."""
    allowed = {
        "config/documents.py",  # the placeholders of the plan's patterns: {số}, {năm}
        "text/collation.py",  # the alphabet
        "text/legacy.py",  # the legacy encodings' tables
        "text/identity.py",
        "text/normalize.py",
        "read/parse.py",  # "năm", "đồng" in the patterns that read values
        "read/layout.py",
        "award/figures.py",  # "khác": the JSON key of findings with no rule
        "config/workspace.py",  # the comment written at the top of danvan.yaml
        "usecases/demo.py",  # the demo's decision number
    }
    viet = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]")
    found = []
    for path in SOURCES:
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
                and viet.search(node.value.lower())
            ):
                found.append(f"{rel}:{node.lineno}: {node.value[:50]}")
    assert not found, "\n".join(found)


def test_every_sql_statement_is_in_the_registers_store():
    """README: every SQL statement danvan runs is in register/store.py (the schema's own in
    register/migrations.py); nothing else talks to SQLite."""
    sql = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|PRAGMA|CREATE|ALTER|DROP|BEGIN)\b", re.I)
    found = []
    for path in SOURCES:
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in ("register/store.py", "register/migrations.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and sql.match(node.value)
            ):
                found.append(f"{rel}:{node.lineno}: {node.value[:50]}")
            if isinstance(node, ast.Attribute) and node.attr in ("execute", "executemany"):
                found.append(f"{rel}:{node.lineno}: .{node.attr}(")
    assert not found, "\n".join(found)
