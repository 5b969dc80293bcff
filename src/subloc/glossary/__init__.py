"""Cultural glossaries: the entry model and its enforcement modes
(:mod:`~subloc.glossary.model`), the CSV master (:mod:`~subloc.glossary.csvio`) and TBX
(:mod:`~subloc.glossary.tbx`) formats, finding the glossaries of a language pair, shipped
ones by name (:mod:`~subloc.glossary.store`), matching terms in text
(:mod:`~subloc.glossary.match`) where their context holds (:mod:`~subloc.glossary.context`),
letter case (:mod:`~subloc.glossary.casing`), inflection-aware verification
(:mod:`~subloc.glossary.inflect`), the warnings of ``glossary check``
(:mod:`~subloc.glossary.safety`) and US-unit adaptation (:mod:`~subloc.glossary.units`).
The pipeline's mask, restore and verify stages use them."""
