"""Terminology guidance for editors: a warning when a saved page uses a deprecated term, and a report.

The warning is a message, never a block: the page is saved as the editor asked. Previews show
the same list at the top of the page (see `deprecated_terms_notice` in base.html). The report
"Avrådda begrepp i texter" lists every live page that uses a deprecated term, with counts per
term, linking to the editor.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page, get_page_models
from wagtail.permission_policies.pages import PagePermissionPolicy

from larande.glossary.terms import current_matcher, deprecated_uses, describe_use

# At most this many occurrences are named in one message; the report has the rest.
MAX_NAMED_USES = 10


def _warn(request, page):
    uses = deprecated_uses(page.specific if type(page) is Page else page)
    if not uses:
        return
    named = [describe_use(use) for use in uses[:MAX_NAMED_USES]]
    more = len(uses) - len(named)
    text = "Sidan använder avrådda begrepp: " + " ".join(named)
    if more:
        text += f" Ytterligare {more} ställen finns i rapporten Avrådda begrepp i texter."
    messages.warning(request, text)


@hooks.register("after_create_page")
def warn_deprecated_terms_on_create(request, page):
    _warn(request, page)


@hooks.register("after_edit_page")
def warn_deprecated_terms_on_edit(request, page):
    _warn(request, page)


@dataclass
class ReportRow:
    page: Page
    edit_url: str
    terms: list  # (term, replacement, count)
    total: int


def _child_accessors(model) -> list[str]:
    from modelcluster.models import get_all_child_relations

    return [relation.get_accessor_name() for relation in get_all_child_relations(model)]


def report_rows(user) -> list[ReportRow]:
    """Every live page the user may edit that uses a deprecated term, most uses first."""
    _, matcher = current_matcher()
    if not any(concept.deprecated for concept in matcher.concepts.values()):
        return []
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change").live()
    editable_ids = set(editable.values_list("id", flat=True))
    rows = []
    for model in get_page_models():
        if model is Page or model._meta.abstract or not editable_ids:
            continue
        pages = model.objects.live().exact_type(model).filter(id__in=editable_ids)
        for page in pages.prefetch_related(*_child_accessors(model)):
            uses = deprecated_uses(page, matcher)
            if not uses:
                continue
            per_term = defaultdict(int)
            replacements = {}
            for use in uses:
                per_term[use.concept.title] += use.count
                replacements[use.concept.title] = use.replacement_title
            terms = sorted(((term, replacements[term], count) for term, count in per_term.items()), key=lambda t: -t[2])
            rows.append(
                ReportRow(
                    page=page,
                    edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
                    terms=terms,
                    total=sum(count for _, _, count in terms),
                )
            )
    rows.sort(key=lambda row: (-row.total, row.page.title.lower()))
    return rows


def _may_see_report(user) -> bool:
    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])


def deprecated_terms_report(request):
    if not _may_see_report(request.user):
        raise PermissionDenied
    rows = report_rows(request.user)
    return render(
        request,
        "larande/admin/deprecated_terms_report.html",
        {"rows": rows, "page_count": len(rows), "use_count": sum(row.total for row in rows)},
    )


@hooks.register("register_admin_urls")
def register_report_url():
    return [path("rapporter/avradda-begrepp/", deprecated_terms_report, name="deprecated_terms_report")]


class _ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return _may_see_report(request.user)


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return _ReportMenuItem(
        "Avrådda begrepp i texter",
        reverse("deprecated_terms_report"),
        name="deprecated-terms",
        icon_name="warning",
        order=1100,
    )
