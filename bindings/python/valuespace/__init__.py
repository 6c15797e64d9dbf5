"""valuespace: Python binding (ctypes, no compiled extension) of libvaluespace.

Loads the shared library (``VALUESPACE_LIBRARY`` env var → ``ctypes.util.find_library`` →
SONAME ``libvaluespace.so.0``) and checks its major version.

Example::

    import valuespace as vs
    scores = [0.1, -0.2, 0, 1.0, -0.5, 2.0, 0.2, 0.25, -1.0, 0.9]
    r = vs.basealign(scores, "default", raw=True)
    r.distance, r.mask                   # 2.319675..., (0, 0, 0, 1, 1, 1, 0, 0, 1, 1)

    space = vs.Space.builtin("schwartz10")
    v = vs.Vector(space, 0, [5, 4, 6, 3, 2, 5, 4, 4, 6, 5]).ipsatize()
    v["self direction"]                  # 0.6 (names use the folded lookup)

Thread safety: a Space is immutable and may be shared by threads; other objects may be used
from any thread, and a per-object lock serialises concurrent calls on one object.
"""

import ctypes
from typing import Sequence as _Sequence

from . import errors
from ._lib import LIBRARY_PATH, LIBRARY_VERSION, VS_NPOS, VS_VERSION_MAJOR, lib
from .align import (BASEALIGN_RAW, BASEALIGN_THRESHOLD, BaseAlignResult, UnmaskedDistances,
                    align_target, align_target_names, basealign, basealign_unmasked)
from .errors import *  # noqa: F401,F403 - the exception classes and Status
from . import accum, cluster, dataset, evaluator, fa, lexical, model, projective, text
from .accum import Accumulator
from .cluster import Cluster, ClusterResult
from .dataset import Dataset
from .evaluator import Evaluator
from .model import Cancel, GenRequest, LoglikRequest, Model, ModelResults, Permanent, TextRequest, Transient
from .projective import Bank, BankBuilder, Runner, RunnerResult
from .lexical import LexicalOptions, LexicalResult, Lexicon, WordVectors, elicit
from .fa import FactorAnalysis, FactorData, FactorResult, Matrix
from .space import Dimension, Space, SpaceBuilder, builtin_space_names
from .text import Tokens
from .vector import (AGGREGATE_MAX_MAGNITUDE, AGGREGATE_MEAN, AGGREGATE_SIGN_VOTE, METRIC_COSINE,
                     METRIC_L1, METRIC_L2, METRIC_SPEARMAN, CircleFit, Vector)



def __getattr__(name: str):
    # FactorAnalyzer imports scikit-learn (when installed): only when it is asked for.
    if name == "FactorAnalyzer":
        from .estimator import FactorAnalyzer
        return FactorAnalyzer
    raise AttributeError(f"module 'valuespace' has no attribute {name!r}")


#: Version of this Python package (follows the C library's major.minor it was written for).
__version__ = "0.1.0"


def library_version() -> str:
    """Version string of the loaded C library, e.g. "0.1.0"."""
    return lib.vs_version_string()


def strerror(code: int) -> str:
    """The library's static description of a status code."""
    return lib.vs_strerror(code).decode("utf-8")


def status_name(code: int) -> str:
    """The symbolic name of a status code, e.g. "VS_EINVAL"."""
    return lib.vs_status_name(code).decode("ascii")


def closest_name(value: str, names: "_Sequence[str]") -> "int | None":
    """The index of the name in `names` closest to `value` as the library's own "did you mean"
    hints choose it (vs_closest_name: edit distance, ASCII case-insensitive, about one edit in
    three letters), or None when none is that close."""
    names = list(names)
    array = (ctypes.c_char_p * len(names))(*[n.encode("utf-8", "surrogatepass") for n in names])
    index = lib.vs_closest_name(value, array, len(names))
    return None if index == VS_NPOS else index


def set_last_error(code: int, message: str) -> int:
    """Sets this thread's vs_last_error() message (vs_set_last_error), e.g. in code that calls
    the library on behalf of C callers; returns `code`."""
    return lib.vs_set_last_error(code, message)


__all__ = [
    "errors", "fa", "text", "lib", "accum", "cluster", "dataset", "evaluator", "model",
    "projective", "lexical", "Lexicon", "WordVectors", "LexicalOptions", "LexicalResult",
    "elicit", "Accumulator", "Cluster", "ClusterResult", "Dataset", "Evaluator", "Cancel",
    "GenRequest", "LoglikRequest", "Model", "ModelResults", "Permanent", "TextRequest",
    "Transient", "Bank", "BankBuilder", "Runner", "RunnerResult", "FactorAnalysis", "FactorData", "FactorResult", "Matrix",
    "Tokens", "LIBRARY_PATH", "LIBRARY_VERSION", "VS_NPOS", "VS_VERSION_MAJOR",
    "library_version", "strerror", "status_name", "closest_name", "set_last_error",
    "Space", "SpaceBuilder", "Dimension", "builtin_space_names",
    "Vector", "CircleFit", "AGGREGATE_MEAN", "AGGREGATE_MAX_MAGNITUDE", "AGGREGATE_SIGN_VOTE",
    "METRIC_L1", "METRIC_L2", "METRIC_COSINE", "METRIC_SPEARMAN",
    "basealign", "basealign_unmasked", "align_target", "align_target_names", "BaseAlignResult",
    "UnmaskedDistances", "BASEALIGN_THRESHOLD", "BASEALIGN_RAW", "FactorAnalyzer",
] + errors.__all__
