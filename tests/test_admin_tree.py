"""Page-tree rules: each page type can only be created where it belongs, and the sections once.

The rules are checked on the models (WagtailPageTestCase's assertions) and through the real
page editor, which must refuse to add a page anywhere else and save nothing.
"""

import itertools

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, StandardPage
from larande.models import (
    ChainIndexPage,
    ConceptPage,
    EffectChainPage,
    EvaluationPlanPage,
    EvaluationResultPage,
    FollowUpIndexPage,
    FrameworkIndexPage,
    GlossaryIndexPage,
    GuidancePage,
    LessonIndexPage,
    RecommendationIndexPage,
    ResultIndexPage,
)
from tests.admin_forms import add_url

SECTIONS = [
    FrameworkIndexPage,
    GlossaryIndexPage,
    ChainIndexPage,
    ResultIndexPage,
    LessonIndexPage,
    EvaluationPlanPage,
    RecommendationIndexPage,
    FollowUpIndexPage,
]

# Where each page type may be created, and nowhere else.
ALLOWED_CHILDREN = {
    Page: {HomePage},
    HomePage: {*SECTIONS, StandardPage},
    StandardPage: {StandardPage},
    FrameworkIndexPage: {GuidancePage},
    GlossaryIndexPage: {ConceptPage},
    ChainIndexPage: {EffectChainPage},
    ResultIndexPage: {EvaluationResultPage},
    LessonIndexPage: set(),
    GuidancePage: set(),
    ConceptPage: set(),
    EffectChainPage: set(),
    EvaluationResultPage: set(),
    EvaluationPlanPage: set(),
    RecommendationIndexPage: set(),
    FollowUpIndexPage: set(),
}
ALL_TYPES = [model for model in ALLOWED_CHILDREN if model is not Page]


class PageTreeRulesTest(WagtailPageTestCase):
    def test_each_page_type_has_exactly_its_allowed_children(self):
        for parent, children in ALLOWED_CHILDREN.items():
            with self.subTest(parent=parent.__name__):
                # Wagtail's base Page is allowed under pages without subpage_types, but it is not
                # creatable, so editors are offered only these.
                self.assertEqual(set(parent.creatable_subpage_models()), children)
                if parent not in (Page, HomePage, StandardPage):
                    self.assertAllowedSubpageTypes(parent, children)

    def test_each_page_type_has_exactly_its_allowed_parents(self):
        for child in ALL_TYPES:
            parents = {parent for parent, children in ALLOWED_CHILDREN.items() if child in children}
            with self.subTest(child=child.__name__):
                self.assertAllowedParentPageTypes(child, parents)

    def test_content_pages_only_under_their_section(self):
        self.assertCanCreateAt(FrameworkIndexPage, GuidancePage)
        self.assertCanCreateAt(GlossaryIndexPage, ConceptPage)
        self.assertCanCreateAt(ChainIndexPage, EffectChainPage)
        self.assertCanCreateAt(ResultIndexPage, EvaluationResultPage)
        for parent in [Page, HomePage, StandardPage, *SECTIONS]:
            for child in [GuidancePage, ConceptPage, EffectChainPage, EvaluationResultPage]:
                if child not in ALLOWED_CHILDREN[parent]:
                    self.assertCanNotCreateAt(parent, child)

    def test_start_page_only_at_the_root_and_sections_only_under_it(self):
        self.assertCanCreateAt(Page, HomePage)
        for parent in ALL_TYPES:
            self.assertCanNotCreateAt(parent, HomePage)
        for section in SECTIONS:
            self.assertCanCreateAt(HomePage, section)
            for parent in ALL_TYPES:
                if parent is not HomePage:
                    self.assertCanNotCreateAt(parent, section)
            self.assertCanNotCreateAt(Page, section)

    def test_start_page_and_sections_exist_once(self):
        root = Page.get_first_root_node()
        home = HomePage(title="Lärportalen", slug="hem")
        root.add_child(instance=home)
        self.assertFalse(HomePage.can_create_at(root), "a second start page")
        for section in SECTIONS:
            with self.subTest(section=section.__name__):
                self.assertTrue(section.can_create_at(home))
                home.add_child(instance=section(title=section._meta.verbose_name, slug=section.__name__.lower()))
                self.assertFalse(section.can_create_at(home), "a second section page of the same kind")
        self.assertTrue(StandardPage.can_create_at(home), "general pages are not limited")


def test_page_editor_refuses_pages_in_the_wrong_place(admin_client, home):
    sections = {}
    for section in SECTIONS:
        sections[section] = section(title=section._meta.verbose_name, slug=section.__name__.lower())
        home.add_child(instance=sections[section])
    parents = [home, *sections.values()]
    before = Page.objects.count()
    refused = 0
    for parent, child in itertools.product(parents, ALL_TYPES):
        if child in ALLOWED_CHILDREN[type(parent)] and child not in SECTIONS:
            continue
        # Not allowed here, or a section page that already exists.
        data = {"title": "Fel plats", "slug": f"fel-{child.__name__.lower()}", "action-publish": "action-publish"}
        response = admin_client.post(add_url(parent, child), data)
        assert response.status_code in (302, 403), (parent, child, response.status_code)
        if response.status_code == 302:
            assert response["Location"] != add_url(parent, child)
        refused += 1
    assert refused > 40
    assert Page.objects.count() == before


def test_page_editor_offers_only_the_allowed_types(admin_client, home):
    glossary = GlossaryIndexPage(title="Begrepp", slug="begrepp")
    home.add_child(instance=glossary)
    response = admin_client.get(f"/admin/pages/{glossary.pk}/add_subpage/")
    # With a single allowed type the editor goes straight to it.
    assert response.status_code == 302
    assert response["Location"] == add_url(glossary, ConceptPage)
    response = admin_client.get(f"/admin/pages/{home.pk}/add_subpage/")
    assert response.status_code == 200
    html = response.content.decode()
    for model in [StandardPage, ChainIndexPage, ResultIndexPage, LessonIndexPage, FrameworkIndexPage]:
        assert add_url(home, model) in html, model
    # The glossary section exists already, and content pages belong further down.
    for model in [GlossaryIndexPage, ConceptPage, GuidancePage, HomePage]:
        assert add_url(home, model) not in html, model
