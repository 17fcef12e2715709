"""The chat app. It renders what assistant.dialogue.Conversation says and decides nothing itself.

The engine loads in a thread worker while the prompt is already usable; a question typed meanwhile waits
in `pending` and is answered when the engine is ready. Every answer is computed in a thread worker too, one
at a time in the order typed, so no frame waits for matching or date arithmetic.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from typing import Iterable

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label

from assistant.replies import in_script

from .messages import EngineFailed, EngineReady, TurnFailed, TurnReady
from .texts import KEYS, UI, key_names
from .widgets import FactsPanel, Greeting, Suggestions, Transcript, UserBubble, VerdictCard, assistant_bubble

# Actions that open a screen or change the conversation: not offered while another screen is on top.
_MAIN_SCREEN_ONLY = {"help", "browse", "toggle_language", "new_conversation", "save", "keep_case", "cases", "reload"}


FOOTER_LANGUAGES = ("zh", "zh-Hant", "en")


def _bindings() -> list[Binding]:
    """The footer speaks the reply's language and script: each footer key is bound once per language (and
    traditional script), and check_action lets only the current one's binding show and run."""
    out = []
    for key in KEYS:
        if not key.footer:
            out.append(Binding(key.keys, key.action, key.label["en"], show=False))
            continue
        for lang in FOOTER_LANGUAGES:
            label = key.label.get(lang, key.label["zh"])
            out.append(Binding(key.keys, f"by_key('{lang}', '{key.action}')", label,
                               priority=key.action in ("quit", "command_palette")))
    return out


class ChatScreen(Screen):
    """The chat itself. Whenever it is back on top (a help page, a correction, a list closed), typing goes to
    the prompt again: nothing typed next is lost."""

    AUTO_FOCUS = "#prompt"

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self.app.focus_prompt)

class WeiquanApp(App[None]):
    CSS_PATH = "weiquan.tcss"
    TITLE = "weiquan 维权"
    SUB_TITLE = "after-sale disputes · 售后维权"
    BINDINGS = _bindings()
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, kb_dir: str | Path | None = None, today: dt.date | None = None, lang: str = "auto") -> None:
        super().__init__()
        self.kb_dir = kb_dir
        self.today = today or dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
        self.fixed_lang = None if lang == "auto" else lang
        from assistant.text import locale_language

        self.start_lang = self.fixed_lang or locale_language()  # the greeting's, until the person writes
        self.engine = None
        self.conversation = None
        # (text, replace the last reply, a scenario picked in the browser) waiting for the engine
        self.pending: list[tuple[str, bool, str | None]] = []
        self.busy = False
        self.last_turn = None
        self.case_id: str | None = None  # the case this conversation continues, kept up to date
        self.case_facts_seen: dict = {}  # the case's facts as this conversation last wrote or read them
    # ------------------------------------------------------------------ layout

    def get_default_screen(self) -> Screen:
        return ChatScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="chat"):
                yield Transcript(id="transcript")
                with Horizontal(id="prompt-row"):
                    yield Input(placeholder=self._ui("placeholder"), id="prompt")
                    yield Label(self._ui("loading"), id="status")
                yield Suggestions(id="suggestions")  # after the prompt: Tab goes from typing to the buttons
            yield FactsPanel(id="facts")
        yield Footer(compact=True, show_command_palette=False)  # Ctrl+P is one of the keys, in the current language

    @property
    def lang(self) -> str:
        if self.fixed_lang:
            return self.fixed_lang
        return self.conversation.lang if self.conversation else self.start_lang

    def _ui(self, key: str, **kwargs) -> str:
        return self._in_script(UI[self.lang][key].format(**kwargs))

    def _in_script(self, text: str) -> str:
        """Chinese text in the script the person writes (traditional in, traditional out)."""
        script = self.conversation.script if self.conversation is not None else "Hans"
        return in_script(text, script if self.lang == "zh" else "Hans")

    # ------------------------------------------------------------------ keys: footer, palette, focus

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "by_key":
            lang, name = parameters
            return lang == self._footer_language() and self.check_action(str(name), ())
        if action in _MAIN_SCREEN_ONLY and not isinstance(self.screen, ChatScreen):
            return False
        return True

    def _footer_language(self) -> str:
        traditional = self.lang == "zh" and self.conversation is not None and self.conversation.script == "Hant"
        return "zh-Hant" if traditional else self.lang

    async def action_by_key(self, lang: str, action: str) -> None:
        await self.run_action(action)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette lists every action with its key, so each can be found by name."""
        yield from super().get_system_commands(screen)
        for key in KEYS:
            if key.action != "command_palette" and self.check_action(key.action.split("(")[0], ()):
                action = key.action
                script = "Hant" if self._footer_language() == "zh-Hant" else "Hans"
                yield SystemCommand(f"{in_script(key.does[self.lang], script)}  ({key_names(key.keys)})",
                                    key.does["en" if self.lang == "zh" else "zh"],
                                    lambda action=action: self.run_action(action))

    def focus_prompt(self) -> None:
        if isinstance(self.screen, ChatScreen):
            self.query_one("#prompt", Input).focus()

    def action_scroll_transcript(self, where: str) -> None:
        transcript = self.query_one("#transcript", Transcript)
        for card in transcript.query(VerdictCard):
            card.follow = False  # the person is reading elsewhere now
        {"page_up": transcript.scroll_page_up, "page_down": transcript.scroll_page_down,
         "home": transcript.scroll_home, "end": transcript.scroll_end}[where](animate=False)

    def on_mount(self) -> None:
        self.query_one("#suggestions", Suggestions).display = False
        self.query_one("#prompt", Input).focus()
        self.query_one("#transcript", Transcript).mount(Greeting(self._ui("greeting")))
        self.load_engine()

    # ------------------------------------------------------------------ the engine, off the UI thread

    @work(thread=True, exclusive=True, group="engine")
    def load_engine(self) -> None:
        from assistant.engine import load_engine
        from knowledge_base.model import KnowledgeBaseError

        try:
            engine = load_engine(self.kb_dir)
            import textual.widgets._markdown  # noqa: F401  (the replies' Markdown, loaded here rather than on the UI thread)

            self.post_message(EngineReady(engine))
        except KnowledgeBaseError as exc:
            self.post_message(EngineFailed(str(exc.problems[0])))
        except Exception as exc:  # the app stays usable and says why
            self.post_message(EngineFailed(f"{type(exc).__name__}: {exc}"))

    def _new_conversation(self):
        from assistant.dialogue import Conversation

        conversation = Conversation(self.engine, today=self.today, lang=self.fixed_lang or "auto")
        conversation.lang = self.fixed_lang or self.start_lang  # it follows the person's language from the first message
        return conversation

    def on_engine_ready(self, message: EngineReady) -> None:
        reloading = self.engine is not None
        self.engine = message.engine
        self.conversation = self._new_conversation()
        self._set_status("ready")
        if reloading:
            self.notify(self._ui("reloaded"))
        self._next()

    def on_engine_failed(self, message: EngineFailed) -> None:
        self._set_status("failed")
        self.notify(message.problem, severity="error", timeout=15)

    def _set_status(self, key: str) -> None:
        self.query_one("#status", Label).update(self._ui(key))

    # ------------------------------------------------------------------ sending

    @on(Input.Submitted, "#prompt")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value
        if not text.strip():
            return
        event.input.value = ""
        self.send(text)

    def send(self, text: str, *, show: bool = True, replace_last: bool = False, scenario: str | None = None) -> None:
        if show:
            transcript = self.query_one("#transcript", Transcript)
            transcript.mount(UserBubble(text))
            transcript.scroll_end(animate=False)
        self.pending.append((text, replace_last, scenario))
        self._next()

    def _next(self) -> None:
        if self.busy or self.conversation is None or not self.pending:
            return
        text, replace_last, scenario = self.pending.pop(0)
        self.busy = True
        self._set_status("busy")
        self.answer(text, replace_last, scenario)

    @work(thread=True, group="answer")
    def answer(self, text: str, replace_last: bool, scenario: str | None = None) -> None:
        try:
            if scenario is not None:  # picked in the browser: the facts already known are kept
                turn = self.conversation.choose(scenario)
            else:
                turn = self.conversation.send(text) if text else self.conversation.start()
            if self.case_id is not None and turn.facts:
                self._sync_case_facts(turn)

            self.post_message(TurnReady(text, turn, replace_last))
        except Exception as exc:
            self.post_message(TurnFailed(text, f"{type(exc).__name__}: {exc}"))

    def on_turn_ready(self, message: TurnReady) -> None:
        self.busy = False
        self.show_turn(message.turn, replace_last=message.replace_last)
        self._set_status("ready")  # after the turn: in the reply's language
        self._next()

    def on_turn_failed(self, message: TurnFailed) -> None:
        self.busy = False
        self._set_status("ready")
        self.notify(message.problem, severity="error")
        prompt = self.query_one("#prompt", Input)
        if not prompt.value:
            prompt.value = message.text  # nothing typed is lost
        self._next()

    # ------------------------------------------------------------------ showing a turn

    def show_turn(self, turn, *, replace_last: bool = False) -> None:
        transcript = self.query_one("#transcript", Transcript)
        if replace_last:
            replies = transcript.query(".assistant, .verdict")
            if replies:
                replies.last().remove()
        widgets = []
        if turn.verdict is not None and turn.kind == "answer":
            if turn.note:
                widgets.append(assistant_bubble(turn.note, "note"))
            widgets.append(VerdictCard(self.engine.kb, turn, self.today, self.conversation.evaluator.calendar))
        else:
            widgets.append(assistant_bubble(turn.say, turn.kind))
        for card in transcript.query(VerdictCard):
            card.follow = False  # only the newest card keeps itself in view
        transcript.mount_all(widgets)
        if not isinstance(widgets[-1], VerdictCard):  # a card scrolls itself into view once laid out
            transcript.scroll_end(animate=False)
        self.last_turn = turn
        title = self.engine.kb.scenarios[turn.scenario].title.get(turn.lang) if turn.scenario else None
        self.sub_title = in_script(title, turn.script) if title else self.SUB_TITLE
        self._offer(turn)
        self.query_one("#facts", FactsPanel).show(self.engine.kb, turn.scenario, turn.facts, turn.lang, turn.script)
        self.query_one("#prompt", Input).placeholder = self._placeholder(turn)
        self.refresh_bindings()  # the footer follows the reply's language

    def _placeholder(self, turn) -> str:
        definition = self._asked_definition(turn)
        if definition is not None and definition.type == "date":
            return self._ui("date")
        return self._ui("placeholder")

    def _asked_definition(self, turn):
        if not turn.asking or turn.asking == "scenario":
            return None
        return self.engine.kb.fact(turn.asking, self.engine.kb.scenarios.get(turn.scenario or ""))

    def _offer(self, turn) -> None:
        options: list[tuple[str, str]] = []
        if turn.choices:
            options = [(c["label"], str(n)) for n, c in enumerate(turn.choices, 1)]
        definition = self._asked_definition(turn)
        if definition is not None and definition.type == "boolean":
            options = [(self._ui("yes"), self._ui("yes")), (self._ui("no"), self._ui("no"))]
        if definition is not None:
            options.append((self._ui("not_sure"), self._ui("not_sure")))
        if turn.verdict is not None and not turn.asking:
            from assistant.dialogue import speaks_as_seller  # loaded with the conversation already

            # a seller asks what comes next, not what to do when "the seller" refuses
            escalation = "next_if_fails" if speaks_as_seller(self.engine.kb, turn.scenario, turn.facts) else "refuses"
            options = [(self._ui(k), self._ui(k)) for k in ("evidence", escalation, "new")]
        self.query_one("#suggestions", Suggestions).show(options)

    @on(Suggestions.Picked)
    def _picked(self, event: Suggestions.Picked) -> None:
        self.send(event.text)
        self.focus_prompt()  # the buttons are about to be replaced: typing goes on in the prompt

    # ------------------------------------------------------------------ facts, screens, actions

    @on(FactsPanel.Edit)
    def _edit_fact(self, event: FactsPanel.Edit) -> None:
        """Correct a fact with its own choices (a list to pick from) or by typing a date or a number."""
        turn = self.last_turn
        if turn is None or event.name not in turn.facts:
            return
        scenario = self.engine.kb.scenarios.get(turn.scenario or "")
        definition = self.engine.kb.fact(event.name, scenario)
        value = str(turn.facts[event.name].as_json()["value"])
        label = definition.label.get(self.lang) if definition else event.name
        kind = definition.type if definition else "text"
        choices = None
        if kind == "enum":
            choices = [(self._in_script(choice.label.get(self.lang)), choice.value) for choice in definition.choices]
        elif kind == "boolean":
            choices = [(self._ui("yes"), "true"), (self._ui("no"), "false")]
            value = value.lower()
        hint = self._ui("pick" if choices else "type_date" if kind == "date" else "type_value")

        def corrected(new: str | None) -> None:
            if new is not None and new.strip():
                self.send(f"{event.name}={new.strip()}")

        from .screens import CorrectFactScreen

        self.push_screen(CorrectFactScreen(self._ui("edit", label=label), hint, choices=choices, value=value), corrected)

    def action_help(self) -> None:
        from .screens import HelpScreen

        self.push_screen(HelpScreen(self.lang))

    def action_browse(self) -> None:
        if self.engine is None:
            return

        from .screens import BrowserScreen

        def chosen(scenario_id: str | None) -> None:
            if scenario_id:
                self.send("", show=False, scenario=scenario_id)

        self.push_screen(BrowserScreen(self.engine.kb, self.lang), chosen)

    def action_toggle_language(self) -> None:
        if self.conversation is None:
            return
        self.fixed_lang = "en" if self.lang == "zh" else "zh"
        self.refresh_bindings()
        self.query_one("#prompt", Input).placeholder = self._ui("placeholder")
        self.send("English" if self.fixed_lang == "en" else "中文", show=False, replace_last=self.last_turn is not None)

    def action_new_conversation(self) -> None:
        if self.conversation is None:
            return
        self.conversation = self._new_conversation()
        self.last_turn = None
        self.case_id = None
        self.case_facts_seen = {}
        transcript = self.query_one("#transcript", Transcript)
        transcript.remove_children()
        transcript.mount(Greeting(self._ui("greeting")))
        self.query_one("#suggestions", Suggestions).show([])
        self.query_one("#facts", FactsPanel).show(self.engine.kb, None, {}, self.lang)
        self.sub_title = self.SUB_TITLE
        self.query_one("#prompt", Input).focus()

    def action_save(self) -> None:
        turn = self.last_turn
        if turn is None or turn.scenario is None:
            self.notify(self._ui("nothing"), severity="warning")
            return

        def save(path: str | None) -> None:
            if not path:
                return
            from assistant.render import answer_markdown

            cards = self.query(VerdictCard)
            ticked = cards.last().ticked if cards else set()
            from assistant.private_files import make_private_folder, write_private_file

            target = Path(path).expanduser()
            try:  # the answer holds the person's facts: 0600, in folders only they can open when weiquan makes them
                make_private_folder(target.parent)
                write_private_file(target, answer_markdown(self.engine.kb, turn, self.today, self.conversation.evaluator.calendar, ticked))
            except OSError as exc:
                self.notify(f"{target}: {exc.strerror}", severity="error")
                return
            self.notify(self._ui("saved", path=target))

        from .screens import AskTextScreen, default_answer_path

        self.push_screen(AskTextScreen(self._ui("save_to"), str(default_answer_path(self.lang))), save)

    # ------------------------------------------------------------------ cases

    def _cases_allowed(self) -> bool:
        """`weiquan serve` without --with-cases: the person at the browser may not be the owner of the cases."""
        if os.environ.get("WEIQUAN_NO_CASES") == "1":
            self.notify("cases are not available here (weiquan serve --with-cases)", severity="warning")
            return False
        return True

    def action_keep_case(self) -> None:
        if not self._cases_allowed():
            return
        turn = self.last_turn
        if turn is None or turn.scenario is None:
            self.notify(self._ui("nothing"), severity="warning")
            return
        cards = self.query(VerdictCard)
        self.keep_case(turn, cards.last().ticked if cards else set())  # the evidence ticked on the card is kept too

    def _sync_case_facts(self, turn) -> None:
        """Write to the open case only the facts this conversation changed since it last wrote or read them,
        and none that someone else (`case update`) changed meanwhile: a stale turn never reverts a correction."""
        from assistant.cases import CaseStore

        seen = self.case_facts_seen
        changed = {n: (f.value, f.source) for n, f in turn.facts.items() if n not in seen or seen[n] != f.value}
        if changed:
            CaseStore().update(self.case_id, facts=changed, only_if_unchanged={n: seen.get(n) for n in changed})
        self.case_facts_seen = {**seen, **{n: value for n, (value, _) in changed.items()}}

    @work(thread=True, group="cases")
    def keep_case(self, turn, ticked: set[int] | None = None) -> None:
        from assistant.cases import CaseStore, StoreError

        scenario = self.engine.kb.scenarios[turn.scenario]
        shown = (turn.verdict.outcome.evidence if turn.verdict else None) or scenario.evidence  # the card's checklist
        items = [(item.zh, item.en) for item in shown]
        try:
            store = CaseStore()
            if self.case_id is None:
                facts = {n: (f.value, f.source) for n, f in turn.facts.items()}
                self.case_id = store.create(turn.scenario, scenario.title.get(turn.lang), turn.lang, facts, self.today, items, ticked or set())
                self.case_facts_seen = {n: value for n, (value, _) in facts.items()}
            else:
                self._sync_case_facts(turn)
                case = store.get(self.case_id)
                positions = {item.zh: n for n, item in enumerate(case.checklist)}
                missing = [pair for pair in items if pair[0] not in positions]
                positions.update({zh: len(case.checklist) + n for n, (zh, _) in enumerate(missing)})
                tick = {positions[items[n][0]]: True for n in (ticked or set()) if n < len(items)}
                store.update(self.case_id, add_items=missing, tick=tick)
        except StoreError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.call_from_thread(self.notify, self._ui("kept", id=self.case_id))

    def action_cases(self) -> None:
        if self.engine is None or not self._cases_allowed():
            return
        from .screens import CasesScreen

        def opened(case_id: str | None) -> None:
            if case_id:
                self.open_case(case_id)

        try:
            screen = CasesScreen(self.engine.kb, self.today, self.lang)
        except Exception as exc:  # a store that is not ours: say so, change nothing
            self.notify(str(exc), severity="error")
            return
        self.push_screen(screen, opened)

    def open_case(self, case_id: str) -> None:
        from assistant.cases import CaseStore, StoreError
        from assistant.casefile import typed_facts
        from assistant.dialogue import Conversation
        from assistant.facts import Fact

        try:
            case = CaseStore().get(case_id)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        facts = {name: Fact(name, value, case.facts[name][1]) for name, value in typed_facts(self.engine.kb, case).items()}
        self.conversation = Conversation(self.engine, today=self.today, lang=self.fixed_lang or case.lang, facts=facts, scenario=case.scenario)
        self.case_id = case_id
        self.case_facts_seen = {name: fact.value for name, fact in facts.items()}
        self.send("", show=False)

    def action_reload(self) -> None:
        self._set_status("loading")
        self.load_engine()
