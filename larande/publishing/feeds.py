"""RSS 2.0 and Atom feeds of published evaluation results, their lessons learned and their recommendations.

Each feed is a route of its list page (ResultIndexPage, LessonIndexPage and RecommendationIndexPage:
rss/, atom/; see
core/routes.py), which passes itself in: the feed links to it and moves with it.

Only live, public results (and lessons of such results) are in a feed; the fields come from the
page rows, which hold the published version, never a newer draft. Each feed lists the newest
FEED_SIZE items and is built in a fixed number of queries. The portal is the feed's author; a
result's entry also names its evaluator.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from core.collation import swedish_sort_key
from portal.visibility import request_private_q, visible_pages

FEED_SIZE = 50
SITE_NAME = "Lärportalen"


def _public_results(request=None):
    from larande.models import EvaluationResultPage

    return visible_pages(EvaluationResultPage, private_q=request_private_q(request))


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class _PortalFeed(Feed):
    """A feed built per request (see `feed_view`), so the request and the list page it is a route of
    are at hand for absolute URLs."""

    language = "sv"
    index_page = None
    fallback_link = "/"
    # The feed's own author: Atom requires one on the feed or on every entry (RFC 4287, 4.1.1),
    # and a lesson has none of its own. RSS has no feed-level author and leaves it out.
    author_name = SITE_NAME

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self):
        return (self.index_page.get_url(self.request) if self.index_page else None) or self.fallback_link

    def feed_url(self):
        return self.request.path

    def author_link(self):
        return self.request.build_absolute_uri("/")

    def _permalink(self, page_id: int) -> str:
        return self.request.build_absolute_uri(reverse("outputs:permalink", args=[page_id]))


def _names(records) -> list[str]:
    """Names in Swedish alphabetical order: the same feed on every database (a prefetch has no order)."""
    return sorted((record.name for record in records), key=swedish_sort_key)


class ResultsRssFeed(_PortalFeed):
    """Utvärderingsresultat, newest first."""

    feed_type = Rss201rev2Feed
    title = f"{SITE_NAME}: utvärderingsresultat"
    description = "Nya resultat från uppföljningar och utvärderingar av den regionala utvecklingsstrategin."

    def items(self):
        return (
            _public_results(self.request)
            .order_by("-published_on", "-first_published_at", "-pk")
            .prefetch_related("tags", "regions")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.key_findings

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return self._permalink(item.pk)

    item_guid_is_permalink = True

    def item_author_name(self, item):
        return item.evaluator

    def item_pubdate(self, item):
        return _start_of_day(item.published_on)

    def item_updateddate(self, item):
        return item.last_published_at or _start_of_day(item.published_on)

    def item_categories(self, item):
        return _names(item.regions.all()) + _names(item.tags.all())


class ResultsAtomFeed(ResultsRssFeed):
    feed_type = Atom1Feed
    subtitle = ResultsRssFeed.description


class LessonsRssFeed(_PortalFeed):
    """Lärdomar from published results, newest result first."""

    feed_type = Rss201rev2Feed
    title = f"{SITE_NAME}: lärdomar"
    description = "Lärdomar från uppföljningar och utvärderingar, hämtade ur de publicerade resultaten."

    def items(self):
        from larande.models import Lesson

        return (
            Lesson.objects.filter(result__in=_public_results(self.request))
            .select_related("result")
            .prefetch_related("tags")
            .order_by("-result__published_on", "result__path", "sort_order", "pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.statement

    def item_description(self, item):
        level = item.level
        text = f"Lärdom från {item.result.title}."
        return f"{text} Nivå i effektkedjan: {level.value} {level.label}." if level else text

    def item_link(self, item):
        return f"{item.result.get_url(self.request)}#{item.anchor}"

    def item_guid(self, item):
        return f"{self._permalink(item.result_id)}#{item.anchor}"

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return _start_of_day(item.result.published_on)

    def item_updateddate(self, item):
        return item.result.last_published_at or _start_of_day(item.result.published_on)

    def item_categories(self, item):
        return _names(item.tags.all())


class LessonsAtomFeed(LessonsRssFeed):
    feed_type = Atom1Feed
    subtitle = LessonsRssFeed.description


class RecommendationsRssFeed(_PortalFeed):
    """Rekommendationer from published results, the latest status change first: one entry per
    recommendation, updated whenever its status changes (larande/evaluation/tracker.py)."""

    feed_type = Rss201rev2Feed
    title = f"{SITE_NAME}: rekommendationer"
    description = "Rekommendationer från publicerade utvärderingar, med ägarens svar och status."

    def items(self):
        from larande.evaluation.tracker import attach_histories, public_recommendations

        recommendations, _ = public_recommendations(request_private_q(self.request))
        items = attach_histories(recommendations.select_related("result"))
        items.sort(key=lambda r: (r.status_since or r.result.published_on, r.result.published_on), reverse=True)
        return items[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.get_status_display()}: {item.text}"

    def item_description(self, item):
        parts = [item.text, f"Status: {item.get_status_display()}."]
        if item.response:
            parts.append(f"Ägarens svar: {item.response}")
        parts.append(f"Från {item.result.title}.")
        return "\n\n".join(parts)

    def item_link(self, item):
        return f"{item.result.get_url(self.request)}#{item.anchor}"

    def item_guid(self, item):
        return f"{self._permalink(item.result_id)}#{item.anchor}"

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        first = item.history[0].changed_on if item.history else item.result.published_on
        return _start_of_day(first)

    def item_updateddate(self, item):
        return _start_of_day(item.status_since or item.result.published_on)

    def item_categories(self, item):
        return [item.get_status_display()]


class RecommendationsAtomFeed(RecommendationsRssFeed):
    feed_type = Atom1Feed
    subtitle = RecommendationsRssFeed.description


def feed_view(feed_class):
    """A view that builds a fresh feed object per request (Feed objects are otherwise shared), for
    the list page `index_page` whose route it is."""

    def view(request, index_page=None):
        feed = feed_class()
        feed.index_page = index_page
        return feed(request)

    view.__name__ = view.__qualname__ = f"{feed_class.__name__.lower()}_view"
    view.__doc__ = feed_class.__doc__
    return view


results_rss = feed_view(ResultsRssFeed)
results_atom = feed_view(ResultsAtomFeed)
lessons_rss = feed_view(LessonsRssFeed)
lessons_atom = feed_view(LessonsAtomFeed)
recommendations_rss = feed_view(RecommendationsRssFeed)
recommendations_atom = feed_view(RecommendationsAtomFeed)
