"""`weiquan ask --json -` answers every line: hostile lines are read as far as they can be, a line that cannot be
answered at all gets an error object, and the batch always goes on to the end."""
import io
import json
import sys

from conftest import run_cli

HOSTILE = [
    "淘宝 9999999999天前签收",
    "花了" + "9" * 400 + "元",
    "price " + "9" * 5000,
    "花了2.5万，两万，3千，1.2w，paid 1.5k，一万二千元",
    "1,2,3",
    "nan inf -inf 1e999",
    "",
    "上上上上上上周五" * 500,
    "吊牌" * 3000,
    "不是" * 3000 + "食品",
    "\x00\x1b[31m红\u202e\u200b",
    "   ",
    "-x --fact price=1",
    "9999999999 days ago",
    "第99999999999天",
    "11.16" * 2000,
]


def _lines(result) -> list[dict]:
    assert result.returncode == 0, result.stderr.decode()
    return [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]


def test_every_hostile_line_gets_one_valid_json_answer():
    stdin = "\n".join(HOSTILE).encode("utf-8") + b"\n\xff\xfe\xfa broken utf-8\n"
    replies = _lines(run_cli("ask", "--json", "--today", "2026-11-21", "-", stdin=stdin))
    assert len(replies) == len(HOSTILE) + 1
    assert not [r for r in replies if str(r.get("error", "")).startswith("internal error")]
    for reply in replies:
        price = reply["facts"].get("price")
        assert price is None or 0 < price["value"] <= 100_000_000
    huge = replies[0]
    assert huge["facts"].get("platform", {}).get("value") == "taobao" and "received_date" not in huge["facts"]
    assert "price" not in replies[1]["facts"]


def test_a_line_that_fails_inside_gets_an_error_object_and_the_batch_goes_on(monkeypatch, capsys):
    from assistant import cli
    from assistant.dialogue import Conversation

    real_send = Conversation.send

    def send(self, text):
        if "boom" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real_send(self, text)

    monkeypatch.setattr(Conversation, "send", send)
    lines = ["淘宝买的东西没收到", "boom", "my parcel never arrived"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("\n".join(lines).encode("utf-8"))))
    assert cli.main(["ask", "--json", "--today", "2026-11-21", "-"]) == 0
    out, err = capsys.readouterr()
    replies = [json.loads(line) for line in out.splitlines()]
    assert len(replies) == 3
    assert replies[0]["scenario"] == "not_received" and replies[2]["scenario"] == "not_received"
    assert replies[1]["error"].startswith("internal error: RecursionError") and replies[1]["query"] == "boom"
    assert set(replies[0]) <= set(replies[1]) | {"answer"}  # the same keys as any answer
    assert err.count("\n") == 1 and "RecursionError" in err
