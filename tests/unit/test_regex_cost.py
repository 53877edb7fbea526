"""Reading a report compiles small patterns, and they match exactly what the full ones match.

Issue 11: the ~9,400-character number-word tree embedded in ~30 reader patterns, and the
categoriser's re-parse of the pack's YAML, were a third of a ``crisiscell suggest``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from agent.errors import ConfigError
from agent.rules import (
    classifier,
    count_words,
    counts,
    cue_needs,
    cyber_scope,
    durations,
    evacuations,
    severity_cues,
)
from agent.rules.count_words import ALL_WORDS, DIGITS, NUM, NUMBER_WORDS, fill, trie_pattern
from agent.rules.model_cache import CACHE_ENV
from agent.rules.text_facts import extract_facts
from agent.settings import PROJECT_ROOT

TRICKY = [
    "someone reported 3 servers down; twenty-three thousand homes without power since two hours",
    "quatre-vingt-dix-neuf salaries evacues, dix-sept blesses, soixante et onze personnes",
    "killing at least a dozen people, injuring dozens of passengers, eighth floor for 1 200 h",
    "les deux chauffeurs et les 37 salaries ont ete evacues; a hundred workers coughing",
    "left about one thousand households without water; damage of eur 2,500 000 to the plant",
    "since twentyone minutes, within half an hour, dans trois heures the flames reach the fence",
    "vingt-et-un mille foyers prives d'electricite; a few trucks burned; un cent cents mille",
    "fourteen million consumer records stolen, forty servers scrambled, 12 machines touchees",
]


def _templates() -> list[str]:
    """Every reader pattern that holds the number words, as written."""
    cued = [
        p for path in severity_cues.CUE_FILES for c in severity_cues.cues(path) for p in c.patterns
    ]
    return [
        *(r"\b" + p for p in counts.PATTERNS.values()),
        *(r"\b" + p + r"\b" for p in counts.REVERSE_PATTERNS.values()),
        *durations.ELAPSED_PATTERNS,
        *durations.ETA_PATTERNS,
        cyber_scope.HOSTS_PATTERN,
        cyber_scope.RECORDS_PATTERN,
        evacuations.COUNT_PATTERN,
        *(p for p in cued if count_words.WORDS_SLOT in p),
    ]


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[Any, ...]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


def test_filled_with_every_word_it_is_the_full_number_tree() -> None:
    tree = trie_pattern(list(NUMBER_WORDS))
    filled = fill(NUM, ALL_WORDS)
    # The tree, then up to two more words after a multiplier ("one hundred and twenty").
    assert filled.startswith("(" + DIGITS + "|(?:" + tree + ")")
    assert filled.count(tree) == 2
    assert len(filled) > 9000


def test_an_unfilled_template_cannot_be_compiled() -> None:
    with pytest.raises(re.error):
        re.compile(NUM)


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a new process: no word sets seen yet (earlier tests may have read 32 texts)."""
    monkeypatch.setattr(count_words, "_seen", set())


def test_the_words_of_a_text_are_every_number_word_in_it() -> None:
    words = count_words.words_for.__wrapped__("someone saw twenty-three trucks")
    assert {"one", "twenty", "three", "twenty-three"} <= words
    assert "two" not in words and words <= ALL_WORDS


@pytest.mark.parametrize("text", TRICKY)
def test_a_filled_pattern_matches_as_the_full_one(text: str) -> None:
    words = count_words.words_for.__wrapped__(text)
    for template in _templates():
        small, full = re.compile(fill(template, words)), re.compile(fill(template, ALL_WORDS))
        assert _matches(small, text) == _matches(full, text), template[:60]


def test_a_text_without_number_words_compiles_digits_only() -> None:
    pattern = re.compile(fill(counts.PATTERNS["casualties.injured"], frozenset()))
    assert pattern.search("3 workers injured") is not None
    assert pattern.search("three workers injured") is None
    assert len(pattern.pattern) < 2000


def test_after_enough_distinct_texts_the_full_tree_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(count_words, "_seen", set())
    monkeypatch.setattr(count_words, "SPECIALISED", 2)
    read = count_words.words_for.__wrapped__
    assert read("one") != ALL_WORDS and read("two") != ALL_WORDS
    assert read("three") == ALL_WORDS


def test_reading_a_report_compiles_no_number_tree() -> None:
    """The count patterns a short report needs are a few hundred characters, not ~9,400."""
    text = "ammonia smell near the compressor room, one worker coughing"
    words = count_words.words_for.__wrapped__(text)
    assert max(len(p.pattern) for p in counts.compiled(words).values()) < 2500
    assert (
        extract_facts("Ammonia smell near the compressor room, one worker coughing")[
            "casualties.exposed"
        ]
        == 1
    )


def test_a_counted_cue_reads_number_words() -> None:
    """``{NUM}`` in the cue file is filled per text too."""
    assert extract_facts("Damage of eur two thousand to the gate")["damage.onsite_eur"] == 2000
    assert extract_facts("Dégâts estimés à deux cents euros")["damage.onsite_eur"] == 200


# --- the pack as the categoriser reads it, kept on disk -----------------------------------------


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    return tmp_path


def _documents(shipped_pack: Any) -> list[classifier.Document]:
    sops = classifier.read_pack_sops(PROJECT_ROOT / "sops", shipped_pack.taxonomy)
    return classifier.documents(shipped_pack.taxonomy, sops)


def test_a_cached_pack_trains_on_the_documents_of_the_loaded_one(
    cache: Path, shipped_pack: Any
) -> None:
    loaded = [classifier.sop_fields(s) for s in shipped_pack.sops if s.status == "approved"]
    wanted = classifier.fingerprint(classifier.documents(shipped_pack.taxonomy, loaded))
    first = _documents(shipped_pack)  # parsed, then written
    [stored] = cache.glob("sop-fields-*.json")
    assert _documents(shipped_pack) == first  # read back
    assert classifier.fingerprint(first) == wanted
    assert json.loads(stored.read_bytes())["taxonomy"]["families"]


@pytest.mark.parametrize(
    "damage", [b"", b"{not json", b'{"taxonomy": 1}', b'{"taxonomy": 1, "sops": [3]}']
)
def test_a_damaged_cache_file_is_parsed_again(
    cache: Path, shipped_pack: Any, damage: bytes
) -> None:
    first = _documents(shipped_pack)
    [stored] = cache.glob("sop-fields-*.json")
    stored.write_bytes(damage)
    assert _documents(shipped_pack) == first


def test_another_taxonomy_learns_nothing_from_the_cached_pack(
    cache: Path, shipped_pack: Any
) -> None:
    _documents(shipped_pack)  # cached
    other = shipped_pack.taxonomy.model_copy(
        update={"families": shipped_pack.taxonomy.families[:1]}
    )
    assert classifier.read_pack_sops(PROJECT_ROOT / "sops", other) == []


# --- cue patterns compiled only when a text may match them --------------------------------------


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        (r"\bppi\b[^.;]{0,40}\b(?:declenche|active)", ("active", "declenche")),
        (r"\bppi\b[^.;]{0,40}", ("ppi",)),
        (r"(?:foo|bar)+zz", ("bar", "foo")),
        (r"(?:foo|)zz", ("zz",)),
        (r"(?i:abc)x", ("x",)),
        (r"(?i)abc", None),
        (r"x*", None),
        (r"[ab]c?", None),
    ],
)
def test_what_a_pattern_needs(pattern: str, needed: tuple[str, ...] | None) -> None:
    assert cue_needs.needs(pattern) == needed


@pytest.mark.parametrize("text", [*TRICKY, "le ppi est declenche", "power cut", "no one hurt"])
def test_a_pattern_a_text_does_not_need_does_not_match_it(text: str) -> None:
    for path in severity_cues.CUE_FILES:
        for cue in severity_cues.cues(path):
            for pattern, need in zip(cue.patterns, cue.needs, strict=True):
                if not cue_needs.may_match(need, text):
                    assert severity_cues.compiled(pattern).search(text) is None


def test_cue_needs_are_kept_on_disk_and_a_broken_file_still_fails(
    cache: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("- fact: ppi.triggered\n  value: true\n  patterns: ['\\bppi\\b']\n")
    severity_cues.cues(good)
    assert len(list(cache.glob("cue-needs-*.json"))) == 1
    severity_cues.cues.cache_clear()
    [cue] = severity_cues.cues(good)
    assert cue.needs == (("ppi",),)
    broken = tmp_path / "broken.yaml"
    broken.write_text("- fact: ppi.triggered\n  value: true\n  patterns: ['ppi(']\n")
    with pytest.raises(ConfigError):
        severity_cues.cues(broken)
    assert len(list(cache.glob("cue-needs-*.json"))) == 1


def test_a_thousands_separator_before_a_scale_word_is_read_not_a_crash() -> None:
    from agent.rules.text_facts import extract_facts

    facts = extract_facts("Data breach: 1 200 million records exfiltrated from the CRM")
    assert facts.get("personal_data.records") == 1_200_000_000
    extract_facts("soixante-dix-sept 1 200 million records")  # once raised ValueError
