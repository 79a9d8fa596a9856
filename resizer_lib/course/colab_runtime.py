"""The Colab runtime this course was tested on (generated from tools/colab/colab-2026-08-19.txt by
tools/colab/refresh_pins.py; do not edit). ``setup()`` reports it in Colab."""

DATE = "2026-08-19"
RUNTIME = "Colab's default runtime on 2026-08-19"
PYTHON = "3.13.15"
VERSIONS = {
    "h5py": "3.16.0",
    "ipykernel": "6.17.1",
    "ipython": "7.34.0",
    "ipywidgets": "7.7.1",
    "jax": "0.7.2",
    "jupyter_client": "7.4.9",
    "jupyterlab_widgets": "3.0.16",
    "keras": "3.13.2",
    "matplotlib": "3.10.0",
    "numpy": "2.1.3",
    "pillow": "11.3.0",
    "protobuf": "5.29.6",
    "scikit-image": "0.25.2",
    "scipy": "1.16.3",
    "tensorflow": "2.20.0",
    "tensorflow-datasets": "4.9.10",
    "tf_keras": "2.20.1",
    "traitlets": "5.7.1",
    "widgetsnbextension": "3.6.10",
}
