"""What the machine can do: its CPU, and whether low precision is native.

A speed figure holds for the machine it was measured on, so the benchmark
prints :func:`machine_summary` above every table; and bfloat16 / float16
autocast on a CPU without native support is emulated, several times slower
than float32 (UniFormer-S bf16 forward was 8x slower than fp32 on an AVX2
AMD EPYC), which :func:`low_precision_support` tells before anyone turns it
on.
"""
import os
import platform
from typing import Tuple

import torch

#: CPU features that make each autocast dtype native (torch's own probes).
_NATIVE_CPU_FEATURES = {
    torch.bfloat16: (('AVX512-BF16', '_is_avx512_bf16_supported'),
                     ('AMX', '_is_amx_tile_supported')),
    torch.float16: (('AMX-FP16', '_is_amx_fp16_supported'), ),
}


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo``; else ``platform``)."""
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or 'unknown CPU'


def cpu_capability() -> str:
    """torch's SIMD level for this CPU (``'AVX2'``, ``'AVX512'``, ...)."""
    return torch.backends.cpu.get_cpu_capability()


def cpu_features() -> Tuple[str, ...]:
    """The low-precision CPU features torch detects (names as in
    :data:`_NATIVE_CPU_FEATURES`)."""
    found = []
    for features in _NATIVE_CPU_FEATURES.values():
        for name, probe in features:
            check = getattr(torch.cpu, probe, None)
            if check is not None and check() and name not in found:
                found.append(name)
    return tuple(found)


def low_precision_support(dtype: torch.dtype,
                          device: str = 'cpu') -> Tuple[bool, str]:
    """Whether autocast to ``dtype`` runs natively on ``device``.

    Returns:
        ``(native, reason)``: on CUDA, float16 is native and bfloat16 where
        the GPU supports it; on CPU, a dtype is native when the CPU has one
        of its features (bfloat16: AVX512-BF16 or AMX; float16: AMX-FP16),
        else emulated. ``reason`` says which, naming the CPU.
    """
    if device == 'cuda':
        native = dtype == torch.float16 or torch.cuda.is_bf16_supported()
        return native, f'{torch.cuda.get_device_name()} ' + (
            f'runs {dtype} natively' if native else f'has no native {dtype}')
    needed = [name for name, _ in _NATIVE_CPU_FEATURES.get(dtype, ())]
    found = cpu_features()
    have = [name for name in needed if name in found]
    where = f'{cpu_model()} (capability {cpu_capability()})'
    if have:
        return True, f'{where} has {"/".join(have)}: {dtype} is native'
    return False, (
        f'{where} has no {" or ".join(needed) or "native support"}: '
        f'{dtype} autocast is emulated there, several times slower than '
        'float32 (UniFormer-S bf16 forward: 8x slower on an AVX2 CPU)')


def machine_summary() -> str:
    """One line naming the machine a measurement comes from: CPU model,
    cores, torch's capability and low-precision features; the GPU if any."""
    features = ', '.join(cpu_features()) or 'no native bf16/fp16'
    line = (f'CPU: {cpu_model()}, {os.cpu_count()} cores, capability '
            f'{cpu_capability()} ({features}); torch {torch.__version__}')
    if torch.cuda.is_available():
        line += f'; GPU: {torch.cuda.get_device_name()}'
    return line
