"""Download routes of #18's briefings (registered by dashboard.downloads.init_exports):
/download/briefing/<id>.pdf and /download/briefing/<id>.docx, for every signed-in role.

Both are made from the briefing's frozen content only (data/briefings.py): figures, per-unit
counts and the recipients' names — nothing read from the problems, so nothing of a complainant.
The PDF is this module's HTML printed by the system Chromium (as dashboard/handout.py prints the
deck; nothing fetched from outside); a briefing never changes, so each file is made once and
kept in this process's memory cache.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from flask import Flask, Response, abort
from markupsafe import escape

from dashboard.auth import require_role
from dashboard.context import get_db
from dashboard.downloads import _send
from dashboard.handout import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from dashboard.text import T, fmt_date, fmt_rate
from data import cache
from data.briefings import BriefingRow, briefing_of
from data.figures import PHASES
from data.labels import LIST_SEPARATOR
from data.reference import CHANNEL_NAMES, PHASE_NAMES, Role

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Noto Serif CJK SC"
READERS = (Role.LEADER, Role.ADMIN, Role.SUPERVISOR, Role.UNIT)
UNIT_COLUMNS = (
    ("unit", T["briefings_doc_unit"]),
    ("problems", T["briefings_doc_problems"]),
    ("unfounded", T["briefings_doc_unfounded"]),
    ("rectified", T["briefings_doc_rectified"]),
    ("rectification_rate", T["briefings_doc_rate"]),
    ("overdue_problems", T["briefings_doc_overdue"]),
    ("complaints", T["briefings_doc_complaints"]),
)


# ---- the document, once, for both files -------------------------------------------------------


Table = tuple[list[str], list[list[str]]]


def _cell(key: str, value: Any) -> str:
    if key.endswith("rate"):
        return fmt_rate(value)
    return str(value)


def sections(row: BriefingRow) -> list[tuple[str, list[str], Table | None]]:
    """The briefing's sections in order: heading, paragraphs, an optional table."""
    c = row.content
    as_of = fmt_date(dt.date.fromisoformat(c["as_of"]))
    f = c["figures"]
    overall = [
        T["briefings_doc_overall"].format(
            date=as_of,
            problems=f["problems"],
            unfounded=f["unfounded"],
            rectified=f["rectified"],
            rate=fmt_rate(f["rectification_rate"]),
            due=f["due"],
            on_time=f["on_time"],
            on_time_rate=fmt_rate(f["on_time_rate"]),
            overdue=f["overdue_problems"],
            complaints=f["complaints"],
        ),
        T["briefings_doc_overdue_units"].format(
            n=len(c["overdue_units"]), names=LIST_SEPARATOR.join(c["overdue_units"])
        )
        if c["overdue_units"]
        else T["briefings_doc_no_overdue"],
    ]
    channels: Table = (
        [T["briefings_doc_channel"], T["briefings_doc_count"]],
        [[CHANNEL_NAMES.get(code, code), str(n)] for code, n in c["by_channel"].items()],
    )
    phases: Table = (
        [T["briefings_doc_phase"], T["briefings_doc_progress"]],
        [
            [PHASE_NAMES[code], fmt_rate(c["phase_progress"].get(code))]
            for code in PHASES
            if code in c["phase_progress"]
        ],
    )
    current = (
        [
            T["briefings_doc_current"].format(
                phase=PHASE_NAMES.get(c["current_phase"], c["current_phase"]), days=c["days_left"]
            )
        ]
        if c.get("current_phase")
        else []
    )
    units: Table | None = (
        (
            [label for _key, label in UNIT_COLUMNS],
            [[_cell(key, unit[key]) for key, _label in UNIT_COLUMNS] for unit in c["units"]],
        )
        if c["units"]
        else None
    )
    return [
        (T["briefings_doc_h_overall"], overall, None),
        (T["briefings_doc_h_channels"], [], channels),
        (
            T["briefings_doc_h_questions"],
            [T["briefings_doc_questions"].format(**c["questions"])],
            None,
        ),
        (
            T["briefings_doc_h_inspections"],
            [T["briefings_doc_inspections"].format(date=as_of, **c["inspections"])],
            None,
        ),
        (T["briefings_doc_h_phases"], current, phases),
        (T["briefings_doc_h_units"], [] if units else [T["briefings_doc_no_units"]], units),
    ]


def recipients_line(row: BriefingRow) -> str:
    """送：the representatives it went to."""
    names = [T["briefings_recipient_option"].format(**r) for r in row.content.get("recipients", [])]
    return T["briefings_doc_recipients"].format(names=LIST_SEPARATOR.join(names), n=len(names))


def issued_line(row: BriefingRow) -> str:
    return T["briefings_doc_issued"].format(by=row.issued_by, date=fmt_date(row.issued_on))


def snapshot_line(row: BriefingRow) -> str | None:
    snapshot = row.content.get("snapshot")
    return T["briefings_doc_snapshot"].format(**snapshot) if snapshot else None


# ---- HTML → PDF ------------------------------------------------------------------------------

STYLE = f"""
@page {{ size: A4; margin: 22mm 20mm; }}
body {{ font-family: "{FONT}", "Noto Sans CJK SC", serif; font-size: 11pt; line-height: 1.7;
       color: #000; }}
h1 {{ font-size: 18pt; text-align: center; margin: 0 0 4pt; }}
.issued {{ text-align: center; margin-bottom: 14pt; }}
h2 {{ font-size: 13pt; margin: 12pt 0 4pt; break-after: avoid; }}
p {{ margin: 0 0 6pt; text-indent: 2em; }}
table {{ border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 10pt; }}
th, td {{ border: 1px solid #000; padding: 2pt 5pt; text-align: center; }}
th {{ white-space: nowrap; }}
td:first-child {{ text-align: left; width: 40%; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
.recipients {{ margin-top: 16pt; border-top: 1px solid #000; padding-top: 6pt; text-indent: 0; }}
.digest {{ font-size: 8pt; color: #444; text-indent: 0; word-break: break-all; }}
"""


def _html_table(table: Table) -> str:
    head, rows = table
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def briefing_html(row: BriefingRow) -> str:
    """The briefing as a printable page (escaped; no external resources)."""
    parts = [
        f"<h1>{escape(row.title)}</h1>",
        f'<div class="issued">{escape(issued_line(row))}</div>',
    ]
    if row.body:
        parts += [f"<p>{escape(line)}</p>" for line in row.body.splitlines() if line.strip()]
    for heading, paragraphs, table in sections(row):
        parts.append(f"<h2>{escape(heading)}</h2>")
        parts += [f"<p>{escape(text)}</p>" for text in paragraphs]
        if table is not None:
            parts.append(_html_table(table))
    parts.append(f'<p class="recipients">{escape(recipients_line(row))}</p>')
    digest = snapshot_line(row)
    if digest:
        parts.append(f'<p class="digest">{escape(digest)}</p>')
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(row.title)}</title><style>{STYLE}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )


class PdfError(Exception):
    """Why no PDF could be printed (a Chinese sentence)."""


def print_pdf(html: str, chromium: str = CHROMIUM) -> bytes:
    """`html` printed to A4 by the system Chromium; nothing is fetched from outside.

    Printed on a thread of its own: Playwright's sync API refuses a thread that already
    runs an asyncio loop (a test runner's, or an async server's).
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf") as pool:
        return pool.submit(_print_pdf, html, chromium).result()


def _print_pdf(html: str, chromium: str) -> bytes:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise PdfError("需要 Python 包 playwright") from exc
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            raise PdfError(f"无法启动 Chromium（{chromium}）") from exc
        try:
            context = browser.new_context(locale="zh-CN")
            context.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(("data:", "about:"))
                    else route.abort()
                ),
            )
            page = context.new_page()
            page.set_content(html, timeout=TIMEOUT_MS)
            return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            browser.close()


# ---- Word ------------------------------------------------------------------------------------


def _font(run: Any, size: float | None = None, bold: bool = False) -> None:
    """Set a run's Latin and East Asian font (Word reads the latter for Chinese)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size is not None:
        run.font.size = Pt(size)
    run.bold = bold


def _paragraph(document: Any, text: str, size: float = 11, bold: bool = False, **kw: Any) -> Any:
    paragraph = document.add_paragraph(**kw)
    _font(paragraph.add_run(text), size, bold)
    return paragraph


def briefing_docx(row: BriefingRow) -> bytes:
    """The briefing as a Word document (python-docx)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    _paragraph(document, row.title, 16, True).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, issued_line(row)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in (row.body or "").splitlines():
        if line.strip():
            _paragraph(document, line)
    for heading, paragraphs, table in sections(row):
        _paragraph(document, heading, 13, True)
        for text in paragraphs:
            _paragraph(document, text)
        if table is not None:
            head, rows = table
            grid = document.add_table(rows=1 + len(rows), cols=len(head))
            grid.style = "Table Grid"
            for r, values in enumerate([head, *rows]):
                for col, value in enumerate(values):
                    cell = grid.cell(r, col)
                    _font(cell.paragraphs[0].add_run(value), 10, r == 0)
    _paragraph(document, recipients_line(row))
    digest = snapshot_line(row)
    if digest:
        _paragraph(document, digest, 8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---- the routes ------------------------------------------------------------------------------


def _briefing(briefing_id: int) -> BriefingRow:
    """The briefing asked for, to a signed-in user of any role (404 when there is none)."""
    require_role(*READERS)
    with get_db().read() as session:
        row = briefing_of(session, briefing_id)
    if row is None:
        abort(404, T["briefings_not_found"])
    return row


def _made(row: BriefingRow, ext: str, make: Any) -> bytes:
    """A briefing's file, made once per process (a briefing never changes)."""
    key = ("briefing_file", str(get_db().engine.url), row.id, ext)
    kept = cache.lookup(key)
    if kept is None:
        kept = make(row)
        cache.store(key, kept)
    return kept


def download_pdf(briefing_id: int) -> Response:
    """The briefing as PDF."""
    row = _briefing(briefing_id)
    try:
        data = _made(row, "pdf", lambda r: print_pdf(briefing_html(r)))
    except PdfError as exc:
        abort(503, T["briefings_pdf_failed"].format(reason=exc))
    return _send(data, T["briefings_file"].format(title=row.title, ext="pdf"), PDF)


def download_docx(briefing_id: int) -> Response:
    """The briefing as a Word document."""
    row = _briefing(briefing_id)
    data = _made(row, "docx", briefing_docx)
    return _send(data, T["briefings_file"].format(title=row.title, ext="docx"), DOCX)


def init(server: Flask) -> None:
    """Register this part's download routes under /download (authorised in each route)."""
    server.add_url_rule(
        "/download/briefing/<int:briefing_id>.pdf", "download_briefing_pdf", download_pdf
    )
    server.add_url_rule(
        "/download/briefing/<int:briefing_id>.docx", "download_briefing_docx", download_docx
    )
