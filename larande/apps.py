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

        from wagtail.signals import page_published

        from larande.evaluation.models import EvaluationResultPage
        from larande.evaluation.tracker import result_published

        # Recommendations' status history is written when a result is published (tracker.py).
        page_published.connect(result_published, sender=EvaluationResultPage, dispatch_uid="recommendation-history")
