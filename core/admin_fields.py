"""Form fields the Wagtail admin uses for the project's model fields.

Registered with Wagtail's `register_form_field_override` once the apps are ready (after
`wagtail.admin.forms.models` has registered its own, which these replace):

- slug fields: Wagtail's `SlugInput` with the project's formatters, so the address the browser
  makes from the title keeps the dashes of "2023–2024" exactly as `core.slugs.ascii_slug` does.
"""

from django.db import models
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import SlugInput

from core.decimals import SwedishDecimalField, SwedishFloatField
from core.slugs import SLUG_FORMATTERS


def register_admin_form_fields():
    """Replace Wagtail's defaults for the field types above (idempotent)."""
    register_form_field_override(models.SlugField, override={"widget": SlugInput(formatters=SLUG_FORMATTERS)})
    register_form_field_override(models.DecimalField, override={"form_class": SwedishDecimalField})
    register_form_field_override(models.FloatField, override={"form_class": SwedishFloatField})
