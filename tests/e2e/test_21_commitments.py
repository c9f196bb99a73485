"""#18 item 4 in Chromium: a law firm's staff records a public commitment (公开承诺) on
/commitments, links a complaint of its own unit to it, sees both on its unit page, and the
evaluation's legal-service ranking counts the commitment and the complaint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.db import Database
from data.models import Commitment, CommitmentProblem, Unit
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import LiveServer, county_server, signed_in_page
from tests.factories import make_campaign, make_problem, make_unit, make_user

TODAY = dt.date(2024, 11, 20)
FIRM = "城关律师事务所"
PROMISE = "收费标准全部上墙公示，不收取标准以外的任何费用"
COMPLAINT = "群众反映律所收费不透明"


def _fill(s: Session) -> None:
    """A small county of its own: a law firm with a complaint, a 司法所, their staff."""
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


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Iterator[LiveServer]:
    yield from county_server(tmp_path_factory, postgres, "commitments", TODAY, _fill)


def _page(browser: Browser, server: LiveServer, user: str, errors: list[str]) -> Page:
    return signed_in_page(browser, server, user, errors)


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
