"""StreamField blocks for the framework's guidance and other long texts."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class CalloutBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="Rubrik", required=False, max_length=120)
    text = blocks.RichTextBlock(label="Text", features=RICH_TEXT_FEATURES)

    class Meta:
        label = "Faktaruta"
        icon = "warning"
        template = "larande/blocks/callout.html"
        description = "En framhävd ruta med ett viktigt budskap"
        preview_value = {"heading": "Tänk på", "text": "<p>Utvärderingsfrågor bestäms gemensamt.</p>"}


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label="Citat")
    attribution = blocks.CharBlock(label="Källa", required=False, max_length=200)

    class Meta:
        label = "Citat"
        icon = "openquote"
        template = "larande/blocks/quote.html"
        description = "Ett citat med källa"
        preview_value = {"quote": "Slutprodukten blir ett skrivet dokument.", "attribution": ""}


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="Bild")
    alt_text = blocks.CharBlock(
        label="Alternativtext",
        max_length=300,
        help_text="Beskriv vad bilden visar för den som inte ser den (krävs).",
    )
    caption = blocks.CharBlock(label="Bildtext", required=False, max_length=300)

    class Meta:
        label = "Figur"
        icon = "image"
        template = "larande/blocks/figure.html"
        description = "En bild med alternativtext och bildtext"


class CaptionedTableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label="Tabellrubrik", max_length=200)
    table = TableBlock(label="Tabell", table_options={"startRows": 3, "startCols": 2})

    class Meta:
        label = "Tabell"
        icon = "table"
        template = "larande/blocks/table.html"
        description = "En tabell med rubrik"


class BenefitBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Nytta", max_length=80)
    text = blocks.TextBlock(label="Beskrivning")


class BenefitListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="Rubrik", required=False, max_length=120)
    items = blocks.ListBlock(BenefitBlock(), label="Punkter", min_num=1)

    class Meta:
        label = "Lista med nyttor"
        icon = "list-ul"
        template = "larande/blocks/benefit_list.html"
        description = "Punktlista där varje punkt har en rubrik och en beskrivning"
        preview_value = {
            "heading": "Nytta med ramverk",
            "items": [{"title": "Lärande", "text": "Öka kunskap och skapa underlag för lärande."}],
        }

    def clean(self, value):
        value = super().clean(value)
        titles = [item["title"].strip().lower() for item in value["items"]]
        if len(titles) != len(set(titles)):
            raise ValidationError("Samma nytta finns två gånger i listan.")
        return value


class ParagraphBlock(blocks.RichTextBlock):
    class Meta:
        label = "Text"
        icon = "pilcrow"
        template = "larande/blocks/paragraph.html"
        description = "Löptext med underrubriker, listor och länkar"
        preview_value = "<p>Effektkedjan läses nerifrån och upp.</p>"


CONTENT_BLOCKS = [
    ("paragraph", ParagraphBlock(features=RICH_TEXT_FEATURES)),
    ("callout", CalloutBlock()),
    ("quote", QuoteBlock()),
    ("figure", FigureBlock()),
    ("table", CaptionedTableBlock()),
    ("benefits", BenefitListBlock()),
]
