from django.apps import AppConfig


class LarandeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "larande"
    verbose_name = "Lärande"
