"""Typed SQLAlchemy models for the whole campaign of DOMAIN.md."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    func,
    insert,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from data.reference import CRITERIA

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: Any) -> str:
    """A CHECK expression limiting a column to a set of codes."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class Audited:
    """Marks evaluation data whose every change goes into the append-only history."""

    __audited__ = True


class Versioned:
    """Optimistic locking: a save against a stale version is refused, never merged silently."""

    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Campaign(Audited, Base):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(200))
    meeting_date: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    phases: Mapped[list[Phase]] = relationship(
        back_populates="campaign", order_by="Phase.starts_on", cascade="all, delete-orphan"
    )


class Phase(Audited, Base):
    __tablename__ = "phase"
    __table_args__ = (
        UniqueConstraint("campaign_id", "code"),
        CheckConstraint(_in("code", ("mobilize", "investigate", "rectify", "assess")), name="code"),
        CheckConstraint("ends_on >= starts_on", name="window"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)

    campaign: Mapped[Campaign] = relationship(back_populates="phases")


class Unit(Audited, Versioned, Base):
    __tablename__ = "unit"
    __table_args__ = (
        CheckConstraint(
            _in(
                "kind",
                (
                    "judicial_office",
                    "notary_office",
                    "law_firm",
                    "legal_service_center",
                    "legal_aid_center",
                ),
            ),
            name="kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    township: Mapped[str | None] = mapped_column(String(100), index=True)
    retired_on: Mapped[dt.date | None] = mapped_column(Date)


class UnitAlias(Audited, Base):
    """A former name of a unit: older ledgers that use it still import into the unit."""

    __tablename__ = "unit_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)


class UnitCaseload(Audited, Base):
    """Cases a unit handled in a campaign year, to compare units of different size fairly."""

    __tablename__ = "unit_caseload"
    __table_args__ = (
        UniqueConstraint("campaign_id", "unit_id"),
        CheckConstraint("cases >= 0", name="cases"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    cases: Mapped[int] = mapped_column(Integer)


class Criterion(Base):
    """Reference data (work plan §三); rows are seeded with the schema."""

    __tablename__ = "criterion"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    unit_group: Mapped[str | None] = mapped_column(String(20))
    sort_order: Mapped[int] = mapped_column(Integer)


def criterion_rows() -> list[dict[str, Any]]:
    """The criterion table's rows, for create_all and the first migration alike."""
    return [
        {"code": code, "name": name, "unit_group": group, "sort_order": order}
        for code, (name, group, order) in CRITERIA.items()
    ]


@event.listens_for(Criterion.__table__, "after_create")
def _seed_criteria(target: Table, connection: Any, **_: Any) -> None:
    connection.execute(insert(target), criterion_rows())


class TaskTemplate(Audited, Base):
    __tablename__ = "task_template"
    __table_args__ = (
        UniqueConstraint("campaign_id", "phase_code", "name"),
        CheckConstraint(
            "derived_from IS NULL OR " + _in("derived_from", ("archive", "upload")),
            name="derived_from",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    phase_code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    needs_evidence: Mapped[bool] = mapped_column(Boolean, default=True)
    # The unit kinds the deliverable applies to; None for every kind.
    kinds: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    # A retired template keeps its completed unit tasks but counts in no figure.
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # An archive task (#18 item 5) is not ticked by hand: it is done when every archive item of
    # the unit is in the archive ("archive") or uploaded to the 纠风 website ("upload").
    derived_from: Mapped[str | None] = mapped_column(String(20))


class ArchiveTemplate(Audited, Base):
    """One line of a campaign's archive checklist (工作档案: 文件、资料、照片)."""

    __tablename__ = "archive_template"
    __table_args__ = (
        UniqueConstraint("campaign_id", "name"),
        CheckConstraint(_in("category", ("document", "material", "photo")), name="category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class UnitTask(Audited, Versioned, Base):
    __tablename__ = "unit_task"
    __table_args__ = (UniqueConstraint("template_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("task_template.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)

    template: Mapped[TaskTemplate] = relationship()
    unit: Mapped[Unit] = relationship()


# The problem columns the figures read (data/figures.py problem_conditions and breakdowns).
FIGURE_COLUMNS = (
    "unit_id",
    "found_on",
    "channel",
    "criterion_code",
    "status",
    "severity",
    "deadline",
    "completed_on",
    "voided_at",
)


def covering(*keys: str) -> tuple[str, ...]:
    """An index's columns: its keys, then the other figure columns (an index-only read)."""
    return keys + tuple(c for c in FIGURE_COLUMNS if c not in keys)


class Problem(Audited, Versioned, Base):
    """A problem found by any channel, with its one rectification."""

    __tablename__ = "problem"
    __table_args__ = (
        UniqueConstraint("campaign_id", "ledger_key"),
        CheckConstraint(
            _in(
                "channel",
                (
                    "self_inspection",
                    "questionnaire",
                    "visit_forum",
                    "hotline",
                    "inspection",
                    "meeting",
                    "referral",
                    "supervision",
                ),
            ),
            name="channel",
        ),
        CheckConstraint(
            _in("status", ("pending", "in_progress", "done", "verified", "unfounded")),
            name="status",
        ),
        CheckConstraint(_in("severity", ("normal", "serious")), name="severity"),
        CheckConstraint("deadline >= found_on", name="deadline"),
        CheckConstraint("completed_on IS NULL OR completed_on >= found_on", name="completed"),
        CheckConstraint(
            "status NOT IN ('done', 'verified') OR completed_on IS NOT NULL", name="done_date"
        ),
        # Covering indexes: every figure reads only these columns, so a campaign's problems
        # are counted from the index alone, in unit, date or channel order (migration 0003).
        Index("ix_problem_campaign_found", *covering("campaign_id", "found_on")),
        Index("ix_problem_campaign_unit", *covering("campaign_id", "unit_id", "found_on")),
        Index("ix_problem_campaign_channel", *covering("campaign_id", "channel", "found_on")),
        Index("ix_problem_unit_found", "unit_id", "found_on"),
        Index(
            "ix_problem_question",
            "question_id",
            sqlite_where=text("question_id IS NOT NULL"),
            postgresql_where=text("question_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    ledger_key: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(20))
    criterion_code: Mapped[str] = mapped_column(ForeignKey("criterion.code"))
    found_on: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(10), default="normal")
    deadline: Mapped[dt.date] = mapped_column(Date)
    measures: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    reported: Mapped[bool] = mapped_column(Boolean, default=False)
    # The 纠风办 loop (#18 item 3): the dated batch it was reported in, and the office's
    # case-by-case feedback (纠风办反馈的个案整改情况) imported back by 编号.
    report_batch_id: Mapped[int | None] = mapped_column(ForeignKey("report_batch.id"), index=True)
    report_feedback: Mapped[str | None] = mapped_column(Text)
    report_feedback_on: Mapped[dt.date | None] = mapped_column(Date)
    complainant_name: Mapped[str | None] = mapped_column(String(100))
    complainant_phone: Mapped[str | None] = mapped_column(String(40))
    feedback: Mapped[str | None] = mapped_column(String(30))
    evidence: Mapped[str | None] = mapped_column(Text)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_visit.id"), index=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"), index=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_question.id"))
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    void_reason: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[Unit] = relationship()


inspection_representative = Table(
    "inspection_representative",
    Base.metadata,
    Column("inspection_id", ForeignKey("inspection.id"), primary_key=True),
    Column("representative_id", ForeignKey("representative.id"), primary_key=True),
)


class Representative(Audited, Versioned, Base):
    """A citizen representative (民评代表)."""

    __tablename__ = "representative"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    sector: Mapped[str] = mapped_column(String(50))
    contact: Mapped[str | None] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Inspection(Audited, Versioned, Base):
    """An open or covert inspection (明查暗访) by citizen representatives."""

    __tablename__ = "inspection"
    __table_args__ = (CheckConstraint(_in("mode", ("open", "covert")), name="mode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    inspected_on: Mapped[dt.date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(10))
    findings: Mapped[str | None] = mapped_column(Text)

    representatives: Mapped[list[Representative]] = relationship(
        secondary=inspection_representative
    )


class MeetingQuestion(Audited, Versioned, Base):
    """A question raised at the 评议大会 and the state of its answer."""

    __tablename__ = "meeting_question"
    __table_args__ = (
        CheckConstraint(_in("answer_mode", ("pending", "on_the_spot", "follow_up")), name="mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    representative_id: Mapped[int | None] = mapped_column(ForeignKey("representative.id"))
    asker: Mapped[str] = mapped_column(String(100))
    question: Mapped[str] = mapped_column(Text)
    asked_on: Mapped[dt.date] = mapped_column(Date)
    answer_mode: Mapped[str] = mapped_column(String(20), default="pending")
    answer: Mapped[str | None] = mapped_column(Text)
    reply_deadline: Mapped[dt.date | None] = mapped_column(Date)
    replied_on: Mapped[dt.date | None] = mapped_column(Date)


class SatisfactionSurvey(Audited, Versioned, Base):
    """满意度测评 answers for one unit and respondent type (不了解 is not a valid answer)."""

    __tablename__ = "satisfaction_survey"
    __table_args__ = (
        UniqueConstraint("campaign_id", "unit_id", "respondent_type"),
        CheckConstraint(
            "satisfied >= 0 AND basically_satisfied >= 0 AND dissatisfied >= 0 AND unknown >= 0",
            name="counts",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    respondent_type: Mapped[str] = mapped_column(String(30))
    satisfied: Mapped[int] = mapped_column(Integer, default=0)
    basically_satisfied: Mapped[int] = mapped_column(Integer, default=0)
    dissatisfied: Mapped[int] = mapped_column(Integer, default=0)
    unknown: Mapped[int] = mapped_column(Integer, default=0)


class SupervisionVisit(Audited, Versioned, Base):
    """A 督导检查 visit (routine or 重点督查) and its notes."""

    __tablename__ = "supervision_visit"
    __table_args__ = (
        CheckConstraint(_in("kind", ("routine", "focus")), name="kind"),
        Index("ix_visit_campaign_unit", "campaign_id", "unit_id", "visited_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    visited_on: Mapped[dt.date] = mapped_column(Date)
    supervisors: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), default="routine")
    findings: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    next_visit_on: Mapped[dt.date | None] = mapped_column(Date)

    ratings: Mapped[list[SupervisionRating]] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )


class SupervisionRating(Audited, Base):
    __tablename__ = "supervision_rating"
    __table_args__ = (
        UniqueConstraint("visit_id", "criterion_code"),
        CheckConstraint(_in("rating", ("conform", "basic", "nonconform")), name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("supervision_visit.id"))
    criterion_code: Mapped[str] = mapped_column(ForeignKey("criterion.code"))
    rating: Mapped[str] = mapped_column(String(20))

    visit: Mapped[SupervisionVisit] = relationship(back_populates="ratings")


class ArchiveItem(Audited, Versioned, Base):
    """One document, material or photo of a unit's 工作档案."""

    __tablename__ = "archive_item"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    in_archive: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)


class User(Audited, Versioned, Base):
    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint(_in("role", ("leader", "supervisor", "unit", "admin")), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # No longer read or written: log-in failures are counted per account and address in
    # login_failure (data/logins.py). Kept until data/demo.py stops setting failed_logins.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # A new or reset password is one-time: it must be changed at the next log-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Copied into the signed session cookie at log-in; moving it on (log-out, a new password,
    # disabling, an admin's 结束登录) ends every session of the account on every server.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    # 催办 (#15): where e-mail reaches the account (optional), and for a leader the unit kinds
    # in their charge (督办 goes to them; None: not in charge of any kind).
    email: Mapped[str | None] = mapped_column(String(200))
    in_charge_of: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))


class LoginFailure(Base):
    """Failed log-ins from one address: to one account name, or (username '') to any.

    Not evaluation data: written without the history and without moving the data version."""

    __tablename__ = "login_failure"
    __table_args__ = (UniqueConstraint("username", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer)
    last_failed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


class PendingUpload(Base):
    """An import file between its preview and its confirmation (data/uploads.py), in the
    database so that any app server can confirm a preview another one made."""

    __tablename__ = "pending_upload"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class FormToken(Base):
    """A new-record form's save (data/form_tokens.py): the token its form was opened with and
    what the save made, so that a second post of the same form (a double click) gets that back
    instead of making it again. Not evaluation data: written without the history."""

    __tablename__ = "form_token"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    form: Mapped[str] = mapped_column(String(50))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class Setting(Audited, Base):
    """A bureau setting (weights, thresholds), stored as JSON; defaults live in code."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class DataVersion(Base):
    """One row whose number every committed write moves (data/history.py): the figures cache key."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class SharedCacheEntry(Base):
    """A cached answer every worker and server of the app sees (data/cache.py): the figures and
    page answers computed at data version `version`. Never part of the records: not in the
    history, not counted in backups; an entry of an older version is dead and is deleted."""

    __tablename__ = "shared_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, index=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[dt.datetime] = mapped_column(DateTime)


@event.listens_for(DataVersion.__table__, "after_create")
def _seed_data_version(target: Table, connection: Any, **_: Any) -> None:
    connection.execute(insert(target), [{"id": 1, "n": 0}])


class ChangeLog(Base):
    """The append-only history: who, when, what it was and what it became."""

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_entity", "entity", "entity_id"),
        # A refusal is recorded once a minute per account and place (data/denials.py).
        Index(
            "ix_change_log_denied",
            "user_id",
            "at",
            sqlite_where=text("action = 'denied'"),
            postgresql_where=text("action = 'denied'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    # SHA-256 over the previous row's digest and this row's content (data/chain.py).
    digest: Mapped[str | None] = mapped_column(String(64))


class HistoryHead(Base):
    """The end of the history chain: how many rows it has and the last row's digest, so rows
    cut from the end are noticed as well (data/chain.py). One row, id 1."""

    __tablename__ = "history_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    digest: Mapped[str] = mapped_column(String(64))


class Snapshot(Base):
    """Published figures (#14 item 2): what was read out or reported for a campaign at a date,
    by whom and when, with the history chain's end at that moment and a SHA-256 of it all.
    Never changed (append-only in the database, like change_log; data/snapshots.py)."""

    __tablename__ = "snapshot"
    __table_args__ = (Index("ix_snapshot_year_as_of", "year", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[dt.date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(String(100))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime)
    published_by: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int | None] = mapped_column(Integer)
    # `dashboard stats --json` of that moment (INTERFACES.md), and every figure the pages and
    # the report read (data.snapshots.figures_record), so they can be shown as published.
    stats: Mapped[dict[str, Any]] = mapped_column(JSON)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    history_rows: Mapped[int] = mapped_column(Integer)
    history_digest: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))


@event.listens_for(HistoryHead.__table__, "after_create")
def _seed_history_head(target: Table, connection: Any, **_: Any) -> None:
    connection.execute(insert(target), [{"id": 1, "rows": 0, "digest": "0" * 64}])


# ---- #18: the rest of the work plan ---------------------------------------------------------


class Topic(Audited, Versioned, Base):
    """A 评议选题 (work plan §四(一), §四(二)3): a key topic a unit picks from what the public
    complains about most (unit_id None: the bureau's topic for the whole system), with the four
    things it needs — 安排部署, 评议方案, 检查记录 (visits that name it), 工作总结."""

    __tablename__ = "topic"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    criterion_code: Mapped[str | None] = mapped_column(ForeignKey("criterion.code"))
    reason: Mapped[str | None] = mapped_column(Text)
    deployment: Mapped[str | None] = mapped_column(Text)
    plan: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class TopicProblem(Audited, Base):
    """A problem linked to a topic (the same unit's); unlinking sets unlinked_at."""

    __tablename__ = "topic_problem"
    __table_args__ = (UniqueConstraint("topic_id", "problem_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"), index=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id"), index=True)
    unlinked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class VisitTopic(Audited, Base):
    """A supervision visit that checked a topic (the topic's 检查记录)."""

    __tablename__ = "visit_topic"
    __table_args__ = (UniqueConstraint("visit_id", "topic_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("supervision_visit.id"), index=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"), index=True)
    unlinked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Briefing(Audited, Base):
    """A 通报 to the 民评代表 (§四(二)2): numbered per campaign, its figures frozen at `as_of`
    (masked: no complainant data, no covert-inspection plans). Never changed once issued."""

    __tablename__ = "briefing"
    __table_args__ = (UniqueConstraint("campaign_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    as_of: Mapped[dt.date] = mapped_column(Date)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    body: Mapped[str | None] = mapped_column(Text)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshot.id"))
    issued_by: Mapped[str] = mapped_column(String(100))


class BriefingRecipient(Audited, Base):
    """A representative a briefing went to."""

    __tablename__ = "briefing_recipient"
    __table_args__ = (UniqueConstraint("briefing_id", "representative_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(ForeignKey("briefing.id"), index=True)
    representative_id: Mapped[int] = mapped_column(ForeignKey("representative.id"), index=True)


class ReportBatch(Audited, Base):
    """A dated batch of problems reported to the 纠风办 (§四(三)2), numbered per campaign."""

    __tablename__ = "report_batch"
    __table_args__ = (UniqueConstraint("campaign_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    reported_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    reported_by: Mapped[str] = mapped_column(String(100))


class Commitment(Audited, Versioned, Base):
    """A public commitment (公开承诺, §五.2) of a legal-service unit: what it promised, when and
    where it was published; withdrawing one sets withdrawn_at."""

    __tablename__ = "commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    content: Mapped[str] = mapped_column(Text)
    published_on: Mapped[dt.date] = mapped_column(Date)
    published_where: Mapped[str] = mapped_column(String(200))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class CommitmentProblem(Audited, Base):
    """A complaint that concerns a commitment (the same unit's); unlinking sets unlinked_at."""

    __tablename__ = "commitment_problem"
    __table_args__ = (UniqueConstraint("commitment_id", "problem_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id"), index=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id"), index=True)
    unlinked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Attachment(Audited, Base):
    """A file or photo attached to a task, a problem's rectification, a supervision visit, an
    inspection, a topic or an archive item (#18 item 5). Its bytes live in attachment_blob (in
    the database, so backups carry them); removing one sets removed_at, the bytes stay."""

    __tablename__ = "attachment"
    __table_args__ = (
        CheckConstraint(
            _in("owner", ("task", "problem", "visit", "inspection", "topic", "archive_item")),
            name="owner",
        ),
        CheckConstraint("stage IS NULL OR " + _in("stage", ("before", "after")), name="stage"),
        Index("ix_attachment_owner", "owner", "owner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    # None: a bureau-wide topic's file (no unit).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    owner: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str | None] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    blob_id: Mapped[int] = mapped_column(ForeignKey("attachment_blob.id"), index=True)
    covert: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AttachmentBlob(Base):
    """The stored bytes of an attachment (re-encoded where it is an image) and its thumbnail,
    once per content (sha256). Not evaluation data itself: the attachment row is."""

    __tablename__ = "attachment_blob"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    # The small thumbnail before the large data: SQLite reaches a column stored after a large
    # value only by walking that value's overflow pages (a 2 MB photo: ~500 page reads).
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary)
    data: Mapped[bytes] = mapped_column(LargeBinary)


# ---- #15: 催办 — working days, the reminder ladder, notices, messages -------------------------


class CalendarDay(Audited, Base):
    """A day the bureau sets by hand (data/workdays.py): a holiday or a 调休 working day the
    holiday library does not know yet (the State Council announces each year late) or has wrong.
    Days not listed here follow the library, then the weekend rule."""

    __tablename__ = "calendar_day"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str | None] = mapped_column(String(50))
    # Set when the admin takes the day back (records are never deleted): the day follows the
    # library again; setting it anew clears this.
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class WorkDay(Base):
    """Every day of the years the calendar covers, with its working-day ordinal (the number of
    working days up to and including it), so that SQL counts working days between two dates as
    a difference of two looked-up ordinals. Derived from the library and calendar_day by
    data/workdays.py and rebuilt when either changes; not evaluation data itself."""

    __tablename__ = "work_day"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    workday: Mapped[bool] = mapped_column(Boolean)
    ordinal: Mapped[int] = mapped_column(Integer, index=True)


class ChaseStep(Audited, Base):
    """One step of the reminder ladder reached by one item for one deadline (提醒 before it,
    催办 on the first day overdue, 督办 to the leader in charge, listed for 重点督查): made once
    per item, deadline and step — the unique constraint keeps it once with several servers
    running the daily job — and ended when the item is done."""

    __tablename__ = "chase_step"
    __table_args__ = (
        UniqueConstraint("item_kind", "item_id", "deadline", "step"),
        CheckConstraint(_in("item_kind", ("problem", "question", "task")), name="item_kind"),
        CheckConstraint(_in("step", ("remind", "chase", "escalate", "focus")), name="step"),
        Index("ix_chase_step_open", "unit_id", "ended_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    item_kind: Mapped[str] = mapped_column(String(10))
    item_id: Mapped[int] = mapped_column(Integer)
    # None: a meeting question put to the bureau as a whole (no unit).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    step: Mapped[str] = mapped_column(String(10))
    deadline: Mapped[dt.date] = mapped_column(Date)
    # The ladder's day for the step (a working day when the bureau counts working days).
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    # The day of the run that made it (later than due_on when the job did not run that day).
    created_on: Mapped[dt.date] = mapped_column(Date)
    # Who it goes to, in words (单位名称 / 分管领导 姓名 / 纠风办), and the leader's account.
    recipient: Mapped[str] = mapped_column(String(200))
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("chase_notice.id"))
    ended_on: Mapped[dt.date | None] = mapped_column(Date)


class ChaseNotice(Audited, Base):
    """A 催办通知书 (kind chase) or 督办通知书 (kind escalate) to one unit on one day, numbered
    per year and kind (〔2024〕催字第 N 号 / 〔2024〕督字第 N 号); its items are the steps
    naming it."""

    __tablename__ = "chase_notice"
    __table_args__ = (
        UniqueConstraint("year", "kind", "number"),
        UniqueConstraint("unit_id", "kind", "issued_on"),
        CheckConstraint(_in("kind", ("chase", "escalate")), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    issued_on: Mapped[dt.date] = mapped_column(Date, index=True)
    # What the notice says, fixed by the run that issued it (data/notices.notice_context): the
    # numbered document reads the same however its items, their descriptions or the way days
    # are counted change later. A later run the same day that adds items rewrites it, recorded.
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class NoticeTemplate(Base):
    """An admin's replacement .docx template for a kind of notice (the latest not removed wins;
    none: the built-in one). Bytes are not evaluation data: uploads and removals are recorded in
    the history by data/notices.py."""

    __tablename__ = "notice_template"
    __table_args__ = (CheckConstraint(_in("kind", ("chase", "escalate")), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class OutboxMessage(Base):
    """A message to send on an outgoing channel (e-mail over the bureau's SMTP server, or a
    group-robot webhook), made once per key and sent — retried with a growing pause — by a
    background sender, never by a page. The table is the channels' log. No complainant data."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint("channel", "key"),
        CheckConstraint(_in("channel", ("email", "webhook")), name="channel"),
        Index("ix_outbox_message_due", "sent_at", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Given up after the last retry (the log keeps why).
    failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class ChaseRun(Base):
    """One day's run of the ladder (`dashboard chase run` or the server's daily job): the
    primary key lets one server of several claim the day's run."""

    __tablename__ = "chase_run"

    run_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created: Mapped[int] = mapped_column(Integer, default=0)
