"""`dashboard campaign create | list | show | set-phase`: a year's set-up from the command line,
through the same data functions as the 评议活动设置 page."""

from __future__ import annotations

import argparse
import json
import sys

from data.reference import PHASE_NAMES


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The `campaign` command and its subcommands."""
    campaign = sub.add_parser("campaign", help="评议活动：建立、查看、调整阶段日期")
    campaign_sub = campaign.add_subparsers(dest="campaign_command", required=True)
    create = campaign_sub.add_parser(
        "create", help="按工作方案建立评议活动（或沿用往年设置），并为各单位生成任务"
    )
    create.add_argument("year", help="评议年度，如 2025")
    create.add_argument("--title", default=None, help="活动名称（默认“某年司法民主评议”）")
    create.add_argument("--meeting-date", default=None, help="评议大会日期 YYYY-MM-DD")
    create.add_argument("--copy-from", default=None, help="沿用该年度的阶段、任务、档案清单和设置")
    campaign_sub.add_parser("list", help="列出评议活动")
    show = campaign_sub.add_parser("show", help="查看评议活动的阶段、任务、档案清单和设置")
    show.add_argument("year", type=int)
    show.add_argument("--json", action="store_true")
    phase = campaign_sub.add_parser("set-phase", help="调整一个阶段的起止日期")
    phase.add_argument("year", type=int)
    phase.add_argument(
        "phase", help=f"阶段代码：{'、'.join(f'{c}（{n}）' for c, n in PHASE_NAMES.items())}"
    )
    phase.add_argument("start", help="开始日期 YYYY-MM-DD")
    phase.add_argument("end", help="结束日期 YYYY-MM-DD")


def _fail(exc: Exception) -> None:
    """A FormError as one Chinese line per field (CliError)."""
    from dashboard.cli import CliError

    errors = getattr(exc, "errors", None) or {"": str(exc)}
    labels = {
        "year": "评议年度",
        "title": "活动名称",
        "meeting_date": "--meeting-date 评议大会日期",
        "copy_from": "--copy-from",
        "phase": "阶段",
    }
    lines = []
    for key, message in errors.items():
        code, _, end = key.partition(".")
        if code in PHASE_NAMES:
            label = f"{PHASE_NAMES[code]}{'开始日期' if end == 'starts_on' else '结束日期'}"
        else:
            label = labels.get(key, key)
        lines.append(f"{label}：{message}" if label else message)
    raise CliError("；".join(lines)) from None


def cmd_campaign(args: argparse.Namespace) -> int:
    """Create, list, show or adjust a campaign."""
    from data.campaign_view import campaign_list, campaign_setup
    from data.campaigns import create_campaign, set_phase
    from data.db import Database
    from data.forms import FormError

    db = Database.from_url()
    command = args.campaign_command
    try:
        if command == "create":
            with db.write("cli") as session:
                campaign = create_campaign(
                    session, args.year, args.title, args.meeting_date, args.copy_from
                )
                setup = campaign_setup(session, campaign.year)
            live = sum(1 for t in setup.templates if not t.retired)
            source = f"（沿用 {args.copy_from} 年设置）" if args.copy_from else "（按工作方案）"
            print(
                f"已建立 {setup.title}{source}：4 个阶段，{live} 项阶段任务，"
                f"{len(setup.archive)} 项工作档案；为 {setup.units} 个单位生成任务 "
                f"{setup.unit_tasks} 项"
            )
        elif command == "set-phase":
            with db.write("cli") as session:
                set_phase(session, args.year, args.phase, args.start, args.end)
            print(
                f"已将 {args.year} 年{PHASE_NAMES[args.phase]}阶段调整为 {args.start} 至 {args.end}"
            )
        elif command == "show":
            with db.read() as session:
                setup = campaign_setup(session, args.year)
            if args.json:
                json.dump(setup.to_json(), sys.stdout, ensure_ascii=False, indent=2)
                sys.stdout.write("\n")
            else:
                _print_setup(setup)
        else:
            with db.read() as session:
                rows = campaign_list(session)
            if not rows:
                print("还没有评议活动：dashboard campaign create 年度")
            for year, title, start, end in rows:
                print(f"{year}\t{title}\t{start or '—'} 至 {end or '—'}")
    except FormError as exc:
        _fail(exc)
    return 0


def _print_setup(setup: object) -> None:
    """A campaign's set-up as plain lines."""
    from data.campaign_view import CampaignSetup, category_name
    from data.reference import KIND_NAMES

    assert isinstance(setup, CampaignSetup)
    print(f"{setup.title}（{setup.year}）评议大会：{setup.meeting_date or '未定'}")
    for phase in setup.phases:
        print(f"  {PHASE_NAMES[phase.code]}：{phase.starts_on} 至 {phase.ends_on}")
    print(f"阶段任务（评议单位 {setup.units} 个，各单位任务共 {setup.unit_tasks} 项）：")
    for t in setup.templates:
        kinds = "、".join(KIND_NAMES[k] for k in t.kinds) if t.kinds else "全部单位"
        state = "（已停用）" if t.retired else ""
        print(f"  {PHASE_NAMES[t.phase_code]}｜{t.name}{state}｜{kinds}｜已完成 {t.done}/{t.tasks}")
    print("工作档案：" + "、".join(f"{n}（{category_name(c)}）" for n, c in setup.archive))
