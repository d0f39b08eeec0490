"""A renamed record is found under its new name and not the old one, on both search engines, and
what is cached from it follows.

Questions, regions, RUS priorities, indicators and tags show in the documents of the live results
(and pages and questions) that use them; saving the record re-indexes those. Elasticsearch hears
of a change when the transaction commits, so each change runs inside `committed()`.
"""

import pytest
from taggit.models import Tag

from larande.models import EvaluationResultPage, QuestionAnswer, ReportedIndicatorValue
from search import service
from search.engines.base import Filters
from tests.factories import (
    EvaluationQuestionFactory,
    GuidancePageFactory,
    IndicatorFactory,
    RegionFactory,
    RusPriorityFactory,
)
from tests.publishing_support import publish, result_page, sections
from tests.search_support import make_engine_fixtures

search_content, search_engine = make_engine_fixtures()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def titles(query, **filters):
    return sorted(hit.title for hit in service.search(query, Filters.from_dict(filters)).results)


def _results_section():
    return sections()["results"]


def test_a_renamed_question_is_found_under_its_new_text_in_itself_and_the_results(search_engine, committed):
    with committed():
        question = EvaluationQuestionFactory(text="Ökar antalet pelikaner i länet?")
        page = result_page(_results_section(), "Utvärdering av fågellivet")
        page.answers.add(QuestionAnswer(question=question, answer="Ja, något."))
        page.save()
        publish(page)
    assert titles("pelikaner") == ["Utvärdering av fågellivet", "Ökar antalet pelikaner i länet?"]
    with committed():
        question.text = "Ökar antalet flamingor i länet?"
        question.save()
    assert titles("pelikaner") == []
    assert titles("flamingor") == ["Utvärdering av fågellivet", "Ökar antalet flamingor i länet?"]


def test_a_renamed_region_finds_its_results_under_the_new_name(search_engine, committed, client):
    with committed():
        region = RegionFactory(name="Region Trollskogen", slug="trollskogen")
        page = result_page(_results_section(), "Utvärdering av skogsbruket")
        page.regions.add(region)
        page.save()
        publish(page)
        draft = result_page(_results_section(), "Opublicerat skogsresultat", live=False)
        draft.regions.add(region)
        draft.save()
    assert titles("trollskogen") == ["Utvärdering av skogsbruket"]
    with committed():
        region.name = "Region Drakdalen"
        region.save()
    assert titles("trollskogen") == []
    assert titles("drakdalen") == ["Utvärdering av skogsbruket"]  # the draft stays out
    facets = client.get("/sok/", {"q": "skogsbruket", "format": "json"}).json()["facets"]["region"]
    assert [(f["value"], f["label"]) for f in facets] == [("trollskogen", "Region Drakdalen")]


def test_renamed_priorities_and_indicators_find_their_results_under_the_new_name(search_engine, committed):
    with committed():
        priority = RusPriorityFactory(title="Hållbar humlenäring")
        indicator = IndicatorFactory(name="Antal bisamhällen")
        page = result_page(_results_section(), "Utvärdering av pollineringen")
        page.priorities.add(priority)
        page.indicator_values.add(ReportedIndicatorValue(indicator=indicator, year=2023, value=40))
        page.save()
        publish(page)
    assert titles("humlenäring") == titles("bisamhällen") == ["Utvärdering av pollineringen"]
    with committed():
        priority.title = "Hållbar fjärilsnäring"
        priority.save()
        indicator.name = "Antal myrstackar"
        indicator.save()
    assert titles("humlenäring") == titles("bisamhällen") == []
    assert titles("fjärilsnäring") == titles("myrstackar") == ["Utvärdering av pollineringen"]


def test_a_renamed_tag_is_found_on_its_pages_and_questions(search_engine, committed):
    with committed():
        GuidancePageFactory(title="Om uppföljning", tags=["kvartsmåne"], publish=True)
        question = EvaluationQuestionFactory(text="Följs insatsen upp?")
        question.tags.add("kvartsmåne")
        question.save()
    assert titles("kvartsmåne") == ["Följs insatsen upp?", "Om uppföljning"]
    with committed():
        tag = Tag.objects.get(name="kvartsmåne")
        tag.name = "halvmåne"
        tag.save()
    assert titles("kvartsmåne") == []
    assert titles("halvmåne") == ["Följs insatsen upp?", "Om uppföljning"]


def test_saving_an_unchanged_record_leaves_the_results_found(search_engine, committed):
    with committed():
        region = RegionFactory(name="Region Mumindalen", slug="mumindalen")
        page = result_page(_results_section(), "Utvärdering av dalen")
        page.regions.add(region)
        page.save()
        publish(page)
    with committed():
        region.save()
    assert titles("mumindalen") == ["Utvärdering av dalen"]
    assert EvaluationResultPage.objects.live().count() == 1


# --- What is cached ----------------------------------------------------------------------------------


def test_the_framework_document_shows_a_renamed_question_though_it_was_cached(client, home):
    sections(home)
    question = EvaluationQuestionFactory(text="Når insatsen de tänkta målgrupperna?")
    first = client.get("/ramverket/dokument/")
    assert first.status_code == 200
    assert "Når insatsen de tänkta målgrupperna?" in first.content.decode()
    question.text = "Når insatsen de unga målgrupperna?"
    question.save()
    html = client.get("/ramverket/dokument/").content.decode()
    assert "Når insatsen de unga målgrupperna?" in html
    assert "de tänkta målgrupperna" not in html
