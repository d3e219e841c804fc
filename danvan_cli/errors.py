"""Exceptions that stop a command. Problems with a dossier are findings, never these."""

from __future__ import annotations


class DanvanError(Exception):
    """A problem that stops the command; the CLI prints it and exits with `exit_code`."""

    exit_code = 2

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class UsageError(DanvanError):
    """Bad option or path given on the command line."""


class ConfigError(DanvanError):
    """A rubric or plan file is missing or broken; `lines` are "file: key: problem"."""

    def __init__(self, key: str, lines: list[str] | None = None, **params: object) -> None:
        super().__init__(key, **params)
        self.lines = lines or []


class OutputError(DanvanError):
    """An output file could not be written."""


_OS_ERRORS = {
    "ENOSPC": "ổ đĩa đã đầy",
    "EDQUOT": "đã hết dung lượng được cấp",
    "EACCES": "không có quyền ghi vào đó",
    "EPERM": "không có quyền ghi vào đó",
    "EROFS": "ổ đĩa hoặc thư mục chỉ cho đọc",
    "ENOENT": "thư mục không tồn tại",
    "ENOTDIR": "đường dẫn đi qua một tệp, không phải thư mục",
    "EISDIR": "đó là một thư mục",
    "EBUSY": "tệp đang được mở bởi chương trình khác (ví dụ Excel)",
}


def os_reason(exc: OSError) -> str:
    """An operating-system error in plain Vietnamese (the code kept for a technician)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_ERRORS.get(name, exc.strerror or str(exc)) + (f" [{name}]" if name else "")
