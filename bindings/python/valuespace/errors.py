"""Exceptions raised by the valuespace binding.

Every fallible C function returns a ``vs_status`` code; the prototype table in
:mod:`valuespace._lib` gives those functions an ``errcheck`` that turns a negative code into an
exception of the class registered for it below, carrying

* ``code``    -- the integer status (``Status.EINVAL`` == -1, ...),
* ``name``    -- its symbolic name from ``vs_status_name`` (``"VS_EINVAL"``),
* ``message`` -- the thread-local detail from ``vs_last_error`` (it names the place of the
  failure, e.g. ``"<json>:3:14: expected ':'"``); the static ``vs_strerror`` text when empty.

The classes also derive from the matching built-in exception where one fits, so
``except ValueError`` or ``except LookupError`` work as a Python user expects:

=====================  ===============================  ==========================
status                 class                            built-in base
=====================  ===============================  ==========================
VS_EINVAL              InvalidArgument                  ValueError
VS_ERANGE              OutOfRange(InvalidArgument)      IndexError
VS_ENOMEM              OutOfMemory                      MemoryError
VS_ENOTFOUND           NotFound                         LookupError
VS_EPARSE              ParseError                       ValueError
VS_EUTF8               Utf8Error(ParseError)            ValueError
VS_EIO                 IOFailure                        OSError
VS_EDUPLICATE          DuplicateError                   ValueError
VS_ESTATE              StateError                       RuntimeError
VS_EMISMATCH           MismatchError                    ValueError
VS_ECALLBACK           CallbackError                    RuntimeError
VS_ECANCELED           Cancelled                        RuntimeError
VS_ENUMERIC            NumericError                     ArithmeticError
VS_ELIMIT              LimitError                       ValueError
VS_ECYCLE              CycleError                       ValueError
VS_EVERSION            VersionError                     ValueError
VS_ECORRUPT            CorruptError                     ValueError
VS_EBUFSIZE            BufferSizeError                  ValueError
VS_EUNDEFINED          UndefinedError                   ValueError
VS_EFAILED             FailedError                      RuntimeError
(binding) closed       ClosedError(StateError)          ValueError
=====================  ===============================  ==========================

Unknown (future) codes raise plain :class:`ValueSpaceError`.

Failed runs
-----------
A model run (``Model.generate`` ...), a projective run or an elicitation that stops because
its *items* failed -- more than the model's ``max_failed`` / ``max_failed_fraction``, or its first
``stop_after_same_failures`` items (default 20) all failed alike, e.g. a server that is down --
raises :class:`FailedError` (``VS_EFAILED``; before libvaluespace added that code this was
``VS_ECALLBACK``). It is a sibling of :class:`CallbackError`, not a subclass: ``FailedError``
means "the items failed, what finished is kept: fix the cause and resume", ``CallbackError``
"a callback broke". Its message names the cause (the count and the last or shared failure).

Callback errors
---------------
C functions that call back into Python (model and judge callbacks, arriving with later
modules) report a callback's failure as ``VS_ECALLBACK``. The binding keeps the *Python*
exception instead of that code: see :mod:`valuespace._callback` -- a trampoline catches every
exception raised by the user's function, stores it in a :class:`~valuespace._callback.CallbackScope`
and returns the failure code to C; when the C call returns, the wrapper re-raises the stored
exception itself in place of the :class:`CallbackError`, so user code sees exactly the
exception its callback raised.
"""

from __future__ import annotations

import enum

__all__ = [
    "Status", "ValueSpaceError", "InvalidArgument", "OutOfRange", "OutOfMemory", "NotFound",
    "ParseError", "Utf8Error", "IOFailure", "DuplicateError", "StateError", "MismatchError",
    "CallbackError", "Cancelled", "NumericError", "LimitError", "CycleError", "VersionError",
    "CorruptError", "BufferSizeError", "UndefinedError", "FailedError", "ClosedError",
    "error_class",
    "make_error",
]


class Status(enum.IntEnum):
    """The frozen ``vs_status`` codes of ``valuespace/common.h`` (append-only)."""

    OK = 0
    EINVAL = -1
    ENOMEM = -2
    ERANGE = -3
    ENOTFOUND = -4
    EPARSE = -5
    EIO = -6
    EUTF8 = -7
    EDUPLICATE = -8
    ESTATE = -9
    EMISMATCH = -10
    ECALLBACK = -11
    ECANCELED = -12
    ENUMERIC = -13
    ELIMIT = -14
    ECYCLE = -15
    EVERSION = -16
    ECORRUPT = -17
    EBUFSIZE = -18
    EUNDEFINED = -19
    EFAILED = -20


class ValueSpaceError(Exception):
    """Base class of every error reported by libvaluespace.

    Attributes: ``code`` (int status), ``name`` (e.g. ``"VS_EPARSE"``), ``message`` (the
    library's detail message).
    """

    def __init__(self, code: int, message: str = "", name: str | None = None):
        self.code = int(code)
        self.message = message
        if name is None:
            try:
                name = "VS_" + Status(self.code).name
            except ValueError:
                name = "VS_UNKNOWN"
        self.name = name
        # Keep Exception.args simple and picklable: (code, message, name).
        Exception.__init__(self, self.code, message, name)

    def __str__(self) -> str:
        return f"{self.message} [{self.name}]" if self.message else self.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code}, {self.message!r})"

    def __reduce__(self):
        return (type(self), (self.code, self.message, self.name))


class InvalidArgument(ValueSpaceError, ValueError):
    """VS_EINVAL: an argument is invalid (and the family of VS_ERANGE)."""


class OutOfRange(InvalidArgument, IndexError):
    """VS_ERANGE: an index, level or size is out of range."""


class OutOfMemory(ValueSpaceError, MemoryError):
    """VS_ENOMEM: an allocation failed."""


class NotFound(ValueSpaceError, LookupError):
    """VS_ENOTFOUND: a name, key, level or file was not found."""


class ParseError(ValueSpaceError, ValueError):
    """VS_EPARSE: malformed input text (JSON, CSV, numbers); the message names line:column."""


class Utf8Error(ParseError):
    """VS_EUTF8: a string is not valid UTF-8."""


class IOFailure(ValueSpaceError, OSError):
    """VS_EIO: reading or writing a file failed."""

    def __init__(self, code: int, message: str = "", name: str | None = None):
        ValueSpaceError.__init__(self, code, message, name)

    def __str__(self) -> str:  # OSError's own __str__ would print "[Errno -6] ..."
        return ValueSpaceError.__str__(self)


class DuplicateError(ValueSpaceError, ValueError):
    """VS_EDUPLICATE: a key, name or alias is defined twice."""


class StateError(ValueSpaceError, RuntimeError):
    """VS_ESTATE: the object is not in a state that allows the call."""


class MismatchError(ValueSpaceError, ValueError):
    """VS_EMISMATCH: objects do not fit together (different spaces, sizes)."""


class CallbackError(ValueSpaceError, RuntimeError):
    """VS_ECALLBACK: a caller-supplied callback reported failure.

    When the callback was a Python function, the binding raises the callback's own exception
    instead (see valuespace._callback)."""


class Cancelled(ValueSpaceError, RuntimeError):
    """VS_ECANCELED: the operation was cancelled by the caller."""


class NumericError(ValueSpaceError, ArithmeticError):
    """VS_ENUMERIC: a numerical method failed (singular matrix, no convergence)."""


class LimitError(ValueSpaceError, ValueError):
    """VS_ELIMIT: an input exceeds a documented limit."""


class CycleError(ValueSpaceError, ValueError):
    """VS_ECYCLE: a hierarchy is not acyclic (a parent not above its child)."""


class VersionError(ValueSpaceError, ValueError):
    """VS_EVERSION: a file or schema version this library cannot read."""


class CorruptError(ValueSpaceError, ValueError):
    """VS_ECORRUPT: a checksum mismatch or truncated binary data."""


class BufferSizeError(ValueSpaceError, ValueError):
    """VS_EBUFSIZE: a buffer was too small (the binding sizes buffers itself; seeing this is a bug)."""


class UndefinedError(ValueSpaceError, ValueError):
    """VS_EUNDEFINED: the result is undefined for this input (e.g. all values missing)."""


class FailedError(ValueSpaceError, RuntimeError):
    """VS_EFAILED: a run stopped because its items failed (the failure threshold, or its first
    items all failed alike); what finished is kept (in the results, the journal).

    Raised by model runs (with the partial ``results`` attached), projective runs and
    elicitation; see "Failed runs" above."""


class ClosedError(StateError, ValueError):
    """Raised by the binding (code VS_ESTATE) when a closed handle is used."""


_BY_CODE = {
    Status.EINVAL: InvalidArgument,
    Status.ENOMEM: OutOfMemory,
    Status.ERANGE: OutOfRange,
    Status.ENOTFOUND: NotFound,
    Status.EPARSE: ParseError,
    Status.EIO: IOFailure,
    Status.EUTF8: Utf8Error,
    Status.EDUPLICATE: DuplicateError,
    Status.ESTATE: StateError,
    Status.EMISMATCH: MismatchError,
    Status.ECALLBACK: CallbackError,
    Status.ECANCELED: Cancelled,
    Status.ENUMERIC: NumericError,
    Status.ELIMIT: LimitError,
    Status.ECYCLE: CycleError,
    Status.EVERSION: VersionError,
    Status.ECORRUPT: CorruptError,
    Status.EBUFSIZE: BufferSizeError,
    Status.EUNDEFINED: UndefinedError,
    Status.EFAILED: FailedError,
}


def error_class(code: int) -> type:
    """The exception class for a status code (ValueSpaceError for unknown codes)."""
    return _BY_CODE.get(code, ValueSpaceError)


def make_error(code: int, message: str = "", name: str | None = None) -> ValueSpaceError:
    """Builds the exception for a status code."""
    return error_class(code)(code, message, name)
