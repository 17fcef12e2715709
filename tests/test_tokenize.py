import re

import pytest

from assistant.text import HAN, normalise
from assistant.tokenize import stem
from conftest import ROOT


@pytest.fixture(scope="module")
def tokenizer(engine):
    return engine.matcher.tokenizer


@pytest.mark.parametrize("term", ["七天无理由", "小二介入", "假一赔三", "仅退款", "退货退款", "大众评审"])
def test_domain_terms_stay_whole(tokenizer, term):
    assert term in tokenizer.words(normalise(f"我想问一下{term}的问题"))


def test_synonyms_fold_across_languages(tokenizer):
    zh = tokenizer.tokens(normalise("买到高仿了"))
    en = tokenizer.tokens(normalise("I got a counterfeit"))
    assert "假货" in zh and "假货" in en


def test_multi_word_english_synonyms(tokenizer):
    assert "没收到" in tokenizer.tokens(normalise("my parcel never arrived"))
    assert "七天无理由" in tokenizer.tokens(normalise("a seven-day no questions asked return"))


def test_stop_words_are_dropped(tokenizer):
    tokens = tokenizer.tokens(normalise("我的东西怎么办啊 what is the problem"))
    assert not {"我的", "怎么办", "啊", "what", "is", "the"} & set(tokens)


def test_typographic_apostrophes_read_as_plain_ones(tokenizer):
    assert tokenizer.tokens(normalise("I didn’t receive it")) == tokenizer.tokens(normalise("I didn't receive it"))


def test_light_stemming():
    assert stem("parcels") == stem("parcel") == "parcel"
    assert stem("shipped") == stem("shipping") == "ship"
    assert stem("refunds") == "refund"
    assert stem("glass") == "glass"


def test_compact_dictionary_is_small(engine):
    assert len(engine.matcher.index.vocabulary.freq) < 60_000  # jieba's own prefix dictionary: ~580,000


def test_segmentation_matches_jiebas_full_dictionary_on_knowledge_base_text(engine, tmp_path):
    """The compact dictionary must cut the knowledge base exactly as jieba's full one (plus our words) does."""
    from assistant.tokenize import DOMAIN_FREQ, import_jieba

    full = import_jieba().Tokenizer()
    full.tmp_dir = str(tmp_path)
    for word, freq in engine.matcher.index.vocabulary.freq.items():
        if freq == DOMAIN_FREQ:
            full.add_word(word, freq)
    compact = engine.matcher.tokenizer
    runs = 0
    for scenario in engine.kb.scenarios.values():
        for example in scenario.examples.zh[:8]:
            for run in re.findall(f"[{HAN}0-9]*[{HAN}][{HAN}0-9]*", normalise(example)):
                assert compact.words(run) == list(full.cut(run, HMM=False)), run
                runs += 1
    assert runs > 100


def test_jiebas_hmm_tables_load_only_when_used():
    """A question is cut without jieba's HMM, so its tables are not loaded (half of jieba's import); anything
    that does use the HMM still gets it."""
    import subprocess
    import sys

    code = (
        "import sys; from assistant.tokenize import import_jieba; jieba = import_jieba();"
        "print('prob_emit' in str(sorted(sys.modules)));"
        "print(list(jieba.Tokenizer().cut('他来到了网易杭研大厦', HMM=True)));"
        "print('jieba.finalseg.prob_emit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "False"
    assert "杭研" in out[1]  # a word only the HMM finds
    assert out[2] == "True"
