"""Pickers for the admin forms: pages ticked in sorted checkbox lists, free tags typed with
suggestions, and an inline panel whose rows use a form of their own.

- `PageCheckboxes`: a checkbox list of pages in Swedish alphabetical order, a page that is not
  published marked "(utkast)", so an editor sees a visitor will not find it linked until it is.
- `TagNamesField`: for a plain many-to-many to taggit's `Tag` (a lesson's tags), the same typed
  input with suggestions as a page's own tags (Wagtail's `AdminTagWidget`). A name not yet used
  becomes a new tag when the form is checked; names are matched case-insensitively so "Samverkan"
  and "samverkan" are one tag.
- `FormInlinePanel`: an `InlinePanel` whose child rows use the given form class (Wagtail's
  panel only takes fields and widgets for them).
"""

from django import forms
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags
from wagtail.admin.panels import InlinePanel, get_form_for_model
from wagtail.admin.widgets import AdminTagWidget

from core.collation import swedish_sort_key


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


class TagNamesField(forms.ModelMultipleChoiceField):
    """Tags typed as comma-separated names with suggestions; cleans to `Tag` objects."""

    widget = AdminTagWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Tag.objects.all())
        kwargs.setdefault(
            "help_text", "Skriv taggar åtskilda med kommatecken; befintliga taggar föreslås medan du skriver."
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

    def clean(self, value):
        names = parse_tags(value or "") if isinstance(value, str) else []
        if not names:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        tags = []
        for name in names:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            if tag not in tags:
                tags.append(tag)
        return tags

    def has_changed(self, initial, data):
        return self.prepare_value(initial or []) != (data or "")


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
