"""`dashboard verify`: the history chain, its end and every audited record checked against its
history (data/chain.py); names the first row that does not match and every record changed
behind the history's back. Exit status 0 when everything matches, 1 otherwise."""

from __future__ import annotations

import argparse

from data.chain import verify
from data.db import Database

SHOWN = 50


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The `verify` command."""
    sub.add_parser("verify", help="核验修改历史链与各记录是否一致（发现篡改时退出码为 1）")


def cmd_verify(args: argparse.Namespace) -> int:
    """Print what was checked and every mismatch (the first SHOWN)."""
    db = Database.from_url()
    with db.read() as session:
        result = verify(session)
    db.engine.dispose()
    print(f"修改历史共 {result.rows} 条，链末摘要：{result.head}")
    if result.ok:
        print("核验通过：修改历史链完整，各记录与修改历史一致。")
        return 0
    print(f"核验未通过：发现 {len(result.findings)} 处不一致。")
    for finding in result.findings[:SHOWN]:
        print(f"  {finding}")
    if len(result.findings) > SHOWN:
        print(f"  ……另有 {len(result.findings) - SHOWN} 处未列出")
    return 1
