"""Editors create, correct, save as draft, publish and edit every page type through the real
page editor (`/admin/pages/add/…` and `/admin/pages/<id>/edit/`), and get Swedish validation
messages next to the field with nothing saved."""

import datetime

import pytest
from django.urls import reverse
from taggit.models import Tag
from wagtail.models import Page, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import HomePage, StandardPage
from larande.models import (
    ChainIndexPage,
    ConceptPage,
    ConceptStatus,
    EffectChainPage,
    EvaluationQuestion,
    EvaluationResultPage,
    FrameworkIndexPage,
    GlossaryIndexPage,
    GuidancePage,
    Indicator,
    Lesson,
    LessonIndexPage,
    QuestionKind,
    Region,
    ResultIndexPage,
    RusPriority,
)
from tests.admin_forms import (
    INVALID_CHOICE,
    INVALID_URL,
    PUBLISH,
    REQUIRED,
    WHOLE_NUMBER,
    add_url,
    all_error_messages,
    edit_url,
    field_errors,
    form_data,
    list_block,
    merged,
    shows,
    status_messages,
    stream_block_errors,
)
from tests.publishing_support import start_page


def _add(parent, page):
    parent.add_child(instance=page)
    return page


def build_world():
    """One of each section page under the start page, as the demo content has them: built once for
    the module (tests/conftest.py: `world`)."""
    home = start_page()
    return {
        "framework": _add(home, FrameworkIndexPage(title="Ramverket", slug="ramverket")),
        "glossary": _add(home, GlossaryIndexPage(title="Begrepp", slug="begrepp")),
        "chains": _add(home, ChainIndexPage(title="Effektkedjor", slug="effektkedjor")),
        "results": _add(home, ResultIndexPage(title="Resultat", slug="resultat")),
    }


@pytest.fixture
def sections(world):
    """The module's section pages, fresh for each test."""
    return world


def _counts():
    return Page.objects.count(), Revision.objects.count()


def _blank_add_form(client, parent, model):
    response = client.get(add_url(parent, model))
    assert response.status_code == 200
    return form_data(response)


def _editor_cycle(client, parent, model, data, changes, stream=None):
    """Create as a draft, publish from the editor, then change and publish again.

    `stream` is StreamField data, which the editor's JavaScript builds: it is sent every time.
    Returns the page as the database has it after the last publish.
    """
    stream = stream or {}
    pages, revisions = _counts()

    response = client.post(add_url(parent, model), merged(_blank_add_form(client, parent, model), data, stream))
    assert response.status_code == 302, all_error_messages(response)
    page = model.objects.get(slug=data["slug"])
    assert response["Location"] == edit_url(page)
    assert not page.live, "a saved draft must not be live"
    assert page.get_parent().pk == parent.pk
    assert _counts() == (pages + 1, revisions + 1)

    response = client.get(edit_url(page))
    assert response.status_code == 200
    response = client.post(edit_url(page), merged(form_data(response), stream, PUBLISH))
    assert response.status_code == 302, all_error_messages(response)
    page = model.objects.get(pk=page.pk)
    assert page.live and not page.has_unpublished_changes
    assert _counts() == (pages + 1, revisions + 2)

    response = client.get(edit_url(page))
    response = client.post(edit_url(page), merged(form_data(response), stream, changes, PUBLISH))
    assert response.status_code == 302, all_error_messages(response)
    page = model.objects.get(pk=page.pk)
    assert page.live and not page.has_unpublished_changes
    assert _counts() == (pages + 1, revisions + 3)
    return page


def _assert_rejected(response, counts_before, field, message):
    """The form came back with `message` next to `field`, and nothing was saved."""
    assert response.status_code == 200, "an invalid form must be shown again, not saved"
    errors = field_errors(response, field)
    assert shows(errors, message), (field, errors, all_error_messages(response))
    assert _counts() == counts_before
    assert any("valideringsfel" in text for text in status_messages(response)), status_messages(response)


# --- the index pages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "slug"),
    [
        (FrameworkIndexPage, "ramverket"),
        (GlossaryIndexPage, "begrepp"),
        (ChainIndexPage, "effektkedjor"),
        (ResultIndexPage, "resultat"),
        (LessonIndexPage, "lardomar"),
    ],
)
def test_editor_creates_drafts_publishes_and_edits_each_index_page(admin_client, home, model, slug):
    data = {"title": "Avsnitt", "slug": slug, "intro": "En kort ingress."}
    page = _editor_cycle(admin_client, home, model, data, {"intro": "En ny ingress."})
    assert page.intro == "En ny ingress."
    assert page.title == "Avsnitt"


def test_index_page_without_title_is_not_created(admin_client, home):
    before = _counts()
    data = merged(_blank_add_form(admin_client, home, GlossaryIndexPage), {"title": "", "slug": "begrepp"}, PUBLISH)
    response = admin_client.post(add_url(home, GlossaryIndexPage), data)
    _assert_rejected(response, before, "title", REQUIRED)


def test_a_second_index_page_of_a_kind_cannot_be_added(admin_client, sections, home):
    before = _counts()
    response = admin_client.get(add_url(home, GlossaryIndexPage))
    assert response.status_code in (302, 403)
    response = admin_client.post(add_url(home, GlossaryIndexPage), {"title": "Begrepp igen", "slug": "begrepp-2"})
    assert response.status_code in (302, 403)
    assert _counts() == before


# --- start page and general pages ------------------------------------------------------------


def test_editor_edits_and_publishes_the_start_page(admin_client, home):
    _pages, revisions = _counts()
    response = admin_client.get(edit_url(home))
    assert response.status_code == 200
    data = merged(
        form_data(response),
        {"introduction": rich_text("<p>Portalen för strategiskt lärande.</p>"), "latest_results_count": "4"},
        PUBLISH,
    )
    response = admin_client.post(edit_url(home), data)
    assert response.status_code == 302, all_error_messages(response)
    home = HomePage.objects.get(pk=home.pk)
    assert home.latest_results_count == 4
    assert "Portalen för strategiskt lärande." in home.introduction
    assert Revision.objects.count() == revisions + 1


def test_start_page_number_of_results_must_be_a_number(admin_client, home):
    before = _counts()
    response = admin_client.get(edit_url(home))
    response = admin_client.post(
        edit_url(home), merged(form_data(response), {"latest_results_count": "många"}, PUBLISH)
    )
    _assert_rejected(response, before, "latest_results_count", WHOLE_NUMBER)


def _body():
    return nested_form_data(
        {
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>Effektkedjan läses nerifrån och upp.</p>")),
                    ("callout", {"heading": "Tänk på", "text": rich_text("<p>Bestäm frågorna gemensamt.</p>")}),
                    ("quote", {"quote": "Slutprodukten blir ett skrivet dokument.", "attribution": "Ramverket"}),
                    (
                        "benefits",
                        {
                            "heading": "Nytta med ramverk",
                            "items": list_block(
                                [
                                    {"title": "Lärande", "text": "Öka kunskap och skapa underlag för lärande."},
                                    {"title": "Styrning", "text": "Ge underlag för beslut."},
                                ]
                            ),
                        },
                    ),
                ]
            )
        }
    )


def test_editor_creates_drafts_publishes_and_edits_a_standard_page(admin_client, home):
    data = {"title": "Om portalen", "slug": "om-portalen", "intro": "Vem står bakom portalen."}
    page = _editor_cycle(admin_client, home, StandardPage, data, {"title": "Om Lärportalen"}, stream=_body())
    assert page.title == "Om Lärportalen"
    assert [block.block_type for block in page.body] == ["paragraph", "callout", "quote", "benefits"]


# --- guidance --------------------------------------------------------------------------------


def test_editor_creates_drafts_publishes_and_edits_a_guidance_chapter(admin_client, sections):
    data = {
        "title": "Så tar ni fram en effektkedja",
        "slug": "effektkedja",
        "intro": "Steg för steg.",
        "tags": "effektkedjor, lärande",
    }
    page = _editor_cycle(
        admin_client, sections["framework"], GuidancePage, data, {"intro": "Steg för steg, nerifrån och upp."}, _body()
    )
    assert page.intro == "Steg för steg, nerifrån och upp."
    assert [block.block_type for block in page.body] == ["paragraph", "callout", "quote", "benefits"]
    benefits = page.body[3].value
    assert benefits["heading"] == "Nytta med ramverk"
    assert [item["title"] for item in benefits["items"]] == ["Lärande", "Styrning"]
    assert sorted(tag.name for tag in page.tags.all()) == ["effektkedjor", "lärande"]


def test_guidance_with_the_same_benefit_twice_is_not_saved(admin_client, sections):
    parent = sections["framework"]
    before = _counts()
    stream = nested_form_data(
        {
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>Inledning.</p>")),
                    (
                        "benefits",
                        {
                            "heading": "Nytta",
                            "items": list_block(
                                [{"title": "Lärande", "text": "Ett."}, {"title": "lärande ", "text": "Två."}]
                            ),
                        },
                    ),
                ]
            )
        }
    )
    data = merged(_blank_add_form(admin_client, parent, GuidancePage), {"title": "Nytta", "slug": "nytta"}, stream)
    response = admin_client.post(add_url(parent, GuidancePage), merged(data, PUBLISH))
    assert response.status_code == 200
    errors = stream_block_errors(response, "body")
    # The message belongs to the second block (the list), not to the page as a whole.
    assert errors["blockErrors"]["1"]["messages"] == ["Samma nytta finns två gånger i listan."]
    assert _counts() == before
    # A draft is not allowed to keep the duplicate either.
    response = admin_client.post(add_url(parent, GuidancePage), data)
    assert response.status_code == 200
    assert _counts() == before


def test_guidance_chapter_is_only_created_under_the_framework_page(admin_client, sections, home):
    before = _counts()
    response = admin_client.post(add_url(sections["glossary"], GuidancePage), {"title": "Fel plats", "slug": "fel"})
    assert response.status_code in (302, 403)
    assert _counts() == before


# --- concepts --------------------------------------------------------------------------------


@pytest.fixture
def concepts(sections):
    glossary = sections["glossary"]
    return {
        "effekt": _add(glossary, ConceptPage(title="Effekt", slug="effekt", short_definition="Det som händer.")),
        "resultat": _add(
            glossary, ConceptPage(title="Resultat", slug="resultat", short_definition="Allt som kommer ut.")
        ),
    }


def _concept_data(concepts, **changes):
    data = nested_form_data(
        {
            "title": "Utfall",
            "slug": "utfall",
            "short_definition": "Hur deltagarna har påverkats av aktiviteten.",
            "explanation": rich_text("<p>Utfallet inträffar direkt vid genomförandet.</p>"),
            "english_term": "outcome",
            "other_labels": "direkt resultat\nomedelbar effekt",
            "hidden_labels": "utfal",
            "chain_level": "D",
            "status": ConceptStatus.RECOMMENDED,
            "contrasts": inline_formset(
                [{"other": concepts["effekt"].pk, "difference": "Utfallet kommer före effekten."}]
            ),
            "sources": inline_formset(
                [{"title": "Ramverk för strategiskt lärande", "url": "https://example.se/ramverk", "citation": ""}]
            ),
            "tags": "effektkedjor",
        }
    )
    data["broader"] = [str(concepts["resultat"].pk)]
    data["related"] = [str(concepts["effekt"].pk)]
    data.update(changes)
    return data


def test_editor_creates_drafts_publishes_and_edits_a_concept(admin_client, sections, concepts):
    glossary = sections["glossary"]
    page = _editor_cycle(
        admin_client, glossary, ConceptPage, _concept_data(concepts), {"short_definition": "Hur deltagarna påverkats."}
    )
    assert page.short_definition == "Hur deltagarna påverkats."
    assert page.chain_level == "D" and page.english_term == "outcome"
    assert page.labels == ["direkt resultat", "omedelbar effekt"]
    assert [(c.other_id, c.difference) for c in page.contrasts.all()] == [
        (concepts["effekt"].pk, "Utfallet kommer före effekten.")
    ]
    assert [s.title for s in page.sources.all()] == ["Ramverk för strategiskt lärande"]
    assert list(page.broader.all()) == [concepts["resultat"]]
    assert list(page.related.all()) == [concepts["effekt"]]
    assert [t.name for t in page.tags.all()] == ["effektkedjor"]


def test_deprecated_concept_with_replacement_is_published(admin_client, sections, concepts):
    glossary = sections["glossary"]
    data = _concept_data(concepts, status=ConceptStatus.DEPRECATED, use_instead=str(concepts["effekt"].pk))
    response = admin_client.post(add_url(glossary, ConceptPage), merged(data, PUBLISH))
    assert response.status_code == 302, all_error_messages(response)
    page = ConceptPage.objects.get(slug="utfall")
    assert page.live and page.is_deprecated and page.use_instead == concepts["effekt"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", REQUIRED),
        ({"short_definition": ""}, "short_definition", REQUIRED),
        (
            {"short_definition": "x" * 301},
            "short_definition",
            "300 tecken (den har 301)",
        ),
        (
            {"status": ConceptStatus.DEPRECATED, "use_instead": ""},
            "use_instead",
            "Ange vilket begrepp som ska användas i stället när begreppet är avrått.",
        ),
        ({"chain_level": "X"}, "chain_level", INVALID_CHOICE),
        ({"contrasts-0-difference": ""}, "contrasts-0-difference", REQUIRED),
        ({"sources-0-url": "inte en adress"}, "sources-0-url", INVALID_URL),
    ],
    ids=[
        "no-term",
        "no-definition",
        "definition-too-long",
        "deprecated-without-replacement",
        "bad-level",
        "contrast-without-difference",
        "bad-source-url",
    ],
)
def test_invalid_concept_is_not_published_and_the_message_is_at_the_field(
    admin_client, sections, concepts, changes, field, message
):
    glossary = sections["glossary"]
    before = _counts()
    data = merged(_blank_add_form(admin_client, glossary, ConceptPage), _concept_data(concepts, **changes), PUBLISH)
    response = admin_client.post(add_url(glossary, ConceptPage), data)
    _assert_rejected(response, before, field, message)


def test_a_draft_may_lack_its_definition_but_cannot_be_published_without_it(admin_client, sections, concepts):
    glossary = sections["glossary"]
    response = admin_client.post(add_url(glossary, ConceptPage), _concept_data(concepts, short_definition=""))
    assert response.status_code == 302, all_error_messages(response)
    page = ConceptPage.objects.get(slug="utfall")
    assert not page.live

    before = _counts()
    response = admin_client.get(edit_url(page))
    response = admin_client.post(edit_url(page), merged(form_data(response), PUBLISH))
    _assert_rejected(response, before, "short_definition", REQUIRED)
    assert not ConceptPage.objects.get(pk=page.pk).live


def test_concept_cannot_be_contrasted_with_or_replaced_by_itself(admin_client, sections, concepts):
    page = concepts["effekt"]
    response = admin_client.get(edit_url(page))
    blank = form_data(response)
    contrast = nested_form_data({"contrasts": inline_formset([{"other": page.pk, "difference": "Samma sak."}])})
    before = _counts()
    response = admin_client.post(edit_url(page), merged(blank, contrast, PUBLISH))
    _assert_rejected(response, before, "contrasts-0-other", "Ett begrepp kan inte förväxlas med sig självt.")
    assert not page.contrasts.exists()

    replaced = {"status": ConceptStatus.DEPRECATED, "use_instead": str(page.pk)}
    response = admin_client.post(edit_url(page), merged(blank, replaced, PUBLISH))
    _assert_rejected(response, before, "use_instead", "Ett begrepp kan inte ersättas av sig självt.")
    assert ConceptPage.objects.get(pk=page.pk).status == ConceptStatus.RECOMMENDED


def test_concept_lists_another_concept_once_under_do_not_confuse(admin_client, sections, concepts):
    glossary = sections["glossary"]
    before = _counts()
    twice = nested_form_data(
        {
            "contrasts": inline_formset(
                [
                    {"other": concepts["effekt"].pk, "difference": "Utfallet kommer före effekten."},
                    {"other": concepts["effekt"].pk, "difference": "Samma igen."},
                ]
            )
        }
    )
    data = merged(_blank_add_form(admin_client, glossary, ConceptPage), _concept_data(concepts), twice, PUBLISH)
    response = admin_client.post(add_url(glossary, ConceptPage), data)
    _assert_rejected(
        response, before, "contrasts-1-other", "”Effekt” finns redan bland begreppen att inte förväxla med."
    )
    assert field_errors(response, "contrasts-0-other") == []


# --- effect chains ---------------------------------------------------------------------------

ELEMENTS = [
    {"key": "G1", "level": "G", "title": "Projektmedel", "description": ""},
    {"key": "F1", "level": "F", "title": "Workshoppar", "description": ""},
    {"key": "D1", "level": "D", "title": "Deltagarna har fått ny kunskap", "description": ""},
    {"key": "C1", "level": "C", "title": "Deltagarna arbetar på nya sätt", "description": ""},
]
LINKS = [
    {"source_key": "G1", "target_key": "F1", "rationale": "Medlen betalar workshopparna.", "evidence": ""},
    {"source_key": "F1", "target_key": "D1", "rationale": "", "evidence": ""},
    {"source_key": "d1", "target_key": "c1", "rationale": "", "evidence": "Uppföljning 2024"},
]


def _chain_data(elements=ELEMENTS, links=LINKS, **changes):
    data = nested_form_data(
        {
            "title": "Kompetenslyftet",
            "slug": "kompetenslyftet",
            "intro": "Hur projektmedel blir nya arbetssätt.",
            "purpose": "Visa vägen från resurser till effekter.",
            "context": rich_text("<p>Regional kompetensförsörjning.</p>"),
            "evidence_basis": rich_text("<p>Tidigare utvärderingar.</p>"),
            "elements": inline_formset(elements),
            "links": inline_formset(links),
            "tags": "kompetens",
        }
    )
    data.update(changes)
    return data


def test_editor_creates_drafts_publishes_and_edits_an_effect_chain(admin_client, sections):
    page = _editor_cycle(
        admin_client, sections["chains"], EffectChainPage, _chain_data(), {"elements-3-title": "Nya arbetssätt"}
    )
    assert [(e.key, e.level, e.title) for e in page.elements.all()] == [
        ("G1", "G", "Projektmedel"),
        ("F1", "F", "Workshoppar"),
        ("D1", "D", "Deltagarna har fått ny kunskap"),
        ("C1", "C", "Nya arbetssätt"),
    ]
    assert [(link.source_key.upper(), link.target_key.upper()) for link in page.links.all()] == [
        ("G1", "F1"),
        ("F1", "D1"),
        ("D1", "C1"),
    ]
    assert len(page.resolved_links()) == 3


CHAIN_ERRORS = [
    pytest.param(
        ELEMENTS,
        [{"source_key": "D1", "target_key": "F1"}],
        "links-0-target_key",
        "Länken från D1 ”Deltagarna har fått ny kunskap” (Utfall) till F1 ”Workshoppar” (Aktiviteter) pekar nedåt. "
        "En länk ”leder till” måste gå till en högre nivå i kedjan.",
        id="link-down",
    ),
    pytest.param(
        [*ELEMENTS, {"key": "D2", "level": "D", "title": "Deltagarna har fått kontakter"}],
        [{"source_key": "D1", "target_key": "D2"}],
        "links-0-target_key",
        "pekar i sidled (samma nivå)",
        id="link-sideways",
    ),
    pytest.param(
        ELEMENTS,
        [{"source_key": "G1", "target_key": "B9"}],
        "links-0-target_key",
        "Det finns inget element med koden B9.",
        id="missing-target",
    ),
    pytest.param(
        ELEMENTS,
        [{"source_key": "X1", "target_key": "C1"}],
        "links-0-source_key",
        "Det finns inget element med koden X1.",
        id="missing-source",
    ),
    pytest.param(
        ELEMENTS,
        [{"source_key": "G1", "target_key": "F1"}, {"source_key": "g1", "target_key": "f1"}],
        "links-1-target_key",
        "Länken från G1 till F1 finns redan.",
        id="duplicate-link",
    ),
    pytest.param(
        [*ELEMENTS, {"key": "B1", "level": "B", "title": ""}],
        [],
        "elements-4-title",
        "Elementet B1 saknar titel.",
        id="element-without-title",
    ),
    pytest.param(
        [*ELEMENTS, {"key": "g1", "level": "E", "title": "Rapporter"}],
        [],
        "elements-4-key",
        "Koden G1 används av två element. Ge varje element en egen kod.",
        id="duplicate-key",
    ),
    pytest.param(
        [*ELEMENTS, {"key": "A1", "level": "A", "title": "Kontext"}],
        [],
        "elements-4-level",
        INVALID_CHOICE,
        id="context-is-not-an-element-level",
    ),
    pytest.param(
        ELEMENTS,
        [{"source_key": "G1", "target_key": ""}],
        "links-0-target_key",
        REQUIRED,
        id="link-without-target",
    ),
]


# The chain's own rules hold for drafts too; a required field may be left empty in a draft.
CHAIN_ERRORS_BY_ACTION = [
    pytest.param(*case.values, action, id=f"{action}-{case.id}")
    for action in ("publish", "draft")
    for case in CHAIN_ERRORS
    if action == "publish" or case.values[3] != REQUIRED
]


@pytest.mark.parametrize(("elements", "links", "field", "message", "action"), CHAIN_ERRORS_BY_ACTION)
def test_invalid_chain_is_not_saved_and_the_message_is_at_the_element_or_link(
    admin_client, sections, elements, links, field, message, action
):
    parent = sections["chains"]
    before = _counts()
    links = [{"rationale": "", "evidence": "", **link} for link in links]
    elements = [{"description": "", **element} for element in elements]
    data = merged(_blank_add_form(admin_client, parent, EffectChainPage), _chain_data(elements, links))
    if action == "publish":
        data = merged(data, PUBLISH)
    response = admin_client.post(add_url(parent, EffectChainPage), data)
    _assert_rejected(response, before, field, message)


def test_chain_edit_with_a_downward_link_keeps_the_published_chain(admin_client, sections):
    parent = sections["chains"]
    response = admin_client.post(add_url(parent, EffectChainPage), merged(_chain_data(), PUBLISH))
    assert response.status_code == 302, all_error_messages(response)
    page = EffectChainPage.objects.get(slug="kompetenslyftet")
    before = _counts()
    response = admin_client.get(edit_url(page))
    data = merged(form_data(response), {"links-0-source_key": "C1", "links-0-target_key": "G1"}, PUBLISH)
    response = admin_client.post(edit_url(page), data)
    _assert_rejected(response, before, "links-0-target_key", "pekar nedåt")
    page = EffectChainPage.objects.get(pk=page.pk)
    assert (page.links.first().source_key, page.links.first().target_key) == ("G1", "F1")


# --- evaluation results ----------------------------------------------------------------------


@pytest.fixture
def result_records(sections):
    chain = _add(sections["chains"], EffectChainPage(title="Kompetenslyftet", slug="kompetenslyftet", purpose="Visa."))
    return {
        "question": EvaluationQuestion.objects.create(
            text="Har deltagarna fått ny kunskap?", kind=QuestionKind.SUMMATIVE, chain_level="D"
        ),
        "indicator": Indicator.objects.create(
            name="Antal deltagare", definition="Hur många som deltog.", unit="antal", chain_level="E"
        ),
        "region": Region.objects.create(name="Region Skåne"),
        "priority": RusPriority.objects.create(title="Kompetensförsörjning"),
        "chain": chain,
        "tags": [Tag.objects.create(name="samverkan"), Tag.objects.create(name="styrning")],
    }


def _result_data(records, **changes):
    samverkan, styrning = records["tags"]
    data = nested_form_data(
        {
            "title": "Utvärdering av Kompetenslyftet",
            "slug": "kompetenslyftet-2024",
            "intro": "Vad vi lärde oss.",
            "evaluated": "Kompetenslyftets första två år.",
            "period_start": "2022-01-01",
            "period_end": "2023-12-31",
            "evaluator": "Regionens analysenhet",
            "is_fictitious": "on",
            "key_findings": "Deltagarna fick ny kunskap men arbetssätten ändrades långsamt.",
            "findings": rich_text("<p>Nio av tio deltagare.</p>"),
            "conclusions": rich_text("<p>Uppföljningen behöver fortsätta.</p>"),
            "published_on": "2024-03-01",
            "answers": inline_formset(
                [{"question": records["question"].pk, "answer": "Ja, i hög grad.", "status": "answered"}]
            ),
            "recommendations": inline_formset(
                [{"text": "Följ upp efter ett år.", "response": "Vi gör det.", "status": "in_progress"}]
            ),
            "lessons": inline_formset(
                [
                    {"statement": "Samverkan kräver tid.", "chain_level": "D"},
                    {"statement": "Styrgruppen behöver data tidigt.", "chain_level": ""},
                ]
            ),
            "indicator_values": inline_formset(
                [{"indicator": records["indicator"].pk, "year": "2023", "value": "120", "target": "100"}]
            ),
            "documents": inline_formset([]),
            "link_evidence": inline_formset([]),
            "tags": "kompetens",
        }
    )
    data["regions"] = [str(records["region"].pk)]
    data["priorities"] = [str(records["priority"].pk)]
    data["chains"] = [str(records["chain"].pk)]
    # The lessons' tags: typed names inside each inline form (existing tags, whatever the case).
    data["lessons-0-tags"] = f"{samverkan.name}, {styrning.name.capitalize()}"
    data["lessons-1-tags"] = styrning.name
    data.update(changes)
    return data


def _lesson_tags(page):
    return [(lesson.statement, sorted(t.name for t in lesson.tags.all())) for lesson in page.lessons.all()]


def test_editor_creates_drafts_publishes_and_edits_an_evaluation_result(admin_client, sections, result_records):
    page = _editor_cycle(
        admin_client,
        sections["results"],
        EvaluationResultPage,
        _result_data(result_records),
        {"recommendations-0-status": "done", "key_findings": "Deltagarna fick ny kunskap."},
    )
    assert page.key_findings == "Deltagarna fick ny kunskap."
    assert (page.period_start, page.period_end) == (datetime.date(2022, 1, 1), datetime.date(2023, 12, 31))
    assert page.is_fictitious
    assert list(page.regions.all()) == [result_records["region"]]
    assert list(page.priorities.all()) == [result_records["priority"]]
    assert list(page.chains.all()) == [result_records["chain"]]
    assert [(a.question, a.answer) for a in page.answers.all()] == [(result_records["question"], "Ja, i hög grad.")]
    assert [(r.text, r.status) for r in page.recommendations.all()] == [("Följ upp efter ett år.", "done")]
    assert [(v.indicator, v.year, v.value, v.target) for v in page.indicator_values.all()] == [
        (result_records["indicator"], 2023, 120, 100)
    ]
    assert _lesson_tags(page) == [
        ("Samverkan kräver tid.", ["samverkan", "styrning"]),
        ("Styrgruppen behöver data tidigt.", ["styrning"]),
    ]
    assert [t.name for t in page.tags.all()] == ["kompetens"]


def test_lesson_tags_persist_on_publish_and_can_be_changed(admin_client, sections, result_records):
    """A lesson is an inline with its own many-to-many tags: the nested relation must survive the
    revision (draft), the publish, and a later edit through the real form."""
    parent = sections["results"]
    samverkan, styrning = result_records["tags"]
    response = admin_client.post(add_url(parent, EvaluationResultPage), _result_data(result_records))
    assert response.status_code == 302, all_error_messages(response)
    page = EvaluationResultPage.objects.get(slug="kompetenslyftet-2024")
    # The draft keeps the tags in its revision, not yet in the lesson table.
    draft = page.get_latest_revision_as_object()
    assert [sorted(t.name for t in lesson.tags.all()) for lesson in draft.lessons.all()] == [
        ["samverkan", "styrning"],
        ["styrning"],
    ]

    # The draft, lessons and tags included, can be looked at before it is published.
    response = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert response.status_code == 200
    assert "Samverkan kräver tid." in response.content.decode()

    response = admin_client.get(edit_url(page))
    form = form_data(response)
    # The editor shows the chosen tags by name.
    assert form["lessons-0-tags"] == ["samverkan, styrning"]
    assert form["lessons-1-tags"] == ["styrning"]
    response = admin_client.post(edit_url(page), merged(form, PUBLISH))
    assert response.status_code == 302, all_error_messages(response)
    page = EvaluationResultPage.objects.get(pk=page.pk)
    assert page.live
    assert _lesson_tags(page) == [
        ("Samverkan kräver tid.", ["samverkan", "styrning"]),
        ("Styrgruppen behöver data tidigt.", ["styrning"]),
    ]
    assert Lesson.objects.filter(tags=styrning).count() == 2

    response = admin_client.get(edit_url(page))
    form = form_data(response)
    changed = {"lessons-0-tags": "styrning", "lessons-1-tags": ""}
    response = admin_client.post(edit_url(page), merged(form, changed, PUBLISH))
    assert response.status_code == 302, all_error_messages(response)
    page = EvaluationResultPage.objects.get(pk=page.pk)
    assert _lesson_tags(page) == [
        ("Samverkan kräver tid.", ["styrning"]),
        ("Styrgruppen behöver data tidigt.", []),
    ]
    assert list(samverkan.lessons.all()) == []
    # The history compares revisions whose lessons carry tags.
    response = admin_client.get(reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, "earliest", "latest"]))
    assert response.status_code == 200
    assert "Lärdomar" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"period_end": "2021-12-31"}, "period_end", "Perioden kan inte sluta innan den börjar."),
        ({"period_start": "igår"}, "period_start", "giltigt datum"),
        ({"evaluator": ""}, "evaluator", REQUIRED),
        ({"key_findings": "x" * 601}, "key_findings", "som mest 600 tecken"),
        ({"indicator_values-0-year": "1850"}, "indicator_values-0-year", "Ange ett år mellan 1900 och 2200."),
        ({"indicator_values-0-value": ""}, "indicator_values-0-value", REQUIRED),
        ({"answers-0-answer": ""}, "answers-0-answer", REQUIRED),
        ({"recommendations-0-status": "kanske"}, "recommendations-0-status", INVALID_CHOICE),
        ({"lessons-0-statement": ""}, "lessons-0-statement", REQUIRED),
        ({"lessons-0-tags": "samverkan, " + "x" * 101}, "lessons-0-tags", "högst 100 tecken"),
    ],
    ids=[
        "period-backwards",
        "bad-date",
        "no-evaluator",
        "findings-too-long",
        "indicator-year",
        "indicator-value",
        "empty-answer",
        "bad-recommendation-status",
        "empty-lesson",
        "too-long-lesson-tag",
    ],
)
def test_invalid_result_is_not_published_and_the_message_is_at_the_field(
    admin_client, sections, result_records, changes, field, message
):
    parent = sections["results"]
    before = _counts()
    data = merged(_blank_add_form(admin_client, parent, EvaluationResultPage), _result_data(result_records), changes)
    response = admin_client.post(add_url(parent, EvaluationResultPage), merged(data, PUBLISH))
    _assert_rejected(response, before, field, message)
    assert not Lesson.objects.exists()
    # Tags typed in a rejected form are not made.
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["samverkan", "styrning"]
