import pickle
import re

import pytest

import valuespace as vs
from valuespace import _lib, errors


def test_every_status_has_a_class_and_the_library_name():
    for status in vs.Status:
        if status == vs.Status.OK:
            continue
        err = _lib.status_error(int(status))
        assert isinstance(err, vs.ValueSpaceError)
        assert err.code == status
        assert err.name == vs.status_name(status) == "VS_" + status.name
        assert vs.strerror(status)
    assert vs.status_name(-1000) == "VS_UNKNOWN"
    assert type(errors.make_error(-1000, "x")) is vs.ValueSpaceError


@pytest.mark.parametrize("status,cls,builtin", [
    (vs.Status.EINVAL, vs.InvalidArgument, ValueError),
    (vs.Status.ERANGE, vs.InvalidArgument, IndexError),
    (vs.Status.ENOTFOUND, vs.NotFound, LookupError),
    (vs.Status.EPARSE, vs.ParseError, ValueError),
    (vs.Status.EUTF8, vs.ParseError, ValueError),
    (vs.Status.EIO, vs.IOFailure, OSError),
    (vs.Status.ENOMEM, vs.OutOfMemory, MemoryError),
    (vs.Status.EDUPLICATE, vs.DuplicateError, ValueError),
    (vs.Status.EMISMATCH, vs.MismatchError, ValueError),
    (vs.Status.ELIMIT, vs.LimitError, ValueError),
    (vs.Status.ENUMERIC, vs.NumericError, ArithmeticError),
    (vs.Status.EUNDEFINED, vs.UndefinedError, ValueError),
    (vs.Status.ECALLBACK, vs.CallbackError, RuntimeError),
    (vs.Status.ECANCELED, vs.Cancelled, RuntimeError),
    (vs.Status.ECORRUPT, vs.CorruptError, ValueError),
    (vs.Status.EVERSION, vs.VersionError, ValueError),
    (vs.Status.ECYCLE, vs.CycleError, ValueError),
    (vs.Status.ESTATE, vs.StateError, RuntimeError),
    (vs.Status.EBUFSIZE, vs.BufferSizeError, ValueError),
    (vs.Status.EFAILED, vs.FailedError, RuntimeError),
])
def test_families(status, cls, builtin):
    err = errors.make_error(status, "detail")
    assert isinstance(err, cls) and isinstance(err, builtin) and isinstance(err, vs.ValueSpaceError)
    assert str(err) == f"detail [VS_{status.name}]"
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err) and again.code == err.code and again.message == "detail"


def test_failed_is_not_a_callback_error():
    # VS_EFAILED (items failed: resume later) and VS_ECALLBACK (a callback broke) are told apart
    assert vs.Status.EFAILED == -20 and vs.status_name(-20) == "VS_EFAILED"
    err = errors.make_error(vs.Status.EFAILED, "stopped")
    assert type(err) is vs.FailedError and not isinstance(err, vs.CallbackError)
    assert not isinstance(errors.make_error(vs.Status.ECALLBACK), vs.FailedError)


def test_invalid_json_names_line_and_column():
    text = '{\n  "schema": "valuespace/space",\n  "version": 1,,\n}'
    with pytest.raises(vs.ParseError) as e:
        vs.Space.loads(text, source_name="broken.json")
    err = e.value
    assert err.code == vs.Status.EPARSE and err.name == "VS_EPARSE"
    assert re.search(r"broken\.json:3:\d+", err.message), err.message
    assert err.message == vs.lib.vs_last_error().decode()


def test_default_source_name():
    with pytest.raises(vs.ParseError) as e:
        vs.Space.loads("[1, 2")
    assert re.search(r"<json>:1:\d+", e.value.message), e.value.message


def test_invalid_utf8():
    # (vs_space_builtin now reports an ill-formed name as VS_ENOTFOUND: use a builder)
    with pytest.raises(vs.ParseError) as e:
        vs.SpaceBuilder(b"schwartz\xff10")
    assert e.value.code == vs.Status.EUTF8
    assert isinstance(e.value, vs.Utf8Error)


def test_not_found_and_message():
    with pytest.raises(vs.NotFound) as e:
        vs.Space.builtin("nonexistent-space")
    assert e.value.code == vs.Status.ENOTFOUND
    assert "nonexistent" in e.value.message
    with pytest.raises(vs.NotFound):
        vs.align_target("mars")


def test_out_of_range(schwartz10):
    with pytest.raises(vs.OutOfRange) as e:
        vs.Vector(schwartz10, 7)
    assert isinstance(e.value, vs.InvalidArgument)
    with pytest.raises(vs.NotFound):
        vs.Vector(schwartz10, "no such level")


def test_string_arguments_are_checked():
    with pytest.raises(ValueError, match="NUL"):
        vs.Space.builtin("schwartz\x0010")
    with pytest.raises(TypeError):
        vs.Space.builtin(10)


def test_failed_call_leaves_objects_unchanged(schwartz10):
    v = vs.Vector(schwartz10, 0, range(10))
    before = v.tolist()
    with pytest.raises(vs.MismatchError):
        v.set_values(range(11))
    with pytest.raises(vs.NotFound):
        v["nope"] = 3
    with pytest.raises(vs.OutOfRange):
        v[10] = 3
    assert v.tolist() == before
    text = schwartz10.dumps()
    with pytest.raises(vs.NotFound):
        schwartz10.find("nope")
    assert schwartz10.dumps() == text


def test_error_messages_are_per_thread(schwartz10):
    import threading
    seen = {}

    def worker():
        try:
            vs.Space.builtin("other-thread-space")
        except vs.NotFound as e:
            seen["msg"] = e.message

    with pytest.raises(vs.NotFound) as e:
        schwartz10.find("main-thread-name")
    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert "other-thread-space" in seen["msg"]
    assert "main-thread-name" in e.value.message
    assert "main-thread-name" in vs.lib.vs_last_error().decode()
