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
