"""The one error class of the package, raised by both twins of the core and by the API."""

__all__ = ["RepairError", "RepairValidationError"]


class RepairError(ValueError):
    """No JSON value could be recovered from the text, or a limit was hit.

    Modelled on :class:`json.JSONDecodeError`:

    msg    the short, fixed message
    doc    the text being repaired (``str``; bytes input is decoded first, and for
           undecodable bytes it is the bytes object itself)
    pos    the offset in ``doc`` where the problem is (a byte offset for undecodable bytes)
    lineno the line of ``pos``, counted from 1
    colno  the column of ``pos``, counted from 1
    """

    def __init__(self, msg, doc, pos):
        if isinstance(doc, (bytes, bytearray)):
            nl = b"\n"
        else:
            nl = "\n"
        lineno = doc.count(nl, 0, pos) + 1
        colno = pos - doc.rfind(nl, 0, pos)
        errmsg = "%s: line %d column %d (char %d)" % (msg, lineno, colno, pos)
        ValueError.__init__(self, errmsg)
        self.msg = msg
        self.doc = doc
        self.pos = pos
        self.lineno = lineno
        self.colno = colno

    def __reduce__(self):
        return self.__class__, (self.msg, self.doc, self.pos)


class RepairValidationError(RepairError):
    """The repaired value does not validate against the model passed to ``loads``.

    ``result`` is the :class:`repair.RepairResult` (the value and the repair report),
    ``errors`` the validator's error list; the validator's exception is the
    ``__cause__``."""

    def __init__(self, msg, doc, pos, result=None, errors=()):
        super().__init__(msg, doc, pos)
        self.result = result
        self.errors = errors

    def __reduce__(self):
        return (self.__class__, (self.msg, self.doc, self.pos, self.result, self.errors))

