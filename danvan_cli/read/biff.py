"""An .xls walked the way python-calamine will read it, before it does: the OLE compound
file (sector chains, the directory, the Workbook stream) and the BIFF records of every sheet
the workbook names (cell positions, the DIMENSIONS a reader reserves room for, strings,
merges, error values).

No library: the structures are small and every loop here is bounded by the file's size,
with chains checked for cycles (calamine follows some without a check, so a cycle would
have it allocate until the machine gives up).
"""

from __future__ import annotations

import sys
from array import array

from danvan_cli.read.limits import (
    MAX_COLS,
    MAX_ROWS,
    MAX_ZIP_ENTRIES,
    Budget,
    FileProblem,
    SheetFacts,
    over,
    size_text,
)

_ENDOFCHAIN = 0xFFFFFFFE
_DIFSECT = 0xFFFFFFFC
_RESERVED = 0xFFFFFFFA
_MINI_CUTOFF = 4096
_STREAMS = ("Workbook", "Book", "WORKBOOK", "BOOK")  # the names calamine looks for, in order
_U32 = 1 << 32

# BIFF error codes (BoolErr, a formula's cached error)
ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}


def _u16(b: bytes, o: int) -> int:
    return int.from_bytes(b[o : o + 2], "little")


def _u32(b: bytes, o: int) -> int:
    return int.from_bytes(b[o : o + 4], "little")


def _damaged(what: str) -> FileProblem:
    return FileProblem("file.unreadable", error=f"ole: {what}")


class _Cfb:
    """The compound file as calamine's cfb module reads it (sector i at (i+1) × size)."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512:
            raise _damaged("header")
        shift = _u16(data, 30)
        if shift not in (9, 12) or _u16(data, 32) != 6:
            raise _damaged("sector size")
        self.data = data
        self.size = 1 << shift
        self.maxid = len(data) // self.size
        self.version = _u16(data, 26)
        # a file of n sectors needs n / (size / 4) allocation-table sectors: more is no file a
        # writer made, and each would cost a table of size / 4 entries here (and in calamine)
        per = self.size // 4
        most = (self.maxid + 1) // per + 2
        difat = [_u32(data, 76 + 4 * i) for i in range(109)]
        seen: set[int] = set()
        sector = _u32(data, 68)
        while sector < _RESERVED:  # the DIFAT chain, which calamine follows without a check
            if sector in seen or len(seen) > self.maxid:
                raise _damaged("difat cycle")
            if len(seen) > most // (per - 1) + 1:
                raise _damaged("difat length")
            seen.add(sector)
            block = self._sector(sector)
            entries = [_u32(block, 4 * i) for i in range(len(block) // 4)]
            if not entries:
                break
            sector = entries.pop()
            difat += entries
        fat_sectors = [sid for sid in difat if sid < _DIFSECT]
        if len(fat_sectors) > most:
            raise _damaged("allocation table size")
        self.fat = _table(b"".join(self._sector(sid) for sid in fat_sectors))
        self.dirs = self._directory()
        root = self.dirs[0] if self.dirs else None
        if root is None or (self.version != 3 and root[1] == _ENDOFCHAIN):
            raise _damaged("directory")
        minifat_len = _u32(data, 64)
        self.ministream = b""
        self.minifat = _table(b"")
        if minifat_len > 0:
            self.ministream = self.chain(root[1], root[2])
            raw = self.chain(_u32(data, 60), minifat_len * self.size)
            self.minifat = _table(raw)

    def _sector(self, sid: int) -> bytes:
        if sid > self.maxid:
            raise _damaged("sector beyond the end")
        start = (sid + 1) * self.size
        return self.data[start : start + self.size]

    def chain(self, sid: int, length: int, *, mini: bool = False) -> bytes:
        """The bytes of a chain, as far as `length`; a cycle or a sector id outside the
        allocation table is refused (calamine would loop, allocating, or panic)."""
        fat = self.minifat if mini else self.fat
        parts: list[bytes] = []
        got = 0
        seen: set[int] = set()
        while sid != _ENDOFCHAIN and got < length:
            if sid in seen:
                raise _damaged("chain cycle")
            seen.add(sid)
            if mini:
                start = sid * 64
                if start + 64 > len(self.ministream):  # calamine would read past its stream
                    raise _damaged("mini stream")
                block = self.ministream[start : start + 64]
            else:
                block = self._sector(sid)
            block = block[: length - got]
            parts.append(block)
            got += len(block)
            if got >= length:
                break
            if sid >= len(fat):
                raise _damaged("allocation table")
            sid = fat[sid]
        return b"".join(parts)

    def _directory(self) -> list[tuple[str, int, int]]:
        raw = self.chain(_u32(self.data, 48), len(self.data))
        if len(raw) // 128 > MAX_ZIP_ENTRIES:  # a workbook holds a few streams
            raise FileProblem(
                "file.too_large",
                size=size_text(len(raw) // 128),
                limit=size_text(MAX_ZIP_ENTRIES),
            )
        out = []
        for at in range(0, len(raw) - 127, 128):
            entry = raw[at : at + 128]
            name = entry[:64].decode("utf-16-le", "replace").split("\x00", 1)[0]
            start = _u32(entry, 116)
            size = (
                _u32(entry, 120) if self.size == 512 else int.from_bytes(entry[120:128], "little")
            )
            out.append((name, start, size))
        return out

    def stream(self, names: tuple[str, ...]) -> bytes | None:
        for wanted in names:
            for name, start, size in self.dirs:
                if name == wanted:
                    if size > len(self.data) * 2:  # a stream cannot be larger than its file
                        raise _damaged("stream size")
                    if size < _MINI_CUTOFF:
                        return self.chain(start, size, mini=True)
                    return self.chain(start, size)
        return None


def _table(raw: bytes) -> array[int]:
    """An allocation table (little-endian 32-bit sector ids), 4 bytes an entry."""
    table = array("I")
    table.frombytes(raw[: len(raw) // 4 * 4])
    if sys.byteorder != "little":
        table.byteswap()
    return table


def _records(stream: bytes, start: int, budget: Budget) -> list[tuple[int, bytes, list[bytes]]]:
    """BIFF records from `start` as calamine's RecordIter yields them (Continue records
    attached to the one before), up to the first EOF at nesting depth 0."""
    out: list[tuple[int, bytes, list[bytes]]] = []
    at = start
    end = len(stream)
    depth = 0
    first_bof = True
    count = 0
    while at < end:
        if end - at < 4:
            raise _damaged("record")
        typ, length = _u16(stream, at), _u16(stream, at + 2)
        if end - at < length + 4:
            raise _damaged("record length")
        data = stream[at + 4 : at + 4 + length]
        at += 4 + length
        conts: list[bytes] = []
        while end - at > 4 and _u16(stream, at) == 0x003C:
            n = _u16(stream, at + 2)
            if end - at < n + 4:
                raise _damaged("continue length")
            conts.append(stream[at + 4 : at + 4 + n])
            at += 4 + n
        count += 1 + len(conts)
        if count & 0xFFF == 0:
            budget.add_elements(0x1000)
            budget.tick()
        if typ == 0x0809:
            if first_bof:
                first_bof = False
            else:
                depth += 1
        elif typ == 0x000A:
            if depth == 0:
                out.append((typ, data, conts))
                break
            depth -= 1
        if depth == 0 or typ == 0x0809:
            out.append((typ, data, conts))
    budget.add_elements(count & 0xFFF)
    return out


def _sst_longest(data: bytes, conts: list[bytes]) -> tuple[int, int]:
    """(total characters, longest string) of a shared string table (SST and Continues)."""
    segments = [data[8:], *conts]
    seg, pos = 0, 0
    total = longest = 0

    def take(n: int) -> bytes:
        """The next n bytes (n small: a header), across segments."""
        nonlocal seg, pos
        pieces = []
        while n > 0 and seg < len(segments):
            piece = segments[seg][pos : pos + n]
            pieces.append(piece)
            pos += len(piece)
            n -= len(piece)
            if pos >= len(segments[seg]):
                seg, pos = seg + 1, 0
        return b"".join(pieces)

    def skip(n: int) -> None:
        """Past the next n bytes, copying nothing (a run of 4 GB is skipped at once)."""
        nonlocal seg, pos
        while n > 0 and seg < len(segments):
            step = min(n, len(segments[seg]) - pos)
            pos += step
            n -= step
            if pos >= len(segments[seg]):
                seg, pos = seg + 1, 0

    while seg < len(segments):
        head = take(3)
        if len(head) < 3:
            break
        cch, flags = _u16(head, 0), head[2]
        extra = 0
        if flags & 0x08:
            extra += 4 * _u16(take(2), 0)
        if flags & 0x04:
            extra += _u32(take(4), 0)
        wide = flags & 0x01
        left = cch
        while left > 0 and seg < len(segments):
            avail = len(segments[seg]) - pos
            per = 2 if wide else 1
            n = min(left, avail // per)
            skip(n * per)
            left -= n
            if left > 0:  # the characters go on in the next Continue, after a flags byte
                if pos < len(segments[seg]):
                    skip(len(segments[seg]) - pos)
                flag = take(1)
                if not flag:
                    break
                wide = flag[0] & 0x01
        skip(extra)
        total += cch
        longest = max(longest, cch)
    return total, longest


def _dimension_cells(data: bytes) -> tuple[int, int, int]:
    """The cells calamine reserves for a DIMENSIONS record (rows × cols with its u32 wrap),
    and the last row and column it declares."""
    if len(data) == 10:
        rf, rl, cf, cl = _u16(data, 0), _u16(data, 2), _u16(data, 4), _u16(data, 6)
    elif len(data) == 14:
        rf, rl, cf, cl = _u32(data, 0), _u32(data, 4), _u16(data, 8), _u16(data, 10)
    else:
        raise _damaged("dimensions")
    if cf > 0xFF or cl < cf:
        cf = 0
    if rl >= 1 and cl >= 1:
        end_r, end_c = rl - 1, cl - 1
    else:
        end_r, end_c = rf, cf
    rows = (end_r - rf + 1) % _U32
    cols = (end_c - cf + 1) % _U32
    return rows * cols, end_r, end_c


def scan_xls(data: bytes, budget: Budget) -> list[SheetFacts]:
    """Check an .xls against the budgets; the facts of every sheet (its extent, its cells
    holding an error value). Raises FileProblem."""
    cfb = _Cfb(data)
    stream = cfb.stream(_STREAMS)
    if stream is None:
        raise FileProblem("file.format")
    budget.add_xml(len(stream))
    sheets: list[tuple[int, str]] = []
    string_cells = 0
    longest = 0
    words = _Words()
    for typ, rec, conts in _records(stream, 0, budget):
        if typ == 0x002F and _u16(rec, 0) != 0:
            raise FileProblem("file.encrypted")
        if typ == 0x0085 and len(rec) >= 6:
            budget.add_sheet()
            sheets.append((_u32(rec, 0), _sheet_name(rec)))
            words.sheet = max(words.sheet, 3 * (rec[6] if len(rec) > 6 else 0))
        elif typ == 0x0018 and len(rec) >= 4:  # a defined name, which a formula may print
            words.name = max(words.name, 3 * rec[3])
        elif typ == 0x00FC and len(rec) >= 8:
            if _u32(rec, 4) > 200_000 or _u32(rec, 0) > 10_000_000:
                raise over("strings", max(_u32(rec, 4), _u32(rec, 0)), 200_000)
            total, longest = _sst_longest(rec, conts)
            budget.add_text(total)
    facts: list[SheetFacts] = []
    for pos, label in sheets:
        if pos > len(stream):
            raise _damaged("sheet offset")
        sheet = SheetFacts(label)
        formula_at = (0, 0)  # where calamine puts a STRING record: its formula's cell
        kept = 0  # cells calamine keeps, each an entry it allocates (the same cell again too)
        for typ, rec, conts in _records(stream, pos, budget):
            cells: list[tuple[int, int]] = []
            if typ in (0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006) and len(rec) >= 4:
                cells.append((_u16(rec, 0), _u16(rec, 2)))
                if typ in (0x0204, 0x00D6):  # a string in the cell itself
                    budget.add_text(len(rec))
                if typ == 0x0006:
                    formula_at = cells[0]
                    if len(rec) >= 22:  # its text, which calamine builds when it opens
                        text, work = words.formula(rec[22 : 22 + _u16(rec, 20)])
                        budget.add_text(text)
                        budget.add_formula_work(work)
                if typ == 0x00FD:
                    string_cells += 1
                elif typ == 0x0205 and len(rec) >= 8 and rec[7] == 1:
                    sheet.errors[cells[0]] = ERRORS.get(rec[6], "#N/A")
                elif typ == 0x0006 and len(rec) >= 14 and rec[12:14] == b"\xff\xff" and rec[6] == 2:
                    sheet.errors[cells[0]] = ERRORS.get(rec[8], "#N/A")
            elif typ == 0x0207:  # a formula's string value: one more cell, with its text
                cells.append(formula_at)
                budget.add_text(len(rec) + sum(len(c) for c in conts))
            elif typ == 0x00BD and len(rec) >= 6:
                row, first, last = _u16(rec, 0), _u16(rec, 2), _u16(rec, len(rec) - 2)
                cells += [(row, first), (row, max(first, last))]
            elif typ == 0x0200:
                reserved, end_r, end_c = _dimension_cells(rec)
                if end_r >= MAX_ROWS or end_c >= MAX_COLS:
                    raise _too_far(end_r, end_c)
                if reserved > 1_000_000:
                    raise _too_far(end_r, end_c)
            elif typ == 0x00E5 and len(rec) >= 2:
                budget.add_merges(_u16(rec, 0))
            for r, c in cells:
                if r >= MAX_ROWS or c >= MAX_COLS:
                    raise _too_far(r, c)
                sheet.rows = max(sheet.rows, r + 1)
                sheet.cols = max(sheet.cols, c + 1)
            if cells:
                kept += (len(rec) - 6) // 6 if typ == 0x00BD else 1
                if kept >= 0x1000:
                    budget.add_extent(1, kept)
                    kept = 0
        budget.add_extent(1, kept)
        budget.add_extent(sheet.rows, sheet.cols)
        facts.append(sheet)
    budget.check_strings(string_cells, longest)
    return facts


# -- formulas as calamine prints them ------------------------------------------------------
#
# calamine turns every FORMULA record into text when it opens the file (xls.rs parse_formula),
# token by token: a 3-D reference prints its sheet's name, a name its name, PtgAttrSpace
# inserts up to 255 spaces one at a time at the start of an operand, and an operator, a
# function or parentheses move the text after an operand's start. A formula of 64 KB can so
# print megabytes, or cost billions of moves. The walk below reads the tokens as calamine
# does and bounds both: the characters printed (against the text budget) and the characters
# moved (against the formula budget), each token counted at its most: every sheet name as
# long as the longest, a number as long as any f64 prints.

_SHEET_REF = {0x3A, 0x5A, 0x7A}  # PtgRef3d: sheet!$A$1
_SHEET_AREA = {0x3B, 0x5B, 0x7B}  # PtgArea3d: sheet!$A$1:$B$2
_SHEET_ERR = {0x3C, 0x5C, 0x7C}  # PtgRefErr3d: sheet!#REF!
_SHEET_AREA_ERR = {0x3D, 0x5D, 0x7D}
_FUNC = {0x21, 0x41, 0x61}
_FUNC_VAR = {0x22, 0x42, 0x62}
_NAME = {0x23, 0x43, 0x63}
_REF = {0x24, 0x44, 0x64}
_AREA = {0x25, 0x45, 0x65}
_REF_ERR = {0x2A, 0x4A, 0x6A}
_AREA_ERR = {0x2B, 0x4B, 0x6B}
_ARRAY = {0x20, 0x40, 0x60}
_FUNC_TEXT = 18 + 2  # the longest function name calamine knows ("CUBEMEMBERPROPERTY"), "()"
_NUMBER_TEXT = 330  # an f64 as Rust prints it, without an exponent: up to ~327 characters
_FAILED_TEXT = 200  # "Unrecognised formula for cell (row, col): …" when calamine gives up


class _Words:
    """The longest texts a formula may print (UTF-8 bytes, at most 3 a character): a
    sheet's name, a defined name."""

    def __init__(self) -> None:
        self.sheet = 5  # "#REF"
        self.name = 5  # "#REF!"

    def formula(self, rgce: bytes) -> tuple[int, int]:
        """(characters printed, characters moved) by calamine's reading of one formula's
        tokens, the larger of its BIFF8 and its BIFF5 reading (the BOF decides which)."""
        (text, work), (old_text, old_work) = self._walk(rgce, False), self._walk(rgce, True)
        return max(text, old_text), max(work, old_work)

    def _walk(self, rgce: bytes, old: bool) -> tuple[int, int]:
        text = work = 0
        at, end = 0, len(rgce)
        while at < end:
            ptg = rgce[at]
            at += 1
            moves = 0  # times the text so far may be moved
            if ptg in _SHEET_REF:
                grow, skip = self.sheet + 12, 6
            elif ptg in _SHEET_AREA:
                grow, skip = self.sheet + 24, 10
            elif ptg in _SHEET_ERR or ptg in _SHEET_AREA_ERR:
                grow, skip = self.sheet + 6, 6 if ptg in _SHEET_ERR else 10
            elif ptg == 0x01:  # PtgExp
                grow, skip = 0, 4
            elif 0x03 <= ptg <= 0x11 or ptg in (0x12, 0x13, 0x15):  # operators, parentheses
                grow, skip, moves = 2, 0, 1
            elif ptg in (0x14, 0x16):
                grow, skip = 1, 0
            elif ptg == 0x17:  # a string: its characters, quoted
                if at >= end:
                    return text + _FAILED_TEXT, work
                grow, skip = 2 + 3 * rgce[at], 2 + rgce[at]
            elif ptg == 0x18:
                grow, skip = 0, 5
            elif ptg == 0x19:  # PtgAttr…
                if at + 2 >= end:
                    return text + _FAILED_TEXT, work
                kind = rgce[at]
                at += 1
                if kind in (0x01, 0x02, 0x08, 0x20, 0x21):
                    grow, skip = 0, 2
                elif kind == 0x04:  # Choose
                    grow, skip = 0, 2 + 2 * (_u16(rgce, at) + 1)
                elif kind == 0x10:  # Sum
                    grow, skip, moves = 5, 2, 1
                elif kind in (0x40, 0x41) and rgce[at] <= 6:  # Space: one insert a space
                    grow, skip, moves = rgce[at + 1], 2, rgce[at + 1]
                else:
                    return text + _FAILED_TEXT, work
            elif ptg == 0x1C:
                grow, skip = 13, 1  # "#GETTING_DATA"
            elif ptg in (0x1D, 0x1E):
                grow, skip = 5, 1 if ptg == 0x1D else 2
            elif ptg == 0x1F:
                grow, skip = _NUMBER_TEXT, 8
            elif ptg in _ARRAY:
                grow, skip = 10, 7
            elif ptg in _FUNC or ptg in _FUNC_VAR:
                grow, skip, moves = _FUNC_TEXT + 255, 2 if ptg in _FUNC else 3, 2
            elif ptg in _NAME:
                grow, skip = self.name, 4
            elif ptg in _REF or ptg in _REF_ERR:
                grow, skip = 11, 3 if old else 4
            elif ptg in _AREA or ptg in _AREA_ERR:
                grow, skip = 24, 6 if old else 8
            elif ptg in (0x39, 0x59):
                grow, skip = 10, 6
            else:
                return text + _FAILED_TEXT, work  # a token calamine does not know
            work += moves * (text + grow)
            text += grow
            at += skip
        return text, work


def _sheet_name(rec: bytes) -> str:
    """A BoundSheet's name (BIFF8 short Unicode string; BIFF5 8-bit), for messages only."""
    cch = rec[6] if len(rec) > 6 else 0
    if len(rec) > 7 and rec[7] in (0, 1) and len(rec) >= 8 + cch * (rec[7] + 1):
        raw = rec[8 : 8 + cch * (rec[7] + 1)]
        return raw.decode("utf-16-le" if rec[7] else "latin-1", "replace")
    return rec[7 : 7 + cch].decode("latin-1", "replace")


def _too_far(row: int, col: int) -> FileProblem:
    from danvan_cli.read.cells import column_letter

    letters = column_letter(col) if col < 1 << 20 else "?"
    return FileProblem(
        "file.sheet_too_large", cell=f"{letters}{row + 1}", rows=MAX_ROWS, cols=MAX_COLS
    )
