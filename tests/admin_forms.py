"""Helpers for driving the real Wagtail admin forms in tests.

Read the form a view renders as a browser would submit it, post it back changed, and find the
error message shown next to a field (inside that field's wrapper, not just somewhere on the page).
"""

import json

from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, querydict_from_html

PAGE_FORM_ID = "page-edit-form"
PUBLISH = {"action-publish": "action-publish"}

# Django's own messages come from whichever installed app's Swedish catalogue translates the same
# English text first (Wagtail's admin, Django REST framework, Django), so their wording can shift
# when apps are added. Tests match these alternatives or a distinctive part of the message.
REQUIRED = ("Det här fältet är obligatoriskt", "Detta fält måste fyllas i", "Det här fältet krävs")
INVALID_CHOICE = "giltigt alternativ"
INVALID_URL = "giltig URL"
WHOLE_NUMBER = "heltal"


def add_url(parent, model) -> str:
    """The page editor's "add a page of this type here" address."""
    return reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _soup(response) -> BeautifulSoup:
    # lxml's parser (lxml comes with python-docx) reads a Wagtail edit page several times faster
    # than Python's html.parser; both were checked to find the same fields, errors and messages.
    return BeautifulSoup(response.content.decode(), "lxml")


def form_data(response, form_id: str | None = PAGE_FORM_ID, form_index: int = 0) -> dict[str, list[str]]:
    """What a browser would submit for the rendered form, as a dict of value lists for the test client.

    StreamField values are built by JavaScript and are not in the HTML: add them yourself.
    """
    html = response.content.decode()
    data = querydict_from_html(html, form_id=form_id, form_index=form_index)
    soup = _soup(response)
    form = soup.find("form", id=form_id) if form_id else soup.find_all("form")[form_index]
    # querydict_from_html takes a multiple select's first option when none is selected; a browser sends nothing.
    for select in form.find_all("select", multiple=True):
        if not select.find_all("option", selected=True):
            data.pop(select["name"], None)
    # A ticked checkbox without a value attribute is sent as "on", not as an empty string.
    for checkbox in form.find_all("input", type="checkbox", checked=True):
        if "value" not in checkbox.attrs and checkbox.get("name"):
            data.setlist(checkbox["name"], ["on"])
    # Empty-form templates for inline panels are not submitted as forms.
    return {key: values for key, values in data.lists() if "__prefix__" not in key}


def merged(data: dict, *overrides: dict) -> dict:
    """`data` with the overrides applied; a value of None removes the key."""
    result = dict(data)
    for override in overrides:
        for key, value in override.items():
            if value is None:
                result.pop(key, None)
            else:
                result[key] = value
    return result


def field_errors(response, name: str) -> list[str]:
    """The error messages shown in the wrapper of the field whose input is called `name`."""
    soup = _soup(response)
    widget = soup.find(attrs={"name": name})
    assert widget is not None, f"the form has no field named {name!r}"
    wrapper = widget.find_parent(attrs={"data-field": True})
    assert wrapper is not None, f"the field {name!r} has no field wrapper"
    return [p.get_text(" ", strip=True) for p in wrapper.select(".error-message")]


def shows(errors: list[str], message: str | tuple[str, ...]) -> bool:
    """Whether one of the error texts contains the message (or one of its alternatives)."""
    alternatives = (message,) if isinstance(message, str) else message
    return any(alternative in error for error in errors for alternative in alternatives)


def all_error_messages(response) -> list[str]:
    """Every field error message on the page, for diagnostics in assertion messages."""
    return [p.get_text(" ", strip=True) for p in _soup(response).select(".error-message")]


def stream_block_errors(response, name: str) -> dict:
    """The errors a StreamField hands to its JavaScript editor: {"blockErrors": {index: {...}}}."""
    element = _soup(response).find(attrs={"data-controller": "w-block", "id": name})
    assert element is not None, f"no StreamField called {name!r}"
    arguments = json.loads(element["data-w-block-arguments-value"])
    return arguments[1] if len(arguments) > 1 else {}


def status_messages(response) -> list[str]:
    """The admin's message banner texts (saved, published, could not be saved …)."""
    return [li.get_text(" ", strip=True) for li in _soup(response).select(".messages li")]


def list_block(items: list) -> dict:
    """ListBlock form data for use inside `streamfield()` values (like `inline_formset`)."""
    data = {str(i): {"value": value, "deleted": "", "order": str(i)} for i, value in enumerate(items)}
    data["count"] = str(len(items))
    return data


def indicator_form_data(values: list[dict], **changes) -> dict:
    """The indicator admin form's fields for a new indicator with these yearly `values` rows."""
    data = nested_form_data(
        {
            "name": "Andel företag som samverkar",
            "definition": "Andelen företag i regionen som samverkar med lärosäten.",
            "unit": "procent",
            "source": "SCB",
            "chain_level": "C",
            "values": inline_formset(values),
        }
    )
    return merged(data, changes)
