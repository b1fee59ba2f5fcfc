"""A batch of asks answers each ask with its own outcome, errors included."""

import pickle
import threading

from actors.runtime.shard import portable_error


class _Unpicklable(Exception):
    def __init__(self) -> None:
        super().__init__("holds a lock")
        self.lock = threading.Lock()


def test_an_error_that_pickles_travels_as_itself():
    error = LookupError("no entity kind 'x'")
    assert portable_error(error) is error


def test_an_error_that_cannot_pickle_becomes_a_runtime_error_naming_it():
    error = _Unpicklable()
    try:
        pickle.dumps(error)
        raise AssertionError("the test error should not pickle")
    except TypeError:
        pass
    portable = portable_error(error)
    assert isinstance(portable, RuntimeError)
    assert "_Unpicklable" in str(portable) and "holds a lock" in str(portable)
    pickle.loads(pickle.dumps(portable))
