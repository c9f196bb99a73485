"""#18 item 2: briefings to the 民评代表 — their figures are those of data/ at the as-of date,
frozen when issued; numbered per campaign; no complainant data in the content, the PDF or the
Word file; only leaders and admins issue (a forged POST is refused in words and recorded)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from dash import Dash
from sqlalchemy import func, select

from data.briefings import (
    briefing_of,
    briefings,
    issue_briefing,
    latest_briefing,
    recipients_of,
)
from data.db import Database
from data.figures import campaign_figures
from data.forms import FormError
from data.meetings import question_summary
from data.models import (
    Briefing,
    BriefingRecipient,
    ChangeLog,
    Inspection,
    MeetingQuestion,
    Problem,
    Representative,
    Snapshot,
)
from data.snapshots import FIGURE_NAMES
from tests.conftest import MakeApp
from tests.factories import login, make_campaign, make_problem, make_unit, make_user

YEAR = 2024
AS_OF = dt.date(YEAR, 9, 30)
TODAY = dt.date(YEAR, 11, 20)
NAME, PHONE = "张秀英", "13912345678"
SECRET = "投诉人反映窗口人员态度恶劣"
REPS = ("李代表", "王代表", "赵代表")


@pytest.fixture
def county(db: Database) -> Database:
    """Two units; problems carrying complainant data; a covert inspection held, one planned;
    three representatives, one of them no longer active."""
    with db.write("test") as s:
        campaign = make_campaign(s, YEAR)
        office = make_unit(s, name="城关镇司法所")
        firm = make_unit(s, name="某某律师事务所", kind="law_firm", township=None)
        make_problem(
            s,
            campaign,
            office,
            description=SECRET,
            channel="hotline",
            complainant_name=NAME,
            complainant_phone=PHONE,
            deadline=dt.date(YEAR, 8, 1),
        )
        make_problem(
            s,
            campaign,
            office,
            status="done",
            completed_on=dt.date(YEAR, 7, 1),
            complainant_name=NAME,
        )
        make_problem(s, campaign, firm, channel="inspection", found_on=dt.date(YEAR, 10, 15))
        make_problem(s, campaign, firm, status="unfounded")
        reps = [Representative(name=n, sector="群众代表", active=True) for n in REPS]
        reps[2].active = False
        s.add_all(reps)
        s.flush()
        held = Inspection(
            campaign_id=campaign.id,
            unit_id=office.id,
            inspected_on=dt.date(YEAR, 7, 10),
            mode="covert",
        )
        planned = Inspection(
            campaign_id=campaign.id,
            unit_id=firm.id,
            inspected_on=dt.date(YEAR, 12, 1),
            mode="covert",
        )
        held.representatives.append(reps[0])
        planned.representatives.append(reps[1])
        s.add_all([held, planned])
        s.add(
            MeetingQuestion(
                campaign_id=campaign.id,
                asker="群众代表",
                question="窗口什么时候公示收费标准？",
                asked_on=dt.date(YEAR, 9, 1),
                answer_mode="on_the_spot",
                answer="本月内公示",
            )
        )
        make_user(s, "leader", "leader")
        make_user(s, "admin", "admin")
        make_user(s, "duban", "supervisor")
        make_user(s, "unit01", "unit", unit_name="城关镇司法所")
    return db


def _rep_ids(db: Database, active_only: bool = True) -> list[int]:
    with db.read() as s:
        query = select(Representative.id).order_by(Representative.id)
        if active_only:
            query = query.where(Representative.active.is_(True))
        return list(s.scalars(query))


def _issue(db: Database, as_of: dt.date = AS_OF, **kw: object) -> int:
    if "recipients" not in kw:
        kw["recipients"] = _rep_ids(db)
    with db.write("leader", user_id=1) as s:
        briefing = issue_briefing(
            s,
            YEAR,
            kw.get("as_of_text", as_of.isoformat()),
            kw.get("title", ""),
            kw.get("body", "请各位代表审阅。"),
            kw["recipients"],
            issued_on=TODAY,
        )
        return briefing.id


def test_the_content_is_the_figures_of_data_at_the_as_of_date(county: Database) -> None:
    briefing_id = _issue(county)
    with county.read() as s:
        row = briefing_of(s, briefing_id)
        assert row is not None
        live = campaign_figures(s, YEAR, AS_OF)
        questions = question_summary(s, YEAR, AS_OF)
        snapshot = s.get(Snapshot, row.content["snapshot"]["id"])
    c = row.content
    for key in FIGURE_NAMES:
        assert c["figures"][key] == getattr(live, key), key
    assert c["figures"]["overdue_tasks"] == live.overdue_tasks
    assert c["by_channel"] == live.by_channel
    assert c["phase_progress"] == live.phase_progress
    assert c["overdue_units"] == live.overdue_units == ["城关镇司法所"]
    assert c["questions"]["total"] == questions.total == 1
    assert c["questions"]["on_the_spot"] == questions.on_the_spot == 1
    # The problem found after the as-of date is not counted; the planned inspection neither.
    assert c["figures"]["problems"] == 3 and c["figures"]["rectified"] == 1
    assert c["inspections"] == {"held": 1, "open": 0, "covert": 1}
    units = {u["unit"]: u for u in c["units"]}
    assert units["城关镇司法所"]["problems"] == 2 and units["某某律师事务所"]["unfounded"] == 1
    # The snapshot published with it carries the same numbers and its digest.
    assert snapshot is not None and snapshot.as_of == AS_OF
    assert snapshot.purpose == "情况通报第1期"
    assert c["snapshot"]["digest"] == snapshot.digest
    assert {k: snapshot.stats[k] for k in FIGURE_NAMES} == {
        k: c["figures"][k] for k in FIGURE_NAMES
    }
    assert row.title == "2024年民主评议工作情况通报（第1期）"
    assert row.recipients == 2 and row.issued_by == "leader"


def test_a_briefing_never_changes_when_the_records_do(county: Database) -> None:
    briefing_id = _issue(county)
    with county.read() as s:
        before = briefing_of(s, briefing_id).content
    with county.write("unit01", user_id=4) as s:
        problem = s.scalars(select(Problem).where(Problem.description == SECRET)).one()
        problem.status, problem.completed_on = "done", dt.date(YEAR, 9, 1)
    with county.read() as s:
        assert briefing_of(s, briefing_id).content == before
        assert campaign_figures(s, YEAR, AS_OF).rectified == before["figures"]["rectified"] + 1


def test_an_issued_briefing_cannot_be_edited(county: Database) -> None:
    from data.history import HistoryError

    briefing_id = _issue(county)
    with pytest.raises(HistoryError, match="不可修改"), county.write("admin", user_id=2) as s:
        s.get(Briefing, briefing_id).content = {"figures": {}}
    with pytest.raises(HistoryError), county.write("admin", user_id=2) as s:
        s.delete(s.get(Briefing, briefing_id))
    with county.read() as s:
        assert briefing_of(s, briefing_id).content["figures"]["problems"] == 3


def test_numbering_per_campaign_and_the_latest(county: Database) -> None:
    with county.write("test") as s:
        make_campaign(s, YEAR - 1)
    first = _issue(county)
    second = _issue(county, dt.date(YEAR, 10, 31), title="十月情况通报")
    reps = _rep_ids(county)
    with county.write("leader", user_id=1) as s:
        other = issue_briefing(s, YEAR - 1, "2023-12-31", "", None, reps, issued_on=TODAY)
        assert other.number == 1
    with county.read() as s:
        rows = briefings(s, YEAR)
        assert [(r.id, r.number) for r in rows] == [(second, 2), (first, 1)]
        assert rows[0].title == "十月情况通报"
        assert latest_briefing(s, YEAR) == (second, 2, "十月情况通报")
        names = recipients_of(s, [first])[first]
        assert [r.name for r in names] == ["李代表", "王代表"]


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"recipients": []}, "recipients", "至少选择一位"),
        ({"recipients": "inactive"}, "recipients", "不在册"),
        ({"as_of_text": "2024-13-40"}, "as_of", "日期"),
        ({"as_of_text": "2024-12-31"}, "as_of", "不能晚于今天"),
        ({"body": f"请联系{NAME}核实"}, "body", "投诉人"),
        ({"body": f"电话 {PHONE}"}, "body", "投诉人"),
        ({"title": "x" * 201}, "title", "不超过"),
    ],
)
def test_bad_input_is_refused_in_words_and_nothing_is_written(
    county: Database, kw: dict, field: str, words: str
) -> None:
    if kw.get("recipients") == "inactive":
        kw = {"recipients": _rep_ids(county, active_only=False)}
    with pytest.raises(FormError) as refused:
        _issue(county, **kw)
    assert words in refused.value.errors[field]
    with county.read() as s:
        assert s.scalar(select(func.count()).select_from(Briefing)) == 0
        assert s.scalar(select(func.count()).select_from(Snapshot)) == 0


def _all_text(data: dict) -> str:
    import json

    return json.dumps(data, ensure_ascii=False)


@pytest.fixture
def app(make_app: MakeApp, county: Database) -> Dash:
    return make_app(today=TODAY)


def test_no_complainant_data_in_content_pdf_or_docx(
    app: Dash, county: Database, tmp_path: Path
) -> None:
    from docx import Document

    briefing_id = _issue(county)
    with county.read() as s:
        content = _all_text(briefing_of(s, briefing_id).content)
    client = app.server.test_client()
    login(client, "unit01").close()  # unit staff read and download too
    with client.get(f"/download/briefing/{briefing_id}.pdf") as pdf:
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        (tmp_path / "b.pdf").write_bytes(pdf.get_data())
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "b.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    with client.get(f"/download/briefing/{briefing_id}.docx") as word:
        assert word.status_code == 200
        document = Document(io.BytesIO(word.get_data()))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    for found in (content, text, words):
        assert NAME not in found and PHONE not in found and SECRET not in found
        assert "赵代表" not in found  # not active, not a recipient
    compact = text.replace(" ", "").replace("\n", "")
    for found in (compact, words.replace(" ", "")):
        assert "发现问题3个" in found and "整改完成率50.0%" in found
        assert "李代表" in found and "王代表" in found and "共2人" in found
        assert "城关镇司法所" in found and "暗访1次" in found
    with client.get("/download/briefing/999.pdf") as missing:
        assert missing.status_code == 404


@pytest.mark.parametrize(
    ("username", "issued"), [("leader", True), ("admin", True), ("duban", False), ("unit01", False)]
)
def test_only_leaders_and_admins_issue_and_others_are_told(
    app: Dash, county: Database, username: str, issued: bool
) -> None:
    """The issue callback checks the role on the server: a forged POST is refused in words,
    recorded as a denied history row, and nothing is written; the same form twice makes one."""
    from callbacks.briefings import save_issue
    from data.form_tokens import with_token
    from layouts.briefings import ISSUE
    from tests.unit.test_admin_units import form_context, signed_in

    names = ("title", "as_of", "body", "recipients")
    meta = with_token({"year": YEAR})
    fields = [ISSUE.field(n) for n in names]
    values = ["", AS_OF.isoformat(), "说明", _rep_ids(county)]
    for _twice in range(2):
        with signed_in(app, county, username), form_context(ISSUE, names):
            message, _feedback, refresh = save_issue(1, values, fields, meta)
    with county.read() as s:
        count = s.scalar(select(func.count()).select_from(Briefing))
        recipients = s.scalar(select(func.count()).select_from(BriefingRecipient))
        denied = s.scalar(
            select(func.count())
            .select_from(ChangeLog)
            .where(ChangeLog.action == "denied", ChangeLog.actor == username)
        )
    if issued:
        assert (count, recipients, denied) == (1, 2, 0)
        assert "已印发第1期" in refresh["notices"][ISSUE.prefix]
    else:
        assert (count, recipients) == (0, 0) and denied == 1
        assert "局领导" in str(message) and "管理员" in str(message)


def test_the_page_lists_briefings_for_every_role_and_offers_the_form_to_issuers(
    app: Dash, county: Database
) -> None:
    from callbacks.briefings import render_briefings, unit_briefing_link
    from tests.unit.test_admin_units import signed_in

    search = f"?campaign={YEAR}&as_of={AS_OF.isoformat()}"
    with signed_in(app, county, "leader"):
        empty = str(render_briefings(search, None))
    assert "还没有印发情况通报" in empty and "briefings-issue-save" in empty
    briefing_id = _issue(county)
    with signed_in(app, county, "unit01"):
        page = str(render_briefings(search, None))
        link = str(unit_briefing_link({"unit": "1", "search": search}))
    assert "第1期" in page and "李代表、王代表" in page and "briefings-issue-save" not in page
    assert "情况通报由局领导或管理员印发" in page
    assert f"/download/briefing/{briefing_id}.pdf" in link
