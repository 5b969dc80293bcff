"""The pipeline: one module per stage, in the order data flows through them::

    read -> segment -> mask -> translate -> restore -> redistribute -> fit -> fix -> check -> write

- :mod:`~subloc.pipeline.segment`: cues to the units sent to MT (sentences over cues,
  one unit per speaker, whole-cue italics and ♪ taken off);
- :mod:`~subloc.pipeline.mask`: glossary terms and units to placeholders, and back;
- :mod:`~subloc.pipeline.translate`: every segment of a run for one language pair,
  de-duplicated, cached, batched through the engine;
- :mod:`~subloc.pipeline.restore`: translations back into cues (tags, dashes, ♪),
  using :mod:`~subloc.pipeline.redistribute` (a sentence split back over its cues) and
  :mod:`~subloc.pipeline.fit` (lines wrapped and balanced to the profile);
- :mod:`~subloc.pipeline.verify`: every glossary entry checked after translation;
- :mod:`~subloc.pipeline.fix`: timing and layout repairs, each recorded;
- the QA rules of :mod:`subloc.qa`, then the writers of :mod:`subloc.io` and
  :mod:`subloc.reports`.

:mod:`~subloc.pipeline.job` runs one source file x one target language through the stages
after translation; :mod:`~subloc.pipeline.localize` runs a batch (plan, translate per
pair, finish each job, report); :mod:`~subloc.pipeline.check` and
:mod:`~subloc.pipeline.convert` are the runs behind ``subloc check`` and ``subloc
convert``.
"""
