"""Cultural glossaries: the entry model (:mod:`~subloc.glossary.model`), the CSV master
(:mod:`~subloc.glossary.csvio`) and TBX (:mod:`~subloc.glossary.tbx`) formats, finding the
glossaries of a language pair (:mod:`~subloc.glossary.store`), matching terms in text
(:mod:`~subloc.glossary.match`) and US-unit adaptation (:mod:`~subloc.glossary.units`).
The pipeline's mask and verify stages use them."""
