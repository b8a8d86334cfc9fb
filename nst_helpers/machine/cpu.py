"""What the processor is: its model name and instruction-set flags (Linux ``/proc/cpuinfo``).

The one place that reads ``/proc/cpuinfo``; the precision choice, the gallery's notes and the
benchmark import it. Elsewhere (macOS, Windows) the answers are empty and the callers fall back.
"""

import functools
import os
import platform

#: oneDNN's ``ONEDNN_MAX_CPU_ISA`` values that still allow its bfloat16 kernels. Capped below
#: these (e.g. ``AVX2``, to approximate a laptop CPU on a newer one), bfloat16 convolutions fail
#: ("could not create a primitive descriptor"), so the CPU counts as one without bfloat16.
BF16_ISAS = frozenset({"ALL", "DEFAULT", "AVX512_CORE_BF16", "AVX512_CORE_FP16", "AVX10_1_512",
                       "AVX512_CORE_AMX", "AVX10_1_512_AMX", "AVX512_CORE_AMX_FP16",
                       "AVX10_1_512_AMX_FP16", "AVX10_2_512", "AVX10_2_512_AMX_2"})


@functools.lru_cache(maxsize=1)
def _cpuinfo():
    try:
        with open("/proc/cpuinfo") as f:
            return f.read()
    except OSError:
        return ""


def _field(name):
    for line in _cpuinfo().splitlines():
        key, _, value = line.partition(":")
        if key.strip() == name:
            return value.strip()
    return ""


def model():
    """The CPU's model name, e.g. ``"AMD EPYC"``; ``platform.processor()`` where no cpuinfo exists."""
    return _field("model name") or platform.processor() or platform.machine() or "unknown CPU"


def flags():
    """The set of instruction-set flags, e.g. ``{"avx512f", "avx512_bf16", …}`` (empty if unknown)."""
    return frozenset(_field("flags").split())


def field(name):
    """One ``/proc/cpuinfo`` field of the first processor (``"vendor_id"``, ``"cpu family"``,
    ``"cpu MHz"``, …), or ``""``."""
    return _field(name)


def isa_cap():
    """oneDNN's instruction-set cap (``ONEDNN_MAX_CPU_ISA``, upper case), or ``""`` when unset."""
    return os.environ.get("ONEDNN_MAX_CPU_ISA", "").strip().upper()


def has_native_bf16():
    """True when the CPU has bfloat16 dot-product instructions (AVX512-BF16 or AMX-BF16) and
    oneDNN may use them (no :func:`isa_cap` below them)."""
    cap = isa_cap()
    return bool({"avx512_bf16", "amx_bf16"} & flags()) and (not cap or cap in BF16_ISAS)


def slug():
    """A file-name-safe name for this CPU kind: model plus its bf16/AMX capability, e.g.
    ``"amd-epyc-avx512bf16"``; the benchmark keeps one results folder per slug."""
    import re

    name = re.sub(r"[^a-z0-9]+", "-", model().lower()).strip("-") or "unknown-cpu"
    extra = [tag for flag, tag in (("avx512_bf16", "avx512bf16"), ("amx_bf16", "amx"))
             if flag in flags()]
    return "-".join([name, *extra])
