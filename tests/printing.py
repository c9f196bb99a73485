"""Printing workbooks as a bureau does: through LibreOffice (headless) to PDF, and reading the
PDF back with poppler's pdftotext, to check what lands on paper — every cell whole, every row
on one page (no column alone on a page), no text drawn over other text (a cell cut short by
its row or its neighbour), the page heading on every page."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import subprocess
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

CONVERT_TIMEOUT = 300  # seconds for one soffice run over several files (the machine is shared)
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
SPACE = re.compile(r"\s+")


def print_to_pdf(files: Sequence[Path], outdir: Path, profile: Path) -> list[Path]:
    """Print the workbooks to PDF in one LibreOffice run (its own profile, so parallel runs do
    not share one); the PDFs, in the files' order."""
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=CONVERT_TIMEOUT,
    )
    pdfs = [outdir / f"{file.stem}.pdf" for file in files]
    missing = [pdf.name for pdf in pdfs if not pdf.exists()]
    assert not missing, f"LibreOffice printed no PDF for {missing}"
    return pdfs


@dataclass(frozen=True)
class Word:
    """A run of text on a page and its box (points from the top left)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    """A printed page: its words, and its text (whitespace removed) in reading order and
    column by column (the lines of a wrapped cell start at one left edge, one under another)."""

    number: int
    words: list[Word]

    @property
    def text(self) -> str:
        """The page's text read across, then down each left edge (separated by NUL)."""
        columns: dict[float, list[Word]] = defaultdict(list)
        for word in self.words:
            columns[round(word.x0, 1)].append(word)
        downs = ["".join(w.text for w in sorted(ws, key=lambda w: w.y0)) for ws in columns.values()]
        return squash("\0".join(["".join(w.text for w in self.words), *downs]))

    @property
    def heading(self) -> list[str]:
        """The words of the page header: the top line of the page."""
        top = min((word.y1 for word in self.words), default=0)
        return [word.text for word in self.words if word.y1 <= top + 1]


def squash(text: str) -> str:
    """Text with every whitespace removed (a wrapped cell's lines, joined)."""
    return SPACE.sub("", text)


def read_pdf(pdf: Path) -> list[Page]:
    """The pages of a PDF with their words (pdftotext -bbox)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for number, chunk in enumerate(out.split("<page ")[1:], start=1):
        words = [
            Word(html.unescape(text), float(x0), float(y0), float(x1), float(y1))
            for x0, y0, x1, y1, text in WORD.findall(chunk)
        ]
        pages.append(Page(number, words))
    return pages


def shown(value: Any, number_format: str) -> str:
    """A cell's value as a spreadsheet program shows it (dates, percentages, numbers)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, int | float) and number_format.endswith("%"):
        return f"{value:.1%}"
    return str(value)


def sheet_rows(data: bytes) -> dict[str, list[list[str]]]:
    """Every sheet's rows as the texts of their non-empty cells."""
    book = load_workbook(io.BytesIO(data))
    return {
        sheet.title: [
            [shown(cell.value, cell.number_format) for cell in row if cell.value is not None]
            for row in sheet.iter_rows()
        ]
        for sheet in book.worksheets
    }


def overlaps(page: Page) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other on a page: a cell's text running into the next
    row (its row too short for it) or into its neighbour (not wrapped)."""
    found = []
    words = sorted(page.words, key=lambda w: w.y0)
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if b.y0 >= a.y1:
                break
            high = min(a.y1, b.y1) - max(a.y0, b.y0)
            wide = min(a.x1, b.x1) - max(a.x0, b.x0)
            if high > 0.3 * min(a.y1 - a.y0, b.y1 - b.y0) and wide > 1:
                found.append((a.text, b.text))
    return found


def pages_by_sheet(pages: Sequence[Page], sheets: Iterable[str]) -> dict[str, list[Page]]:
    """The pages of each sheet, told by the sheet's name in the page header (every page for a
    sheet no page header names, so its rows are still looked for)."""
    return {
        name: [page for page in pages if name in page.heading] or list(pages) for name in sheets
    }


def print_problems(data: bytes, pdf: Path, title: str, as_of: dt.date) -> list[str]:
    """What is wrong with a workbook on paper (empty when it prints well): a row no single page
    holds whole (a column on a page of its own, a cell cut at the page edge), text drawn over
    text (a cell cut by its row or its neighbour), pages without the heading (title, sheet
    name, 数据截至)."""
    rows = sheet_rows(data)
    pages = read_pdf(pdf)
    by_sheet = pages_by_sheet(pages, rows)
    problems = []
    for name, sheet in rows.items():
        page_texts = [page.text for page in by_sheet[name]]
        for number, cells in enumerate(sheet, start=1):
            texts = [squash(text) for text in cells if squash(text)]
            if texts and not any(all(t in text for t in texts) for text in page_texts):
                problems.append(f"{name} row {number}: no page holds {cells} whole")
    for page in pages:
        problems += [f"page {page.number}: {a!r} over {b!r}" for a, b in overlaps(page)]
    heading = (title, f"数据截至：{as_of.isoformat()}")
    unheaded = [p.number for p in pages if not all(h in "".join(p.heading) for h in heading)]
    if unheaded:
        problems.append(f"pages without {heading} at the top: {unheaded}")
    return problems
