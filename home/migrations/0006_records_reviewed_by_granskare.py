"""Only Granskare add, change and delete evaluation questions, indicators, regions and RUS priorities.

Records have no drafts: what is saved is public at once. Redaktör and Kommunikatör could change
questions and indicators (and with them indicator values) past the review workflow; they keep
view only, and their data changes go through pages, which go through Granskning. Runs
`home.roles.ensure_roles_and_workflow()`, which now sets the permissions on these records
exactly (taking away add and change from the two roles), as `manage.py setup_roles` does.
Idempotent.
"""

from django.db import migrations


def records_for_granskare_only(apps, schema_editor):
    from home.roles import ensure_roles_and_workflow

    ensure_roles_and_workflow(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_collection_visibility"),
        ("larande", "0003_protect_used_records"),
    ]

    operations = [migrations.RunPython(records_for_granskare_only, migrations.RunPython.noop)]
