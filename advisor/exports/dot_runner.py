"""Running Graphviz's `dot` on DOT text we built, bounded in time, CPU and memory.

`graphviz`'s own `.pipe()` has no timeout, so `dot` is run here as `subprocess.run` would run
it: an argument list (never a shell), `SERVER_NAME` in its environment (Graphviz then refuses
to load image files, whatever the DOT says), a wall-clock timeout and CPU/address-space limits.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
from dataclasses import dataclass

TIMEOUT_SECONDS = 5.0
CPU_SECONDS = 5
MEMORY_BYTES = 512 * 1024 * 1024
MAX_SOURCE_BYTES = 256 * 1024
PNG_DPI = "110"  # PNG for documents and slides: sharper than Graphviz's 72 dpi


@dataclass(frozen=True)
class DotOutcome:
    output: bytes = b""
    message: str = ""  # why there is no output; "" on success


def _limit(pid: int) -> None:
    """CPU seconds and address space of the running `dot`, set before it is sent any input.

    Set from outside with prlimit rather than in a preexec_fn: a preexec_fn makes Python fork
    the whole server process instead of spawning, which costs more than `dot` itself in a
    large process (a 300 MB process: about 117 ms against 44 ms for a small graph)."""
    resource.prlimit(pid, resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.prlimit(pid, resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def run_dot(source: str, *, fmt: str, timeout: float | None = None) -> DotOutcome:
    """`dot -T<fmt>` on `source`; a missing Graphviz, a timeout or a failure is a message."""
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    data = source.encode("utf-8")
    if len(data) > MAX_SOURCE_BYTES:
        return DotOutcome(
            message=f"the diagram is too large to draw ({len(data) // 1024} KB of DOT)"
        )
    executable = shutil.which("dot")
    if executable is None:
        return DotOutcome(message="Graphviz (the `dot` program) is not installed here")
    args = [executable, f"-T{fmt}"] + ([f"-Gdpi={PNG_DPI}"] if fmt == "png" else [])
    try:
        output, errors, code = _run(args, data, timeout)
    except subprocess.TimeoutExpired:
        return DotOutcome(message=f"Graphviz took longer than {timeout:g} s and was stopped")
    except OSError as exc:
        return DotOutcome(message=f"Graphviz could not be started ({exc.strerror})")
    if code != 0 or not output:
        return DotOutcome(message=f"Graphviz failed: {_first_line(errors)}")
    return DotOutcome(output=output)


def _run(args: list[str], data: bytes, timeout: float) -> tuple[bytes, bytes, int]:
    """What `subprocess.run(args, input=data, timeout=timeout)` does, with the limits set
    between starting `dot` and sending it the source. An argument list, never a shell."""
    with subprocess.Popen(
        args,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_environment(),
    ) as process:
        try:
            _limit(process.pid)
            output, errors = process.communicate(data, timeout=timeout)
        except BaseException:
            process.kill()
            process.communicate()
            raise
        return output, errors, process.returncode


def _environment() -> dict[str, str]:
    """A small environment: SERVER_NAME makes Graphviz refuse to read image files; HOME and
    the locale let fontconfig use its cache instead of scanning every font on each run."""
    kept = {k: v for k, v in os.environ.items() if k in ("HOME", "LANG", "LC_ALL", "TMPDIR")}
    return {**kept, "PATH": "/usr/local/bin:/usr/bin:/bin", "SERVER_NAME": "architecture-advisor"}


def _first_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[0][:200] if text else "no output and no message"
