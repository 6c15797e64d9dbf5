"""The prototype table covers the whole library: every exported vs_* function has an entry,
every entry is exported, and each entry agrees with the C declaration in the headers."""

import ctypes
import os
import re
import shutil

import pytest

from valuespace import _lib

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
INCLUDE = os.path.join(ROOT, "include")


@pytest.fixture(scope="module")
def exported():
    if shutil.which("nm") is None:
        pytest.fail("nm (binutils) is needed for the completeness test")
    names = _lib.exported_symbols()
    assert names, f"nm found no vs_* symbols in {_lib.LIBRARY_PATH}"
    return names


def test_library_path_is_the_loaded_file():
    assert os.path.exists(_lib.LIBRARY_PATH), _lib.LIBRARY_PATH
    if os.environ.get("VALUESPACE_LIBRARY"):
        assert os.path.realpath(_lib.LIBRARY_PATH) == \
            os.path.realpath(os.environ["VALUESPACE_LIBRARY"])


def test_every_export_has_a_prototype(exported):
    unbound = sorted(exported - set(_lib.PROTOTYPES))
    assert not unbound, ("exported by the library but missing from the prototype table in "
                         "valuespace/_lib.py: " + ", ".join(unbound))


def test_every_prototype_is_exported(exported):
    stale = sorted(set(_lib.PROTOTYPES) - exported)
    assert not stale, "in the prototype table but not exported: " + ", ".join(stale)
    assert _lib.MISSING == []


def test_every_entry_is_declared():
    for name, (argtypes, (restype, errcheck)) in _lib.PROTOTYPES.items():
        func = getattr(_lib.lib, name)
        func = getattr(func, "__wrapped__", func)
        assert isinstance(argtypes, list), name
        if restype is ctypes.c_int:
            # an int result is a vs_status (errcheck raises) unless the entry says explicitly
            # that it is a plain value (a flag or a kind: _lib.INT)
            assert errcheck in (_lib._check_status, _lib._plain_int), \
                f"{name} returns a status without errcheck"
        if not _lib.MISSING:
            assert func.argtypes == tuple(argtypes) or list(func.argtypes) == argtypes, name
            assert func.restype is restype, name


# ---------------------------------------------------------------- against the headers

_SCALARS = {
    "int": ctypes.c_int, "size_t": ctypes.c_size_t, "double": ctypes.c_double,
    "uint32_t": ctypes.c_uint32, "int32_t": ctypes.c_int32, "int64_t": ctypes.c_int64, "uint64_t": ctypes.c_uint64,
    "uint8_t": ctypes.c_uint8, "unsigned": ctypes.c_uint, "void": None,
}


def _declarations():
    decl = re.compile(r"VS_API\s+([^;(]*?)\b(vs_\w+)\s*\(([^;]*?)\)\s*;", re.S)
    found = {}
    for dirpath, _, files in os.walk(INCLUDE):
        for f in files:
            if not f.endswith(".h"):
                continue
            text = open(os.path.join(dirpath, f), encoding="utf-8").read()
            text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
            text = re.sub(r"#define[^\n]*", " ", text)
            text = re.sub(r"VS_DEPRECATED\([^)]*\)", " ", text)
            for m in decl.finditer(text):
                ret = " ".join(m.group(1).split())
                params = [" ".join(p.split()) for p in m.group(3).split(",")]
                if params == ["void"]:
                    params = []
                found[m.group(2)] = (ret, params)
    return found


def _param_type(param):
    """The C type of a parameter declaration (its name removed)."""
    m = re.match(r"(.*?)(\w+)$", param)
    if m and m.group(1).strip() and not m.group(1).strip().endswith("const"):
        return " ".join(m.group(1).replace("*", " * ").split())
    return " ".join(param.replace("*", " * ").split())


def _compatible(ctype_str, pytype):
    c = ctype_str.replace("const ", "").strip()
    if "*" not in c:
        if isinstance(pytype, type) and issubclass(pytype, ctypes._CFuncPtr):
            return pytype.__name__ == c  # a function pointer typedef: a CFUNCTYPE of that name
        return _SCALARS.get(c, "unknown") is pytype
    if c == "char *":
        return pytype in (_lib.Utf8, ctypes.c_char_p)
    if c in ("void *",):
        return pytype is ctypes.c_void_p or issubclass(pytype, ctypes._Pointer)
    # A pointer to T must be a ctypes POINTER (or an array-compatible pointer type).
    if not (isinstance(pytype, type) and (issubclass(pytype, ctypes._Pointer))):
        return False
    base = c[:-1].strip()
    inner = pytype._type_
    if base == "char *":  # char ** out, or an array of strings (const char *const *)
        return issubclass(inner, (ctypes.c_void_p, ctypes.c_char_p))
    if base.endswith("*"):  # T ** out: POINTER(POINTER(T)) or POINTER(c_void_p) for void **
        return issubclass(inner, (ctypes._Pointer, ctypes.c_void_p))
    if base in _SCALARS:
        return inner is _SCALARS[base]
    if base == "unsigned char":
        return inner is ctypes.c_ubyte
    return inner.__name__ == base  # opaque handles and structs are named like the C type


@pytest.mark.skipif(not os.path.isdir(INCLUDE), reason="headers not found (installed library)")
def test_table_matches_header_declarations():
    decls = _declarations()
    assert decls, "no VS_API declarations found in " + INCLUDE
    problems = []
    for name, (ret, params) in sorted(decls.items()):
        if name not in _lib.PROTOTYPES:
            problems.append(f"{name}: declared in the headers, not in the prototype table")
            continue
        argtypes, (restype, _) = _lib.PROTOTYPES[name]
        if len(argtypes) != len(params):
            problems.append(f"{name}: {len(params)} parameters in C, {len(argtypes)} in the table")
            continue
        for i, (p, t) in enumerate(zip(params, argtypes)):
            if not _compatible(_param_type(p), t):
                problems.append(f"{name}: parameter {i} is '{p}' in C, {t} in the table")
        r = " ".join(ret.replace("*", " * ").split())
        ok = {"int": ctypes.c_int, "void": None, "size_t": ctypes.c_size_t,
              "double": ctypes.c_double, "uint32_t": ctypes.c_uint32,
              "uint64_t": ctypes.c_uint64, "const char *": ctypes.c_char_p}.get(r, "pointer")
        if ok == "pointer":
            if not (isinstance(restype, type) and issubclass(restype, (ctypes._Pointer,
                                                                      ctypes.c_void_p))):
                problems.append(f"{name}: returns '{ret}' in C, {restype} in the table")
        elif restype is not ok:
            problems.append(f"{name}: returns '{ret}' in C, {restype} in the table")
    for name in sorted(set(_lib.PROTOTYPES) - set(decls)):
        problems.append(f"{name}: in the prototype table but declared in no public header")
    assert not problems, "\n".join(problems)
