"""Who a count applies to: people on site, members of the public, people who collapse.

"two workers collapsed" is a casualty, "the roof collapsed" is not. These are regex
fragments that sit between a count and its verb in :mod:`agent.rules.counts`.
"""

from __future__ import annotations

import re

# Up to three words between the count and the verb: "one operator has died", "2 agents sont".
PEOPLE = r"(?:\s+[a-z']+){0,3}?"

PUBLIC = (
    r"(?:\s+[a-z]+)?\s+(?:members? of the public|passengers?|residents?|pedestrians?|child|"
    r"children|spectators?|customers?|pupils?|riverains?|habitants?|passagers?|voyageurs?|"
    r"enfants?|spectateurs?)"
    r"(?:\s+[a-z]+){0,3}?"
)

PEOPLE_WHO_COLLAPSE = (
    r"(?:workers|people|staff|operators|employees|men|women|persons|"
    r"ouvriers|salaries|personnes|agents|operateurs)"
)
"""People nouns: after them "collapsed" is a casualty, after "roof" a structure."""

A_PERSON = re.compile(
    r"\s+(?:[a-z]+\s+)?(?:worker|man|woman|driver|pedestrian|child|resident|person|passenger|"
    r"employee|operator|firefighter|nurse|visitor|contractor|family|boy|girl|cyclist|"
    r"ouvrier|homme|femme|conducteur|chauffeur|pieton|enfant|riverain|personne|passager|"
    r"salarie|agent|operateur|pompier|visiteur|famille|cycliste)e?s?\b"
)
"""After a verb-first article ("injuring a worker"): the article counts one person."""

THINGS = re.compile(
    r"\s+(?:\w+\s+)?(?:kg|kilos?|tonnes?|tons?|litres?|liters?|l|m3|detonators?|wagons?|"
    r"containers?|vehicles?|cars?|trucks?|lorries|drums?|barrels?|cylinders?|bottles?|laptops?|"
    r"servers?|files?|records?|hosts?|pcs?|machines?|tanks?|pallets?|boxes|bags?|"
    r"detonateurs?|voitures?|camions?|futs?|bouteilles?|ordinateurs?|serveurs?|postes?|"
    r"fichiers?|cuves?|palettes?|colis|sacs?|conteneurs?|vehicules?|m|metres?|meters?|km|"
    r"hectares?|ha|factures?|invoices?|e-?mails?|courriels?|messages?|documents?|tests?|"
    r"couteaux?|knife|knives|armes?|guns?|fusils?|pistolets?|haches?|machetes?)\b"
)
"""What follows a count of things, not people: "40 detonators missing" is a theft."""

_PUBLIC_WORDS = re.compile(
    r"\b(?:passengers?|passagers?|voyageurs?|residents?|riverains?|habitants?|pedestrians?|"
    r"pietons?|members? of the public|public|spectators?|spectateurs?|fans|runners|coureurs|"
    r"pupils?|eleves|children|enfants|babies|bebes|consumers?|consommateurs?|customers?|"
    r"shoppers|guests|convives|festivaliers|motorists?|automobilistes?|families|familles|"
    r"crowd|foule|pub|gig|concert|festival|fest|mariage|wedding|stade|stadium|marathon|"
    r"passants|metro|rame|on board|a bord|invites)\b"
)
_STAFF_WORDS = re.compile(
    r"\b(?:workers?|staff|employees?|operators?|operatives|contractors?|technicians?|"
    r"salaries?|ouvriers?|employes?|operateurs?|agents?|techniciens?|prestataires?|"
    r"colleagues?|collegues?|shift|equipe de quart|night shift|firefighters?|pompiers|"
    r"sapeurs-pompiers|crew|equipage)\b"
)


def public_casualties(norm: str) -> bool:
    """The report is about members of the public more than staff: its casualties are theirs."""
    return len(_PUBLIC_WORDS.findall(norm)) > len(_STAFF_WORDS.findall(norm))
