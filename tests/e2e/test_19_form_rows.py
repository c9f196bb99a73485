"""Issue #19 item 1: what was typed survives adding and removing rows, on every form with
repeated rows (督导检查: 整改事项; 明查暗访: 发现的问题), ratings above all (20 % of the
work score), which adding a follow-up once blanked."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.config import Settings
from data.db import Database
from data.demo import load_demo
from data.migrate import upgrade
from data.models import Inspection, Problem, SupervisionRating, SupervisionVisit, Unit
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import DEMO_TODAY, LiveServer, sign_in
from tests.e2e.dropdowns import choose

WAIT = 20_000
YEAR = DEMO_TODAY.year
# Four criteria rated, each a different way (a criterion's name → the rating's label).
RATED = {"信息公开": "符合", "依法办事": "基本符合", "廉洁自律": "不符合", "制度建设": "符合"}


@pytest.fixture(scope="module")
def own_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresDatabases | None,
) -> Iterator[LiveServer]:
    """The demo county in a database of the module's own (its saves change no other test's
    figures), served on 127.0.0.1."""
    module = request.module.__name__.rpartition(".")[2]
    name = postgres.create(f"e2e_{module}") if postgres is not None else None
    if postgres is not None and name is not None:
        url = postgres.url(name)
    else:
        path: Path = tmp_path_factory.mktemp(module) / "demo.db"
        url = f"sqlite:///{path}"
    upgrade(url)
    database = Database.from_url(url)
    load_demo(database, seed=2024, today=DEMO_TODAY)
    database.engine.dispose()
    app = create_app(Settings(database_url=url, secret_key="rows", fixed_today=DEMO_TODAY))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", url, DEMO_TODAY)
    server.shutdown()
    thread.join(timeout=5)
    if postgres is not None and name is not None:
        postgres.drop(name)


def _page(browser: Browser, server: LiveServer, user: str = "duban") -> Page:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, server, user)
    return page


def _unit(server: LiveServer, name_like: str) -> tuple[int, str]:
    """A demo unit whose name contains `name_like`: its id and name."""
    db = Database.from_url(server.db_url)
    with db.read() as s:
        unit = s.scalars(
            select(Unit).where(Unit.name.contains(name_like)).order_by(Unit.id)
        ).first()
        assert unit is not None
        found = unit.id, unit.name
    db.engine.dispose()
    return found


def _rating_row(page: Page, criterion: str) -> object:
    return page.locator(".rating-row").filter(has_text=criterion)


def _check_ratings(page: Page) -> None:
    """Every rating chosen is still chosen."""
    for criterion, rating in RATED.items():
        expect(_rating_row(page, criterion).get_by_label(rating, exact=True)).to_be_checked()
    expect(page.locator(".rating-row input:checked")).to_have_count(len(RATED))


def _row_part(page: Page, prefix: str, part: str, n: int) -> object:
    """Part `part` of the n-th follow-up row on screen (its own id ends the dict; a dropdown's
    inner parts add a suffix to it)."""
    return (
        page.locator(f"#{prefix}-follow-ups .follow-up-row")
        .nth(n)
        .locator(f"[id*='{prefix}-fu-{part}'][id$='}}']")
    )


def _choose_criterion(page: Page, prefix: str, n: int, criterion: str) -> None:
    row = page.locator(f"#{prefix}-follow-ups .follow-up-row").nth(n)
    criterion_box = row.locator("[id*='-fu-criterion']").first
    choose(page, criterion_box, criterion, opener=row.get_by_text("评议内容", exact=True))


def _add_row(page: Page, prefix: str, count: int) -> None:
    page.locator(f"#{prefix}-follow-up-add").click()
    expect(page.locator(f"#{prefix}-follow-ups .follow-up-row")).to_have_count(count, timeout=WAIT)


def _remove_row(page: Page, prefix: str, n: int, left: int) -> None:
    rows = page.locator(f"#{prefix}-follow-ups .follow-up-row")
    rows.nth(n).get_by_role("button", name="删除此项").click()
    expect(rows).to_have_count(left, timeout=WAIT)


def test_visit_ratings_and_rows_survive_adding_and_removing_rows(
    browser: Browser, own_server: LiveServer
) -> None:
    unit_id, unit_name = _unit(own_server, "司法所")
    page = _page(browser, own_server)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{own_server.url}/supervision?campaign={YEAR}&unit={unit_id}")
    expect(page.locator(".rating-row").first).to_be_visible(timeout=WAIT)
    for criterion, rating in RATED.items():
        _rating_row(page, criterion).get_by_label(rating, exact=True).check()
    page.locator("#sup-findings").fill("窗口未公示收费标准")

    _add_row(page, "sup", 1)
    _check_ratings(page)  # adding a row once blanked every rating
    _row_part(page, "sup", "desc", 0).fill("三日内补齐收费标准公示")
    _choose_criterion(page, "sup", 0, "信息公开")
    _row_part(page, "sup", "deadline", 0).fill(f"{YEAR}-12-20")
    _row_part(page, "sup", "owner", 0).fill("张所长")
    _add_row(page, "sup", 2)
    _row_part(page, "sup", "desc", 1).fill("这一项随后删除")
    _add_row(page, "sup", 3)
    _row_part(page, "sup", "desc", 2).fill("规范办事指南")
    _choose_criterion(page, "sup", 2, "依法办事")
    _row_part(page, "sup", "deadline", 2).fill(f"{YEAR}-12-25")
    _remove_row(page, "sup", 1, 2)

    _check_ratings(page)
    expect(page.locator("#sup-findings")).to_have_value("窗口未公示收费标准")
    expect(_row_part(page, "sup", "desc", 0)).to_have_value("三日内补齐收费标准公示")
    expect(_row_part(page, "sup", "owner", 0)).to_have_value("张所长")
    expect(_row_part(page, "sup", "deadline", 0)).to_have_value(f"{YEAR}-12-20")
    expect(_row_part(page, "sup", "criterion", 0)).to_contain_text("信息公开")
    expect(_row_part(page, "sup", "desc", 1)).to_have_value("规范办事指南")
    expect(_row_part(page, "sup", "criterion", 1)).to_contain_text("依法办事")

    page.locator("#sup-save").click()
    expect(page.locator("#sup-saved")).to_be_visible(timeout=WAIT)
    detail = page.locator("#sup-detail")
    for criterion, rating in RATED.items():
        expect(detail).to_contain_text(f"{criterion}：{rating}")
    expect(detail).to_contain_text("三日内补齐收费标准公示")
    expect(detail).to_contain_text("规范办事指南")
    expect(detail).not_to_contain_text("这一项随后删除")
    page.context.close()

    db = Database.from_url(own_server.db_url)
    with db.read() as s:
        visit = s.scalars(
            select(SupervisionVisit)
            .where(SupervisionVisit.unit_id == unit_id)
            .order_by(SupervisionVisit.id.desc())
        ).first()
        assert visit is not None and visit.findings == "窗口未公示收费标准"
        ratings = s.scalars(
            select(SupervisionRating.rating).where(SupervisionRating.visit_id == visit.id)
        ).all()
        follow_ups = s.scalars(select(Problem.description).where(Problem.visit_id == visit.id))
        assert sorted(ratings) == ["basic", "conform", "conform", "nonconform"]
        assert set(follow_ups) == {"三日内补齐收费标准公示", "规范办事指南"}
    db.engine.dispose()
    assert errors == [], unit_name


def test_inspection_rows_survive_adding_and_removing_rows(
    browser: Browser, own_server: LiveServer
) -> None:
    _unit_id, unit_name = _unit(own_server, "司法所")
    page = _page(browser, own_server)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{own_server.url}/inspections?campaign={YEAR}")
    expect(page.locator("#insp-counts")).to_be_visible(timeout=WAIT)
    units = page.locator("#insp-units")
    choose(page, units, unit_name)
    page.keyboard.press("Escape")
    page.locator("#insp-findings").fill("明查窗口服务")

    _add_row(page, "insp", 1)
    _row_part(page, "insp", "desc", 0).fill("服务指南缺页")
    _choose_criterion(page, "insp", 0, "信息公开")
    _row_part(page, "insp", "deadline", 0).fill(f"{YEAR}-12-20")
    _row_part(page, "insp", "owner", 0).fill("李所长")
    _row_part(page, "insp", "serious", 0).check()
    _add_row(page, "insp", 2)
    _row_part(page, "insp", "desc", 1).fill("这一项随后删除")
    _add_row(page, "insp", 3)
    _row_part(page, "insp", "desc", 2).fill("值班表未更新")
    _remove_row(page, "insp", 1, 2)

    expect(page.locator("#insp-findings")).to_have_value("明查窗口服务")
    expect(page.locator("#insp-units")).to_contain_text(unit_name)
    expect(_row_part(page, "insp", "desc", 0)).to_have_value("服务指南缺页")
    expect(_row_part(page, "insp", "criterion", 0)).to_contain_text("信息公开")
    expect(_row_part(page, "insp", "unit", 0)).to_contain_text(unit_name)
    expect(_row_part(page, "insp", "deadline", 0)).to_have_value(f"{YEAR}-12-20")
    expect(_row_part(page, "insp", "owner", 0)).to_have_value("李所长")
    expect(_row_part(page, "insp", "serious", 0)).to_be_checked()
    expect(_row_part(page, "insp", "desc", 1)).to_have_value("值班表未更新")
    _choose_criterion(page, "insp", 1, "依法办事")
    _row_part(page, "insp", "deadline", 1).fill(f"{YEAR}-12-22")

    page.locator("#insp-save").click()
    expect(page.locator("#insp-saved")).to_contain_text("生成整改问题 2 件", timeout=WAIT)
    page.context.close()

    db = Database.from_url(own_server.db_url)
    with db.read() as s:
        inspection = s.scalars(select(Inspection).order_by(Inspection.id.desc())).first()
        assert inspection is not None and inspection.findings == "明查窗口服务"
        rows = s.execute(
            select(Problem.description, Problem.severity).where(
                Problem.inspection_id == inspection.id
            )
        ).all()
        assert {tuple(row) for row in rows} == {
            ("服务指南缺页", "serious"),
            ("值班表未更新", "normal"),
        }
    db.engine.dispose()
    assert errors == []
