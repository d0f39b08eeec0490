from django.apps import AppConfig


class LarandeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "larande"
    verbose_name = "Lärande"

    def ready(self):
        from . import term_admin, terms, usage  # noqa: F401 - term_admin registers admin hooks

        terms.connect_signals()
        usage.connect_signals()
