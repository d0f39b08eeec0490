"""Let Redaktör and Granskare handle visitors' concept suggestions (Begreppsförslag).

Runs `home.roles.ensure_roles_and_workflow()` again, which now gives Redaktör view and change
and Granskare view, change and delete on larande.ConceptSuggestion. Django creates a model's
permissions only after the whole migrate run (post_migrate); the roles module creates the
permissions it grants itself when they are missing, under the same codenames and names, so this
works on a fresh database and on one that already has them. Idempotent: only adds what is missing.
"""

from django.db import migrations


def grant_suggestion_permissions(apps, schema_editor):
    from home.roles import ensure_roles_and_workflow

    ensure_roles_and_workflow(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_term_explanations"),
        ("larande", "0002_term_explanations_and_suggestions"),
    ]

    operations = [migrations.RunPython(grant_suggestion_permissions, migrations.RunPython.noop)]
