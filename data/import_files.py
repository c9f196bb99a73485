"""Import files as tables: reading .xlsx and CSV (any encoding Chinese offices use), finding the
header row (a title row above it is common) and mapping its columns; every error is an Issue that
says where it is (row, column) in Chinese. What the columns are and how a cell becomes a value is
in data.import_schema."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from data.import_schema import Column, clean_cell, normalise_header

# ---- where an error is, and the file as a table ------------------------------------------

MAX_ROWS = 200_000
HEADER_SCAN_ROWS = 10
# What a file may ask of the server before it is refused (checked before it is parsed): a CSV's
# size, an .xlsx's parts once inflated (all together, and each one's inflation against its
# compressed size: a zip bomb), and the columns read of a row.
MAX_CSV_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_PARTS = 2000
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024  # smaller parts may compress as well as they like
MAX_COLUMNS = 64
ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
SCAN_CHUNK = 1024 * 1024
TAG_WINDOW = 64  # kept from the chunk before: a row tag split between two chunks is whole


@dataclass(frozen=True)
class Issue:
    """One thing wrong with an import file: where (row, column) and why, in Chinese."""

    message: str
    row: int | None = None
    column: str | None = None
    letter: str | None = None

    def where(self) -> str:
        """`第 5 行 E 列「发现日期」` (or less when the error is about the whole file)."""
        parts = []
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.letter:
            parts.append(f"{self.letter} 列")
        place = " ".join(parts)
        return f"{place}「{self.column}」" if self.column else place

    def text(self) -> str:
        """The issue as one line."""
        where = self.where()
        return f"{where}：{self.message}" if where else self.message


@dataclass
class Sheet:
    """The table read from a file: its header cells and its data rows with their row numbers."""

    filename: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]]
    header_row: int = 1

    def letter(self, index: int) -> str:
        """The spreadsheet column letter of a column index (0 → A)."""
        return get_column_letter(index + 1)


class ImportFailed(Exception):
    """The file cannot be imported; nothing was written. `issues` lists every error."""

    def __init__(self, filename: str, issues: list[Issue], sheet: Sheet | None = None) -> None:
        super().__init__(f"{filename}：" + "；".join(issue.text() for issue in issues[:5]))
        self.filename = filename
        self.issues = issues
        self.sheet = sheet


# ---- reading files -------------------------------------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
NOT_A_TABLE = "文件不是 Excel 表格（.xlsx）或 CSV 文件，无法读取"


def _non_blank(cells: Sequence[Any]) -> bool:
    """Whether a row has any cell with something in it."""
    if cells.count(None) == len(cells):  # the common blank row, told apart without a loop
        return False
    return any(clean_cell(cell) is not None for cell in cells if cell is not None)


def _refusal(filename: str, message: str) -> ImportFailed:
    """A refusal of the whole file."""
    return ImportFailed(filename, [Issue(message)])


def _too_many_rows(filename: str, sheet: str | None = None) -> ImportFailed:
    """The refusal of a file with more than MAX_ROWS rows."""
    where = f"工作表「{sheet}」" if sheet else "文件"
    return _refusal(
        filename,
        f"行数过多：{where}超过 {MAX_ROWS} 行（设置了格式的空白行也计算在内），"
        "请删除多余的行或分成几个文件后重新导入",
    )


def _worksheet_rows(sheet: Any, filename: str) -> list[tuple[int, list[Any]]]:
    """The non-blank rows of a worksheet with their row numbers (at most MAX_COLUMNS cells
    each); every row counts towards MAX_ROWS, blank ones included, so reading stops early."""
    sheet.reset_dimensions()  # some writers leave wrong dimensions; read what is there
    rows = []
    limit = MAX_ROWS + HEADER_SCAN_ROWS
    for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
        if number > limit:
            raise _too_many_rows(filename, sheet.title)
        if _non_blank(cells):
            kept = list(cells)
            while kept and kept[-1] is None:
                kept.pop()
            rows.append((number, kept))
    return rows


def _count_rows(archive: zipfile.ZipFile, part: zipfile.ZipInfo, limit: int) -> int:
    """The row elements of a worksheet part, counted on the inflated stream without parsing
    it, stopping once past `limit`."""
    count, tail = 0, b""
    with archive.open(part) as stream:
        while count <= limit:
            chunk = stream.read(SCAN_CHUNK)
            if not chunk:
                break
            window = tail + chunk
            # A tag that ends in the tail was counted with the chunk before.
            count += sum(1 for tag in ROW_TAG.finditer(window) if tag.end() > len(tail))
            tail = window[-TAG_WINDOW:]
    return count


def check_archive(data: bytes, filename: str) -> None:
    """Refuse an .xlsx whose parts would take too much to read: too many, too large once
    inflated, inflating far beyond their compressed size, or a worksheet of too many rows.
    Reads the zip's directory and streams the worksheets; nothing is parsed or kept."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: openpyxl says so in its own words
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _refusal(
                filename, f"文件包含的部件过多（{len(parts)} 个），不像正常的表格文件，无法导入"
            )
        unpacked = sum(part.file_size for part in parts)
        if unpacked > MAX_UNPACKED_BYTES:
            raise _refusal(
                filename,
                f"文件解压后超过 {MAX_UNPACKED_BYTES // 2**20} MB（{unpacked / 2**20:,.0f} MB），"
                "无法导入；请删去无关的工作表和图片，或分成几个文件",
            )
        for part in parts:
            ratio = part.file_size / max(part.compress_size, 1)
            if part.file_size >= RATIO_FROM_BYTES and ratio > MAX_RATIO:
                raise _refusal(
                    filename,
                    f"文件中的「{part.filename}」解压后是压缩时的 {ratio:,.0f} 倍，"
                    "不像正常的表格文件，无法导入",
                )
        limit = MAX_ROWS + HEADER_SCAN_ROWS
        for part in parts:
            if "worksheets/" in part.filename and part.filename.endswith(".xml"):
                try:
                    rows = _count_rows(archive, part, limit)
                except Exception:  # a damaged part fails in many ways: openpyxl refuses it
                    return
                if rows > limit:
                    raise _too_many_rows(filename)


def _xlsx_sheet(data: bytes, filename: str, columns: Sequence[Column]) -> Sheet:
    """The table of an .xlsx file: the active worksheet, or the one that best has the columns."""
    not_valid = ImportFailed(filename, [Issue("文件不是有效的 Excel（.xlsx）文件，无法读取")])
    check_archive(data, filename)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise not_valid from None
    try:
        sheets = list(book.worksheets)
        if book.active in sheets:
            sheets.insert(0, sheets.pop(sheets.index(book.active)))
        best: tuple[Sheet, int, bool] | None = None
        for worksheet in sheets:
            rows = _worksheet_rows(worksheet, filename)
            if not rows:
                continue
            candidate = _to_sheet(filename, rows, columns)
            if best is None or candidate[1] > best[1]:
                best = candidate
            if candidate[2]:
                break
    except ImportFailed:
        raise
    except Exception:  # a damaged file fails in many ways inside openpyxl and lxml
        raise not_valid from None
    finally:
        book.close()
    if best is None:
        raise ImportFailed(filename, [Issue("文件是空的：工作表中没有任何内容")])
    return best[0]


def _decode(data: bytes, filename: str) -> str:
    """The text of a CSV file in UTF-8 (with or without BOM), UTF-16 or GBK/GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFailed(
            filename, [Issue("无法识别文件的编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件")]
        ) from None


def _csv_rows(data: bytes, filename: str) -> list[tuple[int, list[Any]]]:
    """The non-blank rows of a CSV file (comma, tab or semicolon separated); every row counts
    towards MAX_ROWS, blank ones included."""
    if len(data) > MAX_CSV_BYTES:
        raise ImportFailed(
            filename,
            [
                Issue(
                    f"文件过大：{len(data) / 2**20:.1f} MB，CSV 文件最多 "
                    f"{MAX_CSV_BYTES // 2**20} MB，请分成几个文件后重新导入"
                )
            ],
        )
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailed(filename, [Issue(NOT_A_TABLE)])
    text = _decode(data, filename)
    if "\x00" in text:
        raise ImportFailed(filename, [Issue(NOT_A_TABLE)])
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    limit = MAX_ROWS + HEADER_SCAN_ROWS
    try:
        for number, cells in enumerate(reader, 1):
            if number > limit:
                raise _too_many_rows(filename)
            if _non_blank(cells):
                rows.append((reader.line_num, list(cells)))
    except csv.Error as exc:
        raise ImportFailed(filename, [Issue(f"CSV 格式错误：{exc}", row=reader.line_num)]) from None
    return rows


def _header_score(cells: Sequence[Any], columns: Sequence[Column]) -> tuple[int, bool]:
    """How many of the columns a row of cells names (required ones count double), and
    whether it names every required one."""
    names = {normalise_header(cell) for cell in cells if cell is not None}
    named = [c for c in columns if any(header in names for header in c.headers)]
    score = sum(2 if column.required else 1 for column in named)
    return score, all(c in named for c in columns if c.required)


def _to_sheet(
    filename: str, rows: list[tuple[int, list[Any]]], columns: Sequence[Column]
) -> tuple[Sheet, int, bool]:
    """The table of a file's rows: the header is the best-matching of the first rows (a title
    row above it is common); also the header's score and whether it has every required column."""
    candidates = rows[:HEADER_SCAN_ROWS]
    scores = [_header_score(cells, columns) for _, cells in candidates]
    best = max(range(len(candidates)), key=lambda i: (scores[i][0], -i))
    header_number, header_cells = candidates[best]
    width = len(header_cells)
    while width and clean_cell(header_cells[width - 1]) is None:
        width -= 1
    headers = [normalise_header(cell) for cell in header_cells[:width]]
    body = [(number, list(cells[:width])) for number, cells in rows[best + 1 :]]
    body = [(number, cells) for number, cells in body if _non_blank(cells)]
    return Sheet(filename, headers, body, header_number), *scores[best]


def read_sheet(data: bytes, filename: str, columns: Sequence[Column]) -> Sheet:
    """The table in an .xlsx or CSV file (told apart by content, not by name)."""
    if not data:
        raise ImportFailed(filename, [Issue("文件是空的")])
    if data.startswith(XLSX_MAGIC):
        return _xlsx_sheet(data, filename, columns)
    if data.startswith(OLE_MAGIC):
        raise ImportFailed(
            filename,
            [Issue("不支持旧版 Excel 97-2003（.xls/.et）文件，请在 Excel 或 WPS 中另存为 .xlsx")],
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFailed(filename, [Issue("文件不是有效的 Excel（.xlsx）文件，无法读取")])
    rows = _csv_rows(data, filename)
    if not rows:
        raise ImportFailed(filename, [Issue("文件是空的")])
    return _to_sheet(filename, rows, columns)[0]


# ---- columns -------------------------------------------------------------------------------


def map_columns(sheet: Sheet, columns: Sequence[Column]) -> tuple[dict[str, int], list[Issue]]:
    """field → column index of the file, with an issue per missing or doubled column."""
    index: dict[str, int] = {}
    issues: list[Issue] = []
    for column in columns:
        found = [i for i, header in enumerate(sheet.headers) if header in column.headers]
        if len(found) > 1:
            names = "」「".join(sheet.headers[i] for i in found)
            issues.append(
                Issue(
                    f"列「{names}」都表示{column.header}，只能保留一列",
                    row=sheet.header_row,
                    column=sheet.headers[found[1]],
                    letter=sheet.letter(found[1]),
                )
            )
        elif found:
            index[column.field] = found[0]
        elif column.required:
            also = f"（也可写作：{'、'.join(column.aliases)}）" if column.aliases else ""
            issues.append(Issue(f"缺少必需的列「{column.header}」{also}", row=sheet.header_row))
    return index, issues
