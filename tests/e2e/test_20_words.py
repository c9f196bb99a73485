"""#14 items 1–3, read back from the rendered pages and the downloaded files: the unfounded are
part of the total (其中), the complaints are 投诉件数 (not one channel's name), and a list at an
earlier date shows that date's status."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from urllib.parse import unquote

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from data.db import Database
from data.overdue import overdue_problems
from tests.e2e.conftest import LiveServer, Watch
from tests.e2e.grids import grid_texts


def _early(server: LiveServer) -> dt.date:
    return dt.date(server.today.year, 9, 30)


def _rectified_later(server: LiveServer) -> int:
    """How many problems overdue at the early date have been marked rectified since."""
    db = Database.from_url(server.db_url)
    with db.read() as s:
        rows = overdue_problems(s, server.today.year, _early(server))
    db.engine.dispose()
    return sum(p.status in ("done", "verified") for p in rows)


def test_the_overview_says_the_unfounded_are_part_of_the_total(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, _ = watched_page
    page.goto(f"{live_server.url}/?campaign={live_server.today.year}")
    card = page.locator("#overview-content")
    expect(card).to_contain_text("其中经核查不属实", timeout=20_000)
    assert "不含经核查不属实" not in card.inner_text()


def test_the_slides_name_the_complaints_as_the_overview_does(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, _ = watched_page
    page.goto(f"{live_server.url}/present?campaign={live_server.today.year}")
    slides = page.locator(".present-slides")
    expect(slides).to_be_attached(timeout=20_000)
    labels = [t.strip() for t in page.locator(".present-label").all_text_contents()]
    assert "投诉件数" in labels and "投诉举报" not in labels
    headings = " ".join(page.locator(".present-slides h2, .present-slides h1").all_text_contents())
    assert "投诉件数分布" in headings and "投诉举报分布" not in headings


def test_the_overdue_list_of_an_earlier_date_shows_that_dates_status(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    later = _rectified_later(live_server)
    assert later > 0, "the demo should have problems overdue then and rectified since"
    page, _ = watched_page
    year, early = live_server.today.year, _early(live_server).isoformat()
    page.goto(f"{live_server.url}/overdue?campaign={year}&as_of={early}")
    statuses = grid_texts(page, "overdue-problem-list", "status")  # every row the grid holds
    assert sum(s.startswith("截至该日未整改") for s in statuses) == later
    assert not {"已整改", "已销号"} & set(statuses)

    with page.expect_download() as got:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = '';"
            " document.body.appendChild(a); a.click(); }",
            f"/download/overdue.xlsx?campaign={year}&as_of={early}",
        )
    book = load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))
    rows = list(book["逾期问题"].iter_rows(values_only=True))
    status = rows[0].index("整改状态")
    written = [r[status] for r in rows[1:]]
    assert sum(str(s).startswith("截至该日未整改") for s in written) == later
    assert not {"已整改", "已销号"} & set(written)

    with page.expect_download() as ledger:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = '';"
            " document.body.appendChild(a); a.click(); }",
            f"/download/ledger.xlsx?campaign={year}&as_of={early}",
        )
    assert f"截至{early}" in unquote(ledger.value.suggested_filename)
