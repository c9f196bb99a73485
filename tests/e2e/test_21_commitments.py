"""#18 item 4 in Chromium: a law firm's staff records a public commitment (公开承诺) on
/commitments, links a complaint of its own unit to it, sees both on its unit page, and the
evaluation's legal-service ranking counts the commitment and the complaint."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.config import Settings
from data.db import Database
from data.migrate import upgrade
from data.models import Commitment, CommitmentProblem, Unit
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import LiveServer
from tests.factories import PASSWORD, make_campaign, make_problem, make_unit, make_user

TODAY = dt.date(2024, 11, 20)
FIRM = "城关律师事务所"
PROMISE = "收费标准全部上墙公示，不收取标准以外的任何费用"
COMPLAINT = "群众反映律所收费不透明"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Iterator[LiveServer]:
    """A small county of its own: a law firm with a complaint, a 司法所, their staff."""
    name = postgres.create("e2e_commitments") if postgres is not None else None
    if postgres is not None and name is not None:
        url = postgres.url(name)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('commitments') / 'county.db'}"
    upgrade(url)
    database = Database.from_url(url)
    with database.write("test") as s:
        campaign = make_campaign(s, 2024)
        firm = make_unit(s, name=FIRM, kind="law_firm")
        office = make_unit(s, name="城关镇司法所")
        make_problem(
            s,
            campaign,
            firm,
            description=COMPLAINT,
            channel="hotline",
            complainant_name="李四",
            complainant_phone="13900001234",
        )
        make_problem(s, campaign, office, description="司法所的投诉", channel="hotline")
        make_user(s, "leader", "leader")
        make_user(s, "lvsuo", "unit", unit_name=FIRM)
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


def _page(browser: Browser, server: LiveServer, user: str, errors: list[str]) -> Page:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.request.post(
        f"{server.url}/login", form={"username": user, "password": PASSWORD}, max_redirects=0
    )
    assert response.status == 302
    return page


def test_a_law_firm_records_links_and_the_evaluation_counts(
    browser: Browser, server: LiveServer
) -> None:
    errors: list[str] = []
    page = _page(browser, server, "lvsuo", errors)
    page.goto(f"{server.url}/commitments?campaign=2024")
    content = page.locator("#commitments-content")
    expect(content).to_contain_text("2024年还没有记录公开承诺", timeout=20_000)
    form = page.locator("#commitments-form-card")
    expect(form).to_contain_text(FIRM)  # its own unit, already chosen
    form.locator("textarea").fill(PROMISE)
    form.locator("input[type='date']").fill("2024-06-01")
    form.locator("input[type='text']").fill("")
    page.locator("#commitments-form-save").click()
    expect(page.locator("#commitments-form-message")).to_contain_text(
        "公开方式/地点", timeout=20_000
    )
    form.locator("input[type='text']").fill("律所门户网站及接待大厅公示栏")
    page.locator("#commitments-form-save").click()

    detail = page.locator("#commitments-detail")
    expect(detail).to_contain_text(PROMISE, timeout=20_000)
    expect(detail).to_contain_text("已保存公开承诺")
    expect(page.locator("#commitments-grid")).to_contain_text(PROMISE)

    page.locator("#commitments-link-problem").click()
    page.get_by_text(COMPLAINT, exact=False).last.click()
    page.locator("#commitments-link").click()
    linked = page.locator("#commitments-linked")
    expect(linked).to_contain_text(COMPLAINT, timeout=20_000)
    expect(linked).to_contain_text("李*")
    expect(linked).not_to_contain_text("李四")
    expect(linked).not_to_contain_text("13900001234")
    expect(page.locator("#commitments-detail")).to_contain_text("已关联投诉")

    db = Database.from_url(server.db_url)
    with db.read() as s:
        made = s.scalars(select(Commitment)).one()
        assert made.published_where == "律所门户网站及接待大厅公示栏"
        assert s.scalars(select(CommitmentProblem)).one().unlinked_at is None
        firm_id = s.scalar(select(Unit.id).where(Unit.name == FIRM))
    db.engine.dispose()

    page.goto(f"{server.url}/units/{firm_id}?campaign=2024")
    section = page.locator("#unit-commitments")
    expect(section).to_contain_text(PROMISE, timeout=20_000)
    expect(section).to_contain_text(COMPLAINT)
    expect(page.locator("#unit-menu")).to_contain_text("公开承诺")

    page = _page(browser, server, "leader", errors)  # the whole county's ranking
    page.goto(f"{server.url}/evaluation?campaign=2024")
    legal = page.locator("#eval-grid-legal_service")
    expect(legal).to_contain_text("公开承诺", timeout=20_000)
    row = legal.locator(".ag-row", has_text=FIRM).first
    expect(row.locator("[col-id='commitments']")).to_have_text("1")
    expect(row.locator("[col-id='commitment_complaints']")).to_have_text("1")
    expect(page.locator("#eval-grid-agency")).not_to_contain_text("公开承诺")
    assert errors == []
