# PYTHON_ARGCOMPLETE_OK  (global shell completion: argcomplete looks for this line)
"""`weiquan` — the command line. Thin: parses arguments, calls the engine, prints, picks the exit code.

Heavy imports (the engine, rich, Textual) happen inside the commands that need them, so `--help`,
`--version` and a bad flag answer at once and `ask` never loads the TUI.
"""
from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
import re
import sys
from typing import Iterator, NoReturn

from . import regex_store
from .exits import ExitCode
from .jsonout import print_json, to_json

NO_TERMINAL = ("the chat needs a terminal; without one, use 'weiquan ask \"QUESTION\"' or 'weiquan chat --plain' "
               "(see 'weiquan --help')")
PROMPT = "> "  # plain chat, typed at a terminal: where the person's turn starts
_OPTION_LIKE = re.compile(r"--?[A-Za-z][A-Za-z0-9-]*(=.*)?", re.S)


class UsageError(Exception):
    """Bad usage or a bad input value: one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)  # keeps the examples' lines
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # one line instead of argparse's usage dump
        raise UsageError(f"{message} (see '{self.prog} --help')")

    def _parse_optional(self, arg_string):
        # a question may start with '-' ("-5天前签收的还能退吗"): only what looks like an option is one
        if arg_string.startswith("-") and len(arg_string) > 1 and not _OPTION_LIKE.fullmatch(arg_string):
            return None
        return super()._parse_optional(arg_string)

    def _check_value(self, action, value):
        if action.choices is not None and value not in action.choices:
            choices = [str(choice) for choice in action.choices]
            close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise argparse.ArgumentError(action, f"invalid choice: {value!r}{hint} (choose from {', '.join(choices)})")


class _VersionAction(argparse.Action):
    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        from . import version

        print(f"weiquan {version()}")
        parser.exit()


def _stdout_utf8() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def decode_bytes(raw: bytes) -> str:
    """Questions arrive as UTF-8, sometimes as GBK from older Chinese systems, sometimes as garbage."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")  # pragma: no cover - gb18030 decodes almost anything


def decode_arg(arg: str) -> str:
    """argv undecodable as UTF-8 arrives with surrogate escapes; recover the bytes and decode them properly."""
    if any("\udc80" <= ch <= "\udcff" for ch in arg):
        return decode_bytes(os.fsencode(arg))
    return arg


def _today(value: str | None) -> dt.date:
    if value is None:
        return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()  # Asia/Shanghai
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today: {value!r} is not a valid date (use YYYY-MM-DD)") from None


def _load(kb_dir: str | None):
    from knowledge_base.model import KnowledgeBaseError

    from .engine import load_engine

    if kb_dir is not None and not os.path.isdir(kb_dir):
        raise UsageError(f"--kb: {kb_dir!r} is not a directory")
    try:
        return load_engine(kb_dir)
    except KnowledgeBaseError as exc:
        for problem in exc.problems:
            print(f"weiquan: invalid knowledge base: {problem}", file=sys.stderr)
        raise SystemExit(ExitCode.INVALID_KB) from None


def _console():
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich would exit 1; main() ends quietly with 0
            self.quiet = True
            raise BrokenPipeError

    return _Console(soft_wrap=True, highlight=False)


def _print_markdown(text: str, *, raw: bool) -> None:
    """Markdown formatted for a terminal; the Markdown itself with --markdown or when piped."""
    if raw or not sys.stdout.isatty():
        sys.stdout.write(text)
        return
    from rich.markdown import Markdown

    _console().print(Markdown(text))


def _has_terminal() -> bool:
    # `weiquan serve` runs the app through textual-serve's web driver, whose standard streams are pipes
    return (sys.stdin.isatty() and sys.stdout.isatty()) or bool(os.environ.get("TEXTUAL_DRIVER"))


# ------------------------------------------------------------------ ask


def _read_lines(stream) -> Iterator[str]:
    for raw in stream:
        yield decode_bytes(raw.rstrip(b"\r\n") if raw.endswith(b"\n") else raw)


def _flag_facts(kb, assignments: list[str], scenario_id: str | None, today: dt.date) -> dict:
    from .facts import FactError, parse_flag

    known = dict(kb.facts)
    for scenario in kb.scenarios.values():
        if scenario_id in (None, scenario.id):
            known.update(scenario.facts)
    facts = {}
    for assignment in assignments:
        try:
            fact = parse_flag(decode_arg(assignment), known, today)
        except FactError as exc:
            raise UsageError(str(exc)) from None
        facts[fact.name] = fact
    return facts


def _check_scenario(kb, scenario_id: str | None) -> None:
    if scenario_id is not None and scenario_id not in kb.scenarios:
        import difflib

        close = difflib.get_close_matches(scenario_id, list(kb.scenarios), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UsageError(f"--scenario: unknown scenario {scenario_id!r}{hint}")


def cmd_ask(args: argparse.Namespace) -> int:
    from .dialogue import Conversation
    from .render import ask_json, print_turn
    from .text import clean

    today = _today(args.today)
    engine = _load(args.kb)
    kb = engine.kb
    _check_scenario(kb, args.scenario)
    facts = _flag_facts(kb, args.fact, args.scenario, today)

    def answer(question: str) -> dict:
        conversation = Conversation(engine, today=today, lang=args.lang, facts=facts, scenario=args.scenario)
        turn = conversation.send(question) if question.strip() or args.scenario is None else conversation.start()
        top = conversation.match.scenario if conversation.match else None
        return turn, ask_json(kb, clean(question), turn, top)

    if args.question == "-":
        console = None if args.json else _console()
        for question in _read_lines(sys.stdin.buffer):
            try:  # one line that cannot be answered gets an error object; the batch goes on
                turn, data = answer(question)
                line = to_json(data) if args.json else None
            except Exception as exc:  # a bug on one line: reported on that line, never the end of the batch
                line, turn = to_json(_unanswered(question, exc)), None
                print(f"weiquan: internal error on one line: {type(exc).__name__}: {clean(str(exc))[:200]}", file=sys.stderr)
            if args.json:
                sys.stdout.write(line + "\n")
                sys.stdout.flush()
            elif turn is not None:
                print_turn(console, kb, turn, hint=False)  # a batch is not answered back line by line
                console.print()
            else:
                print(_unanswered(question, None)["say"] + "\n", flush=True)
        return ExitCode.OK

    question = decode_arg(args.question or "")
    if not question.strip() and args.scenario is None:
        raise UsageError("the question is empty: ask something, or give --scenario ID")
    turn, data = answer(question)
    if args.json:
        print_json(data)
    else:
        print_turn(_console(), kb, turn)
    return ExitCode.OK


def _unanswered(question: str, exc: Exception | None) -> dict:
    """The JSON object for a batch line that could not be answered: the contract's keys, nothing decided."""
    from .text import clean, guess_language

    query = clean(question)
    lang = guess_language(query)
    say = "这一行没能回答（内部错误），已跳过。" if lang == "zh" else "This line could not be answered (internal error); skipped."
    reason = f"internal error: {type(exc).__name__}: {clean(str(exc))[:200]}" if exc is not None else "internal error"
    return {"query": query, "scenario": None, "score": 0.0, "candidates": [], "lang": lang, "say": say, "answer": None,
            "facts": {}, "missing_facts": [], "verdict": None, "asking": None, "choices": [], "error": reason}


def cmd_chat(args: argparse.Namespace) -> int:
    if not (args.plain or args.json):  # --json is line by line by nature
        return _run_tui(args)
    from .dialogue import Conversation
    from .render import chat_json, topic_line

    today = _today(args.today)
    engine = _load(args.kb)
    conversation = Conversation(engine, today=today, lang=args.lang)
    typed = sys.stdin.isatty() and not args.json
    if typed:
        print(conversation.greeting().say + "\n")
    shown = None  # the scenario whose title was last said
    for line in _typed_lines() if typed else _read_lines(sys.stdin.buffer):
        turn = conversation.send(line)
        if args.json:
            sys.stdout.write(to_json(chat_json(engine.kb, turn)) + "\n")
        else:
            topic = topic_line(engine.kb, turn, shown)
            shown = turn.scenario
            sys.stdout.write((f"{topic}\n" if topic else "") + turn.say + "\n\n")
        sys.stdout.flush()
    return ExitCode.OK


def _typed_lines() -> Iterator[str]:
    """Lines typed at a terminal, each after the prompt marker (with line editing where readline exists)."""
    try:
        import readline  # noqa: F401  (input() then edits and remembers lines)
    except ImportError:  # pragma: no cover - Windows
        pass
    while True:
        try:
            yield input(PROMPT)
        except EOFError:  # Ctrl+D
            print()
            return


def _run_tui(args: argparse.Namespace) -> int:
    today = _today(args.today)
    if args.kb is not None and not os.path.isdir(args.kb):
        raise UsageError(f"--kb: {args.kb!r} is not a directory")
    if not _has_terminal():
        raise UsageError(NO_TERMINAL)
    from tui import make_app  # only here: the engine never imports Textual

    make_app(args.kb, today=today, lang=args.lang).run()
    return ExitCode.OK


def serve_command(args: argparse.Namespace) -> tuple[str, dict[str, str]]:
    """The shell command textual-serve runs for each browser (every part quoted), and the environment changes:
    unless --with-cases, the served chat cannot read or keep cases, so whoever reaches the port cannot see them."""
    import shlex

    parts = [sys.executable, "-m", "assistant.cli", "chat"] + (["--kb", args.kb] if args.kb else [])
    return " ".join(shlex.quote(part) for part in parts), ({} if args.with_cases else {"WEIQUAN_NO_CASES": "1"})


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        raise UsageError("'weiquan serve' needs the web extra: pip install 'weiquan[web]'") from None
    if args.kb is not None and not os.path.isdir(args.kb):
        raise UsageError(f"--kb: {args.kb!r} is not a directory")
    command, env = serve_command(args)
    os.environ.update(env)  # the served processes inherit it
    Server(command, host="127.0.0.1", port=args.port, title="weiquan 维权").serve()  # this machine only
    return ExitCode.OK


# ------------------------------------------------------------------ case


class StoreFailure(Exception):
    """The case store cannot be used: one line, exit 1."""


# The case sub-commands live in assistant/cli_case.py.


# ------------------------------------------------------------------ kb


def _kb_dir(args):
    from pathlib import Path

    from knowledge_base import locations

    if args.kb is not None and not os.path.isdir(args.kb):
        raise UsageError(f"--kb: {args.kb!r} is not a directory")
    return Path(args.kb) if args.kb else locations.shipped_kb_dir()


def cmd_kb_eval(args: argparse.Namespace) -> int:
    from knowledge_base.evaluate import (
        compare_with_previous, evaluate, format_report, parse_part, read_labelled, select_part,
    )

    engine = _load(args.kb)
    try:
        items = read_labelled(args.file, engine.kb)
        if args.part:
            items = select_part(items, *parse_part(args.part))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    report = compare_with_previous(args.file, evaluate(engine, items), args.part or "")
    if args.json:
        print_json(report)
    else:
        print(format_report(report))
    short = [f"{name} {report[key] * 100:.1f}% is below {floor:g}%"
             for name, key, floor in (("accuracy", "accuracy", args.min_accuracy), ("out-of-scope rejection", "rejection", args.min_rejection))
             if floor is not None and report.get(key) is not None and report[key] * 100 < floor]
    for line in short:
        print(f"weiquan: {line}", file=sys.stderr)
    return ExitCode.PROBLEMS if short else ExitCode.OK


def cmd_kb_lint(args: argparse.Namespace) -> int:
    from knowledge_base.lint import as_json, lint

    problems = lint(_kb_dir(args))
    if args.json:
        print_json(as_json(problems))
    else:
        for problem in problems:
            print(f"{problem.file}:{problem.line}: {problem.level}: {problem.message}")
    return ExitCode.PROBLEMS if any(p.level == "error" for p in problems) else ExitCode.OK


def cmd_kb_init(args: argparse.Namespace) -> int:
    from knowledge_base.authoring import AuthoringError, init_kb

    try:
        target = init_kb(args.dir)
    except AuthoringError as exc:
        raise UsageError(str(exc)) from None
    print(f"Copied the knowledge base to {target}. Next: weiquan kb new ID --kb {target} (see docs/authoring.md)")
    return ExitCode.OK


def cmd_kb_new(args: argparse.Namespace) -> int:
    from knowledge_base.authoring import AuthoringError, new_scenario

    try:
        path = new_scenario(_kb_dir(args), decode_arg(args.id), args.role)
    except AuthoringError as exc:
        raise UsageError(str(exc)) from None
    print(path)
    return ExitCode.OK


def cmd_kb_list(args: argparse.Namespace) -> int:
    kb = _load(args.kb).kb
    rows = [{"id": sid, "role": s.role, "title": s.title.get(args.lang)} for sid, s in sorted(kb.scenarios.items())]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']:32} {row['role']:6} {row['title']}")
    return ExitCode.OK


def cmd_kb_show(args: argparse.Namespace) -> int:
    from knowledge_base.authoring import show

    engine = _load(args.kb)
    _check_scenario(engine.kb, args.id)
    _print_markdown(show(engine.kb, args.id, args.lang), raw=args.markdown)
    return ExitCode.OK


def cmd_kb_stats(args: argparse.Namespace) -> int:
    from knowledge_base.authoring import format_stats, stats

    rows = stats(_load(args.kb).kb)
    if args.json:
        print_json(rows)
    else:
        print(format_stats(rows))
    return ExitCode.OK


def cmd_kb_schema(args: argparse.Namespace) -> int:
    from knowledge_base.schema import Scenario

    print_json(Scenario.model_json_schema())
    return ExitCode.OK


def cmd_completion(args: argparse.Namespace) -> int:
    import argcomplete

    sys.stdout.write(argcomplete.shellcode(["weiquan"], shell=args.shell))
    return ExitCode.OK


def _scenario_ids(prefix: str, parsed_args=None, **_) -> list[str]:
    """Completion for scenario ids: the file names in the knowledge base (cheap, no YAML read)."""
    from pathlib import Path

    from knowledge_base import locations

    kb = getattr(parsed_args, "kb", None)
    folder = (Path(kb) if kb else locations.shipped_kb_dir()) / "scenarios"
    return sorted(p.stem for p in folder.glob(f"{prefix}*.yaml"))


# ------------------------------------------------------------------ parser


# commands whose sub-commands are many: parsed in full only when asked for (a question should not wait for them)
_GROUPS = {"case": "keep a dispute: facts, timeline, stages, deadlines, drafts", "kb": "knowledge-base tools"}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `only` (the command being run), the other command groups are listed
    without their sub-commands — enough for that command, its --help and the top-level --help."""
    parser = _Parser(prog="weiquan", description="维权 — after-sale dispute assistant for Chinese e-commerce (中文 / English). "
                     "Without a command: the chat in the terminal.")
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    ask = commands.add_parser("ask", help="answer one question (or one per line from standard input with '-')")
    ask.add_argument("question", nargs="?", help="the question, or '-' to read one per line from standard input")
    ask.add_argument("--json", action="store_true", help="print JSON (one object per line with '-')")
    ask.add_argument("--lang", choices=("auto", "zh", "en"), default="auto", help="reply language (default: the question's)")
    ask.add_argument("--scenario", metavar="ID", help="skip matching and answer for this scenario")
    ask.add_argument("--today", metavar="YYYY-MM-DD", help="the date to count deadlines from (default: today in China)")
    ask.add_argument("--fact", metavar="NAME=VALUE", action="append", default=[], help="a fact you already know (repeatable)")
    ask.add_argument("--kb", metavar="DIR", help="knowledge-base directory (one holding scenarios/)")
    ask.set_defaults(handler=cmd_ask)

    chat = commands.add_parser("chat", help="interactive chat (--plain: line by line on standard input/output)")
    chat.add_argument("--plain", action="store_true", help="line-by-line chat for pipes and screen readers")
    chat.add_argument("--json", action="store_true", help="one JSON object per reply (line by line, implies --plain)")
    chat.add_argument("--lang", choices=("auto", "zh", "en"), default="auto", help="reply language (default: each message's)")
    chat.add_argument("--today", metavar="YYYY-MM-DD", help="the date to count deadlines from")
    chat.add_argument("--kb", metavar="DIR", help="knowledge-base directory")
    chat.set_defaults(handler=cmd_chat)

    if only in (None, "case"):
        from .cli_case import add_case_parser

        add_case_parser(commands, _Parser, sys.modules[__name__])
    else:
        commands.add_parser("case", help=_GROUPS["case"])

    serve = commands.add_parser("serve", help="the chat in a browser on localhost (needs weiquan[web])")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--kb", metavar="DIR")
    serve.add_argument("--with-cases", action="store_true", help="let the served chat read and keep your cases (off by default)")
    serve.set_defaults(handler=cmd_serve)

    if only in (None, "kb"):
        _add_kb(commands)
    else:
        commands.add_parser("kb", help=_GROUPS["kb"])
    completion = commands.add_parser("completion", help="shell completion: print the script for bash, zsh or fish")
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))
    completion.set_defaults(handler=cmd_completion)
    _finish(parser)
    return parser


def _add_kb(commands) -> None:
    kb = commands.add_parser("kb", help=_GROUPS["kb"]).add_subparsers(dest="kb_command", metavar="KB_COMMAND", parser_class=_Parser)
    kb.required = True

    def kb_parser(name: str, help_text: str, handler, *, json_flag: bool = True):
        sub = kb.add_parser(name, help=help_text)
        sub.add_argument("--kb", metavar="DIR", help="knowledge-base directory (default: the shipped one)")
        if json_flag:
            sub.add_argument("--json", action="store_true")
        sub.set_defaults(handler=handler)
        return sub

    init = kb.add_parser("init", help="copy the shipped knowledge base into a folder of your own, to edit it")
    init.add_argument("dir", metavar="DIR", help="a new or empty folder")
    init.set_defaults(handler=cmd_kb_init)
    kb_parser("lint", "check the knowledge base: every problem as file:line: level: message", cmd_kb_lint)
    new = kb_parser("new", "write a scaffold for a new scenario (into your copy: see kb init)", cmd_kb_new, json_flag=False)
    new.add_argument("id", help="snake_case scenario id")
    new.add_argument("--role", choices=("buyer", "seller", "both"), default="buyer")
    kb_parser("list", "the scenarios: id, role, title", cmd_kb_list).add_argument("--lang", choices=("zh", "en"), default="zh")
    show = kb_parser("show", "a scenario as a reader sees it, rules as sentences", cmd_kb_show, json_flag=False)
    show.add_argument("id").completer = _scenario_ids
    show.add_argument("--lang", choices=("zh", "en"), default="zh")
    show.add_argument("--markdown", action="store_true", help="print the Markdown itself (the default when piped)")
    kb_parser("stats", "examples and keywords per scenario, thinnest first", cmd_kb_stats)
    evaluation = kb_parser("eval", "measure matching on a labelled JSONL file", cmd_kb_eval)
    evaluation.add_argument("file", help='lines of {"q": ..., "expected": id or null}')
    evaluation.add_argument("--min-accuracy", metavar="PCT", type=float, help="exit 1 when top-1 accuracy is below PCT %%")
    evaluation.add_argument("--min-rejection", metavar="PCT", type=float, help="exit 1 when out-of-scope rejection is below PCT %%")
    evaluation.add_argument("--part", metavar="K/N", help="only the K-th of N stratified parts (tune on one, report another)")
    schema = kb.add_parser("schema", help="print the JSON Schema of a scenario file")
    schema.set_defaults(handler=cmd_kb_schema)


def _command_of(argv: list[str]) -> str | None:
    """The command word being run ('ask', 'case' …), when the whole parser is not needed to know it."""
    if "_ARGCOMPLETE" in os.environ or not argv or argv[0] not in ("ask", "chat", "serve", "completion", "case", "kb"):
        return None
    return argv[0]


def _finish(parser: argparse.ArgumentParser, words: str = "") -> None:
    """Examples at the end of every command's --help; scenario ids completed wherever one is asked."""
    from .usage import epilog

    parser.epilog = epilog(words)
    for action in parser._actions:
        if action.dest == "scenario":
            action.completer = _scenario_ids
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                _finish(sub, f"{words} {name}".strip())


def main(argv: list[str] | None = None) -> int:
    with regex_store.kept():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    _stdout_utf8()
    parser = build_parser(_command_of(sys.argv[1:] if argv is None else argv))
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions: answer and exit, nothing else runs
        import argcomplete

        argcomplete.autocomplete(parser)
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            code = _run_tui(argparse.Namespace(today=None, kb=None, lang="auto"))
        else:
            code = int(args.handler(args))
        sys.stdout.flush()  # a reader that went away shows here, not as a traceback at exit
        return code
    except UsageError as exc:
        print(f"weiquan: error: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except StoreFailure as exc:
        print(f"weiquan: {exc}", file=sys.stderr)
        return ExitCode.PROBLEMS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `weiquan ask … | head -1`: the reader has all it wanted
        _discard_stdout()
        return ExitCode.OK
    except Exception as exc:  # a bug: still one line, never a traceback
        print(f"weiquan: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return ExitCode.PROBLEMS


def _discard_stdout() -> None:
    """Point stdout at /dev/null so that Python's flush at exit does not hit the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass


if __name__ == "__main__":
    sys.exit(main())
