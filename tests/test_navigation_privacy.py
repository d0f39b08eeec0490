"""Breadcrumbs and the main menu name only live, public pages (home/templatetags/navigation.py).

Wagtail serves a live page below an unpublished one, and a visitor who knows a private
section's password may read its pages: neither may show the hidden ancestor's title or address
to a visitor who is not logged in.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import PageViewRestriction

from home.models import StandardPage


def _add(parent, title, slug, live=True, in_menu=True):
    page = StandardPage(title=title, slug=slug, live=live, show_in_menus=in_menu)
    parent.add_child(instance=page)
    return page


def _navigation(response):
    soup = BeautifulSoup(response.content, "html.parser")
    crumbs = soup.select_one("nav.breadcrumbs")
    menu = soup.select_one("nav.main-nav")
    return (
        crumbs.get_text(" ", strip=True) if crumbs else "",
        [a["href"] for a in crumbs.select("a")] if crumbs else [],
        menu.get_text(" ", strip=True),
        [a["href"] for a in menu.select("a")],
    )


@pytest.fixture
def tree(home):
    """Start → Om portalen (live) → Bakgrund; Start → Utkastavsnitt (draft) → …; Start → Internt (private) → …"""
    public = _add(home, "Om portalen", "om-portalen")
    draft = _add(home, "Hemligt utkastavsnitt", "utkastavsnitt", live=False)
    private = _add(home, "Internt avsnitt", "internt")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="lösen")
    return {
        "public": public,
        "public_child": _add(public, "Bakgrund", "bakgrund"),
        "draft": draft,
        "draft_child": _add(draft, "Publicerad under utkast", "publicerad"),
        "private": private,
        "private_child": _add(private, "Intern rutin", "rutin"),
    }


def test_a_live_public_ancestor_is_named_and_linked(client, tree):
    """The positive control: the rule hides hidden pages, not the trail."""
    response = client.get(tree["public_child"].url)
    assert response.status_code == 200
    crumbs, crumb_links, menu, menu_links = _navigation(response)
    assert crumbs == "Start Om portalen Bakgrund"
    assert crumb_links == ["/", tree["public"].url]
    assert "Om portalen" in menu and tree["public"].url in menu_links


def test_an_unpublished_ancestor_is_neither_named_nor_linked(client, tree):
    response = client.get(tree["draft_child"].url)
    assert response.status_code == 200, "Wagtail serves a live page below a draft"
    crumbs, crumb_links, menu, menu_links = _navigation(response)
    assert crumbs == "Start Publicerad under utkast"
    assert crumb_links == ["/"]
    html = response.content.decode()
    assert "Hemligt utkastavsnitt" not in html
    assert not re.search(r'href="/utkastavsnitt/"', html)
    assert "Hemligt utkastavsnitt" not in menu and tree["draft"].url not in menu_links


def test_a_private_ancestor_is_neither_named_nor_linked_after_its_password(client, tree):
    # Without the password the page is not shown at all.
    page = tree["private_child"]
    first = client.get(page.url)
    assert first.status_code == 200 and "Intern rutin" not in first.content.decode()

    restriction = PageViewRestriction.objects.get(page=tree["private"])
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
    assert client.post(url, {"password": "lösen", "return_url": page.url}).status_code == 302

    response = client.get(page.url)
    assert response.status_code == 200 and "Intern rutin" in response.content.decode()
    crumbs, crumb_links, menu, menu_links = _navigation(response)
    assert crumbs == "Start Intern rutin"
    assert crumb_links == ["/"]
    assert "Internt avsnitt" not in response.content.decode()
    assert tree["private"].url not in menu_links


def test_the_main_menu_lists_only_live_public_sections(client, tree):
    _, _, menu, menu_links = _navigation(client.get("/"))
    assert "Om portalen" in menu
    assert "Hemligt utkastavsnitt" not in menu and "Internt avsnitt" not in menu
    assert tree["draft"].url not in menu_links and tree["private"].url not in menu_links


def test_the_breadcrumbs_cost_the_same_few_queries_at_any_depth(rf, tree, django_assert_max_num_queries):
    """The ancestors, the private sections (read once per request) and the site's root paths."""
    from django.template import Context, Template

    deep = tree["public_child"]
    for depth in range(4):
        deep = _add(deep, f"Nivå {depth}", f"niva-{depth}")
    template = Template("{% load navigation %}{% breadcrumbs %}")
    for page in (tree["public_child"], deep):
        request = rf.get(page.url)
        with django_assert_max_num_queries(3):
            html = template.render(Context({"page": page, "request": request}))
        assert "Om portalen" in html
