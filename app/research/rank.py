"""Is this sentence something concrete about this company? A score, with the reasons for it.

A rep can cite a sentence when it says something specific about the prospect itself: its name (or
"we"/"our") together with an attribute (what it offers or makes, a number, a date, a place, an
event, a customer or partner, an award, hiring). Sentences about someone else (a vendor quoted on
a reseller's site, a staff member's bio, a customer's testimonial), general advice, definitions,
calls to action, contact lines, credits, keyword lists and placeholders are worth nothing, however
many numbers or capitals they carry.

The attribute vocabulary is English. On text in another language only what holds in any language
counts (the company's name, numbers, dates), and the reasons say so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.core import dates

from .names import Company, norm
from .sentences import words

# A fact needs at least this to be shown; the description of the site passes its own checks.
SHOW_AT = 4.0
MIN_WORDS = 6


@dataclass(frozen=True)
class Scored:
    score: float
    reasons: tuple[str, ...]


# -- what rules a sentence out -----------------------------------------------------------------------
_BOILERPLATE = re.compile(
    r"\b(?:cookies?|privacy|terms (?:of|and) (?:use|service|conditions)|all rights reserved|subscribe|newsletter"
    r"|sign up|log ?in|click here|read more|learn more|find out more|javascript|browser|copyright|unsubscribe"
    r"|share this|follow us|like us on|skip to|accept all|your consent|add to (?:cart|basket)|shopping cart"
    r"|checkout|site ?map|home page|this (?:web)?site|our (?:web)?site|the (?:web)?site|bookmark\w*"
    r"|our (?:web |product )?pages?"
    r"|news ?letter|contact (?:information|details)|(?:inquiry|enquiry|contact|request) (?:page|form))\b|©",
    re.IGNORECASE)
_CODEISH = re.compile(r"https?://|www\.|\S+@\S+\.\w+|\S{40,}|[{}<>=\\]|&\w+;")
_PLACEHOLDER = re.compile(r"\$[A-Za-z_]\w*|\{\{|lorem ipsum|\[insert|\binsert (?:text|description)\b|\bTBD\b|\bTODO\b|coming soon"
                          r"|under construction|\bplaceholder\b|\bdefault (?:text|description)\b|\bsample text\b",
                          re.IGNORECASE)
_PHONE = re.compile(r"(?:\+?\d[\d\s().-]{7,}\d)|\b\d{3}[\s.-]\d{4}\b")
_CONTACT = re.compile(r"^(?:address|tel|telephone|phone|fax|e-?mail|mobile|office|hours|opening hours|location"
                      r"|directions|p\.?o\.? box)\b|\b(?:suite|ste\.?|unit)\s+\d"
                      r"|(?-i:\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b)"  # UK, US postcodes
                      r"|\b\d{1,2}(?::\d\d)?\s*(?:am|pm)\b|\bminutes?['’]? (?:walk|drive)\b"  # directions
                      r"|\b(?:weekend|evening|late|extended|opening|office|business) hours\b"
                      r"|\b(?:mon|monday|tue|tuesday|wed|wednesday|thu|thursday|fri|friday|sat|saturday|sun|sunday)\s*"
                      r"(?:-|–|to|through|thru)\s*(?:mon|monday|tue|tuesday|wed|wednesday|thu|thursday|fri|friday|sat"
                      r"|saturday|sun|sunday)\b", re.IGNORECASE)
_CREDIT = re.compile(r"\b(?:photos?|photography|images?|pictures?)\s*(?:by|:|courtesy|credit)|\bcourtesy of\b"
                     r"|\b(?:web ?site|site|web) (?:design(?:ed)?|built|developed|hosted) by\b|\bpowered by\b"
                     r"|\bdesigned by\b|\bcredits?:", re.IGNORECASE)
_CALL_TO_ACTION = re.compile(
    r"^(?:please\s+)?(?:read|get|download|learn|try|keep|join|contact|discover|explore|find|see|check|visit|watch"
    r"|register|request|book|click|start|call|email|e-mail|follow|sign|shop|browse|view|order|buy|save|enjoy|let"
    r"|feel free|don't|do not|make sure|be sure|remember|imagine|take|choose|give|ask|come|stop|look|search|enter"
    r"|fill|send|tell|use|add|note|please|simply|just|hurry|act|claim|grab|submit|upload|receive|reserve"
    r"|schedule|subscribe|compare|select|pick|create|be|reduce|go|print|bookmark|share|speak|talk|meet|help"
    r"|experience|relax|treat|protect|upgrade|switch|apply|quickly|easily|let's|to get started)\b(?!-)"
    r"|^\w+ (?:all |the |our |a )?(?:your|us|yourself)\b", re.IGNORECASE)
_ADVICE = re.compile(r"^(?:if|whether|when|before|after|while|once|as soon as|whatever|wherever|however)\s+(?:you|your)"
                     r"|^(?:you|your)\b"
                     r"|^(?:it is|it's) (?:important|essential|vital|crucial|best|wise|always|never)\b", re.IGNORECASE)
# Shop and legal small print: returns, refunds, shipping charges, disclaimers.
_POLICY = re.compile(r"\b(?:refunds?|restocking|returns? (?:policy|process)|shipping (?:charges?|fees?|costs?)"
                     r"|delivery charges?|liabilit\w+|disclaim\w*|reserve the right|terms and conditions|subject to"
                     r"|attorney-client relationship|confidential\w*|obliged|warrant(?:y|ies)|at our discretion"
                     r"|privacy|this agreement|personal information|reserves? (?:all |the )?rights?|licen[cs]e agreement"
                     r"|end user|governed by|thereto|hereby|herein|not obligated|including but not limited to"
                     r"|the software|defective|business days|your return|returns|shipped|orders? (?:are|is|will|not)"
                     r"|deemed|null and void|collects?|data (?:and|or) information|you agree"
                     r"|by (?:downloading|installing|using|clicking))\b|\(the \"", re.IGNORECASE)
# How to deal with the company, not a fact about it: "Our coordinator will ask you to...".
_PROCESS = re.compile(r"\bwill (?:then )?(?:ask|contact|call|get back|respond|reply|review|determine|schedule|send"
                      r"|e-?mail|be (?:happy|glad|pleased) to|be issued|be sent)\b|\b(?:can|will) be sent\b"
                      r"|\bwithin \d+ (?:business |working )?(?:hours|days)\b|^\(.*\)\W*$"
                      r"|^(?:information|details|resources|links?|more information) (?:about|for|on|to)\b"
                      r"|^(?:provides|offers|includes|contains|lists|describes|explains|gives) (?:information|details"
                      r"|links|resources|an overview|product information)\b|\bprovide information\b", re.IGNORECASE)
# The offer every trade makes to get a call: "a no obligation quotation service, free of charge".
_FREE_QUOTE = re.compile(r"\b(?:free|no[- ]obligation|complimentary)\b(?:[\s,-]+[\w-]+){0,3}?[\s,-]+(?:quot\w*|estimates?"
                         r"|consultations?|surveys?|assessments?|evaluations?)\b", re.IGNORECASE)
# A call to action inside a sentence: "For more, check out our...", "...visit our showroom".
_ACTION_INSIDE = re.compile(r"\b(?:check out|click|visit our|see our|view our|browse our|contact us|call us|e-?mail us"
                            r"|give us a call|drop us a line|get in touch|fill (?:in|out)|sign up"
                            r"|contact (?:the|our|one of)|let us know|look forward to|feel free)\b", re.IGNORECASE)
# An opener that points back to a sentence the reader hasn't got: "She also...", "This means...".
_DANGLING = re.compile(r"^(?:he|she|his|her|him|they|their|them|it|its|this|that|these|those|also|and|but|or|so"
                       r"|however|additionally|furthermore|moreover|then|thus|therefore|such|both|which|another"
                       r"|here|there|other|others|in addition|as well|plus|meanwhile|likewise|similarly|because"
                       r"|although|though|whereas|unless|at that time|at the time|back then|since then|after that"
                       r"|by then|after all|that's why|that is why|not everyone|not all|none of)\b", re.IGNORECASE)
_DEFINITION = re.compile(r"^(?:the |a |an |\W*)?(?:[\w-]+\s){0,4}?(?:is|are|means|refers to|stands for"
                         r"|is defined as|describes?)\s+(?:a|an|the|what|when|how|any|one of)?\b", re.IGNORECASE)
_TESTIMONIAL = re.compile(r"\b(?:thank you|thanks|highly recommend|would recommend|recommend (?:them|him|her|you)"
                          r"|(?:extremely|very|so|really) (?:pleased|happy|satisfied|impressed)|great job|a pleasure"
                          r"|couldn't be happier|exceeded (?:my|our) expectations|(?:my|our) (?:husband|wife|family"
                          r"|kids|son|daughter))\b", re.IGNORECASE)
# A customer speaking: the company's name with "us"/"our" meaning the customer, and praise.
_CUSTOMER_VOICE = re.compile(r"\b(?:helped|helps|allows?|allowed|enabled?|lets|let|provided|gave|got) (?:us|our|me|my)\b"
                             r"|\bworking with\b"
                             r"|\bfor (?:us|me)\b|\bhas been (?:an? )?(?:great|incredible|amazing|fantastic|wonderful"
                             r"|excellent|invaluable|huge)\b|\bcan'?t be beat\b", re.IGNORECASE)
_PRAISE = re.compile(r"\b(?:fantastic|great|amazing|excellent|wonderful|incredible|awesome|superb|brilliant)\b",
                     re.IGNORECASE)
_QUOTED = re.compile(r"^[\"“”„«]|^[^\"“”]*[\"”]\W*$")  # opens with a quote, or ends one it never opened
_ATTRIBUTION = re.compile(r"(?:[-–—~]\s*[A-Z][\w.'’]*(?:\s+[A-Z][\w.'’]*){0,3}(?:,\s*[A-Z][\w .'’]*)?\s*$)")
_BIO_VERB = re.compile(r"^(?:(?:dr|mr|mrs|ms|prof|attorney|lawyer|professor)\.?\s+)?[A-Z][a-z'’]+(?:\s+[A-Z]\.)?"
                       r"(?:\s+[A-Z][a-z'’-]+){1,2}\s*,?\s+(?:is|was|has|had|joined|received|graduated|holds|held"
                       r"|earned|brings|serves|served|began|worked|works|studied|lives|enjoys|spent|practices"
                       r"|specializes|specialises|focuses|grew|attended|completed|leads)\b")
_PERSONAL = re.compile(r"\b(?:hobbies|married|grandchildren|children|graduated|degree|born|enjoys|spare time"
                       r"|free time|his|her)\b", re.IGNORECASE)
_HE_SHE = re.compile(r"\b(?:he|she|him)\b", re.IGNORECASE)
_FIRST_PERSON_SINGULAR = re.compile(r"\b(?:I(?![-.])|[Mm]y|me|I'm|I’ve|I've|I’m)\b")

# -- what makes it about this company ---------------------------------------------------------------
_WE = re.compile(r"\b(?:(?i:we|our|ours|we're|we’re|we've|we’ve|we'll|we’ll)|us)\b")  # "US 24" is not us
_THE_COMPANY = re.compile(r"\b(?:the|this) (?:company|firm|practice|business|store|shop|agency|studio|clinic"
                          r"|partnership|organi[sz]ation|family business|family firm)\b", re.IGNORECASE)
# A sentence whose subject is left out because it is the company: "Established in 1976, ...".
_IMPLICIT = re.compile(r"^(?:(?:established|founded|family[- ]owned|family[- ]run|based|located|proudly|headquartered"
                       r"|incorporated|owned|independently|now in|since \d{4}|in business|over \d+ years"
                       r"|more than \d+ years|for over \d+|with over \d+|\d+ years)\b"
                       r"|(?:serving|specializing|specialising|operating|providing|offering|supplying|manufacturing"
                       r"|celebrating|trading)\s+(?!which|that|is|are|was|were|has|have|can|will)\w)", re.IGNORECASE)
_OFFERING = re.compile(
    r"\b(?:offer\w*|provid\w*|sell\w*|supplie[sr]\w*|supply\w*|distribut\w*|manufactur\w*|makes?|making|build\w*"
    r"|built|design\w*|install\w*|repair\w*|speciali[sz]\w*|servic\w*|serves?|serving|deliver\w*|develop\w*"
    r"|produc\w*|import\w*|export\w*|stock\w*|carry|carries|retail\w*|wholesale\w*|rent\w*|leas\w*|host\w*"
    r"|train\w*|teach\w*|consult\w*|represent\w*|insur\w*|financ\w*|lend\w*|broker\w*|publish\w*|print\w*"
    r"|clean\w*|restor\w*|fitt\w*|treat\w*|organi[sz]\w*|programs?|programmes?|courses?|degrees?|solutions?"
    r"|products?|range of|line of|brands?|software|platform|app|apps|tools?|equipment|systems?|supplies"
    r"|restaurant|hotel|apartments?|clinic|practice|agency|firm|shop|store|dealer\w*|contractor|builder|maker"
    r"|manufacturer|distributor|supplier|provider|retailer|wholesaler|consultanc\w*|studio|school|university)\b",
    re.IGNORECASE)
_OFFER_VERB = re.compile(
    r"\b(?:offers?|offering|provides?|providing|provider of|sells?|selling|supply|supplies|supplying|supplier of|suppliers of"
    r"|distribut\w*|manufactur\w*|makes?|making|maker of|builds?|building|builder of|designs?|designing|installs?"
    r"|installing|installers? of|repairs?|repairing|speciali[sz]\w*|serves?|serving|delivers?|develops?|developing"
    r"|produces?|producing|producer of|imports?|importing|exports?|stocks?|carry|carries|rents?|leases?|hosts?"
    r"|trains?|teach\w*|represents?|handles?|replaces?|restores?|cleans?|fits?|fitters of|treats?|for sale|for rent"
    r"|range of|line of|experts? in|dealers? (?:in|of)|leader in|focus(?:es)? on|includes?|including|features?"
    r"|such as)\b", re.IGNORECASE)
_WHAT_IT_IS = re.compile(r"\b(?:is|are|was|has been|have been)\s+(?:a|an|one of|the)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\b\d[\d,.]*\b|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty"
                     r"|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_PLACE = re.compile(r"\b(?:in|across|throughout|near|from|around|based in|located in|serving|offices? in|outside)\s+"
                    r"(?:the\s+)?[A-Z][\w'’.-]+|\b[A-Z][\w'’.]+[- ]based\b")
_EVENT = re.compile(
    r"\b(?:founded|co-founded|established|opened|launch\w*|acquir\w*|merged|expanded|moved|relocated|won|awarded"
    r"|named|appointed|hired|joined|celebrat\w*|exhibit\w*|attended|participated|introduc\w*|released|announc\w*"
    r"|unveil\w*|completed|signed|partnered|began|started|incorporated|formed|grew|raised|funded|invested"
    r"|renovated|built in|since (?:1[89]|20)\d\d)\b", re.IGNORECASE)
_CUSTOMERS = re.compile(
    r"\b(?:clients? include|customers include|customers such as|clients such as|partner\w* with|partner (?:to|of)"
    r"|worked with|working with|trusted by|used by|chosen by|dealer (?:for|of)|distributor (?:for|of)"
    r"|authori[sz]ed|certified|accredited|licensed|member of|members of|awards?|winner|winning|ranked|ranks|rated"
    r"|recogni[sz]ed|ISO \d+|BBB|endorsed|approved)\b", re.IGNORECASE)
_HIRING = re.compile(r"\b(?:hiring|is seeking|are seeking|we are looking for|join our team|vacanc\w*|open positions?"
                     r"|positions? available|now recruiting|careers? at|apply now|job openings?)\b", re.IGNORECASE)
_CLAIMS = re.compile(r"\b(?:best|highest|finest|premier|leading|top|excellent|outstanding|unbeatable|unmatch\w*"
                     r"|exceptional|superior|world[- ]class|competitive|affordable|friendly|professional"
                     r"|dedicated|committed|passion\w*|quality|perfect|amazing|stunning|unique|ultimate|great"
                     r"|dream|peace of mind|one-stop|second to none|no matter)\b", re.IGNORECASE)
# Words any business says of itself: they make a sentence sound like an offering without saying what.
_GENERIC = frozenset("""
service services solution solutions product products quality customer customers client clients need needs
experience experienced team staff business businesses company companies work works project projects range wide
variety best highest high professional professionals ensure satisfaction total every all any help helps helping
provide provides providing offer offers offering deliver delivers delivering innovative innovation support
supports technical industry industries excellent expertise expert experts knowledge reliable friendly value
values commitment committed dedicated passion passionate approach results result goal goals mission vision strive
continually always dynamic unique perfect create creates creating smart achievable creative luxurious exciting
effortless effortlessly functional flexible affordable efficient effective personal personalized personalised
tailored comprehensive complete full skilled trained qualified caring care home homes people everyone today
application applications option options choice choices process way ways thing things part parts make makes made
able available assist assistance information great good better new latest modern leading premier top
outstanding exceptional superior ideal sense atmosphere wellbeing insight spaces space environment environments
individual individuals requirements budget budgets special specialist specialists specialise specialize
specialises specializes specialising specializing specialized specialised highly truly fully very well also
just like more most much many other others needs wants looking find finding standard standards level levels
customized customised customize customise custom meet meets both whatever whether everything something anything
designed designs design develop developed developing combined understanding creativity focus focused
emphasize emphasise beauty beautiful natural strength possible possibilities ensure ensuring matter matters
reputation trust trusted reliability integrity honesty difference different distinctive prestigious history
methods current widest audience make sure ourselves yourself itself little lots plenty huge large small
aspects aspect running organization organisation smoothly expertly ownership culture communication frequent
encourage encourages positive informed impartial guiding stage stages know knows hard easy easily feel felt
""".split())
# An award or ranking stated as a heading, with its year.
_AWARD_LINE = re.compile(r"^(?=.*\b(?:19|20)\d\d\b)(?:.*\b(?:awards?|award-winning|winners?|finalists?|of the year|"
                         r"ranked|accredited|certified)\b)|^(?-i:Best(?: [A-Z][\w&'’-]*){1,5} (?:- )?(?:19|20)\d\d)$",
                         re.IGNORECASE)
_RANKED = re.compile(r"\b(?:ranked|ranks|rated|named|recogni[sz]ed|voted|listed)\b", re.IGNORECASE)
_SUPERLATIVE = re.compile(r"\b(?:one of the (?:best|finest|top|leading|most)|the best|among the best|second to none"
                          r"|unrivall?ed|unparall?eled|go-to|the first to|the ultimate|number (?:1|one)|no\.? ?1)\b"
                          r"|#1\b", re.IGNORECASE)
# Aims and promises rather than facts: "Our vision is...", "we will be able to help", "we strive".
_STATEMENT = re.compile(r"\b(?:our|its|the company's) (?:vision|mission|goal|aim|purpose|philosophy|promise|motto"
                        r"|commitment|obligation|priority) (?:is|has always been)\b|\b(?:we|i) (?:can|will) help\b"
                        r"|\bstrives?\b|\b(?:is|are|we're|we are) (?:proud|pleased|happy|glad|delighted) to (?!announce)"
                        r"|\b(?:we|our \w+) (?:will|'ll|’ll) (?!be (?:opening|moving|launching|exhibiting|attending))",
                        re.IGNORECASE)
_YOU = re.compile(r"\b(?:you|your|yours|you're|you’re|you'll|you’ll)\b", re.IGNORECASE)
_FUNCTION = re.compile(r"\b(?:the|a|an|of|to|in|for|with|and|is|are|we|our|that|by|on|at|as|from|has|have|was|it"
                       r"|be|this|which|who|will|can)\b", re.IGNORECASE)
_OPENING_WORDS = {"the", "a", "an", "in", "at", "on", "for", "with", "since", "after", "before", "from", "by",
                  "as", "today", "now", "over", "during", "when", "while"}
_FINISHED = re.compile(r"[.!?…。！？][\"'”’)\]]*$")


def score(sentence: str, firm: Company, lang: str | None = "en", kind: str = "p",
          testimonial_page: bool = False) -> Scored:
    """How citable the sentence is about firm; below SHOW_AT it is not shown."""
    tokens = words(sentence)
    n = len(tokens)
    if _AWARD_LINE.match(sentence) and n <= 12 and not testimonial_page:
        return Scored(4.5, ("award", "date"))  # "Practice of the Year - Leinster 2013": a heading, and a fact
    rejected = _rejected(sentence, n, kind, testimonial_page)
    if rejected:
        return Scored(0.0, (rejected,))
    named = firm.named_in(sentence)
    english = lang in (None, "en")
    if not english:
        return _other_language(sentence, named, n, lang)
    reasons: list[str] = []
    we = bool(_WE.search(sentence))
    if not named and _FIRST_PERSON_SINGULAR.search(sentence) and (_TESTIMONIAL.search(sentence) or _ATTRIBUTION.search(
            sentence)):
        return Scored(0.0, ("testimonial or quoted words",))
    if (_TESTIMONIAL.search(sentence) or (_ATTRIBUTION.search(sentence) and _FIRST_PERSON_SINGULAR.search(sentence))
            or kind == "quote" or _QUOTED.match(sentence)
            or (_CUSTOMER_VOICE.search(sentence) and (named or _PRAISE.search(sentence)
                                                      or not re.match(r"(?i)(?:we|our)\b", sentence)))):
        return Scored(0.0, ("testimonial or quoted words",))
    someone = _someone_else(sentence, firm, named)
    if someone:
        return Scored(0.0, (someone,))
    if not (named or we) and _ADVICE.match(sentence):
        return Scored(0.0, ("advice to the reader",))
    if not (named or we) and _DEFINITION.match(sentence) and not _IMPLICIT.match(sentence):
        return Scored(0.0, ("definition or general statement",))

    # About this company?
    about = 0.0
    if named:
        about = 3.0
        reasons.append("names the company")
    elif we:
        about = 2.0
        reasons.append("we/our")
    elif _THE_COMPANY.search(sentence) or _IMPLICIT.match(sentence):
        about = 2.0
        reasons.append("the company, unnamed")
    elif _FIRST_PERSON_SINGULAR.search(sentence):
        about = 1.0
        reasons.append("I/my (a sole trader)")
    else:
        # Not about the company: not shown. (A little for numbers and dates, so that a page the rep
        # chose still offers its best sentence.)
        return Scored(0.6 if _NUMBER.search(sentence) else 0.1, ("not about the company",))
    # Something concrete about it? (Not counting the words of its name: "Better Builders" builds
    # nothing by being named.)
    plain = firm.without(sentence)
    # An offering counts when the sentence says what is offered: two or more words beyond what any
    # business says of itself ("a wide range of services to ensure your satisfaction" says nothing).
    specific = _specific(plain)
    concrete = 0.0
    offered = _offered(plain)
    if offered >= 2:
        concrete += 1.5
        reasons.append("offering")
    elif offered or _OFFERING.search(plain):
        concrete += 0.5
        reasons.append("vague offering")
    for pattern, label, weight in ((_EVENT, "event", 1.5),
                                   (_CUSTOMERS, "customer, partner or award", 1.5), (_HIRING, "hiring", 1.5),
                                   (_YEAR, "date", 1.0), (_PLACE, "place", 1.0)):
        if pattern.search(plain):
            concrete += weight
            reasons.append(label)
    if (named or we) and _WHAT_IT_IS.search(plain) and "offering" not in reasons and len(specific) >= 3:
        concrete += 1.0
        reasons.append("what it is")
    numbers = [m for m in _NUMBER.finditer(plain) if not _YEAR.fullmatch(m.group())]
    if numbers:
        concrete += 1.5
        reasons.append("number")
    concrete = min(concrete, 4.5)
    if not concrete:
        reasons.append("nothing concrete")
        return Scored(about / 2, tuple(reasons))
    value = about + concrete
    # What makes a true sentence a poor citation.
    you = len(_YOU.findall(sentence))
    if you >= 3 or _ADVICE.match(sentence):
        value -= 1.5
        reasons.append("addressed to the reader")
    elif you == 2:
        value -= 0.75
        reasons.append("addressed to the reader")
    claims = len(_CLAIMS.findall(sentence))
    if claims:
        value -= 0.5 if claims == 1 else 1.5  # one adjective is style; a string of them is the message
        reasons.append("quality claims")
    if _SUPERLATIVE.search(sentence) and not _RANKED.search(sentence):
        value -= 1.5  # (a ranking by someone else, "ranked among the top ten", is not a boast)
        reasons.append("boast")
    if _STATEMENT.search(sentence):
        value -= 2.0
        reasons.append("mission, vision or promise")
    if kind == "heading" or (not _FINISHED.search(sentence) and kind != "headline"):
        value -= 1.0
        reasons.append("not a finished sentence")
    if 10 <= n <= 35:
        value += 0.5
    return Scored(round(value, 2), tuple(reasons))


def _specific(text: str) -> list[str]:
    """Words that say something particular: not function words, claims or what any business says."""
    return [w for w in words(text) if len(w) >= 4 and w.lower() not in _GENERIC and w.lower() not in _STOP
            and not _CLAIMS.fullmatch(w)]


_STOP = frozenset("""
your yours their theirs them they these those this that with from into onto upon than then there here what which
when where while whom whose will would could should shall must might have has had been being were does doing done
about above after again against below between during over under until very each every both some such only same
also just even ever still yet next last first once twice our ours ourselves you yourself we us it its itself
""".split())


def _offered(text: str) -> int:
    """How many particular words follow an offering verb ("sells ... home decorations", "specialises
    in ... granny flats"): 0 when what is offered is only services, solutions, quality..."""
    best = 0
    for match in _OFFER_VERB.finditer(text):
        after = " ".join(text[match.end():].split()[:10])
        best = max(best, len(_specific(after)))
    return best


def _rejected(sentence: str, n: int, kind: str, testimonial_page: bool) -> str | None:
    if n < MIN_WORDS:
        return "too short"
    if testimonial_page:
        return "testimonial"
    if sentence.rstrip("\"'”’)").endswith("?"):
        return "question"
    if "\ufffd" in sentence or "ï¿½" in sentence:
        return "broken characters"
    if sentence.endswith(("...", "…")):
        return "cut off (ends in ...)"
    if _PLACEHOLDER.search(sentence):
        return "placeholder"
    if _CODEISH.search(sentence):
        return "code, link or e-mail"
    if _BOILERPLATE.search(sentence):
        return "boilerplate"
    if _CREDIT.search(sentence):
        return "credit"
    if _PHONE.search(sentence) or _CONTACT.search(sentence):
        return "address or phone line"
    if _POLICY.search(sentence):
        return "policy or legal terms"
    if _PROCESS.search(sentence):
        return "procedure or link blurb"
    if sentence.count("“") != sentence.count("”"):
        return "broken quotation"
    if _CALL_TO_ACTION.match(sentence) or _ACTION_INSIDE.search(sentence):
        return "call to action"
    if _FREE_QUOTE.search(sentence):
        return "a sales offer (free quote)"
    if _DANGLING.match(sentence):
        return "dangling opener"
    if _keyword_list(sentence, n):
        return "keyword list"
    if not _FINISHED.search(sentence) and (n < 10 or kind == "heading") and kind != "headline":
        return "fragment"  # a menu item, a label, a heading (an article's own headline is a statement)
    return None


def _keyword_list(text: str, n: int) -> bool:
    """A run of terms rather than a sentence: separators everywhere, few function words, or the
    same word again and again."""
    separators = text.count(",") + text.count("|") + text.count(" - ") + text.count(" / ") + text.count(";")
    function = len(_FUNCTION.findall(text))
    if "|" in text or text.count(" - ") >= 2:
        return True
    if separators >= 3 and n / (separators + 1) < 3.5 and function / max(1, n) < 0.25 and not _OFFER_VERB.search(text):
        return True  # (a list after "offering" or "such as" is a sentence's object, not a keyword list)
    counts: dict[str, int] = {}
    for w in words(text.lower()):
        if len(w) > 3 and not _FUNCTION.fullmatch(w):
            counts[w] = counts.get(w, 0) + 1
    return any(c >= 3 for c in counts.values()) and n <= 40


def _someone_else(sentence: str, firm: Company, named: bool) -> str | None:
    """Whose sentence it is when it isn't the company's: a person's (a bio: the company is never
    "he" or "his") or another named party's (a vendor, a place). A founder founding it is fine."""
    if _HE_SHE.search(sentence):
        return "about a person (he/she)"
    company_event = named and bool(_EVENT.search(sentence))  # "Jo Park founded Acme with her brother in 1990"
    if _PERSONAL.search(sentence) and not company_event:
        return "staff bio"
    third = _third_party(sentence, firm)
    if third:
        return third
    person = (_PERSON_AFTER_CLAUSE.match(sentence.split(", ", 1)[1])
              if ", " in sentence and _BIO_OPENER.match(sentence) else None)
    if person and not firm.named_in(person.group("who")) and not (named and _FOUNDING.search(sentence)):
        return "about a person"  # "Prior to Acme, Ken spent three years at Cisco."
    if _BIO_VERB.match(sentence) and not firm.named_in(" ".join(sentence.split()[:3])) and not company_event:
        return "staff bio"
    return None


def _third_party(sentence: str, firm: Company) -> str | None:
    """A sentence led by another named party (a vendor, a place, a person) with no "we" tying it to
    this company: "Pilkington has introduced...", "Summit County is...", "Zebra's new printer..."."""
    if not firm or re.match(r"(?i)(?:\W*(?:at|in|for|since|today|now),?\s+)*(?:we|our)\b", sentence):
        return None  # led by "we"; or no name to compare against (a named subject may be the company)
    heads = [sentence]
    if not firm.named_in(sentence) and not _WE.search(sentence):
        # The main clause after an opening one: "With over 30 years of experience, Phil provides...",
        # "Offering steeps, glades and bowls, Copper Mountain is...".
        heads += sentence.split(", ")[1:8]
    for head in heads:
        run = _leading_name(head)
        if not run or firm.named_in(" ".join(run)):
            continue
        after = head.split(run[-1], 1)[-1].split()[:1]
        if len(run) >= 2 or run[0].endswith(("'s", "’s")) or (after and _NAME_VERB.match(after[0])):
            return "third-party subject"
    return None


_BIO_OPENER = re.compile(r"(?:prior to|before|after|since|as|with|from|widely|having|when|while|outside|besides"
                         r"|in addition to|apart from|along with|born|raised|a native|an avid|originally|previously"
                         r"|formerly|during|throughout|at)\b", re.IGNORECASE)
# After an opening clause, a first name (and maybe a surname) doing what people do: a bio's sentence.
_PERSON_AFTER_CLAUSE = re.compile(
    r"(?!(?:We|Our|The|This|That|These|It|Its|They|Their|Each|Every|All|Today|Now)\b)(?P<who>[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’-]+)?)"
    r"\s+(?:is|was|has|had|joined|spent|built|brings|brought|earned|holds|held|served|worked|works|leads|led"
    r"|received|graduated|began|studied|lives|enjoys|oversees|manages|managed|helped|helps)\b")
_FOUNDING = re.compile(r"\b(?:founded|co-founded|established|started|formed|incorporated)\b", re.IGNORECASE)
_NAME_VERB = re.compile(r"^(?:is|are|was|were|has|have|had|will|can|offers|provides|says|said|announced|introduced"
                        r"|launched|makes|sells|manufactures|brings|serves|leads|joined|founded|started|works"
                        r"|includes|include)\b")
_JOINERS = ("&", "and", "of", "de", "von", "van")


def _led_by_other(sentence: str, firm: Company) -> bool:
    """The sentence opens with another name as its subject: "Summit County includes...". (Narrower
    than _third_party: a description's title-like opening, "Recruiting Software for Coaches", is not.)"""
    run = _leading_name(sentence)
    if not run or not firm or firm.named_in(" ".join(run)):
        return False
    after = sentence.split(run[-1], 1)[-1].split()[:1]
    # (Not "Harris Dermatology offers...": in its own description that is the site's brand.)
    return bool(after) and after[0].lower() in ("is", "are", "was", "were", "has", "have", "includes", "include")


def _leading_name(sentence: str) -> list[str]:
    """The capitalised words a sentence opens with (an opening "The", "In", ... left out), joined by
    "&", "and", "of" as names are ("Katz, Marshall & Banks")."""
    tokens = sentence.split()
    while tokens and tokens[0].lower().strip(",") in _OPENING_WORDS:
        tokens = tokens[1:]
    run: list[str] = []
    for token in tokens:
        bare = token.strip(",.;:()\"'“”")
        if not (bare[:1].isupper() or (run and bare in _JOINERS)):
            break
        run.append(bare)
    while run and run[-1] in _JOINERS:
        run.pop()
    return run


def _other_language(sentence: str, named: bool, n: int, lang: str | None) -> Scored:
    """Only what holds in any language: the company's name, numbers, dates, a sentence's shape."""
    reasons = [f"in {lang}: scored by name, numbers and dates only"]
    value = 0.0
    if named:
        value += 3.0
        reasons.append("names the company")
    if _YEAR.search(sentence) or _NUMBER.search(sentence):
        value += 1.5
        reasons.append("number or date")
    if _FINISHED.search(sentence) and 8 <= n <= 40:
        value += 0.5
    return Scored(value if named else min(value, SHOW_AT - 1), tuple(reasons))


# A quotation signed on its last line: "...raised £26,000.<br>Karen Harvey, Helston Mentoring Project".
# The signature is a person's name (two or three capitalised words) and, after a comma, their role or
# organisation, all in title case; or any title-case line after a dash ("- Jo Park").
_NAME_WORD = r"[A-Z][\w.'’-]*"
_TITLE_WORD = r"(?:[A-Z][\w.'’&-]*|&|of|and|the|for|at|in|on|to|with|de|von|van)"
_SIGNATURE = re.compile(rf"^(?:[-–—~]\s*{_NAME_WORD}(?:\s+{_TITLE_WORD}){{0,5}}(?:,\s*{_TITLE_WORD}(?:\s+{_TITLE_WORD}){{0,6}})*"
                        rf"|{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}(?:,\s*{_TITLE_WORD}(?:\s+{_TITLE_WORD}){{0,6}})+),?$")


def signed_quote(block_text: str) -> bool:
    """Whether a block is someone's words signed on its last line(s): finished sentences, then a line
    break and a signature (a name and a role or organisation) with no full stop of its own."""
    lines = [" ".join(line.split()) for line in block_text.split("\n")]
    lines = [line for line in lines if line]
    last_finished = max((i for i, line in enumerate(lines) if _FINISHED.search(line)), default=None)
    if last_finished is None or last_finished == len(lines) - 1:
        return False
    tail = " ".join(lines[last_finished + 1:])
    return len(tail.split()) <= 14 and not any(c.isdigit() for c in tail) and bool(_SIGNATURE.match(tail))


def about_company(text: str, firm: Company) -> bool:
    """Whether text speaks of the company: its name, "we"/"our", "the company", or an opening like
    "Established in 1976"."""
    return bool(firm.named_in(text) or _WE.search(text) or _THE_COMPANY.search(text) or _IMPLICIT.match(text))


# -- the site's own description ----------------------------------------------------------------------
MIN_DESCRIPTION_WORDS = 8


def description_fact(description: str | None, firm: Company, lang: str | None = "en") -> tuple[str | None, str]:
    """The site's own description as a fact, cleaned of questions and calls to action, or None with
    the reason it is not one (only the name, a keyword list, too short, a placeholder...)."""
    from .sentences import split_sentences, trim

    if not description:
        return None, "no description"
    text = " ".join(description.split()).lstrip(".,;:-–—|· ")
    if _PLACEHOLDER.search(text) or _CODEISH.search(text):
        return None, "placeholder"
    if "\ufffd" in text or "ï¿½" in text:
        return None, "broken characters"
    name_only = norm(text) in firm.phrases or norm(text).replace(" ", "") in firm.squashed
    if name_only:
        return None, "only the company's name"
    english = lang in (None, "en")
    sentences = split_sentences(text)
    if len(sentences) > 1 and len(text) >= 140 and not _FINISHED.search(sentences[-1]):
        sentences = sentences[:-1]  # cut off by a length limit of the site's own: "...and offer services"
    kept = []
    for sentence in sentences:
        if english and not kept and _led_by_other(sentence, firm):
            continue  # "Summit County includes...": about somewhere or someone else
        # The parts of a title-like description ("Acme - View our accounts"), separators kept.
        pieces = re.split(r"(\s+[|–—-]\s+)", sentence)
        out = ""
        for j in range(0, len(pieces), 2):
            part = pieces[j].strip()
            if not part or (english and (part.rstrip("\"'”’)").endswith("?") or _CALL_TO_ACTION.match(part)
                                         or _ACTION_INSIDE.search(part) or _BOILERPLATE.search(part)
                                         or _ADVICE.match(part) or _DANGLING.match(part))):
                continue  # "Looking for a plumber?", "Call us today."
            if _PHONE.search(part) or _CONTACT.search(part) or part.endswith(("...", "…")):
                continue  # contact lines; a part cut off mid-word ("...the best business de...")
            out = f"{out}{pieces[j - 1] if out else ''}{part}"
        if out:
            if kept and not _FINISHED.search(kept[-1]):
                kept[-1] += "."  # what was left of a sentence whose tail was dropped ("Acme - Call us.")
            kept.append(out)
    n = sum(len(words(s)) for s in kept)
    if n < MIN_DESCRIPTION_WORDS:
        return None, f"under {MIN_DESCRIPTION_WORDS} words"
    text = " ".join(kept)
    if _keyword_list(text, min(n, 40)) or (english and not _FUNCTION.search(text)):
        return None, "a keyword list"
    # Whole sentences up to 60 words; a first sentence longer than that cut at a clause.
    shown: list[str] = []
    for sentence in kept:
        if shown and len(words(" ".join(shown + [sentence]))) > 60:
            break
        shown.append(sentence)
    text = " ".join(shown)
    text = trim(text, 60) if len(words(text)) > 60 else text
    return (text, "good") if text else (None, "one sentence too long to cite")


# -- phrases from a page's structure (titles, headings, menus) ---------------------------------------
STRUCTURE_SCORE = SHOW_AT - 0.1  # shown, but after every sentence the page itself says


def specific_words(text: str) -> list[str]:
    """Words that say something particular (not function words, claims, or what any business says)."""
    return _specific(text)


def finished(text: str) -> bool:
    """Whether text ends as a sentence does."""
    return bool(_FINISHED.search(text))


def phrase_rejected(phrase: str) -> str | None:
    """Why a short phrase (a title part, a heading, a menu entry) is no part of a citable fact, or None:
    what rules out a sentence, less the rules for sentences' length and finish."""
    for pattern, reason in ((_PLACEHOLDER, "placeholder"), (_CODEISH, "code, link or e-mail"),
                            (_BOILERPLATE, "boilerplate"), (_CREDIT, "credit"), (_PHONE, "address or phone line"),
                            (_CONTACT, "address or phone line"), (_POLICY, "policy or legal terms"),
                            (_ACTION_INSIDE, "call to action"), (_FREE_QUOTE, "a sales offer (free quote)"),
                            (_TESTIMONIAL, "testimonial"), (_SUPERLATIVE, "boast"), (_STATEMENT, "promise"),
                            (_YOU, "addressed to the reader"), (_FIRST_PERSON_SINGULAR, "I/my")):
        if pattern.search(phrase):
            return reason
    if _CALL_TO_ACTION.match(phrase) or _ADVICE.match(phrase) or _DANGLING.match(phrase) or _QUOTED.match(phrase):
        return "call to action, advice or a fragment"
    if re.search(r"(?i)\b(?:currently|temporarily|underway|unavailable|offline|down for|not found|error)\b", phrase):
        return "a notice about the site"
    if "?" in phrase or "!" in phrase or "\ufffd" in phrase:
        return "question, exclamation or broken characters"
    if len(_CLAIMS.findall(phrase)) >= 2 or (len(_CLAIMS.findall(phrase)) == 1 and len(_specific(phrase)) < 2):
        return "quality claims"
    if "|" in phrase or phrase.count(" - ") >= 2:
        return "keyword list"
    return None


def recency(published: str | None, today=None) -> float:
    """A dated item's score (news, feeds, filings, job openings): fresh news is the best reason to write
    (a month: as good as the site's own description); a year-old item is as good as an ordinary fact."""
    day = dates.to_date(published)
    if day is None:
        return SHOW_AT
    age = ((today or date.today()) - day).days
    return 10.0 if age <= 30 else 8.0 if age <= 90 else 6.0 if age <= 365 else SHOW_AT
