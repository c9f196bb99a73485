"""Writing .xlsx files: sheets of rows with a bold, frozen, filtered header row, percentages as
percentage cells, titles in bold, and text Excel would run as a formula neutralised. Every text
is scrubbed on the way out (data.forms.scrub), so a record stored with a character XML cannot
hold still exports."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from data.forms import scrub
from data.import_schema import FORMULA_STARTS

MISSING = "—"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF5")
TITLE_FONT = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Percent:
    """A rate written as a percentage cell (`87.5%`), or “—” when there is none."""

    value: float | None


@dataclass(frozen=True)
class Title:
    """A bold line above a table inside a sheet."""

    text: str


@dataclass
class SheetData:
    """One worksheet: a title, a header row, rows and column widths (in characters)."""

    title: str
    headers: list[str]
    rows: list[Sequence[Any]] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)


def neutralise(value: Any) -> Any:
    """Text as written: scrubbed, and with a leading ' where Excel would run it as a formula
    (= + - @, tab, CR first)."""
    if not isinstance(value, str):
        return value
    value = scrub(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A value as written: percentages and titles styled, text neutralised."""
    if isinstance(value, Percent):
        if value.value is None:
            return MISSING
        cell = WriteOnlyCell(sheet, value=value.value)
        cell.number_format = "0.0%"
        return cell
    if isinstance(value, Title):
        cell = WriteOnlyCell(sheet, value=neutralise(value.text))
        cell.font = TITLE_FONT
        return cell
    return neutralise(value)


def _header(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    """A header cell: bold on a light fill, wrapped."""
    cell = WriteOnlyCell(sheet, value=neutralise(text))
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = WRAP
    return cell


def workbook_bytes(sheets: Iterable[SheetData]) -> bytes:
    """An .xlsx file of the sheets: bold frozen header row with filters, set column widths."""
    book = Workbook(write_only=True)
    for data in sheets:
        sheet = book.create_sheet(scrub(data.title)[:31])
        for i, width in enumerate(data.widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        if data.headers:
            sheet.freeze_panes = "A2"
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(data.headers))}1"
            sheet.append([_header(sheet, text) for text in data.headers])
        for row in data.rows:
            sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
