"""Where the llama.cpp peer is: a Python with llama-cpp-python 0.3.36 installed. It is kept out of
the pinned fixture venv (pip builds llama.cpp from source for it), so its place is the user's
choice. Used by quantize.py and convert_llama_logits.py.

The peer's interpreter is, the first one given of:
  1. the benchmark's --peer-python argument,
  2. the environment variable LLAMA_CPP_PYTHON,
  3. this repository's .venv/bin/python (only useful if llama-cpp-python was installed there).

To make a peer venv (once, in any folder PEER_VENV):
    python3 -m venv PEER_VENV
    CMAKE_ARGS="-DLLAVA_BUILD=OFF" PEER_VENV/bin/pip install llama-cpp-python==0.3.36
    export LLAMA_CPP_PYTHON=PEER_VENV/bin/python
"""
import os
import subprocess
import sys

VARIABLE = "LLAMA_CPP_PYTHON"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT = os.path.join(ROOT, ".venv", "bin", "python")


def default_python():
    """$LLAMA_CPP_PYTHON, else this repository's .venv/bin/python: the default of --peer-python."""
    return os.environ.get(VARIABLE) or DEFAULT


def checked(python):
    """`python` when it can import llama_cpp; otherwise exits naming it and how to make a peer,
    before any time is spent building benchmark inputs."""
    try:
        found = subprocess.run([python, "-c", "import llama_cpp"], capture_output=True, text=True)
    except OSError as error:
        sys.exit(f"llama.cpp peer: cannot run {python} ({error}); set {VARIABLE} or pass --peer-python "
                 f"(see Tests/Benchmarks/llamacpp_peer.py)")
    if found.returncode != 0:
        sys.exit(f"llama.cpp peer: {python} cannot import llama_cpp; install llama-cpp-python==0.3.36 "
                 f"as Tests/Benchmarks/llamacpp_peer.py says and set {VARIABLE} or pass --peer-python")
    return python
