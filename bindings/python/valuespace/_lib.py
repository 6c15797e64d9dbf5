"""Loading libvaluespace and the prototype table of every exported function.

Loader order:

1. the environment variable ``VALUESPACE_LIBRARY`` (a path to the shared library, or a
   directory holding ``libvaluespace.so.0``); when it is set nothing else is tried;
2. a copy installed beside this package (``valuespace/libvaluespace.so.0``, what the CMake
   option ``VS_INSTALL_PYTHON`` installs);
3. the system loader: ``ctypes.util.find_library("valuespace")``, then the SONAME
   ``libvaluespace.so.0`` (the loader's search path, ldconfig's cache, LD_LIBRARY_PATH);
4. ``pkg-config --variable=libdir valuespace`` (an install under /usr/local, or under any prefix
   on PKG_CONFIG_PATH, even when ldconfig has not been run).

The ImportError raised when nothing loads lists every candidate tried and why it failed.

After loading, ``vs_version() // 10000`` must equal :data:`VS_VERSION_MAJOR` (the major version
this binding was written for); otherwise ImportError.

:data:`PROTOTYPES` is the single table naming, for *every* function the library exports,
its argument types, result type and errcheck. The test suite compares it with ``nm -D`` of the
loaded library, so a C function added without an entry here fails the tests. Functions in the
table that the loaded library lacks (an older minor version) are replaced by functions that raise
NotImplementedError, and are listed in :data:`MISSING`.

Conventions of the table:

* ``STATUS``: returns an ``int`` vs_status; the errcheck raises the matching
  :class:`~valuespace.errors.ValueSpaceError` subclass with ``vs_last_error()``'s message.
* ``STRING``: returns ``const char *`` owned by the library; decoded to ``str`` (or None).
* ``SIZE`` / ``DOUBLE`` / ``U32`` / ``VOID``: plain results, no check.
* String arguments use :class:`Utf8`, which accepts ``str`` (encoded as UTF-8) or ``bytes``
  (passed unchanged, so callers can hand over raw bytes) or None.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
import weakref
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_double, c_int, c_int32, c_int64,
                    c_size_t, c_ubyte, c_uint32, c_uint64, c_void_p)

from . import errors

__all__ = ["lib", "PROTOTYPES", "MISSING", "LIBRARY_PATH", "VS_VERSION_MAJOR", "VS_NPOS"]

#: Major version of the C API this binding is written against (SONAME libvaluespace.so.0).
VS_VERSION_MAJOR = 0
SONAME = f"libvaluespace.so.{VS_VERSION_MAJOR}"

#: VS_NPOS: "no such index" for size_t results; "any level" for vs_space_find.
VS_NPOS = c_size_t(-1).value


# ------------------------------------------------------------------ C types

class vs_space(Structure):
    """Opaque ``vs_space``."""


class vs_space_builder(Structure):
    """Opaque ``vs_space_builder``."""


class vs_vector(Structure):
    """Opaque ``vs_vector``."""


class vs_fa_data(Structure):
    """Opaque ``vs_fa_data``."""


class vs_fa(Structure):
    """Opaque ``vs_fa``."""


class vs_fa_result(Structure):
    """Opaque ``vs_fa_result``."""


class vs_fa_omega_result(Structure):
    """Opaque ``vs_fa_omega_result``."""


class vs_tokens(Structure):
    """Opaque ``vs_tokens``."""


SpacePtr = POINTER(vs_space)
SpaceBuilderPtr = POINTER(vs_space_builder)
VectorPtr = POINTER(vs_vector)
FaDataPtr = POINTER(vs_fa_data)
FaPtr = POINTER(vs_fa)
FaResultPtr = POINTER(vs_fa_result)
FaOmegaPtr = POINTER(vs_fa_omega_result)
TokensPtr = POINTER(vs_tokens)


class vs_circle_fit(Structure):
    """``vs_circle_fit`` (caller-filled: struct_size is set by the constructor)."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("mesor", c_double),
        ("amplitude", c_double),
        ("phase_degrees", c_double),
        ("r_squared", c_double),
        ("n", c_size_t),
    ]

    def __init__(self):
        super().__init__()
        self.struct_size = ctypes.sizeof(vs_circle_fit)


MALLOC_FN = CFUNCTYPE(c_void_p, c_void_p, c_size_t)
REALLOC_FN = CFUNCTYPE(c_void_p, c_void_p, c_void_p, c_size_t)
FREE_FN = CFUNCTYPE(None, c_void_p, c_void_p)


class vs_allocator(Structure):
    """``vs_allocator``. Declared for completeness; the Python package does not install
    allocators (the hook must be set before any other call, and Python callbacks would run
    on every allocation of every thread)."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("user_data", c_void_p),
        ("malloc_fn", MALLOC_FN),
        ("realloc_fn", REALLOC_FN),
        ("free_fn", FREE_FN),
    ]


_conversion = threading.local()


class Utf8:
    """Argument type for ``const char *`` UTF-8 strings: str (encoded), bytes, a path or None.

    ctypes reports a failing from_param as ctypes.ArgumentError without the original
    exception; the original is kept in a thread-local and re-raised by the function wrapper
    (see _with_conversion_errors), so callers get TypeError / InvalidArgument (a ValueError).
    """

    @classmethod
    def from_param(cls, value):
        try:
            return cls._convert(value)
        except Exception as exc:
            _conversion.error = exc
            raise

    @staticmethod
    def _convert(value):
        if value is None:
            return None
        if isinstance(value, str):
            value = value.encode("utf-8", "surrogatepass")
        elif isinstance(value, (bytearray, memoryview)):
            value = bytes(value)
        elif isinstance(value, os.PathLike):
            value = os.fsencode(value)
        if not isinstance(value, bytes):
            raise TypeError(f"expected str or bytes, got {type(value).__name__}")
        if b"\0" in value:
            raise errors.InvalidArgument(errors.Status.EINVAL,
                                         "embedded NUL character in string argument")
        return c_char_p(value)


def _with_conversion_errors(func):
    """Wraps a foreign function whose argtypes include a custom converter."""

    def call(*args):
        _conversion.error = None
        try:
            return func(*args)
        except ctypes.ArgumentError:
            exc, _conversion.error = _conversion.error, None
            if exc is None:
                raise
            raise exc from None

    call.__name__ = func.__name__
    call.__wrapped__ = func
    return call


# ------------------------------------------------------------------ errchecks

def _last_error() -> str:
    raw = lib.vs_last_error()
    return raw.decode("utf-8", "replace") if raw else ""


def status_error(code: int) -> errors.ValueSpaceError:
    """The exception for `code`, with this thread's vs_last_error() message."""
    message = _last_error()
    name = lib.vs_status_name(code)
    name = name.decode("ascii", "replace") if name else None
    if not message:
        text = lib.vs_strerror(code)
        message = text.decode("utf-8", "replace") if text else ""
    return errors.make_error(code, message, name)


def _check_status(result, func, args):
    # errcheck runs on the calling thread right after the call, so the thread-local
    # vs_last_error() still describes this failure.
    if result < 0:
        raise status_error(result)
    return result


def _decode_string(result, func, args):
    return None if result is None else result.decode("utf-8", "surrogateescape")


STATUS = (c_int, _check_status)
STRING = (c_char_p, _decode_string)
RAW_STRING = (c_char_p, None)  # used by the error path itself: must not recurse
SIZE = (c_size_t, None)
DOUBLE = (c_double, None)
U32 = (c_uint32, None)
U64 = (c_uint64, None)
VOID = (None, None)
CONST_SPACE = (SpacePtr, None)

_p = POINTER

# name: (argtypes, (restype, errcheck))
PROTOTYPES: dict[str, tuple[list, tuple]] = {
    # ---- common.h
    "vs_strerror": ([c_int], RAW_STRING),
    "vs_status_name": ([c_int], RAW_STRING),
    "vs_last_error": ([], RAW_STRING),
    "vs_version": ([], U32),
    "vs_version_string": ([], STRING),
    "vs_set_allocator": ([_p(vs_allocator)], STATUS),
    "vs_free": ([c_void_p], VOID),
    # ---- space.h: builder
    "vs_space_builder_create": ([_p(SpaceBuilderPtr), Utf8], STATUS),
    "vs_space_builder_free": ([SpaceBuilderPtr], VOID),
    "vs_space_builder_set_description": ([SpaceBuilderPtr, Utf8], STATUS),
    "vs_space_builder_add_level": ([SpaceBuilderPtr, Utf8], STATUS),
    "vs_space_builder_add_dimension": ([SpaceBuilderPtr, Utf8, Utf8, Utf8], STATUS),
    "vs_space_builder_set_dimension_description": ([SpaceBuilderPtr, Utf8, Utf8, Utf8], STATUS),
    "vs_space_builder_add_alias": ([SpaceBuilderPtr, Utf8, Utf8, Utf8], STATUS),
    "vs_space_builder_set_angle": ([SpaceBuilderPtr, Utf8, Utf8, c_double], STATUS),
    "vs_space_builder_set_parent": ([SpaceBuilderPtr, Utf8, Utf8, Utf8, Utf8], STATUS),
    "vs_space_builder_freeze": ([_p(SpacePtr), SpaceBuilderPtr], STATUS),
    # ---- space.h: built-ins, JSON
    "vs_space_builtin_count": ([], SIZE),
    "vs_space_builtin_name": ([c_size_t], STRING),
    "vs_space_builtin": ([_p(SpacePtr), Utf8], STATUS),
    "vs_space_load_json": ([_p(SpacePtr), c_char_p, c_size_t, Utf8], STATUS),
    "vs_space_load_file": ([_p(SpacePtr), Utf8], STATUS),
    "vs_space_save_json": ([_p(c_void_p), SpacePtr], STATUS),
    "vs_space_save_file": ([SpacePtr, Utf8], STATUS),
    # ---- space.h: queries
    "vs_space_free": ([SpacePtr], VOID),
    "vs_space_name": ([SpacePtr], STRING),
    "vs_space_description": ([SpacePtr], STRING),
    "vs_space_level_count": ([SpacePtr], SIZE),
    "vs_space_level_name": ([SpacePtr, c_size_t], STRING),
    "vs_space_level_find": ([SpacePtr, Utf8], SIZE),
    "vs_space_level_dimension_count": ([SpacePtr, c_size_t], SIZE),
    "vs_space_level_size": ([SpacePtr, c_size_t], SIZE),
    "vs_space_level_offset": ([SpacePtr, c_size_t], SIZE),
    "vs_space_dimension_count": ([SpacePtr], SIZE),
    "vs_space_find": ([_p(c_size_t), SpacePtr, c_size_t, Utf8], STATUS),
    "vs_space_key": ([SpacePtr, c_size_t], STRING),
    "vs_space_label": ([SpacePtr, c_size_t], STRING),
    "vs_space_dimension_description": ([SpacePtr, c_size_t], STRING),
    "vs_space_dimension_level": ([SpacePtr, c_size_t], SIZE),
    "vs_space_angle": ([SpacePtr, c_size_t], DOUBLE),
    "vs_space_alias_count": ([SpacePtr, c_size_t], SIZE),
    "vs_space_alias": ([SpacePtr, c_size_t, c_size_t], STRING),
    "vs_space_parent": ([SpacePtr, c_size_t, c_size_t], SIZE),
    # ---- vector.h
    "vs_vector_create": ([_p(VectorPtr), SpacePtr, c_size_t], STATUS),
    "vs_vector_clone": ([_p(VectorPtr), VectorPtr], STATUS),
    "vs_vector_free": ([VectorPtr], VOID),
    "vs_vector_space": ([VectorPtr], CONST_SPACE),
    "vs_vector_level": ([VectorPtr], SIZE),
    "vs_vector_dimension_count": ([VectorPtr], SIZE),
    "vs_vector_size": ([VectorPtr], SIZE),
    "vs_vector_missing_count": ([VectorPtr], SIZE),
    "vs_vector_set": ([VectorPtr, c_size_t, c_double], STATUS),
    "vs_vector_get": ([_p(c_double), VectorPtr, c_size_t], STATUS),
    "vs_vector_set_by_name": ([VectorPtr, Utf8, c_double], STATUS),
    "vs_vector_get_by_name": ([_p(c_double), VectorPtr, Utf8], STATUS),
    "vs_vector_set_values": ([VectorPtr, _p(c_double), c_size_t], STATUS),
    "vs_vector_get_values": ([_p(c_size_t), VectorPtr, _p(c_double), c_size_t], STATUS),
    "vs_vector_aggregate": ([_p(VectorPtr), VectorPtr, c_size_t, c_uint32], STATUS),
    "vs_vector_ipsatize": ([VectorPtr], STATUS),
    "vs_vector_compare": ([_p(c_double), VectorPtr, VectorPtr, c_uint32], STATUS),
    "vs_vector_weighted_sum": ([_p(c_double), VectorPtr, VectorPtr, c_uint32], STATUS),
    "vs_align_target_count": ([], SIZE),
    "vs_align_target_name": ([c_size_t], STRING),
    "vs_align_target": ([_p(VectorPtr), Utf8], STATUS),
    "vs_basealign": ([_p(c_double), _p(c_double), VectorPtr, VectorPtr, c_uint32, c_double,
                      _p(c_ubyte), c_size_t], STATUS),
    "vs_basealign_unmasked": ([_p(c_double), _p(c_double), VectorPtr, VectorPtr, c_uint32],
                              STATUS),
    "vs_vector_circle_fit": ([_p(vs_circle_fit), VectorPtr], STATUS),
    # ---- fa.h: input data
    "vs_fa_data_from_raw": ([_p(FaDataPtr), _p(c_double), c_size_t, c_size_t, c_int], STATUS),
    "vs_fa_data_from_cor": ([_p(FaDataPtr), _p(c_double), c_size_t, c_size_t, c_double], STATUS),
    "vs_fa_data_from_raw_kind": ([_p(FaDataPtr), _p(c_double), c_size_t, c_size_t, c_int, c_int],
                                 STATUS),
    "vs_fa_cor_kind_from_name": ([_p(c_int), Utf8], STATUS),
    "vs_fa_data_free": ([FaDataPtr], VOID),
    "vs_fa_data_variable_count": ([FaDataPtr], SIZE),
    "vs_fa_data_nvars": ([FaDataPtr], SIZE),
    "vs_fa_data_nobs": ([FaDataPtr], DOUBLE),
    "vs_fa_data_cor": ([_p(c_size_t), FaDataPtr, _p(c_double), c_size_t], STATUS),
    "vs_fa_data_eigenvalues": ([_p(c_size_t), FaDataPtr, _p(c_double), c_size_t], STATUS),
    # ---- fa.h: factorability, number of factors
    "vs_fa_kmo": ([_p(c_double), _p(c_double), c_size_t, FaDataPtr], STATUS),
    "vs_fa_bartlett": ([_p(c_double), _p(c_double), _p(c_double), FaDataPtr], STATUS),
    "vs_fa_kaiser": ([_p(c_size_t), FaDataPtr], STATUS),
    "vs_fa_parallel": ([_p(c_size_t), _p(c_size_t), _p(c_size_t), FaPtr, FaDataPtr,
                        _p(c_double), c_size_t], STATUS),
    "vs_fa_map": ([_p(c_size_t), _p(c_size_t), FaPtr, FaDataPtr, _p(c_double), c_size_t],
                  STATUS),
    # ---- fa.h: options
    "vs_fa_create": ([_p(FaPtr)], STATUS),
    "vs_fa_free": ([FaPtr], VOID),
    "vs_fa_set_int": ([FaPtr, c_int, c_int64], STATUS),
    "vs_fa_set_double": ([FaPtr, c_int, c_double], STATUS),
    "vs_fa_set_str": ([FaPtr, c_int, Utf8], STATUS),
    "vs_fa_get_int": ([_p(c_int64), FaPtr, c_int], STATUS),
    "vs_fa_get_double": ([_p(c_double), FaPtr, c_int], STATUS),
    "vs_fa_option_bounds": ([_p(c_double), _p(c_double), c_int], STATUS),
    "vs_fa_set_target": ([FaPtr, _p(c_double), c_size_t, c_size_t], STATUS),
    # ---- fa.h: fitting, results
    "vs_fa_fit": ([_p(FaResultPtr), FaPtr, FaDataPtr], STATUS),
    "vs_fa_bootstrap": ([_p(c_size_t), _p(c_size_t), FaPtr, FaDataPtr, _p(c_double), c_size_t],
                        STATUS),
    "vs_fa_result_free": ([FaResultPtr], VOID),
    "vs_fa_result_variable_count": ([FaResultPtr], SIZE),
    "vs_fa_result_nvars": ([FaResultPtr], SIZE),
    "vs_fa_result_factor_count": ([FaResultPtr], SIZE),
    "vs_fa_result_nfactors": ([FaResultPtr], SIZE),
    "vs_fa_result_get": ([_p(c_size_t), FaResultPtr, c_int, _p(c_double), c_size_t], STATUS),
    "vs_fa_result_scalar": ([_p(c_double), FaResultPtr, c_int], STATUS),
    "vs_fa_result_weights": ([_p(c_size_t), FaResultPtr, c_int, _p(c_double), c_size_t],
                             STATUS),
    "vs_fa_result_scores": ([_p(c_size_t), FaResultPtr, c_int, _p(c_double), c_size_t,
                             c_size_t, _p(c_double), c_size_t], STATUS),
    "vs_fa_result_scores_scaled": ([_p(c_size_t), FaResultPtr, c_int, _p(c_double), c_size_t,
                                    c_size_t, _p(c_double), _p(c_double), _p(c_double), c_size_t],
                                   STATUS),
    # ---- fa.h: saved solutions
    "vs_fa_result_save_json": ([_p(c_void_p), FaResultPtr, _p(c_char_p)], STATUS),
    "vs_fa_result_save_file": ([FaResultPtr, _p(c_char_p), Utf8], STATUS),
    "vs_fa_result_load_json": ([_p(FaResultPtr), c_char_p, c_size_t, Utf8], STATUS),
    "vs_fa_result_load_file": ([_p(FaResultPtr), Utf8], STATUS),
    "vs_fa_result_variable": ([FaResultPtr, c_size_t], STRING),
    # ---- fa.h: omega, congruence
    "vs_fa_omega": ([_p(FaOmegaPtr), FaPtr, FaDataPtr], STATUS),
    "vs_fa_omega_free": ([FaOmegaPtr], VOID),
    "vs_fa_omega_factor_count": ([FaOmegaPtr], SIZE),
    "vs_fa_omega_scalar": ([_p(c_double), FaOmegaPtr, c_int], STATUS),
    "vs_fa_omega_get": ([_p(c_size_t), FaOmegaPtr, c_int, _p(c_double), c_size_t], STATUS),
    "vs_fa_congruence": ([_p(c_double), _p(c_size_t), _p(c_double), _p(c_double), _p(c_double),
                          c_size_t, c_size_t, c_size_t, c_int], STATUS),
    # ---- text.h
    "vs_text_normalize": ([_p(c_void_p), c_char_p, c_size_t, c_uint32], STATUS),
    "vs_text_tokenize": ([_p(TokensPtr), c_char_p, c_size_t, c_uint32], STATUS),
    "vs_tokens_free": ([TokensPtr], VOID),
    "vs_tokens_count": ([TokensPtr], SIZE),
    "vs_tokens_get": ([TokensPtr, c_size_t], STRING),
    "vs_tokens_length": ([TokensPtr, c_size_t], SIZE),
    "vs_tokens_span": ([_p(c_size_t), _p(c_size_t), TokensPtr, c_size_t], STATUS),
    "vs_text_hash": ([c_void_p, c_size_t, c_uint64], U64),
    "vs_text_features": ([_p(_p(c_uint32)), _p(_p(c_int64)), _p(c_size_t), c_char_p, c_size_t,
                          c_uint32, c_uint32, c_uint32, c_uint64], STATUS),
    "vs_tokens_features": ([_p(_p(c_uint32)), _p(_p(c_int64)), _p(c_size_t), TokensPtr,
                            c_uint32, c_uint32, c_uint32, c_uint64], STATUS),
}


# ------------------------------------------------------------------ C types of the later modules

def _opaque(name):
    return type(name, (Structure,), {"__doc__": f"Opaque ``{name}``."})


def _functype(name, restype, *argtypes):
    """A named CFUNCTYPE class (the name is the C typedef's, for the header comparison)."""
    return type(name, (ctypes._CFuncPtr,), {"_argtypes_": argtypes, "_restype_": restype,
                                            "_flags_": ctypes._FUNCFLAG_CDECL})


class _SizedStructure(Structure):
    """A caller-filled struct whose first field is ``uint32_t struct_size``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.struct_size = ctypes.sizeof(type(self))


vs_dataset = _opaque("vs_dataset")
vs_model = _opaque("vs_model")
vs_model_results = _opaque("vs_model_results")
vs_model_batch = _opaque("vs_model_batch")
vs_cancel = _opaque("vs_cancel")
vs_bank = _opaque("vs_bank")
vs_bank_builder = _opaque("vs_bank_builder")
vs_accum = _opaque("vs_accum")
vs_cluster = _opaque("vs_cluster")
vs_cluster_result = _opaque("vs_cluster_result")
vs_evaluator = _opaque("vs_evaluator")
vs_evaluator_cv = _opaque("vs_evaluator_cv")
vs_evaluator_profile = _opaque("vs_evaluator_profile")

DatasetPtr = POINTER(vs_dataset)
ModelPtr = POINTER(vs_model)
ModelResultsPtr = POINTER(vs_model_results)
ModelBatchPtr = POINTER(vs_model_batch)
CancelPtr = POINTER(vs_cancel)
BankPtr = POINTER(vs_bank)
BankBuilderPtr = POINTER(vs_bank_builder)
AccumPtr = POINTER(vs_accum)
ClusterPtr = POINTER(vs_cluster)
ClusterResultPtr = POINTER(vs_cluster_result)
EvaluatorPtr = POINTER(vs_evaluator)
EvaluatorCvPtr = POINTER(vs_evaluator_cv)
EvaluatorProfilePtr = POINTER(vs_evaluator_profile)


class vs_dataset_options(_SizedStructure):
    """``vs_dataset_options`` (dataset.h)."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("flags", c_uint32),
        ("id_field", c_char_p),
        ("text_field", c_char_p),
        ("prompt_field", c_char_p),
        ("group_field", c_char_p),
        ("labels_field", c_char_p),
        ("space", SpacePtr),
        ("level", c_size_t),
        ("max_line_bytes", c_size_t),
    ]


class vs_model_gen_request(_SizedStructure):
    """``vs_model_gen_request`` (model.h)."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("max_tokens", c_uint32),
        ("id", c_char_p),
        ("repeat", c_uint64),
        ("seed", c_uint64),
        ("prompt", c_char_p),
        ("n_messages", c_size_t),
        ("roles", POINTER(c_char_p)),
        ("contents", POINTER(c_char_p)),
        ("temperature", c_double),
        ("n_stop", c_size_t),
        ("stop", POINTER(c_char_p)),
    ]


class vs_model_loglik_request(_SizedStructure):
    """``vs_model_loglik_request`` (model.h)."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("id", c_char_p),
        ("context", c_char_p),
        ("continuation", c_char_p),
    ]


class vs_model_text_request(_SizedStructure):
    """``vs_model_text_request`` (model.h)."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("id", c_char_p),
        ("text", c_char_p),
        ("context", c_char_p),
    ]


MODEL_GENERATE_FN = CFUNCTYPE(c_int, c_void_p, ModelBatchPtr, POINTER(POINTER(vs_model_gen_request)),
                              c_size_t, POINTER(c_int))
MODEL_LOGLIK_FN = CFUNCTYPE(c_int, c_void_p, ModelBatchPtr, POINTER(POINTER(vs_model_loglik_request)),
                            c_size_t, POINTER(c_double), POINTER(c_int), POINTER(c_int))
MODEL_EMBED_FN = CFUNCTYPE(c_int, c_void_p, ModelBatchPtr, POINTER(POINTER(vs_model_text_request)),
                           c_size_t, c_size_t, POINTER(c_int))
MODEL_CLASSIFY_FN = CFUNCTYPE(c_int, c_void_p, ModelBatchPtr, POINTER(POINTER(vs_model_text_request)),
                              c_size_t, POINTER(c_char_p), c_size_t, POINTER(c_int))
DESTROY_FN = CFUNCTYPE(None, c_void_p)


class vs_model_callbacks(_SizedStructure):
    """``vs_model_callbacks`` (model.h)."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("generate", MODEL_GENERATE_FN),
        ("loglikelihood", MODEL_LOGLIK_FN),
        ("embed", MODEL_EMBED_FN),
        ("classify", MODEL_CLASSIFY_FN),
        ("destroy", DESTROY_FN),
    ]


vs_model_sleep_fn = _functype("vs_model_sleep_fn", None, c_void_p, c_double)
vs_model_item_fn = _functype("vs_model_item_fn", c_int, c_void_p, ModelResultsPtr, c_size_t)


class vs_accum_stats(_SizedStructure):
    """``vs_accum_stats`` (accum.h)."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("n", c_uint64),
        ("mean", c_double),
        ("m2", c_double),
        ("variance", c_double),
        ("sd", c_double),
        ("min", c_double),
        ("max", c_double),
        ("exact_sum", c_double),
        ("exact_mean", c_double),
        ("exact_variance", c_double),
        ("exact_sd", c_double),
        ("se", c_double),
        ("boot_defined", c_uint64),
        ("boot_mean", c_double),
        ("boot_se", c_double),
    ]


EVALUATE_FN = CFUNCTYPE(c_int, c_void_p, POINTER(c_size_t), POINTER(c_char_p), POINTER(c_char_p),
                        c_size_t, c_size_t, POINTER(c_double), POINTER(c_double), POINTER(c_int32))


class vs_evaluator_callbacks(_SizedStructure):
    """``vs_evaluator_callbacks`` (evaluator.h)."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("evaluate", EVALUATE_FN),
        ("destroy", DESTROY_FN),
    ]


class vs_evaluator_metrics(_SizedStructure):
    """``vs_evaluator_metrics`` (evaluator.h)."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("n", c_size_t),
        ("n_skipped", c_size_t),
        ("n_neg", c_size_t),
        ("n_zero", c_size_t),
        ("n_pos", c_size_t),
        ("accuracy", c_double),
        ("macro_f1", c_double),
        ("baseline_accuracy", c_double),
        ("baseline_macro_f1", c_double),
        ("baseline_class", c_double),
        ("precision", c_double * 3),
        ("recall", c_double * 3),
        ("f1", c_double * 3),
        ("confusion", c_uint64 * 9),
    ]


class vs_evaluator_agreement(_SizedStructure):
    """``vs_evaluator_agreement`` (evaluator.h)."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("n", c_size_t),
        ("n_skipped", c_size_t),
        ("replicates", c_size_t),
        ("confidence", c_double),
        ("accuracy", c_double),
        ("accuracy_low", c_double),
        ("accuracy_high", c_double),
        ("macro_f1", c_double),
        ("macro_f1_low", c_double),
        ("macro_f1_high", c_double),
        ("kappa", c_double),
        ("kappa_low", c_double),
        ("kappa_high", c_double),
        ("baseline_class", c_double),
        ("baseline_accuracy", c_double),
        ("baseline_accuracy_low", c_double),
        ("baseline_accuracy_high", c_double),
        ("baseline_macro_f1", c_double),
        ("baseline_macro_f1_low", c_double),
        ("baseline_macro_f1_high", c_double),
        ("baseline_kappa", c_double),
        ("confusion", c_uint64 * 9),
    ]


def _plain_int(result, func, args):
    """errcheck of the few functions whose ``int`` result is a value (a flag, a kind), not a
    vs_status: returned unchanged."""
    return result


INT = (c_int, _plain_int)
_STRV = _p(c_char_p)  # const char *const * (an array of strings)

PROTOTYPES.update({
    # ---- common.h: for code that extends the library, and programs' own "did you mean"
    "vs_set_last_error": ([c_int, Utf8], INT),  # returns its status argument: not checked
    "vs_closest_name": ([Utf8, _STRV, c_size_t], SIZE),
})

PROTOTYPES.update({
    # ---- dataset.h
    "vs_dataset_skip_reason_name": ([c_uint32], STRING),
    "vs_dataset_load_fulcra": ([_p(DatasetPtr), Utf8, c_uint32], STATUS),
    "vs_dataset_read_fulcra": ([_p(DatasetPtr), c_char_p, c_size_t, Utf8, c_uint32], STATUS),
    "vs_dataset_load": ([_p(DatasetPtr), Utf8, _p(vs_dataset_options)], STATUS),
    "vs_dataset_read": ([_p(DatasetPtr), c_char_p, c_size_t, Utf8, _p(vs_dataset_options)], STATUS),
    "vs_dataset_free": ([DatasetPtr], VOID),
    "vs_dataset_name": ([DatasetPtr], STRING),
    "vs_dataset_count": ([DatasetPtr], SIZE),
    "vs_dataset_line_count": ([DatasetPtr], SIZE),
    "vs_dataset_id": ([DatasetPtr, c_size_t], STRING),
    "vs_dataset_prompt": ([DatasetPtr, c_size_t], STRING),
    "vs_dataset_response": ([DatasetPtr, c_size_t], STRING),
    "vs_dataset_text": ([DatasetPtr, c_size_t], STRING),
    "vs_dataset_source": ([DatasetPtr, c_size_t], STRING),
    "vs_dataset_query_source": ([DatasetPtr, c_size_t], STRING),
    "vs_dataset_line": ([DatasetPtr, c_size_t], SIZE),
    "vs_dataset_strings": ([_p(c_size_t), DatasetPtr, c_uint32, _STRV, c_size_t], STATUS),
    "vs_dataset_source_count": ([DatasetPtr], SIZE),
    "vs_dataset_source_name": ([DatasetPtr, c_size_t], STRING),
    "vs_dataset_source_record_count": ([DatasetPtr, c_size_t], SIZE),
    "vs_dataset_source_size": ([DatasetPtr, c_size_t], SIZE),
    "vs_dataset_source_index": ([DatasetPtr, c_size_t], SIZE),
    "vs_dataset_source_indices": ([_p(c_size_t), DatasetPtr, _p(c_size_t), c_size_t], STATUS),
    "vs_dataset_label_set_count": ([DatasetPtr], SIZE),
    "vs_dataset_label_space": ([DatasetPtr, c_size_t], CONST_SPACE),
    "vs_dataset_label_level": ([DatasetPtr, c_size_t], SIZE),
    "vs_dataset_label_dimension_count": ([DatasetPtr, c_size_t], SIZE),
    "vs_dataset_label_size": ([DatasetPtr, c_size_t], SIZE),
    "vs_dataset_labels": ([_p(c_size_t), DatasetPtr, c_size_t, c_size_t, _p(c_double), c_size_t],
                          STATUS),
    "vs_dataset_label_matrix": ([_p(c_size_t), DatasetPtr, c_size_t, _p(c_double), c_size_t],
                                STATUS),
    "vs_dataset_label_counts": ([_p(c_size_t), DatasetPtr, c_size_t, c_uint32, _p(c_size_t),
                                 c_size_t], STATUS),
    "vs_dataset_skip_total": ([DatasetPtr], SIZE),
    "vs_dataset_skip_count": ([DatasetPtr, c_uint32], SIZE),
    "vs_dataset_skip_reason": ([DatasetPtr, c_size_t], U32),
    "vs_dataset_skip_line": ([DatasetPtr, c_size_t], SIZE),
    "vs_dataset_skip_column": ([DatasetPtr, c_size_t], SIZE),
    "vs_dataset_skip_token": ([DatasetPtr, c_size_t], STRING),
    "vs_dataset_skip_message": ([DatasetPtr, c_size_t], STRING),
    "vs_dataset_skip_lines": ([_p(c_size_t), DatasetPtr, c_uint32, _p(c_size_t), c_size_t],
                              STATUS),
    # ---- model.h: setters (called from callbacks), cancellation
    "vs_model_set_text": ([ModelBatchPtr, c_size_t, c_char_p, c_size_t], STATUS),
    "vs_model_set_vector": ([ModelBatchPtr, c_size_t, _p(c_double), c_size_t], STATUS),
    "vs_model_set_error": ([ModelBatchPtr, c_size_t, c_char_p], STATUS),
    "vs_cancel_create": ([_p(CancelPtr)], STATUS),
    "vs_cancel_free": ([CancelPtr], VOID),
    "vs_cancel_request": ([CancelPtr], VOID),
    "vs_cancel_reset": ([CancelPtr], VOID),
    "vs_cancel_requested": ([CancelPtr], INT),
    # ---- model.h: models
    "vs_model_create": ([_p(ModelPtr), _p(vs_model_callbacks), c_void_p], STATUS),
    "vs_model_free": ([ModelPtr], VOID),
    "vs_model_supports": ([ModelPtr, c_int], INT),
    "vs_model_set_int": ([ModelPtr, c_int, c_int64], STATUS),
    "vs_model_set_double": ([ModelPtr, c_int, c_double], STATUS),
    "vs_model_get_int": ([_p(c_int64), ModelPtr, c_int], STATUS),
    "vs_model_get_double": ([_p(c_double), ModelPtr, c_int], STATUS),
    "vs_model_option_bounds": ([_p(c_double), _p(c_double), c_int], STATUS),
    "vs_model_set_seed": ([ModelPtr, c_uint64], STATUS),
    "vs_model_get_seed": ([ModelPtr], U64),
    "vs_model_set_cancel": ([ModelPtr, CancelPtr], STATUS),
    "vs_model_set_sleep": ([ModelPtr, vs_model_sleep_fn, c_void_p], STATUS),
    "vs_model_set_item_hook": ([ModelPtr, vs_model_item_fn, c_void_p], STATUS),
    "vs_model_item_seed": ([c_uint64, c_char_p, c_uint64], U64),
    # ---- model.h: runs, results
    "vs_model_generate": ([ModelResultsPtr, ModelPtr, _p(_p(vs_model_gen_request)), c_size_t],
                          STATUS),
    "vs_model_loglikelihood": ([ModelResultsPtr, ModelPtr, _p(_p(vs_model_loglik_request)),
                                c_size_t, c_uint32], STATUS),
    "vs_model_embed": ([ModelResultsPtr, ModelPtr, _p(_p(vs_model_text_request)), c_size_t,
                        c_size_t], STATUS),
    "vs_model_classify": ([ModelResultsPtr, ModelPtr, _p(_p(vs_model_text_request)), c_size_t,
                           _STRV, c_size_t], STATUS),
    "vs_model_results_create": ([_p(ModelResultsPtr)], STATUS),
    "vs_model_results_free": ([ModelResultsPtr], VOID),
    "vs_model_results_item_count": ([ModelResultsPtr], SIZE),
    "vs_model_results_size": ([ModelResultsPtr], SIZE),
    "vs_model_results_kind": ([ModelResultsPtr], INT),
    "vs_model_results_status": ([ModelResultsPtr, c_size_t], STATUS),
    "vs_model_results_count": ([ModelResultsPtr, c_int], SIZE),
    "vs_model_results_attempts": ([ModelResultsPtr, c_size_t], U32),
    "vs_model_results_latency": ([ModelResultsPtr, c_size_t], DOUBLE),
    "vs_model_results_text": ([ModelResultsPtr, c_size_t], STRING),
    "vs_model_results_loglik": ([_p(c_double), _p(c_int), ModelResultsPtr, c_size_t], STATUS),
    "vs_model_results_dim": ([ModelResultsPtr], SIZE),
    "vs_model_results_vector": ([_p(c_size_t), ModelResultsPtr, c_size_t, _p(c_double), c_size_t],
                                STATUS),
    "vs_model_results_error": ([ModelResultsPtr, c_size_t], STRING),
    # ---- projective.h: item banks
    "vs_bank_builder_create": ([_p(BankBuilderPtr), Utf8, SpacePtr], STATUS),
    "vs_bank_builder_free": ([BankBuilderPtr], VOID),
    "vs_bank_builder_set_description": ([BankBuilderPtr, Utf8], STATUS),
    "vs_bank_builder_set_space_ref": ([BankBuilderPtr, Utf8], STATUS),
    "vs_bank_builder_add_item": ([BankBuilderPtr, Utf8, Utf8, _STRV, c_size_t, c_uint32, Utf8,
                                  Utf8], STATUS),
    "vs_bank_builder_add_item_indexed": ([BankBuilderPtr, Utf8, Utf8, _p(c_size_t), c_size_t,
                                          c_uint32, Utf8, Utf8], STATUS),
    "vs_bank_builder_freeze": ([_p(BankPtr), BankBuilderPtr], STATUS),
    "vs_bank_builtin_count": ([], SIZE),
    "vs_bank_builtin_name": ([c_size_t], STRING),
    "vs_bank_builtin": ([_p(BankPtr), Utf8], STATUS),
    "vs_bank_load_json": ([_p(BankPtr), c_char_p, c_size_t, Utf8, SpacePtr], STATUS),
    "vs_bank_load_file": ([_p(BankPtr), Utf8, SpacePtr], STATUS),
    "vs_bank_save_json": ([_p(c_void_p), BankPtr], STATUS),
    "vs_bank_save_file": ([BankPtr, Utf8], STATUS),
    "vs_bank_free": ([BankPtr], VOID),
    "vs_bank_name": ([BankPtr], STRING),
    "vs_bank_description": ([BankPtr], STRING),
    "vs_bank_space": ([BankPtr], CONST_SPACE),
    "vs_bank_space_ref": ([BankPtr], STRING),
    "vs_bank_item_count": ([BankPtr], SIZE),
    "vs_bank_find_item": ([_p(c_size_t), BankPtr, Utf8], STATUS),
    "vs_bank_item_id": ([BankPtr, c_size_t], STRING),
    "vs_bank_item_stem": ([BankPtr, c_size_t], STRING),
    "vs_bank_item_context_length": ([BankPtr, c_size_t], SIZE),
    "vs_bank_item_flags": ([BankPtr, c_size_t], U32),
    "vs_bank_item_reverse": ([BankPtr, c_size_t], INT),
    "vs_bank_item_dimension_count": ([BankPtr, c_size_t], SIZE),
    "vs_bank_item_dimension": ([BankPtr, c_size_t, c_size_t], SIZE),
    "vs_bank_item_high": ([BankPtr, c_size_t], STRING),
    "vs_bank_item_low": ([BankPtr, c_size_t], STRING),
    "vs_bank_dimension_item_count": ([BankPtr, c_size_t], SIZE),
    "vs_bank_continuation_count": ([BankPtr], SIZE),
    # ---- accum.h
    "vs_accum_item_hash": ([_p(c_uint64), Utf8], STATUS),
    "vs_accum_weight": ([c_uint64, c_uint64, c_uint64], U32),
    "vs_accum_create": ([_p(AccumPtr), c_size_t, c_size_t, c_uint64], STATUS),
    "vs_accum_clone": ([_p(AccumPtr), AccumPtr], STATUS),
    "vs_accum_free": ([AccumPtr], VOID),
    "vs_accum_dimension_count": ([AccumPtr], SIZE),
    "vs_accum_dims": ([AccumPtr], SIZE),
    "vs_accum_replicate_count": ([AccumPtr], SIZE),
    "vs_accum_replicates": ([AccumPtr], SIZE),
    "vs_accum_seed": ([AccumPtr], U64),
    "vs_accum_row_count": ([AccumPtr], U64),
    "vs_accum_rows": ([AccumPtr], U64),
    "vs_accum_set_int": ([AccumPtr, c_int, c_int64], STATUS),
    "vs_accum_get_int": ([_p(c_int64), AccumPtr, c_int], STATUS),
    "vs_accum_option_bounds": ([_p(c_double), _p(c_double), c_int], STATUS),
    "vs_accum_add": ([AccumPtr, c_uint64, _p(c_double), c_size_t], STATUS),
    "vs_accum_add_id": ([AccumPtr, Utf8, _p(c_double), c_size_t], STATUS),
    "vs_accum_add_rows": ([AccumPtr, _p(c_uint64), _p(c_double), c_size_t, c_size_t], STATUS),
    "vs_accum_merge": ([AccumPtr, AccumPtr], STATUS),
    "vs_accum_stats_get": ([_p(vs_accum_stats), AccumPtr, c_size_t], STATUS),
    "vs_accum_replicate_means": ([_p(c_size_t), AccumPtr, c_size_t, _p(c_double), c_size_t],
                                 STATUS),
    "vs_accum_ci": ([_p(c_double), _p(c_double), AccumPtr, c_size_t, c_int, c_double], STATUS),
    "vs_accum_serialize": ([_p(c_size_t), AccumPtr, _p(c_ubyte), c_size_t], STATUS),
    "vs_accum_deserialize": ([_p(AccumPtr), _p(c_ubyte), c_size_t], STATUS),
    "vs_accum_save": ([AccumPtr, Utf8], STATUS),
    "vs_accum_load": ([_p(AccumPtr), Utf8], STATUS),
    # ---- cluster.h
    "vs_cluster_create": ([_p(ClusterPtr)], STATUS),
    "vs_cluster_free": ([ClusterPtr], VOID),
    "vs_cluster_set_int": ([ClusterPtr, c_int, c_int64], STATUS),
    "vs_cluster_set_double": ([ClusterPtr, c_int, c_double], STATUS),
    "vs_cluster_set_str": ([ClusterPtr, c_int, Utf8], STATUS),
    "vs_cluster_get_int": ([_p(c_int64), ClusterPtr, c_int], STATUS),
    "vs_cluster_get_double": ([_p(c_double), ClusterPtr, c_int], STATUS),
    "vs_cluster_option_bounds": ([_p(c_double), _p(c_double), c_int], STATUS),
    "vs_cluster_set_init_centers": ([ClusterPtr, _p(c_double), c_size_t, c_size_t], STATUS),
    "vs_cluster_fit": ([_p(ClusterResultPtr), ClusterPtr, _p(c_double), c_size_t, c_size_t],
                       STATUS),
    "vs_cluster_choose_k": ([_p(ClusterResultPtr), ClusterPtr, _p(c_double), c_size_t, c_size_t],
                            STATUS),
    "vs_cluster_result_free": ([ClusterResultPtr], VOID),
    "vs_cluster_result_labels": ([_p(c_size_t), ClusterResultPtr, _p(c_size_t), c_size_t],
                                 STATUS),
    "vs_cluster_result_get": ([_p(c_size_t), ClusterResultPtr, c_int, _p(c_double), c_size_t],
                              STATUS),
    "vs_cluster_result_scalar": ([_p(c_double), ClusterResultPtr, c_int], STATUS),
    "vs_cluster_silhouette": ([_p(c_double), _p(c_size_t), ClusterPtr, _p(c_double), c_size_t,
                               c_size_t, _p(c_size_t), _p(c_double), c_size_t], STATUS),
    "vs_cluster_adjusted_rand": ([_p(c_double), _p(c_size_t), _p(c_size_t), c_size_t], STATUS),
    # ---- evaluator.h
    "vs_evaluator_create": ([_p(EvaluatorPtr), SpacePtr, c_size_t], STATUS),
    "vs_evaluator_create_callback": ([_p(EvaluatorPtr), SpacePtr, c_size_t,
                                      _p(vs_evaluator_callbacks), c_void_p], STATUS),
    "vs_evaluator_free": ([EvaluatorPtr], VOID),
    "vs_evaluator_judge_create": ([_p(ModelPtr), EvaluatorPtr], STATUS),
    "vs_evaluator_kind": ([EvaluatorPtr], INT),
    "vs_evaluator_space": ([EvaluatorPtr], CONST_SPACE),
    "vs_evaluator_level": ([EvaluatorPtr], SIZE),
    "vs_evaluator_dimension_count": ([EvaluatorPtr], SIZE),
    "vs_evaluator_size": ([EvaluatorPtr], SIZE),
    "vs_evaluator_is_ready": ([EvaluatorPtr], INT),
    "vs_evaluator_active_bucket_count": ([EvaluatorPtr], SIZE),
    "vs_evaluator_active_buckets": ([EvaluatorPtr], SIZE),
    "vs_evaluator_set_int": ([EvaluatorPtr, c_int, c_int64], STATUS),
    "vs_evaluator_set_double": ([EvaluatorPtr, c_int, c_double], STATUS),
    "vs_evaluator_get_int": ([_p(c_int64), EvaluatorPtr, c_int], STATUS),
    "vs_evaluator_get_double": ([_p(c_double), EvaluatorPtr, c_int], STATUS),
    "vs_evaluator_option_bounds": ([_p(c_double), _p(c_double), c_int], STATUS),
    "vs_evaluator_train": ([EvaluatorPtr, _STRV, _STRV, _p(c_double), c_size_t], STATUS),
    "vs_evaluator_predict": ([_p(c_double), c_size_t, _p(c_double), c_size_t, _p(c_int32),
                              c_size_t, EvaluatorPtr, _STRV, _STRV, c_size_t], STATUS),
    "vs_evaluator_save_buffer": ([_p(c_void_p), _p(c_size_t), EvaluatorPtr], STATUS),
    "vs_evaluator_save": ([EvaluatorPtr, Utf8], STATUS),
    "vs_evaluator_load_buffer": ([_p(EvaluatorPtr), c_void_p, c_size_t, SpacePtr], STATUS),
    "vs_evaluator_load": ([_p(EvaluatorPtr), Utf8, SpacePtr], STATUS),
    "vs_evaluator_metrics_compute": ([_p(vs_evaluator_metrics), _p(c_double), _p(c_double),
                                      c_size_t, c_size_t], STATUS),
    "vs_evaluator_fulcra_template": ([], STRING),
    "vs_evaluator_prompt_format": ([_p(c_size_t), c_char_p, c_size_t, SpacePtr, c_size_t, Utf8, Utf8, Utf8],
                                   STATUS),
    "vs_evaluator_create_prompted": ([_p(EvaluatorPtr), SpacePtr, c_size_t, ModelPtr, c_int, Utf8], STATUS),
    "vs_evaluator_prompted_answer": ([EvaluatorPtr, c_size_t, c_size_t], STRING),
    "vs_evaluator_agreement_compute": ([_p(vs_evaluator_agreement), _p(c_double), _p(c_double),
                                        c_size_t, c_size_t, c_size_t, c_double, c_uint64], STATUS),
    "vs_evaluator_agreement_init": ([_p(vs_evaluator_agreement)], VOID),
    "vs_evaluator_cv_run": ([_p(EvaluatorCvPtr), EvaluatorPtr, _STRV, _STRV, _p(c_double),
                             _p(c_size_t), c_size_t, c_size_t, c_uint64], STATUS),
    "vs_evaluator_cv_free": ([EvaluatorCvPtr], VOID),
    "vs_evaluator_cv_count": ([EvaluatorCvPtr], SIZE),
    "vs_evaluator_cv_dimension_count": ([EvaluatorCvPtr], SIZE),
    "vs_evaluator_cv_size": ([EvaluatorCvPtr], SIZE),
    "vs_evaluator_cv_fold_count": ([EvaluatorCvPtr], SIZE),
    "vs_evaluator_cv_folds": ([EvaluatorCvPtr], SIZE),
    "vs_evaluator_cv_metrics": ([_p(vs_evaluator_metrics), EvaluatorCvPtr, c_size_t, c_size_t],
                                STATUS),
    "vs_evaluator_cv_get": ([_p(c_size_t), EvaluatorCvPtr, c_int, _p(c_double), c_size_t],
                            STATUS),
    "vs_evaluator_profile_compute": ([_p(EvaluatorProfilePtr), _p(c_double), c_size_t, c_size_t,
                                      _p(c_size_t), VectorPtr, c_double, c_size_t, c_double,
                                      c_uint64], STATUS),
    "vs_evaluator_profile_free": ([EvaluatorProfilePtr], VOID),
    "vs_evaluator_profile_group_count": ([EvaluatorProfilePtr], SIZE),
    "vs_evaluator_profile_group_id": ([EvaluatorProfilePtr, c_size_t], SIZE),
    "vs_evaluator_profile_group_item_count": ([EvaluatorProfilePtr, c_size_t], SIZE),
    "vs_evaluator_profile_group_size": ([EvaluatorProfilePtr, c_size_t], SIZE),
    "vs_evaluator_profile_dimension_count": ([EvaluatorProfilePtr], SIZE),
    "vs_evaluator_profile_size": ([EvaluatorProfilePtr], SIZE),
    "vs_evaluator_profile_get": ([_p(c_size_t), EvaluatorProfilePtr, c_size_t, c_int,
                                  _p(c_double), c_size_t], STATUS),
    "vs_evaluator_profile_scalar": ([_p(c_double), EvaluatorProfilePtr, c_size_t, c_int], STATUS),
    "vs_evaluator_profile_replicate_count": ([EvaluatorProfilePtr], SIZE),
    "vs_evaluator_profile_replicates": ([_p(c_size_t), EvaluatorProfilePtr, c_size_t, c_int,
                                         _p(c_double), c_size_t], STATUS),
})


vs_runner = _opaque("vs_runner")
vs_runner_result = _opaque("vs_runner_result")
vs_runner_journal_header = _opaque("vs_runner_journal_header")
RunnerPtr = POINTER(vs_runner)
RunnerResultPtr = POINTER(vs_runner_result)
RunnerJournalHeaderPtr = POINTER(vs_runner_journal_header)
vs_runner_progress_fn = _functype("vs_runner_progress_fn", c_int, c_void_p, c_uint64, c_uint64)


class vs_runner_score(_SizedStructure):
    """``vs_runner_score`` (projective.h)."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("n", c_uint64),
        ("score", c_double),
        ("ci_low", c_double),
        ("ci_high", c_double),
        ("n_related", c_uint64),
        ("coverage", c_double),
    ]


PROTOTYPES.update({
    # ---- projective.h: runner, journal, scores
    "vs_runner_create": ([_p(RunnerPtr), BankPtr, ModelPtr, c_int, ModelPtr], STATUS),
    "vs_runner_free": ([RunnerPtr], VOID),
    "vs_runner_set_int": ([RunnerPtr, c_int, c_int64], STATUS),
    "vs_runner_set_double": ([RunnerPtr, c_int, c_double], STATUS),
    "vs_runner_set_str": ([RunnerPtr, c_int, Utf8], STATUS),
    "vs_runner_get_int": ([_p(c_int64), RunnerPtr, c_int], STATUS),
    "vs_runner_option_bounds": ([_p(c_double), _p(c_double), c_int], STATUS),
    "vs_runner_set_seed": ([RunnerPtr, c_uint64], STATUS),
    "vs_runner_set_progress": ([RunnerPtr, vs_runner_progress_fn, c_void_p], STATUS),
    "vs_runner_run": ([_p(RunnerResultPtr), RunnerPtr], STATUS),
    "vs_runner_resume": ([_p(RunnerResultPtr), RunnerPtr], STATUS),
    "vs_runner_create_from_journal": ([_p(RunnerPtr), Utf8, BankPtr, ModelPtr, ModelPtr], STATUS),
    "vs_runner_journal_field": ([_p(c_void_p), Utf8, Utf8], STATUS),
    "vs_runner_journal_header_read": ([_p(RunnerJournalHeaderPtr), Utf8], STATUS),
    "vs_runner_journal_header_field": ([RunnerJournalHeaderPtr, Utf8], STRING),
    "vs_runner_journal_header_free": ([RunnerJournalHeaderPtr], VOID),
    "vs_runner_create_from_header": ([_p(RunnerPtr), RunnerJournalHeaderPtr, BankPtr, ModelPtr, ModelPtr],
                                     STATUS),
    "vs_runner_create_rejudge": ([_p(RunnerPtr), Utf8, BankPtr, c_int, ModelPtr], STATUS),
    "vs_runner_merge_journals": ([_p(RunnerResultPtr), _STRV, c_size_t], STATUS),
    "vs_runner_result_free": ([RunnerResultPtr], VOID),
    "vs_runner_result_done": ([RunnerResultPtr], U64),
    "vs_runner_result_failed": ([RunnerResultPtr], U64),
    "vs_runner_result_first_failure": ([RunnerResultPtr, _p(c_char_p), _p(c_uint64), _p(c_int),
                                        _p(c_char_p)], STATUS),
    "vs_runner_result_dimension_count": ([RunnerResultPtr], SIZE),
    "vs_runner_result_dimension_key": ([RunnerResultPtr, c_size_t], STRING),
    "vs_runner_result_dimension_level": ([RunnerResultPtr, c_size_t], STRING),
    "vs_runner_result_score": ([_p(vs_runner_score), RunnerResultPtr, c_size_t], STATUS),
    "vs_runner_result_accum": ([RunnerResultPtr], (AccumPtr, None)),
    "vs_runner_result_position": ([RunnerResultPtr, _p(c_uint64), _p(c_uint64)], STATUS),
})

vs_lexicon = _opaque("vs_lexicon")
vs_wordvecs = _opaque("vs_wordvecs")
vs_lexical = _opaque("vs_lexical")
vs_lexical_result = _opaque("vs_lexical_result")
LexiconPtr = POINTER(vs_lexicon)
WordvecsPtr = POINTER(vs_wordvecs)
LexicalPtr = POINTER(vs_lexical)
LexicalResultPtr = POINTER(vs_lexical_result)
#: int (*)(void *user_data, const char *term, char *buf, size_t cap)
vs_lexicon_lemma_fn = _functype("vs_lexicon_lemma_fn", c_int, c_void_p, c_char_p, POINTER(ctypes.c_char),
                                c_size_t)

PROTOTYPES.update({
    # ---- lexical.h: lexicon, word vectors, analysis
    "vs_lexicon_create": ([_p(LexiconPtr)], STATUS),
    "vs_lexicon_load_csv": ([_p(LexiconPtr), Utf8], STATUS),
    "vs_lexicon_free": ([LexiconPtr], VOID),
    "vs_lexicon_set_int": ([LexiconPtr, c_int, c_int64], STATUS),
    "vs_lexicon_get_int": ([_p(c_int64), LexiconPtr, c_int], STATUS),
    "vs_lexicon_set_lemmatizer": ([LexiconPtr, vs_lexicon_lemma_fn, c_void_p], STATUS),
    "vs_lexicon_add_stop_term": ([LexiconPtr, Utf8], STATUS),
    "vs_lexicon_add_response": ([LexiconPtr, Utf8, Utf8], STATUS),
    "vs_lexicon_response_count": ([LexiconPtr], SIZE),
    "vs_lexicon_response_term_count": ([LexiconPtr, c_size_t], SIZE),
    "vs_lexicon_response_term": ([LexiconPtr, c_size_t, c_size_t], STRING),
    "vs_lexicon_term_count": ([LexiconPtr], SIZE),
    "vs_lexicon_term": ([LexiconPtr, c_size_t], STRING),
    "vs_lexicon_term_stats": ([_p(c_double), _p(c_size_t), LexiconPtr, c_size_t], STATUS),
    "vs_lexicon_matrix": ([_p(c_size_t), LexiconPtr, c_int, _p(c_double), c_size_t], STATUS),
    "vs_wordvecs_create": ([_p(WordvecsPtr), c_size_t], STATUS),
    "vs_wordvecs_load": ([_p(WordvecsPtr), Utf8], STATUS),
    "vs_wordvecs_free": ([WordvecsPtr], VOID),
    "vs_wordvecs_dim": ([WordvecsPtr], SIZE),
    "vs_wordvecs_count": ([WordvecsPtr], SIZE),
    "vs_wordvecs_add": ([WordvecsPtr, Utf8, _p(c_double), c_size_t], STATUS),
    "vs_wordvecs_embed": ([WordvecsPtr, ModelPtr, _STRV, c_size_t], STATUS),
    "vs_wordvecs_get": ([_p(c_size_t), WordvecsPtr, Utf8, _p(c_double), c_size_t], STATUS),
    "vs_lexical_create": ([_p(LexicalPtr)], STATUS),
    "vs_lexical_free": ([LexicalPtr], VOID),
    "vs_lexical_set_int": ([LexicalPtr, c_int, c_int64], STATUS),
    "vs_lexical_set_str": ([LexicalPtr, c_int, Utf8], STATUS),
    "vs_lexical_get_int": ([_p(c_int64), LexicalPtr, c_int], STATUS),
    "vs_lexical_option_bounds": ([_p(c_double), _p(c_double), c_int], STATUS),
    "vs_lexical_analyze": ([_p(LexicalResultPtr), LexicalPtr, LexiconPtr, WordvecsPtr], STATUS),
    "vs_lexical_result_free": ([LexicalResultPtr], VOID),
    "vs_lexical_result_scalar": ([_p(c_double), LexicalResultPtr, c_int], STATUS),
    "vs_lexical_result_get": ([_p(c_size_t), LexicalResultPtr, c_int, _p(c_double), c_size_t],
                              STATUS),
    "vs_lexical_result_term": ([LexicalResultPtr, c_size_t], STRING),
    "vs_lexical_result_name": ([LexicalResultPtr, c_int, c_size_t], STRING),
    "vs_lexical_result_space": ([_p(SpacePtr), LexicalResultPtr, Utf8, _STRV, c_size_t, _STRV,
                                 c_size_t], STATUS),
    "vs_lexical_result_report": ([_p(c_void_p), LexicalResultPtr], STATUS),
})


class vs_lexical_elicit_opts(_SizedStructure):
    """``vs_lexical_elicit_opts`` (lexical.h); the constructor sets the defaults of
    VS_LEXICAL_ELICIT_OPTS_INIT (1 repeat, temperature 1, built-in prompts)."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("max_tokens", c_uint32),
        ("seed", c_uint64),
        ("repeats", c_uint64),
        ("temperature", c_double),
        ("resume", c_int32),
        ("prompts", _STRV),
        ("n_prompts", c_size_t),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "repeats" not in kwargs:
            self.repeats = 1
        if "temperature" not in kwargs:
            self.temperature = 1.0


PROTOTYPES.update({
    # ---- lexical.h: elicitation
    "vs_lexical_prompt_count": ([], SIZE),
    "vs_lexical_prompt": ([c_size_t], STRING),
    "vs_lexical_elicit": ([_p(c_size_t), _p(ModelPtr), _STRV, c_size_t, Utf8, _p(vs_lexical_elicit_opts)],
                          STATUS),
    "vs_lexicon_add_journal": ([LexiconPtr, Utf8], STATUS),
    "vs_lexical_journal_failures": ([_p(c_uint64), _p(c_uint64), _p(c_void_p), _p(c_void_p), Utf8],
                                    STATUS),
})

# The option mechanism every handle shares (lookup by name) and the *_init() functions.
PROTOTYPES.update({
    "vs_fa_option_id": ([_p(c_int), Utf8], STATUS),
    "vs_fa_option_name": ([c_int], STRING),
    "vs_cluster_option_id": ([_p(c_int), Utf8], STATUS),
    "vs_cluster_option_name": ([c_int], STRING),
    "vs_runner_option_id": ([_p(c_int), Utf8], STATUS),
    "vs_runner_option_name": ([c_int], STRING),
    "vs_model_option_id": ([_p(c_int), Utf8], STATUS),
    "vs_model_option_name": ([c_int], STRING),
    "vs_evaluator_option_id": ([_p(c_int), Utf8], STATUS),
    "vs_evaluator_option_name": ([c_int], STRING),
    "vs_lexical_option_id": ([_p(c_int), Utf8], STATUS),
    "vs_lexical_option_name": ([c_int], STRING),
    "vs_lexicon_option_id": ([_p(c_int), Utf8], STATUS),
    "vs_lexicon_option_name": ([c_int], STRING),
    "vs_accum_option_id": ([_p(c_int), Utf8], STATUS),
    "vs_accum_option_name": ([c_int], STRING),
    "vs_fa_get_str": ([_p(c_char_p), FaPtr, c_int], STATUS),
    "vs_cluster_get_str": ([_p(c_char_p), ClusterPtr, c_int], STATUS),
    "vs_runner_get_str": ([_p(c_char_p), RunnerPtr, c_int], STATUS),
    "vs_lexical_get_str": ([_p(c_char_p), LexicalPtr, c_int], STATUS),
    "vs_runner_get_double": ([_p(c_double), RunnerPtr, c_int], STATUS),
    "vs_lexicon_option_bounds": ([_p(c_double), _p(c_double), c_int], STATUS),
    "vs_allocator_init": ([_p(vs_allocator)], VOID),
    "vs_dataset_options_init": ([_p(vs_dataset_options)], VOID),
    "vs_evaluator_callbacks_init": ([_p(vs_evaluator_callbacks)], VOID),
    "vs_evaluator_metrics_init": ([_p(vs_evaluator_metrics)], VOID),
    "vs_lexical_elicit_opts_init": ([_p(vs_lexical_elicit_opts)], VOID),
    "vs_model_gen_request_init": ([_p(vs_model_gen_request)], VOID),
    "vs_model_loglik_request_init": ([_p(vs_model_loglik_request)], VOID),
    "vs_model_text_request_init": ([_p(vs_model_text_request)], VOID),
    "vs_model_callbacks_init": ([_p(vs_model_callbacks)], VOID),
    "vs_runner_score_init": ([_p(vs_runner_score)], VOID),
    "vs_circle_fit_init": ([_p(vs_circle_fit)], VOID),
    "vs_accum_stats_init": ([_p(vs_accum_stats)], VOID),
})

#: Functions of the table that the loaded library does not export.
MISSING: list[str] = []


# ------------------------------------------------------------------ loading

def _pkg_config_libdir():
    """``pkg-config --variable=libdir valuespace``, or None (no pkg-config, unknown package)."""
    import shutil
    import subprocess
    exe = shutil.which("pkg-config")
    if exe is None:
        return None, "pkg-config: not found on PATH"
    try:
        out = subprocess.run([exe, "--variable=libdir", "valuespace"], capture_output=True,
                             text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"pkg-config: {exc}"
    libdir = out.stdout.strip()
    if out.returncode != 0 or not libdir:
        return None, "pkg-config --variable=libdir valuespace: package not found"
    return libdir, None


def _candidates(tried):
    """(how, name) pairs to dlopen in order; appends candidates that were skipped to `tried`."""
    env = os.environ.get("VALUESPACE_LIBRARY")
    if env:
        path = os.path.join(env, SONAME) if os.path.isdir(env) else env
        if not os.path.exists(path):
            raise ImportError(
                f"valuespace: VALUESPACE_LIBRARY={env!r} does not name an existing file "
                f"(expected the path of {SONAME} or a directory holding it)")
        yield "VALUESPACE_LIBRARY", path
        return
    beside = os.path.join(os.path.dirname(os.path.abspath(__file__)), SONAME)
    if os.path.exists(beside):
        yield "beside the package", beside
    else:
        tried.append(f"beside the package: {beside}: no such file")
    found = ctypes.util.find_library("valuespace")
    if found:
        yield "ctypes.util.find_library", found
    else:
        tried.append('ctypes.util.find_library("valuespace"): not found')
    yield "system loader (SONAME)", SONAME
    libdir, why = _pkg_config_libdir()
    if libdir is None:
        tried.append(why)
    else:
        yield "pkg-config libdir", os.path.join(libdir, SONAME)


def _resolve_path(handle_name: str) -> str:
    """The file actually mapped for the loaded library (via /proc/self/maps on Linux)."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                parts = line.split(None, 5)
                if len(parts) == 6 and "libvaluespace" in os.path.basename(parts[5].strip()):
                    return parts[5].strip()
    except OSError:
        pass
    return os.path.realpath(handle_name) if os.path.exists(handle_name) else handle_name


def _load():
    tried: list = []
    for how, name in _candidates(tried):
        try:
            return ctypes.CDLL(name), name
        except OSError as exc:
            tried.append(f"{how}: {name}: {exc}")
    raise ImportError(
        "valuespace: cannot load libvaluespace. Install it (cmake --install BUILD, optionally "
        "with -DVS_INSTALL_PYTHON=ON to put a copy beside this package), or set "
        f"VALUESPACE_LIBRARY to the path of {SONAME} (e.g. build/{SONAME}). Tried:\n  "
        + "\n  ".join(tried))


def _absent_function(name):
    """A stand-in for a function an older libvaluespace does not export: calling it says so."""
    def absent(*args, **kwargs):
        raise NotImplementedError(f"{name} is not exported by the loaded libvaluespace "
                                  f"({LIBRARY_PATH}); it is too old for this binding")
    absent.__name__ = name
    return absent


def _bind(cdll):
    class Namespace:
        """The library's functions, declared from PROTOTYPES."""

    ns = Namespace()
    for name, (argtypes, (restype, errcheck)) in PROTOTYPES.items():
        try:
            func = getattr(cdll, name)
        except AttributeError:
            MISSING.append(name)
            setattr(ns, name, _absent_function(name))
            continue
        func.argtypes = argtypes
        func.restype = restype
        if errcheck is not None:
            func.errcheck = errcheck
        if Utf8 in argtypes:
            func = _with_conversion_errors(func)
        setattr(ns, name, func)
    return ns


_cdll, _loaded_name = _load()
LIBRARY_PATH = _resolve_path(_loaded_name)
lib = _bind(_cdll)

for _required in ("vs_version", "vs_last_error", "vs_status_name", "vs_strerror"):
    if _required in MISSING:
        raise ImportError(f"valuespace: {LIBRARY_PATH} does not export {_required}: "
                          "not a libvaluespace library")

LIBRARY_VERSION = int(lib.vs_version())
if LIBRARY_VERSION // 10000 != VS_VERSION_MAJOR:
    raise ImportError(
        f"valuespace: {LIBRARY_PATH} is libvaluespace {lib.vs_version_string()} "
        f"(major version {LIBRARY_VERSION // 10000}); this binding needs major version "
        f"{VS_VERSION_MAJOR} ({SONAME})")


def exported_symbols(path: str | None = None) -> set[str]:
    """The vs_* functions the library file exports (``nm -D --defined-only``); for tests."""
    import subprocess
    out = subprocess.run(["nm", "-D", "--defined-only", path or LIBRARY_PATH], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "TtWiI" and parts[2].startswith("vs_"):
            names.add(parts[2].split("@")[0])
    return names


# ------------------------------------------------------------------ handle helpers

class Handle:
    """Base class of the Python objects owning a C handle.

    * ``close()`` frees the handle now (a second close is harmless); a finalizer
      (weakref.finalize) frees it when the object is collected otherwise;
    * ``with obj:`` closes on exit;
    * a per-handle lock is held around every call on the handle, because ctypes releases the
      GIL: two Python threads never use one C handle at once, and close() never frees a
      handle another thread is using. Handles the C API documents as safe to share while only
      read (a frozen space, FA data and results, tokens) are used in *shared* mode: any number
      of readers at once, and close() or a mutating call waits until they are done;
    * ``_parents`` keeps Python parents (a vector's Space) alive as long as this object.
    """

    _free_name: str = ""
    _kind: str = "handle"
    _shared: bool = False  # default mode of _use(): True for immutable handles

    def __init__(self, ptr: "object", parents: tuple = (), owned: bool = True) -> None:
        if not ptr:
            raise errors.InvalidArgument(errors.Status.EINVAL, f"NULL {self._kind} pointer")
        self._ptr = ptr
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._parents = tuple(parents)
        free = getattr(lib, self._free_name) if owned else None
        self._finalizer = weakref.finalize(self, _free_handle, free, ptr)

    def close(self) -> None:
        """Frees the C handle now. Further use raises ClosedError; close() again is harmless."""
        with self._cond:
            while self._readers:
                self._cond.wait()
            self._ptr = None
            self._finalizer()

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _use(self, shared=None):
        """Context manager: locks the handle (exclusively, or shared by readers) and yields
        the live pointer, or raises ClosedError."""
        return _Use(((self, self._shared if shared is None else shared),))

    def _closed_error(self):
        return errors.ClosedError(errors.Status.ESTATE, f"this {self._kind} is closed")


def _free_handle(free, ptr):
    if free is not None:
        free(ptr)


class _Use:
    __slots__ = ("items", "order", "taken")

    def __init__(self, items):
        self.items = items
        # Each distinct handle once (exclusive wins over shared), locked in a fixed order (by
        # id) so that two threads locking the same handles in another order cannot deadlock.
        modes = {}
        for h, shared in items:
            modes[id(h)] = (h, shared and modes.get(id(h), (h, True))[1])
        self.order = [modes[k] for k in sorted(modes)]
        self.taken = []

    def __enter__(self):
        try:
            for h, shared in self.order:
                cond = h._cond
                cond.acquire()
                if not shared:
                    while h._readers:
                        cond.wait()  # close() may run meanwhile: check _ptr afterwards
                if h._ptr is None:
                    cond.release()
                    raise h._closed_error()
                if shared:
                    h._readers += 1
                    cond.release()
                self.taken.append((h, shared))
        except BaseException:
            self._release()
            raise
        ptrs = tuple(h._ptr for h, _ in self.items)
        return ptrs[0] if len(ptrs) == 1 else ptrs

    def _release(self):
        while self.taken:
            h, shared = self.taken.pop()
            if shared:
                with h._cond:
                    h._readers -= 1
                    if not h._readers:
                        h._cond.notify_all()
            else:
                h._cond.release()

    def __exit__(self, *exc):
        self._release()
        return False


def use(*handles, shared=None):
    """Locks several handles (deadlock-free) and yields their pointers: a tuple in argument
    order (the same handle may appear twice), or the pointer itself for a single handle.
    Each handle is locked in its default mode unless `shared` is given."""
    return _Use(tuple((h, h._shared if shared is None else shared) for h in handles))
