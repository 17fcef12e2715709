"""Command-line conventions: no terminal, broken pipes, JSON as UTF-8, help with examples, completion, "did you
mean", terminal rendering, the prompt marker, questions that start with '-'. Real processes where it matters."""
import json
import os
import pty
import select
import subprocess
import sys
import time

import pytest

from conftest import FIXTURE_KB, ROOT, run_cli


def test_no_terminal_gives_a_hint_and_exit_2_instead_of_hanging():
    for args in ([], ["chat"], ["chat", "--lang", "en"]):
        result = run_cli(*args, stdin=b"hello\n")
        assert result.returncode == 2, args
        err = result.stderr.decode()
        assert err.startswith("weiquan: error: the chat needs a terminal") and "weiquan chat --plain" in err and "weiquan ask" in err
        assert len(err.strip().splitlines()) == 1 and result.stdout == b""


def test_chat_json_implies_plain():
    result = run_cli("chat", "--json", "--today", "2026-11-21", "--kb", str(FIXTURE_KB), stdin="不喜欢了能退吗\n2026-11-16\n".encode())
    assert result.returncode == 0, result.stderr.decode()
    replies = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["asking"] for r in replies] == ["received_date", None]
    assert replies[1]["verdict"]["status"] == "eligible"


def test_plain_chat_names_the_scenario_when_it_is_reached_or_changes():
    """The TUI shows the scenario in its title bar; a line-by-line reader hears it once, before the first question."""
    lines = ["不喜歡了能退嗎", "2026-11-16", "要準備什麼證據", "/new", "I changed my mind about the shirt, can I return it?"]
    result = run_cli("chat", "--plain", "--today", "2026-11-21", "--kb", str(FIXTURE_KB), stdin="\n".join(lines).encode())
    assert result.returncode == 0, result.stderr.decode()
    replies = result.stdout.decode().split("\n\n")
    assert replies[0].startswith("情形：想退貨\n")  # in the person's script
    assert sum("情形：" in reply for reply in replies) == 1  # not again while the scenario stays the same
    assert any(reply.startswith("Scenario: Want to return\n") for reply in replies[4:])  # after /new


@pytest.mark.parametrize("json_flag", [["--json"], []], ids=["json", "human"])
def test_a_reader_that_stops_early_is_not_an_error(json_flag):
    """`weiquan ask - | head -1`: the pipe closes while answers are still being written."""
    process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ask", *json_flag, "-"], cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdin.write("不喜欢了能退吗，淘宝买的\n".encode() * 400)
    process.stdin.close()
    assert process.stdout.readline()
    process.stdout.close()
    assert process.wait(timeout=120) == 0
    assert process.stderr.read() == b""


def test_json_is_never_ascii_escaped():
    outputs = [
        run_cli("ask", "--json", "不喜欢了能退吗"),
        run_cli("chat", "--json", "--kb", str(FIXTURE_KB), stdin="不喜欢了能退吗\n".encode()),
        run_cli("kb", "list", "--json"),
        run_cli("kb", "stats", "--json"),
        run_cli("kb", "schema"),
        run_cli("kb", "eval", "--json", "data/eval/holdout.jsonl"),
    ]
    for result in outputs:
        text = result.stdout.decode()
        assert result.returncode == 0 and text, result.args
        assert "\\u" not in text, result.args
    assert "七天无理由退货" in outputs[2].stdout.decode()


def _commands(parser, words=()):
    import argparse

    yield words, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, words + (name,))


def test_every_command_has_examples_in_its_help():
    from assistant.cli import build_parser

    commands = list(_commands(build_parser()))
    assert len(commands) > 15
    for words, parser in commands:
        text = parser.format_help()
        assert "\nexamples:\n" in text, words
        example = "weiquan " + " ".join(words)
        assert any(line.strip().startswith(example) for line in text.split("examples:")[1].splitlines()), words


def test_help_is_printed_with_examples_by_the_real_command():
    result = run_cli("kb", "new", "--help")
    assert result.returncode == 0 and "weiquan kb new price_protection --kb ~/my-kb" in result.stdout.decode()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell):
    result = run_cli("completion", shell)
    assert result.returncode == 0 and "weiquan" in result.stdout.decode() and "_ARGCOMPLETE" in result.stdout.decode()


def test_completion_answers_commands_and_scenario_ids(tmp_path):
    def complete(line):
        out = tmp_path / "completions.txt"
        env = {"_ARGCOMPLETE": "1", "COMP_LINE": line, "COMP_POINT": str(len(line)), "_ARGCOMPLETE_STDOUT_FILENAME": str(out)}
        result = run_cli(env=env)
        assert result.returncode == 0, result.stderr.decode()
        return out.read_text(encoding="utf-8").split()

    assert complete("weiquan kb sh") == ["show"]
    assert complete("weiquan ask --scenario seven") == ["seven_day_return"]
    assert "fake_goods" in complete("weiquan kb show ")


@pytest.mark.parametrize("args, suggestion", [(["aks", "x"], "did you mean 'ask'?"), (["kb", "lnt"], "did you mean 'lint'?"),
                                              (["ask", "x", "--lang", "zn"], "did you mean 'zh'?")])
def test_did_you_mean(args, suggestion):
    result = run_cli(*args)
    assert result.returncode == 2 and suggestion in result.stderr.decode()
    assert len(result.stderr.decode().strip().splitlines()) == 1


def test_a_question_may_start_with_a_dash():
    result = run_cli("ask", "--json", "-5天前签收的，不喜欢了能退吗", "--today", "2026-11-21")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["query"] == "-5天前签收的，不喜欢了能退吗" and data["scenario"] == "seven_day_return"
    assert json.loads(run_cli("ask", "--json", "--", "-x").stdout)["query"] == "-x"
    misspelt = run_cli("ask", "--jsn", "x")
    assert misspelt.returncode == 2 and "--jsn" in misspelt.stderr.decode()


# ---------------------------------------------------------------- in a real terminal (a pseudo-terminal)


def run_in_terminal(args, typed: str = "", timeout: float = 60) -> tuple[int, str]:
    """Run weiquan with a pseudo-terminal as its standard streams; type each line of `typed` after a new prompt
    marker appears, then Ctrl+D. Returns (exit code, everything the terminal showed)."""
    main, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({"TERM": "xterm-256color", "COLUMNS": "100", "LINES": "40"})
    process = subprocess.Popen([sys.executable, "-m", "assistant.cli", *args], cwd=ROOT, env=env,
                               stdin=secondary, stdout=secondary, stderr=secondary, close_fds=True)
    os.close(secondary)
    lines = [line.encode() + b"\n" for line in typed.splitlines()]
    output, sent, deadline = b"", 0, time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the program ended and the terminal closed
                break
            if not chunk:
                break
            output += chunk
        if typed and sent <= len(lines) and output.count(b"> ") > sent:
            os.write(main, lines[sent] if sent < len(lines) else b"\x04")  # Ctrl+D after the last line
            sent += 1
        if not ready and process.poll() is not None:
            break
    code = process.wait(timeout=10)
    os.close(main)
    return code, output.decode("utf-8", errors="replace")


def test_plain_chat_at_a_terminal_shows_a_prompt_marker():
    code, screen = run_in_terminal(["chat", "--plain", "--kb", str(FIXTURE_KB), "--today", "2026-11-21"], "不喜欢了能退吗\n2026-11-16")
    assert code == 0, screen
    assert "你好" in screen and screen.count("> ") >= 3  # greeting, then a marker before each of the person's turns
    assert "> 不喜欢了能退吗" in screen and "可以退货" in screen


def test_case_show_is_formatted_for_a_terminal_and_markdown_on_request():
    created = run_cli("case", "new", "--scenario", "seven_day_return", "--fact", "received_date=2026-11-16", "--today", "2026-11-21")
    assert created.returncode == 0, created.stderr.decode()
    case_id = created.stdout.decode().strip()
    code, screen = run_in_terminal(["case", "show", case_id, "--today", "2026-11-21"])
    assert code == 0 and "七天无理由退货" in screen
    assert "\n# " not in screen.replace("\r\n", "\n") and "**" not in screen  # headings and bold rendered, not shown as marks
    code, raw = run_in_terminal(["case", "show", case_id, "--today", "2026-11-21", "--markdown"])
    assert code == 0 and raw.replace("\r\n", "\n").startswith("# ")
    piped = run_cli("case", "show", case_id, "--today", "2026-11-21")
    assert piped.stdout.decode().startswith("# ")  # piped: the Markdown itself, ready for a file
