"""repair: recover the JSON a language model meant from the almost-JSON it wrote.

Public names only; see the README for the contract.
"""
from .api import Edit, Engine, RepairResult, loads, repair, repair_llm_output
from .errors import RepairError, RepairValidationError
from .scanner import IMPLEMENTATION
from .stream import StreamRepairer

__version__ = "0.1.0"

__all__ = [
    "repair_llm_output",
    "loads",
    "repair",
    "RepairResult",
    "StreamRepairer",
    "Edit",
    "Engine",
    "RepairError",
    "RepairValidationError",
    "IMPLEMENTATION",
    "__version__",
]
