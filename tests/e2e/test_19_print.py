"""Issue #19, item 8: every workbook a user downloads prints (LibreOffice, headless, to PDF, read
back with pdftotext): each row whole on one page (no column alone on a page, no cell cut at the
page edge or by its row), no text drawn over other text, and the title and 数据截至 at the top of
every page."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, sign_in
from tests.printing import print_problems, print_to_pdf

RENDER_TIMEOUT = 20_000
# Where each workbook is downloaded, as whom: (role, page, [(link, saved as, title)]).
DOWNLOADS = [
    (
        "leader",
        "/",
        [
            ("#overview-download-report", "report", "纠风办报表"),
            ("#overview-download-ledger", "ledger", "问题整改台账"),
        ],
    ),
    ("leader", "/overdue", [("#overdue-download-overdue", "overdue", "逾期单位清单")]),
    (
        "admin",
        "/import",
        [
            ("a[href^='/download/supervision.xlsx']", "supervision", "督导检查记录"),
            ("a[href^='/download/archive.xlsx']", "archive", "工作档案目录"),
        ],
    ),
]


def _download(page: Page, link: str, target: Path) -> Path:
    """Click a download link of the page and keep the file as `target`."""
    anchor = page.locator(link)
    expect(anchor).to_be_visible(timeout=RENDER_TIMEOUT)
    with page.expect_download(timeout=60_000) as info:
        anchor.click()
    info.value.save_as(target)
    return target


def test_every_workbook_prints_whole(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    year, as_of = live_server.today.year, live_server.today
    files: list[tuple[Path, str]] = []
    for role, path, links in DOWNLOADS:
        sign_in(page, live_server, role)
        page.goto(f"{live_server.url}{path}?campaign={year}&as_of={as_of.isoformat()}")
        for link, name, title in links:
            files.append((_download(page, link, tmp_path / f"{name}.xlsx"), title))

    pdfs = print_to_pdf([file for file, _ in files], tmp_path / "pdf", tmp_path / "profile")

    report = {
        file.name: print_problems(file.read_bytes(), pdf, f"{year}年{title}", as_of)
        for (file, title), pdf in zip(files, pdfs, strict=True)
    }
    bad = {name: problems for name, problems in report.items() if problems}
    assert not bad, "\n".join(
        f"{name} on paper ({len(problems)} problems):\n  " + "\n  ".join(problems[:8])
        for name, problems in bad.items()
    )
