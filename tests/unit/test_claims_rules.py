"""claims-cited, cited-accurately, deliverability and the subject's fake threads (issue 12), on many real-looking
drafts: what is flagged, with which span and message, and what must pass. The facts are the rule pack's examples."""
import json
from datetime import date

import pytest

from app.compose import check_text
from app.compose.rulepack import default_pack
from app.core.models import MESSAGE_KINDS
from tests.conftest import run_app
from tests.unit.test_rules_tricky import GOOD_FIRST_TOUCH, GOOD_FOLLOW_UP

PACK = default_pack()
FACTS = PACK.example_defaults["facts"]
COMPANY = "Harbor & Pine Freight"
TODAY = date(2026, 11, 22)
NEW_RULES = ("claims-cited", "cited-accurately", "deliverability")


def verdict(text, rule_id, kind="first-touch", previous=None, pack=None, facts=FACTS):
    result = check_text(text, kind, facts, previous=previous, company=COMPANY, today=TODAY, pack=pack)
    return next(r for r in result["rules"] if r["id"] == rule_id)


def spans(text, r):
    return [text[s:e] for s, e in r["spans"]]


# -- claims-cited ------------------------------------------------------------------------------
LEAD = "Congrats on the second cross-dock in Reno [^1]. "  # a cited claim: never flagged itself

UNCITED_CLAIMS = [
    # congratulations
    "Congratulations on the Series B!",
    "Kudos to your team on the Cascadia Rail deal.",
    "Hats off to the Reno team for the launch.",
    # I saw / noticed / read / heard
    "Saw you just raised a Series B.",
    "Just saw the news about your Denver site.",
    "I noticed your team is hiring 30 drivers.",
    "I read that Harbor & Pine is expanding into Denver.",
    "I heard you're opening a third site next year.",
    "I see you're growing fast in Sparks.",
    "It looks like your team is hiring again.",
    "Spotted your booth at ProMat.",
    # your recent ...
    "Your recent expansion into Idaho caught my eye.",
    "Your new Boise warehouse looks huge.",
    # numbers about them
    "Harbor & Pine moves 2,000 loads a week through Sparks.",
    "You have 400 drivers across three states.",
    "Your fleet of 250 trucks is one of the largest in the region.",
    # funding, hiring, launches, awards, moves
    "Harbor & Pine raised $20 million this fall.",
    "Your team won the Logistics Excellence award.",
    "Harbor & Pine just moved its HQ to Sparks.",
    "You launched a driver app this spring.",
    # their talks, podcasts, posts
    "Loved your talk at ProMat about yard flow.",
    "Enjoyed your podcast episode on carrier check-ins.",
    "Your post about detention fees was sharp.",
    # earlier contact, and what they said
    "Great chatting last week at the Reno expo.",
    "It was great to meet you at ProMat.",
    "As we discussed, gate time is the bottleneck.",
    "Per our call, here is the two-minute video.",
    "Thanks for the call yesterday.",
    "You mentioned that yard moves eat the night shift.",
    "When we spoke in March, you said gate time was the problem.",
]


@pytest.mark.parametrize("claim", UNCITED_CLAIMS)
def test_an_uncited_claim_is_flagged_on_its_sentence(claim):
    text = LEAD + claim + " How are check-ins holding up?"
    r = verdict(text, "claims-cited")
    assert r["status"] == "fail", r
    assert spans(text, r) == [claim]
    start = " ".join(claim.split()[:6]).rstrip(".,;:!?")
    assert r["message"] == f"Cite the fact this comes from, or cut the claim: “{start}…”"


@pytest.mark.parametrize("kind", [k for k in MESSAGE_KINDS])
def test_claims_cited_applies_to_every_message_kind(kind):
    assert kind in PACK.get("claims-cited").applies_to and kind in PACK.get("cited-accurately").applies_to


NOT_CLAIMS = [
    # questions about them
    "How are check-ins holding up at the new dock?",
    "Are you hiring for the Reno dock this quarter?",
    "Did you open the second site on time?",
    "Is gate time something your team tracks?",
    # general statements
    "Late carrier check-ins cost most docks hours of overtime.",
    "Most docks that opened a second site see check-in waits double.",
    "A yard near Sparks had the same problem last spring.",
    "Their drivers now check in from the cab before they reach the gate.",
    "Over 480 loads, the wait at the gate fell by half.",
    "New supervisors tend to inherit the check-in backlog first.",
    # the rep's own claims and offers
    "We raised our Series A last year.",
    "We launched a check-in app that helps teams like yours.",
    "Our customers grew throughput 30% in a quarter.",
    "We saw a 50% drop in wait times at one yard.",
    "We noticed that 30% of yards lose time at the gate.",
    "We'd save you 40 hours a month.",
    "I would rather send one useful note than keep checking in.",
    "Happy to send the two-minute version.",
    # suppositions and comparisons
    "If you're hiring supervisors, start with the gate.",
    "When your team grows, check-ins get harder.",
    "If you have 15 minutes next week, I can show you.",
    "Teams your size cut that in half by letting carriers check in from the cab.",
    "I help docks like yours cut check-in time.",
    "Your carriers probably check in by phone.",
    "Hope your team is growing fast this year.",
]


@pytest.mark.parametrize("sentence", NOT_CLAIMS)
def test_questions_general_statements_and_own_claims_pass(sentence):
    assert verdict(LEAD + sentence, "claims-cited")["status"] == "pass"


CITED_CLAIMS = [
    "Congrats on the second cross-dock in Reno [^1].",
    "Saw your careers page lists 12 dock supervisor roles [^2].",
    "You mentioned on a podcast that late check-ins cost the Reno dock about 40 hours a month [^3].",
    "Harbor & Pine's Reno center is 410,000 sq ft [^6], a lot of doors to schedule.",
    "Your team cut carrier waits by 35% at Stockton [^7].",
    "Congrats on the Reno cross-dock. [^1]",  # a marker just after the full stop still belongs to it
    "I noticed your careers page lists 12 open supervisor roles in Reno [^2], and the cross-dock [^1] is new.",
]


@pytest.mark.parametrize("text", CITED_CLAIMS)
def test_cited_claims_pass(text):
    assert verdict(text, "claims-cited")["status"] == "pass"


def test_a_citation_that_does_not_back_the_claim_does_not_count():
    # Fact 4 shares only the company's name with the claim; naming them is no support.
    text = "Harbor & Pine just won a regional safety award [^4]. How are check-ins?"
    r = verdict(text, "claims-cited")
    assert r["status"] == "fail" and spans(text, r) == ["Harbor & Pine just won a regional safety award [^4]."]


def test_a_greeting_on_the_claims_line_is_left_out_of_the_span():
    text = "Hi Dana, congrats on the Series B! How will it change Reno [^1]?"
    r = verdict(text, "claims-cited")
    assert r["status"] == "fail" and spans(text, r) == ["congrats on the Series B!"]


def test_a_claim_in_the_forwarded_original_is_not_the_follow_ups():
    text = ("Your careers page lists 12 supervisor roles in Reno [^2]. What would be a good next step?\n\n"
            "---------- Forwarded message ---------\nFrom: Jordan <jordan@dockly.example>\n\n"
            "Congrats on the Series B! How are check-ins?")
    assert verdict(text, "claims-cited", "follow-up")["status"] == "pass"


def test_many_claims_are_all_underlined_and_the_message_stays_one_line():
    claims = ["Congrats on the Series B!", "Saw you're hiring 20 drivers.", "Great chatting at ProMat.",
              "Loved your podcast."]
    text = " ".join(claims) + " How are check-ins at Reno [^1]?"
    r = verdict(text, "claims-cited")
    assert spans(text, r) == claims
    assert r["message"] == ("Cite the fact this comes from, or cut the claim: “Congrats on the Series B…”, "
                            "“Saw you're hiring 20 drivers…” and 2 more")
    assert "\n" not in r["message"]


def test_claims_in_a_linkedin_note_and_a_call_script():
    note = "Loved your keynote at the Reno logistics summit. Congrats on the second cross-dock [^1]. Glad to connect."
    r = verdict(note, "claims-cited", "linkedin-note")
    assert r["status"] == "fail" and spans(note, r) == ["Loved your keynote at the Reno logistics summit."]
    call = ("Dana, I saw Harbor & Pine opened a second cross-dock in Reno with 120 new jobs [^1]. "
            "Great chatting at ProMat last month. I'll send you a short email today.")
    r = verdict(call, "claims-cited", "call-script")
    assert r["status"] == "fail" and spans(call, r) == ["Great chatting at ProMat last month."]


# -- cited-accurately --------------------------------------------------------------------------
def test_the_issues_misquote_fails_and_names_both_numbers():
    text = "Subject: Reno doors\n\nA 500,000 sq ft site [^6] is a lot of doors to schedule. How are check-ins?"
    r = verdict(text, "cited-accurately")
    assert r["status"] == "fail"
    assert r["message"].startswith("“500,000 sq ft” but the fact says “410,000 sq ft”")
    assert spans(text, r) == ["500,000 sq ft"]


MISQUOTES = [
    ("Congrats on the 150 new jobs in Reno [^1].", "150 new jobs", "“150 new jobs” but the fact says “120 jobs”"),
    ("15 supervisor roles [^2] is a lot of hiring.", "15 supervisor roles",
     "“15 supervisor roles” but the fact says “12 open dock supervisor roles”"),
    ("Fifteen open supervisor roles [^2] is a lot of hiring.", "Fifteen open supervisor roles",
     "“Fifteen open supervisor roles” but the fact says “12 open dock supervisor roles”"),
    ("60 hours of overtime a month [^3] is a lot.", "60 hours of overtime a month",
     "“60 hours of overtime a month” but the fact says “40 hours of overtime a month”"),
    ("Almost 50 hours of overtime a month [^3] is a lot.", "50 hours of overtime a month",
     "“50 hours of overtime a month” but the fact says “40 hours of overtime a month”"),
    ("The $25 million of state money [^6] is a bet on Reno.", "$25 million",
     "“$25 million” but the fact says “$18.4 million”"),
    ("The €18.4 million of state money [^6] is a bet on Reno.", "€18.4 million",
     "“€18.4 million” but the fact says “$18.4 million”"),
    ("The $18.4 billion of state money [^6] is a bet on Reno.", "$18.4 billion",
     "“$18.4 billion” but the fact says “$18.4 million”"),
    ("A 45 percent cut in carrier waits at Stockton [^7] is big.", "45 percent",
     "“45 percent” but the fact says “35%”"),
    ("Adding more than 150 jobs in Reno [^1] is a lot.", "150 jobs", "“150 jobs” but the fact says “120 jobs”"),
    ("Congrats on the third cross-dock in Reno [^1].", "third cross-dock",
     "“third cross-dock” but the fact says “second cross-dock”"),
    ("Congrats on opening the Reno cross-dock on Oct 2 [^6].", "Oct 2", "“Oct 2” but the fact says “Oct 20”"),
    ("Congrats on the Reno opening on Sept 3 [^1].", "Sept 3", "“Sept 3” but the fact is dated “2026-10-20”"),
    ("In 2024 you cut waits at Stockton [^7], which is big.", "2024", "“2024” but the fact says “2025”"),
    ("Congrats on the second cross-dock in Denver [^1].", "Denver", "“Denver” but the fact says “Reno”"),
    ("Congrats on the Denver cross-dock [^1].", "Denver", "“Denver” but the fact says “Reno”"),
    ("Your partnership with Union Pacific [^4] is a big step.", "Union Pacific",
     "“Union Pacific” but the fact says “Cascadia Rail”"),
    ("Waits fell 35% at your Fresno dock [^7].", "Fresno", "“Fresno” but the fact says “Stockton”"),
]


@pytest.mark.parametrize("text, span, said", MISQUOTES)
def test_misquotes_fail_with_both_sides_in_the_message(text, span, said):
    r = verdict(text, "cited-accurately")
    assert r["status"] == "fail", r
    assert spans(text, r) == [span]
    assert r["message"] == f"{said}: quote the fact as it is, or cite the one you mean."


ACCURATE = [
    # the same number in another form
    "A 410,000 sq ft center [^6] is a lot of doors.",
    "A 410,000 square feet center [^6] is a lot of doors.",
    "A 410k sq ft center [^6] is a lot of doors.",
    "The $18.4M of state financing [^6] is a bet on Reno.",
    "The 18.4 million dollars of state financing [^6] is a bet on Reno.",
    "Adding 120 jobs in Reno [^1] is a lot of new people.",
    "Adding one hundred twenty jobs in Reno [^1] is a lot.",
    "A dozen open supervisor roles [^2] is a lot of hiring.",
    "Twelve open supervisor roles [^2] is a lot of hiring.",
    "Forty hours of overtime a month [^3] is a full week.",
    "A 35 percent cut in carrier waits at Stockton [^7] is big.",
    "Congrats on the 2nd cross-dock in Reno [^1].",
    "Congrats on the Reno cross-dock opening on October 20 [^6].",
    "Congrats on the Reno cross-dock opening on 20 October [^6].",
    "Congrats on the Reno cross-dock opening on 2026-10-20 [^6].",
    # the rounding a rep would use
    "The $18 million of state money [^6] is a bet on Reno.",
    "About $20 million of state money [^6] is a bet on Reno.",
    "About 400,000 sq ft [^6] is a lot of doors.",
    "Over 400,000 sq ft [^6] is a lot of doors.",
    "Nearly 450,000 sq ft [^6] is a lot of doors.",
    "Nearly 125 new jobs in Reno [^1] means a lot of new people.",
    "Adding over 100 jobs in Reno [^1] is a lot of new people.",
    "Roughly 42 hours of overtime a month [^3] is a full week.",
    # a date near the fact's publication date, or a plan rather than a quote
    "Congrats on the Reno opening on Oct 18 [^1].",
    "I'll be in Reno on Dec 3 [^1], near your new cross-dock.",
    # names and numbers the fact has nothing comparable to are the rep's own
    "Congrats on the second cross-dock in Reno [^1], Dana.",
    "Denver teams ask about the second cross-dock in Reno [^1] too.",
    "Harbor & Pine's Reno cross-dock [^6] is 410,000 sq ft.",
    "The Reno Gazette said waits fell 35% at Stockton [^7].",
    "A 15-minute call about the Reno cross-dock [^1] could help.",
    "Since 2014 you have grown, and the Stockton waits [^7] show it.",
    "Congrats on Reno [^1]! We helped a yard in Sparks with the same thing.",
]


@pytest.mark.parametrize("text", ACCURATE)
def test_accurate_quotes_and_the_reps_own_words_pass(text):
    assert verdict(text, "cited-accurately")["status"] == "pass", verdict(text, "cited-accurately")


def test_tuned_hedge_allows_a_wider_about():
    text = "About 48 hours of overtime a month [^3] is a lot."
    assert verdict(text, "cited-accurately")["status"] == "fail"
    wide = PACK.tuned({"cited-accurately": {"hedge_percent": 20}})
    assert verdict(text, "cited-accurately", pack=wide)["status"] == "pass"


def test_a_sentence_that_uses_nothing_of_its_fact_is_relevances_finding_not_this_one():
    text = "We help logistics teams grow faster [^1]. Worth a chat?"
    assert verdict(text, "relevance")["status"] == "fail"
    assert verdict(text, "cited-accurately")["status"] == "pass"


# -- the good messages pass every new rule ------------------------------------------------------
GOOD = [
    (GOOD_FIRST_TOUCH, "first-touch", None),
    (GOOD_FOLLOW_UP, "follow-up", "Hi Dana,\n\nCongrats on the Reno cross-dock [^1]. How are check-ins holding up?"),
    ("Subject: Reno check-ins\n\nHi Dana,\n\nCongrats on opening the second cross-dock in Reno [^1]. With 12 dock "
     "supervisor roles open there [^2], late carrier check-ins can quietly eat overtime: you mentioned about 40 hours "
     "a month [^3].\n\nA yard near Sparks had the same problem last spring. Their drivers now check in from the cab, "
     "so the dock knows who is coming. Would a two-minute video be useful for your Reno team?\n\nBest,\nJordan Lee\n"
     "Account Executive, Dockly\n+1 (555) 010-2030", "first-touch", None),
    ("Subject: Stockton waits\n\nHi Dana,\n\nCutting carrier waits by 35% at Stockton [^7] is a big result. A 410,000 "
     "sq ft center in Reno [^6] has even more doors to fill. Is the Stockton playbook going to Reno?\n\nBest,\nJordan",
     "first-touch", None),
    ("Want to follow up in case this e-mail got buried. What would be a good next step?", "follow-up", None),
    ("Saw the Reno cross-dock is hiring 12 supervisors [^2]. Is there some way to find out if check-ins are a "
     "priority?", "follow-up", None),
    ("Hi Dana, congrats on the second cross-dock in Reno [^1]. 120 new jobs is a big ramp for one dock. I follow how "
     "busy yards handle carrier check-ins and would be glad to connect.", "linkedin-note", None),
    ("Dana, I saw Harbor & Pine opened a second cross-dock in Reno with 120 new jobs [^1]. On your podcast you put "
     "late carrier check-ins at about 40 hours of overtime a month [^3]. This is Jordan Lee at Dockly. I'll send you "
     "a short email today with one idea on that, so look for it this afternoon.", "call-script", None),
]


@pytest.mark.parametrize("text, kind, previous", GOOD)
def test_good_messages_pass_the_new_rules(text, kind, previous):
    result = check_text(text, kind, FACTS, previous=previous, company=COMPANY, today=TODAY)
    for r in result["rules"]:
        if r["id"] in NEW_RULES or r["id"] == "subject":
            assert r["status"] == "pass", r


# -- deliverability ------------------------------------------------------------------------------
BODY = "Congrats on the Reno cross-dock [^1]. How are check-ins?"


@pytest.mark.parametrize("text, flagged, phrase", [
    ("Subject: Reno check-ins\n\nCongrats on Reno [^1]. Video: https://dockly.example/v and the case: "
     "www.dockly.example/sparks. Worth a look?", ["https://dockly.example/v", "www.dockly.example/sparks"],
     "2 links: spam filters count them, so keep 1 at most."),
    ("Subject: Reno check-ins\n\nCongrats on Reno [^1]. Two-minute video: bit.ly/3xYz. Worth a look?",
     ["bit.ly/3xYz"], "Use the full link, not a URL shortener (bit.ly)"),
    ("Subject: Reno check-ins\n\nCongrats on Reno [^1]. Video: https://tinyurl.com/abc. Worth a look?",
     ["https://tinyurl.com/abc"], "URL shortener (tinyurl.com)"),
    ("Subject: RENO CHECK-INS\n\n" + BODY, ["RENO CHECK-INS"], "An ALL-CAPS subject (“RENO CHECK-INS”)"),
    ("Subject: Reno check-ins\n\nCongrats on the Reno cross-dock [^1]! How are check-ins? Worth a call!",
     ["!", "!"], "2 “!”: keep 1 at most"),
    ("Subject: Carrier check-ins at the new Reno cross-dock today\n\n" + BODY,
     ["Carrier check-ins at the new Reno cross-dock today"], "The subject is 50 characters: a phone shows about 45"),
    ("Subject: Reno check-ins\n\nDear Dana,\n\n" + BODY, ["Dear"], "“Dear” reads like a form letter"),
    ("Subject: Reno check-ins\n\nDear Sir or Madam,\n\n" + BODY, ["Dear Sir or Madam"], "“Dear Sir or Madam”"),
    ("Subject: Reno check-ins\n\nCongrats on the Reno cross-dock [^1]. CUT GATE WAITS NOW with one app. How?",
     ["CUT GATE WAITS NOW"], "“CUT GATE WAITS NOW” is shouting"),
])
def test_deliverability_warns_on_each_spam_signal(text, flagged, phrase):
    r = verdict(text, "deliverability")
    assert r["status"] == "warn" and phrase in r["message"], r
    assert spans(text, r) == flagged


@pytest.mark.parametrize("text", [
    "Subject: Reno ROI\n\nCongrats on the Reno cross-dock [^1]! Is your WMS the one that logs check-ins? "
    "Reply to jordan@dockly.example.",
    "Subject: Reno check-ins\n\nHi Dana,\n\nCongrats on the Reno cross-dock [^1]. The two-minute version: "
    "https://dockly.example/sparks. Worth a look?\n\nBest,\nJordan\nAccount Executive, Dockly",
    "Subject: Q3 at Reno\n\nI, for one, think the Reno cross-dock [^1] is a big step. How are check-ins?",
])
def test_deliverability_passes_ordinary_messages(text):
    assert verdict(text, "deliverability")["status"] == "pass"


def test_deliverability_is_for_email_and_its_limits_are_settings():
    rule = PACK.get("deliverability")
    assert set(rule.applies_to) == {"first-touch", "follow-up"}
    text = "Saw Reno [^1]: https://dockly.example/a and https://dockly.example/b. Next step?"
    assert verdict(text, "deliverability", "follow-up")["status"] == "warn"
    loose = PACK.tuned({"deliverability": {"max_links": 2}})
    assert verdict(text, "deliverability", "follow-up", pack=loose)["status"] == "pass"
    forwarded = ("What would be a good next step?\n\n---------- Forwarded message ---------\n"
                 "Links: https://a.example/x https://b.example/y https://bit.ly/z!!!")
    assert verdict(forwarded, "deliverability", "follow-up")["status"] == "pass"


# -- the subject's fake threads --------------------------------------------------------------------
@pytest.mark.parametrize("subject, found", [
    ("Following up on our conversation", ["Following up", "our conversation"]),
    ("As discussed", ["As discussed"]),
    ("Per our call", ["Per our call"]),
    ("Our meeting", ["Our meeting"]),
    ("Quick follow-up", ["Quick follow-up"]),
    ("Reno: as promised", ["as promised"]),
    ("Great chatting yesterday", ["Great chatting"]),
    ("Re: our call", ["Re:", "our call"]),
])
def test_a_first_touch_subject_that_fakes_a_thread_fails(subject, found):
    text = f"Subject: {subject}\n\n{BODY}"
    r = verdict(text, "subject")
    assert r["status"] == "fail" and spans(text, r) == found


@pytest.mark.parametrize("subject", ["Reno check-ins", "Discussion of Reno gate calls", "Carrier calls at Reno",
                                     "Your call on Reno doors", "Renovation at Reno"])
def test_honest_subjects_pass(subject):
    assert verdict(f"Subject: {subject}\n\n{BODY}", "subject")["status"] == "pass"


# -- the CLI -----------------------------------------------------------------------------------------
def test_cli_json_carries_the_new_rules(tmp_path, earned_home):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FACTS), encoding="utf-8")
    draft = tmp_path / "draft.txt"
    text = ("Subject: Following up on our call\n\nSaw you raised a Series B. A 500,000 sq ft site [^6] is a lot of "
            "doors!! How are check-ins?")
    draft.write_text(text, encoding="utf-8")
    proc = run_app(earned_home, "check", str(draft), "--facts", str(facts), "--company", COMPANY,
                   "--today", "2026-11-22", "--json")
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)
    by_id = {r["id"]: r for r in out["rules"]}
    assert set(NEW_RULES) <= set(by_id)
    assert by_id["claims-cited"]["status"] == "fail"
    assert [text[s:e] for s, e in by_id["claims-cited"]["spans"]] == ["Saw you raised a Series B."]
    assert by_id["cited-accurately"]["status"] == "fail"
    assert "“500,000 sq ft” but the fact says “410,000 sq ft”" in by_id["cited-accurately"]["message"]
    assert by_id["deliverability"]["status"] == "warn" and by_id["subject"]["status"] == "fail"
