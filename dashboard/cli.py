"""The command line: `dashboard serve | db upgrade | demo | stats | users add | import | export`."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from collections.abc import Sequence

from data.db import Database, database_url
from data.reference import ROLE_NAMES


class CliError(Exception):
    """An error the user can fix; printed as one Chinese line, exit status 1."""


def _today() -> dt.date:
    """Today as the dashboard sees it: DASHBOARD_TODAY when set (Settings.today())."""
    from dashboard.config import Settings

    # A key is passed so that a command that signs nothing never creates instance/secret_key.
    return Settings(secret_key="unused").today()


def _moment(text: str) -> dt.datetime:
    from data.recorded import moment_of

    try:
        return moment_of(text)
    except ValueError as exc:
        message = f"时刻格式应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM:SS：{text}"
        raise argparse.ArgumentTypeError(message) from exc


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from exc


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dashboard", description="民主评议政风行风 评议督导")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="运行生产服务器")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    serve.add_argument("--workers", type=int, default=2)

    backup = sub.add_parser(
        "backup", help="备份整个数据库（SQLite 在线备份；PostgreSQL 用 pg_dump）"
    )
    backup.add_argument("file", help="备份文件")
    restore = sub.add_parser("restore", help="从备份文件恢复数据库")
    restore.add_argument("file", help="备份文件")
    restore.add_argument("--force", action="store_true", help="目标数据库已有数据时仍然覆盖")

    db = sub.add_parser("db", help="数据库")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="执行数据库迁移")

    demo = sub.add_parser("demo", help="载入演示县数据")
    demo.add_argument("--seed", type=int, default=2024)
    demo.add_argument("--today", type=_date, default=None, help="固定“今天”（测试用）")
    demo.add_argument("--force", action="store_true", help="覆盖已有数据")
    demo.add_argument("--if-empty", action="store_true", help="数据库不为空时什么也不做")

    stats = sub.add_parser("stats", help="输出评议统计数字")
    stats.add_argument("--campaign", type=int, required=True)
    stats.add_argument("--as-of", type=_date, default=None)
    stats.add_argument("--json", action="store_true", required=True)
    stats.add_argument(
        "--as-recorded-on",
        type=_moment,
        default=None,
        help="按该时刻修改历史所记载的数据计算（YYYY-MM-DD 为当日结束时，或 YYYY-MM-DDTHH:MM:SS）",
    )

    from dashboard import cli_campaign

    cli_campaign.add_parser(sub)
    from dashboard import cli_verify

    cli_verify.add_parser(sub)
    cli_verify.add_publish_parsers(sub, _date)
    from dashboard import cli_chase

    cli_chase.add_parser(sub, _date)
    users = sub.add_parser("users", help="用户管理")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="添加用户（密码从标准输入读取或提示输入）")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=sorted(ROLE_NAMES))
    add.add_argument("--unit", default=None, help="单位名称（单位填报员必填）")
    add.add_argument("--display-name", default=None)
    users_sub.add_parser("list", help="列出全部账号")
    for name, text in USER_ACTIONS.items():
        action = users_sub.add_parser(name, help=text)
        action.add_argument("name", help="用户名")
    bulk = users_sub.add_parser(
        "bulk-units", help="为尚无账号的在册单位各建一个单位填报员账号，初始密码只写入文件"
    )
    bulk.add_argument("--out", required=True, help="输出文件（.xlsx）")
    handout = sub.add_parser(
        "handout", help="评议大会投影打印为 PDF（横向，每张幻灯片一页，长列表续页打印全部条目）"
    )
    handout.add_argument("--campaign", type=int, required=True, help="评议年度")
    handout.add_argument("--as-of", type=_date, default=None, help="数据截至日期（默认今天）")
    handout.add_argument("--out", required=True, help="输出文件（.pdf）")
    handout.add_argument("--theme", choices=("light", "dark"), default="light")
    handout.add_argument("--user", default=None, help="以该用户身份打印（默认第一个局领导）")
    handout.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium 可执行文件")
    handout.add_argument(
        "--snapshot",
        type=int,
        default=None,
        help="打印该发布快照的数字（dashboard snapshots 可列出）",
    )
    _transfer_parsers(sub)
    feedback = sub.add_parser("feedback", help="纠风办反馈的个案整改情况")
    feedback_sub = feedback.add_subparsers(dest="feedback_command", required=True)
    feedback_import = feedback_sub.add_parser(
        "import", help="按编号导入纠风办反馈（编号、反馈日期、反馈情况；整个文件无误才写入）"
    )
    feedback_import.add_argument("file", help=".xlsx 或 .csv 文件")
    feedback_import.add_argument("--campaign", type=int, required=True, help="评议年度")
    feedback_import.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    return parser


# kind → (help, whether it goes into a campaign year); the kinds of data.imports.ImportKind.
IMPORT_HELP = {
    "units": ("导入或更新评议对象名册（单位名称、单位类型、所属乡镇）", False),
    "problems": ("导入或更新问题整改台账", True),
    "surveys": (
        "导入满意度测评结果（单位名称、测评对象类型、满意、基本满意、不满意、不了解）",
        True,
    ),
    "representatives": ("导入或更新民评代表名册（姓名、界别、联系电话）", False),
}
EXPORT_HELP = {
    "ledger": "问题整改台账（与导入相同的列）",
    "overdue": "逾期单位、逾期问题、逾期任务、重点督查对象",
    "supervision": "督导检查记录",
    "report": "纠风办报表：汇总数字、各单位情况、台账、纠风办交办件",
    "archive": "各单位工作档案目录",
}
CHART_NAMES = ("complaints-by-month", "rectification-by-channel")  # dashboard.charts.report.CHARTS


def _transfer_parsers(sub: argparse._SubParsersAction) -> None:
    """`dashboard import …` and `dashboard export …`."""
    imp = sub.add_parser("import", help="导入数据（整个文件无误才写入）")
    imp_sub = imp.add_subparsers(dest="import_kind", required=True)
    for kind, (text, needs_campaign) in IMPORT_HELP.items():
        parser = imp_sub.add_parser(kind, help=text)
        parser.add_argument("file", help=".xlsx 或 .csv 文件")
        if needs_campaign:
            parser.add_argument("--campaign", type=int, required=True, help="评议年度")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    exp = sub.add_parser("export", help="导出报表（.xlsx）或图表（.png）")
    exp_sub = exp.add_subparsers(dest="export_kind", required=True)
    for kind, text in EXPORT_HELP.items():
        parser = exp_sub.add_parser(kind, help=text)
        parser.add_argument("--campaign", type=int, required=True, help="评议年度")
        if kind != "archive":
            parser.add_argument("--as-of", type=_date, default=None, help="数据截至日期")
        parser.add_argument("--out", required=True, help="输出文件（.xlsx）")
        if kind == "ledger":
            parser.add_argument(
                "--reveal", action="store_true", help="显示投诉人姓名和电话（记入变更历史）"
            )
    chart = exp_sub.add_parser("chart", help="图表图片（.png）")
    chart.add_argument("name", choices=CHART_NAMES)
    chart.add_argument("--campaign", type=int, required=True, help="评议年度")
    chart.add_argument("--as-of", type=_date, default=None, help="数据截至日期")
    chart.add_argument("--out", required=True, help="输出文件（.png）")


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the dashboard with gunicorn (never Flask's debug server)."""
    from dashboard.serve import serve

    serve(args.host, args.port, args.workers)
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    """Apply migrations."""
    from data.archives import settle_archive_tasks
    from data.migrate import upgrade

    upgrade(database_url())
    # #18: data from before 0010 — the archive tasks follow the archive items (the items win).
    db = Database.from_url()
    with db.write("数据库升级") as session:
        changed = settle_archive_tasks(session, _today())
    db.engine.dispose()
    print("数据库已迁移到最新版本")
    if changed:
        print(f"已按工作档案清单更新 {changed} 项“整理工作档案”“上传纠风网站”任务")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Load the demo county."""
    from data.demo import DatabaseNotEmpty, load_demo

    db = Database.from_url()
    try:
        summary = load_demo(db, seed=args.seed, today=args.today or _today(), force=args.force)
    except DatabaseNotEmpty as exc:
        if args.if_empty:
            print("数据库已有数据，未载入演示数据")
            return 0
        raise CliError(str(exc)) from exc
    problems = "，".join(f"{year}年 {n} 件问题" for year, n in sorted(summary.problems.items()))
    print(f"已载入演示县：{summary.units} 个单位，{problems}")
    for username, role, password in summary.users:
        print(f"  用户 {username}（{ROLE_NAMES[role]}）密码 {password}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the campaign's figures as JSON (INTERFACES.md shape)."""
    from data.figures import campaign_figures
    from data.scope import CampaignNotFound

    as_of = args.as_of or _today()
    db = Database.from_url()
    with db.read() as session:
        try:
            if args.as_recorded_on is not None:
                from data.recorded import figures_as_recorded

                figures = figures_as_recorded(session, args.campaign, as_of, args.as_recorded_on)
            else:
                figures = campaign_figures(session, args.campaign, as_of)
        except CampaignNotFound as exc:
            raise CliError(str(exc)) from exc
    json.dump(figures.to_json(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("密码：")
        if first != getpass.getpass("再次输入密码："):
            raise CliError("两次输入的密码不一致")
        return first
    return sys.stdin.readline().rstrip("\n")


# `dashboard users NAME_ACTION NAME`: help text of each account action.
USER_ACTIONS = {
    "disable": "停用账号",
    "enable": "重新启用账号",
    "unlock": "解除登录锁定",
    "logout-all": "结束该账号的全部登录（各设备上须重新登录）",
    "reset-password": "重置为一次性密码（下次登录时必须修改）",
}


def _users_table() -> None:
    """Print every account: 用户名 姓名 角色 单位 状态."""
    from data.users import list_users

    with Database.from_url().read() as session:
        rows = list_users(session)
    if not rows:
        print("尚无账号")
        return
    lines = [("用户名", "姓名", "角色", "单位", "状态")]
    for row in rows:
        state = [
            "正常" if row.active else "已停用",
            *(["已锁定"] if row.locked else []),
            *(["待改密码"] if row.must_change_password else []),
        ]
        lines.append(
            (row.username, row.display_name, row.role_name, row.unit_name or "—", "，".join(state))
        )
    widths = [max(_width(line[i]) for line in lines) for i in range(len(lines[0]) - 1)]
    for line in lines:
        cells = [
            text + " " * (width - _width(text))
            for text, width in zip(line[:-1], widths, strict=True)
        ]
        print("  ".join([*cells, line[-1]]))


def _width(text: str) -> int:
    """Columns a text takes in a terminal (CJK characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _bulk_units(out_name: str) -> None:
    """Create the missing unit accounts and write their initial passwords to a workbook only."""
    from pathlib import Path

    from data.users import accounts_workbook, bulk_unit_accounts

    out = Path(out_name)
    if out.suffix.lower() != ".xlsx":
        raise CliError(f"输出文件应为 .xlsx：{out}")
    if not out.parent.is_dir():
        raise CliError(f"目录不存在：{out.parent}")
    # The file is written before the accounts are committed: a password is never lost.
    with Database.from_url().write("cli") as session:
        created = bulk_unit_accounts(session)
        if not created:
            print("所有在册单位都已有账号，未新建账号")
            return
        try:
            out.write_bytes(accounts_workbook(created))
        except OSError as exc:
            raise CliError(f"无法写入文件 {out}：{exc.strerror}") from None
    print(
        f"已为 {len(created)} 个单位新建账号，初始密码见 {out}"
        "（首次登录须修改密码；请妥善保管并在分发后删除该文件）"
    )


def _user_action(action: str, name: str) -> None:
    """disable / enable / unlock / logout-all / reset-password one account."""
    from data import users

    with Database.from_url().write("cli") as session:
        if action == "reset-password":
            password = users.reset_password(session, name)
        elif action == "unlock":
            users.unlock(session, name)
        elif action == "logout-all":
            users.end_sessions(session, name)
        else:
            users.set_active(session, name, action == "enable")
    if action == "reset-password":
        print(f"{name} 的一次性密码：{password}")
        print("该密码只显示这一次，下次登录时必须修改密码")
    elif action == "logout-all":
        print(f"已结束账号 {name} 的全部登录，该账号在各设备上须重新登录")
    else:
        done = {"disable": "已停用", "enable": "已启用", "unlock": "已解除锁定"}[action]
        print(f"{done}账号 {name}")


def cmd_users(args: argparse.Namespace) -> int:
    """Accounts: add (password from stdin or a prompt), list, disable/enable, unlock, reset,
    bulk unit accounts."""
    from data.users import UserError, add_user

    command = args.users_command
    try:
        if command == "list":
            _users_table()
        elif command == "bulk-units":
            _bulk_units(args.out)
        elif command in USER_ACTIONS:
            _user_action(command, args.name)
        else:
            password = _read_password()
            with Database.from_url().write("cli") as session:
                add_user(
                    session,
                    args.name,
                    password,
                    args.role,
                    unit_name=args.unit,
                    display_name=args.display_name,
                )
            print(f"已添加用户 {args.name}（{ROLE_NAMES[args.role]}）")
    except UserError as exc:
        raise CliError(str(exc)) from exc
    return 0


SHOWN_LINES = 20


def _read_file(path: str) -> bytes:
    """The bytes of an input file, or a CliError naming it."""
    from pathlib import Path

    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise CliError(f"找不到文件：{path}") from None
    except OSError as exc:
        raise CliError(f"无法读取文件 {path}：{exc.strerror}") from None


def cmd_import(args: argparse.Namespace) -> int:
    """Import a file: every error at once (file, row, column), nothing written unless all valid."""
    from pathlib import Path

    from sqlalchemy import select

    from data.import_files import ImportFailed
    from data.imports import describe_change, run_import
    from data.models import Unit

    data = _read_file(args.file)
    name = Path(args.file).name
    db = Database.from_url()
    session_of = db.read() if args.dry_run else db.write("cli")
    try:
        with session_of as session:
            result = run_import(
                session,
                args.import_kind,
                data,
                name,
                getattr(args, "campaign", None),
                dry_run=args.dry_run,
            )
            units = dict(session.execute(select(Unit.id, Unit.name)).all())
    except ImportFailed as exc:
        lines = [f"{name} {issue.text()}" for issue in exc.issues]
        raise CliError(
            f"{name} 未导入（共 {len(lines)} 处错误，没有写入任何数据）：\n  " + "\n  ".join(lines)
        ) from None
    print(result.summary())
    for change in result.changes[:SHOWN_LINES]:
        print(f"  {describe_change(change, units)}")
    if result.updated > SHOWN_LINES:
        print(f"  …… 另有 {result.updated - SHOWN_LINES} 条修改")
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    """`dashboard feedback import`: the 纠风办's feedback by 编号, all or nothing."""
    from pathlib import Path

    from data.import_files import ImportFailed
    from data.imports import describe_change
    from data.report_batches import import_feedback

    data = _read_file(args.file)
    name = Path(args.file).name
    db = Database.from_url()
    try:
        with db.read() if args.dry_run else db.write("cli") as session:
            result = import_feedback(
                session, data, name, args.campaign, _today(), dry_run=args.dry_run
            )
    except ImportFailed as exc:
        lines = [f"{name} {issue.text()}" for issue in exc.issues]
        raise CliError(
            f"{name} 未导入（共 {len(lines)} 处错误，没有写入任何数据）：\n  " + "\n  ".join(lines)
        ) from None
    print(result.summary())
    for change in result.changes[:SHOWN_LINES]:
        print(f"  {describe_change(change, {})}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write an export (.xlsx) or a chart (.png) of a campaign."""
    from pathlib import Path

    from data import exports
    from data.scope import CampaignNotFound

    as_of = getattr(args, "as_of", None) or _today()
    db = Database.from_url()
    reveal = getattr(args, "reveal", False)
    kind = args.export_kind
    try:
        with db.write("cli") if reveal else db.read() as session:
            if kind == "ledger":
                data = exports.export_ledger(
                    session, args.campaign, as_of=args.as_of, reveal=reveal
                )
            elif kind == "overdue":
                data = exports.export_overdue(session, args.campaign, as_of)
            elif kind == "supervision":
                data = exports.export_supervision(session, args.campaign, as_of)
            elif kind == "report":
                data = exports.export_report(session, args.campaign, as_of)
            elif kind == "archive":
                data = exports.export_archive(session, args.campaign)
            else:
                chart_input = exports.chart_data(session, args.campaign, as_of)
    except CampaignNotFound as exc:
        raise CliError(str(exc)) from exc
    if kind == "chart":
        from dashboard.charts.report import CHARTS, figure_png

        try:
            data = figure_png(CHARTS[args.name](chart_input))
        except Exception as exc:  # kaleido reports a missing browser in several ways
            raise CliError(
                f"无法生成图片（需要 Chromium：apt-get install chromium）：{exc}"
            ) from exc
    out = Path(args.out)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CliError(f"无法写入文件 {out}：{exc.strerror}") from None
    note = "（含投诉人信息，已记入变更历史）" if reveal else ""
    print(f"已导出：{out}{note}")
    return 0


def cmd_handout(args: argparse.Namespace) -> int:
    """Print the 评议大会 deck to PDF through the system Chromium, one slide a page."""
    from pathlib import Path

    from dashboard.handout import HandoutError, make_handout

    as_of = args.as_of or _today()
    out = Path(args.out)
    try:
        slides = make_handout(
            args.campaign, as_of, out, args.theme, args.user, args.chromium, args.snapshot
        )
    except HandoutError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"无法写入文件 {out}：{exc.strerror}") from None
    print(f"已导出评议大会材料：{out}（{slides} 页）")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Back the whole database up to a file while the dashboard keeps running."""
    from data.backup import BackupError, backup

    try:
        result = backup(database_url(), args.file)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"无法写入备份文件 {args.file}：{exc.strerror or exc}") from None
    # The rows counted in the file written, not in the live database (which moves on).
    print(f"已备份：{result.path}（{result.size / 1024:.0f} KB，文件中共 {result.rows} 行数据）")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore the database from a backup; a target with data needs --force."""
    from data.backup import BackupError, restore

    try:
        rows = restore(database_url(), args.file, force=args.force)
    except BackupError as exc:  # one line; the database is as it was
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"恢复失败，数据库未改变：{args.file}：{exc.strerror or exc}") from None
    print(f"已从 {args.file} 恢复数据库（共 {rows} 行数据）；请重启 dashboard serve")
    return 0


def cmd_campaign(args: argparse.Namespace) -> int:
    """`dashboard campaign …` (dashboard/cli_campaign.py)."""
    from dashboard.cli_campaign import cmd_campaign as run

    return run(args)


def cmd_verify(args: argparse.Namespace) -> int:
    """`dashboard verify` (dashboard/cli_verify.py)."""
    from dashboard.cli_verify import cmd_verify as run

    return run(args)


def cmd_publish(args: argparse.Namespace) -> int:
    """`dashboard publish` (dashboard/cli_verify.py)."""
    from dashboard.cli_verify import cmd_publish as run

    return run(args)


def cmd_snapshots(args: argparse.Namespace) -> int:
    """`dashboard snapshots` (dashboard/cli_verify.py)."""
    from dashboard.cli_verify import cmd_snapshots as run

    return run(args)


def cmd_chase(args: argparse.Namespace) -> int:
    """`dashboard chase run` (dashboard/cli_chase.py)."""
    from dashboard.cli_chase import cmd_chase as run

    return run(args)


COMMANDS = {
    "serve": cmd_serve,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "db": cmd_db,
    "demo": cmd_demo,
    "stats": cmd_stats,
    "users": cmd_users,
    "import": cmd_import,
    "feedback": cmd_feedback,
    "export": cmd_export,
    "handout": cmd_handout,
    "campaign": cmd_campaign,
    "verify": cmd_verify,
    "publish": cmd_publish,
    "snapshots": cmd_snapshots,
    "chase": cmd_chase,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors are one Chinese line on stderr and a non-zero status."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except CliError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
