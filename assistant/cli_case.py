"""`weiquan case …` — keep a dispute: open it, record what happens, follow its stages and deadlines, export
drafts and calendar files, close, delete. Every command says what it did (`--quiet` silences it; `case new`
prints only the id on standard output, as the contract says, and its account on standard error).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .exits import ExitCode
from .jsonout import print_json, to_json


_CLI = None  # the running cli module (it may be __main__ under `python -m assistant.cli`): its helpers and errors


def _cli():
    if _CLI is None:
        from . import cli

        return cli
    return _CLI


def _store():
    from .cases import CaseStore

    return CaseStore()


def _call(fn, *args, **kwargs):
    from .cases import CaseClosed, CaseNotFound, StoreError

    cli = _cli()
    try:
        return fn(*args, **kwargs)
    except (CaseNotFound, CaseClosed) as exc:
        raise cli.UsageError(str(exc)) from None
    except StoreError as exc:
        raise cli.StoreFailure(str(exc)) from None
    except ValueError as exc:  # a value that cannot be kept (not finite …)
        raise cli.UsageError(str(exc)) from None


def _say(args, text: str, *, stream=None) -> None:
    if not getattr(args, "quiet", False):
        from .safe_text import terminal

        print("\n".join(terminal(line) for line in text.splitlines()), file=stream or sys.stdout)


def _facts(engine, args, scenario_id: str, today):
    cli = _cli()
    return {name: (fact.value, fact.source) for name, fact in cli._flag_facts(engine.kb, args.fact, scenario_id, today).items()}


def _open_case(args):
    """The engine, today and the case a command is about."""
    cli = _cli()
    engine = cli._load(args.kb)
    return engine, cli._today(args.today), _call(_store().get, args.id)


def _title(kb, scenario_id: str, lang: str) -> str:
    return kb.scenarios[scenario_id].title.get(lang)


# ------------------------------------------------------------------ files written for the user


def write_private(path_text: str, text: str, *, force: bool) -> Path:
    """Write a file only the user can read (0600), atomically (temp file + rename, so a full disk or a crash
    never leaves half a file or destroys the old one), refusing to replace one without --force."""
    from .private_files import write_private_file

    cli = _cli()
    path = Path(os.path.expanduser(path_text))
    if path.is_dir():
        raise cli.UsageError(f"--out: {path} is a folder; give a file name")
    if os.path.lexists(path) and not force:
        raise cli.UsageError(f"{path} exists; add --force to replace it")
    try:
        write_private_file(path, text)
    except OSError as exc:
        raise cli.StoreFailure(f"{path}: {exc.strerror or exc}; nothing was written") from None
    return path


def _output(args, text: str, what: str) -> None:
    if args.out in (None, "-"):
        sys.stdout.write(text)
        return
    path = write_private(args.out, text, force=args.force)
    _say(args, f"wrote {what} to {path}", stream=sys.stderr)


# ------------------------------------------------------------------ commands


def cmd_case_new(args: argparse.Namespace) -> int:
    from .casefile import evidence_items

    cli = _cli()
    today = cli._today(args.today)
    engine = cli._load(args.kb)
    cli._check_scenario(engine.kb, args.scenario)
    facts = _facts(engine, args, args.scenario, today)
    lang = args.lang if args.lang != "auto" else "zh"
    title = cli.decode_arg(args.title).strip() if args.title else _title(engine.kb, args.scenario, lang)
    if not title:
        raise cli.UsageError("--title: the title is empty")
    items = evidence_items(engine.kb, args.scenario)
    case_id = _call(_store().create, args.scenario, title, lang, facts, today, items)
    print(to_json({"id": case_id}) if args.json else case_id)
    _say(args, f"opened case {case_id}: {title} ({_title(engine.kb, args.scenario, 'en')}), "
               f"{len(facts)} fact(s), an evidence checklist of {len(items)} item(s)", stream=sys.stderr)
    return ExitCode.OK


def cmd_case_list(args: argparse.Namespace) -> int:
    from .casefile import evaluate_case
    from .safe_text import terminal

    cli = _cli()
    engine = cli._load(args.kb)
    today = cli._today(args.today)
    rows = []
    for case in _call(_store().list):
        verdict = evaluate_case(engine.kb, case, today).verdict
        deadline = verdict.deadline.date.isoformat() if verdict and verdict.deadline else None
        rows.append({"id": case.id, "title": case.title, "scenario": case.scenario, "stage": case.current, "status": case.status,
                     "verdict": verdict.status if verdict else None, "deadline": deadline, "problems": case.problems})
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            flag = "  (!) " + "; ".join(r["problems"]) if r["problems"] else ""
            print(terminal(f"{r['id']}  {r['status']:6}  {r['stage']:30}  {r['verdict'] or '-':13}  {r['deadline'] or '-':10}  {r['title']}{flag}"))
        if not rows:
            _say(args, "no cases yet (weiquan case new --scenario ID)")
    return ExitCode.OK


def cmd_case_show(args: argparse.Namespace) -> int:
    from .casefile import case_json, export_markdown

    engine, today, case = _open_case(args)
    if args.json:
        print_json(case_json(engine.kb, case, today))
    else:
        from .safe_text import terminal

        text = "".join((terminal(line) if line else "") + "\n" for line in export_markdown(engine.kb, case, today, drafts=False).splitlines())
        _cli()._print_markdown(text, raw=args.markdown)  # formatted for a terminal; the Markdown itself when piped
    return ExitCode.OK


def _resolve_items(cli, kb, case, wanted: list[str]) -> list[int]:
    """Checklist positions (0-based) from what the user typed: a number as `case show` prints it (from 1),
    or words found in exactly one item's text."""
    from .casefile import checklist
    from .text import normalise

    items = checklist(kb, case)
    positions = []
    for raw in wanted:
        text = cli.decode_arg(raw).strip()
        if text.isdigit():
            number = int(text)
            if not 1 <= number <= len(items):
                raise cli.UsageError(f"--have/--lack: there is no evidence item {number} (the checklist has 1–{len(items)}; see 'case show {case.id}')")
            positions.append(number - 1)
            continue
        needle = normalise(text)
        found = [n for n, item in enumerate(items) if needle and (needle in normalise(item.zh) or needle in normalise(item.en))]
        if len(found) != 1:
            what = "no evidence item mentions" if not found else f"{len(found)} evidence items mention"
            raise cli.UsageError(f"--have/--lack: {what} {text!r}; give its number from 'case show {case.id}'")
        positions.append(found[0])
    return positions


def cmd_case_update(args: argparse.Namespace) -> int:
    from .cases import Change
    from .casefile import checklist, plan_event

    cli = _cli()
    engine = cli._load(args.kb)
    kb = engine.kb
    today = cli._today(args.today)
    store = _store()
    case = _call(store.get, args.id)
    if case.status == "closed":
        raise cli.UsageError(f"case {case.id} is closed; a closed case is kept as it was")
    facts = _facts(engine, args, case.current, today)
    plan = None
    if args.event is not None:
        note = cli.decode_arg(args.event).strip()
        if not note:
            raise cli.UsageError("--event: the note is empty")
        date = cli._today(args.date) if args.date else today
        if date > today:
            raise cli.UsageError(f"--date: {date.isoformat()} is after today ({today.isoformat()})")
        plan = plan_event(kb, case, date, note, facts)
    elif args.date:
        raise cli.UsageError("--date goes with --event")
    tick = {n: True for n in _resolve_items(cli, kb, case, args.have or [])}
    tick.update({n: False for n in _resolve_items(cli, kb, case, args.lack or [])})
    if not facts and plan is None and not tick:
        raise cli.UsageError("nothing to update: give --fact, --event (with --date) or --have/--lack")
    add_items = list(plan.add_items) if plan else []
    if not case.checklist:  # a case kept before the checklist was stored: store it now, ticks included
        add_items = [(i.zh, i.en) for i in checklist(kb, case)] + add_items
        tick = {**{n: True for n, i in enumerate(checklist(kb, case)) if i.have}, **tick}
    change: Change = _call(store.update, case.id, facts={**facts, **(plan.facts if plan else {})},
                           event=plan.event if plan else None, stage=plan.stage if plan else None, tick=tick, add_items=add_items)
    if args.json:
        print_json({"id": case.id, "facts_set": change.facts, "facts_set_by_event": [n for n in change.facts if plan and n in plan.facts],
                    "event": change.event, "stage": change.stage,
                    "have": [n + 1 for n in change.ticked], "lack": [n + 1 for n in change.unticked]}, indent=None)
    else:
        _say(args, _describe(kb, case.id, change))
    return ExitCode.OK


def _describe(kb, case_id: str, change) -> str:
    parts = []
    if change.facts:
        parts.append("set " + ", ".join(change.facts))
    if change.event:
        parts.append(f"recorded the event ({change.event})")
    if change.stage:
        parts.append(f"moved it to the stage {change.stage} ({kb.scenarios[change.stage].title.get('en')})")
    if change.added_items:
        parts.append(f"added {change.added_items} evidence item(s) to its checklist")
    if change.ticked:
        parts.append("ticked evidence " + ", ".join(str(n + 1) for n in change.ticked))
    if change.unticked:
        parts.append("unticked evidence " + ", ".join(str(n + 1) for n in change.unticked))
    return f"case {case_id}: " + ("; ".join(parts) if parts else "nothing changed (it already said so)")


def cmd_case_stage(args: argparse.Namespace) -> int:
    from .casefile import case_role, new_items

    cli = _cli()
    engine = cli._load(args.kb)
    kb = engine.kb
    cli._check_scenario(kb, args.scenario)
    store = _store()
    case = _call(store.get, args.id)
    facts = {}
    if kb.scenarios[args.scenario].role == "both" and "role" not in case.facts:
        facts["role"] = (case_role(kb, case), "stage")
    change = _call(store.update, case.id, facts=facts, stage=args.scenario, add_items=new_items(kb, case, args.scenario))
    if args.json:
        print_json({"id": case.id, "stage": args.scenario, "moved": change.stage is not None}, indent=None)
    elif change.stage is None:
        _say(args, f"case {case.id} is at the stage {args.scenario} already; nothing changed")
    else:
        _say(args, _describe(kb, case.id, change))
    return ExitCode.OK


def cmd_case_due(args: argparse.Namespace) -> int:
    from .casefile import due

    cli = _cli()
    engine = cli._load(args.kb)
    today = cli._today(args.today)
    if args.within < 0:
        raise cli.UsageError("--within: give a number of days (0 or more)")
    cases = _call(_store().list)
    if args.ics:
        return _write_ics(args, engine.kb, cases, today)
    rows = due(engine.kb, cases, today, args.within)
    if args.json:
        print_json(rows)
    else:
        from .safe_text import terminal

        for r in rows:
            left = f"{r['working_days_left']} working days" if r["count"] == "working" else f"{r['days_left']} days"
            print(terminal(f"{r['date']}  {left:>16} left  {r['case']}  {r['title']}  — {r['label']}{' (estimated)' if r['estimated'] else ''}"))
        if not rows:
            _say(args, f"nothing due within {args.within} days")
    return ExitCode.OK


def _write_ics(args, kb, cases, today) -> int:
    from .ics import calendar_bytes

    text, count = calendar_bytes(kb, cases, today)
    if args.ics == "-":
        sys.stdout.write(text)
    else:
        path = write_private(args.ics, text, force=args.force)
        _say(args, f"wrote {count} deadline(s) with reminders to {path}")
    return ExitCode.OK


def cmd_case_export(args: argparse.Namespace) -> int:
    from .casefile import export_markdown

    engine, today, case = _open_case(args)
    if args.ics:
        return _write_ics(args, engine.kb, [case], today)
    _output(args, export_markdown(engine.kb, case, today, args.lang), f"case {case.id}")
    return ExitCode.OK


def cmd_case_close(args: argparse.Namespace) -> int:
    cli = _cli()
    closed = _call(_store().close, args.id, cli._today(args.today))
    if args.json:
        print_json({"id": args.id, "status": "closed", "changed": closed}, indent=None)
    else:
        _say(args, f"closed case {args.id}" if closed else f"case {args.id} was closed already; nothing changed")
    return ExitCode.OK


def cmd_case_delete(args: argparse.Namespace) -> int:
    cli = _cli()
    if not args.yes:
        _call(_store().get, args.id)  # say "no case" before asking for confirmation
        raise cli.UsageError(f"this deletes case {args.id} with its facts, timeline and checklist for good; add --yes")
    _call(_store().delete, args.id)
    if args.json:
        print_json({"id": args.id, "deleted": True}, indent=None)
    else:
        _say(args, f"deleted case {args.id}")
    return ExitCode.OK


def cmd_case_purge(args: argparse.Namespace) -> int:
    cli = _cli()
    store = _store()
    if not args.yes:
        raise cli.UsageError(f"this deletes every case and the store {store.path} for good; add --yes")
    count = _call(store.purge)
    if args.json:
        print_json({"deleted": count, "store": str(store.path)}, indent=None)
    else:
        _say(args, f"deleted {count} case(s) and removed {store.path}")
    return ExitCode.OK


# ------------------------------------------------------------------ parser


def _guarded(handler):
    """Invalid case files (drafts.yaml, case_events.yaml) are an invalid knowledge base: file:line, exit 3."""

    def run(args: argparse.Namespace) -> int:
        from knowledge_base.model import KnowledgeBaseError

        try:
            return handler(args)
        except KnowledgeBaseError as exc:
            for problem in exc.problems:
                print(f"weiquan: invalid knowledge base: {problem}", file=sys.stderr)
            return ExitCode.INVALID_KB

    return run


def add_case_parser(commands, parser_class, cli_module=None) -> None:
    global _CLI
    _CLI = cli_module
    case = commands.add_parser("case", help="keep a dispute: facts, timeline, stages, deadlines, drafts").add_subparsers(
        dest="case_command", metavar="CASE_COMMAND", parser_class=parser_class)
    case.required = True

    def case_parser(name: str, help_text: str, handler, *, with_id: bool = True):
        sub = case.add_parser(name, help=help_text)
        if with_id:
            sub.add_argument("id")
        sub.add_argument("--kb", metavar="DIR")
        sub.add_argument("--today", metavar="YYYY-MM-DD")
        sub.add_argument("--json", action="store_true")
        sub.add_argument("--quiet", "-q", action="store_true", help="do not say what was done")
        sub.set_defaults(handler=_guarded(handler))
        return sub

    new_case = case_parser("new", "open a case (prints its id)", cmd_case_new, with_id=False)
    new_case.add_argument("--scenario", metavar="ID", required=True)
    new_case.add_argument("--fact", metavar="NAME=VALUE", action="append", default=[])
    new_case.add_argument("--title", metavar="T")
    new_case.add_argument("--lang", choices=("auto", "zh", "en"), default="auto")
    case_parser("list", "list cases", cmd_case_list, with_id=False)
    case_parser("show", "a case with its stage, verdict, timeline, deadlines and numbered checklist", cmd_case_show).add_argument(
        "--markdown", action="store_true", help="print the Markdown itself (the default when piped)")
    update = case_parser("update", "add facts, an event or evidence", cmd_case_update)
    update.add_argument("--fact", metavar="NAME=VALUE", action="append", default=[])
    update.add_argument("--event", metavar="TEXT", help='what happened: "卖家拒绝了", "小二判我输了", "ruling received", …')
    update.add_argument("--date", metavar="YYYY-MM-DD", help="when the event happened (default today)")
    update.add_argument("--have", metavar="NAME|NUMBER", action="append", help="this evidence item is in hand (number from 'case show', or words of it)")
    update.add_argument("--lack", metavar="NAME|NUMBER", action="append", help="this evidence item is not in hand after all")
    stage = case_parser("stage", "move a case to another stage or scenario by hand", cmd_case_stage)
    stage.add_argument("scenario", metavar="SCENARIO")
    due_parser = case_parser("due", "deadlines across open cases, soonest first", cmd_case_due, with_id=False)
    due_parser.add_argument("--within", metavar="DAYS", type=int, default=14)
    due_parser.add_argument("--ics", metavar="FILE", help="write every open deadline as an iCalendar file with reminders ('-': standard output)")
    due_parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export = case_parser("export", "Markdown with drafts (to standard output, or --out)", cmd_case_export)
    export.add_argument("--lang", choices=("zh", "en"))
    export.add_argument("--out", metavar="FILE", help="write to FILE (private, atomic; refuses to replace one without --force)")
    export.add_argument("--ics", metavar="FILE", help="write this case's deadlines as an iCalendar file instead ('-': standard output)")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    case_parser("close", "close a case", cmd_case_close)
    delete = case_parser("delete", "delete one case for good", cmd_case_delete)
    delete.add_argument("--yes", action="store_true", help="yes, delete it")
    purge = case_parser("purge", "delete every case and the store file for good", cmd_case_purge, with_id=False)
    purge.add_argument("--yes", action="store_true", help="yes, delete everything")
