"""#18 item 1 in Chromium: unit staff turn the most complained-about candidate into a topic with
its problems linked in one click, fill its 安排部署 and 评议方案; a supervisor logs a visit naming
it; after the 工作总结 the topic page shows 4/4."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.db import Database
from data.models import Topic, TopicProblem, VisitTopic
from tests.conftest import PostgresDatabases
from tests.e2e.conftest import LiveServer, county_server, signed_in_page
from tests.factories import make_campaign, make_problem, make_unit, make_user

TODAY = dt.date(2024, 11, 20)
UNIT = "城关镇司法所"
TOPIC = "服务承诺未对外公开"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _fill(s: Session) -> None:
    """A small county: one office with three complaints alike and one other problem, and a
    second office with a problem of its own."""
    campaign = make_campaign(s, 2024)
    unit = make_unit(s, name=UNIT)
    other = make_unit(s, name="青龙镇司法所")
    for text, channel in (
        ("群众来电投诉：服务承诺未对外公开", "hotline"),
        ("县纠风办交办（纠风交〔2024〕5号）：群众反映服务承诺没有对外公示", "referral"),
        ("自查发现：服务承诺未对外公开", "self_inspection"),
        ("自查发现：案卷归档不及时", "self_inspection"),
    ):
        make_problem(
            s, campaign, unit, description=text, channel=channel, criterion_code="disclosure"
        )
    make_problem(s, campaign, other, description="接待群众态度生硬")
    make_user(s, "duban", "supervisor")
    make_user(s, "unit01", "unit", unit_name=UNIT)


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Iterator[LiveServer]:
    yield from county_server(tmp_path_factory, postgres, "topics", TODAY, _fill)


def _page(browser: Browser, server: LiveServer, user: str, errors: list[str]) -> Page:
    return signed_in_page(browser, server, user, errors)


def _save_texts(page: Page, **texts: str) -> None:
    for name, value in texts.items():
        page.locator(f"textarea[id*='topic-texts-field'][id*='{name}']").fill(value)
    page.locator("#topic-texts-save").click()
    expect(page.locator("#topic-texts-message")).to_contain_text("已保存", timeout=20_000)


def test_a_topic_from_a_suggestion_to_four_of_four(browser: Browser, server: LiveServer) -> None:
    errors: list[str] = []
    view = "?campaign=2024"
    page = _page(browser, server, "unit01", errors)
    page.goto(f"{server.url}/topics{view}")
    expect(page.locator(".topics-note")).to_contain_text(f"{UNIT}目前有0个选题", timeout=20_000)
    first = page.locator(".topics-suggestion").first
    expect(first).to_contain_text(TOPIC, timeout=20_000)
    expect(first).to_contain_text("问题3件（其中投诉2件）")
    expect(first).to_contain_text("服务承诺没有对外公示")  # the other wording, grouped
    first.get_by_role("button", name="以此建立选题").click()
    title = page.locator("input[id*='topics-create-field'][id*='title']")
    expect(title).to_have_value(TOPIC, timeout=20_000)
    expect(page.locator("#topics-create-message")).to_contain_text("请核对")
    page.locator("#topics-create-save").click()
    expect(page.locator("#topics-create-message")).to_contain_text(
        f"已建立选题“{TOPIC}”（关联问题3个）", timeout=20_000
    )
    expect(page.locator(".topics-note")).to_contain_text("目前有1个选题")
    # The suggestion is used up: its problems are linked now.
    expect(page.locator(".topics-suggestions")).not_to_contain_text(TOPIC)

    db = Database.from_url(server.db_url)
    with db.read() as s:
        topic_id = s.scalars(select(Topic.id)).one()
        assert len(s.scalars(select(TopicProblem)).all()) == 3
    page.locator("#topics-grid").get_by_role("link", name=TOPIC).click()
    expect(page).to_have_url(re.compile(rf"/topics/{topic_id}"))
    expect(page.locator("#topic-completeness")).to_contain_text("完成情况 0/4", timeout=20_000)
    expect(page.locator("#topic-problems")).to_contain_text("服务承诺没有对外公示")
    _save_texts(page, deployment="召开专题会议部署整治", plan="一、目标；二、措施；三、时限")
    expect(page.locator("#topic-completeness")).to_contain_text("完成情况 2/4")

    supervisor = _page(browser, server, "duban", errors)
    with db.read() as s:
        unit_id = s.scalar(select(Topic.unit_id))
    supervisor.goto(f"{server.url}/supervision?campaign=2024&unit={unit_id}")
    supervisor.locator("#sup-topics").click(timeout=20_000)
    # The multiselect's own words are Chinese (layouts/forms.DROPDOWN_LABELS).
    expect(supervisor.locator(".dash-dropdown-search")).to_have_attribute("placeholder", "查找")
    supervisor.get_by_role("option", name=TOPIC).click()
    supervisor.locator("#sup-findings").fill("选题整治已部署，公示已整改")
    supervisor.locator("#sup-save").click()
    expect(supervisor.locator("#sup-saved")).to_be_visible(timeout=20_000)
    expect(supervisor.locator("#sup-detail .visit-topics")).to_contain_text(TOPIC)
    with db.read() as s:
        assert [v.topic_id for v in s.scalars(select(VisitTopic))] == [topic_id]
    db.engine.dispose()

    page.reload()
    expect(page.locator("#topic-completeness")).to_contain_text("完成情况 3/4", timeout=20_000)
    expect(page.locator("#topic-visits")).to_contain_text("duban")
    _save_texts(page, summary="整治完成，承诺已全部公开")
    completeness = page.locator("#topic-completeness")
    expect(completeness).to_contain_text("完成情况 4/4")
    expect(completeness.locator(".topic-tick")).to_have_count(4)
    expect(page.locator("#topic-history")).to_contain_text("工作总结")

    # Its check records and summary as files, on the topic's own panel.
    files = page.locator("#topic-files")
    expect(files).to_contain_text("选题附件", timeout=20_000)
    files.locator("input[type=file]").set_input_files(
        files=[{"name": "检查记录.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    expect(files).to_contain_text("已上传「检查记录.pdf」", timeout=20_000)
    expect(files.locator(".att-name")).to_have_text("检查记录.pdf")

    # The unit page lists the unit's topics, each opening its page.
    page.goto(f"{server.url}/units/{unit_id}{view}")
    topics = page.locator("#unit-topics")
    expect(topics).to_contain_text("评议选题（1 个）", timeout=20_000)
    expect(topics).to_contain_text("完成 4/4")
    topics.get_by_role("link", name=TOPIC).click()
    expect(page).to_have_url(re.compile(rf"/topics/{topic_id}\?campaign=2024"))
    expect(page.locator("#topic-completeness")).to_contain_text("完成情况 4/4", timeout=20_000)

    # /topics follows the shell's kind and township filters in the URL.
    page.goto(f"{server.url}/topics{view}&kind=law_firm")
    expect(page.locator("#topics-content")).to_contain_text("还没有", timeout=20_000)
    expect(page.locator("#topics-content")).not_to_contain_text(TOPIC)
    page.goto(f"{server.url}/topics{view}&township=城关镇")
    expect(page.locator("#topics-grid")).to_contain_text(TOPIC, timeout=20_000)
    assert errors == []
