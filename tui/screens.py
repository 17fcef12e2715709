"""Screens beside the chat: scenario browser, help, correcting a fact, saving the answer."""
from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, Markdown, OptionList
from textual.widgets.option_list import Option

HELP_ZH = """\
# 帮助 / Help

| 按键 Key | 作用 What it does |
|---|---|
| Enter | 发送 / send |
| Tab / Shift+Tab | 在输入框、建议按钮、已知信息之间切换 / move between prompt, suggestions and facts |
| Ctrl+B | 浏览全部情形 / browse all scenarios |
| Ctrl+L | 中文 ⇄ English |
| Ctrl+N | 新的对话 / new conversation |
| Ctrl+S | 把答复保存为 Markdown / save the answer as Markdown |
| F2 | 把当前对话存为案件 / keep this conversation as a case |
| F3 / Ctrl+O | 案件列表（倒计时）/ cases with countdowns |
| Ctrl+R | 重新载入知识库 / reload the knowledge base |
| F1 | 帮助 / this help |
| Escape | 关闭当前页面 / close this screen |
| Ctrl+Q | 退出 / quit |

## 可以这样问

- 淘宝买的东西显示签收了，但我没收到
- 不喜欢了能退吗？11月14号签收的
- 天猫买到假货，花了299，能赔多少
- 我是卖家，被投诉卖假货了，昨天收到的通知

## You can ask

- My Taobao parcel never arrived
- Can I return this jacket? I got it on Nov 16
- The seller hasn't shipped for five days (Tmall, paid 1,299)
- As a seller, a buyer returned an empty box

回答问题时可以选按钮、输入编号、日期（2026-11-16、11月16号、昨天、3天前），也可以回答“不确定”。
Answers can be a button, a number, a date (2026-11-16, Nov 16, yesterday, 3 days ago) or "not sure".
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Markdown(HELP_ZH)
        yield Footer()


class BrowserScreen(Screen[str | None]):
    """All scenarios, filterable; Enter starts that scenario's interview."""

    BINDINGS = [Binding("escape", "dismiss_none", "Back")]

    def __init__(self, kb, lang: str) -> None:
        super().__init__()
        self.kb, self.lang = kb, lang

    def compose(self) -> ComposeResult:
        placeholder = "筛选情形（中文或英文）" if self.lang == "zh" else "Filter scenarios (Chinese or English)"
        yield Input(placeholder=placeholder, id="filter")
        yield OptionList(id="scenarios")
        yield Footer()

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _fill(self, needle: str) -> None:
        needle = needle.strip().lower()
        options = self.query_one("#scenarios", OptionList)
        options.clear_options()
        ranked = []
        for sid, scenario in self.kb.scenarios.items():
            title = " ".join([sid, scenario.title.zh, scenario.title.en]).lower()
            summary = " ".join([scenario.summary.zh, scenario.summary.en]).lower()
            if needle in title or needle in summary:
                ranked.append((needle not in title, sid, scenario))  # title matches first
        for _, sid, scenario in sorted(ranked, key=lambda r: r[0]):
            options.add_option(Option(f"{scenario.title.get(self.lang)}  ({sid})", id=sid))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _open_highlighted(self) -> None:
        options = self.query_one("#scenarios", OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#scenarios")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class AskTextScreen(ModalScreen[str | None]):
    """One line of input: correcting a fact, or where to save. Escape cancels, nothing changes."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str, value: str = "") -> None:
        super().__init__()
        self.prompt, self.value = prompt, value

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-text"):
            yield Label(self.prompt, markup=False)
            yield Input(value=self.value, id="ask-input")

    def on_mount(self) -> None:
        self.query_one("#ask-input", Input).focus()

    @on(Input.Submitted, "#ask-input")
    def _done(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


def default_answer_path(lang: str) -> Path:
    import datetime as dt

    from knowledge_base.locations import user_home

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return user_home() / "answers" / f"weiquan-{stamp}.md"


class CasesScreen(Screen[str | None]):
    """The cases kept, soonest deadline first, with how many days are left; Enter continues one."""

    BINDINGS = [Binding("escape", "dismiss_none", "Back")]

    def __init__(self, kb, today, lang: str) -> None:
        from assistant.cases import CaseStore
        from assistant.casefile import evaluate_case

        super().__init__()
        self.lang = lang
        rows = []
        for case in CaseStore().list():  # raises StoreError for a file that is not ours: the app says so
            verdict = evaluate_case(kb, case, today).verdict if case.scenario in kb.scenarios else None
            deadline = verdict.deadline if verdict else None
            rows.append((case, verdict, deadline))
        far = today.replace(year=today.year + 100)
        rows.sort(key=lambda r: (r[0].status != "open", r[2].date if r[2] else far))
        self.rows, self.today = rows, today

    def compose(self) -> ComposeResult:
        title = "案件（Enter 继续，Esc 返回）" if self.lang == "zh" else "Cases (Enter continues one, Esc goes back)"
        yield Label(title, id="cases-title")
        from rich.text import Text

        # a title is the user's text: shown as plain text, never read as markup
        yield OptionList(*[Option(Text(self._line(*row)), id=row[0].id) for row in self.rows], id="cases")
        yield Footer()

    def _line(self, case, verdict, deadline) -> str:
        zh = self.lang == "zh"
        if deadline is not None:
            days = (deadline.date - self.today).days
            when = (f"还剩 {days} 天" if zh else f"{days} days left") if days >= 0 else (f"已过 {-days} 天" if zh else f"{-days} days ago")
            countdown = f"{deadline.date.isoformat()} · {when}"
        else:
            countdown = "—"
        status = verdict.status if verdict else "…"
        from assistant.safe_text import one_line

        return f"{one_line(case.title)}  [{case.status} · {status}]  {countdown}  ({case.id})"

    def on_mount(self) -> None:
        self.query_one("#cases", OptionList).focus()

    @on(OptionList.OptionSelected, "#cases")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
