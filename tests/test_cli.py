"""The command line as a person (or a script) uses it: real processes, real exit codes."""
import json
import os
import re

import pytest

from conftest import FIXTURE_KB, ROOT, run_cli

GOLDEN = ROOT / "tests" / "golden"
CONTRACT_KEYS = {"query", "scenario", "score", "candidates", "lang", "answer", "facts", "missing_facts", "verdict"}


def ask_json(*args: str) -> dict:
    result = run_cli("ask", "--json", *args)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "name, args",
    [
        ("in_scope_zh", ["包裹丢了一直没收到"]),  # in scope on the fixture base (its golden once pinned a rejection)
        ("in_scope_en", ["my parcel was lost"]),
        ("out_of_scope", ["how to open a shop"]),
        ("flags", ["--scenario", "want_return", "--fact", "received_date=2026-11-16", "--lang", "en", "--today", "2026-11-21", ""]),
    ],
)
def test_json_matches_golden_file(name, args):
    """The JSON contract, pinned on a small fixture knowledge base. Regenerate with UPDATE_GOLDEN=1."""
    data = ask_json("--kb", str(FIXTURE_KB), *args)
    path = GOLDEN / f"ask_{name}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert data == json.loads(path.read_text(encoding="utf-8"))
    assert CONTRACT_KEYS <= set(data)


def test_contract_on_the_shipped_knowledge_base():
    data = ask_json("天猫买的东西显示签收了但我没收到", "--fact", "platform=tmall")
    assert CONTRACT_KEYS <= set(data)
    assert data["scenario"] == "not_received" and data["lang"] == "zh"
    assert 0 <= data["score"] <= 1
    assert data["candidates"][0] == {"id": "not_received", "score": data["score"]}
    assert set(data["answer"]) >= {"title", "summary", "steps", "evidence", "sources"}
    assert data["facts"] == {"platform": {"value": "tmall", "source": "flag"}, "role": {"value": "buyer", "source": "question"}}
    assert data["missing_facts"][0] == "order_status" and "platform" not in data["missing_facts"]
    assert data["asking"] == "order_status" and data["verdict"] is None


def test_reply_language_follows_the_question_unless_fixed():
    assert ask_json("my parcel never arrived")["lang"] == "en"
    assert ask_json("my parcel never arrived", "--lang", "zh")["answer"]["title"] == "付了款却没收到货"


def test_batch_mode_writes_one_line_per_input_line_in_order():
    lines = [
        "不喜欢了能退吗".encode(),
        b"",
        "假货怎么办".encode("gbk"),
        b"\xff\xfe\xfd",
        "{{7*7}} ${jndi:ldap://x} '; DROP TABLE cases;--".encode(),
        "\x01\x02 😀 今天天气怎么样".encode(),
        "no newline at the end".encode(),
    ]
    result = run_cli("ask", "--json", "-", stdin=b"\n".join(lines))
    assert result.returncode == 0, result.stderr.decode()
    out = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert len(out) == len(lines)
    assert out[0]["scenario"] == "seven_day_return"
    assert out[1]["query"] == "" and out[1]["scenario"] is None and out[1]["error"] == "empty question"
    assert out[2]["query"] == "假货怎么办" and out[2]["scenario"] == "fake_goods"
    assert out[4]["scenario"] is None and out[5]["scenario"] is None
    assert out[6]["query"] == "no newline at the end"
    assert result.stderr == b""


def test_batch_mode_handles_a_hundred_thousand_characters():
    result = run_cli("ask", "--json", "-", stdin=("假货" * 50_000).encode())
    assert result.returncode == 0
    assert len(json.loads(result.stdout)["query"]) == 100_000


COLOR_CODE = re.compile(r"\x1b\[[0-9;]*(?:3[0-8]|9[0-7])[;m]")


def test_human_output_honours_no_color():
    forced = {"TERM": "xterm-256color", "FORCE_COLOR": "1"}
    coloured = run_cli("ask", "不喜欢了能退吗", env=forced).stdout.decode()
    plain = run_cli("ask", "不喜欢了能退吗", env={**forced, "NO_COLOR": "1"}).stdout.decode()
    assert COLOR_CODE.search(coloured)
    assert "七天无理由退货" in plain and not COLOR_CODE.search(plain)


def test_piped_human_output_has_no_escape_codes():
    text = run_cli("ask", "不喜欢了能退吗").stdout.decode()
    assert "七天无理由退货" in text and "\x1b[" not in text


def test_out_of_scope_says_what_is_covered():
    result = run_cli("ask", "优惠券怎么用")
    assert result.returncode == 0
    text = result.stdout.decode()
    assert "不在我能处理的范围" in text and "收到假货" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["ask", ""], "question is empty"),
        (["ask", "x", "--fact", "price=abc"], "price: 'abc' is not a number"),
        (["ask", "x", "--fact", "platform=ebay"], "platform: 'ebay' is not one of"),
        (["ask", "x", "--fact", "platfrom=taobao"], "did you mean 'platform'"),
        (["ask", "x", "--fact", "received_date=2026-13-45"], "not a valid date"),
        (["ask", "x", "--fact", "price"], "expected NAME=VALUE"),
        (["ask", "x", "--today", "yesterday"], "--today"),
        (["ask", "x", "--scenario", "seven_day"], "did you mean 'seven_day_return'"),
        (["ask", "x", "--lang", "fr"], "invalid choice"),
        (["ask", "x", "--kb", "/no/such/folder"], "not a directory"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert result.stdout == b""


def test_weird_arguments_never_crash():
    for question in ["\x07\x1b[31m", "😀" * 1000, "a\udcffb", "假货" * 20_000, "${{7*7}}", "' OR 1=1 --"]:
        result = run_cli("ask", "--json", question)
        assert result.returncode in (0, 2), result.stderr
        assert b"Traceback" not in result.stderr
        if result.returncode == 0:
            json.loads(result.stdout)


def test_broken_knowledge_base_exits_3_naming_file_and_line(tmp_path):
    import shutil

    kb = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, kb)
    path = kb / "scenarios" / "want_return.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("role: buyer", "role: buyer\nrol: seller"), encoding="utf-8")
    result = run_cli("ask", "--kb", str(kb), "x")
    assert result.returncode == 3
    err = result.stderr.decode()
    assert "scenarios/want_return.yaml:3: unknown field 'rol' (did you mean 'role'?)" in err
    assert "Traceback" not in err


def test_version_and_help():
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.decode().startswith("weiquan ")
    helped = run_cli("ask", "--help")
    assert helped.returncode == 0 and b"--scenario" in helped.stdout


def test_kb_eval_prints_accuracy():
    result = run_cli("kb", "eval", "data/eval/dev.jsonl")
    assert result.returncode == 0
    text = result.stdout.decode()
    assert "top-1 accuracy (in scope)" in text and "out-of-scope rejection" in text and "most confused" in text


def test_kb_eval_rejects_a_bad_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"q": "x", "expected": "no_such_scenario"}\n', encoding="utf-8")
    result = run_cli("kb", "eval", str(bad))
    assert result.returncode == 2
    assert f"{bad}:1: unknown scenario 'no_such_scenario'" in result.stderr.decode()


def test_nothing_is_written_outside_weiquan_home(tmp_path):
    home = tmp_path / "home"
    result = run_cli("ask", "--json", "不喜欢了能退吗", env={"WEIQUAN_HOME": str(home), "TMPDIR": str(tmp_path / "tmp")})
    assert result.returncode == 0
    assert list(home.glob("cache/engine-*.bin"))
    assert not (tmp_path / "tmp").exists()


def test_ask_gives_a_verdict_for_every_scenario():
    """One case per scenario from its own tests, through the real command line."""
    from knowledge_base.loader import load

    kb = load(ROOT / "data")
    for sid, scenario in kb.scenarios.items():
        case = next(t for t in scenario.tests if t.expect.status is not None)
        flags = [f"--fact={name}={str(value).lower() if isinstance(value, bool) else value}" for name, value in case.facts.items()]
        data = ask_json("--scenario", sid, "--today", case.today.isoformat(), *flags, "")
        assert data["scenario"] == sid
        assert data["verdict"] is not None, (sid, data["missing_facts"])
        assert data["verdict"]["status"] == case.expect.status, sid
        verdict_keys = {"status", "route", "deadline", "deadline_count", "deadline_estimated", "opens", "compensation",
                        "evidence", "next_action", "escalation"}
        assert verdict_keys <= set(data["verdict"]), sid


def test_verdict_json_for_a_seven_day_return():
    data = ask_json("不喜欢了能退吗，11月14号签收的，淘宝", "--today", "2026-11-21")
    verdict = data["verdict"]
    assert data["facts"]["received_date"] == {"value": "2026-11-14", "source": "question"}
    assert verdict["status"] == "eligible" and verdict["deadline"] == "2026-11-23"
    assert verdict["deadline_count"] == "calendar" and verdict["deadline_estimated"] is False
    assert [d["date"] for d in verdict["deadlines"]] == ["2026-11-23", "2026-11-21"]
    assert data["missing_facts"] == ["purchase_purpose", "item_excluded", "resale_affected"]  # assumed, so the verdict says "if"


def test_compensation_lists_every_basis_and_takes_the_largest():
    data = ask_json("--scenario", "fake_goods", "--today", "2026-11-21", "--fact", "platform=tmall",
                    "--fact", "price=299", "--fact", "received_date=2026-11-10", "")
    verdict = data["verdict"]
    assert verdict["compensation"]["amount"] == 1196 and verdict["compensation"]["currency"] == "CNY"
    assert verdict["compensation"]["basis"] == "tmall_fake_four_times"
    assert {(b["basis"], b["amount"]) for b in verdict["compensation_bases"]} == {("tmall_fake_four_times", 1196), ("cpl_fraud", 897)}


def test_future_date_flag_is_refused():
    result = run_cli("ask", "x", "--scenario", "seven_day_return", "--today", "2026-11-21", "--fact", "received_date=2026-12-01")
    assert result.returncode == 2
    assert "after today" in result.stderr.decode()


def test_the_known_facts_shown_are_the_ones_the_scenario_uses():
    """"Shoes" tells the reader the product is not food: a fact for a buyer's fake-goods claim (tenfold damages
    for food), nothing to a seller accused of fakes. Its answer shows platform and role, not "Food: no"; the
    buyer's own claim still shows it."""
    seller = run_cli("ask", "I'm a Taobao seller and a buyer claims the shoes I sold are fake")
    out = seller.stdout.decode()
    assert seller.returncode == 0 and "Platform: Taobao" in out and "Role: Seller" in out, out
    assert "Food" not in out
    buyer = run_cli("ask", "I bought shoes on Taobao and they are fake")
    assert "Food: no" in buyer.stdout.decode()


def test_a_one_shot_answer_that_ends_on_a_question_says_where_to_answer_it():
    asked = run_cli("ask", "my parcel never arrived").stdout.decode()
    assert "continue in `weiquan chat`" in asked
    done = run_cli("ask", "--scenario", "want_return", "--kb", str(FIXTURE_KB), "--fact", "received_date=2026-11-16",
                   "--lang", "en", "--today", "2026-11-21", "").stdout.decode()
    assert "weiquan chat" not in done  # a verdict: nothing left to answer
    batch = run_cli("ask", "-", stdin="my parcel never arrived\n".encode()).stdout.decode()
    assert "weiquan chat" not in batch


def test_a_platforms_own_rules_and_the_food_law_are_shown_only_where_they_apply():
    def titles(question, *args):
        answer = ask_json(question, *args)["answer"]
        return [s["title"] for s in answer["sources"]], answer["steps"]

    sources, steps = titles("拼多多买的充电宝鼓包了，商家不给退")
    assert not any("淘宝" in s or "食品" in s for s in sources) and not any("检测费" in s for s in steps)
    sources, steps = titles("淘宝买的充电宝鼓包了，商家不给退")
    assert any("淘宝平台争议处理规则" in s for s in sources) and any("检测费" in s for s in steps)
    assert not any("食品安全法" in s for s in sources)
    sources, steps = titles("淘宝买的零食过期了，商家不给退")
    assert any("食品安全法" in s for s in sources) and not any("三包" in s or "耐用商品" in s for s in steps)
    sources, steps = titles("京东买的包是假的", "--scenario", "fake_goods")
    assert not any("天猫" in s or "淘宝" in s for s in sources + steps)
    sources, steps = titles("天猫买的包是假的", "--scenario", "fake_goods")
    assert any("假一赔四" in s for s in sources) and any("假一赔四" in s for s in steps)


def test_a_private_seller_on_xianyu_is_answered_under_the_sales_contract():
    data = ask_json("闲鱼上买的二手相机，卖家是个人，收到发现镜头有霉斑，11月18号收到的", "--scenario", "quality_problem",
                    "--today", "2026-11-20")
    assert data["facts"]["seller_is_business"]["value"] is False and data["verdict"]["status"] == "eligible"
    assert "买卖合同" in data["verdict"]["next_action"] and any("第3条" in s["title"] for s in data["answer"]["sources"])
    asked = ask_json("闲鱼上买的二手相机，镜头有霉斑，11月18号收到的", "--scenario", "seven_day_return", "--today", "2026-11-20")
    assert asked["asking"] == "seller_is_business" and asked["verdict"] is None
    shop = ask_json("淘宝买的相机不想要了，11月18号收到的", "--scenario", "seven_day_return", "--today", "2026-11-20")
    assert shop["verdict"]["status"] == "eligible" and not any("第3条" in s["title"] for s in shop["answer"]["sources"])
