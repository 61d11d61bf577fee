"""When two prospects are the same company: the name as a key (case, punctuation and legal endings aside) and
the website's host (scheme and "www." aside). Pure functions; the repo compares them."""
from __future__ import annotations

import unicodedata

from app.core import urls
from app.research.names import norm

# Words that say what legal form a company has, not which company it is: "Acme Inc." is "Acme". Only dropped
# from the end (and "the" from the start): "Co" inside "Co Op Foods" is part of the name.
LEGAL_ENDINGS = frozenset("""inc incorporated llc llp lp ltd limited co corp corporation company companies plc gmbh
mbh ag kg sa sas sarl srl spa bv nv pty pte lda oy ab as aps pc pllc group holding holdings""".split())


def company_key(name: str) -> str:
    """"Acme, Inc." -> "acme"; "Harbor & Pine Co." -> "harborandpine"; "Café Nord" -> "cafenord"."""
    # Accents aside: a CSV from one system says "Cafe", the rep types "Café".
    folded = "".join(c for c in unicodedata.normalize("NFKD", name or "") if not unicodedata.combining(c))
    words = norm(folded).split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    core = list(words)
    while core and core[-1] in LEGAL_ENDINGS | {"and"}:  # "Smith & Co" ends in "and" once "co" is gone
        core.pop()
    # Spacing aside too: "ToledoCars" is "Toledo Cars". A name made only of legal words keeps them.
    return "".join(core or words)


def website_host(url: str) -> str:
    """The host a website is at, for comparing: "https://www.Acme.io/about" -> "acme.io"; "" for none."""
    return urls.site(urls.with_scheme((url or "").strip())) if (url or "").strip() else ""
