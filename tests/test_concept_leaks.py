"""The leak matrix for concepts: a concept a visitor may not see never reaches an anonymous visitor
through any output that shows concepts.

States: a draft never published, an unpublished concept, a concept behind a password, one for
logged-in users only, and a live concept with a newer draft. Each hidden concept is related to,
broader than, contrasted with and the replacement of visible concepts, and a visible chapter uses
its term; every output must show the visible concept (so the check can fail) and none of the
hidden ones: not their terms, definitions, addresses or ids. The hidden concepts carry the words
the search queries ask for ("synligt utfall"), and a control test shows that those very queries
find a hidden concept once it is published, so the checks can fail.
"""

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from larande.models import ConceptStatus
from tests.factories import (
    ConceptContrastFactory,
    ConceptPageFactory,
    GlossaryIndexPageFactory,
    GuidancePageFactory,
)
from tests.publishing_support import start_page

pytestmark = pytest.mark.django_db

VISIBLE = "Synligt utfall"
VISIBLE_DEFINITION = "Synlig definition av utfallet."


def _hidden(index, state):
    secret = f"Hemlig{state}"
    definition = f"HEMLIGDEF{state} definition av utfallet."
    if state == "revision":
        concept = ConceptPageFactory(parent=index, title="Publicerad term", slug="publicerad-term", publish=True)
        concept.title = f"{secret} synligt utfall"
        concept.short_definition = definition
        concept.save_revision()
        return secret, definition, concept
    concept = ConceptPageFactory(
        parent=index,
        title=f"{secret} synligt utfall",
        slug=secret.lower(),
        short_definition=definition,
        live=state != "utkast",
        publish=state != "utkast",
    )
    if state == "avpublicerad":
        concept.unpublish()
    elif state == "losenord":
        PageViewRestriction.objects.create(page=concept, restriction_type=PageViewRestriction.PASSWORD, password="x")
    elif state == "inloggning":
        PageViewRestriction.objects.create(page=concept, restriction_type=PageViewRestriction.LOGIN)
    return secret, definition, concept


def build_world():
    """The glossary with a hidden concept in each state, related to a visible one, and a chapter using
    their terms: built once for the module, each test gets it fresh as `world` (tests/conftest.py)."""
    index = GlossaryIndexPageFactory(parent=start_page())
    hidden = {
        state: _hidden(index, state) for state in ("utkast", "avpublicerad", "losenord", "inloggning", "revision")
    }
    hidden_pages = [concept for state, (_, _, concept) in hidden.items() if state != "revision"]
    visible = ConceptPageFactory(
        parent=index, title=VISIBLE, slug="synligt-utfall", short_definition=VISIBLE_DEFINITION
    )
    visible.related.set(hidden_pages)
    visible.broader.set(hidden_pages[:2])
    for other in hidden_pages:
        ConceptContrastFactory(concept=visible, other=other, difference=f"Skiljer sig från {other.title}.")
    visible.status = ConceptStatus.DEPRECATED
    visible.use_instead = hidden_pages[0]
    visible.save_revision().publish()
    words = " ".join(secret for secret, _, _ in hidden.values())
    insats = ConceptPageFactory(parent=index, title="Insats", slug="insats", publish=True)
    chapter = GuidancePageFactory(
        title="Kapitel",
        slug="kapitel",
        body=[{"type": "paragraph", "value": f"<p>{words} och insatsen.</p>"}],
        publish=True,
    )
    return {"hidden": hidden, "hidden_pages": hidden_pages, "visible": visible, "chapter": chapter, "insats": insats}


OUTPUTS = [
    "/begrepp/",
    "/begrepp/skriv-ut/",
    "/begrepp/synligt-utfall/",
    "/oppna-data/begrepp.csv",
    "/oppna-data/begrepp.json",
    "/oppna-data/begrepp.ttl",
    "/oppna-data/begrepp.jsonld",
    "/api/v2/pages/?type=larande.ConceptPage&fields=*&limit=100",
    "/api/v2/pages/?search=utfall&limit=100",
    "/sok/?q=utfall",
    "/sok/forslag/?q=synl",
    "/sitemap.xml",
]


@pytest.mark.parametrize("url", OUTPUTS)
def test_no_concept_output_shows_a_hidden_concept(client, world, url):
    response = client.get(url)
    assert response.status_code == 200, url
    text = response.content.decode("utf-8")
    shows_visible = "synligt-utfall" in text or VISIBLE_DEFINITION in text
    assert shows_visible, f"{url} visar inte det synliga begreppet"
    for state, (secret, definition, concept) in world["hidden"].items():
        assert secret.lower() not in text.lower(), f"{url} visar {secret}"
        assert definition not in text, f"{url} visar definitionen av {secret}"
        if state != "revision":  # its published version is visible, by its published address
            assert f"/{concept.slug}/" not in text, f"{url} länkar till {secret}"
            assert f"/permalank/{concept.pk}/" not in text, f"{url} visar URI:n för {secret}"


def test_explained_terms_never_point_to_hidden_concepts(client, world):
    text = client.get(world["chapter"].url).content.decode()
    assert f'data-term="{world["insats"].pk}"' in text  # explanations did run on the chapter
    # The chapter's own words are shown, of course, but never linked or defined.
    for state, (_secret, definition, concept) in world["hidden"].items():
        assert definition not in text
        assert f'data-term="{concept.pk}"' not in text or state == "revision"
    # The live concept with a newer draft is explained with its published definition only.
    revision_concept = world["hidden"]["revision"][2]
    assert "HEMLIGDEFrevision" not in text
    assert f'data-term="{revision_concept.pk}"' not in text  # its published term is not in the text


def test_hidden_concepts_are_not_in_the_glossary_count(client, world):
    text = client.get("/begrepp/").content.decode()
    # The visible concepts and the published version of the one with a newer draft.
    assert "3 begrepp" in text


def test_restricting_a_contrasted_concept_later_takes_it_out_of_the_search(
    client, home, django_capture_on_commit_callbacks
):
    index = GlossaryIndexPageFactory(parent=home)
    other = ConceptPageFactory(parent=index, title="Prestationer", slug="prestationer", publish=True)
    visible = ConceptPageFactory(parent=index, title=VISIBLE, slug="synligt-utfall")
    ConceptContrastFactory(concept=visible, other=other, difference="Prestationer räknas, utfall förändras.")
    visible.save_revision().publish()
    assert "Prestationer räknas" in client.get("/sok/?q=utfall").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=other, restriction_type=PageViewRestriction.LOGIN)
    assert "Prestationer räknas" not in client.get("/sok/?q=utfall").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        other.unpublish()
        PageViewRestriction.objects.filter(page=other).delete()
    assert "Prestationer räknas" not in client.get("/sok/?q=utfall").content.decode()


SEARCHES = ["/api/v2/pages/?search=utfall&limit=100", "/sok/?q=utfall", "/sok/forslag/?q=synl"]


@pytest.mark.parametrize("url", SEARCHES)
def test_the_matrix_searches_find_a_hidden_concept_once_it_is_published(
    client, world, url, django_capture_on_commit_callbacks
):
    """The control for the searches above: they would show a hidden concept if it leaked."""
    secret, _, concept = world["hidden"]["avpublicerad"]
    assert secret.lower() not in client.get(url).content.decode().lower()
    with django_capture_on_commit_callbacks(execute=True):
        concept.save_revision().publish()
    cache.clear()
    assert secret.lower() in client.get(url).content.decode().lower(), url
