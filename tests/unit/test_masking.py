"""Masking of complainants' names and phone numbers."""

from __future__ import annotations

import pytest

from data.masking import mask_name, mask_phone, mask_record


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("欧阳明月", "欧***"),
        ("李", "李*"),
        (" 王五 ", "王*"),
        ("", ""),
        (None, None),
    ],
)
def test_mask_name(name: str | None, masked: str | None) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0571-8888666", "057*****8666"),
        ("8866", "**66"),
        ("", ""),
        (None, None),
    ],
)
def test_mask_phone(phone: str | None, masked: str | None) -> None:
    assert mask_phone(phone) == masked


def test_mask_record_leaves_other_fields() -> None:
    record = {"complainant_name": "赵六", "complainant_phone": "13900001111", "description": "x"}
    assert mask_record(record) == {
        "complainant_name": "赵*",
        "complainant_phone": "139****1111",
        "description": "x",
    }
    assert record["complainant_name"] == "赵六"
