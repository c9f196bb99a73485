"""Component ids shared by the shell and every page (one StrEnum per area)."""

from __future__ import annotations

from enum import StrEnum


class Shell(StrEnum):
    URL = "shell-url"
    CAMPAIGN = "shell-campaign"
    AS_OF = "shell-as-of"
    KIND = "shell-kind"
    TOWNSHIP = "shell-township"
    NAV = "shell-nav"
    USER = "shell-user"


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
    RATING = "sup-rating"  # dict id type: {"type": RATING, "criterion": code}
    FINDINGS = "sup-findings"
    NOTES = "sup-notes"
    NEXT_VISIT = "sup-next-visit"
    FOLLOW_UPS = "sup-follow-ups"
    FOLLOW_UP_ADD = "sup-follow-up-add"
    FU_DESC = "sup-fu-desc"  # dict ids {"type": …, "index": n}
    FU_CRITERION = "sup-fu-criterion"
    FU_DEADLINE = "sup-fu-deadline"
    FU_OWNER = "sup-fu-owner"
    FU_SERIOUS = "sup-fu-serious"
    SAVE = "sup-save"
    MESSAGE = "sup-message"
    FEEDBACK = "sup-feedback"  # dict ids {"type": FEEDBACK, "field": name}
    CONTENT = "sup-content"
    FORM_CARD = "sup-form-card"
    SHOW_ALL = "sup-show-all"


class Rectification(StrEnum):
    STATE = "rect-state"
    CONTENT = "rect-content"
    UNITS_AGENCY = "rect-units-agency"
    UNITS_LEGAL_SERVICE = "rect-units-legal_service"
    UNRATED_AGENCY = "rect-unrated-agency"
    UNRATED_LEGAL_SERVICE = "rect-unrated-legal_service"
    UNITS_SCOPE = "rect-units-scope"
    CHANNEL = "rect-channel"
    CRITERION = "rect-criterion"
    TIMELINE = "rect-timeline"
    DAYS = "rect-days"
    SUMMARY = "rect-summary"


class Overdue(StrEnum):
    STATE = "overdue-state"
    CONTENT = "overdue-content"
    SUMMARY = "overdue-summary"
    UNITS = "overdue-units"
    UNIT_ROW = "overdue-unit-row"  # class name of each row of the units table
    SHOW_ALL = "overdue-show-all"  # id prefix of the "show all" links: -problems/-tasks/-focus
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
    PROBLEM_TABLE = "unit-problem-table"
    VISITS = "unit-visits"
    QUESTIONS = "unit-questions"
    ARCHIVE = "unit-archive"
    ARCHIVE_SUMMARY = "unit-archive-summary"


class UnitRect(StrEnum):
    OPEN = "unit-rect-open"  # dict ids {"type": OPEN, "index": problem_id}
    MODAL = "unit-rect-modal"
    META = "unit-rect-meta"
    TITLE = "unit-rect-title"
    STATUS = "unit-rect-status"
    MEASURES = "unit-rect-measures"
    OWNER = "unit-rect-owner"
    COMPLETED = "unit-rect-completed"
    EVIDENCE = "unit-rect-evidence"
    PUBLISHED = "unit-rect-published"
    REPORTED = "unit-rect-reported"
    MESSAGE = "unit-rect-message"
    SAVE = "unit-rect-save"


class Evaluation(StrEnum):
    STATE = "eval-state"
    CONTENT = "eval-content"
    FORMULA = "eval-formula"
    GROUP = "eval"  # each group's table is f"{GROUP}-{group}" (eval-agency, eval-legal_service)


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
    SHOW_ALL = "progress-show-all"
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
    GRAPH = "present-graph"  # dict ids {"type": GRAPH, "slide": name}
    AS_OF = "present-as-of"
    THEME_LINK = "present-theme-link"
    OVERDUE_TABLE = "present-overdue-table"


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
    FEEDBACK = "pq-feedback"  # dict ids {"type": FEEDBACK, "field": name}
    ANSWER_FEEDBACK = "pq-answer-feedback"  # dict ids {"type": ANSWER_FEEDBACK, "field": name}
    PENDING = "pq-pending"  # question id → its version and unit kind, for the answer form


# --- inspections, meeting questions, voiding, reveal ---


class Inspections(StrEnum):
    STATE = "insp-state"
    CONTENT = "insp-content"
    COUNTS = "insp-counts"
    LIST = "insp-list"
    FORM_CARD = "insp-form-card"
    UNITS = "insp-units"
    DATE = "insp-date"
    MODE = "insp-mode"
    REPS = "insp-reps"
    FINDINGS = "insp-findings"
    FOLLOW_UPS = "insp-follow-ups"
    FOLLOW_UP_ADD = "insp-follow-up-add"
    FU_DESC = "insp-fu-desc"  # dict ids {"type": …, "index": n}
    FU_UNIT = "insp-fu-unit"
    FU_CRITERION = "insp-fu-criterion"
    FU_DEADLINE = "insp-fu-deadline"
    FU_OWNER = "insp-fu-owner"
    FU_SERIOUS = "insp-fu-serious"
    FU_FEEDBACK = "insp-fu-feedback"
    FEEDBACK = "insp-feedback"  # dict ids {"type": FEEDBACK, "field": name}
    SAVE = "insp-save"
    MESSAGE = "insp-message"


class UnitActions(StrEnum):
    """The unit page's problem detail (history, reveal), voiding and phase-task forms."""

    DETAIL_OPEN = "unit-detail-open"  # dict ids {"type": DETAIL_OPEN, "index": problem_id}
    DETAIL_MODAL = "unit-detail-modal"
    DETAIL_META = "unit-detail-meta"  # the problem id only, never a complainant
    DETAIL_TITLE = "unit-detail-title"
    DETAIL_BODY = "unit-detail-body"
    REVEAL = "unit-reveal"
    REVEAL_VALUE = "unit-reveal-value"
    VOID_OPEN = "unit-void-open"  # dict ids {"type": VOID_OPEN, "index": problem_id}
    VOID_MODAL = "unit-void-modal"
    VOID_META = "unit-void-meta"
    VOID_TITLE = "unit-void-title"
    VOID_REASON = "unit-void-reason"
    VOID_SAVE = "unit-void-save"
    VOID_MESSAGE = "unit-void-message"
    TASK_OPEN = "unit-task-open"  # dict ids {"type": TASK_OPEN, "index": task_id}
    TASK_MODAL = "unit-task-modal"
    TASK_META = "unit-task-meta"
    TASK_TITLE = "unit-task-title"
    TASK_COMPLETED = "unit-task-completed"
    TASK_EVIDENCE = "unit-task-evidence"
    TASK_SAVE = "unit-task-save"
    TASK_MESSAGE = "unit-task-message"


class Admin(StrEnum):
    """The set-up pages (/admin/…): each a state store, a body, and a store that a save moves
    to redraw the body; each form's own ids come from layouts.forms.FormIds(prefix)."""

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
    come from layouts.forms.FormIds), the alerts above their buttons, the table."""

    STATE = "adm-units-state"
    CONTENT = "adm-units-content"
    REFRESH = "adm-units-refresh"
    ADD = "adm-unit-add"  # form prefixes
    EDIT = "adm-unit-edit"
    ADD_ERRORS = "adm-unit-add-errors"
    EDIT_ERRORS = "adm-unit-edit-errors"
    TABLE = "adm-units-table"
    COUNTS = "adm-units-counts"
