"""#15 in Chromium: after the daily ladder run (run_chase, working days across National Day
2024), unit01 sees its 待办 list nearest deadline first with the step each item reached and a
number in the navbar; the leader sees the escalations by unit, and the overview leads there."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.config import Settings
from data.chase import run_chase
from data.chase_settings import ChaseSettings, save_chase_settings
from data.db import Database
from data.migrate import upgrade
from data.models import MeetingQuestion
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import LiveServer
from tests.e2e.grids import grid_data, grid_texts
from tests.factories import PASSWORD, make_campaign, make_problem, make_task, make_unit, make_user

TODAY = dt.date(2024, 10, 21)  # a Monday after National Day
NAME, PHONE = "张三丰", "13812345678"
OFFICE = "城关镇司法所"
FIRM = "正大律师事务所"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Iterator[LiveServer]:
    """A small county of its own counting working days, and the ladder run on TODAY."""
    name = postgres.create("e2e_todo") if postgres is not None else None
    if postgres is not None and name is not None:
        url = postgres.url(name)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('todo') / 'county.db'}"
    upgrade(url)
    database = Database.from_url(url)
    with database.write("test") as s:
        save_chase_settings(s, ChaseSettings(day_count="working"))
        c = make_campaign(s, 2024)
        office = make_unit(s, name=OFFICE)
        firm = make_unit(s, name=FIRM, kind="law_firm", township="青龙镇")
        # Working days: 10/8–10/11, 10/12 (a Saturday worked), 10/14–10/18, 10/21 …
        make_problem(s, c, office, description="调解卷宗归档不及时", deadline=dt.date(2024, 10, 16))
        make_problem(
            s,
            c,
            office,
            description=f"{NAME}反映窗口未公示收费标准，电话{PHONE}",
            complainant_name=NAME,
            complainant_phone=PHONE,
            channel="hotline",
            deadline=dt.date(2024, 10, 8),
            ledger_key="2024-0007",
        )
        make_problem(s, c, office, description="值班表未上墙", deadline=dt.date(2024, 10, 24))
        make_problem(s, c, office, description="培训记录不全", deadline=dt.date(2024, 12, 20))
        make_problem(
            s, c, office, status="done", completed_on=dt.date(2024, 9, 1), description="已整改"
        )
        s.add(
            MeetingQuestion(
                campaign_id=c.id,
                unit_id=office.id,
                asker="李代表",
                question="调解室何时开放周末服务？",
                asked_on=dt.date(2024, 8, 25),
                answer_mode="follow_up",
                reply_deadline=dt.date(2024, 9, 27),
            )
        )
        make_task(s, c, office, "mobilize", "实施方案")
        make_task(s, c, firm, "mobilize", "实施方案", completed_on=dt.date(2024, 5, 20))
        make_problem(s, c, firm, description="收费不透明", deadline=dt.date(2024, 9, 20))
        make_user(s, "leader", "leader")
        make_user(s, "unit01", "unit", unit_name=OFFICE)
    run_chase(database, TODAY)
    database.engine.dispose()
    app = create_app(Settings(database_url=url, secret_key="e2e", fixed_today=TODAY))
    served = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{served.server_port}", url, TODAY)
    served.shutdown()
    thread.join(timeout=5)
    if postgres is not None and name is not None:
        postgres.drop(name)


def _page(browser: Browser, server: LiveServer, user: str) -> tuple[Page, list[str]]:
    """A signed-in page and the console errors it meets."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", keep)
    response = page.request.post(
        f"{server.url}/login", form={"username": user, "password": PASSWORD}, max_redirects=0
    )
    assert response.status == 302
    return page, errors


def test_unit01_sees_its_todo_list_with_the_steps_reached(
    browser: Browser, server: LiveServer
) -> None:
    page, errors = _page(browser, server, "unit01")
    page.goto(f"{server.url}/")
    badge = page.locator("#todo-nav-count")
    expect(badge).to_have_text("5", timeout=20_000)  # five items chased
    badge.click()
    expect(page).to_have_url(re.compile(r"/todo(\?.*)?$"))
    expect(page.locator("#todo-summary")).to_contain_text(
        "待办 6 项，其中已逾期 4 项、已被催办 5 项", timeout=20_000
    )
    rows = [(r["kind"], r["item"], r["step"], r["days_text"]) for r in grid_data(page, "todo-list")]
    masked = rows[2][1]
    assert rows == [
        ("阶段任务", "实施方案", "重点督查", rows[0][3]),
        ("大会提问", "调解室何时开放周末服务？", "重点督查", "逾期 13 个工作日"),
        ("问题", masked, "督办", "逾期 10 个工作日"),
        ("问题", "调解卷宗归档不及时", "催办", "逾期 3 个工作日"),
        ("问题", "值班表未上墙", "提醒", "剩余 3 个工作日"),
        ("问题", "培训记录不全", "—", rows[5][3]),
    ]
    assert NAME not in masked and PHONE not in masked and "窗口未公示收费标准" in masked
    assert "2024-0007" in grid_texts(page, "todo-list", "number")
    content = page.locator("#todo-content")
    expect(content).not_to_contain_text(NAME)
    expect(content).not_to_contain_text(PHONE)

    # An item leads to where it is done: its section of the unit's page …
    page.locator("#todo-list a", has_text="调解卷宗归档不及时").click()
    expect(page.locator("#unit-name")).to_have_text(OFFICE, timeout=20_000)
    # … scrolled to its section, the mark then taken off the address (a redraw stays put).
    page.wait_for_function(
        "() => document.getElementById('unit-problems-section').getBoundingClientRect().top < 200"
    )
    expect(page).to_have_url(f"{server.url}/units/1?campaign=2024")
    assert errors == []
    page.context.close()


def test_the_leader_sees_the_escalations_by_unit(browser: Browser, server: LiveServer) -> None:
    page, errors = _page(browser, server, "leader")
    page.goto(f"{server.url}/")
    line = page.locator("#todo-overview-link")
    expect(line).to_contain_text("已报督办的事项 4 项，其中列入重点督查 3 项", timeout=20_000)
    expect(page.locator("#todo-nav-count")).to_have_text("4")
    line.get_by_role("link").click()
    expect(page.locator("#todo-summary")).to_contain_text(
        "督办 4 项，其中列入重点督查 3 项，涉及 2 个单位", timeout=20_000
    )
    rows = [(r["unit"], r["step"], r["item"]) for r in grid_data(page, "todo-escalations")]
    assert [(unit, step) for unit, step, _ in rows] == [
        (OFFICE, "重点督查"),
        (OFFICE, "重点督查"),
        (OFFICE, "督办"),
        (FIRM, "重点督查"),
    ]
    assert {item for _, _, item in rows} >= {"实施方案", "调解室何时开放周末服务？", "收费不透明"}
    expect(page.locator("#todo-content")).not_to_contain_text(NAME)
    # The unit leads to its page.
    page.locator("#todo-escalations a", has_text=FIRM).first.click()
    expect(page.locator("#unit-name")).to_have_text(FIRM, timeout=20_000)
    assert errors == []
    page.context.close()
