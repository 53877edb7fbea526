"""Which acts in a sentence are negated: "do not aim water at the leak" is advice.

A cue ("do not", "never", "avoid", "ne ... pas", "jamais", "sans") negates the
acts that follow it up to the end of its clause. The scope is kept tight on
purpose, because a hostile text hides a real instruction behind a negation:

* "don't hesitate to hose the leak", "never stop spraying", "n'hésitez pas à"
  cancel the cue (the act is asked for);
* a clause break ("but", "then", ":", "mais", "puis") ends the scope, and a comma
  or "and" ends it unless the next act repeats the negated one ("do not touch,
  move or cover the package"); "don't panic and spray the leak" asks to spray;
* "without", "instead of", "stop" reach only the act right after them;
* a trailing "is forbidden" / "est interdit" negates the acts before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.guard.concepts import FILLERS, Occurrence
from agent.guard.tokens import Token

PRE_CUES: tuple[tuple[str, ...], ...] = tuple(
    tuple(c.split())
    for c in (
        "do not",
        "don t",
        "dont",
        "does not",
        "doesn t",
        "must not",
        "mustn t",
        "should not",
        "shouldn t",
        "shall not",
        "may not",
        "cannot",
        "can not",
        "can t",
        "will not",
        "won t",
        "never",
        "avoid",
        "refrain from",
        "not",
        "nobody",
        "no one",
        "under no circumstances",
        "at no time",
        "ne",
        "n",
        "jamais",
        "eviter",
        "evitez",
        "evitons",
        "evite",
        "interdit de",
        "interdiction de",
        "defense de",
        "en aucun cas",
        "surtout pas",
        "ban",
        "forbid",
        "prohibit",
        "interdire",
        "interdisez",
        "interdisons",
    )
)
SHORT_CUES: tuple[tuple[str, ...], ...] = tuple(
    tuple(c.split())
    for c in (
        "without",
        "instead of",
        "rather than",
        "stop",
        "cease",
        "quit",
        "sans",
        "au lieu de",
        "plutot que",
        "plutot que de",
        "arreter de",
        "arretez de",
        "cessez de",
        "cesser de",
        "before any",
        "prior to",
        "avant tout",
        "avant toute",
        "ni",
        "nor",
        "neither",
    )
)
"""Cues that reach only the act right after them; "ni nettoyage ni réparation" denies both."""
CLAUSE_INITIAL_CUES = frozenset({"no", "pas", "aucun", "aucune", "nul"})
POST_CUES: tuple[tuple[str, ...], ...] = tuple(
    tuple(c.split())
    for c in (
        "forbidden",
        "prohibited",
        "banned",
        "not allowed",
        "not permitted",
        "must be avoided",
        "is a mistake",
        "interdit",
        "interdite",
        "interdits",
        "interdites",
        "proscrit",
        "proscrite",
        "prohibe",
        "prohibee",
        "a eviter",
        "a proscrire",
        "a bannir",
        "pas autorise",
        "n est pas autorise",
    )
)
CANCELLERS = (
    "hesit",
    "forget",
    "oubli",
    "fail",
    "manqu",
    "wait",
    "attend",
    "delay",
    "tard",
    "stop",
    "arret",
    "cess",
    "only",
    "seulement",
    "hold off",
    "be afraid",
    "craign",
    "let up",
)
HARD_BREAKS = frozenset(
    [
        "but",
        "then",
        "instead",
        "however",
        "otherwise",
        "yet",
        "so",
        "mais",
        "puis",
        "ensuite",
        "sinon",
        "cependant",
        "pourtant",
        "alors",
        "donc",
        "before",
        "after",
        "until",
        "avant",
        "apres",
        "jusqu",
    ]
)
SOFT_BREAKS = frozenset(["and", "et", "while", "when", "if", "si", "quand", "lorsque", "whereas"])
CONNECTORS = frozenset(["or", "nor", "ni", "ou", "and", "et"])
INTENSIFIERS = frozenset(
    [
        "ever",
        "even",
        "directly",
        "under",
        "any",
        "circumstances",
        "circumstance",
        "at",
        "time",
        "whatever",
        "happens",
        "jamais",
        "surtout",
        "absolument",
    ]
)
SHORT_REACH = 2
EVEN_WORDS = frozenset(["even", "meme"])
"""After a comma, "even to save a colleague" / "même pour" stays in the negated clause."""
LIST_JOINERS = frozenset(["or", "nor", "ou", "ni"])
"""A short cue reaches each noun of a list it owns: "before any re-entry or restart"."""
LIST_OWNERS = frozenset(
    ["sans", "without", "no", "not", "pas", "never", "jamais", "aucun", "aucune"]
)
NEAR_NEGATORS = frozenset(["not", "no", "pas", "never", "jamais", "ni", "nor", "aucun", "aucune"])
EMBEDDED_NEGATORS = NEAR_NEGATORS | {"ne", "n", "t", "dont", "without", "sans", "inutile"}
FRENCH_NE = frozenset(["ne", "n"])
FRENCH_NE_CLOSERS = frozenset(
    ["pas", "plus", "jamais", "rien", "personne", "aucun", "aucune", "nullement", "point", "guere"]
)
RESTRICTIVE_QUE = frozenset(["que", "qu"])
CONJUNCTION_QUE = frozenset(
    [
        "tant",
        "parce",
        "bien",
        "alors",
        "pendant",
        "avant",
        "apres",
        "des",
        "pour",
        "afin",
        "ainsi",
        "sorte",
        "maniere",
        "facon",
        "meme",
        "lors",
        "sitot",
        "aussitot",
        "depuis",
        "pourvu",
    ]
)


DOUBLE_NEGATIONS: tuple[tuple[str, ...], ...] = tuple(
    tuple(c.split())
    for c in (
        "no reason not to",
        "no reason why not",
        "nothing prevents",
        "nothing stops",
        "nothing wrong with",
        "nothing against",
        "aucune raison de ne pas",
        "aucune raison de ne",
        "pas question de ne pas",
        "rien n empeche de",
        "rien n empeche",
        "rien ne nous empeche de",
        "rien ne s oppose a",
        "rien ne s oppose",
    )
)
"""Two negations that ask for the act: "no reason not to ship", "rien n'empêche de relancer"."""
SUBJECT_VERBS = frozenset(
    [
        "guarantees",
        "guarantee",
        "ensures",
        "means",
        "proves",
        "won",
        "garantit",
        "garantira",
        "assure",
        "signifie",
        "prouve",
    ]
)
"""A verb after an act's noun makes the noun a subject: "payment guarantees no deletion"."""
BEFORE_WORDS = frozenset(["avant", "before"])
WAIT_DENIERS = frozenset(
    ["without", "sans", "need", "besoin", "peine", "inutile", "rather", "instead"]
)


def negated(tokens: Sequence[Token], acts: Sequence[Occurrence]) -> list[bool]:
    """For each act occurrence of the sentence, whether a cue negates it.

    An act noun that is the subject of a statement ("payment guarantees nothing")
    counts as negated too: it asks for nothing.
    """
    flags = [_is_subject(tokens, act) or not_ours(tokens, act) for act in acts]
    void = _double_negations(tokens)
    for start, end in _need_cues(tokens):
        void.update(range(start, end))
        after = _next_word(tokens, end)
        for i, act in enumerate(acts):
            flags[i] = flags[i] or act.start == after
    void_until = -1
    for start, end, short in _pre_cues(tokens):
        if start < void_until or start in void:
            continue
        if _cancelled(tokens, end) or _restrictive_ne(tokens, start):
            void_until = end + 3
            for i, act in enumerate(acts):  # "do not wait for the inquiry": the wait is denied
                if end <= act.start < end + 2 and _cancelled(tokens, act.start, 1):
                    flags[i] = True
            continue
        for i in _scope(tokens, end, acts, short):
            if not _part_of_act(tokens, acts[i], start, end):
                flags[i] = True
    for start, _ in _post_cues(tokens):
        for i, act in enumerate(acts):
            if act.end <= start and not _hard_break_between(tokens, act.end, start):
                flags[i] = True
    return flags


NEED_CUES: tuple[tuple[str, ...], ...] = tuple(
    tuple(c.split())
    for c in (
        "no need to",
        "no need for",
        "not necessary to",
        "unnecessary to",
        "pas besoin de",
        "pas besoin d",
        "pas la peine de",
        "pas la peine d",
        "inutile de",
        "inutile d",
        "pas necessaire de",
    )
)
""""No need to X" denies X only: in "no need to log the stand-down" the stand-down is asked for."""


WAIT_REFUSED = WAIT_DENIERS | NEAR_NEGATORS | {"don", "dont", "t", "ne", "n", "cannot", "can"}
PERFECT = frozenset(["has", "have", "had", "is", "are", "was", "were", "been"])
"""Auxiliaries of a done or passive act: "before the manager has released it", "before the
families are told" state a condition, they ask for nothing."""
CONDITIONS = frozenset(["before", "until", "once", "after", "when", "unless"])
OWN_SUBJECTS = frozenset(["you", "we", "i", "u"])


def not_ours(tokens: Sequence[Token], act: Occurrence) -> bool:
    """An act someone else does that the text waits for or states as a condition.

    "wait for the fire service to extricate him": the firemen extricate, we wait;
    "before ... the quality manager has released it", "before the families are told": the
    release and the telling are conditions.
    "don't wait for the fire service to extricate him" still asks for the act.
    """
    return _awaited_act(tokens, act) or _done_condition(tokens, act) or _offered(tokens, act)


THIRD_PARTY_VERBS = frozenset(
    ["offers", "threatens", "promises", "claims", "demands", "proposes", "propose", "proposent",
     "menace", "menacent", "promet", "promettent", "exige", "exigent"]
)
"""A third person's offer, threat or demand: "the group offers to delete the files" is their act
("on propose de supprimer", "nous proposons" are ours)."""
OUR_SUBJECTS = frozenset(["on", "nous", "je", "j", "we", "i"])


def _offered(tokens: Sequence[Token], act: Occurrence) -> bool:
    before = [t.text for t in tokens[max(0, act.start - 4) : act.start] if not t.mark]
    words = [w for w in before if w not in ("to", "de", "d", "now", "then", "also")]
    if not words or words[-1] not in THIRD_PARTY_VERBS:
        return False
    return len(words) < 2 or words[-2] not in OUR_SUBJECTS


def _awaited_act(tokens: Sequence[Token], act: Occurrence) -> bool:
    agent = False
    for i in range(act.start - 1, -1, -1):
        token = tokens[i]
        if token.mark or token.text in HARD_BREAKS or token.text in SOFT_BREAKS:
            return False
        if token.text.startswith(("wait", "attend")):
            before = {t.text for t in tokens[max(0, i - 3) : i]}
            return agent and not before & WAIT_REFUSED
        agent = agent or token.text not in FILLERS | {"for", "que", "qu", "till"}
    return False


def _done_condition(tokens: Sequence[Token], act: Occurrence) -> bool:
    if act.start < 2 or tokens[act.start - 1].text not in PERFECT:
        return False
    if tokens[act.start - 2].text in OWN_SUBJECTS:
        return False
    for token in reversed(tokens[: act.start - 1]):
        if token.mark:
            return False
        if token.text in CONDITIONS:
            return True
    return False


def _need_cues(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for i in range(len(tokens)):
        n = next((len(c) for c in NEED_CUES if _matches(tokens, i, c)), 0)
        if n:
            out.append((i, i + n))
    return out


def _next_word(tokens: Sequence[Token], i: int) -> int:
    """The first token from ``i`` that is neither a mark nor a filler word."""
    while i < len(tokens) and (tokens[i].mark or tokens[i].text in FILLERS):
        i += 1
    return i


def _is_subject(tokens: Sequence[Token], act: Occurrence) -> bool:
    return act.end < len(tokens) and tokens[act.end].text in SUBJECT_VERBS


def _double_negations(tokens: Sequence[Token]) -> set[int]:
    """Token positions whose cues negate nothing: a double negation and its clause so far.

    "il n'y a aucune raison de ne pas expédier": the "n'" of "il n'y a" belongs to it too.
    """
    out: set[int] = set()
    for i in range(len(tokens)):
        n = next((len(c) for c in DOUBLE_NEGATIONS if _matches(tokens, i, c)), 0)
        if n:
            begin = i
            while begin and not _breaks(tokens[begin - 1]):
                begin -= 1
            out.update(range(begin, i + n))
    return out


def _breaks(token: Token) -> bool:
    return token.mark or token.text in HARD_BREAKS


def waits_for(tokens: Sequence[Token], start: int) -> bool:
    """True when what stands at ``start`` is what someone will not wait for.

    "without waiting for the fire commander to hand the area back", "sans attendre
    la levée de doute", "pas la peine d'attendre l'électricien": the excuse is denied.
    """
    for i in range(start - 1, -1, -1):
        token = tokens[i]
        if token.text == ":" or (token.text in HARD_BREAKS and token.text not in BEFORE_WORDS):
            return False
        if token.text.startswith(("wait", "attend")):
            before = {t.text for t in tokens[max(0, i - 3) : i]}
            return bool(before & WAIT_DENIERS)
    return False


def near_negation(tokens: Sequence[Token], start: int, act: Occurrence | None = None) -> bool:
    """True when "not", "no", "pas", "never" stands right before ``start`` ("not on the leak").

    A negator inside ``act`` does not count: in "appelez pas le 18" the "pas" belongs
    to the act (withholding the call), it does not spare the fire brigade.
    """
    before = [
        (i, t.text) for i, t in enumerate(tokens[:start]) if not t.mark and t.text not in FILLERS
    ][-1:]
    inside = act is not None and any(act.start <= i < act.end for i, _ in before)
    return not inside and any(
        w in NEAR_NEGATORS or (w in FRENCH_NE and _ne_closed(tokens, start)) for _, w in before
    )


def _ne_closed(tokens: Sequence[Token], start: int, reach: int = 4) -> bool:
    """A French "ne" closed right after ``start``: "un tuyau ne protège personne"."""
    return any(
        t.text in FRENCH_NE_CLOSERS for t in tokens[start : start + reach] if not t.mark
    )


def embeds_negation(tokens: Sequence[Token], act: Occurrence) -> bool:
    """An act worded as a negation ("don't call", "pas besoin d'appeler", "leave him alone")."""
    return any(t.text in EMBEDDED_NEGATORS for t in tokens[act.start : act.end])


def _part_of_act(tokens: Sequence[Token], act: Occurrence, start: int, end: int) -> bool:
    """A cue that is the act's own negation: "n'appelez pas" is the act, not advice against it."""
    return embeds_negation(tokens, act) and act.start - 1 <= start < act.end and end <= act.end + 1


def _restrictive_ne(tokens: Sequence[Token], start: int) -> bool:
    """French "ne ... que" means "only": "n'est évacué qu'après la décon" negates nothing."""
    if tokens[start].text not in FRENCH_NE:
        return False
    if start and tokens[start - 1].text in FRENCH_NE_CLOSERS:  # "personne ne", "rien n'"
        return False
    for i in range(start + 1, len(tokens)):
        token = tokens[i]
        if token.mark or token.text in FRENCH_NE_CLOSERS:
            return False
        if token.text in RESTRICTIVE_QUE and tokens[i - 1].text not in CONJUNCTION_QUE:
            return True
    return False


def _matches(tokens: Sequence[Token], i: int, cue: tuple[str, ...]) -> bool:
    return all(i + k < len(tokens) and tokens[i + k].text == w for k, w in enumerate(cue))


def _index(cues: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    """Cues by first word, longest first, so a token is compared with few of them."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for cue in sorted(cues, key=len, reverse=True):
        out.setdefault(cue[0], []).append(cue)
    return out


_PRE = _index(PRE_CUES)
_SHORT = _index(SHORT_CUES)
_POST = _index(POST_CUES)


def _cue_at(tokens: Sequence[Token], i: int, index: dict[str, list[tuple[str, ...]]]) -> int:
    """The length of the longest cue of ``index`` starting at ``i`` (0 when none)."""
    return next((len(c) for c in index.get(tokens[i].text, ()) if _matches(tokens, i, c)), 0)


def _pre_cues(tokens: Sequence[Token]) -> list[tuple[int, int, bool]]:
    found: list[tuple[int, int, bool]] = []
    for i, token in enumerate(tokens):
        if token.mark:
            continue
        if n := _cue_at(tokens, i, _PRE):
            found.append((i, i + n, False))
        elif n := _cue_at(tokens, i, _SHORT):
            found.append((i, i + n, True))
        elif token.text in CLAUSE_INITIAL_CUES and _clause_initial(tokens, i):
            found.append((i, i + 1, False))
    return found


def _post_cues(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    return [
        (i, i + n)
        for i in range(1, len(tokens))
        if not tokens[i].mark and (n := _cue_at(tokens, i, _POST))
    ]


def _clause_initial(tokens: Sequence[Token], i: int) -> bool:
    if i == 0:
        return True
    before = tokens[i - 1]
    return before.mark or before.text in HARD_BREAKS or before.text in LIST_STARTERS


LIST_STARTERS = frozenset(["and", "et", "or", "ou"])
"""A second "no" of a list opens its own clause: "no force and no retaliation"."""


def _cancelled(tokens: Sequence[Token], end: int, reach: int = 3) -> bool:
    """A cancelled cue: "don't hesitate to", "never stop"."""
    window = [t.text for t in tokens[end : end + reach] if not t.mark]
    return any(w.startswith(c) for w in window for c in CANCELLERS if " " not in c) or any(
        " ".join(window).startswith(c) for c in CANCELLERS if " " in c
    )


def _scope(
    tokens: Sequence[Token], begin: int, acts: Sequence[Occurrence], short: bool
) -> list[int]:
    """Indices of the acts a cue ending at ``begin`` negates."""
    starting: dict[int, list[int]] = {}
    for n, act in enumerate(acts):
        starting.setdefault(act.start, []).append(n)
    out: list[int] = []
    seen_content = False
    last: set[str] = set()
    i = anchor = begin
    while i < len(tokens):
        token = tokens[i]
        if short and token.text in LIST_JOINERS:  # "avant toute réentrée ou tout redémarrage"
            anchor = i
        if short and i - anchor > SHORT_REACH and not out:
            break
        if token.text == ":" or token.text in "()" or token.text in HARD_BREAKS:
            break
        if token.text == "," or token.text in SOFT_BREAKS:
            if not seen_content or (not out and _list_follows(tokens, i + 1)):
                i += 1
                continue
            j = _next_content(tokens, i + 1)
            if j is not None and tokens[j].text in EVEN_WORDS:  # "nobody enters, even to save"
                i = j
                continue
            if not out:
                break
            if j is None or not {acts[n].concept for n in starting.get(j, [])} & last:
                break
            i = j
            continue
        if not token.mark and token.text not in INTENSIFIERS:
            seen_content = True
        if i in starting:
            out += starting[i]
            last = {acts[n].concept for n in starting[i]}
        i += 1
    return out


def _list_follows(tokens: Sequence[Token], i: int) -> bool:
    """True when a comma opens a list of verbs ("do not touch, spray or douse")."""
    for token in tokens[i:]:
        if token.mark or token.text in HARD_BREAKS or token.text in SOFT_BREAKS:
            return False
        if token.text in LIST_OWNERS:  # "sans contrôle ni sécurité": the "ni" is theirs
            return False
        if token.text in ("or", "nor", "ni", "ou"):
            return True
    return False


def _next_content(tokens: Sequence[Token], i: int) -> int | None:
    while i < len(tokens) and (tokens[i].mark or tokens[i].text in CONNECTORS):
        if tokens[i].text == ":":
            return None
        i += 1
    return i if i < len(tokens) else None


def _hard_break_between(tokens: Sequence[Token], a: int, b: int) -> bool:
    return any(t.text == ":" or t.text in HARD_BREAKS for t in tokens[a:b])
