"""Helpers that exist for one or two notebooks each: the notebooks' ``setup`` (``notebook``),
CNN arithmetic (``cnn_basics``), a small classifier loop
(``classify``), transfer learning (``transfer``), the resizer's anatomy and cost (``anatomy``)
and pulling a trained resizer out of a classifier (``extract``). The reusable pieces live in
``models``, ``data``, ``training`` and ``viz``."""
