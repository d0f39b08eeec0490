from django.apps import AppConfig


class LarandeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "larande"
    verbose_name = "Lärande"

    def ready(self):
        from larande.glossary import term_admin, terms  # noqa: F401 - term_admin registers admin hooks
        from larande.records import usage

        terms.connect_signals()
        usage.connect_signals()
