"""Issue 13, item 1: every public page type renders uncached in at most 12 queries, flat as content grows
(issue 16 added the recommendation tracker, its feed and open data, and the follow-up per RUS priority).

One site with every page type is built small, each address is requested once to warm the caches
kept per content version (`portal.content_cache`), counted, then the content grows (more concepts,
chapters, chains, results, lessons, questions and tags, and more on the very pages counted) and every
address must take exactly as many queries as before (`assert_queries_do_not_grow`). Each budget is
the count measured on SQLite and PostgreSQL; it may only go down. Wall times are the render bench's
business (bench/render_bench.py), not a unit test's.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from taggit.models import Tag

from home.models import StandardPage
from larande.models import (
    ChainElement,
    ChainLink,
    EvaluationPlanPage,
    EvaluationQuestion,
    FollowUpIndexPage,
    Lesson,
    LinkEvidence,
    QuestionAnswer,
    QuestionKind,
    Recommendation,
    RecommendationIndexPage,
    ReportedIndicatorValue,
)
from tests.publishing_support import indicator
from tests.test_pages_support import (
    assert_queries_do_not_grow,
    chain,
    chain_index,
    chapter,
    concept,
    framework,
    glossary,
    index_page,
    lesson_index,
    main_text,
    make_private,
    priority,
    publish,
    region,
    result,
    result_index,
)

pytestmark = pytest.mark.django_db

# The goal, and no page type may need more.
PAGE_QUERY_GOAL = 12

# Measured per page type (SQLite and PostgreSQL alike), after one warm-up request.
RENDER_QUERY_BUDGETS = {
    "startsida": 7,
    "standardsida": 2,
    "vägledning (index)": 3,
    "vägledning (kapitel)": 7,
    "begrepp (index)": 3,
    "begrepp": 5,
    "effektkedjor (index)": 7,
    "effektkedja": 5,
    "resultat (index)": 9,
    "resultat": 5,
    "lärdomar": 8,
    "frågor (lista)": 1,
    "fråga": 6,
    "tagg": 7,
    # On PostgreSQL the search statement sets its planner settings (SET LOCAL) in a transaction of
    # its own, which inside a test is a savepoint: three statements where SQLite runs one.
    "sök": 6 if connection.vendor == "sqlite" else 8,
    "begrepp.ttl": 0,
    "webbplatskarta": 0,
    "rekommendationer": 7,
    "rekommendationer (filtrerade)": 7,
    "rekommendationer (Atom)": 4,
    "rekommendationer.csv": 0,
    "uppföljning (index)": 5,
    "uppföljning (prioritering)": 3,
    "uppföljning (sammanfattning)": 3,
    "utvärderingsplan": 2,
    "utvärderingsplan (plan)": 4,
}


class Site:
    """A site with one page of every public type, and what the growth adds to."""

    def __init__(self, home):
        self.home = home
        self.standard = publish(home, StandardPage(title="Om portalen", slug="om", intro="Om Lärportalen."))
        self.framework = framework(home)
        self.glossary = glossary(home)
        self.chains = chain_index(home)
        self.results = result_index(home)
        self.lessons = lesson_index(home)
        self.tracker = index_page(home, RecommendationIndexPage, "Rekommendationer", "rekommendationer")
        self.followup = index_page(home, FollowUpIndexPage, "Uppföljning", "uppfoljning")
        self.priority = priority("Innovation och näringslivsutveckling")
        self.chapter = chapter(self.framework, "Vad är uppgiften", tags=["Uppföljning"])
        self.concept = concept(self.glossary, "Utfall", chain_level="D", tags=["Uppföljning"])
        self.chain = chain(
            self.chains,
            "Klusterkedjan",
            elements=[("G1", "G", "Medel"), ("F1", "F", "Aktivitet")],
            links=[("G1", "F1", "Därför.")],
            tags=["Uppföljning"],
        )
        self.result = result(
            self.results,
            "Klusterinitiativ",
            tags=["Uppföljning"],
            chains=[self.chain],
            priorities=[self.priority],
            regions=[region("Region Västerbotten")],
        )
        self.indicator = indicator()
        self.question = EvaluationQuestion.objects.create(
            text="Leder insatserna till lärande?", kind=QuestionKind.SUMMATIVE, chain_level="D"
        )
        self.question.chains.add(self.chain)
        self.question.decided_on = datetime.date(2024, 1, 10)
        self.question.decision_regions.add(region("Region Västerbotten"))
        self.question.save()
        self.plan = publish(home, EvaluationPlanPage(title="Utvärderingsplan", slug="utvarderingsplan"))
        self.link = ChainLink.objects.get(chain=self.chain, source_key="G1")

    def grow(self, start: int, stop: int) -> None:
        """Items start … stop-1 of every kind, listed or shown on the pages counted."""
        for i in range(start, stop):
            chapter(self.framework, f"Kapitel {i:03}", tags=["Uppföljning"], revision=False)
            narrower = concept(self.glossary, f"Begrepp {i:03}", tags=["Uppföljning"], revision=False)
            narrower.broader.add(self.concept)
            narrower.save()
            other = chain(self.chains, f"Kedja {i:03}", elements=[("G1", "G", "Medel")], revision=False)
            listed = result(
                self.results,
                f"Resultat {i:03}",
                published_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
                regions=[region(f"Region {i:03}")],
                tags=["Uppföljning"],
                lessons=[(f"Lärdom {i:03}", "D", ["Uppföljning"])],
                revision=False,
                chains=[self.chain, other],
                priorities=[self.priority],
            )
            status = list(Recommendation.Status)[i % 4]
            Recommendation.objects.create(result=listed, text=f"Rekommendation {i:03}", status=status)
            Recommendation.objects.create(result=self.result, text=f"Egen rekommendation {i:03}", status="planned")
            self.question.decision_regions.add(region(f"Region {i:03}"))
            question = EvaluationQuestion.objects.create(text=f"Fråga {i:03}?", kind=QuestionKind.PROCESS)
            question.chains.add(self.chain)
            question.indicators.add(self.indicator)
            question.save()
            QuestionAnswer.objects.create(result=listed, question=self.question, answer=f"Svar {i:03}.")
            LinkEvidence.objects.create(result=listed, link=self.link, verdict="supports", finding=f"Stöd {i:03}.")
            ChainElement.objects.create(chain=self.chain, key=f"E{i}", level="E", title=f"Prestation {i:03}")
            ChainLink.objects.create(chain=self.chain, source_key="F1", target_key=f"E{i}", rationale="Därför.")
            Lesson.objects.create(result=self.result, statement=f"Egen lärdom {i:03}", chain_level="E")
            ReportedIndicatorValue.objects.create(
                result=self.result, indicator=self.indicator, year=2000 + i, value=Decimal(i)
            )
        # The rows added straight to the chain and the result are published with them.
        for page in (self.concept, self.chain, self.result):
            page.save_revision().publish()

    def addresses(self) -> dict[str, str]:
        return {
            "startsida": self.home.url,
            "standardsida": self.standard.url,
            "vägledning (index)": self.framework.url,
            "vägledning (kapitel)": self.chapter.url,
            "begrepp (index)": self.glossary.url,
            "begrepp": self.concept.url,
            "effektkedjor (index)": self.chains.url,
            "effektkedja": self.chain.url,
            "resultat (index)": self.results.url,
            "resultat": self.result.url,
            "lärdomar": self.lessons.url,
            "frågor (lista)": reverse("larande:question_list"),
            "fråga": reverse("larande:question_detail", args=[self.question.pk]),
            "tagg": reverse("larande:tag", args=[Tag.objects.get(name="Uppföljning").slug]),
            "sök": "/sok/?q=utfall",
            "begrepp.ttl": "/oppna-data/begrepp.ttl",
            "webbplatskarta": "/sitemap.xml",
            "rekommendationer": self.tracker.url,
            "rekommendationer (filtrerade)": f"{self.tracker.url}?status=planerad&prioritering={self.priority.slug}",
            "rekommendationer (Atom)": f"{self.tracker.url}atom/",
            "rekommendationer.csv": "/oppna-data/rekommendationer.csv",
            "uppföljning (index)": self.followup.url,
            "uppföljning (prioritering)": f"{self.followup.url}{self.priority.slug}/",
            "uppföljning (sammanfattning)": f"{self.followup.url}{self.priority.slug}/sammanfattning/",
            "utvärderingsplan": self.plan.url,
            "utvärderingsplan (plan)": f"{self.plan.url}?kedja={self.chain.slug}&fraga={self.question.pk}&visa=plan",
        }


def test_every_budget_is_within_the_goal():
    assert max(RENDER_QUERY_BUDGETS.values()) <= PAGE_QUERY_GOAL


def test_every_public_page_type_renders_within_its_budget_and_does_not_grow(
    client, home, django_assert_max_num_queries
):
    site = Site(home)
    addresses = site.addresses()
    assert set(addresses) == set(RENDER_QUERY_BUDGETS)
    budgets = {addresses[name]: budget for name, budget in RENDER_QUERY_BUDGETS.items()}
    for url in budgets:
        assert client.get(url).status_code == 200, url

    responses = assert_queries_do_not_grow(client, budgets, site.grow, django_assert_max_num_queries)

    # The grown content is what the pages show: nothing was served from before the growth.
    assert main_text(responses[site.chain.url]).count("Därför.") >= 12
    assert "Egen lärdom 011" in main_text(responses[site.result.url])
    assert "Begrepp 011" in main_text(responses[site.concept.url])
    assert "Kapitel 011" in main_text(responses[site.framework.url])
    assert "Resultat 011" in main_text(responses[site.results.url])
    assert "stöds av 12 utvärderingar" in main_text(responses[site.chain.url])
    assert "Begrepp 011" in responses["/sitemap.xml"].content.decode() or "begrepp-011" in (
        responses["/sitemap.xml"].content.decode()
    )
    assert "Egen rekommendation 011" in main_text(responses[site.tracker.url])
    assert "Egen rekommendation 011" in main_text(responses[f"{site.followup.url}{site.priority.slug}/"])


@pytest.mark.parametrize("restriction", ["password", "login"])
def test_a_restricted_page_still_asks_for_a_password_or_a_login(client, home, restriction):
    """Wagtail's own check is spared only for pages proven free of restrictions."""
    page = publish(home, StandardPage(title="Hemlig sida", slug="hemlig", intro="Hemlig ingress."))
    make_private(page, restriction)
    for _ in range(2):  # the second request reads the restricted sections from the cache
        response = client.get(page.url)
        assert "Hemlig ingress." not in response.content.decode()
        if restriction == "password":
            assert response.status_code == 200 and 'name="password"' in response.content.decode()
        else:
            assert response.status_code == 302 and "next=" in response["Location"]
