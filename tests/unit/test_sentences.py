"""Sentence splitting that holds on real pages: initials, acronyms, line breaks, headings, scripts."""
from app.research.blocks import page_blocks
from app.research.extract import analyze_page
from app.research.fetcher import Fetched
from app.research.htmltree import parse_tree
from app.research.sentences import MAX_WORDS, split_sentences, trim


def sentences_of(html: str) -> list[str]:
    blocks, _ = page_blocks(parse_tree(html), "http://acme.example/")
    return [s for b in blocks for s in split_sentences(b.text)]


def test_an_initial_does_not_end_a_sentence():
    assert split_sentences("Colorado attorney R. Mack Babcock has 30 years of experience. He fights for workers.") == [
        "Colorado attorney R. Mack Babcock has 30 years of experience.", "He fights for workers."]


def test_dotted_acronyms_stay_inside_their_sentence():
    assert split_sentences("We apply L.E.A.N. principles on every job. Our E.P. Smith plant opened in 2001.") == [
        "We apply L.E.A.N. principles on every job.", "Our E.P. Smith plant opened in 2001."]


def test_an_acronym_at_the_end_of_a_sentence_still_ends_it():
    assert split_sentences("We moved the head office to the U.S. The firm now has 40 staff.") == [
        "We moved the head office to the U.S.", "The firm now has 40 staff."]


def test_a_line_break_inside_a_sentence_is_a_space():
    page = ("<html><body><table><tr><td>We have been serving<br>Long Island since 1985, and we<br>now run three "
            "offices.</td></tr></table></body></html>")
    assert sentences_of(page) == ["We have been serving Long Island since 1985, and we now run three offices."]


def test_a_line_break_after_a_heading_keeps_the_heading_apart():
    page = "<html><body><div><b>Our Services</b><br>We install and repair roofs across Kent.</div></body></html>"
    assert sentences_of(page) == ["Our Services", "We install and repair roofs across Kent."]


def test_lines_set_as_separate_paragraphs_are_joined_into_their_sentence():
    page = ("<html><body><p>As your interior designer, I see the design possibilities</p>"
            "<p>you have always envisioned for your home and office.</p></body></html>")
    assert sentences_of(page) == [
        "As your interior designer, I see the design possibilities you have always envisioned for your home and office."]


def test_scripts_without_spaces_between_sentences():
    assert split_sentences("株式会社アクメは1952年に設立されました。大阪に本社があります。") == [
        "株式会社アクメは1952年に設立されました。", "大阪に本社があります。"]
    assert split_sentences("Компания основана в 1952 году. Сегодня в ней работают 40 человек.") == [
        "Компания основана в 1952 году.", "Сегодня в ней работают 40 человек."]


def test_a_name_that_starts_with_a_digit_is_kept_whole():
    assert split_sentences("1Password is made by AgileBits Inc. in Toronto. It has 100 staff.") == [
        "1Password is made by AgileBits Inc. in Toronto.", "It has 100 staff."]
    assert split_sentences("- 3M supplies the adhesive.") == ["3M supplies the adhesive."]


def test_a_heading_glued_to_its_sentence_is_cut_off():
    assert split_sentences("Who Are We Our team has built custom homes in Wisconsin since 1988.") == [
        "Our team has built custom homes in Wisconsin since 1988."]
    # A sentence that merely starts with capitalised words is left alone.
    assert split_sentences("Mack Babcock and his staff at The Babcock Law Firm will help.") == [
        "Mack Babcock and his staff at The Babcock Law Firm will help."]


def test_a_full_stop_that_lost_its_space_still_ends_the_sentence():
    assert split_sentences("We also carried antiques.Today, we build custom furniture.") == [
        "We also carried antiques.", "Today, we build custom furniture."]


def test_text_read_in_the_wrong_encoding_is_repaired():
    assert split_sentences("Solutions tailored to you â€“ from our Leeds office.") == [
        "Solutions tailored to you – from our Leeds office."]


LONG = ("Acme Roofing has repaired flat, pitched and green roofs for schools, churches and homeowners across Kent "
        "and East Sussex since 1988, and as the projects in our gallery show, we have also restored listed "
        "buildings for the National Trust, rebuilt storm-damaged barns and fitted solar panels on over forty farms "
        "in the region over the last ten years.")


def test_a_long_good_sentence_is_trimmed_at_a_clause_not_dropped():
    assert len(LONG.split()) > MAX_WORDS
    cut = trim(LONG)
    # The longest opening that fits, cut where a clause ends (a comma), marked as cut.
    assert cut == ("Acme Roofing has repaired flat, pitched and green roofs for schools, churches and homeowners "
                   "across Kent and East Sussex since 1988, and as the projects in our gallery show, we have also "
                   "restored listed buildings for the National Trust…")
    assert len(cut.split()) <= MAX_WORDS and LONG.startswith(cut[:-1] + ", ")
    body = f"<html><head><title>Acme Roofing</title></head><body><article><p>{LONG}</p></article></body></html>"
    url = "http://acme.example/"
    page = analyze_page(Fetched(url, url, 200, "text/html", None, body.encode()), url, "home", None, 5,
                        "Acme Roofing")
    assert [s.text for s in page.snippets] == [cut]


def test_a_long_sentence_with_no_clause_to_cut_at_is_not_cut_mid_thought():
    assert trim(" ".join(["word"] * 60) + ".") is None


# -- a quotation signed on its last line is its author's words (rank.signed_quote) --------------------------
SIGNED = """<html><head><title>Acme Roofing Ltd</title></head><body><main>
<p>Acme Roofing Ltd repairs and replaces flat and pitched roofs across Kent for schools and churches.</p>
<div class="slide"><img src="a.jpg"><p>In 9 months we've raised over £35,000 for new roofs on our village halls.<br>
Ann Green, Director, Focus on Community</p></div>
<div class="slide"><p>We've raised £26,000 in the last 6 months for our youth projects in Cornwall.<br>Karen Harvey,
<br>Helston Mentoring Project, Cornwall</p></div>
<p>We fit slate, tile and felt roofs for homes and schools in Maidstone.<br>Slate, Tile, Felt</p>
</main></body></html>"""


def test_a_paragraph_signed_with_a_name_and_role_is_a_quotation_not_a_fact():
    url = "http://acme.example/"
    page = analyze_page(Fetched(url, url, 200, "text/html", None, SIGNED.encode("utf-8")), url, "home", None, 5,
                        "Acme Roofing Ltd")
    texts = [s.text for s in page.snippets]
    assert not any("raised" in t for t in texts), texts
    # A last line that is a list of products, not a person, leaves the paragraph the company's own.
    assert "We fit slate, tile and felt roofs for homes and schools in Maidstone." in texts


def test_signatures_are_told_from_lists_addresses_and_calls_to_action():
    from app.research.rank import signed_quote

    assert signed_quote("They fixed our roof in a day.\nAnn Green, Director, Focus on Community")
    assert signed_quote("They fixed our roof in a day.\n- Jo Park")
    assert not signed_quote("We fit kitchens and bathrooms in Kent.\nBathrooms, Kitchens, Tiling")
    assert not signed_quote("We fit kitchens and bathrooms in Kent.\nAcme Ltd, 12 High Street, London")
    assert not signed_quote("We fit kitchens.\nCall us today for a quote")
    assert not signed_quote("Ann Green, Director, Focus on Community")  # no quotation before it
