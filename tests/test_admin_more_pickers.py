"""More pickers (issue 14, point 3): a lesson's tags typed freely with suggestions, a concept's
broader and related concepts and an evaluation question's chains as sorted checkbox lists with
drafts marked, and "Förväxla inte med" chosen with the page chooser, limited to concepts."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from taggit.models import Tag

from larande.models import (
    ChainIndexPage,
    ConceptPage,
    EffectChainPage,
    EvaluationQuestion,
    EvaluationResultPage,
    GlossaryIndexPage,
    Lesson,
)
from tests.admin_forms import add_url, all_error_messages, edit_url, field_errors, form_data, merged
from tests.test_roles import _result_form


def _soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _labels(soup, name):
    inputs = soup.find_all("input", attrs={"name": name})
    assert inputs and all(i["type"] == "checkbox" for i in inputs), name
    return [i.find_parent("label").get_text(" ", strip=True) for i in inputs]


@pytest.fixture
def chains(home):
    index = ChainIndexPage(title="Effektkedjor", slug="kedjor-i-test")
    home.add_child(instance=index)
    for title, live in [("Örebroprojektet", True), ("Arbetsmarknad", False), ("Kompetenslyftet", True)]:
        index.add_child(instance=EffectChainPage(title=title, slug=title.lower(), purpose="Visa.", live=live))
    return index


@pytest.fixture
def concepts(home):
    index = GlossaryIndexPage(title="Begrepp", slug="begrepp-i-test")
    home.add_child(instance=index)
    for title, live in [("Utfall", True), ("Aktivitet", False), ("Effekt", True)]:
        index.add_child(
            instance=ConceptPage(title=title, slug=title.lower(), short_definition="Kort.", chain_level="D", live=live)
        )
    return index


def test_a_lessons_tags_are_typed_with_suggestions_and_existing_tags_reused(admin_client, site):
    Tag.objects.create(name="Samverkan", slug="samverkan")
    response = admin_client.get(add_url(site["results"], EvaluationResultPage))
    tag_input = _soup(response).find(attrs={"name": "lessons-__prefix__-tags"})
    assert tag_input.name == "input" and tag_input["data-controller"] == "w-tag"
    assert "autocomplete" in tag_input["data-w-tag-url-value"]

    data = _result_form(admin_client, site["results"], **{"lessons-0-tags": "samverkan, Nya arbetssätt"})
    response = admin_client.post(add_url(site["results"], EvaluationResultPage), data)
    assert response.status_code == 302, all_error_messages(response)
    lesson = Lesson.objects.get(statement="Samverkan kräver tid.")
    assert sorted(tag.name for tag in lesson.tags.all()) == ["Nya arbetssätt", "Samverkan"]
    assert Tag.objects.filter(name__iexact="samverkan").count() == 1
    assert Tag.objects.get(name="Nya arbetssätt").slug == "nya-arbetssätt"

    edit_form = _soup(admin_client.get(edit_url(lesson.result)))
    assert edit_form.find(attrs={"name": "lessons-0-tags"})["value"] == '"Nya arbetssätt", Samverkan'


def test_a_lesson_keeps_its_tags_when_saved_unchanged(admin_client, site):
    data = _result_form(admin_client, site["results"], **{"lessons-0-tags": "Samverkan"})
    admin_client.post(add_url(site["results"], EvaluationResultPage), data)
    result = EvaluationResultPage.objects.get(slug="kompetenslyftet")
    response = admin_client.post(edit_url(result), merged(form_data(admin_client.get(edit_url(result)))))
    assert response.status_code == 302
    assert [tag.name for tag in Lesson.objects.get(result=result).tags.all()] == ["Samverkan"]


def test_unusual_lesson_tags_are_made_and_shown_again_as_typed(admin_client, site):
    """Swedish letters, a comma inside quotes, quotes, an emoji and a tag of the longest length."""
    longest = "å" * 100
    typed = f"\"Öl, bröd och ägg\", Säg 'hej', 🎉, 🚀, {longest}"
    data = _result_form(admin_client, site["results"], **{"lessons-0-tags": typed})
    response = admin_client.post(add_url(site["results"], EvaluationResultPage), data)
    assert response.status_code == 302, all_error_messages(response)
    lesson = Lesson.objects.get(statement="Samverkan kräver tid.")
    names = sorted(tag.name for tag in lesson.tags.all())
    assert names == sorted(["Öl, bröd och ägg", "Säg 'hej'", "🎉", "🚀", longest])
    slugs = [tag.slug for tag in lesson.tags.all()]
    assert all(slugs) and len(set(slugs)) == len(slugs)

    # The edit form gives back a text that reads as the same tags, and saving it changes nothing.
    form = form_data(admin_client.get(edit_url(lesson.result)))
    response = admin_client.post(edit_url(lesson.result), form)
    assert response.status_code == 302, all_error_messages(response)
    assert sorted(tag.name for tag in Lesson.objects.get(pk=lesson.pk).tags.all()) == names
    assert Tag.objects.count() == 5


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Ny tagg, " + "x" * 101, "högst 100 tecken"),
        (", ".join(f"tagg {i}" for i in range(51)), "högst 50 taggar"),
        ("Ny tagg, noll\x00tecken", "tecken som inte går att spara"),
    ],
    ids=["too-long", "too-many", "nul-character"],
)
def test_bad_lesson_tags_are_a_swedish_error_at_the_field_and_nothing_is_saved(admin_client, site, typed, message):
    data = _result_form(admin_client, site["results"], **{"lessons-0-tags": typed})
    response = admin_client.post(add_url(site["results"], EvaluationResultPage), data)
    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, "lessons-0-tags"))
    assert not EvaluationResultPage.objects.filter(slug="kompetenslyftet").exists()
    assert not Tag.objects.exists()


@pytest.mark.parametrize("typed", ['"', '""', ",,,", '"oavslutad, tagg', "  ", "a,,b", "'", "\\", "<b>fet</b>"])
def test_odd_lesson_tag_input_is_saved_or_refused_never_an_error_page(admin_client, site, typed):
    data = _result_form(admin_client, site["results"], **{"lessons-0-tags": typed})
    response = admin_client.post(add_url(site["results"], EvaluationResultPage), data)
    assert response.status_code in (200, 302), all_error_messages(response)
    if response.status_code == 302:
        result = EvaluationResultPage.objects.get(slug="kompetenslyftet")
        tags = list(Lesson.objects.get(result=result).tags.all())
        assert all(tag.name.strip() and tag.slug for tag in tags)
        assert admin_client.get(edit_url(result)).status_code == 200


def test_broader_and_related_concepts_are_sorted_checkboxes_with_drafts_marked(admin_client, concepts):
    response = admin_client.get(add_url(concepts, ConceptPage))
    soup = _soup(response)
    for name in ("broader", "related"):
        assert not soup.find("select", attrs={"name": name})
        assert _labels(soup, name) == ["Aktivitet (utkast)", "Effekt", "Utfall"]


def test_a_contrasted_concept_is_chosen_with_the_page_chooser_for_concepts(admin_client, concepts):
    soup = _soup(admin_client.get(add_url(concepts, ConceptPage)))
    chooser = soup.find(attrs={"name": "contrasts-__prefix__-other"})
    assert chooser is not None and chooser.name == "input" and chooser["type"] == "hidden"
    assert "larande.conceptpage" in str(soup).lower()


def test_a_questions_chains_are_sorted_checkboxes_with_drafts_marked(admin_client, chains):
    url = reverse(f"larande_{EvaluationQuestion._meta.model_name}_modeladmin_create")
    soup = _soup(admin_client.get(url))
    assert not soup.find("select", attrs={"name": "chains"})
    assert _labels(soup, "chains") == ["Arbetsmarknad (utkast)", "Kompetenslyftet", "Örebroprojektet"]
