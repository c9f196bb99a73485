"""Unit staff report their own rectification (from the 填报 button in the problems' grid); a
refused save keeps the form; others are refused."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from data.db import Database
from data.models import Campaign, Problem, Unit, User
from tests.e2e.conftest import LiveServer, sign_in
from tests.e2e.test_07_unit import problem_button


def test_unit_user_reports_rectification(browser: Browser, live_server: LiveServer) -> None:
    db = Database.from_url(live_server.db_url)
    with db.read() as s:
        unit_id = s.query(User.unit_id).filter(User.username == "unit01").scalar()
        problem = (
            s.query(Problem)
            .filter(
                Problem.unit_id == unit_id,
                Problem.status.in_(("pending", "in_progress", "done")),
                Problem.found_on <= live_server.today,
                Problem.campaign_id
                == s.query(Campaign.id).filter(Campaign.year == live_server.today.year).scalar(),
            )
            .first()
        )
        other_unit = s.query(Unit.id).filter(Unit.id != unit_id).first()[0]
    assert problem is not None
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, live_server, "unit01")
    year = live_server.today.year
    page.goto(f"{live_server.url}/units/{unit_id}?campaign={year}")
    problem_button(page, problem.id, "rect").click()
    expect(page.locator("#unit-rect-modal")).to_be_visible(timeout=20_000)
    page.locator("#unit-rect-status").select_option("done")
    page.locator("#unit-rect-measures").fill("已在窗口公示收费标准")
    page.locator("#unit-rect-completed").fill("")
    page.locator("#unit-rect-save").click()
    expect(page.locator("#unit-rect-errors")).to_contain_text("完成日期", timeout=20_000)
    expect(page.locator("#unit-rect-measures")).to_have_value(
        "已在窗口公示收费标准", timeout=20_000
    )
    page.locator("#unit-rect-completed").fill(live_server.today.isoformat())
    page.locator("#unit-rect-evidence").fill("公示照片.jpg")
    page.locator("#unit-rect-save").click()
    expect(page.locator("#unit-rect-modal")).to_be_hidden(timeout=20_000)
    with db.read() as s:
        saved = s.get(Problem, problem.id)
    assert saved.status == "done" and saved.measures == "已在窗口公示收费标准"
    assert saved.version == problem.version + 1

    page.goto(f"{live_server.url}/units/{other_unit}?campaign={year}")
    expect(page.locator(".empty-state")).to_contain_text("无权查看", timeout=20_000)
    db.engine.dispose()
    context.close()


def test_unit_user_marks_a_phase_task_done_with_evidence(
    browser: Browser, live_server: LiveServer
) -> None:
    from data.models import ChangeLog, TaskTemplate, UnitTask

    db = Database.from_url(live_server.db_url)
    year = live_server.today.year
    with db.read() as s:
        unit_id = s.query(User.unit_id).filter(User.username == "unit01").scalar()
        campaign_id = s.query(Campaign.id).filter(Campaign.year == year).scalar()
        task = (
            s.query(UnitTask)
            .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
            .filter(
                UnitTask.unit_id == unit_id,
                TaskTemplate.campaign_id == campaign_id,
                UnitTask.completed_on.is_(None),
                TaskTemplate.derived_from.is_(None),  # the archive's are not marked by hand
            )
            .first()
        )
    assert task is not None
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, live_server, "unit01")
    page.goto(f"{live_server.url}/units/{unit_id}?campaign={year}")
    opener = page.locator(f"button[id*='unit-task-open'][id*='\"task\":{task.id}']")
    expect(opener).to_be_visible(timeout=20_000)
    opener.click()
    expect(page.locator("#unit-task-modal")).to_be_visible(timeout=20_000)
    tomorrow = live_server.today.toordinal() + 1
    page.locator("#unit-task-completed").fill(
        type(live_server.today).fromordinal(tomorrow).isoformat()
    )
    page.locator("#unit-task-evidence").fill("")
    page.locator("#unit-task-save").click()
    errors = page.locator("#unit-task-errors")
    expect(errors).to_contain_text("完成日期不能晚于今天", timeout=20_000)
    expect(errors).to_contain_text("请填写佐证材料", timeout=20_000)
    page.locator("#unit-task-completed").fill(live_server.today.isoformat())
    page.locator("#unit-task-evidence").fill("接受督导检查记录表（已签字）")
    page.locator("#unit-task-save").click()
    expect(page.locator("#unit-task-modal")).to_be_hidden(timeout=20_000)
    expect(opener).to_have_text("修改", timeout=20_000)
    # The unit's own problems show their history; no reveal button for unit staff.
    page.locator("#unit-problem-grid .ag-row [col-id='detail'] button").first.click()
    expect(page.locator("#unit-problem-history")).to_contain_text("新建", timeout=20_000)
    expect(page.locator("#unit-reveal")).to_have_count(0, timeout=20_000)
    context.close()
    with db.read() as s:
        saved = s.get(UnitTask, task.id)
        history = (
            s.query(ChangeLog)
            .filter(ChangeLog.entity == "unit_task", ChangeLog.entity_id == str(task.id))
            .all()
        )
    assert saved.completed_on == live_server.today
    assert saved.evidence == "接受督导检查记录表（已签字）"
    assert [h.actor for h in history][-1] == "unit01"
    db.engine.dispose()
