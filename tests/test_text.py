from assistant.text import clean, guess_language, normalise


def test_full_width_and_case_are_folded():
    assert normalise("ＴＭＡＬＬ　买的 ＡＢＣ１２３") == "tmall 买的 abc123"


def test_traditional_script_becomes_simplified():
    assert normalise("訂單顯示已簽收，但我沒收到貨") == normalise("订单显示已签收，但我没收到货")


def test_control_characters_zero_width_and_lone_surrogates_are_dropped():
    assert clean("a\x00b\u200bc\ud800d\x7f") == "a b cd"
    assert normalise("  假\t\n货  ") == "假 货"


def test_emoji_survive_cleaning():
    assert "😀" in clean("假货😀")


def test_language_guess():
    assert guess_language("不喜欢了能退吗") == "zh"
    assert guess_language("my parcel never arrived") == "en"
    assert guess_language("淘宝 order 没收到") == "zh"
    assert guess_language("my taobao 包裹 never arrived at all") == "en"
    assert guess_language("???") == "zh"


def test_reply_is_written_as_taiwan_and_hong_kong_write_it():
    from assistant.text import to_traditional

    assert to_traditional("请回复选项编号") == "請回覆選項編號" and to_traditional("复制") == "複製"
    assert to_traditional("保留外包装和面单，申请平台介入，卖家后台") == "保留外包裝和面單，申請平台介入，賣家後台"
