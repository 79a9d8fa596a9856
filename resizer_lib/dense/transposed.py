"""Transposed convolution by hand in NumPy, in its two equivalent views, and the checkerboard.

A strided convolution maps a large image to a small one; a **transposed convolution** maps
back the other way, with the same kind of kernel, and is how many decoders upsample. Two
views of the same operation (for one image ``x (n, n, C_in)``, a kernel ``k x k``, stride
``s``):

* **scatter**: every input pixel ``(i, j)`` adds a copy of the kernel, weighted by its value,
  into the output at ``(i s, j s)``; copies overlap where ``k > s``;
* **zeros inserted, then convolved**: put ``s - 1`` zeros between neighbouring input pixels,
  pad ``k - 1`` zeros around, and run an ordinary stride-1 convolution with the kernel
  flipped in both directions.

Both give the "full" output of side ``(n - 1) s + k``; a padding mode then keeps a window of
it. Kernels use Keras' ``Conv2DTranspose`` layout ``(k, k, C_out, C_in)``, so
``layer.get_weights()`` can be passed straight in.

The **checkerboard**: with ``k = 3, s = 2`` the copies overlap on every other row and column
only, so even a constant input and constant kernel give an output that alternates (1, 2 and 4
overlaps). Upsampling first (nearest or bilinear) and then convolving with stride 1 spreads
every input evenly and has no such pattern (Odena, Dumoulin & Olah, Distill 2016).
"""

from __future__ import annotations

import numpy as np

from resizer_lib._checks import check_int

__all__ = [
    "conv_transpose_scatter",
    "conv_transpose_zero_insertion",
    "insert_zeros",
    "overlap_count",
    "transposed_output_size",
    "upsample_then_conv",
]

PADDINGS = ("valid", "same")


def _check_padding(padding: str) -> str:
    if padding not in PADDINGS:
        raise ValueError(f"padding must be one of {list(PADDINGS)}; got {padding!r}")
    return padding


def transposed_output_size(size: int, kernel_size: int, stride: int, padding: str = "valid",
                           output_padding: int | None = None) -> int:
    """The output side of a transposed convolution, as ``keras.layers.Conv2DTranspose`` has it.

    Without ``output_padding``: ``"same"`` gives ``n s``; ``"valid"`` gives
    ``(n - 1) s + k`` when ``k >= s`` (the full output) and ``n s`` when ``k < s`` (the
    full output plus ``s - k`` zeros, the size a stride-``s`` "valid" convolution of ``n s``
    pixels shrinks to ``n``). With ``output_padding = p`` it is the textbook
    ``(n - 1) s + k - 2 q + p``, with ``q = k // 2`` for ``"same"`` and 0 for ``"valid"``;
    ``p`` must be smaller than ``s``.
    """
    n, k = check_int(size, "size"), check_int(kernel_size, "kernel_size")
    s = check_int(stride, "stride")
    _check_padding(padding)
    if output_padding is None:
        return n * s if padding == "same" else n * s + max(k - s, 0)
    p = check_int(output_padding, "output_padding", minimum=0)
    if p >= s:
        raise ValueError(f"output_padding must be smaller than the stride ({s}); got {p}")
    q = k // 2 if padding == "same" else 0
    return (n - 1) * s + k - 2 * q + p


def _check(x: object, kernel: object, layout: str) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.asarray(x, dtype=np.float64), np.asarray(kernel, dtype=np.float64)
    channels = w.shape[3] if layout == "transpose" else w.shape[2] if w.ndim == 4 else None
    if x.ndim != 3 or w.ndim != 4 or w.shape[0] != w.shape[1] or x.shape[2] != channels:
        want = "(k, k, C_out, C_in)" if layout == "transpose" else "(k, k, C_in, C_out)"
        raise ValueError(f"need an image (H, W, C_in) and a square kernel {want} with the same "
                         f"C_in; got shapes {x.shape} and {w.shape}")
    return x, w


def _crop(full: np.ndarray, n: tuple[int, int], k: int, s: int, padding: str,
          output_padding: int | None) -> np.ndarray:
    """The window of the full output that ``padding`` keeps (zeros past its end)."""
    sizes = [transposed_output_size(side, k, s, padding, output_padding) for side in n]
    out = np.zeros((*sizes, full.shape[2]))
    starts = [max((side - 1) * s + k - size, 0) // 2 if padding == "same" else 0
              for side, size in zip(n, sizes, strict=True)]
    window = full[starts[0]:starts[0] + sizes[0], starts[1]:starts[1] + sizes[1]]
    out[:window.shape[0], :window.shape[1]] = window
    return out


def conv_transpose_scatter(x: object, kernel: object, stride: int, padding: str = "valid",
                           bias: object | None = None, output_padding: int | None = None) -> np.ndarray:
    """Transposed convolution as scatter-add: ``(H, W, C_in) -> (H', W', C_out)``.

    ``kernel (k, k, C_out, C_in)`` (``Conv2DTranspose``' layout), ``bias (C_out,)``; sizes
    from ``transposed_output_size``.
    """
    x, w = _check(x, kernel, "transpose")
    s, k = check_int(stride, "stride"), w.shape[0]
    h, wd = x.shape[:2]
    full = np.zeros(((h - 1) * s + k, (wd - 1) * s + k, w.shape[2]))
    copies = np.einsum("ijc,aboc->ijabo", x, w)  # the kernel weighted by every input pixel
    for a in range(k):
        for b in range(k):  # offset (a, b) inside each copy lands on a stride-s grid
            full[a:a + (h - 1) * s + 1:s, b:b + (wd - 1) * s + 1:s] += copies[:, :, a, b]
    out = _crop(full, (h, wd), k, s, _check_padding(padding), output_padding)
    return out if bias is None else out + np.asarray(bias, dtype=np.float64)


def insert_zeros(x: object, stride: int) -> np.ndarray:
    """``(H, W, C) -> ((H - 1) s + 1, (W - 1) s + 1, C)``: ``s - 1`` zeros between pixels."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(f"need an image (H, W, C); got shape {x.shape}")
    s = check_int(stride, "stride")
    h, w = x.shape[:2]
    out = np.zeros(((h - 1) * s + 1, (w - 1) * s + 1, x.shape[2]))
    out[::s, ::s] = x
    return out


def _correlate(padded: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Stride-1 "valid" correlation: ``(H, W, C_in)`` with ``(k, k, C_in, C_out)``."""
    k = w.shape[0]
    windows = np.lib.stride_tricks.sliding_window_view(padded, (k, k), axis=(0, 1))
    return np.einsum("pqcab,abco->pqo", windows, w)  # windows: (H', W', C_in, k, k)


def conv_transpose_zero_insertion(x: object, kernel: object, stride: int, padding: str = "valid",
                                  bias: object | None = None,
                                  output_padding: int | None = None) -> np.ndarray:
    """The same transposed convolution as ``conv_transpose_scatter``, computed the other way:
    zeros inserted, ``k - 1`` zeros of padding, then a stride-1 convolution with the flipped
    kernel. ``(H, W, C_in) -> (H', W', C_out)``; ``kernel (k, k, C_out, C_in)``."""
    x, w = _check(x, kernel, "transpose")
    s, k = check_int(stride, "stride"), w.shape[0]
    spread = insert_zeros(x, s)
    padded = np.pad(spread, ((k - 1, k - 1), (k - 1, k - 1), (0, 0)))
    flipped = w[::-1, ::-1].transpose(0, 1, 3, 2)  # (k, k, C_in, C_out), rotated 180 degrees
    full = _correlate(padded, flipped)
    out = _crop(full, x.shape[:2], k, s, _check_padding(padding), output_padding)
    return out if bias is None else out + np.asarray(bias, dtype=np.float64)


def overlap_count(size: int, kernel_size: int, stride: int, padding: str = "same") -> np.ndarray:
    """How many kernel copies land on each output pixel: ``int (H', W')``.

    The transposed convolution of an all-ones ``size x size`` image with an all-ones kernel;
    uneven counts are the checkerboard.
    """
    n, k = check_int(size, "size"), check_int(kernel_size, "kernel_size")
    ones = conv_transpose_scatter(np.ones((n, n, 1)), np.ones((k, k, 1, 1)), stride, padding)
    return np.rint(ones[..., 0]).astype(np.int64)


def upsample_then_conv(x: object, kernel: object, factor: int) -> np.ndarray:
    """The checkerboard-free alternative: nearest-neighbour upsampling by ``factor``, then a
    stride-1 "same" convolution. ``(H, W, C_in) -> (H f, W f, C_out)``; ``kernel
    (k, k, C_in, C_out)`` (``Conv2D``' layout, as ``UpSampling2D`` then ``Conv2D``)."""
    x, w = _check(x, kernel, "conv")
    f, k = check_int(factor, "factor"), w.shape[0]
    up = np.repeat(np.repeat(x, f, axis=0), f, axis=1)
    before = (k - 1) // 2
    padded = np.pad(up, ((before, k - 1 - before), (before, k - 1 - before), (0, 0)))
    return _correlate(padded, w)
