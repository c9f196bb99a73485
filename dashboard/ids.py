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


# --- projection mode (评议大会) ---


# --- inspections, meeting questions, voiding, reveal ---
