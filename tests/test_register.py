"""The register (register.store, migrations, check, rows) used as a library: candidates,
dossiers, recognitions, audit rows, migrations from older schemas and the registers it refuses."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest

from conftest import HISTORY_HEADER
from danvan_cli.register.check import TABLES, check
from danvan_cli.register.migrations import MIGRATIONS, candidate_spelling_year, initial
from danvan_cli.register.rows import headers, history_rows
from danvan_cli.register.store import AuditRow, Register, RegisterError

HOA = ("individual", "Nguyễn Thị Hòa", "Hội Phụ nữ xã Vạn Thắng")
HND = ("collective", "Hội Nông dân xã Vạn Thắng", "Ủy ban nhân dân xã Vạn Thắng")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "register.sqlite"


@pytest.fixture
def fresh(path: Path) -> Path:
    with Register.open(path, create=True):
        pass
    return path


def key_of(config, who: tuple[str, str, str]) -> str:
    return config.plan.identity().key(*who)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


# -- candidates ----------------------------------------------------------------------------


def test_a_candidate_is_made_once_per_identity_key(fresh, config):
    key = key_of(config, HOA)
    with Register.open(fresh) as reg, reg.transaction():
        made, created = reg.candidate(*HOA, key)
        again, created_again = reg.candidate(*HOA, key)
        other, _ = reg.candidate(*HND, key_of(config, HND))
    assert created and not created_again
    assert again == made and (made.kind, made.name, made.unit, made.key) == (*HOA, key)
    assert other.id != made.id
    with Register.open(fresh) as reg:
        assert reg.find_candidate(key) == made
        assert reg.find_candidate("individual|ai|đâu") is None
        assert reg.candidates("individual") == [made]
        assert reg.candidates("collective") == [other]
        assert {c.id for c in reg.candidates()} == {made.id, other.id}


def test_a_name_is_shown_as_spelled_in_the_latest_year(fresh, config):
    kind, _, unit = HOA
    key = key_of(config, HOA)
    with Register.open(fresh) as reg, reg.transaction():
        first, _ = reg.candidate(kind, "NGUYỄN THỊ HÒA", unit, key, 2023)
        newer, created = reg.candidate(
            kind, "Nguyễn Thị Hòa", "Hội Phụ nữ  xã Vạn Thắng", key, 2024
        )
        older, _ = reg.candidate(kind, "Nguyễn thị Hòa", unit, key, 2022)
        undated, _ = reg.candidate(kind, "nguyễn thị hòa", unit, key)
    assert not created and newer.id == first.id
    assert (newer.name, newer.unit) == ("Nguyễn Thị Hòa", "Hội Phụ nữ  xã Vạn Thắng")
    assert older == undated == newer  # an older year or none keeps the latest spelling
    with Register.open(fresh) as reg:
        row = reg.conn.execute("SELECT name, spelled_in FROM candidates").fetchone()
    assert tuple(row) == ("Nguyễn Thị Hòa", 2024)


def test_the_kind_is_constrained_by_the_schema(fresh):
    with Register.open(fresh) as reg, pytest.raises(sqlite3.IntegrityError):
        reg.conn.execute(
            "INSERT INTO candidates (kind, name, unit, key) VALUES ('other', 'a', 'b', 'c')"
        )


# -- dossiers ------------------------------------------------------------------------------


def test_dossiers_are_recorded_once_by_content_hash(fresh, config):
    with Register.open(fresh) as reg, reg.transaction():
        hoa, _ = reg.candidate(*HOA, key_of(config, HOA))
        assert reg.record_dossier("a" * 64, hoa.id, 2024, "huyen")
        assert not reg.record_dossier("a" * 64, hoa.id, 2024, "huyen")
        assert reg.record_dossier("b" * 64, hoa.id, 2023, "huyen")
        assert reg.record_dossier("c" * 64, None, None, None)  # an unreadable file
    with Register.open(fresh) as reg:
        assert reg.dossier_candidate("a" * 64) == hoa
        assert reg.dossier_candidate("c" * 64) is None
        assert reg.dossier_candidate("d" * 64) is None
        assert reg.dossier_hashes(hoa.id) == {"a" * 64, "b" * 64}
        rows = reg.conn.execute(
            "SELECT sha256, candidate_id, year, level FROM dossiers ORDER BY id"
        )
        assert [tuple(r) for r in rows] == [
            ("a" * 64, hoa.id, 2024, "huyen"),
            ("b" * 64, hoa.id, 2023, "huyen"),
            ("c" * 64, None, None, None),
        ]


# -- recognitions --------------------------------------------------------------------------


def test_a_recognition_is_added_same_or_a_conflict(fresh, config):
    day = dt.date(2024, 9, 20)
    with Register.open(fresh) as reg, reg.transaction():
        hoa, _ = reg.candidate(*HOA, key_of(config, HOA))
        args = (hoa.id, 2024, "huyen", hoa.name, hoa.unit)
        assert reg.add_recognition(*args, "123/QĐ-UBND", day, "recognize:a.xlsx") == "added"
        assert reg.add_recognition(*args, "123/QĐ-UBND", day, "history:b.xlsx") == "same"
        assert reg.add_recognition(*args, "999/QĐ-UBND", day, "recognize:c.xlsx") == "conflict"
        assert reg.add_recognition(*args, "123/QĐ-UBND", dt.date(2024, 9, 21), "x") == "conflict"
        assert reg.add_recognition(*args, None, None, "x") == "conflict"
    with Register.open(fresh) as reg:
        (only,) = reg.recognitions()
    assert (only.decision_no, only.decision_date, only.source) == (
        "123/QĐ-UBND",
        day,
        "recognize:a.xlsx",
    )


def test_an_unknown_decision_is_null_and_ad_hoc_its_own_column(fresh, config):
    with Register.open(fresh) as reg, reg.transaction():
        hoa, _ = reg.candidate(*HOA, key_of(config, HOA))
        hnd, _ = reg.candidate(*HND, key_of(config, HND))
        reg.add_recognition(hoa.id, 2023, "huyen", hoa.name, hoa.unit, None, None, "history:h")
        assert (
            reg.add_recognition(hoa.id, 2023, "huyen", hoa.name, hoa.unit, None, None, "h2")
            == "same"
        )
        reg.add_recognition(
            hnd.id,
            2024,
            "huyen",
            hnd.name,
            hnd.unit,
            "9/QĐ",
            dt.date(2024, 10, 30),
            "r",
            ad_hoc=True,
        )
    with Register.open(fresh) as reg:
        raw = reg.conn.execute(
            "SELECT candidate_id, decision_no, decision_date, ad_hoc FROM recognitions ORDER BY id"
        ).fetchall()
        found = {r.candidate.id: r for r in reg.recognitions()}
    assert [tuple(r) for r in raw] == [(hoa.id, None, None, 0), (hnd.id, "9/QĐ", "2024-10-30", 1)]
    assert found[hoa.id].decision_date is None and not found[hoa.id].ad_hoc
    assert found[hnd.id].ad_hoc and found[hnd.id].decision_date == dt.date(2024, 10, 30)


def test_recognitions_filtered_and_in_vietnamese_order(fresh, config):
    people = [
        ("individual", "Trần Văn Bình", "xã B"),
        ("individual", "Nguyễn Thị An", "xã A"),  # given name An before Bình
        ("collective", "Đoàn Thanh niên xã Vạn Giã", "thị trấn Vạn Giã"),
    ]
    with Register.open(fresh) as reg, reg.transaction():
        made = [reg.candidate(*who, key_of(config, who))[0] for who in people]
        for c in made:
            for year in (2024, 2023):
                reg.add_recognition(c.id, year, "huyen", c.name, c.unit, f"{year}/QĐ", None, "h")
        reg.add_recognition(made[0].id, 2024, "tinh", made[0].name, made[0].unit, "T/QĐ", None, "r")
    with Register.open(fresh) as reg:
        every = reg.recognitions()
        order = [(r.year, r.level, r.candidate.name) for r in every]
        assert order == [
            (2023, "huyen", "Đoàn Thanh niên xã Vạn Giã"),
            (2023, "huyen", "Nguyễn Thị An"),
            (2023, "huyen", "Trần Văn Bình"),
            (2024, "huyen", "Đoàn Thanh niên xã Vạn Giã"),
            (2024, "huyen", "Nguyễn Thị An"),
            (2024, "huyen", "Trần Văn Bình"),
            (2024, "tinh", "Trần Văn Bình"),
        ]
        assert [r.level for r in reg.recognitions(year=2024, level="tinh")] == ["tinh"]
        mine = reg.recognitions(made[1].id)
        assert [(r.year, r.candidate.id) for r in mine] == [(2023, made[1].id), (2024, made[1].id)]
        assert reg.recognitions(made[1].id, year=2022) == []
        assert reg.recognized(made[0].id, "huyen") == {2023, 2024}
        assert reg.recognized(made[0].id, "tinh") == {2024}
        assert reg.recognized(made[0].id, "co-so") == set()


def test_a_recognition_keeps_the_name_it_was_recorded_under(fresh, config):
    kind, _, unit = HOA
    key = key_of(config, HOA)
    with Register.open(fresh) as reg, reg.transaction():
        c, _ = reg.candidate(kind, "NGUYỄN THỊ HÒA", unit, key, 2023)
        reg.add_recognition(c.id, 2023, "huyen", "NGUYỄN THỊ HÒA", unit, "1/QĐ", None, "h")
        reg.candidate(kind, "Nguyễn Thị Hòa", unit, key, 2024)
    with Register.open(fresh) as reg:
        (r,) = reg.recognitions()
    assert r.name == "NGUYỄN THỊ HÒA" and r.candidate.name == "Nguyễn Thị Hòa"


# -- audit and transactions ----------------------------------------------------------------


def test_audit_rows_round_trip_as_sorted_json(fresh):
    with Register.open(fresh) as reg, reg.transaction():
        reg.audit(
            "rank",
            {"year": 2024, "files": {"ho-so/b.xlsx": "2", "ho-so/a.xlsx": "1"}},
            {"workbook": "ket-qua/2024/tổng hợp.xlsx", "on": dt.date(2024, 9, 20)},
            note="Hội đồng họp lần 2",
        )
        reg.audit("history import", {"file": "h.xlsx"}, {"added": 3})
    with Register.open(fresh) as reg:
        rows = reg.audit_rows()
        raw = reg.conn.execute("SELECT inputs, outputs FROM audit ORDER BY id").fetchone()
    assert [r.command for r in rows] == ["rank", "history import"]
    first = rows[0]
    assert first == AuditRow(
        first.at,
        "rank",
        {"files": {"ho-so/a.xlsx": "1", "ho-so/b.xlsx": "2"}, "year": 2024},
        {"on": "2024-09-20", "workbook": "ket-qua/2024/tổng hợp.xlsx"},
        "Hội đồng họp lần 2",
    )
    assert rows[1].note == ""
    assert raw[0] == '{"files": {"ho-so/a.xlsx": "1", "ho-so/b.xlsx": "2"}, "year": 2024}'
    assert "tổng hợp" in raw[1]  # Vietnamese kept as text, not \u escapes
    at = dt.datetime.fromisoformat(first.at)
    assert at.utcoffset() == dt.timedelta(0) and at.microsecond == 0


def test_a_failed_transaction_leaves_nothing(fresh, config):
    with Register.open(fresh) as reg:
        with pytest.raises(RuntimeError), reg.transaction():
            reg.candidate(*HOA, key_of(config, HOA))
            reg.audit("rank", {}, {})
            raise RuntimeError("interrupted")
        assert reg.candidates() == [] and reg.audit_rows() == []


def test_a_transaction_inside_a_transaction_is_a_savepoint_of_it(fresh, config):
    """A command that is one transaction calls what opens its own (build_pool): the inner
    one's failure undoes only its own writes; the outer one's undoes everything."""
    with Register.open(fresh) as reg:
        with reg.transaction():
            before = reg.changes()
            reg.candidate(*HOA, key_of(config, HOA))
            with pytest.raises(RuntimeError), reg.transaction():
                reg.candidate(*HND, key_of(config, HND))
                raise RuntimeError("inner")
            with reg.transaction():
                reg.record_dossier("a" * 64, None, 2024, "huyen")
            assert reg.changes() > before
        assert [c.name for c in reg.candidates()] == [HOA[1]]
        with pytest.raises(RuntimeError), reg.transaction():
            with reg.transaction():
                reg.candidate(*HND, key_of(config, HND))
            raise RuntimeError("outer")
        assert [c.name for c in reg.candidates()] == [HOA[1]]
        assert reg.conn.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 1
        assert not reg.conn.in_transaction


def test_a_second_writer_waits_for_the_first(fresh, config):
    waiting = threading.Event()
    done: list[object] = []

    def second() -> None:
        with Register.open(fresh, timeout=30) as reg:
            waiting.set()
            with reg.transaction():
                done.append(reg.candidate(*HND, key_of(config, HND))[1])

    with Register.open(fresh) as reg:
        with reg.transaction():
            reg.candidate(*HOA, key_of(config, HOA))
            thread = threading.Thread(target=second)
            thread.start()
            assert waiting.wait(30)
            thread.join(0.3)
            assert thread.is_alive() and done == []  # blocked on the lock, not failed
        thread.join(30)
        assert done == [True]
        assert {c.name for c in reg.candidates()} == {HOA[1], HND[1]}


def test_a_locked_register_beyond_the_timeout_is_an_error_not_a_crash(fresh):
    with (
        Register.open(fresh) as reg,
        reg.transaction(),
        pytest.raises(RegisterError) as caught,
        Register.open(fresh, timeout=0.1) as other,
        other.transaction(),
    ):
        pytest.fail("the lock is held by the first writer")
    assert caught.value.key == "register.locked" and caught.value.params["seconds"] == "0.1"


# -- opening, creating and refusing --------------------------------------------------------


def test_a_new_register_has_every_migration_and_is_not_migrated_again(path):
    with Register.open(path, create=True) as reg:
        assert reg.migrated
        assert reg.applied_migrations() == [name for name, _ in MIGRATIONS]
        assert reg.schema_version == len(MIGRATIONS) >= 3
        mode = reg.conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert reg.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert mode == "wal"
    with Register.open(path) as reg:
        assert not reg.migrated
    assert not list(path.parent.glob("*.bak"))  # nothing to back up: it was made new


def test_a_missing_register_is_refused_and_not_created(tmp_path):
    path = tmp_path / "khong-co" / ".danvan" / "register.sqlite"
    with pytest.raises(RegisterError) as caught, Register.open(path):
        pass
    assert caught.value.key == "register.missing" and caught.value.params["path"] == str(path)
    assert not (tmp_path / "khong-co").exists()


@pytest.mark.parametrize("create", [False, True])
def test_a_0_byte_register_is_refused_even_by_init(path, create):
    path.write_bytes(b"")
    with pytest.raises(RegisterError) as caught, Register.open(path, create=create):
        pass
    assert caught.value.key == "register.empty_file"
    assert path.read_bytes() == b"" and [p.name for p in path.parent.iterdir()] == [path.name]


def test_a_file_that_is_no_sqlite_is_refused_untouched(path):
    path.write_bytes(b"khong phai sqlite" * 100)
    before = snapshot(path.parent)
    with pytest.raises(RegisterError) as caught, Register.open(path):
        pass
    assert caught.value.key == "register.damaged"
    assert snapshot(path.parent) == before


def test_a_register_of_a_newer_danvan_is_refused_with_nothing_written(fresh, config):
    with Register.open(fresh) as reg, reg.transaction():
        reg.candidate(*HOA, key_of(config, HOA))
        reg.conn.execute(
            "INSERT INTO migrations (name, applied_at) VALUES ('0099_future', '2030-01-01')"
        )
    before = snapshot(fresh.parent)
    with pytest.raises(RegisterError) as caught, Register.open(fresh):
        pytest.fail("a newer register must not be opened")
    assert caught.value.key == "register.newer"
    assert caught.value.params["migrations"] == ["0099_future"]
    assert snapshot(fresh.parent) == before  # no write, no backup, no journal left behind


def _pre_0003(path: Path, config) -> dict[str, int]:
    """A register as danvan wrote it before migration 0003, with a year's worth of data."""
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
        "applied_at TEXT NOT NULL)"
    )
    initial(db)
    candidate_spelling_year(db)
    for name in ("0001_initial", "0002_candidate_spelling_year"):
        db.execute(
            "INSERT INTO migrations (name, applied_at) VALUES (?, '2024-01-05T08:00:00')", (name,)
        )
    db.executemany(
        "INSERT INTO candidates (id, kind, name, unit, key, spelled_in) VALUES (?, ?, ?, ?, ?, ?)",
        [(1, *HOA, key_of(config, HOA), 2024), (2, *HND, key_of(config, HND), 2023)],
    )
    db.executemany(
        "INSERT INTO dossiers (id, sha256, year, path, candidate_id, level, valid, total, data, "
        "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                1,
                "a" * 64,
                2024,
                "ho-so/2024/cn-hoa.xlsx",
                1,
                "huyen",
                1,
                98.5,
                '{"findings": []}',
                "t1",
            ),
            (
                2,
                "b" * 64,
                2024,
                "ho-so/2024/tt-hnd.xlsx",
                2,
                "huyen",
                0,
                88.0,
                '{"findings": ["x"]}',
                "t2",
            ),
            (3, "c" * 64, None, "ho-so/2024/hong.xlsx", None, None, 0, None, "{}", "t3"),
        ],
    )
    db.executemany(
        "INSERT INTO recognitions (id, candidate_id, year, level, decision_no, decision_date, "
        "source, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (1, 1, 2023, "huyen", "2311/QĐ-UBND", "2023-09-22", "history:ls.xlsx", "r1"),
            (2, 1, 2024, "huyen", "", "", "history:ls.xlsx", "r2"),
            (3, 2, 2024, "huyen", "9/QĐ-UBND", "2024-10-30", "ad-hoc:hd-dot-xuat.xlsx", "r3"),
            (4, 2, 2023, "huyen", "1/QĐ", "", "recognize:hd.xlsx", "r4"),
        ],
    )
    db.execute(
        "INSERT INTO audit (at, command, inputs, outputs, note) VALUES "
        "('2024-09-20T08:00:00+00:00', 'recognize', '{\"workbook\": \"hd.xlsx\"}', '{}', 'lý do')"
    )
    db.commit()
    db.close()
    return {"candidates": 2, "dossiers": 3, "recognitions": 4, "audit": 1}


def test_migration_from_the_schema_before_0003_keeps_every_row(path, config):
    counts = _pre_0003(path, config)
    with Register.open(path) as reg:
        assert reg.migrated and reg.applied_migrations() == [n for n, _ in MIGRATIONS]
        db = reg.conn
        assert [tuple(r) for r in db.execute("SELECT * FROM candidates ORDER BY id")] == [
            (1, *HOA, key_of(config, HOA), 2024),
            (2, *HND, key_of(config, HND), 2023),
        ]
        dossiers = db.execute("SELECT * FROM dossiers ORDER BY id")
        assert [d[0] for d in dossiers.description] == [
            "id",
            "sha256",
            "candidate_id",
            "year",
            "level",
        ]
        assert [tuple(r) for r in dossiers] == [
            (1, "a" * 64, 1, 2024, "huyen"),
            (2, "b" * 64, 2, 2024, "huyen"),
            (3, "c" * 64, None, None, None),
        ]
        recognitions = db.execute(
            "SELECT id, candidate_id, year, level, name, unit, decision_no, decision_date, ad_hoc, "
            "source, recorded_at FROM recognitions ORDER BY id"
        )
        assert [tuple(r) for r in recognitions] == [
            (
                1,
                1,
                2023,
                "huyen",
                HOA[1],
                HOA[2],
                "2311/QĐ-UBND",
                "2023-09-22",
                0,
                "history:ls.xlsx",
                "r1",
            ),
            (2, 1, 2024, "huyen", HOA[1], HOA[2], None, None, 0, "history:ls.xlsx", "r2"),
            (
                3,
                2,
                2024,
                "huyen",
                HND[1],
                HND[2],
                "9/QĐ-UBND",
                "2024-10-30",
                1,
                "recognize:hd-dot-xuat.xlsx",
                "r3",
            ),
            (4, 2, 2023, "huyen", HND[1], HND[2], "1/QĐ", None, 0, "recognize:hd.xlsx", "r4"),
        ]
        (backup,) = path.parent.glob("register.sqlite.*.bak")
        assert (
            [(r.command, r.inputs, r.outputs, r.note) for r in reg.audit_rows()]
            == [
                ("recognize", {"workbook": "hd.xlsx"}, {}, "lý do"),
                (  # the migration is a change of the register like any other: audited
                    "migrate",
                    {
                        "schema": ["0001_initial", "0002_candidate_spelling_year"],
                        "backup": backup.name,
                    },
                    {"applied": [n for n, _ in MIGRATIONS[2:]]},
                    "",
                ),
            ]
        )
        indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"dossiers_candidate", "recognitions_year"} <= indexes
        result = check(reg, {lv.id for lv in config.plan.levels}, config.plan.identity().key)
        assert (result.problems, result.notes) == ([], [])
        counts["audit"] += 1  # the migration's row
        assert result.counts == {**dict.fromkeys(TABLES, 0), **counts, "schema": len(MIGRATIONS)}
        by_year = {(r.candidate.id, r.year): r for r in reg.recognitions()}
        assert by_year[(1, 2024)].decision_no is None and by_year[(1, 2024)].decision_date is None
        assert by_year[(2, 2024)].ad_hoc and by_year[(2, 2024)].decision_date == dt.date(
            2024, 10, 30
        )
        assert not by_year[(2, 2023)].ad_hoc
    (backup,) = path.parent.glob("register.sqlite.*.bak")
    old = sqlite3.connect(backup)
    assert [r[0] for r in old.execute("SELECT name FROM migrations ORDER BY id")] == [
        "0001_initial",
        "0002_candidate_spelling_year",
    ]
    assert old.execute("SELECT source FROM recognitions WHERE id = 3").fetchone()[0] == (
        "ad-hoc:hd-dot-xuat.xlsx"
    )
    assert old.execute("SELECT valid, total, data FROM dossiers WHERE id = 2").fetchone() == (
        0,
        88.0,
        '{"findings": ["x"]}',
    )
    old.close()
    with Register.open(path) as reg:
        assert not reg.migrated
    assert len(list(path.parent.glob("*.bak"))) == 1


def test_migration_0006_makes_an_unknown_spelling_year_null_and_keeps_every_row(path, config):
    """A register of danvan before 0006, with a year of real data: candidates of a known
    spelling year and of none (0), their dossiers, recognitions, holds and a proposal. The
    migration (after a backup) keeps every row and reference; 0 becomes NULL; the next
    dated spelling replaces an undated one."""
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
        "applied_at TEXT NOT NULL)"
    )
    for name, step in MIGRATIONS[:5]:
        step(db)
        db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, '2025-01-05')", (name,))
    minh = ("individual", "Trần Văn Minh", "Công an xã Vạn Khánh")
    db.executemany(
        "INSERT INTO candidates (id, kind, name, unit, key, spelled_in) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (1, *HOA, key_of(config, HOA), 2024),
            (2, *HND, key_of(config, HND), 0),
            (3, *minh, key_of(config, minh), 0),
        ],
    )
    db.executemany(
        "INSERT INTO dossiers (id, sha256, candidate_id, year, level) VALUES (?, ?, ?, ?, ?)",
        [
            (1, "a" * 64, 1, 2024, "huyen"),
            (2, "b" * 64, 2, 2024, "huyen"),
            (3, "c" * 64, None, None, None),
        ],
    )
    db.executemany(
        "INSERT INTO recognitions (id, candidate_id, year, level, name, unit, decision_no, "
        "decision_date, ad_hoc, source, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                1,
                1,
                2024,
                "huyen",
                HOA[1],
                HOA[2],
                "123/QĐ-UBND",
                "2024-09-20",
                0,
                "recognize:hd.xlsx",
                "t1",
            ),
            (2, 2, 2023, "huyen", HND[1], HND[2], "9/QĐ-UBND", None, 0, "history:ls.xlsx", "t2"),
        ],
    )
    db.execute(
        "INSERT INTO holds (id, kind, name, unit, key, reason, document, since, recorded_at) "
        "VALUES (1, ?, ?, ?, ?, 'complaint', '7/CV', '2025-03-01', 't3')",
        (*minh, key_of(config, minh)),
    )
    db.execute(
        "INSERT INTO proposals (id, year, level, plan_sha256, inputs_sha256, made_at) "
        "VALUES (1, 2024, 'huyen', 'p', 'i', 't4')"
    )
    db.execute(
        "INSERT INTO proposal_entries (proposal_id, sha256, kind, status) "
        "VALUES (1, ?, 'individual', 'proposed')",
        ("a" * 64,),
    )
    db.commit()
    other = {
        t: sorted(map(tuple, db.execute(f"SELECT * FROM {t}")))
        for t in ("dossiers", "recognitions", "holds", "proposals", "proposal_entries")
    }
    db.close()
    with Register.open(path) as reg:
        assert reg.migrated and reg.applied_migrations()[-1] == "0006_spelling_year_unknown"
        rows = reg.conn.execute("SELECT id, kind, name, unit, key, spelled_in FROM candidates")
        assert sorted(map(tuple, rows)) == [
            (1, *HOA, key_of(config, HOA), 2024),
            (2, *HND, key_of(config, HND), None),
            (3, *minh, key_of(config, minh), None),
        ]
        for table, before in other.items():
            assert sorted(map(tuple, reg.conn.execute(f"SELECT * FROM {table}"))) == before
        result = check(reg, {lv.id for lv in config.plan.levels}, config.plan.identity().key)
        assert (result.problems, result.notes) == ([], [])
        (row,) = [r for r in reg.audit_rows() if r.command == "migrate"]
        assert row.outputs == {"applied": ["0006_spelling_year_unknown"]}
        with pytest.raises(sqlite3.IntegrityError):  # no year 0 any more
            reg.conn.execute("UPDATE candidates SET spelled_in = 0 WHERE id = 1")
        with reg.transaction():
            reg.candidate(HND[0], "Hội Nông dân xã Vạn Thắng ", HND[2], key_of(config, HND), 2023)
            reg.candidate(*HOA, key_of(config, HOA))  # no year: the 2024 spelling stays
        spelled = dict(reg.conn.execute("SELECT id, spelled_in FROM candidates").fetchall())
        assert spelled == {1: 2024, 2: 2023, 3: None}
    (backup,) = path.parent.glob("register.sqlite.*.bak")
    old = sqlite3.connect(backup)
    assert old.execute("SELECT spelled_in FROM candidates ORDER BY id").fetchall() == [
        (2024,),
        (0,),
        (0,),
    ]
    old.close()


def test_a_migration_that_would_break_a_reference_is_undone(path, config):
    _pre_0003(path, config)
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO dossiers (sha256, year, path, candidate_id, level, valid, total, data, "
        "recorded_at) VALUES ('d', 2024, 'x.xlsx', 99, 'huyen', 1, 90, '{}', 't')"
    )
    db.commit()
    db.close()
    with pytest.raises(RegisterError) as caught, Register.open(path):
        pass
    assert caught.value.key == "register.broken_references"
    db = sqlite3.connect(path)
    assert [r[0] for r in db.execute("SELECT name FROM migrations")] == [
        "0001_initial",
        "0002_candidate_spelling_year",
    ]
    assert "valid" in [r[1] for r in db.execute("PRAGMA table_info(dossiers)")]  # still the old
    assert db.execute("SELECT COUNT(*) FROM recognitions").fetchone()[0] == 4
    db.close()


# -- register check and rows ---------------------------------------------------------------


def test_register_check_finds_unknown_levels_broken_references_and_stale_keys(fresh, config):
    levels = {lv.id for lv in config.plan.levels}
    with Register.open(fresh) as reg:
        with reg.transaction():
            hoa, _ = reg.candidate(*HOA, key_of(config, HOA))
            old_key = "individual|trần văn minh|ubnd xã vạn phú"  # before "UBND" was an alias
            minh, _ = reg.candidate("individual", "Trần Văn Minh", "UBND xã Vạn Phú", old_key)
            reg.add_recognition(hoa.id, 2024, "huyen", hoa.name, hoa.unit, "1/QĐ", None, "h")
            reg.add_recognition(hoa.id, 2023, "quan", hoa.name, hoa.unit, "2/QĐ", None, "h")
            reg.record_dossier("a" * 64, hoa.id, 2024, "huyen")
        clean = check(reg, levels | {"quan"}, config.plan.identity().key)
        assert clean.problems == []
        (note,) = clean.notes
        assert note.render("vi") == f"đối tượng số {minh.id}: Trần Văn Minh — UBND xã Vạn Phú"
        assert note.render("en") == f"candidate #{minh.id}: Trần Văn Minh — UBND xã Vạn Phú"
        assert clean.counts == {
            **dict.fromkeys(TABLES, 0),
            "candidates": 2,
            "dossiers": 1,
            "recognitions": 2,
            "audit": 0,
            "schema": len(MIGRATIONS),
        }
        reg.conn.execute("PRAGMA foreign_keys = OFF")
        reg.conn.execute(
            "INSERT INTO dossiers (sha256, candidate_id, year, level) VALUES ('b', 99, 2024, 'huyen')"
        )
        result = check(reg, levels, config.plan.identity().key)
    assert [p.render("vi") for p in result.problems] == [  # said through the catalog
        "bảng dossiers, dòng số 2: tham chiếu tới một dòng không có của bảng candidates",
        'có lượt công nhận ở cấp "quan", cấp không có trong kế hoạch',
    ]
    assert [p.render("en") for p in result.problems] == [
        "table dossiers, row #2: refers to a missing row of candidates",
        'recognitions at the level "quan", which the plan does not have',
    ]


def test_history_rows_use_the_plans_level_names_and_the_latest_spelling(fresh, config):
    kind, _, unit = HOA
    key = key_of(config, HOA)
    with Register.open(fresh) as reg:
        with reg.transaction():
            c, _ = reg.candidate(kind, "NGUYỄN THỊ HÒA", unit, key, 2023)
            reg.add_recognition(
                c.id, 2023, "huyen", c.name, unit, "2311/QĐ-UBND", dt.date(2023, 9, 22), "h"
            )
            reg.add_recognition(c.id, 2024, "huyen", c.name, unit, None, None, "h")
            reg.candidate(kind, "Nguyễn Thị Hòa", unit, key, 2024)
            hnd, _ = reg.candidate(*HND, key_of(config, HND))
            reg.add_recognition(hnd.id, 2024, "xa-cu", hnd.name, hnd.unit, "5/QĐ", None, "h")
        recognitions = reg.recognitions()
    assert headers() == HISTORY_HEADER
    assert history_rows(recognitions, config) == [
        [2023, "Huyện", "Cá nhân", "Nguyễn Thị Hòa", unit, "2311/QĐ-UBND", dt.date(2023, 9, 22)],
        [2024, "Huyện", "Cá nhân", "Nguyễn Thị Hòa", unit, "", ""],
        [2024, "xa-cu", "Tập thể", HND[1], HND[2], "5/QĐ", ""],  # a level the plan lost: its id
    ]
    assert history_rows([], config) == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_damaged_register_is_told_in_words_with_how_to_recover(tmp_path, lang):
    """`echo x > .danvan/register.sqlite`: no SQLite English ("file is not a database"), but
    the catalog's words — damaged, what to do, the latest backup kept before a migration (or
    that there is none), `danvan register check` — and exit 2, the file left as it was."""
    from typer.testing import CliRunner

    from danvan_cli.cli import app
    from danvan_cli.usecases.workspace import init

    root = tmp_path / "ws"
    init(root)
    register = root / ".danvan" / "register.sqlite"
    register.write_text("x\n", encoding="utf-8")
    runner = CliRunner()
    for command in (
        ["history", "show"],
        ["register", "check"],
        ["history", "export"],
    ):
        result = runner.invoke(app, [*command, "--workspace", str(root), "--lang", lang])
        said = result.stderr.replace("\n", " ")
        assert result.exit_code == 2, (command, result.output)
        assert "not a database" not in said and "ngoài dự kiến" not in said, said
        if lang == "vi":
            assert f"Sổ theo dõi {register} bị hỏng" in said and "danvan register check" in said
            assert "không có bản sao lưu .bak nào" in said
        else:
            assert f"The register {register} is damaged" in said and "register check" in said
    assert register.read_text(encoding="utf-8") == "x\n"
    backup = register.with_name("register.sqlite.20240920-101010.bak")
    backup.write_bytes(b"")
    result = runner.invoke(app, ["history", "show", "--workspace", str(root)])
    assert f"Bản sao lưu gần nhất: {backup}" in result.stderr.replace("\n", " ")


def test_a_backup_that_cannot_be_written_stops_the_migration(path, monkeypatch):
    """A full disk while copying the register before a migration: a message in words (not
    the system's), the register left as it was, no half migration."""
    import errno

    from danvan_cli.cli.handler import render_error

    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
        "applied_at TEXT NOT NULL)"
    )
    for name, step in MIGRATIONS[:5]:
        step(db)
        db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, '2025-01-05')", (name,))
    db.commit()
    db.close()
    before = path.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("danvan_cli.register.store.shutil.copy2", full)
    with pytest.raises(RegisterError) as caught, Register.open(path):
        pass
    assert caught.value.key == "register.backup_failed"
    text, _ = render_error(caught.value, "vi")
    assert "ổ đĩa đã đầy [ENOSPC]" in text and "Sổ giữ nguyên" in text
    assert path.read_bytes() == before
