"""Examples shown at the end of each command's `--help`, keyed by the command's words ("kb lint")."""
from __future__ import annotations

EXAMPLES: dict[str, list[str]] = {
    "": [
        "weiquan                                     # the chat in the terminal (F1 for help)",
        'weiquan ask "淘宝买的东西显示签收了但我没收到"',
        "weiquan chat --plain                        # line by line, for pipes and screen readers",
        "weiquan kb init ~/my-kb                     # an editable copy of the knowledge base",
        "weiquan COMMAND --help                      # examples for each command",
    ],
    "ask": [
        'weiquan ask "不喜欢了能退吗，11月14号签收的，淘宝"',
        'weiquan ask --json "my parcel never arrived"',
        "weiquan ask --json - < questions.txt         # one JSON object per input line",
        'weiquan ask --scenario seven_day_return --fact platform=taobao --fact received_date=2026-11-16 ""',
        'weiquan ask -- "-5天前签收的还能退吗"          # a question that starts with -',
    ],
    "chat": [
        "weiquan chat                                # the terminal app",
        "weiquan chat --plain                        # line by line; type 'English' or '中文' to switch",
        "weiquan chat --json --today 2026-11-21 < lines.txt   # one JSON object per reply",
    ],
    "case": [
        "weiquan case new --scenario seven_day_return --fact received_date=2026-11-16",
        "weiquan case due --within 7",
        "weiquan case show ID",
    ],
    "case new": [
        "weiquan case new --scenario seven_day_return --fact received_date=2026-11-16",
        'weiquan case new --scenario fake_goods --fact price=299 --title "假耳机" --json',
    ],
    "case list": ["weiquan case list", "weiquan case list --json"],
    "case show": [
        "weiquan case show ID                         # formatted for the terminal",
        "weiquan case show ID --markdown > case.md    # the Markdown itself",
        "weiquan case show ID --json",
    ],
    "case update": [
        'weiquan case update ID --event "卖家拒绝了" --date 2026-11-20',
        "weiquan case update ID --fact price=299",
        "weiquan case update ID --have 1 --have 3      # evidence items in hand (numbers from case show)",
    ],
    "case due": ["weiquan case due", "weiquan case due --within 7 --json"],
    "case export": [
        "weiquan case export ID --lang zh --out case.md",
        "weiquan case export ID --lang en | less",
    ],
    "case close": ["weiquan case close ID"],
    "case stage": ["weiquan case stage ID platform_intervention    # the case moves on to asking the platform to step in"],
    "case delete": ["weiquan case delete ID --yes"],
    "case purge": ["weiquan case purge --yes                     # delete every case"],
    "serve": ["weiquan serve", "weiquan serve --port 8080"],
    "kb": [
        "weiquan kb init ~/my-kb",
        "weiquan kb new price_protection --kb ~/my-kb",
        "weiquan kb lint --kb ~/my-kb",
    ],
    "kb init": ["weiquan kb init ~/my-kb                     # then: weiquan kb new ID --kb ~/my-kb"],
    "kb new": [
        "weiquan kb new price_protection --kb ~/my-kb --role buyer",
    ],
    "kb lint": ["weiquan kb lint", "weiquan kb lint --kb ~/my-kb --json"],
    "kb list": ["weiquan kb list", "weiquan kb list --kb ~/my-kb --lang en"],
    "kb show": ["weiquan kb show seven_day_return", "weiquan kb show price_protection --kb ~/my-kb --lang en"],
    "kb stats": ["weiquan kb stats", "weiquan kb stats --json"],
    "kb eval": [
        "weiquan kb eval data/eval/dev.jsonl",
        "weiquan kb eval ~/my-kb/eval/price_protection.jsonl --kb ~/my-kb --min-accuracy 90",
    ],
    "kb schema": ["weiquan kb schema > data/scenario.schema.json"],
    "completion": [
        'eval "$(weiquan completion bash)"             # in ~/.bashrc',
        'eval "$(weiquan completion zsh)"              # in ~/.zshrc',
        "weiquan completion fish | source             # in ~/.config/fish/config.fish",
    ],
}


def epilog(command: str) -> str | None:
    lines = EXAMPLES.get(command)
    if not lines:
        return None
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)
