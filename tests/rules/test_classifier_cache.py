"""The trained categoriser kept on disk: the same weights as a fresh train, never a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from agent.rules import classifier
from agent.rules.model_cache import CACHE_ENV, DiskCache, cache_dir

TEXT = "Fuite d'ammoniac dans la salle des machines, nuage vers la clôture, deux blessés."


@pytest.fixture(scope="module")
def trained(shipped_pack: Any) -> tuple[classifier.NaiveBayes, list[str]]:
    fields = [classifier.sop_fields(s) for s in shipped_pack.sops if s.status == "approved"]
    docs = classifier.documents(shipped_pack.taxonomy, fields)
    codes = shipped_pack.taxonomy.codes()
    return classifier.train(docs, codes), codes


def _same(a: classifier.NaiveBayes, b: classifier.NaiveBayes) -> bool:
    return (
        a.codes == b.codes
        and a.vocabulary == b.vocabulary
        and a.fingerprint == b.fingerprint
        and a.documents == b.documents
        and a.log_probs.dtype == b.log_probs.dtype
        and np.array_equal(a.log_probs, b.log_probs)
    )


def test_a_stored_model_has_the_weights_of_a_fresh_train(
    tmp_path: Path, trained: tuple[classifier.NaiveBayes, list[str]]
) -> None:
    model, codes = trained
    cache = DiskCache(tmp_path)
    cache.save(model)
    loaded = cache.load(model.fingerprint, codes)
    assert loaded is not None and loaded is not model
    assert _same(loaded, model)
    assert loaded.predict(TEXT) == model.predict(TEXT)
    assert list(tmp_path.iterdir()) == [cache.path(model.fingerprint, codes)]  # no temp left


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_corrupt_file_is_a_miss_then_rebuilt(
    tmp_path: Path,
    trained: tuple[classifier.NaiveBayes, list[str]],
    damage: str,
    monkeypatch: pytest.MonkeyPatch,
    shipped_pack: Any,
) -> None:
    model, codes = trained
    cache = DiskCache(tmp_path)
    cache.save(model)
    path = cache.path(model.fingerprint, codes)
    data = path.read_bytes()
    path.write_bytes({"garbage": b"not a model", "truncated": data[:5000], "empty": b""}[damage])
    assert cache.load(model.fingerprint, codes) is None

    monkeypatch.setattr(classifier, "_MODELS", {})
    fields = [classifier.sop_fields(s) for s in shipped_pack.sops if s.status == "approved"]
    rebuilt = classifier.model_for(shipped_pack.taxonomy, fields, cache)
    assert _same(rebuilt, model)
    reread = cache.load(model.fingerprint, codes)
    assert reread is not None and _same(reread, model)


def test_a_file_of_other_documents_or_codes_is_not_used(
    tmp_path: Path, trained: tuple[classifier.NaiveBayes, list[str]]
) -> None:
    model, codes = trained
    cache = DiskCache(tmp_path)
    cache.save(model)
    other = cache.path("0" * 64, codes)
    cache.path(model.fingerprint, codes).rename(other)
    assert cache.load("0" * 64, codes) is None
    assert cache.load(model.fingerprint, codes[:-1]) is None


def test_a_warm_process_loads_instead_of_training(
    tmp_path: Path, shipped_pack: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fields = [classifier.sop_fields(s) for s in shipped_pack.sops if s.status == "approved"]
    monkeypatch.setattr(classifier, "_MODELS", {})
    first = classifier.model_for(shipped_pack.taxonomy, fields, DiskCache(tmp_path))

    def no_training(*_: Any) -> classifier.NaiveBayes:
        raise AssertionError("trained again despite a valid cache file")

    monkeypatch.setattr(classifier, "_MODELS", {})  # a new process
    monkeypatch.setattr(classifier, "train", no_training)
    second = classifier.model_for(shipped_pack.taxonomy, fields, DiskCache(tmp_path))
    assert _same(first, second)


def test_an_unwritable_cache_is_ignored(
    tmp_path: Path, trained: tuple[classifier.NaiveBayes, list[str]]
) -> None:
    model, codes = trained
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    cache = DiskCache(blocker / "cache")
    cache.save(model)  # no error
    assert cache.load(model.fingerprint, codes) is None


def test_the_cache_folder_can_be_chosen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "here"))
    assert cache_dir() == tmp_path / "here"
    assert DiskCache().root == tmp_path / "here"
