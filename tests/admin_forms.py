"""Helpers for driving the real Wagtail admin forms in tests.

Read the form a view renders as a browser would submit it, post it back changed, and find the
error message shown next to a field (inside that field's wrapper, not just somewhere on the page).
"""

import json

from django.urls import reverse
from lxml import html as lxml_html
from wagtail.test.utils.form_data import inline_formset, nested_form_data

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


def form_data(response, form_id: str | None = PAGE_FORM_ID, form_index: int = 0) -> dict[str, list[str]]:
    """What a browser would submit for the rendered form, as a dict of value lists for the test client.

    StreamField values are built by JavaScript and are not in the HTML: add them yourself.

    The rules are those of Wagtail's `querydict_from_html`, read with lxml's own tree instead of
    two BeautifulSoup parses of the whole edit page (which cost a fifth of the admin tests' time),
    with two corrections where a browser differs: a multiple select with nothing selected sends
    nothing (not its first option), and a ticked checkbox without a value sends "on".
    """
    document = lxml_html.document_fromstring(response.content.decode())
    if form_id is not None:
        forms = document.xpath("//form[@id=$id]", id=form_id)
        if not forms:
            raise ValueError(f'No form was found with id "{form_id}".')
    else:
        forms = document.xpath("//form")[form_index : form_index + 1]
        if not forms:
            raise ValueError(f"No form was found with index: {form_index}.")
    form = forms[0]
    data: dict[str, list[str]] = {}

    def put(name, value):
        data[name] = [value]

    for element in form.iter("input"):
        name = element.get("name")
        if name and element.get("type", "") not in ("checkbox", "radio") and name != "csrfmiddlewaretoken":
            put(name, element.get("value", ""))
    for element in form.iter("input"):
        name = element.get("name")
        if name and element.get("type") == "radio" and element.get("checked") is not None:
            put(name, element.get("value"))
    for element in form.iter("input"):
        name = element.get("name")
        if name and element.get("type") == "checkbox" and element.get("checked") is not None:
            data.setdefault(name, []).append(element.get("value", "on"))
    for element in form.iter("textarea"):
        if name := element.get("name"):
            put(name, element.text_content())
    for element in form.iter("select"):
        if not (name := element.get("name")):
            continue
        options = list(element.iter("option"))
        selected = [option for option in options if option.get("selected") is not None]
        for option in selected:
            data.setdefault(name, []).append(option.get("value", option.text_content()))
        if not selected and options and element.get("multiple") is None:
            put(name, options[0].get("value", options[0].text_content()))
    # Empty-form templates for inline panels are not submitted as forms.
    return {key: values for key, values in data.items() if "__prefix__" not in key}


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


def _tree(response):
    return lxml_html.document_fromstring(response.content.decode())


# As CSS selectors (BeautifulSoup's select), never inside a <template>: its content is no part of the page.
NOT_IN_TEMPLATE = "not(ancestor::template)"


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _text(element) -> str:
    """Like BeautifulSoup's get_text(" ", strip=True): the text pieces, each stripped, joined by spaces."""
    return " ".join(piece.strip() for piece in element.xpath(".//text()") if piece.strip())


def field_errors(response, name: str) -> list[str]:
    """The error messages shown in the wrapper of the field whose input is called `name`."""
    widgets = _tree(response).xpath("//*[@name=$name]", name=name)
    assert widgets, f"the form has no field named {name!r}"
    wrappers = widgets[0].xpath("ancestor::*[@data-field][1]")
    assert wrappers, f"the field {name!r} has no field wrapper"
    return [_text(p) for p in wrappers[0].xpath(f".//*[{_has_class('error-message')} and {NOT_IN_TEMPLATE}]")]


def shows(errors: list[str], message: str | tuple[str, ...]) -> bool:
    """Whether one of the error texts contains the message (or one of its alternatives)."""
    alternatives = (message,) if isinstance(message, str) else message
    return any(alternative in error for error in errors for alternative in alternatives)


def all_error_messages(response) -> list[str]:
    """Every field error message on the page, for diagnostics in assertion messages."""
    return [_text(p) for p in _tree(response).xpath(f"//*[{_has_class('error-message')} and {NOT_IN_TEMPLATE}]")]


def stream_block_errors(response, name: str) -> dict:
    """The errors a StreamField hands to its JavaScript editor: {"blockErrors": {index: {...}}}."""
    elements = _tree(response).xpath("//*[@data-controller='w-block' and @id=$name]", name=name)
    assert elements, f"no StreamField called {name!r}"
    arguments = json.loads(elements[0].get("data-w-block-arguments-value"))
    return arguments[1] if len(arguments) > 1 else {}


def status_messages(response) -> list[str]:
    """The admin's message banner texts (saved, published, could not be saved …)."""
    return [_text(li) for li in _tree(response).xpath(f"//*[{_has_class('messages')}]//li[{NOT_IN_TEMPLATE}]")]


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
