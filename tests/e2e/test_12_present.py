"""评议大会 projection mode in Chromium at 1920×1080: slides, keys, live questions (the handout:
test_19_present.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from dashboard.ids import PresentQuestions as PQ
from data.db import Database
from data.meetings import QuestionRow, list_questions
from tests.e2e.conftest import LiveServer, Watch, sign_in
from tests.e2e.grids import grid_texts

# A deck for a new date computes every figure afresh; under the whole suite on 2 cores that can
# take longer than expect()'s 5 s default.
RENDER_TIMEOUT = 20_000

SLIDES = 10
DECK = "/present?campaign=2026&as_of=2026-11-20"
FULL_HD = {"width": 1920, "height": 1080}


@pytest.fixture
def deck_page(watched_page: tuple[Page, Watch]) -> tuple[Page, Watch]:
    page, watch = watched_page
    page.set_viewport_size(FULL_HD)
    return page, watch


def _questions(server: LiveServer) -> list[QuestionRow]:
    """The meeting's questions as the questions page lists them, straight from the data layer."""
    db = Database.from_url(server.db_url)
    try:
        with db.read() as s:
            return list_questions(s, server.today.year, server.today)
    finally:
        db.engine.dispose()


def _current(page: Page) -> str | None:
    return page.evaluate("document.body.getAttribute('data-present-slide')")


def _visible_slide(page: Page) -> int:
    """The number of the one slide on screen (checked through what is visible)."""
    shown = [n for n in range(1, SLIDES + 1) if page.locator(f"#present-slide-{n}").is_visible()]
    assert len(shown) == 1, shown
    return shown[0]


def _next_slide(page: Page) -> None:
    """→ until the next slide is on screen (through the pages of a long list first)."""
    before = _visible_slide(page)
    for _ in range(50):
        page.keyboard.press("ArrowRight")
        if _visible_slide(page) != before:
            return
    raise AssertionError(f"→ never left slide {before}")


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_every_slide_renders_and_keys_move(
    deck_page: tuple[Page, Watch], live_server: LiveServer, theme: str, tmp_path: Path
) -> None:
    page, watch = deck_page
    page.goto(f"{live_server.url}{DECK}&theme={theme}")
    expect(page.locator(".present-slides > .present-slide")).to_have_count(SLIDES, timeout=30_000)
    expect(page.locator(".present-graph .main-svg").first).to_be_attached(timeout=30_000)
    assert page.locator(".navbar").is_hidden()  # the app's frame is out of the way
    assert _visible_slide(page) == 1
    expect(page.locator("#present-slide-1")).to_contain_text("数据截至 2026年11月20日")
    for n in range(1, SLIDES + 1):
        if n > 1:
            _next_slide(page)
        assert _visible_slide(page) == n
        slide = page.locator(f"#present-slide-{n}")
        expect(slide).to_contain_text(f"{n} / {SLIDES}")
        expect(slide).to_contain_text("数据截至 2026年11月20日")
        page.screenshot(path=str(tmp_path / f"{theme}-{n}.png"))
    # every chart slide has drawn its one chart
    assert page.locator(".present-graph .main-svg").count() >= 5
    for _ in range(20):  # past the end (the last page of the last slide) stays there
        page.keyboard.press("ArrowRight")
    assert _visible_slide(page) == SLIDES
    page.keyboard.press("9")
    page.keyboard.press("ArrowRight")
    assert _visible_slide(page) == SLIDES
    page.keyboard.press("ArrowLeft")
    assert _visible_slide(page) == SLIDES - 1
    page.keyboard.press("3")
    assert _visible_slide(page) == 3 and page.url.endswith("#3")
    page.keyboard.press("0")
    assert _visible_slide(page) == 10
    page.keyboard.press("Home")
    assert _visible_slide(page) == 1
    page.keyboard.press("PageDown")
    page.keyboard.press("Space")
    assert _visible_slide(page) == 3
    page.keyboard.press("PageUp")
    assert _visible_slide(page) == 2
    page.keyboard.press("End")
    assert _visible_slide(page) == SLIDES
    page.locator(".present-dot").nth(4).click()
    assert _visible_slide(page) == 5
    page.keyboard.press("f")  # full screen (refused headless: quietly, no console error)
    assert _visible_slide(page) == 5
    # headline figures are at least 64 px, labels at least 28 px
    page.keyboard.press("2")
    size = page.locator("#present-slide-2 .present-value").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    label = page.locator("#present-slide-2 .present-label").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 64 and label >= 28
    assert watch.console_errors == [] and watch.outside == []


def test_the_as_of_date_is_frozen_into_the_url(
    deck_page: tuple[Page, Watch], live_server: LiveServer
) -> None:
    page, watch = deck_page
    page.goto(f"{live_server.url}/present?campaign=2026")
    page.wait_for_url(re.compile(r"as_of=2026-11-20"), timeout=30_000)
    expect(page.locator("#present-slide-1")).to_contain_text(
        "数据截至 2026年11月20日", timeout=RENDER_TIMEOUT
    )
    page.locator("#present-as-of").fill("2026-09-30")
    page.locator("#present-as-of").press("Enter")
    page.wait_for_url(re.compile(r"as_of=2026-09-30"), timeout=30_000)
    expect(page.locator("#present-slide-2")).to_contain_text(
        "数据截至 2026年9月30日", timeout=RENDER_TIMEOUT
    )
    assert watch.console_errors == [] and watch.outside == []


def test_a_question_entered_appears_on_the_projector(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(viewport=FULL_HD, locale="zh-CN")
    errors: list[str] = []
    outside: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith((live_server.url, "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    try:
        projector = context.new_page()
        projector.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in(projector, live_server, "duban")
        projector.goto(f"{live_server.url}{DECK}")
        expect(projector.locator("#present-slide-10")).to_be_attached(timeout=30_000)
        projector.keyboard.press("0")
        assert _visible_slide(projector) == 10

        entry = context.new_page()
        entry.goto(f"{live_server.url}/present/questions?campaign=2026")
        entry.locator("#pq-add").click()  # nothing filled in: refused at the fields
        expect(entry.locator("#pq-add-errors")).to_contain_text("必填")
        entry.locator("#pq-asker").fill("现场群众甲")
        entry.locator("#pq-question").fill("投影测试：法律援助申请要跑几趟？")
        entry.locator("#pq-add").click()
        expect(entry.locator("#pq-added")).to_be_visible(timeout=15_000)
        # the page's grid holds every question of the meeting, the new one too
        expected = _questions(live_server)
        entry.wait_for_function(
            "([id, n]) => dash_ag_grid.getApi(id).getDisplayedRowCount() === n",
            arg=[PQ.GRID, len(expected)],
            timeout=RENDER_TIMEOUT,
        )
        assert grid_texts(entry, PQ.GRID, "question") == [q.question for q in expected]
        assert "投影测试：法律援助申请要跑几趟？" in grid_texts(entry, PQ.GRID, "question")

        questions = projector.locator("#present-questions")
        expect(questions).to_contain_text("投影测试：法律援助申请要跑几趟？", timeout=20_000)
        expect(questions).to_contain_text("待答复")
        assert _visible_slide(projector) == 10  # the refresh did not move the deck

        entry.locator("#pq-pick").click()
        entry.get_by_role("option", name=re.compile("投影测试")).click()
        entry.locator("#pq-answer").fill("当场答复：一次办好")
        entry.locator("#pq-save-answer").click()
        expect(entry.locator("#pq-answered")).to_be_visible(timeout=15_000)
        expect(questions).to_contain_text("已当场答复", timeout=20_000)
        assert errors == [] and outside == []
    finally:
        context.close()
