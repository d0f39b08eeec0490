"""Lärdomar: every lesson of every live, public result, with facets that combine and count."""

import datetime
import re

import pytest
from wagtail.models import PageViewRestriction

from larande.models import Lesson
from tests.publishing_support import start_page
from tests.test_pages_support import (
    assert_queries_do_not_grow,
    index_page,
    lesson_index,
    main_text,
    make_private,
    priority,
    region,
    result,
    result_index,
    text_of,
)

pytestmark = pytest.mark.django_db

LESSON_INDEX_QUERY_BUDGET = 16


def _statements(response):
    return re.findall(r'<p class="lesson__statement">([^<]+)</p>', response.content.decode())


def build_world():
    """The lesson index and three results with lessons, regions and priorities, built once for the
    module (tests/conftest.py: `world`)."""
    home = start_page()
    results = result_index(home)
    page = lesson_index(home)
    vb, jh = region("Västerbotten"), region("Jämtland Härjedalen")
    innovation, kompetens = priority("Innovation och företagande"), priority("Kompetensförsörjning")
    result(
        results,
        "Klusterutvärdering",
        datetime.date(2024, 3, 1),
        regions=[vb],
        priorities=[innovation],
        lessons=[
            ("Kluster behöver långsiktig finansiering.", "C", ["Finansiering", "Kluster"]),
            ("Mät aktivitet i klustren varje år.", "E", ["Kluster"]),
        ],
    )
    result(
        results,
        "Nätverksutvärdering",
        datetime.date(2023, 6, 1),
        regions=[vb, jh],
        priorities=[kompetens],
        lessons=[("Nätverk sprider kunskap snabbt.", "D", ["Kompetens"])],
    )
    result(
        results,
        "Företagsstöd",
        datetime.date(2024, 9, 1),
        regions=[jh],
        priorities=[innovation, kompetens],
        lessons=[("Stöd utan uppföljning ger okänd effekt.", "", ["Finansiering"])],
    )
    return page


@pytest.fixture
def lessons(world):
    """The lesson index of the module's world, fresh for each test."""
    return world


def test_lesson_index_lists_every_public_lesson_with_level_tags_and_result_link(client, lessons):
    response = client.get(lessons.url)

    assert response.status_code == 200
    assert _statements(response) == [
        "Stöd utan uppföljning ger okänd effekt.",
        "Kluster behöver långsiktig finansiering.",
        "Mät aktivitet i klustren varje år.",
        "Nätverk sprider kunskap snabbt.",
    ]
    text = main_text(response)
    assert "4 lärdomar" in text
    assert (
        "Kluster behöver långsiktig finansiering. Nivå C Kortsiktiga effekter Från Klusterutvärdering "
        "(2024, Västerbotten) Finansiering Kluster"
    ) in text
    lesson = Lesson.objects.get(statement="Kluster behöver långsiktig finansiering.")
    assert f'href="{lesson.result.url}#lardom-{lesson.pk}">Klusterutvärdering</a>' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tagg": "kluster"}, ["Kluster behöver långsiktig finansiering.", "Mät aktivitet i klustren varje år."]),
        ({"niva": "C"}, ["Kluster behöver långsiktig finansiering."]),
        ({"niva": "d"}, ["Nätverk sprider kunskap snabbt."]),
        (
            {"region": "jamtland-harjedalen"},
            ["Stöd utan uppföljning ger okänd effekt.", "Nätverk sprider kunskap snabbt."],
        ),
        ({"ar": "2023"}, ["Nätverk sprider kunskap snabbt."]),
        (
            {"prioritering": "kompetensforsorjning"},
            ["Stöd utan uppföljning ger okänd effekt.", "Nätverk sprider kunskap snabbt."],
        ),
        ({"tagg": "finansiering", "region": "vasterbotten"}, ["Kluster behöver långsiktig finansiering."]),
        (
            {"tagg": "finansiering", "ar": "2024", "prioritering": "innovation-och-foretagande"},
            [
                "Stöd utan uppföljning ger okänd effekt.",
                "Kluster behöver långsiktig finansiering.",
            ],
        ),
        (
            {"tagg": "kluster", "niva": "E", "region": "vasterbotten", "ar": "2024"},
            ["Mät aktivitet i klustren varje år."],
        ),
        ({"tagg": "kompetens", "ar": "2024"}, []),
        ({"niva": "G"}, []),
    ],
)
def test_lesson_filters_combine_with_and(client, lessons, params, expected):
    response = client.get(lessons.url, params)
    assert response.status_code == 200
    assert _statements(response) == expected


def test_lesson_counts_are_given_the_other_active_filters(client, lessons):
    response = client.get(lessons.url, {"tagg": "finansiering"})
    text = text_of(response)
    html = response.content.decode()

    # Among lessons tagged Finansiering: one per year, one at C, one without a level.
    assert "2024 (2 lärdomar)" in text and "2023 (" not in text
    assert "C Kortsiktiga effekter (1 lärdom)" in text
    assert "Västerbotten (1 lärdom)" in text and "Jämtland Härjedalen (1 lärdom)" in text
    assert "Innovation och företagande (2 lärdomar)" in text and "Kompetensförsörjning (1 lärdom)" in text
    # The tag facet itself is counted without the tag filter, so other tags stay choosable.
    assert "Kluster (2 lärdomar)" in text and "Kompetens (1 lärdom)" in text and "Alla taggar (4 lärdomar)" in text
    assert '<input type="radio" name="tagg" value="finansiering" checked>' in html
    for legend in ["Tagg", "Nivå i effektkedjan", "Region", "År", "RUS-prioritering"]:
        assert f"<legend>{legend}</legend>" in html


def test_filters_live_in_the_url_and_can_be_removed_one_by_one(client, lessons):
    response = client.get(lessons.url, {"tagg": "kluster", "niva": "E", "sida": "1"})
    html = response.content.decode()

    assert f'<form class="filters" method="get" action="{lessons.url}"' in html
    assert 'href="?niva=E"><span class="visually-hidden">Ta bort filtret </span>Tagg: Kluster' in html
    assert (
        'href="?tagg=kluster"><span class="visually-hidden">Ta bort filtret </span>Nivå i effektkedjan: E Prestationer'
        in html
    )
    assert '<a href="?">Rensa alla filter</a>' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tagg": "okand"}, "Det finns inga lärdomar med taggen ”okand”."),
        ({"niva": "Q"}, "Det finns ingen nivå ”Q” i effektkedjan. Välj en av nivåerna A–G."),
        ({"region": "skane"}, "Det finns inga lärdomar från regionen ”skane”."),
        ({"ar": "förra året"}, "”förra året” är inget årtal."),
        ({"prioritering": "x" * 500}, "Det finns inga lärdomar för RUS-prioriteringen ”" + "x" * 100 + "”."),
    ],
)
def test_unknown_filter_values_give_empty_list_and_swedish_message(client, lessons, params, message):
    response = client.get(lessons.url, params)

    assert response.status_code == 200
    assert _statements(response) == []
    assert message in text_of(response)


def test_unknown_value_still_offers_the_valid_options(client, lessons):
    text = text_of(client.get(lessons.url, {"tagg": "okand", "niva": "C"}))
    assert "Kluster (1 lärdom)" in text and "Finansiering (1 lärdom)" in text


def test_lessons_of_drafts_private_pages_and_unpublished_edits_never_appear(client, home):
    results = result_index(home)
    page = lesson_index(home)
    result(results, "Utkast", lessons=[("Lärdom i utkast.", "D", ["Utkasttagg"])], live=False)
    make_private(result(results, "Lösenord", lessons=[("Lärdom bakom lösenord.", "D", ["Hemligtagg"])]))
    make_private(
        result(results, "Inloggning", lessons=[("Lärdom bakom inloggning.", "D", [])]), PageViewRestriction.LOGIN
    )
    result(results, "Avpublicerat", lessons=[("Avpublicerad lärdom.", "D", [])]).unpublish()
    live = result(results, "Publicerat", lessons=[("Publicerad lärdom.", "D", ["Synlig"])])
    live.lessons.add(Lesson(statement="Ny lärdom som bara finns i utkastet.", chain_level="B"))
    live.save_revision()
    # A result under a private section is private too.
    private_section = index_page(home, type(results), "Intern", "intern")
    make_private(private_section)
    result(private_section, "Internt", lessons=[("Intern lärdom.", "D", [])], regions=[region("Gotland")])

    response = client.get(page.url)

    assert _statements(response) == ["Publicerad lärdom."]
    html = response.content.decode()
    for hidden in ["utkast", "lösenord", "inloggning", "Avpublicerad", "Intern", "Utkasttagg", "Hemligtagg", "Gotland"]:
        assert hidden not in html.split("<main", 1)[1], hidden
    assert "B Långsiktiga effekter" not in html


def test_lesson_index_empty_state(client, home):
    assert "Inga lärdomar är publicerade ännu." in main_text(client.get(lesson_index(home).url))


def test_lesson_index_query_count_is_pinned_and_does_not_grow_with_lessons(client, home, django_assert_max_num_queries):
    results = result_index(home)
    page = lesson_index(home)
    regions = [region(f"Region {i}") for i in range(4)]
    priorities = [priority(f"Prioritering {i}") for i in range(3)]

    def add(start, stop):
        for r in range(start, stop):
            result(
                results,
                f"Resultat {r:03}",
                datetime.date(2015 + r % 10, 1, 1),
                regions=regions[: 1 + r % 4],
                priorities=priorities[: 1 + r % 3],
                lessons=[(f"Lärdom {r:03}-{i}", "BCDEFG"[(r + i) % 6], [f"Tagg {i}", "Alla"]) for i in range(5)],
                revision=False,
            )

    # Results of five lessons each: 1 result (5 lessons), then 4 (20 lessons), all on the first page.
    url = page.url + "?tagg=alla"
    responses = assert_queries_do_not_grow(
        client, {url: LESSON_INDEX_QUERY_BUDGET}, add, django_assert_max_num_queries, few=1, many=4
    )

    assert "20 lärdomar" in main_text(responses[url])
