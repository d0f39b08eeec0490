"""Pickers for the admin forms: pages ticked in sorted checkbox lists, free tags typed with
suggestions, and an inline panel whose rows use a form of their own.

- `PageCheckboxes`: a checkbox list of pages in Swedish alphabetical order, a page that is not
  published marked "(utkast)", so an editor sees a visitor will not find it linked until it is.
- `TagNamesField`: for a plain many-to-many to taggit's `Tag` (a lesson's tags), the same typed
  input with suggestions as a page's own tags (Wagtail's `AdminTagWidget`, taggit's parsing: commas
  separate tags, double quotes keep a comma inside one). Names are matched case-insensitively, so
  "Samverkan" and "samverkan" are one tag. A name not yet used becomes an unsaved `Tag` when the
  form is checked and is saved only when the form is (`save_new_tags`), so a form rejected for
  any reason leaves no tag behind. A name longer than a tag can hold, more than `MAX_TAGS` tags or
  a NUL character (which PostgreSQL cannot store) are Swedish errors at the field.
- `FormInlinePanel`: an `InlinePanel` whose child rows use the given form class (Wagtail's
  panel only takes fields and widgets for them).
"""

from django import forms
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags
from wagtail.admin.panels import InlinePanel, get_form_for_model
from wagtail.admin.widgets import AdminTagWidget

from core.collation import swedish_sort_key
from core.slugs import ascii_slug

TAG_NAME_MAX = Tag._meta.get_field("name").max_length
TAG_SLUG_MAX = Tag._meta.get_field("slug").max_length
MAX_TAGS = 50


class PageCheckboxes(forms.CheckboxSelectMultiple):
    """Pages as checkboxes, sorted in Swedish order, drafts marked "(utkast)"."""

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        for _group_name, options, _index in groups:
            for option in options:
                page = getattr(option["value"], "instance", None)
                if page is not None and not getattr(page, "live", True):
                    option["label"] = f"{option['label']} (utkast)"
        groups.sort(key=lambda group: swedish_sort_key(str(group[1][0]["label"])))
        return groups


def _tag_slug(name: str) -> str:
    """A slug no other tag has: taggit's own (Unicode letters kept), else the name in ASCII (an
    emoji-only tag), else "tagg"; numbered `_2`, `_3` … when taken, always within the column."""
    base = (slugify(name, allow_unicode=True) or ascii_slug(name) or "tagg")[: TAG_SLUG_MAX - 4]
    taken = set(Tag.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}_{number}"
    return slug


def save_new_tags(tags) -> None:
    """Save the tags `TagNamesField` made for names not used before (call when the form saves)."""
    for tag in tags or []:
        if tag.pk is None:
            existing = Tag.objects.filter(name__iexact=tag.name).first()
            if existing is not None:  # made by someone else since the form was checked
                tag.pk, tag.slug = existing.pk, existing.slug
                tag._state.adding, tag._state.db = False, existing._state.db
            else:
                tag.slug = _tag_slug(tag.name)
                try:
                    with transaction.atomic():
                        tag.save()
                except IntegrityError:  # the same name, or slug, saved by someone else just now
                    tag.pk = None
                    existing = Tag.objects.filter(name__iexact=tag.name).first()
                    if existing is None:
                        tag.slug = f"{_tag_slug(tag.name)[: TAG_SLUG_MAX - 12]}_{Tag.objects.count() + 1}"
                        tag.save()
                    else:
                        tag.pk, tag.slug = existing.pk, existing.slug
                        tag._state.adding, tag._state.db = False, existing._state.db


class TagNamesField(forms.Field):
    """Tags typed as comma-separated names with suggestions; cleans to a list of `Tag` objects,
    new ones unsaved until `save_new_tags`."""

    widget = AdminTagWidget

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "Skriv taggar åtskilda med kommatecken; befintliga taggar föreslås medan du skriver. "
            "Sätt citattecken runt en tagg som själv innehåller kommatecken.",
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        tags = [item for item in value if isinstance(item, Tag)]
        pks = [item for item in value if not isinstance(item, Tag)]
        if pks:
            tags += list(Tag.objects.filter(pk__in=pks))
        return edit_string_for_tags(tags)

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, str):
            raise forms.ValidationError("Skriv taggarna som text, åtskilda med kommatecken.", code="invalid")
        if "\x00" in value:
            raise forms.ValidationError("Taggarna innehåller ett tecken som inte går att spara.", code="null")
        names = parse_tags(value)
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(
                "Ange högst %(max)d taggar (nu %(count)d).",
                code="max_tags",
                params={"max": MAX_TAGS, "count": len(names)},
            )
        too_long = [name for name in names if len(name) > TAG_NAME_MAX]
        if too_long:
            raise forms.ValidationError(
                "En tagg får vara högst %(max)d tecken lång (”%(start)s…” har %(length)d).",
                code="max_length",
                params={"max": TAG_NAME_MAX, "start": too_long[0][:30], "length": len(too_long[0])},
            )
        tags, seen = [], set()
        for name in names:
            if name.casefold() in seen:
                continue
            seen.add(name.casefold())
            tags.append(Tag.objects.filter(name__iexact=name).order_by("pk").first() or Tag(name=name))
        return tags

    def has_changed(self, initial, data):
        return self.prepare_value(initial or []) != (data or "")


class TagNamesFormMixin:
    """For a `ClusterForm` with `TagNamesField`s: save the new tags before they are assigned."""

    def save_cluster_m2m(self):
        for name, field in self.fields.items():
            if isinstance(field, TagNamesField) and name in getattr(self, "cleaned_data", {}):
                save_new_tags(self.cleaned_data[name])
        super().save_cluster_m2m()


class FormInlinePanel(InlinePanel):
    """An `InlinePanel` whose rows use `form_class` (a `WagtailAdminModelForm` for the child model)."""

    def __init__(self, relation_name, *args, form_class=None, **kwargs):
        super().__init__(relation_name, *args, **kwargs)
        self.form_class = form_class

    def clone_kwargs(self):
        kwargs = super().clone_kwargs()
        kwargs["form_class"] = self.form_class
        return kwargs

    def get_form_options(self):
        options = super().get_form_options()
        if self.form_class is not None:
            # As InlinePanel builds its own row form (keeping its deferred required fields).
            defer = self.child_edit_handler.get_form_options().get("defer_required_on_fields")
            extra = {"defer_required_on_fields": defer} if defer else {}
            options["formsets"][self.relation_name]["form"] = get_form_for_model(
                self.db_field.related_model, form_class=self.form_class, **extra
            )
        return options
