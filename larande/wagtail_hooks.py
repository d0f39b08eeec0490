"""Admin hooks: the framework's records in the Swedish admin menu."""

from wagtail_modeladmin.options import modeladmin_register

from larande.admin import FrameworkAdminGroup

modeladmin_register(FrameworkAdminGroup)
