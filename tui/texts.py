"""Every word the app itself shows, in Chinese and English, and the one table of keys that the footer, the help
screen and the command palette are all made from (so a key can never be missing from one of them)."""
from __future__ import annotations

from dataclasses import dataclass

UI = {
    "zh": {
        "loading": "⏳ 正在载入知识库…", "ready": "● 就绪", "busy": "… 思考中", "failed": "✖ 知识库无法载入",
        "placeholder": "描述你的问题，按 Enter 发送（F1 帮助）", "date": "日期：2026-11-16 / 11月16号 / 昨天 / 3天前",
        "not_sure": "不确定", "evidence": "要准备什么证据", "refuses": "卖家拒绝怎么办", "next_if_fails": "不成的话下一步怎么办", "new": "重新开始",
        "yes": "是", "no": "否", "saved": "已保存到 {path}", "save_to": "保存为 Markdown 文件：",
        "edit": "更正 {label}", "reloaded": "知识库已重新载入", "nothing": "还没有可以保存的答复",
        "kept": "已存为案件 {id}（F3 查看全部案件）",
        "greeting": "你好，我是维权助手。说说遇到了什么问题：在哪个平台、买了什么、现在卡在哪一步。",
        "pick": "用 ↑↓ 选择，Enter 确定，Esc 取消", "type_date": "输入日期：2026-11-16、11月16号、昨天、3天前；Enter 确定，Esc 取消",
        "type_value": "输入新的值，Enter 确定，Esc 取消", "facts": "已知信息", "no_facts": "—",
        "tick": "空格或 Enter 勾选",
    },
    "en": {
        "loading": "⏳ Loading the knowledge base…", "ready": "● Ready", "busy": "… thinking", "failed": "✖ Knowledge base failed",
        "placeholder": "Your problem, then Enter (F1: help)", "date": "Date: 2026-11-16 / Nov 16 / yesterday / 3 days ago",
        "not_sure": "Not sure", "evidence": "What evidence do I need", "refuses": "What if the seller refuses", "next_if_fails": "What next if this fails", "new": "Start over",
        "yes": "Yes", "no": "No", "saved": "Saved to {path}", "save_to": "Save as a Markdown file:",
        "edit": "Correct {label}", "reloaded": "Knowledge base reloaded", "nothing": "There is no answer to save yet",
        "kept": "Kept as case {id} (F3 lists all cases)",
        "greeting": "Hi, I'm weiquan. Tell me what went wrong: which platform, what you bought, and where things are stuck.",
        "pick": "↑↓ to choose, Enter to confirm, Esc to cancel", "type_date": "Type a date: 2026-11-16, Nov 16, yesterday, 3 days ago; Enter to confirm, Esc to cancel",
        "type_value": "Type the new value, Enter to confirm, Esc to cancel", "facts": "Known facts", "no_facts": "—",
        "tick": "Space or Enter ticks an item",
    },
}


@dataclass(frozen=True)
class Key:
    keys: str  # Textual key names, comma-separated
    action: str
    # the footer's word ("zh-Hant" where traditional script writes it differently: written out rather than converted,
    # since converting at start-up would load OpenCC before the first paint; a test keeps the two in step)
    label: dict[str, str]
    does: dict[str, str]  # a sentence for the help screen and the command palette
    footer: bool = True


KEYS = [
    Key("ctrl+q", "quit", {"zh": "退出", "en": "Quit"}, {"zh": "退出", "en": "Quit"}),
    Key("f1", "help", {"zh": "帮助", "zh-Hant": "幫助", "en": "Help"}, {"zh": "帮助：按键和提问示例", "en": "Help: keys and example questions"}),
    Key("ctrl+b", "browse", {"zh": "情形", "en": "Browse"}, {"zh": "浏览全部情形", "en": "Browse all scenarios"}),
    Key("ctrl+l", "toggle_language", {"zh": "English", "en": "中文"}, {"zh": "切换语言：中文 ⇄ English", "en": "Switch language: English ⇄ 中文"}),
    Key("ctrl+n", "new_conversation", {"zh": "新对话", "zh-Hant": "新對話", "en": "New"}, {"zh": "开始新的对话", "en": "Start a new conversation"}),
    Key("ctrl+s", "save", {"zh": "保存", "en": "Save"}, {"zh": "把答复保存为 Markdown 文件", "en": "Save the answer as a Markdown file"}),
    Key("f2", "keep_case", {"zh": "存案", "en": "Keep"}, {"zh": "把当前对话存为案件", "en": "Keep this conversation as a case"}),
    Key("f3,ctrl+o", "cases", {"zh": "案件", "en": "Cases"}, {"zh": "案件列表和倒计时（Enter 继续某个案件）", "en": "Cases with their countdowns (Enter continues one)"}),
    Key("ctrl+p", "command_palette", {"zh": "命令", "en": "Commands"}, {"zh": "命令面板：按名字找到每个操作", "en": "Command palette: every action by name"}),
    Key("ctrl+r", "reload", {"zh": "重载", "en": "Reload"}, {"zh": "重新载入知识库", "en": "Reload the knowledge base"}, footer=False),
    Key("pageup", "scroll_transcript('page_up')", {"zh": "上翻", "en": "Page up"}, {"zh": "对话记录向上翻一页", "en": "Scroll the conversation up a page"}, footer=False),
    Key("pagedown", "scroll_transcript('page_down')", {"zh": "下翻", "en": "Page down"}, {"zh": "对话记录向下翻一页", "en": "Scroll the conversation down a page"}, footer=False),
    Key("ctrl+home", "scroll_transcript('home')", {"zh": "开头", "en": "Top"}, {"zh": "回到对话开头", "en": "Go to the start of the conversation"}, footer=False),
    Key("ctrl+end", "scroll_transcript('end')", {"zh": "最新", "en": "Latest"}, {"zh": "回到最新的答复", "en": "Go to the latest reply"}, footer=False),
]


def key_names(keys: str) -> str:
    """'f3,ctrl+o' → 'F3 / Ctrl+O', as a person reads it."""
    def one(key: str) -> str:
        parts = key.split("+")
        return "+".join(part.capitalize() if len(part) > 1 else part.upper() for part in parts).replace("Pageup", "PageUp").replace("Pagedown", "PageDown")

    return " / ".join(one(key) for key in keys.split(","))


_HELP_INTRO = {
    "zh": "# 帮助\n\n用 ↑↓、PageUp/PageDown 滚动本页，Esc 或 F1 关闭。\n\n## 按键\n\n"
          "- **Enter**：发送\n- **Tab / Shift+Tab**：在输入框、建议按钮、证据清单、已知信息之间切换\n"
          "- **空格 / Enter**：在证据清单里勾选一项（[x] 已有，[ ] 还没有）\n",
    "en": "# Help\n\nScroll this page with ↑↓ and PageUp/PageDown; Esc or F1 closes it.\n\n## Keys\n\n"
          "- **Enter**: send\n- **Tab / Shift+Tab**: move between the prompt, the suggestions, the evidence checklist and the known facts\n"
          "- **Space / Enter**: tick an evidence item ([x] in hand, [ ] not yet)\n",
}
_HELP_END = {
    "zh": """- **Esc**：关闭当前页面

## 已知信息

右边是从你的话里读出来的信息。用 Tab 走到某一项按 Enter，就能更正它（选项或日期），结论会跟着变。

## 可以这样问

- 淘宝买的东西显示签收了，但我没收到
- 不喜欢了能退吗？11月14号签收的
- 天猫买到假货，花了299，能赔多少
- 我是卖家，被投诉卖假货了，昨天收到的通知

回答问题时可以选按钮、输入编号、日期（2026-11-16、11月16号、昨天、3天前），也可以回答“不确定”。
""",
    "en": """- **Esc**: close this screen

## Known facts

The panel on the right shows what was read from your words. Tab to an item and press Enter to correct it (a
choice or a date); the verdict follows.

## You can ask

- My Taobao parcel never arrived
- Can I return this jacket? I got it on Nov 16
- The seller hasn't shipped for five days (Tmall, paid 1,299)
- As a seller, a buyer returned an empty box

Answers can be a button, a number, a date (2026-11-16, Nov 16, yesterday, 3 days ago) or "not sure".
""",
}


def help_markdown(lang: str) -> str:
    colon = "：" if lang == "zh" else ": "  # Markdown drops a plain space after bold text
    rows = "".join(f"- **{key_names(key.keys)}**{colon}{key.does[lang]}\n" for key in KEYS)
    return _HELP_INTRO[lang] + rows + _HELP_END[lang]
