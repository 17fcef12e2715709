"""Exit codes are part of the command-line contract."""
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # done (out of scope included)
    PROBLEMS = 1  # lint found problems, or the operation failed
    USAGE = 2  # bad usage or a bad input value
    INVALID_KB = 3  # the knowledge base is invalid
