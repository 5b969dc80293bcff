"""Quality checks: the registry of QA rules and the ``check`` stage
(:mod:`~subloc.qa.rules`), delivery profiles with their limits and severities
(:mod:`~subloc.qa.profiles`), and language identification for the ``untranslated`` rule and
source-language detection (:mod:`~subloc.qa.langid`)."""
