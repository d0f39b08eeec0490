"""Demo content: the framework's own text, parsed from the seed and built into pages and records.

`larande.demo.seed` parses the framework document shipped in `seed/`, `larande.demo.content`
holds the Swedish texts written around it, and `larande.demo.build` writes both into the
database idempotently (the `build_demo_content` management command).
"""
