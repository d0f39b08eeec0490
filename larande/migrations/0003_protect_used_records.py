"""Refuse to delete what results and concepts use, instead of dropping it from them silently.

An evaluation question, an indicator or a document that a result's answers, reported values or
documents point to is protected; a concept another concept contrasts with is restricted (it can
still be deleted together with that concept). Only Django's deletion changes: no schema change.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("larande", "0002_term_explanations_and_suggestions"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.AlterField(
            model_name="conceptcontrast",
            name="other",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="contrasted_by",
                to="larande.conceptpage",
                verbose_name="begrepp",
            ),
        ),
        migrations.AlterField(
            model_name="questionanswer",
            name="question",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="answers",
                to="larande.evaluationquestion",
                verbose_name="fråga",
            ),
        ),
        migrations.AlterField(
            model_name="reportedindicatorvalue",
            name="indicator",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reported_values",
                to="larande.indicator",
                verbose_name="indikator",
            ),
        ),
        migrations.AlterField(
            model_name="resultdocument",
            name="document",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtaildocs.document",
                verbose_name="dokument",
            ),
        ),
    ]
