"""Writing .xlsx files: sheets of rows with a bold, frozen, filtered header row, percentages as
percentage cells, titles in bold, and text Excel would run as a formula neutralised. Every text
is scrubbed on the way out (data.forms.scrub), so a record stored with a character XML cannot
hold still exports.

Every sheet is set up to print (`print_setup`, the one place for it): A4, landscape when its
columns are wider than a portrait page, scaled to the page width (never a column alone on a
page), the header row repeated on every page, text wrapped inside its cell, and the workbook's
title and 数据截至 date at the top of every page."""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.page import PrintPageSetup
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from data.forms import scrub
from data.import_schema import FORMULA_STARTS

MISSING = "—"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF5")
TITLE_FONT = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
# Columns (in characters) that fit across an A4 page upright at full size; wider sheets print
# landscape (and, like every sheet, are scaled down to the page width when wider still).
PORTRAIT_WIDTH = 100
DEFAULT_WIDTH = 13  # a column without a set width, as spreadsheet programs draw it (8.43 + pad)
# Fitted to one page wide and at most this many tall, which no workbook reaches: as many pages
# as the rows need. (0, "automatic", means the same to Excel, but LibreOffice then paginates a
# sheet with a repeated header row short and drops its last rows from the print.)
PAGES_TALL = 9999
LINE_HEIGHT = 15.0  # points per line of 11-point text
TITLE_HEIGHT = 20.0  # points: a row holding a Title


@dataclass(frozen=True)
class Percent:
    """A rate written as a percentage cell (`87.5%`), or “—” when there is none."""

    value: float | None


@dataclass(frozen=True)
class Title:
    """A bold line above a table inside a sheet."""

    text: str


@dataclass(frozen=True)
class PageHeading:
    """What the top of every printed page names: the workbook's title and the date its data is
    current at (数据截至), when it has one."""

    title: str
    as_of: dt.date | None = None


@dataclass(frozen=True)
class Header:
    """A cell of a sheet's header row."""

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
    """A value as written: percentages, titles and header cells styled, text neutralised and
    wrapped inside its column, every cell at the top of its row (rows grow with wrapped text)."""
    if value is None:
        return None
    if isinstance(value, Title):
        cell = WriteOnlyCell(sheet, value=neutralise(value.text))
        cell.font = TITLE_FONT
        return cell
    if isinstance(value, Header):
        return _header(sheet, value.text)
    if isinstance(value, Percent):
        cell = WriteOnlyCell(sheet, value=MISSING if value.value is None else value.value)
        if value.value is not None:
            cell.number_format = "0.0%"
        cell.alignment = TOP
        return cell
    cell = WriteOnlyCell(sheet, value=neutralise(value))
    cell.alignment = WRAP if isinstance(value, str) else TOP
    return cell


def _header(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    """A header cell: bold on a light fill, wrapped."""
    cell = WriteOnlyCell(sheet, value=neutralise(text))
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = WRAP
    return cell


def text_width(text: str) -> int:
    """How many column-width units a line of text takes: two for a full-width (Chinese)
    character, one for any other."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def lines_needed(text: str, width: float) -> int:
    """How many lines a text wraps to in a column `width` units wide (a unit of padding)."""
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in text.split("\n"))


def _text(value: Any) -> str | None:
    """The wrapped text a value is written as (None for numbers, dates and percentages)."""
    if isinstance(value, Header):
        return neutralise(value.text)
    return neutralise(value) if isinstance(value, str) else None


def row_height(values: Sequence[Any], widths: Sequence[int]) -> float | None:
    """The height (points) a row needs for its wrapped text, None when one line is enough.
    Set on the row because not every spreadsheet program sizes rows to their text on opening,
    and a row one line high prints a wrapped text cut to its first line."""
    if any(isinstance(value, Title) for value in values):
        return TITLE_HEIGHT
    widths = [*widths, *[DEFAULT_WIDTH] * (len(values) - len(widths))]
    texts = [(_text(value), width) for value, width in zip(values, widths, strict=False)]
    lines = max((lines_needed(text, w) for text, w in texts if text is not None), default=1)
    return lines * LINE_HEIGHT + 2 if lines > 1 else None


def _append(
    sheet: WriteOnlyWorksheet, number: int, values: Sequence[Any], widths: Sequence[int]
) -> None:
    """Write row `number` (from 1) of values, as tall as their wrapped text needs."""
    height = row_height(values, widths)
    if height is not None:
        sheet.row_dimensions[number].height = height
    sheet.append([_cell(sheet, value) for value in values])


def _header_text(text: str) -> str:
    """Text for a page header: scrubbed, with `&` (a header field code) doubled."""
    return scrub(text).replace("&", "&&")


def print_setup(sheet: WriteOnlyWorksheet, data: SheetData, heading: PageHeading) -> None:
    """Set a sheet up to print: A4, landscape when wider than a portrait page, fitted to one
    page wide (as many pages tall as the rows need), the header row repeated on every page,
    and the heading (title, sheet, 数据截至) at the top of every page, page numbers below."""
    width = sum(data.widths) + DEFAULT_WIDTH * max(len(data.headers) - len(data.widths), 0)
    sheet.page_setup = PrintPageSetup(
        worksheet=sheet,
        paperSize=Worksheet.PAPERSIZE_A4,
        orientation=Worksheet.ORIENTATION_LANDSCAPE
        if width > PORTRAIT_WIDTH
        else Worksheet.ORIENTATION_PORTRAIT,
        fitToWidth=1,
        fitToHeight=PAGES_TALL,
    )
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    if data.headers:
        sheet.print_title_rows = "1:1"
    header = sheet.oddHeader
    header.left.text = _header_text(heading.title)
    header.center.text = "&A"  # the sheet's name
    if heading.as_of is not None:
        header.right.text = f"数据截至：{heading.as_of.isoformat()}"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def workbook_bytes(sheets: Iterable[SheetData], heading: PageHeading | None = None) -> bytes:
    """An .xlsx file of the sheets: bold frozen header row with filters, set column widths,
    each sheet set up to print with the heading (default: the sheet's own title) on every
    page."""
    book = Workbook(write_only=True)
    for data in sheets:
        sheet = book.create_sheet(scrub(data.title)[:31])
        print_setup(sheet, data, heading or PageHeading(data.title))
        for i, width in enumerate(data.widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        if data.headers:
            sheet.freeze_panes = "A2"
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(data.headers))}1"
            _append(sheet, 1, [Header(text) for text in data.headers], data.widths)
        for number, row in enumerate(data.rows, start=2 if data.headers else 1):
            _append(sheet, number, row, data.widths)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
