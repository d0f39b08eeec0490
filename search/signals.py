"""Signals that keep the search indexes in step with the database (connected in SearchConfig.ready)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from larande.models import EvaluationQuestion, Indicator, Region, RusPriority

from . import index


def _page_published(sender, instance, **kwargs):
    index.update_page(instance)


def _page_unpublished(sender, instance, **kwargs):
    index.update_page(instance)


def _page_deleted(sender, instance, **kwargs):
    # Every page has a row in Page's own table, so listening to Page hears every page deleted.
    index.remove_page(instance)


def _page_moved(sender, instance, **kwargs):
    index.update_page_tree(instance)


def _slug_changed(sender, instance, **kwargs):
    # Descendants' URLs change with their ancestor's slug.
    index.update_page_tree(instance)


def _restriction_changed(sender, instance, **kwargs):
    page_id = instance.page_id

    def update():
        # After the commit: a restriction is also deleted when its page is, and then there is nothing left to do.
        page = Page.objects.filter(pk=page_id).first()
        if page is not None:
            index.update_page_tree(page)

    transaction.on_commit(update, robust=True)


def _record_saved(sender, instance, created=False, **kwargs):
    # A new question is indexed itself; any other new record is shown nowhere yet.
    if created and not isinstance(instance, EvaluationQuestion):
        return
    index.update_record(instance)


def _question_deleted(sender, instance, **kwargs):
    index.remove_question(instance.pk)


def connect() -> None:
    page_published.connect(_page_published, dispatch_uid="search-page-published")
    page_unpublished.connect(_page_unpublished, dispatch_uid="search-page-unpublished")
    # Only for Page: a receiver for every sender would stop Django from deleting index rows in bulk.
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="search-page-deleted")
    post_page_move.connect(_page_moved, dispatch_uid="search-page-moved")
    page_slug_changed.connect(_slug_changed, dispatch_uid="search-slug-changed")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-saved")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-deleted")
    # A record's name or text shows in other documents: saving it re-indexes them.
    for model in (EvaluationQuestion, Region, RusPriority, Indicator, Tag):
        post_save.connect(_record_saved, sender=model, dispatch_uid=f"search-{model._meta.label_lower}-saved")
    post_delete.connect(_question_deleted, sender=EvaluationQuestion, dispatch_uid="search-question-deleted")
