"""`dashboard verify`: the history chain, its end and every audited record checked against its
history (data/chain.py); names the first row that does not match and every record changed
behind the history's back. Exit status 0 when everything matches, 1 otherwise."""

from __future__ import annotations

import argparse
from typing import Any

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


def add_publish_parsers(sub: argparse._SubParsersAction, date: Any) -> None:
    """`publish` and `snapshots`."""
    publish = sub.add_parser("publish", help="发布某年度截至某日的统计数字（发布后不可更改）")
    publish.add_argument("--campaign", type=int, required=True)
    publish.add_argument("--as-of", type=date, required=True)
    publish.add_argument("--purpose", default="", help="用途，如 评议大会、纠风办报表")
    snapshots = sub.add_parser("snapshots", help="列出已发布的统计数字")
    snapshots.add_argument("--campaign", type=int, default=None)


def cmd_publish(args: argparse.Namespace) -> int:
    """Publish and print the snapshot's id and digest."""
    from dashboard.cli import CliError
    from data.forms import FormError
    from data.snapshots import publish

    db = Database.from_url()
    try:
        with db.write("cli") as session:
            snapshot = publish(session, args.campaign, args.as_of, args.purpose)
            line = (
                f"已发布快照 #{snapshot.id}：{snapshot.year}年 截至{snapshot.as_of.isoformat()}"
                f"（{snapshot.purpose}），摘要 {snapshot.digest}"
            )
    except FormError as exc:
        raise CliError("；".join(exc.errors.values())) from None
    finally:
        db.engine.dispose()
    print(line)
    return 0


def cmd_snapshots(args: argparse.Namespace) -> int:
    """One line per snapshot, newest first."""
    from data.snapshots import snapshots

    db = Database.from_url()
    with db.read() as session:
        lines = [
            f"#{s.id}\t{s.year}年\t截至{s.as_of.isoformat()}\t{s.purpose}\t{s.published_by}\t"
            f"{s.published_at:%Y-%m-%d %H:%M:%S}\t{s.digest}"
            for s in snapshots(session, args.campaign)
        ]
    db.engine.dispose()
    print("\n".join(lines) if lines else "还没有发布过统计数字")
    return 0
