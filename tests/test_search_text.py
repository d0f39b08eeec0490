"""The shared text analysis: Swedish forms meet, diacritics fold, limits hold."""

import pytest

from search.glossary import Concept, find_definition, synonym_rules
from search.snippets import highlight
from search.text import MAX_QUERY_CHARS, MAX_QUERY_TERMS, analyse, clean_query, edit_distance, fold, normalise


@pytest.mark.parametrize(
    "forms",
    [
        ["utfall", "utfallet", "utfallen", "Utfallets"],
        ["prestation", "prestationer", "prestationerna", "prestationen"],
        ["långsiktiga effekter", "långsiktig effekt", "langsiktiga effekterna", "LÅNGSIKTIGA EFFEKTER"],
        ["effektkedja", "effektkedjan", "effektkedjor", "effektkedjorna"],
        ["indikator", "indikatorn", "indikatorer", "indikatorerna"],
        ["resultat", "resultatet", "resultaten"],
        ["utvärderingsfråga", "utvarderingsfragor", "utvärderingsfrågorna"],
    ],
)
def test_forms_of_a_word_become_the_same_terms(forms):
    assert len({tuple(analyse(form)) for form in forms}) == 1, {form: analyse(form) for form in forms}


def test_stop_words_go_with_or_without_diacritics():
    assert analyse("vad är ett utfall") == analyse("vad ar ett utfall") == analyse("utfall")


def test_normalise_removes_control_characters_and_folds_width():
    assert normalise("Ｕtfall\x00\x1b[1m\u200b  effekt\n") == "utfall [1m effekt"
    assert fold("åäöéüæø") == "aaoeuaeo"
    assert fold("ÅÄÖÆ") == "AAOAE"


def test_clean_query_caps_length_and_words():
    query, cut = clean_query("ord" + " ord" * 10 + " " + "x" * 400)
    assert cut and len(query) <= MAX_QUERY_CHARS
    query, cut = clean_query(" ".join(f"w{i}" for i in range(50)))
    assert cut and len(query.split()) == MAX_QUERY_TERMS
    assert clean_query("  utfall  ") == ("utfall", False)


def test_edit_distance_counts_a_swap_once_and_stops_early():
    assert edit_distance("efektkedj", "effektkedj") == 1
    assert edit_distance("utfal", "utfla") == 1
    assert edit_distance("abcdefgh", "zzzzzzzz", limit=2) == 3


def test_highlight_escapes_and_marks_matches():
    snippet = highlight("<b>Utfallet</b> inträffar direkt & tydligt.", set(analyse("utfall")))
    assert snippet == "&lt;b&gt;<mark>Utfallet</mark>&lt;/b&gt; inträffar direkt &amp; tydligt."


def _concept(title, *labels, deprecated=False, use_instead=None, pk=1):
    url, definition = f"/begrepp/{pk}/", f"{title} betyder något."
    return Concept(pk, title, url, definition, "", deprecated, use_instead, (title, *labels))


def test_definition_card_by_label_inflection_typo_and_question_words():
    concepts = [_concept("Utfall", "outcome", pk=1), _concept("Effektkedja", "logic model", pk=2)]
    for query in ["utfall", "Utfallet", "outcomes", "utfal", "vad betyder utfall?", "what is outcome"]:
        assert find_definition(query, concepts).title == "Utfall", query
    assert find_definition("logic models", concepts).title == "Effektkedja"
    assert find_definition("utfall effektkedja", concepts) is None
    assert find_definition("kontakt", concepts) is None


def test_deprecated_concept_card_points_to_the_replacement():
    concepts = [_concept("Resultatkedja", deprecated=True, use_instead=2, pk=1), _concept("Effektkedja", pk=2)]
    card = find_definition("resultatkedjan", concepts)
    assert card.title == "Resultatkedja" and card.replacement_title == "Effektkedja"


def test_synonym_rules_are_safe_solr_syntax():
    rules = synonym_rules([_concept("Effekt på lång sikt", "long-term effect", "a => b, c", pk=1)])
    assert rules == ["effekt lång sikt, long term effect, a b c"]


def test_stemming_in_many_threads_at_once_gives_the_same_stems():
    """gunicorn's gthread workers stem in several threads at once; a shared Snowball stemmer keeps
    its state between calls and broke (IndexError) or gave wrong stems."""
    import threading  # noqa: PLC0415

    from search.text import _snowball  # noqa: PLC0415

    words = [
        f"{stem}{suffix}"
        for stem in ("utfall", "effektkedj", "indikator", "region")
        for suffix in ("", "en", "erna", "arnas")
    ] * 200
    expected = [_snowball(word) for word in words]
    failures = []

    def run():
        try:
            if [_snowball(word) for word in words] != expected:
                failures.append("wrong stems")
        except Exception as error:  # noqa: BLE001
            failures.append(repr(error))

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
