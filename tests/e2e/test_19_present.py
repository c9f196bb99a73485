"""Issue #19 in Chromium: the question page on a phone (item 3), every question and every overdue
unit on the projector and in the handout (item 6), unit staff's refusal on /present (item 9)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.ids import Present as Ids
from dashboard.text import MISSING, T, fmt_date
from data.db import Database
from data.figures import UnitFigures, campaign_figures
from data.meetings import QuestionRow, list_questions
from layouts import present as present_layout
from tests.e2e.conftest import LiveServer, Watch, sign_in

RENDER_TIMEOUT = 20_000
FULL_HD = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}

# What the projector shows now: the slide, its "第 k / n 页" and the items of a list (`selector`)
# that are on screen (displayed, on the visible slide, above the slide's footer). Read in one go,
# so an auto-advance in between cannot mix two pages.
ON_SCREEN = """selector => {
    const n = parseInt(document.body.getAttribute('data-present-slide') || '1', 10);
    const slide = document.querySelector(`.present-slides > .present-slide:nth-child(${n})`);
    const shown = e => e.checkVisibility({visibilityProperty: true});
    const footer = slide.querySelector('.present-foot').getBoundingClientRect().top;
    return {
        slide: n,
        hash: location.hash,
        label: [...slide.querySelectorAll('.present-page-label')]
            .filter(shown).map(e => e.textContent).join('|'),
        items: [...slide.querySelectorAll(selector)]
            .filter(e => shown(e) && e.getBoundingClientRect().bottom <= footer + 1)
            .map(e => e.textContent),
    };
}"""
QUESTION_TEXT = ".present-q-text"
OVERDUE_UNIT = "#present-overdue-table tbody td:first-child"
SLIDE_OF = """selector => {
    const slide = document.querySelector(selector).closest('.present-slide');
    return [...slide.parentElement.children].indexOf(slide) + 1;
}"""


def _questions(server: LiveServer) -> list[QuestionRow]:
    database = Database.from_url(server.db_url)
    try:
        with database.read() as session:
            return list_questions(session, server.today.year, server.today)
    finally:
        database.engine.dispose()


def _overdue_units(server: LiveServer) -> list[UnitFigures]:
    database = Database.from_url(server.db_url)
    try:
        with database.read() as session:
            figures = campaign_figures(session, server.today.year, server.today)
    finally:
        database.engine.dispose()
    return [u for u in figures.by_unit if u.overdue_problems or u.overdue_tasks]


def _deck(server: LiveServer) -> str:
    return f"{server.url}/present?campaign={server.today.year}&as_of={server.today.isoformat()}"


def _on_screen(page: Page, selector: str) -> dict[str, Any]:
    return page.evaluate(ON_SCREEN, selector)


def _open_slide_of(page: Page, server: LiveServer, selector: str, query: str = "") -> int:
    """Open the deck and go to the slide holding `selector`: by its digit key, or with `query`
    added to the address through a new page load at #n (so an auto-advance starts there)."""
    page.goto(_deck(server))
    expect(page.locator(selector)).to_be_attached(timeout=30_000)
    graphs = page.locator(".present-graph")  # the deck has settled: every chart drawn
    for i in range(graphs.count()):
        expect(graphs.nth(i).locator(".main-svg").first).to_be_attached(timeout=30_000)
    n = int(page.evaluate(SLIDE_OF, selector))
    if query:
        page.goto(f"{_deck(server)}{query}#{n}")
    else:
        assert n <= 10
        page.keyboard.press(str(n % 10))
    expect(page.locator(f"#present-slide-{n}")).to_be_visible(timeout=RENDER_TIMEOUT)
    return n


def _page_through(page: Page, selector: str, key: str) -> dict[str, list[str]]:
    """Press `key` until the deck leaves the slide or stops moving; what each page showed."""
    seen: dict[str, list[str]] = {}
    first = _on_screen(page, selector)
    while True:
        now = _on_screen(page, selector)
        if now["slide"] != first["slide"] or now["label"] in seen:
            return seen
        seen[now["label"]] = now["items"]
        page.keyboard.press(key)


def _labels_complete(labels: list[str]) -> None:
    """The pages were labelled 第 1 / n 页 … 第 n / n 页, each once, for one n."""
    matches = [re.fullmatch(r"第 (\d+) / (\d+) 页", label) for label in labels]
    assert all(matches), labels
    totals = {int(m.group(2)) for m in matches if m}
    assert len(totals) == 1, labels
    total = totals.pop()
    assert sorted(labels) == sorted(f"第 {k} / {total} 页" for k in range(1, total + 1))


@pytest.fixture
def deck_page(watched_page: tuple[Page, Watch]) -> tuple[Page, Watch]:
    page, watch = watched_page
    page.set_viewport_size(FULL_HD)
    return page, watch


# Item 3 --------------------------------------------------------------------------------------


def test_question_page_reads_on_a_phone(browser: Browser, live_server: LiveServer) -> None:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        sign_in(page, live_server, "duban")
        page.goto(f"{live_server.url}/present/questions?campaign={live_server.today.year}")
        expect(page.locator(".pq-row").first).to_be_attached(timeout=RENDER_TIMEOUT)
        expect(page.locator("#pq-add")).to_be_visible()
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        # both forms fit the screen
        for control in ("#pq-asker", "#pq-question", "#pq-add", "#pq-answer", "#pq-save-answer"):
            box = page.locator(control).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, control

        # a question answered 会后反馈: its 反馈时限 is on screen, not cut off, and its text reads
        # as a line of text, not two characters a line
        question = next(q for q in _questions(live_server) if q.deadline is not None)
        deadline = fmt_date(question.deadline)
        row = page.locator(".pq-row").filter(has_text=question.question)
        row = row.filter(has_text=deadline).first
        cells = row.locator("td")
        cell = cells.nth(5)
        cell.scroll_into_view_if_needed()
        expect(cell).to_have_text(deadline)
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.closest('td')?.textContent",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert hit == deadline  # drawn there, not hidden under or clipped by something else
        text = cells.nth(3)
        size = text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        text_box = text.bounding_box()
        assert text_box is not None and text_box["width"] >= 10 * size
        assert text_box["x"] + text_box["width"] <= width
    finally:
        context.close()


# Item 6 --------------------------------------------------------------------------------------


def test_keys_page_through_every_question_and_every_overdue_unit(
    deck_page: tuple[Page, Watch], live_server: LiveServer
) -> None:
    page, watch = deck_page
    questions = Counter(q.question for q in _questions(live_server))
    assert sum(questions.values()) > 5  # more than one slide's page holds

    n = _open_slide_of(page, live_server, "#present-questions")
    pages = _page_through(page, QUESTION_TEXT, "ArrowRight")
    assert Counter(text for items in pages.values() for text in items) == questions
    _labels_complete(list(pages))
    last = list(pages)[-1]
    page.keyboard.press("PageUp")  # back a page
    back = _on_screen(page, QUESTION_TEXT)
    assert back["slide"] == n and back["items"] == pages[list(pages)[-2]]
    page.keyboard.press("Space")  # forward again
    assert _on_screen(page, QUESTION_TEXT)["label"] == last

    units = Counter(u.unit for u in _overdue_units(live_server))
    assert sum(units.values()) > 10  # more than one slide's page holds
    n = _open_slide_of(page, live_server, f"#{Ids.OVERDUE_TABLE}")
    pages = _page_through(page, OVERDUE_UNIT, "PageDown")
    assert Counter(unit for items in pages.values() for unit in items) == units
    _labels_complete(list(pages))
    assert _on_screen(page, OVERDUE_UNIT)["slide"] == n + 1  # then the next slide
    page.keyboard.press("ArrowLeft")  # back: the last page of the overdue slide
    assert _on_screen(page, OVERDUE_UNIT)["label"] == list(pages)[-1]
    assert watch.console_errors == [] and watch.outside == []


def test_auto_advance_pages_through_every_question(
    deck_page: tuple[Page, Watch], live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    page, watch = deck_page
    monkeypatch.setattr(present_layout, "MIN_AUTO_SECONDS", 1)  # a page every 3 s, not 5+
    questions = Counter(q.question for q in _questions(live_server))
    n = _open_slide_of(page, live_server, "#present-questions", "&auto=3")
    seen: dict[str, list[str]] = {}
    now = _on_screen(page, QUESTION_TEXT)
    while now["slide"] == n:
        seen[now["label"]] = now["items"]
        page.wait_for_function("h => location.hash !== h", arg=now["hash"], timeout=30_000)
        now = _on_screen(page, QUESTION_TEXT)
    assert now["slide"] == 1  # past the last page: the deck starts over
    assert Counter(text for items in seen.values() for text in items) == questions
    _labels_complete(list(seen))
    assert watch.console_errors == [] and watch.outside == []


def test_handout_prints_every_question_and_every_overdue_unit(
    live_server: LiveServer, tmp_path: Path
) -> None:
    out = tmp_path / "handout.pdf"
    env = {**os.environ, "DATABASE_URL": live_server.db_url, "DASHBOARD_TODAY": "2026-11-20"}
    command = ["handout", "--campaign", str(live_server.today.year), "--out", str(out)]
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", *command, "--as-of", live_server.today.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = out.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    assert f"（{pages} 页）" in result.stdout
    assert re.search(rb"/MediaBox\s*\[0 0 1440 810\]", data)  # landscape 1920×1080 px pages
    layout = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", layout)
    for heading in (T["present_s_overdue"], T["present_s_questions"]):
        assert heading in flat
    for text, count in Counter(q.question for q in _questions(live_server)).items():
        assert flat.count(re.sub(r"\s+", "", text)) >= count, text
    # every overdue unit as a row of the table: its name, then its numbers on the same line
    value = rf"(?:\d+|{re.escape(MISSING)})"
    for unit in _overdue_units(live_server):
        row = rf"{re.escape(unit.unit)}\s+{value}\s+{value}\s+{value}\s"
        assert re.search(row, layout), unit.unit
    assert "另有" not in flat  # nothing left out


# Item 9 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_unit_staff_see_the_whole_refusal(
    browser: Browser, live_server: LiveServer, viewport: dict[str, int]
) -> None:
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    try:
        page = context.new_page()
        sign_in(page, live_server, "unit01")
        page.goto(_deck(live_server))
        refusal = page.get_by_text(T["present_denied"])
        expect(refusal).to_be_visible(timeout=RENDER_TIMEOUT)
        way_back = page.locator(".present-notice a")
        expect(way_back).to_have_text(T["nav_overview"])
        for element in (refusal, way_back):  # all of it inside the window, nothing cut off
            box = element.bounding_box()
            assert box is not None
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
            assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    finally:
        context.close()
