"""The briefing's fixed words in French, for a French report (French in, French out).

Keys are the English labels themselves, so the briefing reads as English code and a
missing entry falls back to English. Only the frame is translated here: steps come in
the SOPs' own French (``action_fr``); rule explanations stay as the rules wrote them.
"""

from __future__ import annotations

FRENCH = {
    "Report:": "Signalement :",
    "site": "site",
    "unspecified": "non précisé",
    "model": "modèle",
    "LIFE SAFETY": "SÉCURITÉ DES PERSONNES",
    "EVACUATE": "ÉVACUER",
    "SHELTER IN PLACE": "CONFINER",
    "UNDECIDED": "NON DÉCIDÉ",
    "otherwise": "sinon",
    "basis": "sur la base de",
    "unknown": "inconnu",
    "0. FIRST 30 MINUTES": "0. LES 30 PREMIÈRES MINUTES",
    "scenario": "scénario",
    "full plans in 4.": "plans complets en 4.",
    "DON'TS OF THE HOUR": "À NE PAS FAIRE",
    "NOW": "MAINTENANT",
    "10 MIN": "10 MIN",
    "30 MIN": "30 MIN",
    "clock running": "délai en cours",
    "1. SITUATION": "1. SITUATION",
    "Category": "Catégorie",
    "Severity": "Gravité",
    "Facts given": "Faits donnés",
    "Facts read from the text": "Faits lus dans le texte",
    "(correct with --facts path=value)": "(corriger avec --facts chemin=valeur)",
    "from text:": "dans le texte :",
    "2. APPLICABLE SOPs": "2. PROCÉDURES APPLICABLES",
    "3. NOTIFICATIONS DUE": "3. NOTIFICATIONS À FAIRE",
    "by": "avant",
    "MANDATORY": "OBLIGATOIRE",
    "conditional": "conditionnelle",
    "recommended": "recommandée",
    "4. SCENARIOS": "4. SCÉNARIOS",
    "PRIORITIES": "PRIORITÉS",
    "FULL PLAN": "PLAN COMPLET",
    "(priorities: 0.)": "(priorités : 0.)",
    "(if triggered)": "(si déclenché)",
    "SAME AS": "COMME",
    "steps": "étapes",
    "same order and clocks": "même ordre, mêmes délais",
    "opens with": "commence par",
    "PLUS ITS OWN": "PLUS SES ÉTAPES PROPRES",
    "nothing else": "rien d'autre",
    "5. SIMILAR PAST INCIDENTS": "5. INCIDENTS PASSÉS SIMILAIRES",
    "none": "aucun",
}


def label(language: str, english: str) -> str:
    """``english`` in the briefing's language (English when no French entry exists)."""
    return FRENCH.get(english, english) if language == "fr" else english


__all__ = ["FRENCH", "label"]
