"""A campaign's deliverables (阶段任务): add, rename, retire, restore, and delete one added by
mistake — every unit it applies to gets it at once; a deliverable someone completed is never
deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import field_validator
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from data.campaigns import campaign_by_year, generate_unit_items
from data.forms import Form, FormError, Name, validate
from data.history import record
from data.models import TaskTemplate, UnitTask
from data.reference import KIND_NAMES, PHASE_NAMES


class TemplateForm(Form):
    """A deliverable (阶段任务) of a campaign's checklist."""

    phase_code: str
    name: Name
    kinds: list[str] | None = None

    @field_validator("phase_code")
    @classmethod
    def _phase(cls, value: str) -> str:
        if value not in PHASE_NAMES:
            raise ValueError("请选择阶段")
        return value

    @field_validator("kinds")
    @classmethod
    def _kinds(cls, value: list[str] | None) -> list[str] | None:
        if not value:
            return None
        unknown = [k for k in value if k not in KIND_NAMES]
        if unknown:
            raise ValueError(f"单位类型无效：{'、'.join(unknown)}")
        return sorted(set(value), key=list(KIND_NAMES).index)


def add_template(session: Session, year: int, raw: dict[str, Any]) -> TaskTemplate:
    """A new deliverable in a phase; every unit it applies to gets it at once."""
    campaign = campaign_by_year(session, year)
    form = validate(TemplateForm, raw)
    _unique_template(session, campaign.id, form.phase_code, form.name)
    order = session.scalar(
        select(func.coalesce(func.max(TaskTemplate.sort_order), 0)).where(
            TaskTemplate.campaign_id == campaign.id, TaskTemplate.phase_code == form.phase_code
        )
    )
    template = TaskTemplate(
        campaign_id=campaign.id,
        phase_code=form.phase_code,
        name=form.name,
        sort_order=int(order or 0) + 1,
        needs_evidence=True,
        kinds=form.kinds,
    )
    session.add(template)
    session.flush()
    generate_unit_items(session, campaign.id)
    return template


def _unique_template(
    session: Session, campaign_id: int, phase: str, name: str, but: int | None = None
) -> None:
    query = select(TaskTemplate.id).where(
        TaskTemplate.campaign_id == campaign_id,
        TaskTemplate.phase_code == phase,
        TaskTemplate.name == name,
    )
    if but is not None:
        query = query.where(TaskTemplate.id != but)
    if session.scalar(query) is not None:
        raise FormError({"name": f"{PHASE_NAMES[phase]}已有任务“{name}”"})


def _template(session: Session, template_id: Any) -> TaskTemplate:
    template = session.get(TaskTemplate, template_id) if isinstance(template_id, int) else None
    if template is None:
        raise FormError({"template": "该阶段任务不存在"})
    return template


def rename_template(session: Session, template_id: Any, name: Any) -> TaskTemplate:
    """Rename a deliverable (its unit tasks keep their progress)."""
    template = _template(session, template_id)
    form = validate(
        TemplateForm, {"phase_code": template.phase_code, "name": name, "kinds": template.kinds}
    )
    _unique_template(session, template.campaign_id, template.phase_code, form.name, template.id)
    template.name = form.name
    session.flush()
    return template


def retire_template(session: Session, template_id: Any, when: dt.datetime) -> TaskTemplate:
    """Take a deliverable out of the checklist; its unit tasks stay, counted in no figure."""
    template = _template(session, template_id)
    if template.retired_at is None:
        template.retired_at = when
        session.flush()
    return template


def restore_template(session: Session, template_id: Any) -> TaskTemplate:
    """Put a retired deliverable back; units that joined since get it too."""
    template = _template(session, template_id)
    if template.retired_at is not None:
        template.retired_at = None
        session.flush()
        generate_unit_items(session, template.campaign_id)
    return template


def delete_template(session: Session, template_id: Any) -> None:
    """Remove a deliverable added by mistake: only while no unit has completed it.

    The deletion of the template and its empty unit tasks is recorded in the history."""
    template = _template(session, template_id)
    done = session.scalar(
        select(func.count())
        .select_from(UnitTask)
        .where(UnitTask.template_id == template.id, UnitTask.completed_on.is_not(None))
    )
    if done:
        raise FormError(
            {"template": f"已有 {done} 个单位完成“{template.name}”，不能删除，只能停用"}
        )
    tasks = session.execute(
        select(UnitTask.id, UnitTask.unit_id).where(UnitTask.template_id == template.id)
    ).all()
    record(
        session,
        "delete",
        "unit_task",
        [(tid, {"template_id": template.id, "unit_id": uid}, None) for tid, uid in tasks],
        note=f"删除未使用的阶段任务“{template.name}”",
    )
    record(
        session,
        "delete",
        "task_template",
        [(template.id, {"name": template.name, "phase_code": template.phase_code}, None)],
    )
    session.execute(delete(UnitTask).where(UnitTask.template_id == template.id))
    session.execute(delete(TaskTemplate).where(TaskTemplate.id == template.id))
    session.expunge(template)
