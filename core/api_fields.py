"""Serializer fields for the read-only Wagtail API (`api_fields` on the page models).

Relations between pages are never serialised as they are stored: a relation may point to a draft,
an unpublished or a private page, and its title must not reach the API. Every field here that
lists pages keeps only live, public ones, the same rule the public pages follow. Records
(questions, indicators, regions, priorities, tags) are public everywhere on the site.

This module is imported by the models, so it imports no models at module level.
"""

from rest_framework.fields import Field

from core.levels import ChainLevel
from portal.visibility import visible_pages


def _items(value):
    """A manager, queryset, list or single object as a list."""
    if value is None:
        return []
    if hasattr(value, "all") and callable(value.all):
        return list(value.all())
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]


def _page_summary(page, request) -> dict:
    from portal.origin import page_full_url

    return {"id": page.pk, "title": page.title, "html_url": page_full_url(page, request)}


def visible_related_pages(value) -> list:
    """The live, public pages among `value` (pages, a manager or a queryset), in the given order."""
    from wagtail.models import Page

    items = _items(value)
    ids = [getattr(item, "pk", item) for item in items]
    if not ids:
        return []
    visible = {
        page.pk: page
        for page in visible_pages(Page.objects.filter(pk__in=ids)).only("id", "title", "url_path", "path", "depth")
    }
    return [visible[pk] for pk in ids if pk in visible]


class PublicPagesField(Field):
    """A list of related pages as {id, title, html_url}, live and public ones only."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        return [_page_summary(page, request) for page in visible_related_pages(value)]


class NamedRecordsField(Field):
    """Records (regions, RUS priorities) as {name, slug}, in name order."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return sorted(({"name": str(item), "slug": item.slug} for item in _items(value)), key=lambda d: d["name"])


class TagNamesField(Field):
    """Tags as a sorted list of names (for plain many-to-many relations to taggit's Tag)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return sorted((tag.name for tag in _items(value)), key=str.lower)


class ChainLevelField(Field):
    """A chain level letter as {code, label}, or null when the object has none."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        # An empty level is "no level": null rather than an empty code the client must interpret.
        return value or None

    def to_representation(self, value):
        level = ChainLevel.parse(str(value))
        return {"code": level.value, "label": level.label} if level else None


def question_summary(question, request) -> dict:
    """An evaluation question as the result page shows it: text, kind and level, with its public URL."""
    from django.urls import reverse

    path = reverse("larande:question_detail", args=[question.pk])
    level = question.level
    return {
        "id": question.pk,
        "text": question.text,
        "kind": question.kind,
        "chain_level": {"code": level.value, "label": level.label} if level else None,
        "html_url": request.build_absolute_uri(path) if request else path,
    }


class QuestionField(Field):
    """One evaluation question (see `question_summary`)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, question):
        return question_summary(question, self.context.get("request"))


class QuestionListField(Field):
    """Evaluation questions (a manager or list), each as `question_summary` gives it."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        return [question_summary(question, request) for question in _items(value)]


class IndicatorField(Field):
    """An indicator, as a reported value refers to it: name, unit, level and definition."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, indicator):
        level = indicator.level
        return {
            "id": indicator.pk,
            "name": indicator.name,
            "unit": indicator.unit,
            "definition": indicator.definition,
            "source": indicator.source,
            "chain_level": {"code": level.value, "label": level.label} if level else None,
        }


class ConceptRelationsField(Field):
    """A concept's relations as its page shows them (`ConceptPage.public_relations()`): contrasts
    with what tells them apart, broader, narrower and related concepts, and the replacement of a
    deprecated concept; live, public concepts only."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, relations):
        request = self.context.get("request")

        def pages(items):
            return [_page_summary(page, request) for page in items]

        replacement = relations.get("replacement")
        return {
            "not_to_be_confused_with": [
                {"concept": _page_summary(c.other_concept, request), "difference": c.difference}
                for c in relations["contrasts"]
            ],
            "broader": pages(relations["broader_concepts"]),
            "narrower": pages(relations["narrower_concepts"]),
            "related": pages(relations["related_concepts"]),
            "use_instead": _page_summary(replacement, request) if replacement else None,
        }
