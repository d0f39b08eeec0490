from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Building blocks both `home` and `larande` use: blocks, page mixins, chain levels, Swedish
    collation, faceted listings, API fields, meta descriptions and the shared template tags. No models."""

    name = "core"
    verbose_name = "Gemensamt"

    def ready(self):
        from core.admin_fields import register_admin_form_fields

        register_admin_form_fields()
