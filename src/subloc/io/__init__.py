"""Files in and out: which inputs a command names (:mod:`~subloc.io.inputs`), bytes to text
(:mod:`~subloc.io.encoding`), text to a :class:`~subloc.track.Track` in any format
(:mod:`~subloc.io.read`) and back (:mod:`~subloc.io.write`), atomic file writes
(:mod:`~subloc.io.atomic`) and XML parsing that refuses DTDs and entities
(:mod:`~subloc.io.xmlsafe`). The formats themselves are in :mod:`subloc.formats`."""
