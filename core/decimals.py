"""Numbers as Swedish editors write them: "23,5", "23.5", "1 234,5".

A browser's number input (`type="number"`) silently drops a decimal comma it does not expect
(Chromium turned "23,5" into 235), so the admin's decimal fields are text inputs with
`inputmode="decimal"` (a numeric keyboard on phones) read by `parse_decimal` here:

- one decimal separator, comma or point: "23,5" and "23.5" are the same number;
- digits grouped by threes with a space, a no-break space (U+00A0) or a narrow or thin no-break
  space (U+202F, U+2009), as Swedish text and copied spreadsheet cells have them: "1 234,5";
- a leading minus (hyphen or the minus sign U+2212) or plus.

Anything else ("23,5,1", "1.234,5", "abc", "1e5", "12 34") is refused with a Swedish message at
the field, never read as some other number. A value is shown with a decimal comma and without
trailing zeros ("23,5", "1234"), so what the editor sees is what was saved.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

GROUP_SEPARATORS = " \u00a0\u202f\u2009"
_NUMBER = re.compile(
    rf"""
    (?P<sign>[-\u2212+]?)
    (?P<whole>[0-9]+|[0-9]{{1,3}}(?:[{GROUP_SEPARATORS}][0-9]{{3}})+)
    (?:[.,](?P<fraction>[0-9]+))?
    """,
    re.VERBOSE,
)

INVALID_MESSAGE = "Ange ett tal med siffror och högst ett decimaltecken, till exempel 23,5 eller 1 234,5."


def parse_decimal(text: str) -> Decimal:
    """The number `text` spells, or ValueError when it is not exactly one number as described above."""
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    sign = "-" if match["sign"] in ("-", "\u2212") else ""
    whole = re.sub(f"[{GROUP_SEPARATORS}]", "", match["whole"])
    fraction = f".{match['fraction']}" if match["fraction"] else ""
    try:
        return Decimal(f"{sign}{whole}{fraction}")
    except InvalidOperation as error:  # not reachable with the pattern above; kept as a guard
        raise ValueError(text) from error


def format_decimal(value) -> str:
    """`value` with a decimal comma, without grouping or trailing zeros: Decimal("1234.50") → "1234,5"."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value  # what the editor typed, shown back unchanged beside its error
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class DecimalInput(forms.TextInput):
    """A text input for a decimal number: numeric keyboard, the value shown with a decimal comma."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        return format_decimal(value) or None


class SwedishNumberField:
    """What the decimal and the float field share: the text input, and `parse_decimal`'s forms read
    before the Django field's own checks (the model field's digits and places still apply)."""

    widget = DecimalInput
    default_error_messages = {"invalid": INVALID_MESSAGE}

    def to_python(self, value):
        if isinstance(value, str) and value not in self.empty_values:
            try:
                value = parse_decimal(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)

    def widget_attrs(self, widget):
        # Not a number input: no min, max or step for the browser to enforce in its own words.
        return forms.Field.widget_attrs(self, widget)


class SwedishDecimalField(SwedishNumberField, forms.DecimalField):
    """A DecimalField that reads `parse_decimal`'s forms."""


class SwedishFloatField(SwedishNumberField, forms.FloatField):
    """A FloatField that reads the same forms as `SwedishDecimalField`."""
