# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · Classic architectures, from LeNet-5 to EfficientNet
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/03_architectures.ipynb)
# · source: [`03_architectures.py`](03_architectures.py) (the `.ipynb` is generated from it with jupytext)
#
# The learnable resizer sits in front of a backbone. This lesson tours the backbones: the one
# idea each classic network added, checked on a built model.
#
# **What you will learn here**
# * what one convolutional layer costs in parameters, memory and compute;
# * residual units, and a ResNet-34 whose size matches the published one;
# * LeNet-5, AlexNet, VGG, GoogLeNet, Xception and SENet: the one idea each added;
# * DenseNet, MobileNetV2 and EfficientNet, the backbones this course puts the resizer in front of.

# %% [markdown]
# ## Setup
# In Colab this cell installs the course library, release 0.1.0 (git tag `v0.1.0`,
# the release this notebook belongs to; set `RESIZER_INSTALL` to a wheel file, a fork or another
# tag to install that instead). pip keeps Colab's own TensorFlow and Keras when they already
# meet the course's bounds (`keras>=3.13` and `tensorflow>=2.18`). Locally, `make lab` has installed everything.
# `setup()` checks every package the course needs, seeds everything and prints the profile
# (`RESIZER_PROFILE`: `smoke`, `quick`, `colab` or `full`) and the device.

# %%
import os
import sys

if "google.colab" in sys.modules:  # Colab: install the course library, pinned to its release
    import subprocess

    INSTALL = os.environ.get("RESIZER_INSTALL", "resizer_lib @ git+https://github.com/learning-to-resize/learning-to-resize@v0.1.0")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", INSTALL], check=True)

from resizer_lib.course.notebook import setup

PROFILE = setup()

# %% [markdown]
# ## 1. What a layer costs
# Take a convolutional layer with 200 filters of $5 \times 5$, stride 1, `"same"` padding, on a
# $150 \times 100$ RGB image:
#
# * **parameters**: $(5 \cdot 5 \cdot 3 + 1) \cdot 200 = 15{,}200$, tiny next to a dense
#   layer's $10^{11}$;
# * **memory**: the output has $150 \cdot 100 \cdot 200 = 3$ million numbers. That is 12 MB in
#   float32 *per image*, 1.2 GB for a batch of 100;
# * **compute**: each output takes $5 \cdot 5 \cdot 3 = 75$ multiply-adds: 225 million per image.
#
# During inference a layer's memory is freed once the next layer has run. During training every
# output must be kept for back-propagation, so the memory of all layers adds up. That is why batch
# size and image size, this course's theme, decide whether training fits.

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np

from resizer_lib.course.cnn_basics import conv_layer_cost
from resizer_lib.data.sample_images import load_sample
from resizer_lib.viz import show_table

cost = conv_layer_cost((150, 100, 3), filters=200, kernel_size=5, padding="same")
show_table([cost.as_row()])
layer = keras.layers.Conv2D(200, 5, padding="same")
out = keras.ops.convert_to_numpy(layer(np.zeros((1, 150, 100, 3), np.float32)))
assert cost.params == layer.count_params()
assert out[0].nbytes == cost.bytes_per_image
print(f"a batch of 100 images: {100 * cost.bytes_per_image / 1e9:.1f} GB for this layer's output")

# %% [markdown]
# ## 2. Residual learning and ResNet-34
# In principle, more layers should never hurt: extra layers could learn the identity. In
# practice, plain networks beyond about 20 layers train *worse*. ResNet's fix (He et al., 2016)
# lets a block learn only a correction $F(x)$ to its input, and adds the input back:
#
# $$ y = \mathrm{ReLU}\big(F(x) + x\big). $$
#
# If the identity is what is needed, $F$ just has to go to zero, which is easy. The gradient
# reaches the block's input through the `+ x` path, however deep the network. The ReLU after the
# sum still zeroes it where the sum is negative. Pre-activation ResNets move that ReLU into $F$.
# When a unit changes the shape (stride 2, more filters), the skip cannot be the identity. A
# $1 \times 1$ convolution with the same stride then *projects* $x$ to the new shape. Each
# convolution feeds a batch norm, which adds its own shift, so it needs no bias (lesson 07).

# %%
from keras import layers


def residual_unit(x, filters, strides=1, name="unit"):
    """A ResNet basic unit: (B, H, W, C) -> (B, ceil(H / s), ceil(W / s), filters)."""
    def conv_bn(t, kernel, s, suffix):
        t = layers.Conv2D(filters, kernel, s, padding="same", use_bias=False, name=f"{name}_{suffix}")(t)
        return layers.BatchNormalization(name=f"{name}_{suffix}_bn")(t)

    y = conv_bn(layers.ReLU(name=f"{name}_relu")(conv_bn(x, 3, strides, "conv1")), 3, 1, "conv2")
    skip = x if strides == 1 and x.shape[-1] == filters else conv_bn(x, 1, strides, "proj")
    return layers.ReLU(name=f"{name}_out")(layers.Add(name=f"{name}_add")([y, skip]))


def trainable_count(m):
    return sum(int(np.prod(w.shape)) for w in m.trainable_weights)


x_in = keras.Input((56, 56, 64))
identity_unit = keras.Model(x_in, residual_unit(x_in, 64, name="identity"))
projection_unit = keras.Model(x_in, residual_unit(x_in, 128, strides=2, name="projection"))
for unit in (identity_unit, projection_unit):
    print(f"{unit.layers[-1].name:>16}: {x_in.shape} -> {unit.output.shape}, "
          f"{trainable_count(unit):,} trainable parameters")
# two 3x3 convs (no bias) + two batch norms (a scale and a shift per channel)
assert trainable_count(identity_unit) == 2 * (9 * 64 * 64) + 2 * (2 * 64)
# the projection adds a 1x1 conv and its batch norm
assert trainable_count(projection_unit) == (
    9 * 64 * 128 + 9 * 128 * 128 + 2 * (2 * 128) + 64 * 128 + 2 * 128)

# %% [markdown]
# ResNet-34 stacks a $7 \times 7$ stride-2 convolution and a max-pool (the "stem"), then 3, 4, 6
# and 3 residual units of 64, 128, 256 and 512 filters, global average pooling and a dense layer:
# $16 \times 2 + 1 + 1 = 34$ weight layers. Its published size, for example torchvision's
# `resnet34`, is **21,797,672** parameters for 1000 classes. Keras also counts each batch norm's
# running mean and variance. They are not trained, so Keras lists them as non-trainable. The
# first unit of each later stage halves the size and projects its skip.

# %%
def build_resnet34(input_shape=(224, 224, 3), num_classes=1000):
    """ResNet-34 (He et al., 2016): (B, H, W, 3) -> (B, num_classes) class probabilities."""
    inputs = keras.Input(input_shape, name="image")
    x = layers.Conv2D(64, 7, strides=2, padding="same", use_bias=False, name="stem_conv")(inputs)
    x = layers.ReLU(name="stem_relu")(layers.BatchNormalization(name="stem_bn")(x))
    x = layers.MaxPooling2D(3, strides=2, padding="same", name="stem_pool")(x)
    for stage, (filters, units) in enumerate([(64, 3), (128, 4), (256, 6), (512, 3)], start=1):
        for unit in range(units):
            x = residual_unit(x, filters, 2 if unit == 0 and stage > 1 else 1, name=f"s{stage}u{unit + 1}")
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax", name="predictions")(x))


resnet34 = build_resnet34(input_shape=(224, 224, 3), num_classes=1000)
trainable = trainable_count(resnet34)
print(f"ResNet-34: {trainable:,} trainable + {resnet34.count_params() - trainable:,} "
      f"non-trainable = {resnet34.count_params():,}")
assert trainable == 21_797_672  # torchvision's resnet34
weight_layers = [lay for lay in resnet34.layers
                 if isinstance(lay, (keras.layers.Conv2D, keras.layers.Dense))
                 and not lay.name.endswith("_proj")]
assert len(weight_layers) == 34

stage_ends = ["stem_pool", "s1u3_out", "s2u4_out", "s3u6_out", "s4u3_out", "gap"]
show_table([{"after": n, "output shape": str(resnet34.get_layer(n).output.shape)}
            for n in stage_ends]);

# %% [markdown]
# ## 3. A short tour of classic architectures
# Each network below is remembered for one idea that everyone has used since.
#
# | network | year | the idea it added |
# |---|---|---|
# | LeNet-5 | 1998 | convolution + subsampling stacks, trained end to end, for digits |
# | AlexNet | 2012 | much bigger, on GPUs; ReLU, dropout and data augmentation; convolutions stacked directly on each other |
# | VGG | 2014 | depth from small kernels only: stacks of 3 × 3 convolutions and 2 × 2 max-pools |
# | GoogLeNet | 2014 | the inception module: parallel 1 × 1, 3 × 3, 5 × 5 and pooling branches, with 1 × 1 "bottleneck" convolutions that make it cheap |
# | ResNet | 2015 | skip connections: learn a residual $F(x)$ and add $x$ back (section 2) |
# | Xception | 2016 | depth-wise separable convolutions: spatial patterns per channel, then 1 × 1 across channels |
# | DenseNet | 2017 | dense connectivity: every layer of a block reads the concatenated outputs of all earlier ones |
# | SENet | 2017 | squeeze-and-excitation: reweight the channels of a block by what the whole image contains |
# | MobileNetV2 | 2018 | inverted residuals: expand, filter depth-wise, project back to a thin, linear bottleneck |
# | EfficientNet | 2019 | MBConv blocks (inverted residual + SE) and compound scaling of depth, width and resolution |
#
# **LeNet-5**, in today's layers (tanh, average pooling), on $32 \times 32$ grey digits. The
# original's pooling layers had a trainable scale; we keep it simple.

# %%
lenet = keras.Sequential([
    keras.Input((32, 32, 1)),
    keras.layers.Conv2D(6, 5, activation="tanh", name="C1"),
    keras.layers.AveragePooling2D(2, name="S2"),
    keras.layers.Conv2D(16, 5, activation="tanh", name="C3"),
    keras.layers.AveragePooling2D(2, name="S4"),
    keras.layers.Conv2D(120, 5, activation="tanh", name="C5"),
    keras.layers.Flatten(),
    keras.layers.Dense(84, activation="tanh", name="F6"),
    keras.layers.Dense(10, activation="softmax", name="output"),
], name="lenet5")
print(f"LeNet-5: {lenet.count_params():,} parameters")

# %% [markdown]
# **AlexNet**'s first layer: 96 filters of $11 \times 11$ with stride 4 on $227 \times 227$
# images. A big stride and a big kernel shrink the image fast while it has only 3 channels. Later
# layers use small kernels on many channels.

# %%
alex1 = conv_layer_cost((227, 227, 3), filters=96, kernel_size=11, strides=4, padding="valid")
show_table([alex1.as_row()])

# %% [markdown]
# **VGG** (Simonyan & Zisserman, 2014) went the other way. It uses nothing but $3 \times 3$
# convolutions and $2 \times 2$ max-pools, in five stages, then three dense layers. Two stacked
# $3 \times 3$ convolutions see a $5 \times 5$ window with $2 \cdot 9 C^2$ weights instead of
# $25 C^2$. Its size by hand, against `keras.applications.VGG16` built without weights:

# %%
vgg16_stages = [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)]  # (convolutions, filters)
vgg_convs, c_in = 0, 3
for n_convs, width in vgg16_stages:
    for _ in range(n_convs):
        vgg_convs += 9 * c_in * width + width  # 3x3 kernel + bias
        c_in = width
vgg_dense = (7 * 7 * 512 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * 1000 + 1000)  # at 224 px
vgg16 = keras.applications.VGG16(weights=None, include_top=False, input_shape=(64, 64, 3))
print(f"VGG-16: convolutions {vgg_convs:,} (Keras: {vgg16.count_params():,}), dense layers "
      f"{vgg_dense:,}, in all {vgg_convs + vgg_dense:,}")
assert vgg16.count_params() == vgg_convs
first_dense_share = (7 * 7 * 512 * 4096 + 4096) / (vgg_convs + vgg_dense)
print(f"the first dense layer alone: {first_dense_share:.0%} of all weights")

# %% [markdown]
# Three quarters of VGG-16's weights sit in its first dense layer. Later networks use global
# average pooling (lesson 02) instead.
#
# **GoogLeNet**'s inception module runs four branches in parallel and concatenates them. Its
# $1 \times 1$ "reduce" layers cut the channels before the expensive $3 \times 3$ and
# $5 \times 5$ convolutions. Module "3a" on a $28 \times 28 \times 192$ input gives 256 channels.
# Without the reduce layers it would need more than twice the parameters:

# %%
def inception_module(x, c1, c3_reduce, c3, c5_reduce, c5, pool_proj, name="inception"):
    """Four branches, concatenated: 1x1; 1x1 then 3x3; 1x1 then 5x5; 3x3 max-pool then 1x1."""
    def conv(t, filters, k, suffix):
        return keras.layers.Conv2D(filters, k, padding="same", activation="relu",
                                   name=f"{name}_{suffix}")(t)

    b1 = conv(x, c1, 1, "1x1")
    b3 = conv(conv(x, c3_reduce, 1, "3x3_reduce"), c3, 3, "3x3")
    b5 = conv(conv(x, c5_reduce, 1, "5x5_reduce"), c5, 5, "5x5")
    bp = keras.layers.MaxPooling2D(3, strides=1, padding="same", name=f"{name}_pool")(x)
    return keras.layers.Concatenate(name=f"{name}_concat")([b1, b3, b5, conv(bp, pool_proj, 1, "pp")])


x_in = keras.Input((28, 28, 192))
inception = keras.Model(x_in, inception_module(x_in, 64, 96, 128, 16, 32, 32, name="3a"))
without_reduce = sum(
    conv_layer_cost((28, 28, 192), f, k).params for f, k in ((64, 1), (128, 3), (32, 5), (32, 1))
)
print(f"inception 3a: {inception.count_params():,} parameters "
      f"(without the 1x1 reduce layers: {without_reduce:,}); output {inception.output.shape}")
assert inception.count_params() < without_reduce / 2

# %% [markdown]
# **Xception** replaces convolutions by *separable* ones. One $k \times k$ filter per input
# channel finds spatial patterns; a $1 \times 1$ convolution then mixes the channels. Parameters:
# $k^2 C' + C' C + C$ instead of $k^2 C' C + C$:

# %%
x_in = keras.Input((32, 32, 128))
regular = keras.layers.Conv2D(256, 3, padding="same")
separable = keras.layers.SeparableConv2D(256, 3, padding="same")
regular(x_in), separable(x_in)
print(f"3x3, 128 -> 256 channels: Conv2D {regular.count_params():,}, "
      f"SeparableConv2D {separable.count_params():,} parameters")
assert regular.count_params() == 9 * 128 * 256 + 256
assert separable.count_params() == 9 * 128 + 128 * 256 + 256

# %% [markdown]
# **SENet**'s squeeze-and-excitation block looks at a block's output as a whole. Global average
# pooling *squeezes* each map to one number. A tiny two-layer network *excites* one weight in
# $(0, 1)$ per channel: a bottleneck of $C/r$ units, then $C$ sigmoids. Each map is multiplied by
# its weight, so channels that do not matter for this image are turned down. Here it follows a
# residual unit, applied to first-stage features of two photos:

# %%
def se_block(x, ratio=16, name="se"):
    """Squeeze-and-excitation (Hu et al., 2018): (B, H, W, C) -> the same, each map reweighted."""
    channels = x.shape[-1]
    s = layers.GlobalAveragePooling2D(name=f"{name}_squeeze")(x)
    s = layers.Dense(channels // ratio, activation="relu", name=f"{name}_reduce")(s)
    s = layers.Dense(channels, activation="sigmoid", name=f"{name}_excite")(s)
    return layers.Multiply(name=f"{name}_scale")([x, layers.Reshape((1, 1, channels), name=f"{name}_weights")(s)])


x_in = keras.Input((75, 100, 64))
unit_out = residual_unit(x_in, 64, name="unit")
se_model = keras.Model(x_in, [unit_out, se_block(unit_out, ratio=16, name="se")])
weights_model = keras.Model(x_in, se_model.get_layer("se_weights").output)  # (B, 1, 1, 64)
se_params = se_model.count_params() - keras.Model(x_in, unit_out).count_params()
print(f"SE block on 64 channels, ratio 16: {se_params:,} extra parameters")
assert se_params == 2 * 64 * 4 + 4 + 64

# first-stage features of the two photos: an (untrained) ResNet stem, 300 x 400 -> 75 x 100
stem = keras.Sequential([
    keras.layers.Conv2D(64, 7, strides=2, padding="same", activation="relu"),
    keras.layers.MaxPooling2D(3, strides=2, padding="same"),
])
photos = np.stack([load_sample(n)[:300, :400].astype("float32") / 255 for n in ("chelsea", "coffee")])
features = stem(photos)  # (2, 75, 100, 64)
plain, recalibrated = (keras.ops.convert_to_numpy(t) for t in se_model(features))
channel_weights = keras.ops.convert_to_numpy(weights_model(features))[:, 0, 0, :]  # (2, 64)
np.testing.assert_allclose(recalibrated, plain * channel_weights[:, None, None, :], rtol=1e-5,
                           atol=1e-6)

fig, ax = plt.subplots(figsize=(8, 2.4))
for b, name in enumerate(["chelsea", "coffee"]):
    ax.bar(np.arange(64) + 0.4 * b, channel_weights[b], width=0.4, label=name)
ax.set_xlabel("channel")
ax.set_ylabel("SE weight")
ax.set_title("one weight per channel and per image (untrained block)")
ax.legend(fontsize=8);

# %% [markdown]
# Untrained, the weights hover around 0.5. Trained, they come to depend on the image. The block
# costs less than 1 % of the unit's parameters.

# %% [markdown]
# ### Three backbones of lesson 12
# Lesson 12 puts the resizer in front of DenseNet-121, ResNet-50, MobileNetV2, EfficientNet-B0
# and ConvMixer. ResNet is section 2. The other three each add one idea:
#
# * **DenseNet** (Huang et al., 2017): *dense connectivity*. Inside a dense block every layer
#   reads the **concatenation** of the block's input and all earlier layers' outputs. It adds
#   $k$ new maps, the *growth rate* (32 in DenseNet-121). Features are reused, so layers can be
#   thin. Between blocks a *transition* halves the channels and pools.
# * **MobileNetV2** (Sandler et al., 2018): the *inverted residual*. A 1 × 1 convolution
#   *expands* a thin input 6 times. A 3 × 3 **depth-wise** convolution filters each channel on its
#   own. A 1 × 1 convolution *projects* back to a thin output, with no activation after it. The
#   skip joins the thin ends, the reverse of ResNet's bottleneck.
# * **EfficientNet** (Tan & Le, 2019): *compound scaling*. Its block, MBConv, is an inverted
#   residual with an SE block inside. B1 to B7 scale depth, width and resolution *together*, by
#   $\alpha^\phi, \beta^\phi, \gamma^\phi$ with $\alpha \beta^2 \gamma^2 \approx 2$. Each
#   step of $\phi$ about doubles the compute.
#
# We build the three from `keras.applications` without weights, so nothing is downloaded.
# Parameter counts do not depend on the input size, so a small input will do:

# %%
import time

start = time.perf_counter()
backbones = {
    "DenseNet-121": keras.applications.DenseNet121,
    "MobileNetV2": keras.applications.MobileNetV2,
    "EfficientNet-B0": keras.applications.EfficientNetB0,
}
backbones = {name: make(weights=None, include_top=False, input_shape=(64, 64, 3), pooling="avg")
             for name, make in backbones.items()}
rows = []
for name, net in backbones.items():
    feats = net.output.shape[-1]
    rows.append({"backbone": name, "layers": len(net.layers), "features": feats,
                 "parameters (no head)": net.count_params(),
                 "with a 1000-class head": net.count_params() + feats * 1000 + 1000})
rows.append({"backbone": "ResNet-34 (section 2)", "layers": len(resnet34.layers), "features": 512,
             "parameters (no head)": resnet34.count_params() - (512 * 1000 + 1000),
             "with a 1000-class head": resnet34.count_params()})
show_table(rows)
print(f"built in {time.perf_counter() - start:.1f} s")

# %%
densenet, mobilenet, effnet = backbones.values()
# DenseNet: block 1 starts from 64 channels; each of its 6 layers concatenates 32 more
assert densenet.get_layer("conv2_block6_concat").output.shape[-1] == 64 + 6 * 32
assert densenet.get_layer("pool2_conv").output.shape[-1] == (64 + 6 * 32) // 2  # the transition
# MobileNetV2: block 2 is 24 -> 144 (expand) -> depth-wise 3x3 -> 24 (project), plus its input
block2 = [lay for lay in mobilenet.layers if lay.name.startswith("block_2_")]
expand, depthwise, project = 24 * 144, 9 * 144, 144 * 24  # no biases: each feeds a batch norm
assert sum(lay.count_params() for lay in block2) == expand + depthwise + project + 4 * (144 + 144 + 24)
assert isinstance(mobilenet.get_layer("block_2_add"), keras.layers.Add)
# EfficientNet-B0: 16 MBConv blocks, each with a squeeze-and-excitation step
assert sum(lay.name.endswith("se_squeeze") for lay in effnet.layers) == 16
print(f"MobileNetV2's block 2: {len(block2)} layers, {expand + depthwise + project:,} conv weights; "
      f"its depth-wise 3x3 on 144 channels takes {depthwise:,}, a full 3x3 conv 144 -> 144 "
      f"would take {9 * 144 * 144:,}")

# %% [markdown]
# ## Summary
# * A layer's cost has three parts: parameters, activation memory, and multiply-adds.
# * Residual units learn a correction and add the input back, so very deep networks train.
# * Each classic network added one idea: small kernels (VGG), cheap branches (GoogLeNet),
#   separable convolutions (Xception), channel weights (SENet).
# * DenseNet reuses features, MobileNetV2 inverts the residual, EfficientNet scales everything
#   together.
#
# ## Further reading
# * A. Zhang et al., *Dive into Deep Learning*, chapter 8, "Modern Convolutional Neural Networks".
# * A. Géron, *Hands-On Machine Learning*, 3rd ed., chapter 14, "CNN Architectures".
# * K. He, X. Zhang, S. Ren and J. Sun, "Deep Residual Learning for Image Recognition", CVPR 2016.
# * G. Huang, Z. Liu, L. van der Maaten and K. Weinberger, "Densely Connected Convolutional
#   Networks", CVPR 2017.
# * M. Tan and Q. Le, "EfficientNet: Rethinking Model Scaling for Convolutional Neural
#   Networks", ICML 2019.

# %% [markdown]
# ## Exercises
# 1. **Memory.** How many mebibytes ($2^{20}$ bytes) does the output of ResNet-34's stem
#    convolution take for a batch of 32 images of $224 \times 224$? It has 64 filters of
#    $7 \times 7$ with stride 2. And for $300 \times 300$ images?
# 2. **SE in the small CNN.** Add an SE block (ratio 16) after the last stage of lesson 02's
#    `small_cnn`, before global average pooling. How many parameters does it add?
#
# The cell of exercise 1 ends with a check that says "✓ right" or what is off.

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_activation_memory

stem_mib = None  # {image side: MiB of the stem convolution's output for a batch of 32}
check_activation_memory(stem_mib, batch_size=32, filters=64, kernel_size=7, strides=2,
                        sides=(224, 300));

# %% tags=["exercise"]
# Exercise 2: your code here
se_added = None  # parameters an SE block adds after small_cnn's last stage (256 channels)

# %% [markdown] tags=["solution"]
# ## Solutions

# %% tags=["solution"]
# 1. The output is 112 x 112 x 64 per image at 224 px, in float32 (4 bytes each).
stem_mib = {}
for side in (224, 300):
    stem_cost = conv_layer_cost((side, side, 3), 64, 7, strides=2, padding="same")
    stem_mib[side] = 32 * stem_cost.bytes_per_image / 2**20
    print(f"{side} x {side}: {stem_cost.output_shape}, batch of 32: {stem_mib[side]:.0f} MiB")
assert check_activation_memory(stem_mib, batch_size=32, filters=64, kernel_size=7, strides=2,
                               sides=(224, 300))

# %% tags=["solution"]
# 2. Cut small_cnn before its pooling and add the block: 2 * 256 * 16 + 16 + 256 weights.
from resizer_lib.models import small_cnn

trunk = small_cnn((64, 64, 3), 2, (32, 64, 128, 256))
features = trunk.get_layer("s3_pool").output
with_se = keras.Model(trunk.input, se_block(features, ratio=16, name="se_top"))
se_added = with_se.count_params() - keras.Model(trunk.input, features).count_params()
print(f"the SE block adds {se_added:,} parameters")
assert se_added == 2 * 256 * 16 + 16 + 256
