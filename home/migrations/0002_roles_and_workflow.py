"""Create the editor roles Redaktör, Kommunikatör and Granskare and the review workflow Granskning.

On a fresh database the section pages do not exist yet, so only the groups, their model and
media permissions and the workflow are created here; `home.roles.ensure_roles_and_workflow()`
(run by the demo build and `manage.py setup_roles`) attaches them to the sections. On a database
that already has the sections, this migration attaches them too.
"""

from django.db import migrations


def create_roles(apps, schema_editor):
    from home.roles import ensure_roles_and_workflow

    ensure_roles_and_workflow(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("larande", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
