"""催办通知书 / 督办通知书 as Word documents (#15 催办), from a template the admin can replace.

A notice (chase_notice, made by the daily ladder run in data/chase.py) goes to one unit on one
day; its items are the chase steps naming it. Its document is its kind's template (a docxtpl
.docx, data/notice_documents.py) rendered with NOTICE_FIELDS: the built-in one, or the admin's
replacement (edited in WPS or Word) — checked by rendering it with a sample notice before it is
kept; a bad file is refused in words with nothing written, and each upload and removal is
recorded in the history.

No complainant data: an item is named by its 编号 and a short title cut from its description
with the problem's complainant name and phone and any long digit run (a phone written another
way) replaced by ***; a meeting question by its text, a task by its name and phase.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from data.history import record
from data.labels import NOTICE_KIND_NAMES
from data.models import (
    ChaseNotice,
    ChaseStep,
    MeetingQuestion,
    NoticeTemplate,
    Problem,
    TaskTemplate,
    Unit,
    UnitTask,
)
from data.notice_documents import Renderer, builtin_template, render
from data.reference import PHASE_NAMES, Role
from data.workdays import DayCounter, day_counter

log = logging.getLogger(__name__)

KINDS: tuple[str, ...] = ("chase", "escalate")
KIND_TITLES: dict[str, str] = NOTICE_KIND_NAMES
NUMBER_WORDS: dict[str, str] = {"chase": "催", "escalate": "督"}
NUMBER_FORMAT = "〔{year}〕{word}字第 {number} 号"
ITEM_KIND_NAMES: dict[str, str] = {"problem": "问题", "question": "大会提问", "task": "阶段任务"}
STEP_NAMES: dict[str, str] = {
    "remind": "提醒",
    "chase": "催办",
    "escalate": "督办",
    "focus": "重点督查",
}
LEADERS_UNASSIGNED = "局领导"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
TITLE_CHARS = 30  # of an item's short title
HIDDEN = "***"
LONG_DIGITS = re.compile(r"\d[\d\- ]{5,}\d")
UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')

# The variables a template may use (shown to the admin next to the upload box).
NOTICE_FIELDS: dict[str, str] = {
    "title": "通知书名称（催办通知书 / 督办通知书）",
    "number": "文号，如 〔2024〕催字第 1 号",
    "unit": "受文单位",
    "date": "印发日期，如 2024年10月9日",
    "item_count": "事项数",
    "day_unit": "计日方式（天 / 个工作日）",
    "leaders": "分管领导（督办通知书抄送）",
    "items": "事项列表；每项有 no 序号、kind 类别、label 事项、deadline 办理期限、"
    "overdue 逾期、step 催办环节",
}


class NoticeError(ValueError):
    """A template upload or removal that cannot be done, in Chinese words saying why."""


class NoticeRefused(NoticeError):
    """The account may not change notice templates."""


class Actor(Protocol):
    """Who acts (dashboard.auth.Account or anything with these)."""

    @property
    def username(self) -> str: ...
    @property
    def role(self) -> str: ...


@dataclass(frozen=True)
class NoticeRow:
    """A notice as lists show it."""

    id: int
    kind: str
    number: str
    unit_id: int
    unit: str
    issued_on: dt.date
    items: int
    serial: int = 0  # the number within its year and kind

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]

    @property
    def filename(self) -> str:
        """The file's name: 文号 and unit, e.g. 〔2024〕催字第1号-城关镇司法所.docx."""
        return safe_filename(f"{self.number.replace(' ', '')}-{self.unit}.docx")


@dataclass(frozen=True)
class TemplateInfo:
    """The admin's template of a kind in use (None stands for the built-in one)."""

    id: int
    kind: str
    filename: str
    sha256: str
    uploaded_at: dt.datetime
    uploaded_by: str


def number_text(year: int, kind: str, number: int) -> str:
    """〔2024〕催字第 3 号."""
    return NUMBER_FORMAT.format(year=year, word=NUMBER_WORDS[kind], number=number)


def date_text(day: dt.date) -> str:
    """2024年10月9日."""
    return f"{day.year}年{day.month}月{day.day}日"


def safe_filename(name: str) -> str:
    """A name any file system and zip reader accepts."""
    return UNSAFE_IN_NAME.sub("_", name).strip() or "notice.docx"


def scrub(text: str | None, name: str | None = None, phone: str | None = None) -> str:
    """`text` without the complainant's name and phone and without long digit runs (a phone
    written another way): a notice goes to the unit complained about, so not even the masked
    name (its surname) is left."""
    text = (text or "").strip()
    for secret in (name, phone):
        if secret and len(secret.strip()) >= 2:
            text = text.replace(secret.strip(), HIDDEN)
    return LONG_DIGITS.sub(HIDDEN, text)


def short(text: str, limit: int = TITLE_CHARS) -> str:
    """The first line of `text`, cut to `limit` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


# ---- the notices -------------------------------------------------------------------------------


def notice_rows(
    session: Session,
    *,
    day: dt.date | None = None,
    unit_id: int | None = None,
    kind: str | None = None,
    limit: int | None = 500,
) -> list[NoticeRow]:
    """Notices (of a day, of a unit, of a kind), newest first, with their item counts."""
    items = (
        select(ChaseStep.notice_id, func.count().label("n"))
        .where(ChaseStep.notice_id.is_not(None))
        .group_by(ChaseStep.notice_id)
        .subquery()
    )
    query = (
        select(ChaseNotice, Unit.name, func.coalesce(items.c.n, 0))
        .join(Unit, Unit.id == ChaseNotice.unit_id)
        .outerjoin(items, items.c.notice_id == ChaseNotice.id)
        .order_by(ChaseNotice.issued_on.desc(), ChaseNotice.kind, ChaseNotice.number)
        .limit(limit)
    )  # limit None: all of them
    if day is not None:
        query = query.where(ChaseNotice.issued_on == day)
    if unit_id is not None:
        query = query.where(ChaseNotice.unit_id == unit_id)
    if kind is not None:
        query = query.where(ChaseNotice.kind == kind)
    return [
        NoticeRow(
            id=n.id,
            kind=n.kind,
            number=number_text(n.year, n.kind, n.number),
            unit_id=n.unit_id,
            unit=unit,
            issued_on=n.issued_on,
            items=count,
            serial=n.number,
        )
        for n, unit, count in session.execute(query)
    ]


def notice_row(session: Session, notice_id: int) -> NoticeRow | None:
    """One notice (None if there is none with that id)."""
    found = session.execute(
        select(ChaseNotice, Unit.name)
        .join(Unit, Unit.id == ChaseNotice.unit_id)
        .where(ChaseNotice.id == notice_id)
    ).one_or_none()
    if found is None:
        return None
    n, unit = found
    count = session.scalar(select(func.count()).where(ChaseStep.notice_id == n.id)) or 0
    text = number_text(n.year, n.kind, n.number)
    return NoticeRow(n.id, n.kind, text, n.unit_id, unit, n.issued_on, count, n.number)


def _problem_labels(session: Session, ids: list[int]) -> dict[int, str]:
    rows = session.execute(
        select(
            Problem.id,
            Problem.ledger_key,
            Problem.description,
            Problem.complainant_name,
            Problem.complainant_phone,
        ).where(Problem.id.in_(ids))
    )
    labels: dict[int, str] = {}
    for pid, key, description, name, phone in rows:
        title = short(scrub(description, name, phone))
        labels[pid] = f"{title}（编号 {key}）" if key else title
    return labels


def _question_labels(session: Session, ids: list[int]) -> dict[int, str]:
    rows = session.execute(
        select(MeetingQuestion.id, MeetingQuestion.question).where(MeetingQuestion.id.in_(ids))
    )
    return {qid: short(scrub(text)) for qid, text in rows}


def _task_labels(session: Session, ids: list[int]) -> dict[int, str]:
    """A task step's item is the unit's task (unit_task: the ladder run adds the rows units
    lack), named by its template and phase."""
    return {
        tid: f"{name}（{PHASE_NAMES.get(phase, phase)}）"
        for tid, name, phase in session.execute(
            select(UnitTask.id, TaskTemplate.name, TaskTemplate.phase_code)
            .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
            .where(UnitTask.id.in_(ids))
        )
    }


LABELLERS = {"problem": _problem_labels, "question": _question_labels, "task": _task_labels}


def notice_context(
    session: Session, notice_id: int, counter: DayCounter | None = None
) -> dict[str, Any] | None:
    """What a notice's template is rendered with (NOTICE_FIELDS): what the run that issued it
    fixed (chase_notice.content); None if there is none."""
    content = session.scalar(select(ChaseNotice.content).where(ChaseNotice.id == notice_id))
    if content:
        return dict(content)
    return live_context(session, notice_id, counter)


def fix_contents(session: Session, notice_ids: list[int], counter: DayCounter) -> int:
    """Fix what these notices say as of now (a run has just put items in them), each change
    recorded in the history; returns how many changed."""
    table = ChaseNotice.__table__
    ids = sorted(set(notice_ids))
    stored = dict(
        session.execute(select(table.c.id, table.c.content).where(table.c.id.in_(ids))).all()
    )
    changes = []
    for notice_id in ids:
        before = stored.get(notice_id)
        after = live_context(session, notice_id, counter)
        if after is None or after == before:
            continue
        session.execute(update(table).where(table.c.id == notice_id).values(content=after))
        changes.append((notice_id, {"content": before}, {"content": after}))
    if changes:
        record(session, "update", table.name, changes, note="催办：通知书内容")
    return len(changes)


def live_context(
    session: Session, notice_id: int, counter: DayCounter | None = None
) -> dict[str, Any] | None:
    """A notice's context from its steps and their items as they are now (None: no notice)."""
    row = notice_row(session, notice_id)
    if row is None:
        return None
    steps = session.execute(
        select(ChaseStep.item_kind, ChaseStep.item_id, ChaseStep.deadline, ChaseStep.step)
        .where(ChaseStep.notice_id == notice_id)
        .order_by(ChaseStep.deadline, ChaseStep.item_kind, ChaseStep.item_id)
    ).all()
    labels: dict[str, dict[int, str]] = {}
    for kind, labeller in LABELLERS.items():
        ids = [s.item_id for s in steps if s.item_kind == kind]
        labels[kind] = labeller(session, ids) if ids else {}
    counter = counter if counter is not None else day_counter(session)
    day_unit = "个工作日" if counter.working else "天"
    items = []
    for no, s in enumerate(steps, start=1):
        late = counter.between(s.deadline, row.issued_on)
        items.append(
            {
                "no": no,
                "kind": ITEM_KIND_NAMES.get(s.item_kind, s.item_kind),
                "label": labels[s.item_kind].get(s.item_id, f"（记录 {s.item_id}）"),
                "deadline": date_text(s.deadline),
                "overdue": f"{late} {day_unit}" if late > 0 else "未逾期",
                "step": STEP_NAMES.get(s.step, s.step),
            }
        )
    return {
        "title": row.title,
        "number": row.number,
        "unit": row.unit,
        "date": date_text(row.issued_on),
        "item_count": len(items),
        "day_unit": day_unit,
        "leaders": _leaders(session, notice_id) if row.kind == "escalate" else "",
        "items": items,
    }


def _leaders(session: Session, notice_id: int) -> str:
    """Whom an escalation is copied to: the leaders in charge as the ladder named them when it
    made the steps (局领导 when none is assigned)."""
    named = session.scalars(
        select(ChaseStep.recipient)
        .where(ChaseStep.notice_id == notice_id, ChaseStep.step == "escalate")
        .distinct()
    ).all()
    names = sorted({name.strip() for text in named for name in text.split("、") if name.strip()})
    return "、".join(names) if names else LEADERS_UNASSIGNED


def sample_context(kind: str) -> dict[str, Any]:
    """A made-up notice to try a template with."""
    return {
        "title": KIND_TITLES[kind],
        "number": number_text(2024, kind, 1),
        "unit": "示例司法所",
        "date": date_text(dt.date(2024, 10, 9)),
        "item_count": 2,
        "day_unit": "个工作日",
        "leaders": "示例局领导" if kind == "escalate" else "",
        "items": [
            {
                "no": 1,
                "kind": "问题",
                "label": "窗口服务态度生硬（编号 WT-001）",
                "deadline": "2024年9月30日",
                "overdue": "3 个工作日",
                "step": STEP_NAMES[kind],
            },
            {
                "no": 2,
                "kind": "阶段任务",
                "label": "整改方案（落实整改）",
                "deadline": "2024年9月27日",
                "overdue": "4 个工作日",
                "step": STEP_NAMES[kind],
            },
        ],
    }


# ---- templates ---------------------------------------------------------------------------------


def current_template(session: Session, kind: str) -> NoticeTemplate | None:
    """The admin's template of a kind in use (the latest not removed); None: the built-in."""
    return session.scalars(
        select(NoticeTemplate)
        .where(NoticeTemplate.kind == kind, NoticeTemplate.removed_at.is_(None))
        .order_by(NoticeTemplate.uploaded_at.desc(), NoticeTemplate.id.desc())
        .limit(1)
    ).first()


def template_status(session: Session) -> dict[str, TemplateInfo | None]:
    """Each kind's template in use (None: the built-in one), without the bytes."""
    status: dict[str, TemplateInfo | None] = {}
    for kind in KINDS:
        found = session.execute(
            select(
                NoticeTemplate.id,
                NoticeTemplate.filename,
                NoticeTemplate.sha256,
                NoticeTemplate.uploaded_at,
                NoticeTemplate.uploaded_by,
            )
            .where(NoticeTemplate.kind == kind, NoticeTemplate.removed_at.is_(None))
            .order_by(NoticeTemplate.uploaded_at.desc(), NoticeTemplate.id.desc())
            .limit(1)
        ).first()
        status[kind] = TemplateInfo(found.id, kind, *found[1:]) if found else None
    return status


def template_file(session: Session, kind: str) -> tuple[bytes, str]:
    """The template of a kind in use and a file name for it (the admin edits it in WPS)."""
    found = current_template(session, kind)
    if found is not None:
        return found.data, found.filename
    return builtin_template(kind), f"{KIND_TITLES[kind]}模板（内置）.docx"


class NoticeMaker:
    """Makes notices' documents with one day counter and one prepared template per kind.

    An admin's template that fails on a real notice (it passed the sample) gives way to the
    built-in one rather than leave the unit without its notice."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.counter = day_counter(session)
        self.renderers: dict[tuple[str, bool], Renderer] = {}

    def _renderer(self, kind: str, builtin: bool) -> Renderer:
        if (kind, builtin) not in self.renderers:
            template = builtin_template(kind) if builtin else template_file(self.session, kind)[0]
            self.renderers[(kind, builtin)] = Renderer(template)
        return self.renderers[(kind, builtin)]

    def docx(self, notice_id: int) -> bytes | None:
        """A notice as a Word document; None if there is no such notice."""
        context = notice_context(self.session, notice_id, self.counter)
        if context is None:
            return None
        kind = "escalate" if context["title"] == KIND_TITLES["escalate"] else "chase"
        try:
            return self._renderer(kind, builtin=False).render(context)
        except Exception:  # noqa: BLE001 — an admin's template: the built-in one still works
            log.exception("notice %s: the admin's %s template failed", notice_id, kind)
            return self._renderer(kind, builtin=True).render(context)


def notice_docx(session: Session, notice_id: int) -> bytes | None:
    """A notice as a Word document from its kind's template; None if there is no such notice."""
    return NoticeMaker(session).docx(notice_id)


def day_notices_zip(session: Session, day: dt.date) -> bytes | None:
    """All of a day's notices in one .zip, 催办 then 督办 in number order (None: none that day)."""
    rows = notice_rows(session, day=day, limit=None)
    if not rows:
        return None
    maker = NoticeMaker(session)
    out = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in sorted(rows, key=lambda r: (KINDS.index(r.kind), r.serial)):
            name = row.filename
            if name in seen:  # never two entries of one name
                name = f"{row.id}-{name}"
            seen.add(name)
            archive.writestr(name, maker.docx(row.id) or b"")
    return out.getvalue()


# ---- the admin's templates ---------------------------------------------------------------------


def _check_admin(account: Actor) -> None:
    if account.role != Role.ADMIN:
        raise NoticeRefused("只有管理员可以更换通知书模板")


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise NoticeError(f"没有「{kind}」这种通知书")


def check_template(kind: str, filename: str | None, data: bytes) -> str:
    """The cleaned file name of a usable template; NoticeError saying why one is not."""
    from jinja2 import TemplateError, UndefinedError

    from data.attachments import clean_name, detect

    name = clean_name(filename) or "（无名文件）"
    if not data:
        raise NoticeError(f"文件「{name}」是空的")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise NoticeError(f"文件「{name}」超过 {MAX_TEMPLATE_BYTES // 1024 // 1024} MB，未保存")
    if not name.lower().endswith(".docx"):
        raise NoticeError(f"文件「{name}」不是 .docx 文件；请在 WPS 或 Word 中另存为 .docx")
    media_type, what = detect(data)
    if media_type != DOCX_TYPE:
        raise NoticeError(f"文件「{name}」的内容是{what}，不是 Word 文档（.docx），未保存")
    try:
        render(data, sample_context(kind))
    except UndefinedError as error:
        known = "、".join(NOTICE_FIELDS)
        found = re.match(r"'([^']+)' is undefined", error.message or "")
        what = f"「{found.group(1)}」" if found else f"（{error.message}）"
        raise NoticeError(
            f"文件「{name}」中使用了不认识的变量{what}；可用的变量：{known}"
        ) from error
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        where = f"（第 {line} 段附近）" if line else ""
        raise NoticeError(
            f"文件「{name}」中的模板标记有误{where}：{error.message or error}。"
            "请检查 {{ }} 和 {% %} 是否成对、拼写是否正确"
        ) from error
    except Exception as error:  # noqa: BLE001 — any other reason the file cannot be rendered
        raise NoticeError(
            f"文件「{name}」无法作为通知书模板使用（{type(error).__name__}）"
        ) from error
    return name


def save_notice_template(
    session: Session, account: Actor, kind: str, filename: str | None, data: bytes
) -> TemplateInfo:
    """Keep an admin's template for a kind (it replaces the one in use); recorded in the
    history. NoticeRefused for other roles, NoticeError for a file that cannot be used."""
    _check_admin(account)
    _check_kind(kind)
    name = check_template(kind, filename, data)
    now = dt.datetime.now()
    _remove_current(session, kind, now)
    row = NoticeTemplate(
        kind=kind,
        filename=name,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_at=now,
        uploaded_by=account.username,
        data=data,
    )
    session.add(row)
    session.flush()
    after = {
        "kind": kind,
        "filename": name,
        "sha256": row.sha256,
        "uploaded_at": now,
        "uploaded_by": account.username,
    }
    record(session, "create", "notice_template", [(row.id, None, after)])
    return TemplateInfo(row.id, kind, name, row.sha256, now, account.username)


def _remove_current(session: Session, kind: str, now: dt.datetime) -> NoticeTemplate | None:
    current = current_template(session, kind)
    if current is None:
        return None
    current.removed_at = now
    session.flush()
    record(
        session,
        "update",
        "notice_template",
        [(current.id, {"removed_at": None}, {"removed_at": now})],
    )
    return current


def remove_notice_template(session: Session, account: Actor, kind: str) -> str:
    """Stop using the admin's template of a kind (the built-in one is used again); the file
    stays, marked removed, and the removal is recorded. Returns the removed file's name."""
    _check_admin(account)
    _check_kind(kind)
    removed = _remove_current(session, kind, dt.datetime.now())
    if removed is None:
        raise NoticeError(f"{KIND_TITLES[kind]}正在使用内置模板，没有可移除的模板")
    return removed.filename
