"""#15 催办通知书 / 督办通知书: the .docx (number, unit, items, deadlines, no complainant data),
the admin's replaceable template (upload, replace, remove, refuse), the day's notices in one
.zip, the download routes and the template panel's callback.

Notices and steps are inserted here with the models (the ladder run, data/chase.py, makes them
in the application)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from dash import Dash
from docx import Document
from sqlalchemy import func, select

from data.chase_settings import ChaseSettings, save_chase_settings
from data.db import Database
from data.models import (
    ChangeLog,
    ChaseNotice,
    ChaseStep,
    MeetingQuestion,
    NoticeTemplate,
    TaskTemplate,
    UnitTask,
    User,
)
from data.notice_documents import Renderer, builtin_template, render
from data.notices import (
    NoticeError,
    NoticeRefused,
    day_notices_zip,
    notice_docx,
    notice_rows,
    remove_notice_template,
    save_notice_template,
    template_file,
    template_status,
)
from tests.conftest import MakeApp
from tests.factories import login, make_campaign, make_problem, make_unit, make_user

DAY = dt.date(2024, 10, 9)
UNIT_A = "城关镇司法所（这是一个相当长的单位名称用来检查版面）"
COMPLAINANT = "张三丰"
PHONE = "13812345678"


class Who:
    """Who the tests act as (the data layer takes anything with a username and a role)."""

    def __init__(self, username: str, role: str) -> None:
        self.username = username
        self.role = role


ADMIN = Who("admin", "admin")


def text_of(data: bytes) -> str:
    """All the text of a .docx: paragraphs and table cells."""
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def docx_with(*paragraphs: str) -> bytes:
    """A .docx of these paragraphs (an admin's template, as WPS would save it)."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def county(db: Database) -> dict[str, Any]:
    """Two units, a problem with a complainant, a follow-up question and a task, each overdue,
    with a 催办 notice to unit A and a 督办 notice copied to its leader on DAY."""
    with db.write("test") as s:
        campaign = make_campaign(s)
        a = make_unit(s, UNIT_A)
        b = make_unit(s, "河西律师事务所", kind="law_firm")
        problem = make_problem(
            s,
            campaign,
            a,
            channel="hotline",
            ledger_key="TS-2024-001",
            description=f"投诉人{COMPLAINANT}（电话 {PHONE}）反映窗口办事推诿",
            complainant_name=COMPLAINANT,
            complainant_phone=PHONE,
            deadline=dt.date(2024, 9, 30),
        )
        question = MeetingQuestion(
            campaign_id=campaign.id,
            unit_id=a.id,
            asker="李代表",
            question="法律援助申请材料能否精简？",
            asked_on=dt.date(2024, 7, 20),
            answer_mode="follow_up",
            reply_deadline=dt.date(2024, 9, 27),
        )
        template = TaskTemplate(campaign_id=campaign.id, phase_code="rectify", name="整改方案")
        s.add_all([question, template])
        s.flush()
        task = UnitTask(template_id=template.id, unit_id=a.id)
        s.add(task)
        make_user(s, "admin", "admin")
        leader_id = make_user(s, "leader", "leader")
        s.get(User, leader_id).display_name = "王分管"
        make_user(s, "duban", "supervisor")
        make_user(s, "unit_a", "unit", UNIT_A)
        make_user(s, "unit_b", "unit", "河西律师事务所")
        chase = ChaseNotice(year=2024, kind="chase", number=1, unit_id=a.id, issued_on=DAY)
        escalate = ChaseNotice(year=2024, kind="escalate", number=1, unit_id=a.id, issued_on=DAY)
        other = ChaseNotice(year=2024, kind="chase", number=2, unit_id=b.id, issued_on=DAY)
        s.add_all([chase, escalate, other])
        s.flush()
        items = [
            ("problem", problem.id, problem.deadline),
            ("question", question.id, question.reply_deadline),
        ]
        for kind, item_id, deadline in items:
            s.add(_step(campaign.id, a.id, kind, item_id, deadline, "chase", chase.id, UNIT_A))
        s.add(
            _step(
                campaign.id,
                a.id,
                "problem",
                problem.id,
                problem.deadline,
                "escalate",
                escalate.id,
                "王分管",
                leader_id,
            )
        )
        b_problem = make_problem(s, campaign, b, deadline=dt.date(2024, 9, 20))
        s.add(
            _step(
                campaign.id,
                b.id,
                "problem",
                b_problem.id,
                b_problem.deadline,
                "chase",
                other.id,
                b.name,
            )
        )
        return {
            "a": a.id,
            "b": b.id,
            "chase": chase.id,
            "escalate": escalate.id,
            "other": other.id,
            "task": task.id,
            "campaign": campaign.id,
        }


def _step(
    campaign_id: int,
    unit_id: int,
    kind: str,
    item_id: int,
    deadline: dt.date,
    step: str,
    notice_id: int,
    recipient: str,
    leader_id: int | None = None,
) -> ChaseStep:
    return ChaseStep(
        campaign_id=campaign_id,
        item_kind=kind,
        item_id=item_id,
        unit_id=unit_id,
        step=step,
        deadline=deadline,
        due_on=DAY,
        created_on=DAY,
        recipient=recipient,
        leader_id=leader_id,
        notice_id=notice_id,
    )


# ---- the document --------------------------------------------------------------------------------


def test_a_chase_notice_carries_number_unit_items_and_deadlines(db: Database, county: dict) -> None:
    with db.read() as s:
        data = notice_docx(s, county["chase"])
    assert data is not None
    text = text_of(data)
    assert "催办通知书" in text
    assert "〔2024〕催字第 1 号" in text
    assert f"{UNIT_A}：" in text
    assert "2024年10月9日" in text  # the day it was issued
    # Each item: its kind, its 编号 / title, its deadline and days overdue (calendar mode).
    assert "问题" in text and "TS-2024-001" in text and "窗口办事推诿" in text
    assert "大会提问" in text and "法律援助申请材料能否精简" in text
    assert "2024年9月30日" in text and "9 天" in text
    assert "2024年9月27日" in text and "12 天" in text
    assert "抄送" not in text


def test_no_complainant_name_or_phone_reaches_the_document(db: Database, county: dict) -> None:
    with db.read() as s:
        texts = [text_of(notice_docx(s, county[k]) or b"") for k in ("chase", "escalate")]
    for text in texts:
        assert COMPLAINANT not in text and PHONE not in text
        assert "138" not in text and "5678" not in text
        assert "投诉人***（电话 ***）反映窗口办事推诿" in text  # not even the masked name


def test_an_escalation_is_copied_to_the_leader_in_charge(db: Database, county: dict) -> None:
    with db.read() as s:
        text = text_of(notice_docx(s, county["escalate"]) or b"")
    assert "督办通知书" in text and "〔2024〕督字第 1 号" in text
    assert "抄送：王分管" in text
    with db.write("test") as s:
        s.execute(
            ChaseStep.__table__.update()
            .where(ChaseStep.notice_id == county["escalate"])
            .values(leader_id=None, recipient="局领导")
        )
    with db.read() as s:
        assert "抄送：局领导" in text_of(notice_docx(s, county["escalate"]) or b"")
    with db.write("test") as s:  # two leaders in charge of the kind: both copied
        s.execute(
            ChaseStep.__table__.update()
            .where(ChaseStep.notice_id == county["escalate"])
            .values(recipient="王分管、李分管")
        )
    with db.read() as s:
        assert "抄送：李分管、王分管" in text_of(notice_docx(s, county["escalate"]) or b"")


def test_working_days_are_counted_across_national_day(db: Database, county: dict) -> None:
    """10/1–10/7 off: a deadline of 9/30 is 2 working days overdue on 10/9 (10/8 and 10/9)."""
    with db.write("test") as s:
        save_chase_settings(s, ChaseSettings(day_count="working"))
    with db.read() as s:
        text = text_of(notice_docx(s, county["chase"]) or b"")
    assert "2 个工作日" in text  # the problem, deadline Monday 9/30
    # The question, deadline Friday 9/27: 9/29 (a Sunday worked), 9/30, 10/8 and 10/9.
    assert "4 个工作日" in text


def test_a_task_item_is_named_with_its_phase(db: Database, county: dict) -> None:
    with db.write("test") as s:
        s.add(
            _step(
                county["campaign"],
                county["a"],
                "task",
                county["task"],
                dt.date(2024, 9, 30),
                "chase",
                county["chase"],
                UNIT_A,
            )
        )
    with db.read() as s:
        text = text_of(notice_docx(s, county["chase"]) or b"")
    assert "阶段任务" in text and "整改方案（落实整改）" in text


def test_no_such_notice_gives_none(db: Database, county: dict) -> None:
    with db.read() as s:
        assert notice_docx(s, 99_999) is None


def test_the_days_notices_come_in_one_zip(db: Database, county: dict) -> None:
    with db.read() as s:
        rows = notice_rows(s, day=DAY)
        data = day_notices_zip(s, DAY)
        assert day_notices_zip(s, DAY + dt.timedelta(days=1)) is None
    assert {r.items for r in rows if r.id == county["chase"]} == {2}
    assert data is not None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert len(names) == 3
        assert "〔2024〕催字第1号-" + UNIT_A + ".docx" in names
        assert any(name.startswith("〔2024〕督字第1号") for name in names)
        texts = [text_of(archive.read(name)) for name in names]
    assert any("河西律师事务所" in t for t in texts)


# ---- the admin's template ------------------------------------------------------------------------


def _rows(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(NoticeTemplate)) or 0


def test_an_admins_template_replaces_the_built_in_one_and_is_recorded(
    db: Database, county: dict
) -> None:
    mine = docx_with(
        "本局催办 {{ number }}",
        "致 {{ unit }}",
        "{% for item in items %}{{ item.label }}；{% endfor %}",
    )
    with db.write("admin") as s:
        info = save_notice_template(s, ADMIN, "chase", "我们的模板.docx", mine)
    assert info.filename == "我们的模板.docx"
    with db.read() as s:
        text = text_of(notice_docx(s, county["chase"]) or b"")
        assert template_status(s)["chase"] is not None and template_status(s)["escalate"] is None
        assert template_file(s, "chase") == (mine, "我们的模板.docx")
        created = s.scalars(select(ChangeLog).where(ChangeLog.entity == "notice_template")).all()
    assert "本局催办 〔2024〕催字第 1 号" in text and f"致 {UNIT_A}" in text
    assert "TS-2024-001" in text and COMPLAINANT not in text
    assert [(c.action, c.actor, c.after["filename"]) for c in created] == [
        ("create", "admin", "我们的模板.docx")
    ]
    # A second upload replaces the first (marked removed, kept); removing goes back to built-in.
    with db.write("admin") as s:
        save_notice_template(s, ADMIN, "chase", "第二版.docx", docx_with("{{ unit }} 第二版"))
    with db.read() as s:
        assert "第二版" in text_of(notice_docx(s, county["chase"]) or b"")
    with db.write("admin") as s:
        assert remove_notice_template(s, ADMIN, "chase") == "第二版.docx"
    with db.read() as s:
        assert template_status(s)["chase"] is None
        assert "催办通知书" in text_of(notice_docx(s, county["chase"]) or b"")
        removed = s.scalar(select(func.count()).where(NoticeTemplate.removed_at.is_not(None)))
        actions = s.scalars(
            select(ChangeLog.action).where(ChangeLog.entity == "notice_template")
        ).all()
    assert removed == 2 and _rows(db) == 2
    assert sorted(actions) == ["create", "create", "update", "update"]
    with db.write("admin") as s, pytest.raises(NoticeError, match="内置模板"):
        remove_notice_template(s, ADMIN, "chase")


@pytest.mark.parametrize(
    ("filename", "data", "words"),
    [
        ("空.docx", b"", "是空的"),
        ("旧格式.doc", docx_with("{{ unit }}"), "不是 .docx"),
        ("假的.docx", b"%PDF-1.4\n1 0 obj\n", "不是 Word 文档"),
        ("压缩包.docx", b"PK\x03\x04" + b"\x00" * 40, "不是 Word 文档"),
        ("错别字.docx", docx_with("{{ unti }}"), "不认识的变量「unti」"),
        ("错属性.docx", docx_with("{% for item in items %}{{ item.nope }}{% endfor %}"), "不认识"),
        ("不成对.docx", docx_with("{{ unit "), "模板标记有误"),
        ("不成对2.docx", docx_with("{% for item in items %}{{ item.no }}"), "模板标记有误"),
        ("越权.docx", docx_with("{{ ''.__class__.__mro__[1].__subclasses__() }}"), "模板"),
    ],
)
def test_a_bad_template_is_refused_in_words_and_nothing_is_written(
    db: Database, county: dict, filename: str, data: bytes, words: str
) -> None:
    with db.write("admin") as s, pytest.raises(NoticeError, match=words) as refused:
        save_notice_template(s, ADMIN, "chase", filename, data)
    assert filename in str(refused.value)
    assert _rows(db) == 0


def test_only_the_admin_may_change_templates(db: Database, county: dict) -> None:
    for who in (Who("leader", "leader"), Who("duban", "supervisor"), Who("unit_a", "unit")):
        with db.write(who.username) as s, pytest.raises(NoticeRefused):
            save_notice_template(s, who, "chase", "a.docx", builtin_template("chase"))
        with db.write(who.username) as s, pytest.raises(NoticeRefused):
            remove_notice_template(s, who, "chase")
    assert _rows(db) == 0


# ---- the routes ----------------------------------------------------------------------------------


@pytest.fixture
def app(make_app: MakeApp, county: dict) -> Dash:
    return make_app(today=DAY)


def client_as(app: Dash, who: str) -> Any:
    client = app.server.test_client()
    login(client, who).close()
    return client


def _denials(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(ChangeLog.actor).where(ChangeLog.action == "denied")))


def test_notice_downloads_for_readers_and_the_units_own(
    app: Dash, db: Database, county: dict
) -> None:
    for who in ("admin", "duban", "leader", "unit_a"):
        with client_as(app, who).get(f"/download/notice/{county['chase']}.docx") as response:
            assert response.status_code == 200, who
            assert "〔2024〕催字第 1 号" in text_of(response.data)
            assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
            assert response.headers["Cache-Control"] == "no-store"
    with client_as(app, "unit_b").get(f"/download/notice/{county['chase']}.docx") as response:
        assert response.status_code == 403
        assert "只能下载本单位的通知书" in response.get_data(as_text=True)
    assert _denials(db) == ["unit_b"]
    with client_as(app, "admin").get("/download/notice/99999.docx") as response:
        assert response.status_code == 404 and "没有编号为 99999 的通知书" in response.get_data(
            as_text=True
        )


def test_the_days_zip_route(app: Dash, db: Database, county: dict) -> None:
    with client_as(app, "leader").get("/download/notices/2024-10-09.zip") as response:
        assert response.status_code == 200 and response.mimetype == "application/zip"
        assert len(zipfile.ZipFile(io.BytesIO(response.data)).namelist()) == 3
    with client_as(app, "unit_a").get("/download/notices/2024-10-09.zip") as response:
        assert response.status_code == 403 and "全部通知书" in response.get_data(as_text=True)
    admin = client_as(app, "admin")
    with admin.get("/download/notices/2024-10-10.zip") as response:
        assert response.status_code == 404 and "没有印发通知书" in response.get_data(as_text=True)
    with admin.get("/download/notices/10月9日.zip") as response:
        assert response.status_code == 400 and "不是日期" in response.get_data(as_text=True)


def test_the_template_download_is_the_admins(app: Dash, db: Database, county: dict) -> None:
    with client_as(app, "admin").get("/download/notice-template/escalate.docx") as response:
        assert response.status_code == 200
        assert "{{ leaders }}" in text_of(response.data)  # the tags, to edit
    with client_as(app, "leader").get("/download/notice-template/chase.docx") as response:
        assert response.status_code == 403 and "管理员" in response.get_data(as_text=True)
    with client_as(app, "admin").get("/download/notice-template/other.docx") as response:
        assert response.status_code == 404
    assert "leader" in _denials(db)


# ---- the panel's callback ------------------------------------------------------------------------


def _id(part: str, kind: str) -> dict[str, str]:
    return {"type": f"notices-tpl-{part}", "kind": kind}


def _key(value: dict[str, str]) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def panel_post(
    app: Dash,
    client: Any,
    kind: str,
    *,
    contents: str | None = None,
    filename: str | None = None,
    remove: bool = False,
) -> Any:
    """The panel's callback as the browser posts it: a refresh, a chosen file or a removal."""
    output = next(key for key in app.callback_map if "notices-tpl-status" in key)
    if remove:
        changed = _key(_id("remove", kind)) + ".n_clicks"
    elif contents is not None:
        changed = _key(_id("upload", kind)) + ".contents"
    else:
        changed = _key(_id("refresh", kind)) + ".data"
    body = {
        "output": output,
        "outputs": [
            {"id": _id("status", kind), "property": "children"},
            {"id": _id("remove", kind), "property": "disabled"},
            {"id": _id("message", kind), "property": "children"},
            {"id": _id("upload", kind), "property": "contents"},
        ],
        "inputs": [
            {"id": _id("refresh", kind), "property": "data", "value": 0},
            {"id": _id("upload", kind), "property": "contents", "value": contents},
            {"id": _id("remove", kind), "property": "n_clicks", "value": 1 if remove else None},
        ],
        "state": [{"id": _id("upload", kind), "property": "filename", "value": filename}],
        "changedPropIds": [changed],
    }
    return client.post("/_dash-update-component", json=body)


def answer(response: Any) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.dumps(json.loads(response.get_data(as_text=True)), ensure_ascii=False)


def data_url(data: bytes) -> str:
    import base64

    return "data:application/octet-stream;base64," + base64.b64encode(data).decode()


def test_the_panel_uploads_refuses_and_removes(app: Dash, db: Database, county: dict) -> None:
    admin = client_as(app, "admin")
    with panel_post(app, admin, "chase") as response:
        assert "正在使用内置模板" in answer(response)
    good = data_url(docx_with("{{ unit }}：请办理"))
    with panel_post(app, admin, "chase", contents=good, filename="新模板.docx") as response:
        text = answer(response)
        assert "已启用模板「新模板.docx」" in text and "正在使用「新模板.docx」（admin" in text
    bad = data_url(docx_with("{{ nope }}"))
    with panel_post(app, admin, "escalate", contents=bad, filename="坏模板.docx") as response:
        text = answer(response)
        assert "坏模板.docx" in text and "不认识的变量" in text
    leader = client_as(app, "leader")
    with panel_post(app, leader, "chase", contents=good, filename="越权.docx") as response:
        assert "只有管理员可以更换通知书模板" in answer(response)
    assert "leader" in _denials(db)
    with panel_post(app, admin, "chase", remove=True) as response:
        text = answer(response)
        assert "已停用模板「新模板.docx」" in text and "正在使用内置模板" in text
    with db.read() as s:
        names = s.scalars(select(NoticeTemplate.filename)).all()
    assert names == ["新模板.docx"]


def _document_xml(data: bytes) -> bytes:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.tostring(etree.fromstring(package.read("word/document.xml")), method="c14n")


def test_a_prepared_template_renders_what_docxtpl_renders(db: Database, county: dict) -> None:
    """The day's .zip renders a prepared template per notice: the same document as docxtpl."""
    from data.notices import notice_context

    with db.read() as s:
        contexts = [notice_context(s, county[k]) for k in ("chase", "escalate", "other")]
    for kind in ("chase", "escalate"):
        prepared = Renderer(builtin_template(kind))
        assert prepared.fast
        for context in contexts:
            assert context is not None
            one = render(builtin_template(kind), context)
            assert _document_xml(prepared.render(context)) == _document_xml(one)
    # A template with tags in its header is rendered by docxtpl whole.
    document = Document(io.BytesIO(docx_with("{{ unit }}")))
    document.sections[0].header.paragraphs[0].text = "{{ number }}"
    out = io.BytesIO()
    document.save(out)
    headed = Renderer(out.getvalue())
    assert not headed.fast
    rendered = Document(io.BytesIO(headed.render(contexts[0] or {})))
    assert rendered.sections[0].header.paragraphs[0].text == "〔2024〕催字第 1 号"
