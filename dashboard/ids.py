"""Component ids shared by the shell and every page (one StrEnum per area), and the factories of
the pattern-matching ids (dicts): a static method on the area's StrEnum for a family of its own,
`FormIds` for a form's fields and messages, `FollowUpIds` for a form's follow-up rows.

A factory called without its key gives the pattern of the whole family (`ALL`), for callbacks.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from dash import ALL, MATCH


class FormIds:
    """The ids of one form's parts, made from its prefix: the fields and their messages are
    pattern-matching (`{"type": "<prefix>-field", "field": name}`), the rest plain."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.message = f"{prefix}-message"
        self.save = f"{prefix}-save"
        self.meta = f"{prefix}-meta"
        self.errors = f"{prefix}-errors"  # the alert of a refused save, in `message`

    def field(self, name: Any = ALL) -> dict[str, Any]:
        """The input of one field (of every field: for State(..., "value") and "id")."""
        return {"type": f"{self.prefix}-field", "field": name}

    def feedback(self, name: Any = ALL) -> dict[str, Any]:
        """The message slot under one field (every slot: for Output(..., "children"))."""
        return {"type": f"{self.prefix}-feedback", "field": name}

    def fields(self) -> dict[str, Any]:
        """Every input of the form."""
        return self.field(ALL)

    def feedbacks(self) -> dict[str, Any]:
        """Every message slot of the form."""
        return self.feedback(ALL)

    def button(self, action: str) -> str:
        """A further button of the form (e.g. `retire`)."""
        return f"{self.prefix}-{action}"


class ModalIds(FormIds):
    """The ids of a dialog, made from its prefix: besides a form's message area, Store and save
    button, the dialog itself, its title, and the alert of a save over someone else's change."""

    def __init__(self, prefix: str) -> None:
        super().__init__(prefix)
        self.modal = f"{prefix}-modal"
        self.title = f"{prefix}-title"
        self.conflict = f"{prefix}-conflict"


class FollowUpIds:
    """The ids of a form's follow-up rows, which the user adds one by one: each part of row n is
    `{"type": "<prefix>-fu-<part>", "index": n}`."""

    def __init__(self, prefix: str, *, units: bool = False) -> None:
        self.prefix = prefix
        self.units = units  # whether each row names one of the form's units
        # The inputs of a row, in the order a save callback reads them.
        self.parts: tuple[str, ...] = (
            ("desc", "unit", "criterion", "deadline", "owner", "serious")
            if units
            else ("desc", "criterion", "deadline", "owner", "serious")
        )

    def part(self, part: str, index: Any = ALL) -> dict[str, Any]:
        """One input of row `index` (of every row when no index is given)."""
        return {"type": f"{self.prefix}-fu-{part}", "index": index}

    def feedback(self, index: Any = ALL) -> dict[str, Any]:
        """The message slot of row `index`."""
        return self.part("feedback", index)


class Shell(StrEnum):
    URL = "shell-url"
    CAMPAIGN = "shell-campaign"
    AS_OF = "shell-as-of"
    KIND = "shell-kind"
    TOWNSHIP = "shell-township"
    NAV = "shell-nav"  # dict ids: nav(path)
    USER = "shell-user"

    @staticmethod
    def nav(path: Any = ALL) -> dict[str, Any]:
        """The menu link to one page."""
        return {"type": Shell.NAV, "path": path}


class Overview(StrEnum):
    STATE = "overview-state"
    CONTENT = "overview-content"


class Page(StrEnum):
    """Ids every page skeleton uses for its query state and its body."""

    STATE = "page-state"
    CONTENT = "page-content"


class Supervision(StrEnum):
    STATE = "sup-state"
    META = "sup-meta"
    FORM_TITLE = "sup-form-title"
    UNIT = "sup-unit"
    DATE = "sup-date"
    SUPERVISORS = "sup-supervisors"
    KIND = "sup-kind"
    RATINGS = "sup-ratings"
    RATING = "sup-rating"  # dict ids: rating(code)
    FINDINGS = "sup-findings"
    NOTES = "sup-notes"
    NEXT_VISIT = "sup-next-visit"
    FOLLOW_UPS = "sup-follow-ups"  # the rows: SUPERVISION_ROWS
    FOLLOW_UP_ADD = "sup-follow-up-add"
    SAVE = "sup-save"
    MESSAGE = "sup-message"
    ERRORS = "sup-errors"  # the alerts of a refused save, in MESSAGE
    CONFLICT = "sup-conflict"
    CONTENT = "sup-content"
    FORM_CARD = "sup-form-card"
    GRID = "sup-grid"  # every visit (layouts/grid.py)
    OPEN_GRID = "sup-open-grid"  # every open problem of the unit being visited

    @staticmethod
    def rating(criterion: Any = ALL) -> dict[str, Any]:
        """The 符合 / 基本符合 / 不符合 choice of one criterion."""
        return {"type": Supervision.RATING, "criterion": criterion}


# The visit form's field messages ({"type": "sup-feedback", "field": name}) and follow-up rows.
SUPERVISION_FORM = FormIds("sup")
SUPERVISION_ROWS = FollowUpIds("sup")


class Rectification(StrEnum):
    STATE = "rect-state"
    CONTENT = "rect-content"
    UNITS_AGENCY = "rect-units-agency"
    UNITS_LEGAL_SERVICE = "rect-units-legal_service"
    NOTE_AGENCY = "rect-note-agency"
    NOTE_LEGAL_SERVICE = "rect-note-legal_service"
    GRID_AGENCY = "rect-grid-agency"  # every unit of the group (layouts/grid.py)
    GRID_LEGAL_SERVICE = "rect-grid-legal_service"
    CHANNEL = "rect-channel"
    CRITERION = "rect-criterion"
    TIMELINE = "rect-timeline"
    DAYS = "rect-days"
    SUMMARY = "rect-summary"


class Overdue(StrEnum):
    STATE = "overdue-state"
    CONTENT = "overdue-content"
    SUMMARY = "overdue-summary"
    # the grids (layouts/grid.py), each holding every row
    UNITS = "overdue-units"
    PROBLEMS = "overdue-problem-list"
    TASKS = "overdue-task-list"
    FOCUS = "overdue-focus"


class UnitPage(StrEnum):
    STATE = "unit-state"
    CONTENT = "unit-content"
    NAME = "unit-name"
    FACTS = "unit-facts"
    LOG_VISIT = "unit-log-visit"
    MENU = "unit-menu"
    PROBLEM_COUNT = "unit-problems"
    RECTIFICATION_RATE = "unit-rectification-rate"
    ON_TIME_RATE = "unit-on-time-rate"
    OVERDUE = "unit-overdue"
    COMPLAINT_COUNT = "unit-complaints"
    EVALUATION = "unit-evaluation"
    COMPOSITE = "unit-composite"
    RANK = "unit-rank"
    SATISFACTION = "unit-satisfaction"
    TASKS = "unit-tasks"  # each phase's summary is f"{TASKS}-{phase}"
    COMPLAINTS = "unit-complaints-chart"
    COMPLAINTS_CARD = "unit-complaints-by-month"
    PROBLEMS = "unit-problems-section"
    PROBLEM_TABLE = "unit-problem-table"  # the box holding the problems' grid
    PROBLEM_GRID = "unit-problem-grid"  # its 填报 / 详情 / 作废 buttons set cellRendererData
    VOIDED = "unit-voided"
    VOIDED_GRID = "unit-voided-grid"  # its 详情 buttons set cellRendererData
    VISITS = "unit-visits"
    QUESTIONS = "unit-questions"
    QUESTION_GRID = "unit-question-grid"
    ARCHIVE = "unit-archive"
    ARCHIVE_SUMMARY = "unit-archive-summary"
    TOPICS = "unit-topics"  # #18 finish: the unit's 评议选题


class UnitRect(StrEnum):
    """The rectification dialog's fields (the dialog's own ids: RECT_DIALOG; it opens from the
    填报 buttons of UnitPage.PROBLEM_GRID)."""

    STATUS = "unit-rect-status"
    MEASURES = "unit-rect-measures"
    OWNER = "unit-rect-owner"
    COMPLETED = "unit-rect-completed"
    EVIDENCE = "unit-rect-evidence"
    PUBLISHED = "unit-rect-published"
    REPORTED = "unit-rect-reported"


class Evaluation(StrEnum):
    STATE = "eval-state"
    CONTENT = "eval-content"
    FORMULA = "eval-formula"
    GROUP = "eval"  # each group's table is f"{GROUP}-{group}" (eval-agency, eval-legal_service)
    GRID = "eval-grid"  # each group's grid is f"{GRID}-{group}"


class Imports(StrEnum):
    STATE = "import-state"
    CONTENT = "import-content"
    KIND = "import-kind"
    CAMPAIGN = "import-campaign"
    UPLOAD = "import-upload"
    TOKEN = "import-token"  # Store: {"token": …, "filename": …} of the file kept on the server
    SIZE_WARNING = "import-size-warning"
    PREVIEW = "import-preview"
    TABLE = "import-table"
    ISSUES = "import-issues"
    CONFIRM = "import-confirm"
    RESULT = "import-result"


class Progress(StrEnum):
    STATE = "progress-state"
    CONTENT = "progress-content"
    TIMELINE = "progress-timeline"
    BY_KIND = "progress-by-kind"
    BY_TOWNSHIP = "progress-by-township"
    OVERDUE = "progress-overdue"
    OVERDUE_COUNT = "progress-overdue-count"
    GRID = "progress-grid"
    GRID_COUNTS = "progress-grid-counts"
    GRID_LEGEND = "progress-grid-legend"


# --- complaints page (投诉分析) ---


class Complaints(StrEnum):
    STATE = "complaints-state"
    CONTENT = "complaints-content"
    CHANNELS = "complaints-channels"
    PER100 = "complaints-per100"
    UNIT_MONTH = "complaints-unit-month"
    TOWNSHIP_CRITERION = "complaints-township-criterion"
    CHANNEL_MONTH = "complaints-channel-month"
    MODAL = "complaints-modal"
    MODAL_TITLE = "complaints-modal-title"
    MODAL_BODY = "complaints-modal-body"
    MODAL_CLOSE = "complaints-modal-close"
    PROBLEMS = "complaints-problems"  # the grid of a clicked cell's problems


# --- projection mode (评议大会) ---


class Present(StrEnum):
    """The /present deck: slides, dots, the timers that advance it and refresh its questions."""

    STATE = "present-state"
    DECK = "present-deck"
    CONTENT = "present-content"
    QUESTIONS = "present-questions"  # the questions slide's body, refreshed while projecting
    QUESTIONS_TIMER = "present-questions-timer"
    AUTO_TIMER = "present-auto-timer"
    AUTO_SINK = "present-auto-sink"
    SLIDE = "present-slide"  # ids present-slide-1 … (the number shown on the dots)
    DOTS = "present-dots"
    GRAPH = "present-graph"  # dict ids: graph(slide)
    AS_OF = "present-as-of"
    THEME_LINK = "present-theme-link"
    OVERDUE_TABLE = "present-overdue-table"

    @staticmethod
    def graph(slide: Any = ALL) -> dict[str, Any]:
        """The chart of one slide."""
        return {"type": Present.GRAPH, "slide": slide}


class PresentQuestions(StrEnum):
    """/present/questions: entering the meeting's questions and the leader's answers."""

    STATE = "pq-state"
    CONTENT = "pq-content"
    REP = "pq-rep"
    ASKER = "pq-asker"
    UNIT = "pq-unit"
    QUESTION = "pq-question"
    ADD = "pq-add"
    ADD_MESSAGE = "pq-add-message"
    PICK = "pq-pick"
    MODE = "pq-mode"
    ANSWER = "pq-answer"
    DEADLINE = "pq-deadline"
    CRITERION = "pq-criterion"
    SAVE_ANSWER = "pq-save-answer"
    ANSWER_MESSAGE = "pq-answer-message"
    LIST = "pq-list"
    GRID = "pq-grid"  # the list as a grid, from 768 px up (a phone shows a card a question)
    ADD_ERRORS = "pq-add-errors"  # the alerts of a refused save, in ADD_MESSAGE / ANSWER_MESSAGE
    ANSWER_ERRORS = "pq-answer-errors"
    ANSWER_CONFLICT = "pq-answer-conflict"
    PENDING = "pq-pending"  # question id → its version and unit kind, for the answer form
    ADD_META = "pq-add-meta"  # the question form's token (data/form_tokens.py)


# The field messages of the two forms: {"type": "pq-feedback" / "pq-answer-feedback", "field": …}.
QUESTION_FORM = FormIds("pq")
ANSWER_FORM = FormIds("pq-answer")


# --- inspections, meeting questions, voiding, reveal ---


class Inspections(StrEnum):
    STATE = "insp-state"
    CONTENT = "insp-content"
    COUNTS = "insp-counts"
    LIST = "insp-list"
    GRID = "insp-grid"  # every inspection the viewer may see (layouts/grid.py), in LIST
    FORM_CARD = "insp-form-card"
    UNITS = "insp-units"
    DATE = "insp-date"
    MODE = "insp-mode"
    REPS = "insp-reps"
    FINDINGS = "insp-findings"
    FOLLOW_UPS = "insp-follow-ups"  # the rows: INSPECTION_ROWS
    FOLLOW_UP_ADD = "insp-follow-up-add"
    SAVE = "insp-save"
    MESSAGE = "insp-message"
    ERRORS = "insp-errors"  # the alert of a refused save, in MESSAGE
    META = "insp-meta"  # the form's token (data/form_tokens.py): one save per form filled in


# The inspection form's field messages ({"type": "insp-feedback", "field": name}) and its
# finding rows, each naming one of the units inspected.
INSPECTION_FORM = FormIds("insp")
INSPECTION_ROWS = FollowUpIds("insp", units=True)


class UnitActions(StrEnum):
    """The unit page's problem detail (history, reveal), voiding and phase-task dialogs: the
    buttons that open them and their fields (the dialogs' own ids: *_DIALOG below). A problem's
    详情 and 作废 open from the buttons of UnitPage.PROBLEM_GRID (and VOIDED_GRID)."""

    DETAIL_BODY = "unit-detail-body"
    REVEAL = "unit-reveal"
    REVEAL_VALUE = "unit-reveal-value"
    VOID_REASON = "unit-void-reason"
    TASK_OPEN = "unit-task-open"  # dict ids: task_button(task_id)
    TASK_COMPLETED = "unit-task-completed"
    TASK_EVIDENCE = "unit-task-evidence"

    @staticmethod
    def task_button(task: Any = ALL) -> dict[str, Any]:
        """The button that opens one phase task's form."""
        return {"type": UnitActions.TASK_OPEN, "task": task}


RECT_DIALOG = ModalIds("unit-rect")
DETAIL_DIALOG = ModalIds("unit-detail")  # its meta holds the problem id only, never a complainant
VOID_DIALOG = ModalIds("unit-void")
TASK_DIALOG = ModalIds("unit-task")


class Admin(StrEnum):
    """The set-up pages (/admin/…): each a state store, a body, and a store that a save moves
    to redraw the body; each form's own ids come from FormIds(prefix)."""

    STATE = "admin-state"
    CONTENT = "admin-content"
    REFRESH = "admin-refresh"
    NEW_CAMPAIGN = "adm-new"  # form prefixes
    SETUP = "adm-setup"
    TEMPLATE_ADD = "adm-tpl-add"
    TEMPLATE_EDIT = "adm-tpl-edit"
    SETTINGS = "adm-settings"
    STEPS = "admin-steps"


class AdminIndex(StrEnum):
    STATE = "admin-index-state"
    CONTENT = "admin-index-content"


class AdminUsers(StrEnum):
    STATE = "admin-users-state"
    CONTENT = "admin-users-content"
    REFRESH = "admin-users-refresh"
    ADD = "adm-user-add"  # form prefixes
    EDIT = "adm-user-edit"
    BULK = "adm-user-bulk"
    BULK_RESULT = "adm-user-bulk-result"
    DOWNLOAD = "adm-user-download"
    TABLE = "admin-users-table"


class AdminUnits(StrEnum):
    """/admin/units (评议单位): the page's stores and body, the two forms' prefixes (their ids
    come from FormIds), the alerts above their buttons, the table."""

    STATE = "adm-units-state"
    CONTENT = "adm-units-content"
    REFRESH = "adm-units-refresh"
    ADD = "adm-unit-add"  # form prefixes
    EDIT = "adm-unit-edit"
    ADD_ERRORS = "adm-unit-add-errors"
    EDIT_ERRORS = "adm-unit-edit-errors"
    TABLE = "adm-units-table"
    COUNTS = "adm-units-counts"


class Snapshots(StrEnum):
    STATE = "snapshots-state"
    CONTENT = "snapshots-content"
    REFRESH = "snapshots-refresh"
    PUBLISH = "snapshots-publish"
    LIST = "snapshots-list"


class Topics(StrEnum):
    """/topics (评议选题): the page's stores and body, the create form's prefix (its ids come
    from FormIds), the suggestions' unit chooser, their list and data, the topics' grid."""

    STATE = "topics-state"
    CONTENT = "topics-content"
    REFRESH = "topics-refresh"
    CREATE = "topics-create"  # form prefix
    SUGGEST_UNIT = "topics-suggest-unit"
    SUGGESTIONS = "topics-suggestions"
    SUGGESTION_DATA = "topics-suggestion-data"
    GRID = "topics-grid"
    VISIT_TOPICS = "sup-topics"  # the 检查选题 choice of the supervision form

    @staticmethod
    def use(index: Any = ALL) -> dict[str, Any]:
        """The 以此建立选题 button of one suggestion."""
        return {"type": "topics-suggest-use", "index": index}


class Topic(StrEnum):
    """/topics/<id> (选题详情): stores, body, the forms' prefixes, the grids."""

    STATE = "topic-state"
    CONTENT = "topic-content"
    TOPIC_ID = "topic-id"
    REFRESH = "topic-refresh"
    TEXTS = "topic-texts"  # form prefixes
    LINK = "topic-link"
    UNLINK = "topic-unlink"
    WITHDRAW = "topic-withdraw"
    PROBLEMS = "topic-problems"
    VISITS = "topic-visits"
    FILES = "topic-files"  # #18 finish: the topic's attachment panel


class Briefings(StrEnum):
    STATE = "briefings-state"
    CONTENT = "briefings-content"
    REFRESH = "briefings-refresh"
    ISSUE = "briefings-issue"
    LIST = "briefings-list"
    UNIT_LINK = "briefings-unit-link"
    PRESENT_YEAR = "briefings-present-year"
    PRESENT_LINK = "briefings-present-link"


class Reports(StrEnum):
    STATE = "reports-state"
    CONTENT = "reports-content"
    REFRESH = "reports-refresh"
    SUMMARY = "reports-summary"
    FORM = "reports-form"
    TABLES = "reports-tables"
    BATCH = "reports-batch"  # the prefix of the new-batch form (FormIds)
    COUNT = "reports-count"
    CANDIDATES = "reports-candidates"
    BATCHES = "reports-batches"
    UNITS = "reports-units"
    FEEDBACK = "reports-feedback"
    UPLOAD = "reports-upload"
    TOKEN = "reports-token"
    PREVIEW = "reports-preview"
    CONFIRM = "reports-confirm"
    RESULT = "reports-result"
    SIZE_WARNING = "reports-size-warning"


class Commitments(StrEnum):
    STATE = "commitments-state"
    CONTENT = "commitments-content"
    REFRESH = "commitments-refresh"  # moved by a write: redraws the page with its notice
    FORM = "commitments-form"  # FormIds prefix of the record / edit form
    GRID = "commitments-grid"
    DETAIL = "commitments-detail"
    DETAIL_META = "commitments-detail-meta"  # the commitment shown: id and version
    DETAIL_MESSAGE = "commitments-detail-message"
    DETAIL_ERRORS = "commitments-detail-errors"
    WITHDRAW = "commitments-withdraw"
    LINK_PROBLEM = "commitments-link-problem"
    LINK = "commitments-link"
    LINKED = "commitments-linked"
    UNIT_SECTION = "unit-commitments"  # the unit page's section

    @staticmethod
    def unlink(problem: Any = ALL) -> dict[str, Any]:
        """The 取消关联 button of one linked complaint."""
        return {"type": "commitments-unlink", "problem": problem}


class Archives(StrEnum):
    """/archives (工作档案): the overview grid, a unit's checklist, each item's own controls."""

    STATE = "archives-state"
    CONTENT = "archives-content"
    GRID = "archives-grid"
    SUMMARY = "archives-summary"
    TASKS = "archives-tasks"
    DOWNLOAD = "archives-download"
    BACK = "archives-back"
    NOTICE = "archives-notice"
    ITEMS = "archives-items"
    UNIT_LINK = "unit-archive-link"  # on the unit page's archive section

    @staticmethod
    def item(part: str, index: Any = MATCH) -> dict[str, Any]:
        """One control of one checklist item: part in, up, note, save, message, meta, row."""
        return {"type": f"archives-item-{part}", "index": index}


class Todo(StrEnum):
    """/todo (待办, #15): the list, the escalations, the day's notices."""

    STATE = "todo-state"
    CONTENT = "todo-content"
    NAV_COUNT = "todo-nav-count"  # the navbar's badge
    SUMMARY = "todo-summary"
    LIST = "todo-list"  # a unit's open items (grid)
    ESCALATIONS = "todo-escalations"  # a leader's 督办 / 重点督查 (grid)
    ESCALATION_UNITS = "todo-escalation-units"  # the same counted by unit (grid)
    DAY = "todo-day"  # the steps made on the day (grid)
    FOCUS = "todo-focus"  # the 重点督查 list (grid)
    NOTICES = "todo-notices"
    RUN = "todo-run"
    OUTBOX = "todo-outbox"  # the messages' log (grid)
    OVERVIEW_LINK = "todo-overview-link"  # on the overview: the way to the escalations
    OVERVIEW_OPEN = "todo-overview-open"  # its link


class AdminChase(StrEnum):
    """/admin/chase (催办设置, #15)."""

    STATE = "admin-chase-state"
    CONTENT = "admin-chase-content"
    REFRESH = "admin-chase-refresh"
    SETTINGS = "chase-settings"  # form prefixes
    LEADERS = "chase-leaders"
    EMAIL = "chase-email"
    DAY_ADD = "chase-day-add"
    DAY_REMOVE = "chase-day-remove"
    UNKNOWN = "admin-chase-unknown"  # the warning about years no one has the holidays of
    CAL_YEAR = "admin-chase-cal-year"
    CAL_TABLE = "admin-chase-cal-table"
    CONTACTS = "admin-chase-contacts"
    CALENDAR = "admin-chase-calendar"


class Notices(StrEnum):
    """The notice-template panel (on /admin/chase) and the notices list (on /todo), #15."""

    PANEL = "notices-tpl-panel"
    LIST = "notices-list"
    DAY_ZIP = "notices-day-zip"

    @staticmethod
    def template(part: str, kind: Any = MATCH) -> dict[str, Any]:
        """One control of one kind's template: part status, upload, remove, message, refresh."""
        return {"type": f"notices-tpl-{part}", "kind": kind}
