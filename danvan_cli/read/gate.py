"""The structural check a file passes before any reader parses it.

One read of the file: its size is refused before anything else (nothing is hashed), then
its bytes are hashed and walked, once, the way python-calamine will read them —

- .xlsx/.xlsm: the zip's directory (entries, declared and really inflated sizes), then
  exactly the parts calamine opens, found as it finds them (`_rels/.rels` → the workbook's
  folder → its relationships → every sheet it names, the shared strings, the styles), plus
  any other entry holding sheet data. Markup is read as quick-xml reads it (raw attribute
  bytes, attributes without whitespace between them, local names whatever the prefix); a
  DOCTYPE is refused outright;
- .ods: content.xml, counting `number-rows-repeated` / `number-columns-repeated`;
- .xls: the OLE compound file and its BIFF records (read.biff).

It counts cells, the extent of each sheet, strings, merges, XML bytes and markup against the
workbook-wide budgets of read.limits and stops at the first one exceeded, before any reader
allocates. What it learnt (each sheet's extent, the cells holding an error value) goes with
the bytes to the reader. Raises `FileProblem` carrying a `file.*` code.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import math
import posixpath
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from danvan_cli.i18n.catalog import Message
from danvan_cli.read import zipdir
from danvan_cli.read.biff import scan_xls
from danvan_cli.read.cells import column_letter

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

from danvan_cli.read.limits import (
    MAX_CELLS,
    MAX_COLS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SHARED_STRINGS,
    MAX_STRING_CELLS_TEXT,
    MAX_TEXT,
    MAX_UNCOMPRESSED,
    MAX_XML_BYTES,
    MAX_ZIP_ENTRIES,
    Budget,
    FileProblem,
    SheetFacts,
    over,
    size_text,
)
from danvan_cli.record import Record
from danvan_cli.text.normalize import printable

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_OFFICE_DOC = "/relationships/officeDocument"
_CUSTOM_PROPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
OUTPUT_MARK = "danvan-output"  # the custom document property every workbook danvan writes

__all__ = ["SUFFIXES", "Book", "FileProblem", "check", "check_bytes", "digest", "sniff"]


class Book(Record):
    """A file that passed the gate: its format, its bytes and digest, and per sheet (in the
    workbook's order) what the gate learnt."""

    __slots__ = ("data", "kind", "output", "parts", "sha256", "sheets", "styles")

    def __init__(
        self,
        kind: str,  # "xlsx", "ods" or "xls"
        data: bytes,
        sha256: str,
        sheets: list[SheetFacts] | None = None,
        styles: str = "",  # an .xlsx's styles part
        output: str | None = None,  # the kind of danvan output it is (its custom property)
        parts: tuple[str, ...] = (),  # the entries the gate read (an .xlsx's or .ods's)
    ) -> None:
        self.kind, self.data, self.sha256 = kind, data, sha256
        self.sheets = sheets if sheets is not None else []
        self.styles, self.output, self.parts = styles, output, parts


def _read(path: Path) -> bytes:
    """The file's bytes; its size is refused first, without reading (or hashing) it."""
    try:
        size = path.stat().st_size
        if size == 0:
            raise FileProblem("file.empty")
        if size > MAX_FILE_BYTES:
            raise FileProblem(
                "file.too_large", size=size_text(size), limit=size_text(MAX_FILE_BYTES)
            )
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FileProblem("file.unreadable", error=exc.strerror or str(exc)) from None
    if len(data) > MAX_FILE_BYTES:  # grown since stat
        raise FileProblem(
            "file.too_large", size=size_text(len(data)), limit=size_text(MAX_FILE_BYTES)
        )
    if not data:
        raise FileProblem("file.empty")
    return data


def digest(path: Path) -> str:
    """The SHA-256 of a file as validation records it: "" for a file refused by its size
    (never hashed) or one that cannot be read."""
    try:
        return hashlib.sha256(_read(path)).hexdigest()
    except FileProblem:
        return ""


def sniff(data: bytes) -> str:
    """The container by content: "zip", "ole" or raise FileProblem."""
    if data.startswith(_ZIP):
        return "zip"
    if data.startswith(_OLE):
        return "ole"
    raise FileProblem("file.format")


def check(path: Path) -> Book:
    """Read a file once and check it; the bytes, digest and facts of a workbook that passed.
    danvan writes its workbooks as .xlsx: a file of another name is never taken for one."""
    book = check_bytes(_read(path))
    if path.suffix.lower() != ".xlsx":
        book.output = None
    return book


def check_bytes(data: bytes) -> Book:
    sha = hashlib.sha256(data).hexdigest()
    try:
        return _check(data, sha)
    except FileProblem as problem:
        problem.sha256 = sha
        raise


def _check(data: bytes, sha: str) -> Book:
    budget = Budget()
    if sniff(data) == "ole":
        if _ENCRYPTION_INFO in data:  # an encrypted .xlsx: EncryptionInfo + EncryptedPackage
            raise FileProblem("file.encrypted")
        try:
            sheets = scan_xls(data, budget)
        except (IndexError, ValueError, OverflowError):
            raise FileProblem("file.unreadable", error="ole") from None
        return Book("xls", data, sha, sheets)
    crate = zipdir.entries(data)  # the directory as calamine's zip crate reads it
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if [
                (i.filename, i.header_offset, i.compress_size, i.file_size) for i in zf.infolist()
            ] != crate:
                raise zipdir.ambiguous()
            return _check_zip(zf, data, sha, budget)
    except FileProblem:
        raise
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception:  # BadZipFile, NotImplementedError (unknown zip version), CRC errors…
        raise FileProblem("file.unreadable", error="zip") from None


# -- zip containers ---------------------------------------------------------------------

_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")


def _ascii_lower(text: str) -> str:
    """Lower case as calamine's `to_ascii_lowercase`: A–Z only (an "É" stays an "É")."""
    return text.translate(_ASCII_LOWER_STR)


_ASCII_LOWER_STR = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class _Zip:
    """The entries of a zip as calamine looks them up (`build_zip_path_cache`): by the name
    with backslashes as slashes in ASCII lower case, else by the exact name asked for. Every
    entry of a name is checked (a duplicate name must not hide one)."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.by_name: dict[str, list[zipfile.ZipInfo]] = {}
        self.exact: dict[str, list[zipfile.ZipInfo]] = {}
        for info in zf.infolist():
            key = _ascii_lower(info.filename.replace("\\", "/"))
            self.by_name.setdefault(key, []).append(info)
            self.exact.setdefault(info.filename, []).append(info)
        self.scanned: set[int] = set()
        self.custom: dict[str, None] = {}  # custom-properties parts, in order, each once

    def get(self, name: str) -> list[zipfile.ZipInfo]:
        found = self.by_name.get(_ascii_lower(name))
        if found is not None:
            return found
        return self.exact.get(name, [])


def _check_entries(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ZIP_ENTRIES:
        raise FileProblem(
            "file.too_large", size=size_text(len(infos)), limit=size_text(MAX_ZIP_ENTRIES)
        )
    declared = sum(i.file_size for i in infos)
    if declared > MAX_UNCOMPRESSED:
        raise FileProblem(
            "file.too_large", size=size_text(declared), limit=size_text(MAX_UNCOMPRESSED)
        )
    for info in infos:
        if info.compress_size > info.file_size + 1024:
            # more compressed data than it claims to inflate to: a header lying about its size
            raise FileProblem("file.unreadable", error="zip size")


def _check_zip(zf: zipfile.ZipFile, data: bytes, sha: str, budget: Budget) -> Book:
    infos = zf.infolist()
    _check_entries(infos)
    z = _Zip(zf)
    if any(k.endswith("workbook.bin") for k in z.by_name):
        raise FileProblem("file.format")  # an .xlsb: a format dossiers never come in
    book: Book | None = None
    for xl_path in _workbook_folders(z, budget):
        found = _check_xlsx(z, xl_path, data, sha, budget)
        book = book or found
    content = z.get("content.xml")
    if content:
        ods = _check_ods(z, content, data, sha, budget)
        book = book or ods
    if book is None:  # a .docx, .pptx or plain zip renamed .xlsx
        raise FileProblem("file.format")
    _check_strays(z, budget)
    if book.kind == "xlsx" and not content:  # danvan writes workbooks as .xlsx, nothing else
        book.output = _output(z, budget)
    book.parts = tuple(dict.fromkeys(i.filename for i in infos if id(i) in z.scanned))
    return book


def _workbook_folders(z: _Zip, budget: Budget) -> list[str]:
    """The workbook's folder ("xl/") of every officeDocument relationship of the package
    (calamine takes the target unescaped here); its custom-properties parts are noted in
    `z.custom`."""
    folders: dict[str, None] = {}  # in order, each once
    for info in z.get("_rels/.rels"):
        for attrs in _relationships(z, info, budget):
            kind = _text(attrs.get(b"Type", b""))
            target = _unescape(_text(attrs.get(b"Target", b"")))
            if kind == _CUSTOM_PROPS:
                z.custom[posixpath.normpath(target.lstrip("/"))] = None
            if kind.endswith(_OFFICE_DOC):
                if target.lower().endswith(".bin"):
                    raise FileProblem("file.format")
                cut = target.rfind("/")
                folder = target[: cut + 1].removeprefix("/") if cut >= 0 else ""
                folders[folder] = None
                if len(folders) > _FOLDERS:
                    raise FileProblem("file.unreadable", error="officeDocument")
    return list(folders)


_FOLDERS = 4  # a package has one main document (calamine takes the last one named)


_SHEET_TYPES = ("worksheet", "chartsheet", "dialogsheet")


def _check_xlsx(z: _Zip, xl: str, data: bytes, sha: str, budget: Budget) -> Book | None:
    rels_parts = z.get(f"{xl}_rels/workbook.xml.rels")
    if not rels_parts:
        return None  # calamine gives up on this package as an .xlsx
    # Id → (Target, Type) as calamine keeps them: the Id's raw bytes, the Target as written
    # (not unescaped: "big&amp;x" names the entry "big&amp;x").
    rels: dict[bytes, tuple[str, str]] = {}
    for info in rels_parts:
        for attrs in _relationships(z, info, budget):
            if b"Id" in attrs:
                raw_target, raw_type = attrs.get(b"Target", b""), attrs.get(b"Type", b"")
                rels[attrs[b"Id"]] = (_text(raw_target), _text(raw_type))
    sheets: list[SheetFacts] = []
    for info in z.get(f"{xl}workbook.xml"):
        for name, rel_id in _sheet_list(z, info, budget):
            found = rels.get(rel_id)
            if found is None or found[1].rsplit("/", 1)[-1] not in _SHEET_TYPES:
                # calamine refuses the whole workbook (RelationshipNotFound, sheet:type)
                raise FileProblem("file.unreadable", error=f"xml {info.filename}: {name}")
            path = found[0]
            part = path[1:] if path.startswith("/") else f"{xl}{path}"
            if not z.get(part):  # a sheet no reader finds: never left unchecked
                raise FileProblem("file.unreadable", error=f"{name}: {part}")
            budget.add_sheet()
            sheets.append(SheetFacts(name, part=part))
    strings = z.get(f"{xl}sharedStrings.xml")
    longest, exact = 0, True
    for info in strings:
        found_len, precise = _strings_of(z, info, budget)
        longest, exact = max(longest, found_len), exact and precise
    styles = z.get(f"{xl}styles.xml")
    for info in styles:
        part_data = _part(z, info, budget)
        if _plain(part_data):
            budget.add_styles(part_data.count(b"<xf") + part_data.count(b":xf"))
        else:
            _parse(part_data, _Styles(budget), info.filename, budget)
    string_cells = 0
    for sheet in sheets:
        for info in z.get(sheet.part):
            scan = _sheet_of(z, info, budget)
            sheet.rows = max(sheet.rows, scan.max_row)
            sheet.cols = max(sheet.cols, scan.max_col)
            sheet.errors.update(scan.errors)
            string_cells += scan.string_cells
        budget.add_extent(sheet.rows, sheet.cols)
    if not exact and string_cells * longest > MAX_STRING_CELLS_TEXT:
        longest = max((_shared_strings(z, info, budget) for info in strings), default=0)
    budget.check_strings(string_cells, longest)
    return Book("xlsx", data, sha, sheets, styles[0].filename if styles else "")


# -- reading a part ----------------------------------------------------------------------
#
# A part is read whole, at most what is left of the XML budget (32 MB over the workbook),
# and its markup counted before anything is parsed: every "<" (an element, its end, a
# comment…) and every "=" (an attribute) against MAX_ELEMENTS. The work that follows —
# C-speed counts, or the parser below — is bounded by those counts, so the same file always
# gets the same verdict, whatever the machine's load.


def _part(z: _Zip, info: zipfile.ZipInfo, budget: Budget) -> bytes:
    z.scanned.add(id(info))
    room = max(MAX_XML_BYTES - budget.xml, 0)
    with z.zf.open(info) as fh:
        data = fh.read(room + 1)
    budget.add_xml(len(data))  # over the room: file.too_large
    budget.add_elements(data.count(b"<"))
    return data


def _plain(data: bytes) -> bool:
    """A part as Excel, LibreOffice and openpyxl write it: UTF-8, no DOCTYPE, comment,
    CDATA or processing instruction past the XML declaration (single-byte searches first:
    a "?" or a "!" is rare past the declaration)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
        return False
    after = data.find(b"?>") + 2 if data.startswith(b"<?xml") else 0
    if data.find(b"?", after) >= 0 and _PI.search(data, after):
        return False
    return data.find(b"!") < 0 or b"<!" not in data


# -- the fast path: C-speed counts that bound a sheet, the parser when unsure ------------
#
# A dossier's sheet is small and plain. For such a part a few counts give an upper bound of
# what calamine will see (every <c> counted as a cell, placed where its r says); when the
# counts agree and the bound is within the budgets the part is accepted as it is. Anything
# unusual — a DOCTYPE, a comment, CDATA, a processing instruction, UTF-16, a prefixed
# element, an r or t attribute spelt any other way than ` r="`, a second r, an error value,
# more than _FAST_CELLS cells, a bound over a limit — goes to the parser, which decides. The
# fuzz tests hold both to what the reader then really reads.

_PI = re.compile(rb"<\?(?!xml[\s?])")
_SI = re.compile(rb"<(?:[^\s<>/!?:\"'=]++:)?si(?=[\s/>])")
# A cell's tag exactly as Excel, LibreOffice and openpyxl write it: r first, then only s, t
# and Excel's cm, vm, ph, double-quoted, nothing else (no second r, no other spelling).
_CANON_C = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: (?:s|t|cm|vm|ph)="[^"<>&]*")*[ \t\n\r]*/?>'
)
_OTHER_C = re.compile(rb'<c(?:[\t\n\r/>]| (?!r="))')  # a <c> opening any other way
_PREFIXED = re.compile(rb":(?:c[ \t\n\r/>]|row|mergeCell)")
_FAST_CELLS = 50_000  # more <c> than this: the parser counts them (a dossier has hundreds)


class _Fast:
    __slots__ = ("errors", "max_col", "max_row", "string_cells")

    def __init__(self) -> None:
        self.max_row = self.max_col = self.string_cells = 0
        self.errors: dict[tuple[int, int], str] = {}


def _fastest(data: bytes, budget: Budget) -> _Fast | None:
    """The usual sheet: every <c> is a canonical tag (`<c r="D9" s="3" t="s">`), so calamine
    reads exactly its r and t; rows then do not matter (every cell has its r). Proved by
    counting: the canonical tags must be every <c> there is. The extent is then the largest
    r. None (the parser decides) whenever a count does not agree."""
    if _PREFIXED.search(data) or _OTHER_C.search(data):
        return None
    opens = data.count(b'<c r="')
    if opens > _FAST_CELLS or data.count(b' t="e"'):
        return None  # many cells: counted by the parser; error values: it keeps their text
    refs = _CANON_C.findall(data)  # at most _FAST_CELLS
    if len(refs) != opens:
        return None
    out = _Fast()
    out.string_cells = data.count(b' t="s"')
    merges = data.count(b"<mergeCell") - data.count(b"<mergeCells")
    if refs:
        rows = max(int(d) for _, d in refs)
        cols = max(_column(x.decode()) for x in {a for a, _ in refs}) + 1
        if rows < 1 or rows > MAX_ROWS or cols > MAX_COLS:
            return None  # the parser names the cell
        if rows * cols + len(refs) > MAX_CELLS - budget.cells:
            return None
        out.max_row, out.max_col = rows, cols
    budget.add_merges(merges)  # every merge, on every path
    budget.add_extent(1, len(refs))  # the cells themselves, counted with the extents
    return out


def _sheet_of(z: _Zip, info: zipfile.ZipInfo, budget: Budget) -> _Fast | _SheetScan:
    data = _part(z, info, budget)
    if _plain(data):
        inline = b"inlineStr" in data or b"<is" in data or b":is" in data
        if not inline or len(data) <= MAX_TEXT - budget.text:
            fast = _fastest(data, budget)
            if fast is not None:
                if inline:  # inline strings' text is bounded by the part's bytes
                    budget.add_text(len(data))
                return fast
    scan = _SheetScan(budget)
    _parse(data, scan, info.filename, budget)
    scan.close()
    return scan


def _strings_of(z: _Zip, info: zipfile.ZipInfo, budget: Budget) -> tuple[int, bool]:
    """The shared strings' longest string (an upper bound from the fast path, or exact)."""
    data = _part(z, info, budget)
    if _plain(data) and len(data) <= MAX_TEXT - budget.text:
        _declared_strings(data, info.filename)
        if data.count(b"si") <= 2 * MAX_SHARED_STRINGS + 2:  # (each <si> and </si>)
            starts = [m.start() for m in _SI.finditer(data)]
            if len(starts) > MAX_SHARED_STRINGS:
                raise over("strings", len(starts), MAX_SHARED_STRINGS)
            budget.add_text(len(data))
            # every string's text lies between two <si> found (or the part's start or end):
            # one the search missed (`<a!b:si>`) only makes a longer span
            cuts = [0, *starts, len(data)]
            return max(b - a for a, b in itertools.pairwise(cuts)), False
    strings = _Strings(budget)
    _parse(data, strings, info.filename, budget)
    budget.add_text(strings.chars)
    return strings.longest, True


def _declared_strings(data: bytes, name: str) -> None:
    """The counts the first <sst> declares, read as calamine reads them (it reserves room for
    uniqueCount strings before reading one; `<sst count="1"uniqueCount="9999999999">` too):
    the first start tag whose local name is sst, found by walking the markup as calamine
    does (`<a!b:sst …>` is one)."""
    for m in _MARKUP.finditer(_utf8(data)):
        group = m.lastindex
        if group != 5:
            if group in (3, 6):
                return  # calamine fails before it reads a string
            continue
        tag, attrs, _ = _start_tag(m)
        if tag[tag.find(b":") + 1 :] != b"sst":
            continue
        try:
            for key in (b"uniqueCount", b"count"):
                declared = _int(_text(_raw_attr(attrs, key) or b""))
                if declared is not None and declared > MAX_SHARED_STRINGS:
                    raise over("strings", declared, MAX_SHARED_STRINGS)
        except _BadAttributes:
            raise FileProblem("file.unreadable", error=f"xml {name}: sst") from None
        return


def _shared_strings(z: _Zip, info: zipfile.ZipInfo, budget: Budget) -> int:
    """The exact longest shared string (the fast path's bound was too coarse)."""
    strings = _Strings(budget)
    with z.zf.open(info) as fh:
        data = fh.read(MAX_XML_BYTES + 1)  # already counted against the budgets
    _parse(data, strings, info.filename, budget)
    return strings.longest


_PACKAGE_PARTS = ("docprops/", "[content_types].xml", "customxml/")


def _check_strays(z: _Zip, budget: Budget) -> None:
    """Defence in depth: any other entry that holds sheet data, whatever its name or
    extension, is held to the same limits, should a reader find it by a path this gate did
    not foresee."""
    for key, infos in z.by_name.items():
        if key.startswith(_PACKAGE_PARTS) or "/theme/" in key:
            continue  # the package's own parts: found by exactly their relationships
        for info in infos:
            if id(info) in z.scanned:
                continue
            with z.zf.open(info) as fh:
                head = fh.read(min(info.file_size, 1 << 20))
            if b"sheetData" in head or b"table-row" in head:
                scan = _SheetScan(budget)
                _parse(_part(z, info, budget), scan, info.filename, budget)
                scan.close()
                budget.add_extent(scan.max_row, scan.max_col)


# -- XML as quick-xml reads it -----------------------------------------------------------
#
# calamine reads XML with quick-xml, which is no validating parser: attributes need no
# whitespace between them (`<c t="n"r="B2">`), a name may repeat, end tags need not match,
# and calamine takes an attribute's raw bytes (r, t, Id, Target…: "&#49;" stays "&#49;").
# The parser below reads markup exactly that way: a start or end tag runs to the first ">"
# outside quotes, its name to the first XML whitespace (quotes, "!", "?" and "/" are part
# of it: `<a!b:c r="…">` is a cell), its local name after the first ":"; a start tag ending
# in "/" is empty; attributes are split as calamine's RawAttrIter splits them. What
# quick-xml would refuse (markup that never closes — a comment without "-->", a "<?"
# without "?>" — or an attribute without "=" or quotes in an element calamine reads) is
# file.unreadable; a DOCTYPE is refused outright (file.unsafe), so no entity is ever
# expanded.
#
# The expression is linear in the part: every alternative is told apart by the character
# after "<", quantifiers are possessive (no backtracking into a name or a quoted value), and
# an alternative that fails for want of its end ends the walk (group 6), so no "<" is
# scanned to the end of the part twice.

_MARKUP = re.compile(
    rb"""<(?:
      /((?:[^"'>]++|"[^"]*+"|'[^']*+')*+)>              # 1: an end tag
    | !--.*?-->                                        # a comment
    | !\[CDATA\[(.*?)\]\]>                             # 2: CDATA
    | \?.*?\?>                                         # a processing instruction
    | (![^>]*+)>                                       # 3: a declaration (DOCTYPE)
    | (?![/?!])([^ \t\r\n"'>]*+)                        # 4: a start tag's name (if unquoted)
      ((?:[^"'>]++|"[^"]*+"|'[^']*+')*+)>              # 5: the rest: attributes, a "/"
    | ()                                               # 6: markup that never closes
    )""",
    re.S | re.X,
)
_XML_WS = b" \t\n\r"  # quick-xml's is_whitespace: what ends a name
_NAME = re.compile(rb"[^ \t\n\r]*+")
_WS = b" \t\n\r\x0c"  # Rust's is_ascii_whitespace
_SKIP_WS = re.compile(rb"[ \t\n\r\x0c]*")
_ENTITY = re.compile(r"&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _entity(m: re.Match[str]) -> str:
    if m.group(3):
        return _NAMED[m.group(3)]
    try:
        return chr(int(m.group(1), 16) if m.group(1) else int(m.group(2)))
    except (ValueError, OverflowError):
        return "\ufffd"


def _unescape(text: str) -> str:
    """quick-xml's unescape: the five named entities and character references."""
    return _ENTITY.sub(_entity, text) if "&" in text else text


class _BadAttributes(Exception):
    """An attribute quick-xml cannot split (no "=", no quotes)."""


# attributes as Excel and LibreOffice write them: split by whitespace, double-quoted; for
# these the regular expressions below split exactly as RawAttrIter does
_PLAIN_ATTRS = re.compile(rb'(?:[ \t\n\r]+[^\s="\'<>]+="[^"]*")*[ \t\n\r]*')
_ATTR = re.compile(rb'([^\s="\'<>]+)="([^"]*)"')


def _attributes(raw: bytes) -> list[tuple[bytes, bytes]]:
    """(key, raw value) of a start tag's attributes, split as calamine's RawAttrIter does:
    whitespace skipped, the key up to "=" (trailing whitespace trimmed), a quoted value up
    to its closing quote (or the end). Raises _BadAttributes where it yields an error."""
    if _PLAIN_ATTRS.fullmatch(raw):
        return _ATTR.findall(raw)
    return list(_split_attributes(raw))


def _split_attributes(raw: bytes) -> Iterator[tuple[bytes, bytes]]:
    pos, n = 0, len(raw)
    while True:
        pos = _SKIP_WS.match(raw, pos).end()  # type: ignore[union-attr]
        if pos >= n:
            return
        eq = raw.find(b"=", pos)
        if eq < 0:
            raise _BadAttributes
        key = raw[pos:eq].rstrip(_WS)
        q = _SKIP_WS.match(raw, eq + 1).end()  # type: ignore[union-attr]
        if q >= n or raw[q] not in (34, 39):
            raise _BadAttributes
        close = raw.find(raw[q : q + 1], q + 1)
        if close < 0:
            yield key, raw[q + 1 :]
            return
        yield key, raw[q + 1 : close]
        pos = close + 1


def _get_attrs(raw: bytes, keys: tuple[bytes, ...]) -> dict[bytes, bytes]:
    """calamine's `get_attrs!`: one pass, each of `keys` found counted (a repeated key counts
    again and its later value wins) until as many were found as there are keys."""
    found: dict[bytes, bytes] = {}
    count = 0
    for key, value in _lazy_attributes(raw):
        if key in keys:
            found[key] = value
            count += 1
            if count == len(keys):
                break
    return found


def _raw_attr(raw: bytes, key: bytes) -> bytes | None:
    """calamine's `raw_attr`: the first attribute of that exact name."""
    for k, value in _lazy_attributes(raw):
        if k == key:
            return value
    return None


def _lazy_attributes(raw: bytes) -> Iterable[tuple[bytes, bytes]]:
    """The attributes, an error raised only when the walk reaches it (as calamine stops at
    the keys it wants)."""
    if _PLAIN_ATTRS.fullmatch(raw):
        return _ATTR.findall(raw)
    return _split_attributes(raw)


def _utf8(data: bytes) -> bytes:
    """The part as UTF-8 bytes (UTF-16, found by its BOM or its first "<", re-encoded)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    for head, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(head):
            return data[2:].decode(codec, "replace").encode("utf-8")
    for head, codec in ((b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be")):
        if data.startswith(head):
            return data.decode(codec, "replace").encode("utf-8")
    return data


def _parse(data: bytes, handler: _Handler, name: str, budget: Budget) -> None:
    """Walk a part's markup as quick-xml does (empty elements expanded to a start and an
    end), calling the handler with each element's local name and raw attributes."""
    data = _utf8(data)
    budget.add_elements(data.count(b"="))  # attributes: parsed one by one below
    start, end = handler.start, handler.end
    pos = 0
    try:
        for m in _MARKUP.finditer(data):
            if handler.texting and m.start() > pos:
                handler.text(data[pos : m.start()])
            pos = m.end()
            group = m.lastindex
            if group == 5:
                tag, attrs, empty = _start_tag(m)
                local = tag[tag.find(b":") + 1 :]
                start(local, attrs)
                if empty:
                    end(local)
            elif group == 1:
                tag = m.group(1).rstrip(_XML_WS)
                end(tag[tag.find(b":") + 1 :])
            elif group == 2:
                if handler.texting:
                    handler.text(m.group(2))
            elif group == 3:
                if m.group(3)[1:8].upper() == b"DOCTYPE":
                    raise _unsafe("doctype")
                raise _BadAttributes
            elif group == 6:
                raise _BadAttributes
        if handler.texting and pos < len(data):
            handler.text(data[pos:])
    except _BadAttributes:
        raise FileProblem("file.unreadable", error=f"xml {name}: {pos}") from None


def _start_tag(m: re.Match[bytes]) -> tuple[bytes, bytes, bool]:
    """A start tag's name, its attributes, and whether it is empty (ends in "/"), as
    quick-xml splits them: the name runs to the first XML whitespace, quotes included."""
    tag, attrs = m.group(4, 5)
    if not attrs:
        if tag.endswith(b"/"):  # <c/>
            return tag[:-1], attrs, True
        return tag, attrs, False
    if attrs[0] in _QUOTES:  # a quote in the name: <a"b:c r="…"> (rare)
        content = tag + attrs
        empty = content.endswith(b"/")
        if empty:
            content = content[:-1]
        cut = _NAME.match(content).end()  # type: ignore[union-attr]
        return content[:cut], content[cut:], empty
    if attrs.endswith(b"/"):
        return tag, attrs[:-1], True
    return tag, attrs, False


_QUOTES = b"\"'"


def _unsafe(reason: str) -> FileProblem:
    return FileProblem("file.unsafe", reason=Message(f"unsafe.{reason}"))


class _Handler:
    """What a part's walk does with its elements (the base: nothing, the part is only
    checked for being readable and safe). `texting`: the text now goes to `text`."""

    texting = False

    def start(self, local: bytes, attrs: bytes) -> None:
        pass

    def end(self, local: bytes) -> None:
        pass

    def text(self, data: bytes) -> None:
        pass


class _Styles(_Handler):
    """A styles part walked: its cell formats counted (a reader builds one object each)."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget

    def start(self, local: bytes, attrs: bytes) -> None:
        if local == b"xf":
            self.budget.add_styles(1)


class _Collect(_Handler):
    """The attributes calamine reads of the elements of one local name."""

    def __init__(self, local: bytes, keys: tuple[bytes, ...] | None) -> None:
        self.local = local
        self.keys = keys
        self.found: list[dict[bytes, bytes]] = []
        self.items: list[list[tuple[bytes, bytes]]] = []

    def start(self, local: bytes, attrs: bytes) -> None:
        if local == self.local:
            try:
                if self.keys is None:
                    self.items.append(_attributes(attrs))  # every one, in order
                else:
                    self.found.append(_get_attrs(attrs, self.keys))
            except _BadAttributes:  # calamine refuses the workbook
                raise FileProblem("file.unreadable", error=f"xml {local!r}") from None


def _relationships(z: _Zip, info: zipfile.ZipInfo, budget: Budget) -> list[dict[bytes, bytes]]:
    collect = _Collect(b"Relationship", (b"Id", b"Type", b"Target"))
    _parse(_part(z, info, budget), collect, info.filename, budget)
    return collect.found


def _sheet_list(z: _Zip, info: zipfile.ZipInfo, budget: Budget) -> list[tuple[str, bytes]]:
    """(name, relationship id) of each <sheet> of workbook.xml: the name unescaped, the id
    the raw bytes of the last attribute whose local name is "id", as calamine takes them."""
    collect = _Collect(b"sheet", None)
    _parse(_part(z, info, budget), collect, info.filename, budget)
    out = []
    for attrs in collect.items:
        rel_id, name = b"", b""
        for key, value in attrs:  # in order: the last of each wins
            if key == b"id" or key.endswith(b":id"):
                rel_id = value
            elif key == b"name":
                name = value
        out.append((_unescape(_text(name)), rel_id))
    return out


class _Strings(_Handler):
    texting = True

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.count = 0
        self.current = 0
        self.longest = 0
        self.chars = 0

    def start(self, local: bytes, attrs: bytes) -> None:
        if local == b"si":
            self.count += 1
            if self.count > MAX_SHARED_STRINGS:
                raise over("strings", self.count, MAX_SHARED_STRINGS)
            self.current = 0
        elif local == b"sst":
            for key in (b"uniqueCount", b"count"):
                declared = _int(_text(_raw_attr(attrs, key) or b""))
                if declared is not None and declared > MAX_SHARED_STRINGS:
                    raise over("strings", declared, MAX_SHARED_STRINGS)

    def end(self, local: bytes) -> None:
        if local == b"si":
            self.longest = max(self.longest, self.current)

    def text(self, data: bytes) -> None:
        n = len(_text(data))
        self.current += n
        self.chars += n
        if self.chars > 1 << 16:
            self.budget.add_text(self.chars)
            self.chars = 0


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None


_REF = re.compile(r"([A-Za-z]*)([0-9]+)")


@lru_cache(maxsize=4096)
def _column(letters: str) -> int:
    if len(letters) > 7:  # far beyond any sheet (and no big-number arithmetic on 1 MB of it)
        return 1 << 40
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def ref(text: str) -> tuple[int, int] | None:
    """A cell reference as calamine reads it ("D9", "xfd1048576"): 0-based (row, column),
    column -1 when it has none; None when calamine would refuse it."""
    m = _REF.fullmatch(text)
    if m is None:
        return None
    digits = m.group(2).lstrip("0")
    row = int(digits or "0") - 1 if len(digits) <= 12 else 1 << 40  # far, whatever its digits
    if row < 0:
        return None
    return row, (_column(m.group(1)) if m.group(1) else -1)


def _place(raw: bytes) -> tuple[int, int] | None:
    """Where an r puts a cell or row. A reference calamine cannot read ("&#88;FD9") makes it
    refuse the sheet; the gate counts the cell where the unescaped reference would put it
    (any reader that unescapes it sees it there)."""
    text = _text(raw)
    where = ref(text)
    if where is None and "&" in text:
        where = ref(_unescape(text))
    return where


def _too_far(row: int, col: int) -> FileProblem:
    letters = column_letter(col) if 0 <= col < 1 << 20 else "?"
    return FileProblem(
        "file.sheet_too_large", cell=f"{letters}{row + 1}", rows=MAX_ROWS, cols=MAX_COLS
    )


_CELL_KEYS = (b"r", b"s", b"t")


class _SheetScan(_Handler):
    """A worksheet part as calamine's cell reader walks it: a <row> with r sets the row, the
    end of a row moves to the next one; a <c> with r sets its position, one without it takes
    the next column. A cell with any child (value, formula, inline string) is a cell calamine
    keeps; the sheet's extent is checked as each one closes. Cells, merges and inline text
    are added to the budget as they come."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.row = 0
        self.col = 0
        self.max_row = 0
        self.max_col = 0
        self.pos: tuple[int, int] | None = None
        self.kind = b""
        self.style = b""
        self.filled = False
        self.string_cells = 0
        self.errors: dict[tuple[int, int], str] = {}
        self.error_text: list[str] | None = None
        self.inline = False
        self.pending = 0  # cells and merges not yet added to the budget

    def start(self, local: bytes, attrs: bytes) -> None:
        if self.pos is not None:  # a child of the open cell
            self.filled = True
            if local == b"v" and self.kind == b"e":
                self.error_text = []
                self.texting = True
            elif local == b"is":  # an inline string: its text counts like shared strings
                self.inline = self.texting = True
            return
        if local == b"c":
            try:
                found = _get_attrs(attrs, _CELL_KEYS)
            except _BadAttributes:
                raise FileProblem("file.unreadable", error="xml c") from None
            r = found.get(b"r")
            where = _place(r) if r is not None else (self.row, self.col)
            if where is None or where[1] < 0:
                where = (self.row, self.col)  # calamine refuses the sheet; count it anyway
            self.pos = where
            self.col = where[1]
            self.kind = found.get(b"t", b"")
            self.style = found.get(b"s", b"")
            self.filled = False
        elif local == b"row":
            try:
                r = _raw_attr(attrs, b"r")
            except _BadAttributes:
                raise FileProblem("file.unreadable", error="xml row") from None
            if r is not None:
                where = _place(r)
                if where is not None:
                    self.row = where[0]
        elif local == b"mergeCell":
            self.budget.add_merges(1)

    def end(self, local: bytes) -> None:
        if local == b"c" and self.pos is not None:
            row, col = self.pos
            if self.filled:
                if row >= MAX_ROWS or col >= MAX_COLS:
                    raise _too_far(row, col)
                if row >= self.max_row:
                    self.max_row = row + 1
                if col >= self.max_col:
                    self.max_col = col + 1
                if self.kind == b"s":
                    self.string_cells += 1
                self.kept()
            self.pos = None
            self.col += 1
        elif local == b"row":
            self.row += 1
            self.col = 0
        elif local == b"v" and self.error_text is not None:
            if self.pos is not None:
                self.errors[self.pos] = printable("".join(self.error_text)).strip()[:40]
            self.error_text = None
            self.texting = False
        elif local == b"is":
            self.inline = self.texting = False

    def kept(self) -> None:
        """A cell calamine keeps: each one an entry it allocates, wherever it is."""
        self.pending += 1
        if self.pending == 0x1000:
            self.budget.add_extent(1, self.pending)
            self.pending = 0

    def close(self) -> None:
        self.budget.add_extent(1, self.pending)
        self.pending = 0

    def text(self, data: bytes) -> None:
        if self.error_text is not None:
            self.error_text.append(_unescape(_text(data)))
        elif self.inline:
            self.budget.add_text(len(data))


# -- OpenDocument -----------------------------------------------------------------------

# cell attributes whose text calamine copies into every cell the cell is repeated to
_ODS_TEXT = (b"string-value", b"date-value", b"time-value", b"boolean-value", b"formula")
_ODS_VALUE = {b"value", b"value-type", *_ODS_TEXT}
_ODS_ONE_CHAR = {b"tab", b"line-break", b"p"}  # a tab, a newline, a paragraph's newline


class _OdsScan(_Handler):
    """content.xml as calamine's ODS reader walks it: a row repeated n times advances n rows,
    a cell repeated n times n columns; a non-empty cell is materialised once per repeat (and
    a non-empty row once per repeat), so the extent counts the repeats, and so does the
    text: the cell's own, `<text:s text:c="N"/>` as N spaces, its formula and its string,
    date, time or boolean value, each copied into every repeat."""

    texting = False

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.sheets: list[SheetFacts] = []
        self.sheet: SheetFacts | None = None
        self.row = 0
        self.row_repeat = 1
        self.row_filled = 0  # columns up to the last non-empty cell of the open row
        self.col = 0
        self.cell_repeat = 0
        self.cell_filled = False
        self.cell_text = 0
        self.in_cell = False
        self.error: list[str] | None = None

    def _grow(self, n: int) -> None:
        """Text of the open cell: counted at once, times every copy calamine makes."""
        self.cell_text += n
        self.budget.add_text(n * self.cell_repeat * self.row_repeat)

    def start(self, local: bytes, attrs: bytes) -> None:
        if self.in_cell:
            self.cell_filled = True
            if local == b"s":
                try:
                    count = _int(_text(_ods_attr(attrs, b"c") or b"1"))
                except _BadAttributes:
                    raise FileProblem("file.unreadable", error="xml text:s") from None
                self._grow(max(count or 1, 1))
            elif local in _ODS_ONE_CHAR:
                self._grow(1)
            return
        if local == b"table":
            self._close_sheet()
            self.budget.add_sheet()
            name = _ods_attr(attrs, b"name", prefix=b"table:") or b""
            self.sheet = SheetFacts(_unescape(_text(name)))
            self.row = 0
        elif local == b"table-row" and self.sheet is not None:
            self.row_repeat = _repeat(attrs, b"number-rows-repeated")
            self.col = 0
            self.row_filled = 0
        elif local in (b"table-cell", b"covered-table-cell") and self.sheet is not None:
            self.in_cell = self.texting = True
            self.cell_repeat, self.cell_filled, text = 1, False, 0
            for key, value in _ods_items(attrs):
                name = key[key.rfind(b":") + 1 :]
                if name in _ODS_VALUE:
                    self.cell_filled = True
                    if name in _ODS_TEXT:
                        text += len(value)
                    elif name == b"value-type" and value == b"error":
                        self.error = []
                elif name == b"number-columns-repeated":
                    n = _int(_text(value))
                    if n is not None and n > self.cell_repeat:
                        self.cell_repeat = n
            self.cell_text = 0
            self._grow(text)

    def end(self, local: bytes) -> None:
        sheet = self.sheet
        if local in (b"table-cell", b"covered-table-cell") and self.in_cell:
            self.in_cell = self.texting = False
            end = self.col + self.cell_repeat
            if self.cell_filled and sheet is not None:
                if end > MAX_COLS:
                    raise _too_far(self.row, end - 1)
                self.row_filled = max(self.row_filled, end)
                if self.error is not None:
                    text = printable("".join(self.error)).strip()[:40]
                    for c in range(self.col, end):
                        sheet.errors[(self.row, c)] = text
            self.error = None
            self.col = end
        elif local == b"table-row" and sheet is not None:
            if self.row_filled:
                last = self.row + self.row_repeat
                if last > MAX_ROWS:
                    raise _too_far(last - 1, self.row_filled - 1)
                sheet.rows = max(sheet.rows, last)
                sheet.cols = max(sheet.cols, self.row_filled)
            self.row += self.row_repeat
        elif local == b"table":
            self._close_sheet()

    def text(self, data: bytes) -> None:
        self.cell_filled = True
        self._grow(len(data))
        if self.error is not None:
            self.error.append(_unescape(_text(data)))

    def _close_sheet(self) -> None:
        if self.sheet is not None:
            self.budget.add_extent(self.sheet.rows, self.sheet.cols)
            self.sheets.append(self.sheet)
            self.sheet = None


def _local(key: bytes) -> bytes:
    return key[key.rfind(b":") + 1 :]


def _ods_items(attrs: bytes) -> list[tuple[bytes, bytes]]:
    try:
        return list(_attributes(attrs))
    except _BadAttributes:
        raise FileProblem("file.unreadable", error="xml table-cell") from None


def _ods_attr(attrs: bytes, local: bytes, prefix: bytes = b"") -> bytes | None:
    """The first attribute of that local name (`prefix`: the one calamine reads first)."""
    items = _ods_items(attrs)
    for key, value in items:
        if prefix and key == prefix + local:
            return value
    for key, value in items:
        if _local(key) == local:
            return value
    return None


def _repeat(attrs: bytes, local: bytes, items: list[tuple[bytes, bytes]] | None = None) -> int:
    """A repeat count (any prefix); a count calamine could not parse is 1 to it, and the
    largest one given is taken."""
    found = 1
    for key, value in items if items is not None else _ods_items(attrs):
        if _local(key) == local:
            n = _int(_text(value))
            if n is not None and n > found:
                found = n
    return found


def _check_ods(
    z: _Zip, content: list[zipfile.ZipInfo], data: bytes, sha: str, budget: Budget
) -> Book:
    scan = _OdsScan(budget)
    for info in content:
        _parse(_part(z, info, budget), scan, info.filename, budget)
    scan._close_sheet()
    return Book("ods", data, sha, scan.sheets)


# -- error values calamine does not know ------------------------------------------------

# The error values calamine reads (src/xlsx: CellErrorType); any other ("#SPILL!", "#CALC!",
# "#FIELD!"…) fails the whole sheet.
CALAMINE_ERRORS = frozenset(
    {b"#DIV/0!", b"#N/A", b"#NAME?", b"#NULL!", b"#NUM!", b"#REF!", b"#VALUE!"}
)


def known_errors_copy(book: Book) -> bytes:
    """A copy of an .xlsx that passed the gate, for calamine to read a sheet it could not:
    only the entries the gate read (nothing unbounded), stored, its sheets made readable
    (`_readable`). The reader puts each error cell's own text back (the gate noted it): an
    error value or an odd number in one cell never makes a file unreadable."""
    wanted = set(book.parts)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(book.data)) as zf,
        zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy,
    ):
        z = _Zip(zf)
        sheets = {id(info) for facts in book.sheets if facts.part for info in z.get(facts.part)}
        for info in zf.infolist():
            if info.filename not in wanted:
                continue
            with zf.open(info) as fh:
                part = fh.read(MAX_XML_BYTES + 1)  # read and bounded by the gate already
            if id(info) in sheets:
                part = _readable(part)
            copy.writestr(zipfile.ZipInfo(info.filename, info.date_time), part)
    return out.getvalue()


def _readable(data: bytes) -> bytes:
    """A sheet part as calamine converts it whole: every error value it does not know
    written "#N/A", and a number no date or duration can hold (not finite, or a billion
    days and more) stripped of its cell's style, so that it stays a number. Cells are
    found as _SheetScan finds them; the part keeps its encoding."""
    codec = _codec(data)
    text = _utf8(data)
    edits: list[tuple[int, int, bytes]] = []
    in_cell, kind, value_at, tag_at = False, b"", -1, (0, 0)
    found: dict[bytes, bytes] = {}
    for m in _MARKUP.finditer(text):
        group = m.lastindex
        if group == 5:
            tag, attrs, empty = _start_tag(m)
            local = tag[tag.find(b":") + 1 :]
            if in_cell:
                if local == b"v" and not empty:
                    value_at = m.end()
            elif local == b"c" and not empty:
                try:
                    found = _get_attrs(attrs, _CELL_KEYS)
                except _BadAttributes:
                    return data  # calamine refuses it whatever the value
                kind, in_cell, tag_at = found.get(b"t", b""), True, (m.start(), m.end())
        elif group == 1:
            tag = m.group(1).rstrip(_XML_WS)
            local = tag[tag.find(b":") + 1 :]
            if local == b"v" and value_at >= 0:
                value = text[value_at : m.start()]
                if kind == b"e" and value not in CALAMINE_ERRORS:
                    edits.append((value_at, m.start(), b"#N/A"))
                elif kind in (b"", b"n") and b"s" in found and _no_date(value):
                    edits.append((*tag_at, _unstyled(text[tag_at[0] : tag_at[1]], found)))
                    found = {k: v for k, v in found.items() if k != b"s"}
                value_at = -1
            elif local == b"c":
                in_cell, value_at = False, -1
        elif group in (3, 6):
            break
    if not edits:
        return data
    pieces, last = [], 0
    for start, end, new in sorted(edits):
        pieces += [text[last:start], new]
        last = end
    rewritten = b"".join([*pieces, text[last:]])
    return rewritten if codec is None else rewritten.decode().encode(codec)


def _no_date(value: bytes) -> bool:
    """A number calamine would fail to turn into a date, time or duration in a styled cell
    (it panics past ±10^11 days; Python's timedelta stops at 10^9)."""
    try:
        number = float(value)
    except ValueError:
        return False
    return not math.isfinite(number) or abs(number) >= 1e9


def _unstyled(start_tag: bytes, found: dict[bytes, bytes]) -> bytes:
    """A cell's start tag with only the r and t calamine read from it (no style)."""
    name = start_tag[1 : _NAME.match(start_tag, 1).end()]  # type: ignore[union-attr]
    out = b"<" + name
    for key in (b"r", b"t"):
        value = found.get(key)
        if value is not None:
            quote = b"'" if b'"' in value else b'"'
            out += b" " + key + b"=" + quote + value + quote
    return out + b">"


def _codec(data: bytes) -> str | None:
    """The UTF-16 a part is written in (with its BOM when re-encoded), or None for UTF-8."""
    if data.startswith((b"\xff\xfe", b"<\x00")):
        return "utf-16"
    if data.startswith((b"\xfe\xff", b"\x00<")):
        return "utf-16"
    return None


# -- fonts of an .xlsx (for legacy TCVN3/VNI text) ----------------------------------------


class _Fonts(_Handler):
    """The styles part: each font's name and each cell format's font."""

    def __init__(self) -> None:
        self.fonts: list[str] = []
        self.xfs: list[int] = []
        self.section = b""

    def start(self, local: bytes, attrs: bytes) -> None:
        if local in (b"fonts", b"cellXfs", b"cellStyleXfs", b"dxfs"):
            self.section = local
        elif self.section == b"fonts" and local == b"font":
            self.fonts.append("")
        elif self.section == b"fonts" and local == b"name" and self.fonts:
            self.fonts[-1] = _unescape(_text(_raw_attr(attrs, b"val") or b""))
        elif self.section == b"cellXfs" and local == b"xf":
            self.xfs.append(_int(_text(_raw_attr(attrs, b"fontId") or b"")) or 0)

    def end(self, local: bytes) -> None:
        if local == self.section:
            self.section = b""


class _StyledScan(_SheetScan):
    """A sheet's cells whose format uses one of `wanted` (format index → font name)."""

    def __init__(self, budget: Budget, wanted: dict[int, str]) -> None:
        super().__init__(budget)
        self.wanted = wanted
        self.found: dict[tuple[int, int], str] = {}

    def end(self, local: bytes) -> None:
        if self.pos is not None and self.filled and local == b"c":
            font = self.wanted.get(_int(_text(self.style)) or 0)
            if font is not None:
                self.found[self.pos] = font
        super().end(local)


def legacy_fonts(
    book: Book, prefixes: tuple[str, ...] = (".vn", "vni")
) -> dict[tuple[int, int, int], str]:
    """(sheet index, row, column) → font name of the cells typed in a legacy Vietnamese font,
    read from the parts the gate already checked."""
    if book.kind != "xlsx" or not book.styles:
        return {}
    budget = Budget()
    out: dict[tuple[int, int, int], str] = {}
    with zipfile.ZipFile(io.BytesIO(book.data)) as zf:
        z = _Zip(zf)
        fonts = _Fonts()
        for info in z.get(book.styles):
            _parse(_part(z, info, budget), fonts, info.filename, budget)
        wanted = {
            i: fonts.fonts[f]
            for i, f in enumerate(fonts.xfs)
            if 0 <= f < len(fonts.fonts) and fonts.fonts[f].lower().startswith(prefixes)
        }
        if not wanted:
            return {}
        for index, sheet in enumerate(book.sheets):
            for info in z.get(sheet.part):
                scan = _StyledScan(budget, wanted)
                _parse(_part(z, info, budget), scan, info.filename, budget)
                for (r, c), font in scan.found.items():
                    out[(index, r, c)] = font
    return out


# -- danvan's own workbooks ----------------------------------------------------------


class _Props(_Handler):
    """The `danvan-output` custom document property, and its text."""

    def __init__(self) -> None:
        self.found: list[str] | None = None

    def start(self, local: bytes, attrs: bytes) -> None:
        if local == b"property" and self.found is None:
            try:
                name = _raw_attr(attrs, b"name")
            except _BadAttributes:
                return
            if name is not None and _unescape(_text(name)) == OUTPUT_MARK:
                self.texting, self.found = True, []

    def end(self, local: bytes) -> None:
        if local == b"property":
            self.texting = False

    def text(self, data: bytes) -> None:
        if self.found is not None:
            self.found.append(_unescape(_text(data)))


def package_output(data: bytes) -> str | None:
    """The `danvan-output` property of any package (a Word paper as well as a workbook),
    found the way the gate finds it: through the package's relationships, with DOCTYPE
    refused, entries looked up as calamine looks them up."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            z = _Zip(zf)
            budget = Budget()
            _workbook_folders(z, budget)  # notes the custom-properties parts in z.custom
            return _output(z, budget)
    except (FileProblem, OSError, ValueError, NotImplementedError, zipfile.BadZipFile):
        return None


def _output(z: _Zip, budget: Budget) -> str | None:
    """The kind of danvan output this package is, by the custom property only danvan writes
    (read.recognise.output_kind reads the same from a path)."""
    for name in z.custom:
        for info in z.get(name):
            props = _Props()
            try:
                _parse(_part(z, info, budget), props, info.filename, budget)
            except FileProblem:
                continue  # damaged or unsafe properties: not danvan's
            if props.found is not None:
                return "".join(props.found).strip() or "?"
    return None
