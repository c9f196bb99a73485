"""Complainant protection (DOMAIN.md): names and phone numbers masked for all but allowed roles."""

from __future__ import annotations

PROTECTED_FIELDS = ("complainant_name", "complainant_phone")


def mask_name(name: str | None) -> str | None:
    """`张三` → `张*`, `欧阳明月` → `欧***`; empty stays empty."""
    if not name:
        return name
    name = name.strip()
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str | None) -> str | None:
    """`13812345678` → `138****5678`; short numbers keep only their last two digits."""
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) >= 11:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * max(1, len(digits) - 2) + digits[-2:]


def mask_record(record: dict[str, object]) -> dict[str, object]:
    """A copy of a record (dict) with its protected fields masked."""
    masked = dict(record)
    if "complainant_name" in masked:
        masked["complainant_name"] = mask_name(masked["complainant_name"])  # type: ignore[arg-type]
    if "complainant_phone" in masked:
        masked["complainant_phone"] = mask_phone(masked["complainant_phone"])  # type: ignore[arg-type]
    return masked
