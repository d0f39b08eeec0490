"""Builders shared by the public page tests (tests/test_pages_*.py): real pages, published the way
editors publish them (a revision, then publish), plus drafts and private pages to prove they
stay hidden. No tests live here."""

import datetime
import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from larande.models import (
    ChainElement,
    ChainIndexPage,
    ChainLink,
    ConceptPage,
    EffectChainPage,
    EvaluationResultPage,
    FrameworkIndexPage,
    GlossaryIndexPage,
    GuidancePage,
    Lesson,
    LessonIndexPage,
    Region,
    ResultIndexPage,
    RusPriority,
)
from tests import publishing_support


def publish(parent, page, tags=(), revision=True):
    """Add `page` under `parent` and publish it through a revision.

    `revision=False` only adds the live page (what the database holds for a published page,
    without the revision history): five times faster, for tests that need a hundred pages.
    """
    if tags:
        page.tags.add(*tags)
    parent.add_child(instance=page)
    if revision:
        publishing_support.publish(page)
    return page


def draft(parent, page):
    """Add `page` under `parent` as a draft that was never published."""
    page.live = False
    parent.add_child(instance=page)
    page.save_revision()
    return page


def make_private(page, restriction_type=PageViewRestriction.PASSWORD):
    """Put `page` (and everything below it) behind a password or a login."""
    return PageViewRestriction.objects.create(page=page, restriction_type=restriction_type, password="hemligt")


def index_page(home, model, title, slug):
    return publish(home, model(title=title, slug=slug, intro=f"Ingress för {title.lower()}."))


def glossary(home):
    return index_page(home, GlossaryIndexPage, "Begrepp", "begrepp")


def framework(home):
    return index_page(home, FrameworkIndexPage, "Ramverket", "ramverket")


def chain_index(home):
    return index_page(home, ChainIndexPage, "Effektkedjor", "effektkedjor")


def result_index(home):
    return index_page(home, ResultIndexPage, "Resultat", "resultat")


def lesson_index(home):
    return index_page(home, LessonIndexPage, "Lärdomar", "lardomar")


def concept(parent, title, definition=None, live=True, tags=(), revision=True, **fields):
    page = ConceptPage(title=title, short_definition=definition or f"Definition av {title.lower()}.", **fields)
    if not live:
        return draft(parent, page)
    return publish(parent, page, tags, revision)


def chapter(parent, title, body=None, tags=(), revision=True, **fields):
    page = GuidancePage(title=title, intro=f"Om {title.lower()}.", body=body or [], **fields)
    return publish(parent, page, tags, revision)


def chain(parent, title, elements=(), links=(), tags=(), live=True, revision=True):
    """A chain with elements (key, level, title[, description]) and links (source, target[, rationale, evidence])."""
    page = EffectChainPage(
        title=title,
        purpose=f"Syftet med {title.lower()}.",
        context="<p>Regionen har en åldrande befolkning.</p>",
        elements=[
            ChainElement(key=e[0], level=e[1], title=e[2], description=e[3] if len(e) > 3 else "") for e in elements
        ],
        links=[
            ChainLink(
                source_key=link[0],
                target_key=link[1],
                rationale=link[2] if len(link) > 2 else "",
                evidence=link[3] if len(link) > 3 else "",
            )
            for link in links
        ],
    )
    if not live:
        return draft(parent, page)
    return publish(parent, page, tags, revision)


def region(name):
    return Region.objects.get_or_create(name=name)[0]


def priority(title):
    return RusPriority.objects.get_or_create(title=title)[0]


def tag(name):
    return Tag.objects.get_or_create(name=name)[0]


def result(
    parent,
    title,
    published_on=datetime.date(2024, 5, 1),
    regions=(),
    priorities=(),
    tags=(),
    lessons=(),
    live=True,
    revision=True,
    **fields,
):
    """A result; `lessons` are (statement, level, [tag names])."""
    defaults = {
        "evaluated": f"Insatsen {title.lower()}.",
        "period_start": datetime.date(2022, 1, 1),
        "period_end": datetime.date(2023, 12, 31),
        "evaluator": "Utvärderarna AB",
        "key_findings": f"Det viktigaste om {title.lower()}.",
    }
    defaults.update(fields)
    page = EvaluationResultPage(
        title=title,
        published_on=published_on,
        regions=list(regions),
        priorities=list(priorities),
        lessons=[
            Lesson(statement=statement, chain_level=level, tags=[tag(name) for name in tag_names])
            for statement, level, tag_names in lessons
        ],
        **defaults,
    )
    if not live:
        return draft(parent, page)
    return publish(parent, page, tags, revision)


# How much content the query-growth checks start with and grow to.
FEW, MANY = 3, 12


def assert_queries_do_not_grow(client, budgets, grow, assert_max_num_queries, few=FEW, many=MANY) -> dict:
    """The rule that a page's query count is bounded and does not grow with content, checked the
    same way for every page type.

    `grow(0, few)` builds the first content; each URL in `budgets` ({url: query budget}, or a
    function returning it once that content exists) is requested and its queries counted, within
    its budget; `grow(few, many)` adds more; every URL must then take exactly as
    many queries as before. Any query made per item shows as a rise of at least `many - few`
    (9 with the defaults), which growing 3 to 12 items reveals as surely as 10 to 100, in a
    fraction of the time. Returns the responses after growing, by URL, for the test's checks of
    what they show.
    """
    grow(0, few)
    if callable(budgets):
        budgets = budgets()
    before = {url: count_queries(client, url, assert_max_num_queries, budget)[0] for url, budget in budgets.items()}
    grow(few, many)
    after, responses = {}, {}
    for url, budget in budgets.items():
        after[url], responses[url] = count_queries(client, url, assert_max_num_queries, budget)
    assert after == before, f"the queries grew with the content: {before} -> {after}"
    return responses


def count_queries(client, url, assert_max_num_queries=None, budget=None):
    """(number of queries, response) for one anonymous GET, after a warm-up request so that
    per-process caches (site root paths) do not count. With pytest-django's
    `django_assert_max_num_queries` and a budget, the request also fails above the budget."""
    client.get(url)
    if assert_max_num_queries is not None:
        manager = assert_max_num_queries(budget)
    else:
        manager = CaptureQueriesContext(connection)
    with manager as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries), response


def text_of(response) -> str:
    """The page's visible text, tags stripped and whitespace collapsed, for assertions on what a
    visitor reads."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return _squeeze(html.unescape(re.sub(r"<[^>]+>", " ", content)))


def main_text(response) -> str:
    """The visible text of <main> only, without header, navigation and footer."""
    content = response.content.decode()
    start, end = content.index("<main"), content.index("</main>")
    return _squeeze(html.unescape(re.sub(r"<[^>]+>", " ", content[start:end])))


def _squeeze(text: str) -> str:
    # Tags become spaces; a space a tag left before punctuation is not what a reader sees.
    return re.sub(r"\s+([.,;:!?)])", r"\1", " ".join(text.split()))
