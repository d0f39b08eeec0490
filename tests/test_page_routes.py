"""Routes that belong to a page live on the page (core/routes.py): the feeds, the framework document,
the coverage overview and the chain downloads follow their page when it is renamed, a route of a
page anonymous visitors may not see serves nothing, and no child slug is ever hidden by a route:
the admin and `full_clean()` refuse it, for new pages, renames, copies and moves."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils.form_data import nested_form_data, streamfield

from core.routes import PageRoutesMixin, ParentRouteSlugMixin, RouteSafePageForm, route_slug_conflict
from larande.models import (
    ChainIndexPage,
    ConceptPage,
    EffectChainPage,
    EvaluationResultPage,
    FrameworkIndexPage,
    GlossaryIndexPage,
    GuidancePage,
    LessonIndexPage,
    ResultIndexPage,
)
from tests.admin_forms import (
    PUBLISH,
    add_url,
    all_error_messages,
    edit_url,
    field_errors,
    form_data,
    merged,
    status_messages,
)
from tests.publishing_support import chain_page, publish, result_page

pytestmark = pytest.mark.django_db

RSS_TAKEN = "Adressen ”rss” används redan av sidans RSS-flöde. Välj en annan."
ATOM_TAKEN = "Adressen ”atom” används redan av sidans Atom-flöde. Välj en annan."
DOCUMENT_TAKEN = "Adressen ”dokument” används redan av ramverket som dokument. Välj en annan."
COVERAGE_TAKEN = "Adressen ”tackning” används redan av täckningsöversikten för alla effektkedjor. Välj en annan."
DOCX = "dokument/ramverk-for-strategiskt-larande.docx"
NOT_FOUND = "Sidan finns inte"


def _rename(page, slug):
    page.slug = slug
    return publish(page)


def _feed_links() -> set[str]:
    html = render_to_string("components/feed_links.html")
    return set(re.findall(r'href="([^"]+)"', html))


# --- The routes follow their page --------------------------------------------------------------


def test_renaming_the_results_section_moves_its_feeds(client, site):
    result_page(site["results"], "Resultat om kluster", lessons=["Samverkan tar tid."])
    assert client.get("/resultat/rss/").status_code == 200
    _rename(site["results"], "utvarderingar")

    for old in ("/resultat/rss/", "/resultat/atom/"):
        assert client.get(old).status_code == 404, old
    rss = client.get("/utvarderingar/rss/")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    assert b"Resultat om kluster" in rss.content
    assert b"<link>http://testserver/utvarderingar/</link>" in rss.content  # the feed links to its page
    atom = client.get("/utvarderingar/atom/")
    assert atom.status_code == 200 and atom["Content-Type"].startswith("application/atom+xml")
    # Autodiscovery, the open data page and the lessons' feeds follow.
    assert _feed_links() == {"/utvarderingar/rss/", "/utvarderingar/atom/", "/lardomar/rss/", "/lardomar/atom/"}
    opendata = client.get("/oppna-data/").content.decode()
    assert 'href="/utvarderingar/rss/"' in opendata and 'href="/resultat/rss/"' not in opendata
    assert client.get("/lardomar/rss/").status_code == 200


def test_a_renamed_chain_keeps_its_diagram_under_its_new_address(client, site):
    chain = chain_page(site["chains"], "Kedjan för kluster")
    assert client.get("/effektkedjor/kedjan-for-kluster/diagram.svg").status_code == 200
    _rename(EffectChainPage.objects.get(pk=chain.pk), "klusterkedjan")

    assert client.get("/effektkedjor/kedjan-for-kluster/diagram.svg").status_code == 404
    svg = client.get("/effektkedjor/klusterkedjan/diagram.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert svg["Content-Disposition"] == 'attachment; filename="effektkedja-klusterkedjan.svg"'
    assert svg["Content-Security-Policy"] == "default-src 'none'"
    page = client.get("/effektkedjor/klusterkedjan/").content.decode()
    assert 'href="/effektkedjor/klusterkedjan/diagram.svg"' in page
    assert 'href="/effektkedjor/klusterkedjan/diagram.pdf"' in page


def test_renaming_the_framework_moves_the_document_and_the_links_to_it(client, site):
    _rename(site["framework"], "vagledning")
    assert client.get("/ramverket/dokument/").status_code == 404
    document = client.get("/vagledning/dokument/")
    assert document.status_code == 200
    html = document.content.decode()
    assert f'href="/vagledning/{DOCX}"' in html and 'href="/vagledning/dokument/"' in html  # download, footer
    docx = client.get(f"/vagledning/{DOCX}")
    assert docx.status_code == 200 and 'filename="ramverk-for-strategiskt-larande.docx"' in docx["Content-Disposition"]


def test_renaming_the_chain_list_moves_the_coverage_overview(client, site):
    _rename(site["chains"], "kedjor")
    assert client.get("/effektkedjor/tackning/").status_code == 404
    assert client.get("/kedjor/tackning/").status_code == 200


def test_a_file_route_is_only_its_exact_address(client, site):
    chain_page(site["chains"], "Kedjan")
    assert client.get("/effektkedjor/kedjan/diagram.svg").status_code == 200
    for address in ("/effektkedjor/kedjan/diagram.svg/", "/effektkedjor/kedjan/diagram.png", "/ramverket/x.pdf"):
        assert client.get(address).status_code == 404, address


def test_routes_answer_the_methods_they_answered_as_django_routes(client, site):
    """The document and the overview only read (405 otherwise); the feeds answer as Django's feed view does."""
    for address in ("/effektkedjor/tackning/", "/ramverket/dokument/", f"/ramverket/{DOCX}"):
        assert client.head(address).status_code == 200, address
        assert client.post(address).status_code == 405, address
        assert client.options(address).status_code == 405, address
    assert client.head("/resultat/rss/").status_code == 200


# --- Hidden pages serve no route ---------------------------------------------------------------------


def _unpublish(page):
    page.unpublish()


def _password(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="x")


def _login(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def _expired(page):
    Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=5))


def _private_parent(page):
    _password(page.get_parent())


HIDING = {
    "avpublicerad": _unpublish,
    "privat med lösenord": _password,
    "privat för inloggade": _login,
    "utgången": _expired,
    "under en privat sida": _private_parent,
}
# Every route that belongs to a page, by the page it belongs to ("chain": a chain's downloads).
ROUTES = {
    "results": ["/resultat/rss/", "/resultat/atom/"],
    "lessons": ["/lardomar/rss/", "/lardomar/atom/"],
    "framework": [
        "/ramverket/dokument/",
        "/ramverket/dokument/ramverk-for-strategiskt-larande.pdf",
        f"/ramverket/{DOCX}",
    ],
    "chains": ["/effektkedjor/tackning/"],
    "chain": ["/effektkedjor/kedjan/diagram.svg", "/effektkedjor/kedjan/diagram.pdf"],
}


@pytest.mark.parametrize("owner", list(ROUTES))
@pytest.mark.parametrize("state", list(HIDING))
def test_a_hidden_page_serves_no_route_to_anonymous_visitors(client, site, state, owner):
    pages = {**site, "chain": chain_page(site["chains"], "Kedjan")}
    # The visible twin first: each route answers while its page is visible (a PDF needs WeasyPrint).
    for address in ROUTES[owner]:
        assert client.get(address).status_code in (200, 503), address
    HIDING[state](Page.objects.get(pk=pages[owner].pk).specific)
    for address in ROUTES[owner]:
        response = client.get(address)
        assert response.status_code == 404, (address, response.status_code)
        assert NOT_FOUND in response.content.decode()


def test_a_private_section_hides_its_routes_from_logged_in_visitors_too(client, site, django_user_model):
    """What the routes serve is built for everyone from public content: a private page has none."""
    _login(site["results"])
    client.force_login(django_user_model.objects.create_user("medarbetare", password="lösenord-för-test"))
    assert client.get("/resultat/").status_code == 200  # the page itself, behind its login
    assert client.get("/resultat/rss/").status_code == 404


def test_feed_links_leave_out_a_hidden_section(client, site):
    site["results"].unpublish()
    assert _feed_links() == {"/lardomar/rss/", "/lardomar/atom/"}
    html = client.get("/").content.decode()
    assert "/resultat/rss/" not in html and 'href="/lardomar/rss/"' in html


# --- No slug is reserved: a child never takes a route's segment -------------------------------------


def test_every_page_type_under_a_page_with_routes_checks_its_slug():
    pages_with_routes = (
        FrameworkIndexPage,
        GlossaryIndexPage,
        ChainIndexPage,
        ResultIndexPage,
        LessonIndexPage,
        EffectChainPage,
    )
    for model in pages_with_routes:
        assert issubclass(model, PageRoutesMixin)
        for child in model.allowed_subpage_models():
            assert issubclass(child, ParentRouteSlugMixin), child
            assert issubclass(child.base_form_class, RouteSafePageForm), child
    assert FrameworkIndexPage.route_segments() == {"dokument": "ramverket som dokument"}
    assert set(ResultIndexPage.route_segments()) == set(LessonIndexPage.route_segments()) == {"rss", "atom"}
    assert set(ChainIndexPage.route_segments()) == {"tackning"}
    assert set(GlossaryIndexPage.route_segments()) == {"skriv-ut", "foresla"}
    assert EffectChainPage.route_segments() == {}  # diagram.svg: slugs have no dots


def test_full_clean_refuses_a_child_slug_that_is_a_route(site):
    with pytest.raises(ValidationError) as refused:
        site["framework"].add_child(instance=GuidancePage(title="Dokument", slug="dokument"))
    assert refused.value.message_dict["slug"] == [DOCUMENT_TAKEN]

    result = result_page(site["results"], "Resultat om rss-flöden")
    result.slug = "rss"
    with pytest.raises(ValidationError) as refused:
        result.full_clean()
    assert refused.value.message_dict["slug"] == [RSS_TAKEN]
    # A slug that only starts like a route is free, and so is a route's word under another parent.
    result.slug = "rss-floden"
    result.full_clean()
    concept = ConceptPage(title="Förslag", slug="foresla", short_definition="Ett förslag.")
    with pytest.raises(ValidationError) as refused:
        site["glossary"].add_child(instance=concept)
    assert refused.value.message_dict["slug"] == [
        "Adressen ”foresla” används redan av formuläret för att föreslå ett begrepp. Välj en annan."
    ]
    assert route_slug_conflict(site["chains"], "rss") is None
    assert route_slug_conflict(site["results"], "tackning") is None


def test_the_editor_refuses_a_new_page_slugged_like_a_route(admin_client, site):
    parent = site["framework"]
    pages = Page.objects.count()
    data = merged(
        form_data(admin_client.get(add_url(parent, GuidancePage))),
        {"title": "Dokument", "slug": "dokument"},
        nested_form_data({"body": streamfield([])}),
    )
    response = admin_client.post(add_url(parent, GuidancePage), data)
    assert response.status_code == 200
    assert field_errors(response, "slug") == [DOCUMENT_TAKEN], all_error_messages(response)
    assert Page.objects.count() == pages

    chains = site["chains"]
    data = merged(
        form_data(admin_client.get(add_url(chains, EffectChainPage))),
        {"title": "Täckning", "slug": "tackning", "purpose": "Att visa täckning."},
    )
    response = admin_client.post(add_url(chains, EffectChainPage), data)
    assert response.status_code == 200
    assert COVERAGE_TAKEN in field_errors(response, "slug"), all_error_messages(response)
    assert Page.objects.count() == pages


def test_the_editor_refuses_renaming_a_child_to_a_route(admin_client, site):
    result = result_page(site["results"], "Resultat om flöden")
    response = admin_client.get(edit_url(result))
    response = admin_client.post(edit_url(result), merged(form_data(response), {"slug": "atom"}, PUBLISH))
    assert response.status_code == 200
    assert field_errors(response, "slug") == [ATOM_TAKEN], all_error_messages(response)
    assert EvaluationResultPage.objects.get(pk=result.pk).slug == "resultat-om-floden"
    assert _feed_still_served(admin_client)


def _feed_still_served(client) -> bool:
    return client.get("/resultat/atom/")["Content-Type"].startswith("application/atom+xml")


def test_the_editor_refuses_copying_a_page_to_a_route(admin_client, site):
    result = result_page(site["results"], "Resultat att kopiera")
    pages = Page.objects.count()
    url = reverse("wagtailadmin_pages:copy", args=[result.pk])
    response = admin_client.post(
        url,
        {"new_title": "Kopia", "new_slug": "rss", "new_parent_page": site["results"].pk, "publish_copies": "on"},
    )
    assert response.status_code == 200
    assert RSS_TAKEN in response.content.decode()
    assert Page.objects.count() == pages


def _slugged_before_the_rule(parent, slug):
    """A result whose slug is a route of its parent, as a database from before the rule may hold it."""
    page = result_page(parent, f"Äldre resultat {slug}")
    EvaluationResultPage.objects.filter(pk=page.pk).update(slug=slug)
    return EvaluationResultPage.objects.get(pk=page.pk)


def test_the_editor_refuses_moving_a_page_under_a_route(admin_client, site):
    # Index pages are one of each in the admin (max_count); a second one is made in code to move to.
    archive = ResultIndexPage(title="Arkiv", slug="arkiv")
    site["framework"].get_parent().add_child(instance=archive)
    page = _slugged_before_the_rule(archive, "rss")
    response = admin_client.post(
        reverse("wagtailadmin_pages:move_confirm", args=[page.pk, site["results"].pk]), follow=True
    )
    assert any(text.startswith("Sidan kan inte flyttas hit. " + RSS_TAKEN) for text in status_messages(response)), (
        status_messages(response)
    )
    assert Page.objects.get(pk=page.pk).get_parent().pk == archive.pk
    assert _feed_still_served(admin_client)

    bulk = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "move")) + f"?id={page.pk}"
    response = admin_client.post(bulk, {"chooser": site["results"].pk}, follow=True)
    assert any(RSS_TAKEN in text for text in status_messages(response)), status_messages(response)
    assert Page.objects.get(pk=page.pk).get_parent().pk == archive.pk


# --- No hard-coded route paths ----------------------------------------------------------------------


ROUTE_PATHS = re.compile(
    r"""(exports:|outputs:(results|lessons)_|/ramverket/dokument|/effektkedjor/tackning|/(resultat|lardomar)/(rss|atom)"""
    r"""|diagram\.(svg|pdf)['"])"""
)


def test_templates_and_code_name_no_route_by_path_or_url_name():
    base = Path(settings.BASE_DIR)
    found = []
    for pattern in ("templates/**/*.html", "**/*.py"):
        for path in base.glob(pattern):
            if any(part in {".venv", "node_modules", "tests", "bench"} for part in path.relative_to(base).parts):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                # A route's own definition on its page (`@path("diagram.svg")`) is where it belongs.
                if ROUTE_PATHS.search(line) and not line.lstrip().startswith(("#", '"""', "@path(")):
                    found.append(f"{path.relative_to(base)}:{number}: {line.strip()}")
    # Docstrings and comments may name the addresses; code and templates build them from the pages.
    code = [line for line in found if not _is_prose(line)]
    assert not code, code


def _is_prose(line: str) -> bool:
    text = line.split(": ", 1)[1]
    return not any(token in text for token in ("href=", "{% url", "reverse(", "path(", "re_path("))
