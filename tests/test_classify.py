"""The linear classifier on its own: what it learns, what it ignores, that it is repeatable."""
from assistant.classify import train

CLASSES = ["parcel", "fake", "other"]
DOCS = [
    ["w没收到", "w快递", "c签收"],
    ["w没收到", "w物流"],
    ["w快递", "w丢了"],
    ["w假货", "w鉴定"],
    ["w假货", "w专柜"],
    ["w高仿", "w鉴定"],
    ["w优惠券"],
    ["w花呗", "w还款"],
]
LABELS = [0, 0, 0, 1, 1, 1, 2, 2]
DOCS, LABELS = DOCS * 2, LABELS * 2  # every feature in two examples: one seen once only is left out


def best(model, features):
    scores = model.scores(features)
    return CLASSES[max(range(len(scores)), key=scores.__getitem__)]


def test_learns_the_training_examples():
    model = train(DOCS, LABELS, CLASSES)
    assert [best(model, d) for d in DOCS] == [CLASSES[label] for label in LABELS]


def test_unknown_features_are_neutral():
    """Product names and other words no example has must not change the ranking (they add nothing)."""
    model = train(DOCS, LABELS, CLASSES)
    plain = model.scores(["w假货"])
    with_products = model.scores(["w假货", "w拯救者", "w蓝牙", "w茅台"])
    assert with_products == plain


def test_a_repeated_feature_counts_once():
    model = train(DOCS, LABELS, CLASSES)
    assert model.scores(["w鉴定", "w鉴定", "w鉴定"]) == model.scores(["w鉴定"])


def test_a_feature_seen_once_is_left_out():
    model = train(DOCS + [["w一次性"]], LABELS + [2], CLASSES)
    assert "w一次性" not in model.rows and "w假货" in model.rows


def test_nothing_known_scores_zero():
    model = train(DOCS, LABELS, CLASSES)
    assert model.scores(["w天气"]) == [0.0, 0.0, 0.0]


def test_training_is_deterministic():
    first, second = train(DOCS, LABELS, CLASSES), train(DOCS, LABELS, CLASSES)
    assert first.rows == second.rows
    assert first.weights.tobytes() == second.weights.tobytes()
