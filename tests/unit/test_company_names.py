"""Whether a text names the company (app.research.names): whole words only, legal endings aside, a
name written as one word matched only by whole words written together; and the name news is searched for."""
import pytest

from app.research import names


@pytest.mark.parametrize("name,text", [
    ("General Motors", "General Motors opens a plant"),
    ("General Motors Company", "GM and General Motors, Inc. sign a deal"),
    ("Acme, Inc.", "Acme hires 40 drivers"),
    ("Acme, Inc.", "Acme's new depot"),
    ("Toledo Cars", "Visit ToledoCars.com today"),  # the one-word form, as one word
    ("ToledoCars", "Toledo Cars sells used cars"),  # and the other way round
    ("Target Corporation", "Target raises its forecast"),
    ("Amazon.com, Inc.", "Amazon opens a warehouse"),
    ("Stripe, Inc.", "Stripe launches a new API"),
    ("Oracle", "Oracle beats estimates"),
    ("GE", "GE Aerospace wins an order"),  # too short to match as a word: matched as typed, in capitals
    ("3M Company", "3M settles the case"),
    ("HP Inc.", "HP unveils new laptops"),
])
def test_the_company_is_named(name, text):
    assert names.company([name]).named_in(text)


@pytest.mark.parametrize("name,text", [
    ("General Motors", "General election: polls open"),
    ("General Motors", "General Motorsports wins the race"),
    ("Target Corporation", "Ads targeted at young buyers"),
    ("Amazon.com, Inc.", "The Amazonian rainforest shrinks"),
    ("Stripe, Inc.", "A striped shirt is back in fashion"),
    ("Oracle", "Ancient oracles and their riddles"),
    ("Toledo Cars", "Toledo Carsharing expands"),
    ("GE", "Geology students visit the ge site"),
    ("3M Company", "a 3m long beam"),
    ("HP Inc.", "the hp of the engine"),
])
def test_the_company_is_not_named(name, text):
    assert not names.company([name]).named_in(text)


def test_a_short_name_in_lower_case_matches_nothing():
    # Typed without capitals, "ge" is as likely a word's piece as a name: nothing to match safely.
    assert not names.company(["ge"]).named_in("GE Aerospace")


@pytest.mark.parametrize("name,search", [
    ("Acme, Inc.", "Acme"),
    ("General Motors Company", "General Motors"),
    ("The Home Depot, Inc.", "Home Depot"),
    ("Smith & Co.", "Smith"),
    ("Acme Holdings LLC", "Acme Holdings"),
    ("AT&T Inc.", "AT&T"),
    ("3M Company", "3M"),
    ("The Company", "The Company"),  # nothing but legal words: the name as it is
    ("Acme Freight", "Acme Freight"),
])
def test_news_is_searched_for_the_name_without_its_legal_ending(name, search):
    assert names.search_name(name) == search


@pytest.mark.parametrize("name,text,on_site", [
    ("LeewardPro", "Leeward Productions has designed plates since 1998", True),  # the rep's short form
    ("General Motors", "General Motorsports wins the race", True),  # harmless on the company's own site
    ("ToledoCars", "Toledo Carsharing expands", True),
    ("LeewardPro", "Sleeward Productions", False),  # but it starts where a word starts
    ("LeewardPro", "Leeward Pr", False),  # and all of it is there
])
def test_on_the_company_s_own_site_a_one_word_name_may_be_a_short_form(name, text, on_site):
    assert names.company([name], short_forms=True).named_in(text) is on_site
    assert not names.company([name]).named_in(text)  # never in news
