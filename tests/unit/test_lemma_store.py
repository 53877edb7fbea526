"""The guard's word keys survive the process; a bad file is a miss, never a wrong key."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from agent.guard import tokens
from agent.guard.lemma_store import FORMAT, LemmaStore, store_path


def test_keys_and_membership_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "lemmas.json"
    first = LemmaStore(path)
    first.add_keys("hosing", frozenset({"hosing", "hose", "hos"}))
    first.add_known("hosing", True)
    first.save()
    again = LemmaStore(path)
    assert again.keys("hosing") == frozenset({"hosing", "hose", "hos"})
    assert again.known("hosing") is True
    assert again.keys("never-seen") is None and again.known("never-seen") is None


def test_two_processes_merge_what_they_added(tmp_path: Path) -> None:
    path = tmp_path / "lemmas.json"
    one, two = LemmaStore(path), LemmaStore(path)
    one.add_keys("eau", frozenset({"eau"}))
    two.add_keys("water", frozenset({"water"}))
    one.save()
    two.save()
    merged = LemmaStore(path)
    assert merged.keys("eau") == frozenset({"eau"}) and merged.keys("water") == frozenset({"water"})


@pytest.mark.parametrize(
    "content",
    ["{not json", json.dumps({"format": "other", "keys": {"a": ["b"]}, "known": {}}), "[1, 2]",
     json.dumps({"format": FORMAT, "keys": 3, "known": {}})],
)
def test_an_unreadable_or_foreign_file_is_a_miss(tmp_path: Path, content: str) -> None:
    path = tmp_path / "lemmas.json"
    path.write_text(content, encoding="utf-8")
    store = LemmaStore(path)
    assert store.keys("a") is None
    store.add_keys("a", frozenset({"a"}))
    store.save()
    assert LemmaStore(path).keys("a") == frozenset({"a"})


def test_a_read_only_place_is_ignored(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    store = LemmaStore(blocked / "sub" / "lemmas.json")  # parent is a file: cannot mkdir
    store.add_keys("a", frozenset({"a"}))
    store.save()  # no exception


def test_a_new_tokeniser_or_simplemma_starts_a_new_file(tmp_path: Path) -> None:
    assert store_path(tmp_path, b"v1") != store_path(tmp_path, b"v2")
    assert store_path(tmp_path, b"v1") == store_path(tmp_path, b"v1")


def test_stored_keys_equal_the_dictionaries(tmp_path: Path) -> None:
    """A process reading the file derives exactly what simplemma derives."""
    words = ["évacués", "hosing", "arrosez", "breathing", "nappe", "déverser", "zzqx"]
    code = (
        "import json, sys\n"
        "from agent.guard import tokens\n"
        "words = json.loads(sys.argv[1])\n"
        "print(json.dumps([[sorted(tokens.word_keys(w)), tokens.is_dictionary_word(w)] "
        "for w in words]))\n"
        "print('DICT', 'simplemma' in sys.modules)\n"
    )
    env = {"CRISISCELL_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, json.dumps(words)], env=env,
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout.splitlines()
        for _ in range(2)
    ]
    assert runs[0][0] == runs[1][0]
    assert runs[0][1] == "DICT True" and runs[1][1] == "DICT False"
    direct = [[sorted(tokens.word_keys(w)), tokens.is_dictionary_word(w)] for w in words]
    assert json.loads(runs[1][0]) == direct
