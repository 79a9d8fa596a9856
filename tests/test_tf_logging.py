"""TensorFlow's C++ log lines stay out of the course's output, on every CPU (oneDNN forced on)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from resizer_lib.tf_logging import is_tensorflow_log_line

# Lines as TensorFlow 2.21 prints them on an Intel Xeon (AVX-512, AMX), before and after absl
# is initialised.
TF_LINES = [
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    "I0000 00:00:1796113781.530372    2704 port.cc:153] oneDNN custom operations are on. You may "
    "see slightly different numerical results due to floating-point round-off errors",
    "I0000 00:00:1796113781.530652    2704 cudart_stub.cc:31] Could not find cuda drivers on your "
    "machine, GPU will not be used.",
    "To enable the following instructions: AVX2 AVX512F AVX512_VNNI FMA, in other operations, "
    "rebuild TensorFlow with the appropriate compiler flags.",
    "E0000 00:00:1796113796.140922    2744 cuda_platform.cc:52] failed call to cuInit: INTERNAL",
    "E1201 08:35:12.497476    2975 meta_optimizer.cc:967] remapper failed: INVALID_ARGUMENT",
    "W0000 00:00:1796113796.140922    2744 some/dir/file_name.cc:7] a warning",
    "WARNING:tensorflow:5 out of the last 11 calls to <function TensorFlowTrainer._make_function.<locals>."
    "multi_step_on_iterator at 0x7f86f41a5b20> triggered tf.function retracing. Tracing is expensive",
]
OWN_LINES = [
    "python -m resizer_lab compare: error: argument --epochs: invalid value 'zero'",
    "E0000 is not a log line without the rest of the prefix",
    "warning: results/x/runs/learned_seed0.json is not valid JSON",
    "",
]


def clean_env(**extra) -> dict:
    """The environment of a new user's shell: no log level chosen, oneDNN forced on."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("TF_CPP_MIN_LOG_LEVEL", "_RESIZER_TF_QUIET")}
    return env | {"TF_ENABLE_ONEDNN_OPTS": "1"} | extra


@pytest.mark.parametrize("line", TF_LINES, ids=lambda s: s[:24])
def test_tensorflow_log_lines_are_recognised(line):
    assert is_tensorflow_log_line(line)


@pytest.mark.parametrize("line", OWN_LINES, ids=lambda s: s[:24] or "empty")
def test_other_lines_are_kept(line):
    assert not is_tensorflow_log_line(line)


FAKE_TF = '''
import os
os.write(2, b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\\n")
os.write(2, b"I0000 00:00:1796113781.530372    2704 port.cc:153] oneDNN custom operations are on.\\n")
os.write(2, b"a real problem printed while importing\\n")
__version__ = "0.0-fake"
'''


def _import_fake_tensorflow(tmp_path, env):
    (tmp_path / "tensorflow").mkdir()
    (tmp_path / "tensorflow" / "__init__.py").write_text(FAKE_TF)
    code = ("from resizer_lib.tf_logging import install; install(); import tensorflow, sys; "
            "print(tensorflow.__version__); print('after', file=sys.stderr)")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env=env | {"PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])})


def test_the_installed_hook_drops_log_lines_written_to_fd_2_and_keeps_the_rest(tmp_path):
    result = _import_fake_tensorflow(tmp_path, clean_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0.0-fake"
    assert result.stderr.splitlines() == ["a real problem printed while importing", "after"]


def test_a_log_level_the_user_set_is_left_alone(tmp_path):
    result = _import_fake_tensorflow(tmp_path, clean_env(TF_CPP_MIN_LOG_LEVEL="0"))
    assert result.returncode == 0, result.stderr
    assert "port.cc:153] oneDNN" in result.stderr


@pytest.mark.slow
def test_real_tensorflow_with_onednn_prints_no_log_line_and_keeps_ours():
    """After ``install()``; importing ``resizer_lib`` alone installs nothing (test_module_map)."""
    code = textwrap.dedent("""
        import os, sys
        from resizer_lib.tf_logging import install
        install()  # what setup(), the command line and the tools do first
        import keras, tensorflow
        keras.ops.convert_to_numpy(keras.ops.ones((2,)) + 1)   # first op: CUDA probe, cuInit
        print("ours on sys.stderr", file=sys.stderr, flush=True)
        os.write(2, b"ours on fd 2\\n")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, env=clean_env(KERAS_BACKEND="tensorflow"))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["ours on sys.stderr", "ours on fd 2"], result.stderr


RETRACE = """
import logging
import sys
import keras
import numpy as np
from resizer_lib.tf_logging import install

def fit_new_models():  # one new model per arm and seed, as a study does
    x, y = np.zeros((8, 4), "float32"), np.zeros((8,), "int32")
    for _ in range(7):
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
        model.compile("sgd", "sparse_categorical_crossentropy")
        model.fit(x, y, epochs=1, verbose=0)

fit_new_models()
print("-- install --", file=sys.stderr, flush=True)
install()
fit_new_models()
logging.getLogger("tensorflow").warning("a real warning")
"""


@pytest.mark.slow
def test_the_retracing_warning_of_new_models_is_dropped_and_other_warnings_kept():
    env = clean_env(KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3", _RESIZER_TF_QUIET="1")
    result = subprocess.run([sys.executable, "-c", RETRACE], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    before, after = result.stderr.split("-- install --")
    assert "triggered tf.function retracing" in before  # TensorFlow does warn: the check bites
    assert "retracing" not in after and "a real warning" in after, after
