"""A zip's central directory as the Rust zip crate (python-calamine's) reads it, to hold
Python's zipfile (the gate's reader) to the same reading.

The two readers differ where a zip is odd: the crate takes the last end-of-central-directory
record whose comment fits in the file (Python the last signature, fitting or not), and if
that record's directory fails to parse it goes on to an earlier one; it names an entry by
its Info-ZIP Unicode Path extra field (0x7075) when the field's CRC matches the header's
name, and by UTF-8 whenever the name is valid UTF-8 (Python: UTF-8 only when flag 11 says
so, else code page 437, cut at a NUL); it takes sizes and offsets from a ZIP64 field of 24
bytes or more (Python only for a value of 0xFFFFFFFF). A file on which they could differ is
refused: the gate must check the very entries calamine will read.

`entries(data)` returns (name, local header offset, compressed size, declared size) of every
entry, in order, as the crate reads them, or raises FileProblem when the directory is
ambiguous; the gate compares it with zipfile's `infolist()`. Every loop is bounded by the
file's size.
"""

from __future__ import annotations

import struct
import zlib

from danvan_cli.i18n.catalog import Message
from danvan_cli.read.limits import FileProblem

_EOCD = b"PK\x05\x06"
_CDFH = b"PK\x01\x02"
_LOCATOR64 = b"PK\x06\x07"
_EOCD_SIZE = 22
_CDFH_SIZE = 46
_U16, _U32 = 0xFFFF, 0xFFFFFFFF
# extra fields the crate parses (anything else it skips by its length)
_ZIP64, _NTFS, _TIMESTAMP, _UNICODE_COMMENT, _UNICODE_PATH = 0x0001, 0x000A, 0x5455, 0x6375, 0x7075
_KNOWN = {_ZIP64, _NTFS, _TIMESTAMP, _UNICODE_COMMENT, _UNICODE_PATH, 0x9901, 0xA11E}

# a central header: magic, compressed and declared sizes, name, extra and comment lengths,
# local header offset (the fields between skipped)
_HEADER = struct.Struct("<4s16xII3H8xI")
Entry = tuple[str, int, int, int]  # name, local header offset, compressed size, declared size


def ambiguous() -> FileProblem:
    """A zip two readers would read differently: refused, whichever is right."""
    return FileProblem("file.unsafe", reason=Message("unsafe.zip"))


def _damaged() -> FileProblem:
    return FileProblem("file.unreadable", error="zip")


def entries(data: bytes) -> list[Entry]:
    end = data.rfind(_EOCD)
    if end < 0 or len(data) - end < _EOCD_SIZE:
        raise _damaged()
    (disk, cd_disk, here, total, cd_size, cd_at, comment) = struct.unpack_from(
        "<HHHHIIH", data, end + 4
    )
    if end + _EOCD_SIZE + comment != len(data):
        raise ambiguous()  # a comment short of the end or past it: readers pick differently
    if _zip64(total, cd_size, cd_at) or data[end - 20 : end - 16] == _LOCATOR64:
        raise ambiguous()  # ZIP64: a dossier is never that large; the readers differ on it
    if disk or cd_disk or here != total or cd_at + cd_size != end:
        raise ambiguous()  # a directory not right before its end record (junk, disks…)
    _no_other_end(data, end)
    out: list[Entry] = []
    at = cd_at
    unpack = _HEADER.unpack_from
    for _ in range(total):
        if end - at < _CDFH_SIZE:
            raise _damaged()
        magic, csize, usize, name_len, extra_len, comment_len, offset = unpack(data, at)
        if magic != _CDFH:
            raise _damaged()
        start = at + _CDFH_SIZE
        at = start + name_len + extra_len + comment_len
        if at > end:
            raise _damaged()
        raw = data[start : start + name_len]
        if extra_len:
            extra = data[start + name_len : start + name_len + extra_len]
            raw, csize, usize, offset = _extra(extra, raw, csize, usize, offset)
        out.append((_crate_name(raw), offset, csize, usize))
    if at != end:
        raise ambiguous()  # entries that do not fill the directory exactly
    return out


def _zip64(total: int, cd_size: int, cd_at: int) -> bool:
    return total == _U16 or cd_size == _U32 or cd_at == _U32


def _no_other_end(data: bytes, end: int) -> None:
    """Should the crate fail on the directory of the last end record, it would take an
    earlier one: refuse any earlier signature the crate could accept as an end record (its
    comment fits in the file, and it names no file, is ZIP64, or places its directory
    before itself). A signature inside compressed data almost never passes these tests."""
    p = data.rfind(_EOCD, 0, end)
    while p >= 0:
        if len(data) - p >= _EOCD_SIZE:
            (total, cd_size, cd_at, comment) = struct.unpack_from("<HIIH", data, p + 10)
            if p + _EOCD_SIZE + comment <= len(data) and (
                total == 0 or _zip64(total, cd_size, cd_at) or cd_at < p
            ):
                raise ambiguous()
        p = data.rfind(_EOCD, 0, p)


def _extra(
    extra: bytes, raw: bytes, csize: int, usize: int, offset: int
) -> tuple[bytes, int, int, int]:
    """The extra fields of a central header applied as the crate applies them (in order):
    the name a valid Unicode Path field gives, the sizes and offset a ZIP64 field gives.
    A field the crate would fail on is refused (it would go on to another directory)."""
    block_usize, block_csize, block_offset = usize, csize, offset
    at, n = 0, len(extra)
    while at < n:
        if n - at < 4:
            if n - at >= 2 and struct.unpack_from("<H", extra, at)[0] in _KNOWN:
                raise ambiguous()  # a known field's header cut short: the crate fails
            break  # padding: both readers stop here
        kind, size = struct.unpack_from("<HH", extra, at)
        body = extra[at + 4 : at + 4 + size]
        if len(body) < size:
            raise _damaged()  # zipfile refuses it too
        at += 4 + size
        if kind == _ZIP64:
            usize, csize, offset = _zip64_field(body, block_usize, block_csize, block_offset)
        elif kind == _UNICODE_PATH:
            if size < 5:
                raise ambiguous()
            (crc,) = struct.unpack_from("<I", body, 1)
            if crc == zlib.crc32(raw) and _is_utf8(body[5:]):
                raw = body[5:]
        elif _refused(kind, body):
            raise ambiguous()
    return raw, csize, usize, offset


def _refused(kind: int, body: bytes) -> bool:
    """A field the crate fails to parse: a Unicode comment under 5 bytes, an NTFS field not
    of 32 bytes with one attribute of 24, an extended timestamp whose length its flags do
    not account for."""
    size = len(body)
    if kind == _UNICODE_COMMENT:
        return size < 5
    if kind == _NTFS:
        return size != 32 or body[4:8] != b"\x01\x00\x18\x00"
    if kind == _TIMESTAMP:
        return size == 0 or (size != 5 and size != 1 + 4 * _bits(body[0]))
    return False


def _zip64_field(body: bytes, usize: int, csize: int, offset: int) -> tuple[int, int, int]:
    """The crate's reading of a ZIP64 field: every value when it is 24 bytes or more, else
    those whose 32-bit value is 0xFFFFFFFF, in order; its length must cover them."""
    values = [usize, csize, offset]
    want = [len(body) >= 24 or v == _U32 for v in values]
    at = 0
    for i, taken in enumerate(want):
        if taken:
            if len(body) - at < 8:
                raise ambiguous()
            (values[i],) = struct.unpack_from("<Q", body, at)
            at += 8
    return values[0], values[1], values[2]


def _bits(byte: int) -> int:
    return bin(byte).count("1")


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _crate_name(raw: bytes) -> str:
    """The name as the crate gives it: UTF-8 if the bytes are valid UTF-8, else code page
    437 (whatever flag 11 says)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp437")
