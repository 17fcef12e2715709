"""The shipped knowledge base: complete, bilingual, and faithful to the research brief."""
import re

import pytest

CATALOGUE = {
    "not_received", "fake_goods", "quality_problem", "not_as_described", "broken_promise", "late_shipment",
    "seven_day_return", "after_sale_expired", "platform_intervention", "ruling_appeal", "external_channels",
    "seller_counterfeit_accusation", "seller_return_fraud", "seller_refund_handling", "ip_complaint",
}


def all_text(scenario) -> str:
    return str(dict(scenario))


def test_exactly_the_catalogue(engine):
    assert set(engine.kb.scenarios) == CATALOGUE


@pytest.mark.parametrize("sid", sorted(CATALOGUE))
def test_each_scenario_is_complete_in_both_languages(engine, sid):
    scenario = engine.kb.scenarios[sid]
    for lang in ("zh", "en"):
        assert len(scenario.examples[lang]) >= 30
        assert len(set(scenario.examples[lang])) == len(scenario.examples[lang])
        assert scenario.keywords[lang]
    assert len(scenario.steps) >= 3 and len(scenario.evidence) >= 3 and len(scenario.escalation) >= 3
    assert scenario.sources and all(s.confidence in {"P", "P*", "S", "SEED", "C"} for s in scenario.sources)
    assert scenario.questions


def test_no_contacts_from_the_seeds(engine):
    text = "".join(all_text(s) for s in engine.kb.scenarios.values())
    assert not re.search(r"0571|2828|2818|msc496|微信号|处理团队", text)
    assert not re.search(r"(?<![\d/])1[3-9]\d{9}(?!\d)", text)  # mobile numbers


def test_repealed_samr_mediation_limit_is_not_used(engine):
    text = "".join(all_text(s) for s in engine.kb.scenarios.values())
    assert "45个工作日" not in text and "45 working days" not in text
    external = all_text(engine.kb.scenarios["external_channels"])
    assert "60日" in external and "2026-04-15" in external and "7个工作日" in external


def test_statutory_numbers_agree_with_the_brief(engine):
    fake = engine.kb.scenarios["fake_goods"].summary
    assert "3倍" in fake.zh and "500元" in fake.zh and "10倍" in fake.zh and "1000元" in fake.zh
    assert "3×" in fake.en and "500 yuan" in fake.en and "1,000 yuan" in fake.en
    seven = engine.kb.scenarios["seven_day_return"]
    assert "7天" in seven.summary.zh and "168小时" in all_text(seven)
    late = engine.kb.scenarios["late_shipment"]
    assert "48小时" in late.summary.zh and "30%" in late.summary.zh and "500元" in late.summary.zh
    assert any(s.confidence == "SEED" and "30%" in s.title.zh for s in late.sources)


def test_seed_errors_are_not_repeated(engine):
    ip = all_text(engine.kb.scenarios["ip_complaint"])
    assert "首次成立4分" in ip
    seven = all_text(engine.kb.scenarios["seven_day_return"])
    assert "商家承担来回邮费" not in seven
    ruling = all_text(engine.kb.scenarios["ruling_appeal"])
    assert "没有\"申请仲裁\"按钮" in ruling
    external = all_text(engine.kb.scenarios["external_channels"])
    assert "不是法律援助" in external and "一审终审" in external


def test_schema_file_for_editors_is_current():
    import json
    from pathlib import Path

    from knowledge_base.schema import Scenario

    shipped = Path(__file__).resolve().parent.parent / "data" / "scenario.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == Scenario.model_json_schema()
