"""Builders for the publishing tests (roles, feeds, open data, API, sitemap, leaks, result
components): results and chains in every publication state a visitor must never see into.

Pages are built the way Wagtail stores them: child rows (lessons, reported values) are saved with
the page, so a draft's lessons exist in the database too and every output must filter them out;
publishing goes through a revision; a draft change of a live page lives only in its revision.
No tests live here.
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, PageViewRestriction, Site

from home.models import HomePage
from home.roles import ensure_roles_and_workflow
from larande.models import (
    ChainElement,
    ChainLink,
    EffectChainPage,
    EvaluationResultPage,
    Lesson,
    LinkEvidence,
    Recommendation,
    ReportedIndicatorValue,
)
from tests.factories import (
    ChainIndexPageFactory,
    FrameworkIndexPageFactory,
    GlossaryIndexPageFactory,
    IndicatorFactory,
    LessonIndexPageFactory,
    ResultIndexPageFactory,
    home_page,
)

SECRET_VALUE = Decimal("9876.54")
SECRET_VALUE_TEXTS = ("9876.54", "9876,54", "9 876,54", "9\xa0876,54")


@contextmanager
def shared_content(django_db_blocker):
    """Build content once for a test module, inside a transaction rolled back at its end.

    Each test still runs in its own savepoint (the `db` fixture), so what a test changes is undone.
    The build starts with an empty cache: it may run after earlier tests of the module (before the
    test's own cache reset), and what they cached must not reach it, e.g. Wagtail's cached rendition
    of an image whose id the rollback has freed and the build's image gets again.
    """
    cache.clear()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            # Wagtail caches site root paths; they must not outlive the rolled-back pages.
            cache.clear()


def start_page():
    """The start page as the default site's root, like the demo content makes it, and the only page
    under the tree's root (Wagtail's welcome page and its site are removed): the `home` fixture,
    for a module's `build_world()`."""
    if HomePage.objects.exists():
        return home_page()
    home = home_page()
    Site.objects.exclude(root_page=home).delete()
    Page.objects.filter(depth=2).exclude(id=home.id).delete()
    return home


def user_in(group_name: str, username: str | None = None, **fields):
    """A user who is a member of one of the role groups (created by the migration)."""
    user = get_user_model().objects.create_user(username or group_name.lower(), password="lösenord-för-test", **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def sections(home=None) -> dict:
    """The content sections under the start page, published, with the roles and workflow attached."""
    start = home_page()
    if start.live_revision_id is None:
        publish(start)
    pages = {
        "framework": FrameworkIndexPageFactory(publish=True),
        "glossary": GlossaryIndexPageFactory(publish=True),
        "chains": ChainIndexPageFactory(publish=True),
        "results": ResultIndexPageFactory(publish=True),
        "lessons": LessonIndexPageFactory(publish=True),
    }
    ensure_roles_and_workflow()
    return pages


def publish(page):
    """Publish the page's current state through a revision, as the editor's publish button does."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def indicator(name="Antal aktiva klusterinitiativ", unit="antal", **fields):
    return IndicatorFactory(name=name, unit=unit, **fields)


def result_page(
    parent,
    title,
    *,
    lessons=(),
    values=(),
    chains=(),
    priorities=(),
    live=True,
    published_on=datetime.date(2024, 3, 1),
    **fields,
) -> EvaluationResultPage:
    """A result with lessons (statements) and reported values ((indicator, year, value, target)),
    evaluating `chains` under the RUS `priorities`.

    `live=False` leaves it a draft that was never published (with a revision, like the editor's).
    """
    page = EvaluationResultPage(
        title=title,
        slug=slugify(title),
        evaluated=f"Vad som utvärderades i {title}.",
        period_start=datetime.date(2021, 1, 1),
        period_end=datetime.date(2023, 12, 31),
        evaluator=fields.pop("evaluator", "Exempelutvärderarna AB"),
        key_findings=fields.pop("key_findings", f"Slutsatser i {title}."),
        is_fictitious=True,
        published_on=published_on,
        lessons=[Lesson(statement=statement, chain_level="D") for statement in lessons],
        indicator_values=[
            ReportedIndicatorValue(
                indicator=ind,
                year=year,
                value=Decimal(str(value)),
                target=None if target is None else Decimal(str(target)),
            )
            for ind, year, value, target in values
        ],
        **fields,
    )
    page.live = live
    parent.add_child(instance=page)
    if chains or priorities:
        page.chains.set(list(chains))
        page.priorities.set(list(priorities))
        page.save()
    if live:
        return publish(page)
    page.save_revision()
    return page


def chain_page(parent, title, *, live=True) -> EffectChainPage:
    page = EffectChainPage(
        title=title,
        slug=slugify(title),
        purpose=f"Syftet med {title}.",
        elements=[ChainElement(key="D1", level="D", title=f"Utfall i {title}")],
    )
    page.live = live
    parent.add_child(instance=page)
    if live:
        return publish(page)
    page.save_revision()
    return page


# --- States a visitor must never see into --------------------------------------------------------


def leave_as_draft(page, user):
    """Never published: nothing to do."""
    return page


def unpublish(page, user):
    publish(page)
    page.unpublish()
    page.refresh_from_db()
    return page


def submit_for_moderation(page, user):
    """A never-published page sent to the review workflow (Granskning)."""
    workflow = page.get_workflow()
    assert workflow is not None, "the section has no workflow: call ensure_roles_and_workflow()"
    workflow.start(page, user)
    page.refresh_from_db()
    return page


def schedule(page, user, days=7):
    """Approved for publishing in the future, so not live yet."""
    page.go_live_at = timezone.now() + datetime.timedelta(days=days)
    page.save_revision(user=user).publish()
    page.refresh_from_db()
    return page


def restrict_with_password(page, user):
    publish(page)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="hemligt")
    return page


def restrict_to_logged_in(page, user):
    publish(page)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    return page


def expire_without_cron(page, user):
    """Published with an expiry time that has passed while `publish_scheduled` has not run yet:
    still `live` in the database, yet no visitor may see it."""
    publish(page)
    type(page).objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=5))
    page.refresh_from_db()
    return page


HIDDEN_STATES = {
    "utkast": leave_as_draft,
    "avpublicerad": unpublish,
    "i granskning": submit_for_moderation,
    "schemalagd": schedule,
    "privat med lösenord": restrict_with_password,
    "privat för inloggade": restrict_to_logged_in,
    "utgången": expire_without_cron,
}


def marker(state: str) -> str:
    """A word that only the hidden content of a state contains: HEMLIG + the state in capitals."""
    return "HEMLIG" + slugify(state).replace("-", "").upper()


def change_without_publishing(page, secret: str, ind, user=None):
    """Edit a live result in a new revision only: title, key findings, a lesson, a recommendation,
    every recommendation's status, a value and, for a result that evaluates chains, evidence
    contradicting every link of them."""
    page = EvaluationResultPage.objects.get(pk=page.pk)
    page.title = f"{secret} ny titel"
    page.key_findings = f"{secret} nya slutsatser"
    page.lessons.add(Lesson(statement=f"{secret} ny lärdom", chain_level="C"))
    recommendations = list(page.recommendations.all())
    for recommendation in recommendations:
        recommendation.status = Recommendation.Status.REJECTED
    page.recommendations = [*recommendations, Recommendation(text=f"{secret} ny rekommendation", status="done")]
    page.indicator_values.add(ReportedIndicatorValue(indicator=ind, year=2031, value=SECRET_VALUE))
    for link in ChainLink.objects.filter(chain__in=list(page.chains.all())):
        page.link_evidence.add(LinkEvidence(link=link, verdict="contradicts", finding=f"{secret} ny evidens"))
    return page.save_revision(user=user)


def pending_draft(page, secret, ind, user):
    change_without_publishing(page, secret, ind, user)


def pending_moderation(page, secret, ind, user):
    change_without_publishing(page, secret, ind, user)
    page.get_workflow().start(EvaluationResultPage.objects.get(pk=page.pk), user)


def pending_schedule(page, secret, ind, user):
    revision = change_without_publishing(page, secret, ind, user)
    scheduled = revision.as_object()
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=7)
    scheduled.save_revision(user=user).publish()


PENDING_CHANGES = {
    "nytt utkast": pending_draft,
    "ändring i granskning": pending_moderation,
    "schemalagd ändring": pending_schedule,
}
