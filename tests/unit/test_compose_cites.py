"""The cites-research gate: nothing leaves without a citation that resolves to a fact."""
from app.compose import check_text

FACTS = [{"id": 12, "kind": "note", "text": "Opened a plant in Austin", "source_url": "", "source_title": "",
          "published": None}]


def rule(result, rule_id):
    return next(r for r in result["rules"] if r["id"] == rule_id)


def test_no_citation_fails():
    result = check_text("Congrats on the new plant.", "first-touch", FACTS)
    assert not result["ok"] and rule(result, "cites-research")["status"] == "fail"


def test_known_citation_passes():
    result = check_text("Subject: Austin\n\nCongrats on the Austin plant [^12].", "first-touch", FACTS)
    assert result["ok"] and result["citations"] == ["12"]
    assert rule(result, "cites-research")["status"] == "pass"


def test_unknown_citation_fails_with_its_span_after_emoji():
    text = "Subject: 🎉 news\n\n🎉 Congrats [^12] and [^99]."
    r = rule(check_text(text, "first-touch", FACTS), "cites-research")
    assert r["status"] == "fail"
    [[start, end]] = r["spans"]
    assert text[start:end] == "[^99]"
