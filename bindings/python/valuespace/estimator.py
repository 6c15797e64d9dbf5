"""A factor_analyzer / scikit-learn style estimator over libvaluespace's factor analysis.

``valuespace.FactorAnalyzer`` has factor_analyzer's constructor names and meanings, attributes
(``loadings_``, ``phi_``, ``structure_``, ``rotation_matrix_``, ``corr_``, ``mean_``, ``std_``)
and methods (``fit``, ``transform``, ``fit_transform``, ``get_communalities``,
``get_uniquenesses``, ``get_factor_variance``, ``get_eigenvalues``), plus scikit-learn's
``get_params`` / ``set_params``, so it works in a ``Pipeline``, with ``clone`` and pickling.
When scikit-learn is installed it derives from ``BaseEstimator`` and ``TransformerMixin``;
otherwise it has the same methods without them (scikit-learn is not required).

The numbers are psych's (R), which the library follows, not factor_analyzer's. Where they differ:

* missing values: correlations are pairwise (psych's default; ``missing="listwise"`` for
  complete rows), where factor_analyzer imputes the median;
* ``transform`` standardises with the training standard deviation with n - 1 (psych's ``scale``),
  factor_analyzer's with n; the regression weights are the same (R^-1 times the structure);
* factors are ordered by variance accounted for and signed so that each column's sum is
  positive, as psych::fa does; ``get_factor_variance`` of an oblique solution uses psych's
  diag(Phi L'L);
* ``phi_`` and ``structure_`` are set for every oblique rotation (factor_analyzer: promax and
  oblimin), None for orthogonal ones;
* ``get_eigenvalues()`` returns the eigenvalues of the correlation matrix and those of the
  reduced matrix at the solution (psych's ``e.values`` and ``values``);
* only psych's start (SMC, ``use_smc=True``) and psi bounds ``(0.005, 1)`` exist; other values
  raise ValueError. ``method="principal"`` (factor_analyzer's PCA) does not exist; ``"uls"``,
  ``"pa"``, ``"wls"`` and ``"gls"`` do, as do psych's other rotations.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

import numpy as np

from ._convert import data_matrix, is_frame
from .fa import FactorAnalysis, FactorData

__all__ = ["FactorAnalyzer"]

try:  # scikit-learn is optional
    from sklearn.base import BaseEstimator as _Base
    from sklearn.base import TransformerMixin as _Mixin
    from sklearn.exceptions import NotFittedError as _NotFitted
except ImportError:  # pragma: no cover - exercised only without scikit-learn
    import inspect

    class _NotFitted(ValueError, AttributeError):  # type: ignore[no-redef]
        """Raised when a method needs a fitted estimator (sklearn's NotFittedError)."""

    class _Base:  # type: ignore[no-redef]
        """get_params / set_params as scikit-learn's BaseEstimator defines them."""

        @classmethod
        def _get_param_names(cls):
            sig = inspect.signature(cls.__init__)
            return sorted(p.name for p in sig.parameters.values()
                          if p.name != "self" and p.kind != p.VAR_KEYWORD)

        def get_params(self, deep: bool = True) -> Dict[str, Any]:
            return {name: getattr(self, name) for name in self._get_param_names()}

        def set_params(self, **params):
            valid = self._get_param_names()
            for key, value in params.items():
                if key not in valid:
                    raise ValueError(f"invalid parameter {key!r} for {type(self).__name__}")
                setattr(self, key, value)
            return self

        def __repr__(self):
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
            return f"{type(self).__name__}({args})"

    class _Mixin:  # type: ignore[no-redef]
        def fit_transform(self, X, y=None, **fit_params):
            return self.fit(X, y, **fit_params).transform(X)

_OBLIQUE = {"promax", "oblimin", "quartimin", "geominq", "bentlerq", "targetq", "simplimax",
            "biquartimin"}
# factor_analyzer's rotation_kwargs -> the library's options
_ROTATION_KWARGS = {"power": "promax_power", "gamma": "oblimin_gamma", "delta": "geomin_delta",
                    "normalize": "kaiser_normalize", "max_iter": "rotate_max_iter"}


class FactorAnalyzer(_Mixin, _Base):
    """Exploratory factor analysis with factor_analyzer's interface and psych's numbers.

    Parameters (factor_analyzer's, then the library's own):

    n_factors : int, default 3
    rotation : str or None, default "promax" -- "varimax", "promax", "oblimin", "quartimax",
        "quartimin", "equamax", "geominQ", "geominT", "bentlerT", "bentlerQ", "targetT",
        "targetQ" (with ``rotation_kwargs={"target": pattern}``), "simplimax", "biquartimin",
        "Promax" (psych's, without kaiser()); None or "none"
    method : str, default "minres" -- "minres", "ml", "uls", "pa", "wls", "gls", "alpha",
        "minchi" (psych's)
    use_smc : bool, default True -- psych's start; False is not available (ValueError)
    is_corr_matrix : bool, default False -- X is a correlation (or covariance) matrix; then
        ``transform`` is not available and ``n_obs`` gives the sample size for the fit statistics
    bounds : tuple, default (0.005, 1) -- psych's bounds of the uniquenesses (the only ones)
    rotation_kwargs : dict or None -- ``power`` (promax), ``gamma`` (oblimin), ``delta``
        (geomin), ``normalize`` (Kaiser), ``max_iter``, ``target`` (p x k pattern, NaN =
        unspecified, of targetT / targetQ), or any option of
        :class:`valuespace.fa.FactorAnalysis` by its name
    missing : "pairwise" (default, psych) or "listwise"
    n_obs : number of observations of a correlation-matrix input (None: unknown)
    starts, seed : multi-start of the extraction (see FactorAnalysis); None = the library's
        default
    cor : "pearson" (default), "spearman", "kendall", "polychoric" or "tetrachoric" -- the
        correlation of raw data (psych's ``cor``)

    Attributes after ``fit``: ``loadings_`` (p x k pattern), ``phi_`` (k x k, oblique only),
    ``structure_`` (p x k, oblique only), ``rotation_matrix_``, ``corr_``, ``mean_``, ``std_``
    (n - 1), ``weights_`` (regression score weights), ``n_features_in_``,
    ``feature_names_in_`` (DataFrame input), ``stats_`` (chi-square, RMSEA, TLI, BIC, ...).
    """

    def __init__(self, n_factors: int = 3, rotation: Optional[str] = "promax",
                 method: str = "minres", use_smc: bool = True, is_corr_matrix: bool = False,
                 bounds: Tuple[float, float] = (0.005, 1), rotation_kwargs: Optional[dict] = None,
                 missing: str = "pairwise", n_obs: Optional[float] = None,
                 starts: Optional[int] = None, seed: Optional[int] = None,
                 cor: str = "pearson") -> None:
        self.n_factors = n_factors
        self.rotation = rotation
        self.method = method
        self.use_smc = use_smc
        self.is_corr_matrix = is_corr_matrix
        self.bounds = bounds
        self.rotation_kwargs = rotation_kwargs
        self.missing = missing
        self.n_obs = n_obs
        self.starts = starts
        self.seed = seed
        self.cor = cor

    # ------------------------------------------------------------------ helpers

    def _more_tags(self):
        return {"allow_nan": True, "preserves_dtype": [np.float64]}

    def _options(self) -> FactorAnalysis:
        if not self.use_smc:
            raise ValueError("use_smc=False: only psych's start (squared multiple "
                             "correlations) is available")
        if tuple(float(b) for b in self.bounds) != (0.005, 1.0):
            raise ValueError(f"bounds={self.bounds!r}: only psych's (0.005, 1) is available")
        if self.method == "principal":
            raise ValueError("method='principal' (principal components) is not available; "
                             "use 'minres', 'ml', 'uls', 'pa', 'wls' or 'gls'")
        if isinstance(self.n_factors, bool) or not isinstance(self.n_factors, (int, np.integer)) \
                or self.n_factors < 1:
            raise ValueError(f"n_factors={self.n_factors!r}: a positive integer is needed")
        fa = FactorAnalysis(nfactors=int(self.n_factors), method=self.method,
                            rotation="none" if self.rotation is None else self.rotation)
        if self.starts is not None:
            fa.set("starts", self.starts)
        if self.seed is not None:
            fa.set("seed", self.seed)
        for key, value in (self.rotation_kwargs or {}).items():
            if key == "target":
                fa.set_target(value)
            else:
                fa.set(_ROTATION_KWARGS.get(key, key), value)
        return fa

    def _check_fitted(self):
        if not hasattr(self, "loadings_"):
            raise _NotFitted(f"This {type(self).__name__} instance is not fitted yet; call "
                             "fit(X) first")

    @staticmethod
    def _matrix(X, what) -> Tuple[np.ndarray, Optional[list]]:
        if getattr(getattr(X, "dtype", None), "kind", "f") == "c" or (
                isinstance(X, (list, tuple)) and any(isinstance(v, complex)
                                                     for r in X for v in np.ravel(r))):
            raise ValueError(f"{what}: Complex data not supported")
        if hasattr(X, "toarray") and hasattr(X, "nnz"):
            raise TypeError(f"{what}: sparse input is not supported; pass X.toarray()")
        a, names, _ = data_matrix(X, what=what)
        # scikit-learn's check_array messages
        if a.shape[0] < 1:
            raise ValueError(f"{what}: Found array with 0 sample(s) (shape={a.shape}) while a "
                             "minimum of 1 is required.")
        if a.shape[1] < 1:
            raise ValueError(f"{what}: Found array with 0 feature(s) (shape={a.shape}) while a "
                             "minimum of 1 is required.")
        if np.isinf(a).any():
            raise ValueError(f"{what}: infinite values (NaN is accepted as missing)")
        return a, names

    # ------------------------------------------------------------------ fitting

    def fit(self, X: Any, y: Any = None) -> "FactorAnalyzer":
        """Fits the model to X (rows x variables, NaN = missing; a DataFrame's columns name the
        variables), or to a correlation matrix with is_corr_matrix=True. y is ignored."""
        fa = self._options()
        a, names = self._matrix(X, "fit")
        for attr in ("feature_names_in_",):
            if hasattr(self, attr):
                delattr(self, attr)
        if self.is_corr_matrix:
            data = FactorData.from_cor(a, 0 if self.n_obs is None else float(self.n_obs))
            self.mean_ = self.std_ = None
        else:
            data = FactorData.from_raw(a, missing=self.missing, cor=self.cor)
            self.mean_, self.std_ = data.means, data.sds
        with data, fa:
            res = fa.fit(data)
            with res:
                self.loadings_ = np.asarray(res.loadings)
                oblique = (self.rotation or "none").lower() in _OBLIQUE
                self.phi_ = np.asarray(res.phi) if oblique else None
                self.structure_ = np.asarray(res.structure) if oblique else None
                self.rotation_matrix_ = np.asarray(res.rotation_matrix)
                self.corr_ = np.asarray(data.cor())
                self.weights_ = np.asarray(res.weights("regression"))
                self._communalities = np.asarray(res.communality)
                self._uniquenesses = np.asarray(res.uniquenesses)
                self._eigen = (np.asarray(res.eigenvalues), np.asarray(res.eigenvalues_reduced))
                self._variance = np.asarray(res.variance)
                self.stats_ = res.stats()
        self.n_features_in_ = a.shape[1]
        if names is not None:
            self.feature_names_in_ = np.asarray(names, dtype=object)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Regression (Thurstone) factor scores of the rows of X, standardised with the
        training means and standard deviations (one row works; a row's scores do not depend on
        the other rows). Rows with a missing value get NaN. A DataFrame's columns are matched
        to the fitted variables by name."""
        self._check_fitted()
        if self.mean_ is None:
            raise ValueError("transform: the model was fitted to a correlation matrix "
                             "(is_corr_matrix=True), so there are no training means")
        if is_frame(X) and hasattr(self, "feature_names_in_"):
            wanted = [str(n) for n in self.feature_names_in_]
            absent = [n for n in wanted if n not in [str(c) for c in X.columns]]
            if absent:
                raise KeyError(f"transform: the DataFrame lacks the fitted variables {absent}")
            X = X[list(self.feature_names_in_)]
        a, _ = self._matrix(X, "transform")
        if a.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {a.shape[1]} features, but {type(self).__name__} is "
                             f"expecting {self.n_features_in_} features as input")
        scores = ((a - self.mean_) / self.std_) @ self.weights_
        scores[np.isnan(a).any(axis=1)] = np.nan
        return scores

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output columns: F1..Fk."""
        self._check_fitted()
        return np.asarray([f"F{j + 1}" for j in range(self.loadings_.shape[1])], dtype=object)

    # ------------------------------------------------------------------ results

    def get_communalities(self) -> np.ndarray:
        self._check_fitted()
        return self._communalities.copy()

    def get_uniquenesses(self) -> np.ndarray:
        self._check_fitted()
        return self._uniquenesses.copy()

    def get_eigenvalues(self) -> Tuple[np.ndarray, np.ndarray]:
        """(eigenvalues of the correlation matrix, eigenvalues of the reduced matrix)."""
        self._check_fitted()
        return self._eigen[0].copy(), self._eigen[1].copy()

    def get_factor_variance(self) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(SS loadings, proportion of variance, cumulative proportion), one value per factor."""
        self._check_fitted()
        v = self._variance
        return v[0].copy(), v[1].copy(), v[2].copy()
