"""Folding skips the look-alike table only for text that cannot hold a look-alike."""

from agent.guard.folding import _homoglyphs, _may_hide_letters, fold_glyphs, latin_cased


def test_every_look_alike_of_the_table_is_noticed() -> None:
    missed = [c for c in _homoglyphs() if not _may_hide_letters(f"spray {c} water")]
    assert missed == []


def test_latin_text_and_typography_need_no_table() -> None:
    assert not _may_hide_letters("Évacuez l’école – 2 km → nord, 20 € « vite »")


def test_look_alikes_are_still_folded() -> None:
    assert fold_glyphs("ѕрrау the leak") == "spray the leak"
    assert latin_cased("Juliеn") == "Julien"
    assert fold_glyphs("5 × 2 m") == "5 x 2 m"
