"""tf.distribute: the runner builds and fits under MirroredStrategy over two logical CPUs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import keras
import pytest

SCRIPT = textwrap.dedent("""
    import json, sys
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()])
    sys.path.insert(0, "tests")
    from test_runner import tiny_config, tiny_data
    from resizer_lib.training import train_run
    from pathlib import Path
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    record = train_run(tiny_config(Path(sys.argv[1]), run_eagerly=False), "learned", 0, tiny_data(), Path(sys.argv[1]),
                       strategy=strategy)
    model = record.pop("model")
    print(json.dumps({"replicas": strategy.num_replicas_in_sync,
                      "var_strategy": type(model.trainable_variables[0].value).__name__,
                      "epochs": len(record["history"]["loss"]),
                      "final": record["final"]}))
""")


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="tf.distribute needs TensorFlow")
def test_mirrored_strategy_on_two_logical_cpus(tmp_path):
    env = os.environ | {"KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True,
                            text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["replicas"] == 2
    assert out["var_strategy"] == "MirroredVariable"
    assert out["epochs"] == 2 and 0 <= out["final"]["val_accuracy"] <= 1
