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
# # 09 · Beyond classification: boxes, mAP, transposed convolutions and segmentation
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/09_dense_tasks.ipynb)
# · source: [`09_dense_tasks.py`](09_dense_tasks.py) (the `.ipynb` is generated from it with jupytext)
#
# Until now every network in the course answered one question per image: *which class?* Many
# vision tasks ask *where*: a box around each object (localisation and detection) or a class
# for every pixel (semantic segmentation). These are the tasks where resizing hurts most,
# because a small object can disappear entirely when the image is shrunk. This notebook builds
# the tools of dense prediction from scratch on generated scenes whose answers are known
# exactly, and ends by putting the learnable resizer (and MULLER) in front of a segmentation
# network.
#
# **What you will learn here**
# * how to describe a box (corners, centre and size, normalised) and how a classifier grows a
#   second head that regresses one; why L1 or Huber losses on boxes are not what detection is
#   judged by, and why IoU-based losses exist;
# * intersection over union (IoU), written by you for two boxes, then vectorised; non-maximum
#   suppression (NMS);
# * precision, recall and average precision (AP) computed by hand on a worked example, then
#   mAP over classes at IoU 0.5 and the COCO average over IoU 0.5:0.95;
# * transposed convolution by hand, as a scatter and as zeros-inserted-then-convolved, checked
#   against `keras.layers.Conv2DTranspose`; its output size; the checkerboard artefact and its
#   cure (resize, then convolve);
# * a small U-Net with skip connections, pixel accuracy and mean IoU;
# * a paired comparison over seeds of a plain resize, the learned resizer and MULLER in front
#   of the U-Net, on scenes where the small objects are what a resize loses.

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
# Three networks are trained here: a box regressor, a U-Net, and the U-Net behind three resize
# stages over several seeds. `PLAN` sizes them per profile: `smoke` only checks that every cell
# runs (a few steps, no graph build: `EAGER`), `quick` takes a few minutes on a 2-core laptop
# CPU, `colab` and `full` train longer on a GPU. The code path is the same everywhere.

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np

from resizer_lib.viz import show_table

PLAN = PROFILE.pick(
    smoke=dict(loc_train=32, loc_epochs=1, seg_train=16, seg_epochs=1, dense_train=8, dense_val=8,
               dense_epochs=1, seeds=(0,)),
    quick=dict(loc_train=768, loc_epochs=15, seg_train=256, seg_epochs=8, dense_train=192,
               dense_val=96, dense_epochs=10, seeds=(0, 1, 2)),
    colab=dict(loc_train=2048, loc_epochs=20, seg_train=1024, seg_epochs=15, dense_train=1024,
               dense_val=256, dense_epochs=20, seeds=(0, 1, 2)),
    full=dict(loc_train=4096, loc_epochs=30, seg_train=2048, seg_epochs=25, dense_train=2048,
              dense_val=512, dense_epochs=40, seeds=(0, 1, 2, 3, 4)),
)
EAGER = PROFILE.name == "smoke"  # a handful of steps: building a graph would take longer
print(PLAN)

# %% [markdown]
# ## 1 · Scenes whose answers are known
# `resizer_lib.dense.scenes.make_scenes` draws filled shapes (square, disc, triangle) of random
# sizes, colours and positions on a smooth random texture or on a crop of one of
# scikit-image's photos. Because it draws them, it knows the exact **box** of every shape, its
# **label**, and the **mask** that gives every pixel its class (0 for background, label + 1 on a
# shape). Shapes never overlap, and scene $i$ of a seed is always the same scene.

# %%
from resizer_lib.dense.scenes import make_scenes


def draw_boxes(ax, boxes, colour="red", labels=None, names=None):
    """Outline corner boxes (x1, y1, x2, y2) on an image axis (pixel edges at half-integers)."""
    for i, (x1, y1, x2, y2) in enumerate(np.asarray(boxes).reshape(-1, 4)):
        ax.add_patch(plt.Rectangle((x1 - 0.5, y1 - 0.5), x2 - x1, y2 - y1, fill=False, color=colour, lw=1.5))
        if labels is not None:
            ax.text(x1 - 0.5, y1 - 1.5, names[labels[i]], color=colour, fontsize=8)


demo = make_scenes(4, image_size=64, objects=(1, 3), sizes=(8, 22), seed=0)
demo_photo = make_scenes(4, image_size=64, objects=(1, 3), sizes=(8, 22), background="photo", seed=0)
fig, axes = plt.subplots(2, 4, figsize=(12, 6))
for col in range(4):
    scenes = demo if col < 2 else demo_photo
    i = col % 2
    axes[0, col].imshow(scenes.images[i])
    draw_boxes(axes[0, col], scenes.boxes[i], labels=scenes.labels[i], names=scenes.classes)
    axes[1, col].imshow(scenes.masks[i], cmap="tab10", vmin=0, vmax=9, interpolation="nearest")
    axes[0, col].set_title(f"{'texture' if col < 2 else 'photo'} scene {i}")
    axes[1, col].set_title("mask: 0 background, 1-3 shapes")
for ax in axes.flat:
    ax.set_axis_off()
plt.show()
print("boxes of scene 0:", demo.boxes[0].tolist(), "labels:", [demo.classes[c] for c in demo.labels[0]])
assert demo.images.shape == (4, 64, 64, 3) and demo.masks.max() <= 3

# %% [markdown]
# ## 2 · Localisation: a classifier with a second head
# ### Three ways to write a box
# The library's convention is **corners**, $(x_1, y_1, x_2, y_2)$ in pixels with continuous
# coordinates: a box covering pixel columns $c_0 \dots c_1 - 1$ has $x_1 = c_0$, $x_2 = c_1$,
# so its width is $x_2 - x_1$ (COCO's convention). A network usually predicts something else:
#
# * **centre and size** $(c_x, c_y, w, h)$: the centre moves when the object moves, the size
#   when it grows, so each output has one job;
# * **normalised**: $x$ divided by the image width, $y$ by its height, so every number of a box
#   inside the image lies in $[0, 1]$, whatever the image size. A sigmoid output fits that range.
#
# (Detectors with anchors predict offsets relative to a reference box, e.g. $\Delta c_x / w_a$
# and $\log(w / w_a)$; the same idea, one step further.) Converting by hand:

# %%
from resizer_lib.dense.boxes import centre_to_corners, corners_to_centre, normalise_boxes

x1, y1, x2, y2 = demo.boxes[0][0]
by_hand = np.array([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1])  # (cx, cy, w, h)
assert np.allclose(by_hand, corners_to_centre(demo.boxes[0][0]))
assert np.allclose(centre_to_corners(by_hand), demo.boxes[0][0])
print("corners", demo.boxes[0][0], "-> centre/size", by_hand,
      "-> normalised", normalise_boxes(by_hand, (64, 64)).round(3))

# %% [markdown]
# ### The model
# A small CNN with two outputs on one trunk. The **class head** is the usual softmax after
# global average pooling. The **box head** has 4 sigmoid outputs, the normalised
# $(c_x, c_y, w, h)$; global average pooling would throw away *where* things are, so it reads
# the flattened $8 \times 8$ map instead, where each position keeps its own weights. The loss is the sum of the cross-entropy and
# a **Huber** loss on the 4 box numbers (quadratic for errors below $\delta$, linear above: L2's
# smooth minimum with L1's robustness to the large errors of the first steps). Training data:
# scenes with exactly one shape each.

# %%
loc_train = make_scenes(PLAN["loc_train"], 64, objects=1, sizes=(10, 26), seed=10)
loc_val = make_scenes(256, 64, objects=1, sizes=(10, 26), seed=11)


def box_targets(scenes):
    """Normalised (cx, cy, w, h) of the one box of each scene: (N, 4) float32."""
    corners = np.concatenate(scenes.boxes)
    return normalise_boxes(corners_to_centre(corners), (64, 64)).astype("float32")


def build_localiser(num_classes=3):
    inputs = keras.Input((64, 64, 3))
    x = keras.layers.Rescaling(1 / 255)(inputs)
    for width in (16, 32, 64):  # 64 -> 32 -> 16 -> 8
        x = keras.layers.Conv2D(width, 3, padding="same", activation="relu")(x)
        x = keras.layers.MaxPooling2D(2)(x)
    what = keras.layers.GlobalAveragePooling2D()(x)  # (B, 64): the class needs no position
    where = keras.layers.Dense(64, activation="relu")(keras.layers.Flatten()(x))  # (B, 8 * 8 * 64) -> 64
    outputs = {"label": keras.layers.Dense(num_classes, activation="softmax", name="label")(what),
               "box": keras.layers.Dense(4, activation="sigmoid", name="box")(where)}
    return keras.Model(inputs, outputs, name="localiser")


keras.utils.set_random_seed(0)
localiser = build_localiser()
localiser.compile(optimizer=keras.optimizers.Adam(2e-3),
                  loss={"label": "sparse_categorical_crossentropy", "box": keras.losses.Huber(delta=0.1)},
                  loss_weights={"label": 1.0, "box": 10.0}, run_eagerly=EAGER)
history = localiser.fit(loc_train.images, {"label": np.concatenate(loc_train.labels), "box": box_targets(loc_train)},
                        batch_size=32, epochs=PLAN["loc_epochs"], verbose=0)
print("training loss per epoch:", np.round(history.history["loss"], 3))

# %% [markdown]
# How good are the boxes? The natural measure is the IoU (next section) between each predicted
# box and the true one; "localised" usually means IoU $\ge 0.5$.

# %%
from resizer_lib.dense.boxes import box_iou, denormalise_boxes

out = localiser.predict(loc_val.images, batch_size=64, verbose=0)
probs, pred_boxes = (keras.ops.convert_to_numpy(out[k]) for k in ("label", "box"))
pred_corners = centre_to_corners(denormalise_boxes(pred_boxes, (64, 64)))
true_corners = np.concatenate(loc_val.boxes)
ious = box_iou(pred_corners, true_corners)
accuracy = float(np.mean(probs.argmax(-1) == np.concatenate(loc_val.labels)))
print(f"validation: class accuracy {accuracy:.1%}, mean IoU {ious.mean():.3f}, "
      f"IoU >= 0.5 for {np.mean(ious >= 0.5):.1%} of the scenes")
assert ious.shape == (256,) and 0 <= ious.min() and ious.max() <= 1

fig, axes = plt.subplots(1, 6, figsize=(15, 2.8))
for i, ax in enumerate(axes):
    ax.imshow(loc_val.images[i])
    draw_boxes(ax, true_corners[i], "lime")
    draw_boxes(ax, pred_corners[i], "red")
    ax.set_title(f"IoU {ious[i]:.2f}, {loc_val.classes[probs[i].argmax()]}", fontsize=9)
    ax.set_axis_off()
fig.suptitle("green: truth, red: prediction")
plt.show()

# %% [markdown]
# ### Why boxes are not judged by L1
# An L1 (or Huber) loss treats every pixel of error alike. The same 4-pixel shift is a small
# slip for a 40-pixel box and a miss for an 8-pixel one, yet L1 scores both the same. The metric
# detection is judged by, IoU, is **scale-invariant**: it depends on the error relative to the
# box. Hence losses built on it: $1 - \mathrm{IoU}$ optimises the metric directly, but it is flat
# (no gradient) once the boxes stop overlapping; the **generalised IoU** (Rezatofighi et al.,
# CVPR 2019) subtracts the share of the smallest enclosing box that the two do not cover, so it
# keeps falling as disjoint boxes move apart.

# %%
from resizer_lib.dense.boxes import generalised_iou

shifts = np.linspace(0, 48, 97)
fig, axes = plt.subplots(1, 3, figsize=(14, 3.6))
for side in (8, 16, 40):
    truth = np.array([0, 0, side, side], float)
    moved = np.stack([truth + [d, 0, d, 0] for d in shifts])
    axes[0].plot(shifts, np.abs(moved - truth).sum(axis=1), label=f"{side} px box")
    axes[1].plot(shifts, box_iou(moved, truth), label=f"{side} px box")
    axes[2].plot(shifts, generalised_iou(moved, truth), label=f"{side} px box")
for ax, title in zip(axes, ["L1 error of the corners (pixels)", "IoU", "generalised IoU"], strict=True):
    ax.set_title(title)
    ax.set_xlabel("horizontal shift (pixels)")
    ax.legend(fontsize=8)
plt.show()
assert box_iou([0, 0, 8, 8], [4, 0, 12, 8]) < 0.5 < box_iou([0, 0, 40, 40], [4, 0, 44, 40])

# %% [markdown]
# One L1 curve for all three sizes; three IoU curves. After a 4-pixel shift the 8-pixel box is
# down to IoU $1/3$, the 40-pixel box still at $0.82$.

# %% [markdown]
# ## 3 · Intersection over union, by hand
# $$ \mathrm{IoU}(A, B) = \frac{|A \cap B|}{|A \cup B|} = \frac{|A \cap B|}{|A| + |B| - |A \cap B|}. $$
# The intersection of two axis-aligned boxes is again a box, from the larger of the two left
# edges to the smaller of the two right edges (and the same vertically); if that is negative,
# they do not overlap. Write it for two boxes first:

# %%
def iou_by_hand(a, b):
    """IoU of two corner boxes (x1, y1, x2, y2), plain Python."""
    inter_w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    inter_h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = inter_w * inter_h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


assert iou_by_hand([0, 0, 10, 10], [5, 0, 15, 10]) == 50 / 150  # a 5 x 10 overlap
assert iou_by_hand([0, 0, 2, 2], [2, 0, 4, 2]) == 0.0  # touching is not overlapping
for p, t in zip(pred_corners[:20], true_corners[:20], strict=True):
    assert np.isclose(iou_by_hand(p, t), box_iou(p, t))

# %% [markdown]
# A detector compares hundreds of boxes with dozens, so the library computes every pair at once
# with broadcasting: boxes `(N, 1, 4)` against `(1, M, 4)` give an `(N, M)` matrix
# (`iou_matrix`). The same numbers, without a Python loop:

# %%
import time

from resizer_lib.dense.boxes import iou_matrix

rng = np.random.default_rng(0)
corner = rng.uniform(0, 200, (300, 2))
many = np.concatenate([corner, corner + rng.uniform(5, 60, (300, 2))], axis=1)
start = time.perf_counter()
loops = np.array([[iou_by_hand(a, b) for b in many[:60]] for a in many])
t_loop = time.perf_counter() - start
start = time.perf_counter()
matrix = iou_matrix(many, many[:60])
t_vec = time.perf_counter() - start
assert matrix.shape == (300, 60) and np.allclose(loops, matrix)
print(f"300 x 60 IoUs: loops {1000 * t_loop:.1f} ms, vectorised {1000 * t_vec:.2f} ms")

# %% [markdown]
# Edge cases the library fixes once: a box with $x_2 < x_1$ is refused (`ValueError`; usually a
# centre/size box passed as corners), and a zero-area box has IoU 0 with everything, itself
# included.

# %% [markdown]
# ### Non-maximum suppression
# A detector proposes many overlapping boxes around each object. **NMS** keeps the best: sort by
# score, keep the top box, drop every remaining box whose IoU with it exceeds a threshold, and
# repeat with what is left. Below, 30 noisy proposals around the three shapes of a scene; NMS at
# IoU 0.5 leaves one box per shape.

# %%
from resizer_lib.dense.boxes import nms

scene = make_scenes(1, 64, objects=3, sizes=(12, 20), seed=3)
truth = scene.boxes[0]
rng = np.random.default_rng(1)
src = rng.integers(0, len(truth), 30)
proposals = truth[src] + rng.normal(0, 1.5, (30, 4))
proposals[:, 2:] = np.maximum(proposals[:, 2:], proposals[:, :2] + 1)  # keep x2 > x1, y2 > y1
scores = np.clip(box_iou(proposals, truth[src]) + rng.normal(0, 0.05, 30), 0, 1)  # better box, higher score
kept = nms(proposals, scores, iou_threshold=0.5)
fig, axes = plt.subplots(1, 2, figsize=(7, 3.6))
for ax, boxes, title in [(axes[0], proposals, "30 proposals"), (axes[1], proposals[kept], f"after NMS: {len(kept)}")]:
    ax.imshow(scene.images[0])
    draw_boxes(ax, boxes, "red")
    ax.set_title(title)
    ax.set_axis_off()
plt.show()
assert len(kept) == len(truth) and iou_matrix(proposals[kept], truth).max(axis=0).min() > 0.7

# %% [markdown]
# ## 4 · Precision, recall and average precision
# A detector outputs boxes with scores. Sort all detections of one class, over all images, by
# score. Walking down the list, a detection is a **true positive** (TP) when it overlaps a
# not-yet-matched ground-truth box of that class in its image with IoU $\ge 0.5$, otherwise a
# **false positive** (FP); a second detection of an already found object is a FP. After the top
# $k$ detections,
# $$ \text{precision}_k = \frac{\mathrm{TP}_k}{k}, \qquad \text{recall}_k = \frac{\mathrm{TP}_k}{G}, $$
# with $G$ the number of ground-truth boxes. Lowering the score threshold trades precision for
# recall; **AP** summarises the whole curve in one number.
#
# **A worked example.** Two images, four ground-truth boxes (g1, g2 in image A; g3, g4 in B),
# five detections. Before running the cell, fill the table yourself:
#
# | rank | score | where | TP/FP | precision | recall |
# |---|---|---|---|---|---|
# | d1 | 0.9 | exactly on g1 | TP | 1/1 | 1/4 |
# | d2 | 0.8 | exactly on g3 | TP | 2/2 | 2/4 |
# | d3 | 0.7 | on g1 again | FP | 2/3 | 2/4 |
# | d4 | 0.6 | IoU 0.68 with g2 | TP | 3/4 | 3/4 |
# | d5 | 0.5 | background | FP | 3/5 | 3/4 |
#
# g4 is never found. Precision zig-zags, so AP first replaces each precision by the best
# precision at the same or a higher recall (the **interpolated** precision, a monotone
# envelope): $1, 1, 3/4, 3/4, 3/5$. Then:
#
# * **all-point AP** (PASCAL VOC since 2010): the area under the envelope,
#   $\sum_k (r_k - r_{k-1})\, p_{\text{interp}}(r_k) = \tfrac14 \cdot 1 + \tfrac14 \cdot 1 + \tfrac14 \cdot \tfrac34 = \tfrac{11}{16}$;
# * **COCO's 101-point AP**: the mean of the envelope at recalls $0, 0.01, \dots, 1$, each read
#   at the first detection whose recall reaches it: 26 levels up to 0.25 and 25 up to 0.5 read
#   1, 25 up to 0.75 read $3/4$, the 25 above read 0: $69.75 / 101 \approx 0.691$.

# %%
from resizer_lib.dense.detection_metrics import (
    average_precision,
    class_average_precision,
    precision_recall,
)

is_tp = np.array([1, 1, 0, 1, 0])  # d1..d5, already sorted by score
G = 4
precision_hand = np.cumsum(is_tp) / np.arange(1, 6)
recall_hand = np.cumsum(is_tp) / G
envelope = np.maximum.accumulate(precision_hand[::-1])[::-1]
ap_hand = np.sum(np.diff(np.concatenate([[0], recall_hand])) * envelope)
assert ap_hand == 11 / 16

g1, g2, g3, g4 = [0, 0, 10, 10], [20, 20, 30, 30], [0, 0, 10, 10], [40, 40, 50, 50]
worked_preds = [  # image A: d1, d3, d4, d5; image B: d2
    {"boxes": [g1, g1, [20, 20, 30, 26.8], [60, 60, 70, 70]], "scores": [0.9, 0.7, 0.6, 0.5], "labels": [0, 0, 0, 0]},
    {"boxes": [g3], "scores": [0.8], "labels": [0]}]
worked_gts = [{"boxes": [g1, g2], "labels": [0, 0]}, {"boxes": [g3, g4], "labels": [0, 0]}]
worked_preds = [{k: np.asarray(v, float if k != "labels" else int) for k, v in p.items()} for p in worked_preds]
worked_gts = [{k: np.asarray(v, float if k != "labels" else int) for k, v in g.items()} for g in worked_gts]
assert np.isclose(box_iou([20, 20, 30, 26.8], g2), 0.68)
assert class_average_precision(worked_preds, worked_gts, 0, 0.5, "all_points") == 11 / 16
assert np.isclose(class_average_precision(worked_preds, worked_gts, 0, 0.5, "coco101"), 69.75 / 101)
precision, recall = precision_recall([0.9, 0.8, 0.7, 0.6, 0.5], is_tp, G)
assert np.allclose(precision, precision_hand) and np.allclose(recall, recall_hand)

plt.figure(figsize=(4.5, 3.5))
plt.plot(recall, precision, "o-", label="precision")
plt.step(np.concatenate([[0], recall]), np.concatenate([[1], envelope]), where="post", label="interpolated (envelope)")
plt.fill_between(np.concatenate([[0], recall, [1]]), np.concatenate([[1], envelope, [0]]), step="post", alpha=0.2,
                 label=f"all-point AP = {ap_hand:.4f}")
plt.xlabel("recall")
plt.ylabel("precision")
plt.xlim(0, 1.02)
plt.ylim(0, 1.05)
plt.legend(fontsize=8)
plt.show()

# %% [markdown]
# ### mAP, at one threshold and COCO-style
# **mAP** is the mean of the per-class APs. PASCAL VOC reports it at IoU 0.5 ("mAP@0.5"); COCO
# averages the 101-point mAP again over ten IoU thresholds $0.5, 0.55, \dots, 0.95$
# ("AP@[.5:.95]"), which rewards tight boxes: d4 above, at IoU 0.68, counts as found only for
# the four thresholds up to 0.65. The library's conventions for the awkward cases: a class with
# ground truth but no detections has AP 0; a class with **no ground truth at all** has no
# recall, so its AP is `NaN` and it is **left out of the mean** (as COCO does); a zero-area
# ground-truth box is an error. The module's tests check the 101-point numbers against the
# COCO reference implementation's output on a random example.
#
# Our localiser is a (one-box-per-image) detector: its box, with the predicted class and that
# class's probability as the score.

# %%
from resizer_lib.dense.detection_metrics import coco_map, mean_average_precision

detections = [{"boxes": pred_corners[i:i + 1], "scores": probs[i].max(keepdims=True),
               "labels": probs[i].argmax(keepdims=True)} for i in range(len(probs))]
ground_truths = loc_val.ground_truths()
voc = mean_average_precision(detections, ground_truths, iou_threshold=0.5, method="all_points")
coco = coco_map(detections, ground_truths)
show_table([{"class": loc_val.classes[c], "AP@0.5 (all points)": ap} for c, ap in voc["per_class"].items()]
           + [{"class": "**mAP@0.5**", "AP@0.5 (all points)": voc["map"]}], floatfmt=".3f");
print(f"COCO: AP@[.5:.95] = {coco['map']:.3f}, AP@.5 = {coco['map50']:.3f}, AP@.75 = {coco['map75']:.3f}")
assert 0 <= coco["map"] <= coco["map50"] <= 1 and coco["map75"] <= coco["map50"]

# %% [markdown]
# AP@.75 and the COCO average are well below AP@.5: a tiny network trained for seconds finds
# the shapes, but its boxes are loose.

# %% [markdown]
# ## 5 · Transposed convolution, by hand
# Dense prediction needs outputs as large as the input, so decoders **upsample**. The learned
# way is the transposed convolution (`Conv2DTranspose`, sometimes misnamed "deconvolution"). Two
# views of the same operation, for an input of side $n$, a $k \times k$ kernel and stride $s$:
#
# * **scatter**: each input pixel $(i, j)$ adds a copy of the kernel, scaled by its value, into
#   the output at $(i s, j s)$; where $k > s$ the copies overlap and add;
# * **zeros inserted, then convolved**: put $s - 1$ zeros between neighbouring input pixels,
#   pad $k - 1$ zeros around, and run an ordinary stride-1 convolution with the kernel rotated
#   by 180°.
#
# Both give a "full" output of side $(n - 1)s + k$, of which a padding mode keeps a window.
# First the scatter, written out for one channel, checked against Keras with the layer's own
# weights (its kernel layout is `(k, k, C_out, C_in)`):

# %%
def scatter_by_hand(x, kernel, s):
    """One channel in and out, 'valid' padding: x (n, n), kernel (k, k) -> ((n-1)s+k, (n-1)s+k)."""
    n, k = x.shape[0], kernel.shape[0]
    out = np.zeros(((n - 1) * s + k, (n - 1) * s + k))
    for i in range(n):
        for j in range(n):
            out[i * s:i * s + k, j * s:j * s + k] += x[i, j] * kernel
    return out


x_small = np.random.default_rng(0).normal(size=(4, 4)).astype("float32")
layer = keras.layers.Conv2DTranspose(1, 3, strides=2, padding="valid", use_bias=False)
theirs = keras.ops.convert_to_numpy(layer(x_small[None, :, :, None]))[0, :, :, 0]
kernel = layer.get_weights()[0]  # (3, 3, 1, 1)
mine = scatter_by_hand(x_small, kernel[:, :, 0, 0], 2)
print("output", mine.shape, "max difference to Keras", float(np.abs(mine - theirs).max()))
assert mine.shape == (9, 9) and np.allclose(mine, theirs, atol=1e-5)

# %% [markdown]
# The library does both views for any channels, paddings and `output_padding`
# (`resizer_lib.dense.transposed`); both agree with the layer:

# %%
from resizer_lib.dense.transposed import (
    conv_transpose_scatter,
    conv_transpose_zero_insertion,
    insert_zeros,
    transposed_output_size,
)

x_rgb = np.random.default_rng(1).normal(size=(1, 5, 5, 3)).astype("float32")
layer = keras.layers.Conv2DTranspose(4, 3, strides=2, padding="same")
theirs = keras.ops.convert_to_numpy(layer(x_rgb))[0]
w, b = layer.get_weights()
for view in (conv_transpose_scatter, conv_transpose_zero_insertion):
    assert np.allclose(view(x_rgb[0], w, 2, "same", b), theirs, atol=1e-4), view.__name__
print("zeros inserted into a 3 x 3 input at stride 2:\n", insert_zeros(np.arange(1, 10.0).reshape(3, 3, 1), 2)[..., 0])

# %% [markdown]
# ### The output size
# Without `output_padding`, Keras gives $n s$ for `"same"`, and for `"valid"` the full
# $(n - 1) s + k$ when $k \ge s$ (when $k < s$ it pads the end to $n s$). With
# `output_padding` $= p$ it is the textbook formula $(n - 1) s + k - 2q + p$, with $q = \lfloor k/2 \rfloor$
# for `"same"` and $0$ for `"valid"`. Why a choice is needed at all: a stride-$s$ convolution
# maps $s$ different input sizes to the same output size ($9$ and $10$ both give $4$ at
# $k = 3, s = 2$, "valid"), so going back, `output_padding` says which one you want.

# %%
rows = []
for k, s, padding, p in [(3, 2, "valid", None), (3, 2, "same", None), (2, 3, "valid", None), (4, 2, "same", None),
                         (3, 2, "valid", 1), (5, 2, "same", 1), (3, 3, "valid", 2)]:
    layer = keras.layers.Conv2DTranspose(1, k, strides=s, padding=padding, output_padding=p)
    keras_size = keras.ops.convert_to_numpy(layer(np.zeros((1, 6, 6, 1), "float32"))).shape[1]
    rows.append({"k": k, "s": s, "padding": padding, "output_padding": p, "n = 6 ->": keras_size,
                 "formula": transposed_output_size(6, k, s, padding, p)})
    assert rows[-1]["formula"] == keras_size
show_table(rows);

# %% [markdown]
# ### The checkerboard, and its cure
# With $k = 3$, $s = 2$ the kernel copies overlap on every other row and column only. Feed the
# layer a constant image with a constant kernel: a smooth input should give a smooth output,
# but the pixels receive 1, 2 or 4 copies (interior), a checkerboard (Odena, Dumoulin & Olah,
# "Deconvolution and checkerboard artifacts", Distill 2016). A trained decoder must fight this
# pattern with its weights. When $k$ is a multiple of $s$ the overlap is even; the usual cure is
# simpler still: **resize first** (nearest or bilinear), **then convolve** with stride 1, which
# is what the U-Net below does.

# %%
from resizer_lib.dense.transposed import overlap_count, upsample_then_conv

ones = np.ones((1, 8, 8, 1), "float32")
deconv = keras.layers.Conv2DTranspose(1, 3, strides=2, padding="same", use_bias=False, kernel_initializer="ones")
checker = keras.ops.convert_to_numpy(deconv(ones))[0, :, :, 0]
resize_conv = keras.Sequential([keras.layers.UpSampling2D(2), keras.layers.Conv2D(
    1, 3, padding="same", use_bias=False, kernel_initializer="ones")])
smooth = keras.ops.convert_to_numpy(resize_conv(ones))[0, :, :, 0]
assert np.array_equal(checker, overlap_count(8, 3, 2, "same"))
assert np.allclose(smooth, upsample_then_conv(ones[0], np.ones((3, 3, 1, 1)), 2)[..., 0])
assert set(np.unique(checker[2:-2, 2:-2])) == {1, 2, 4} and set(np.unique(smooth[1:-1, 1:-1])) == {9}

fig, axes = plt.subplots(1, 2, figsize=(8, 3.8))
for ax, img, title in [(axes[0], checker, "Conv2DTranspose(k=3, s=2): 1, 2, 4 copies"),
                       (axes[1], smooth, "UpSampling2D(2) + Conv2D(k=3): even")]:
    im = ax.imshow(img, cmap="viridis", interpolation="nearest")
    ax.set_title(title, fontsize=9)
    ax.set_axis_off()
    fig.colorbar(im, ax=ax, fraction=0.046)
plt.show()

# %% [markdown]
# (The rim of the right-hand map is lower because the convolution's zero padding reaches outside
# the image; the interior is flat.)

# %% [markdown]
# ## 6 · Semantic segmentation with a small U-Net
# A segmentation network outputs a class score for **every pixel**: logits of shape
# $(B, H, W, K)$, trained with the cross-entropy of each pixel. The U-Net (Ronneberger, Fischer
# & Brox, 2015) is the classic design: an **encoder** that halves the resolution while widening
# the channels (what), a **decoder** that doubles it back (where), and **skip connections** that
# concatenate each encoder map to the decoder map of the same size, so the decoder gets back the
# fine detail the pooling threw away. `resizer_lib.dense.segmentation.build_unet` is a few dozen
# lines; its decoder upsamples by resize-then-convolve (section 5). Its levels:

# %%
from resizer_lib.dense.segmentation import build_unet

unet = build_unet((32, 32, 3), num_classes=4, widths=(16, 32, 64))
for name in ["down0_relu2", "pool0", "down1_relu2", "pool1", "bottom_relu2", "up1", "skip1", "dec1_relu2",
             "up0", "skip0", "dec0_relu2", "logits"]:
    print(f"{name:13s} {unet.get_layer(name).output.shape}")
print(f"{unet.count_params():,} parameters")
assert unet.get_layer("skip0").output.shape == (None, 32, 32, 32 + 16)  # upsampled + encoder map

# %% [markdown]
# **Metrics.** *Pixel accuracy* is the share of pixels classified right; on scenes that are
# mostly background, predicting "background" everywhere already scores high, so it says little.
# The standard is the **mean IoU** over classes, the IoU of each class's predicted and true
# pixel sets, $\mathrm{TP} / (\mathrm{TP} + \mathrm{FP} + \mathrm{FN})$, averaged. By hand on a
# tiny example first (a class absent from both truth and prediction has no IoU and is left out
# of the mean, the same choice as for AP):

# %%
from resizer_lib.dense.segmentation import confusion_matrix, mean_iou, per_class_iou, pixel_accuracy

truth_px = np.array([[0, 0, 1, 1], [0, 0, 1, 2]])
pred_px = np.array([[0, 1, 1, 1], [0, 0, 2, 2]])
iou_hand = []
for c in range(3):
    tp = np.sum((truth_px == c) & (pred_px == c))
    union = np.sum((truth_px == c) | (pred_px == c))
    iou_hand.append(tp / union)
print("per-class IoU by hand:", np.round(iou_hand, 3), "mean", np.mean(iou_hand).round(3))
assert np.allclose(per_class_iou(truth_px, pred_px, 3), iou_hand)
assert np.isclose(mean_iou(truth_px, pred_px, 4), np.mean(iou_hand))  # class 3 is nowhere: left out
assert pixel_accuracy(truth_px, pred_px) == 6 / 8
print(confusion_matrix(truth_px, pred_px, 3))

# %% [markdown]
# Train the U-Net on 32-pixel scenes with one to three shapes of 6-14 pixels, at full
# resolution (stage `"none"`: no resize in front). The cross-entropy of the rare shape pixels is
# weighted 3 times that of background pixels, so that "all background" is not a comfortable
# minimum.

# %%
from resizer_lib.dense.segmentation import build_segmenter, fit_segmenter, predict_masks

seg_train = make_scenes(PLAN["seg_train"], 32, objects=(1, 3), sizes=(6, 14), seed=20)
seg_val = make_scenes(128, 32, objects=(1, 3), sizes=(6, 14), seed=21)
segmenter = build_segmenter(32, 32, 4, "none", seed=0)
losses = fit_segmenter(segmenter, seg_train.images, seg_train.masks, epochs=PLAN["seg_epochs"],
                       batch_size=16, learning_rate=3e-3, class_weights=[1, 3, 3, 3], run_eagerly=EAGER)
seg_pred = predict_masks(segmenter, seg_val.images)
print("training loss per epoch:", np.round(losses, 3))
seg_iou = per_class_iou(seg_val.masks, seg_pred, 4)
print(f"validation: pixel accuracy {pixel_accuracy(seg_val.masks, seg_pred):.1%}, "
      f"mean IoU {mean_iou(seg_val.masks, seg_pred, 4):.3f}, per class "
      + ", ".join(f"{n} {v:.2f}" for n, v in zip(("background", *seg_val.classes), seg_iou, strict=True)))
print(f"all background would score pixel accuracy {np.mean(seg_val.masks == 0):.1%}, "
      f"mean IoU {mean_iou(seg_val.masks, np.zeros_like(seg_val.masks), 4):.3f}")
assert seg_pred.shape == seg_val.masks.shape and 0 <= mean_iou(seg_val.masks, seg_pred, 4) <= 1

fig, axes = plt.subplots(3, 6, figsize=(13, 6.5))
for col in range(6):
    for row, (img, title) in enumerate([(seg_val.images[col], "scene"), (seg_val.masks[col], "truth"),
                                        (seg_pred[col], "prediction")]):
        kwargs = {} if row == 0 else dict(cmap="tab10", vmin=0, vmax=9, interpolation="nearest")
        axes[row, col].imshow(img, **kwargs)
        axes[row, col].set_title(title, fontsize=9)
        axes[row, col].set_axis_off()
plt.show()

# %% [markdown]
# ## 7 · The resizer on a dense task
# Now the question of the course, on a task where it should matter most. The scenes are
# $64 \times 64$ with 4-10 small discs of 2-4 pixels; the U-Net sees only $16 \times 16$ (a
# $4\times$ reduction, the same ratio as $128 \to 32$ with 4-8-pixel objects). Three resize
# stages go in front of it (`build_segmenter`):
#
# * `bilinear`: the paper's naive baseline (no antialiasing);
# * `learned`: the learnable resizer of notebook 05 (`build_resizer`), which sees all
#   $64 \times 64$ pixels;
# * `muller`: MULLER (Tu, Milanfar & Talebi, 2023): bilinear plus learned Laplacian detail,
#   4 parameters, exactly bilinear at its start.
#
# In every case the logits come back to $64 \times 64$ by a bilinear resize, so each arm is
# scored against the **full-resolution** masks.
#
# First, measure the premise. A non-antialiased bilinear $4\times$ downscale computes each
# output pixel from only 2 of every 4 input rows and columns, so a small enough object can fall
# between the samples and vanish. Resize each object's own mask the same way and count the
# objects of which nothing survives:

# %%
lost_scenes = make_scenes(200, 64, objects=(4, 10), sizes=(2, 4), classes=("disc",), seed=30)
lost = {2: [0, 0], 3: [0, 0], 4: [0, 0]}  # size -> [lost, total]
for mask, boxes in zip(lost_scenes.masks, lost_scenes.boxes, strict=True):
    for x1, y1, x2, y2 in boxes.astype(int):
        own = np.zeros((64, 64, 1), "float32")
        own[y1:y2, x1:x2, 0] = mask[y1:y2, x1:x2] > 0
        small = keras.ops.convert_to_numpy(keras.ops.image.resize(own, (16, 16), interpolation="bilinear"))
        size = max(x2 - x1, y2 - y1)
        lost[size][0] += int(small.max() == 0)
        lost[size][1] += 1
show_table([{"disc size (px)": s, "objects": n, "lost by the 4x bilinear resize": f"{m / n:.0%}"}
            for s, (m, n) in lost.items()]);
assert lost[2][0] > 0 and lost[2][0] / lost[2][1] > lost[4][0] / lost[4][1]

# %% [markdown]
# A resizer that reads all the pixels can keep those objects; whether it learns to in a short
# training is the experiment. The design is the paired one of notebook 06: for each seed, every
# arm starts from the **same U-Net weights** (the U-Net is built first after seeding; the
# records carry a checksum) and sees the **same batches** in the same order
# (`compare_stages`). Each arm's model is compiled once and re-initialised per seed, so its
# training graph is built once. The shape pixels' loss is weighted 10 times (they are about 1%
# of the pixels). The score is the mean IoU over the two classes (background, disc) on
# held-out scenes.

# %%
from resizer_lib.dense.segmentation import compare_stages

dense_train = make_scenes(PLAN["dense_train"], 64, objects=(4, 10), sizes=(2, 4), classes=("disc",), seed=31)
dense_val = make_scenes(PLAN["dense_val"], 64, objects=(4, 10), sizes=(2, 4), classes=("disc",), seed=32)
ARMS = ("bilinear", "learned", "muller")
start = time.perf_counter()
records = compare_stages((dense_train.images, dense_train.masks), (dense_val.images, dense_val.masks), ARMS,
                         PLAN["seeds"], target_size=16, num_classes=2, epochs=PLAN["dense_epochs"],
                         batch_size=16, learning_rate=3e-3, class_weights=[1, 10], run_eagerly=EAGER)
print(f"{len(records)} runs in {time.perf_counter() - start:.0f} s")
show_table([{"arm": r["stage"], "seed": r["seed"], "U-Net start": r["unet_checksum"][:8],
             "final train loss": r["losses"][-1], "pixel acc.": r["pixel_accuracy"],
             "IoU disc": r["per_class_iou"][1], "mean IoU": r["mean_iou"]} for r in records], floatfmt=".3f");

# %% [markdown]
# Facts that hold whatever the numbers: every score is an IoU in $[0, 1]$, and within each seed
# every arm started from the same U-Net.

# %%
from resizer_lib.training.stats import mean_ci, paired_difference

for r in records:
    assert 0 <= r["mean_iou"] <= 1 and 0 <= r["pixel_accuracy"] <= 1
for seed in PLAN["seeds"]:
    assert len({r["unet_checksum"] for r in records if r["seed"] == seed}) == 1
score = {arm: [next(r["mean_iou"] for r in records if r["stage"] == arm and r["seed"] == s) for s in PLAN["seeds"]]
         for arm in ARMS}
rows = [{"arm": arm, "mean IoU (mean over seeds)": mean_ci(v).mean, "95% CI": str(mean_ci(v))} for arm, v in score.items()]
show_table(rows, floatfmt=".3f");
pairs = []
for a, b in [("learned", "bilinear"), ("muller", "bilinear"), ("learned", "muller")]:
    d = paired_difference(score[a], score[b])  # pairs seed i of a with seed i of b
    assert d.n == len(PLAN["seeds"])
    pairs.append({"difference": f"{a} − {b}", "mean (IoU points)": f"{100 * d.mean:+.1f}",
                  "95% CI": "n/a (one seed)" if d.n == 1 else f"[{100 * d.low:+.1f}, {100 * d.high:+.1f}]"})
show_table(pairs);

# %% [markdown]
# **Reading it.** What `quick` measured on the course's 2-core CPU (3 seeds, 192 training and
# 96 validation scenes, 10 epochs; differences in IoU points, paired by seed, 95% t-intervals
# on 2 degrees of freedom): bilinear 0.589 mean IoU, MULLER 0.591, learned 0.496;
# **learned − bilinear −9.2 [−11.0, −7.5]**, MULLER − bilinear +0.2 [+0.0, +0.4]. With 5
# epochs instead of 10 the picture was the same (learned − bilinear −4.2 [−8.0, −0.4]). So in
# this short training the learned resizer *loses*, on every seed, and its disc IoU of about 0
# with a pixel accuracy equal to the background's share says how: it predicts background
# almost everywhere. Three things explain it, and none of them is "resizing does not matter"
# (the table of lost discs above shows that it does):
#
# * The learned resizer starts as bilinear **plus a random residual** (notebook 05 showed what
#   an untrained resizer's output looks like), so the U-Net first has to learn through that
#   noise, and with 1% of the pixels on discs the easy way out is "all background". A short
#   training measures the start of the race, not its end: `colab` and `full` train 2-4 times
#   longer on 5-10 times more scenes.
# * MULLER *starts* as the bilinear resize and has 4 parameters; they barely move in 10 epochs,
#   so it tracks bilinear closely (its small, consistent edge is real here but tiny). It can
#   only re-weight detail near the pixels the bilinear samples already read.
# * The ceiling is low for every arm: a 2-4-pixel disc is at most one pixel of the U-Net's
#   $16 \times 16$ map, and the logits return to $64 \times 64$ by interpolation, so even a
#   found disc is outlined coarsely. A resizer can keep an object from vanishing; it cannot
#   give the network more output resolution.
#
# The lesson of the course's studies holds here too: a resizer can help only when the task
# lives in detail that the plain resize destroys *and* the training is long enough for it to
# learn to keep it; claim a win only from paired seeds with an interval that excludes zero.
# Under `quick` the one robust fact is the learned arm's loss, on every seed:

# %%
if PROFILE.name == "quick":  # measured on every seed, twice (5 and 10 epochs); not a law
    assert all(a < b for a, b in zip(score["learned"], score["bilinear"], strict=True))

# %% [markdown]
# ## Exercises
# 1. **IoU in centre format.** Write `iou_centre(a, b)` for two boxes given as $(c_x, c_y, w, h)$
#    *without* converting them to corners first, and check it against `box_iou` on the
#    localiser's predictions.
# 2. **The 11-point AP.** PASCAL VOC 2007 averaged the interpolated precision at the 11 recalls
#    $0, 0.1, \dots, 1$. Compute it by hand for the worked example of section 4 (the answer is a
#    fraction), then with `average_precision(..., method="voc11")`.
# 3. **When is the overlap even?** For stride 2, compute `overlap_count` for kernels 2, 3, 4 and 5
#    and find the rule: for which $k$ do all interior pixels receive the same number of copies?
#    Check stride 3 too.
# 4. **Dice.** The Dice coefficient $2|A \cap B| / (|A| + |B|)$ is the other common overlap
#    score of segmentation. Write it for two binary masks, show on the U-Net's predictions that
#    $\mathrm{Dice} = 2\,\mathrm{IoU} / (1 + \mathrm{IoU})$ for each image and class, and say why
#    the two always rank two predictions of one image and class the same way.

# %% tags=["exercise"]
# Exercise 1: your code here
iou_centre = None  # a function of two (cx, cy, w, h) boxes

from resizer_lib.course.exercise_checks import check_iou_centre

check_iou_centre(iou_centre)

# %% tags=["exercise"]
# Exercise 2: your code here
ap11_by_hand = None  # the 11-point AP of the worked example, as a fraction

# %% tags=["exercise"]
# Exercise 3: your code here
even_kernels = None  # {stride: [kernel sizes whose interior overlap is even]}

# %% tags=["exercise"]
# Exercise 4: your code here
dice = None  # a function of two boolean masks

from resizer_lib.course.exercise_checks import check_dice

check_dice(dice)

# %% [markdown] tags=["solution"]
# ## Solutions
#
# One cell per exercise; open a cell to read it, but try first.

# %% tags=["solution"] jupyter={"source_hidden": true}
# 1. IoU in centre format: the overlap along x is the sum of the half-widths minus the distance
# between the centres, clipped to [0, min(w)]; the same along y.
def iou_centre(a, b):
    ox = np.clip((a[2] + b[2]) / 2 - abs(a[0] - b[0]), 0, min(a[2], b[2]))
    oy = np.clip((a[3] + b[3]) / 2 - abs(a[1] - b[1]), 0, min(a[3], b[3]))
    inter = ox * oy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


pred_centre, true_centre = corners_to_centre(pred_corners), corners_to_centre(true_corners)
assert all(np.isclose(iou_centre(p, t), iou) for p, t, iou in zip(pred_centre, true_centre, ious, strict=True))
assert np.isclose(iou_centre([5, 5, 10, 10], [5, 5, 2, 2]), 4 / 100)  # one box inside the other

# %% tags=["solution"] jupyter={"source_hidden": true}
# 2. 11-point AP: the envelope at recall >= t for t = 0, 0.1, ..., 1. The recalls reached are
# 1/4, 2/4, 3/4 with interpolated precision 1, 1, 3/4: t = 0..0.5 (six levels) read 1,
# t = 0.6, 0.7 read 3/4, t = 0.8, 0.9, 1 read 0. AP = (6 + 1.5) / 11 = 15/22.
from fractions import Fraction

ap11_by_hand = (6 + Fraction(3, 4) * 2) / 11
assert ap11_by_hand == Fraction(15, 22)
assert np.isclose(average_precision(precision, recall, method="voc11"), float(ap11_by_hand))
print("11-point AP:", ap11_by_hand, "=", float(ap11_by_hand), "(all points: 11/16 =", 11 / 16, ")")

# %% tags=["solution"] jupyter={"source_hidden": true}
# 3. The overlap is even exactly when the stride divides the kernel size: then each output
# pixel is covered by k / s copies along each axis.
even_kernels = {}
for s in (2, 3):
    even_kernels[s] = [k for k in range(2, 8)
                       if len(np.unique(overlap_count(10, k, s, "same")[k:-k, k:-k])) == 1]
    print(f"stride {s}: even for k in {even_kernels[s]}")
assert even_kernels == {2: [2, 4, 6], 3: [3, 6]}

# %% tags=["solution"] jupyter={"source_hidden": true}
# 4. Dice. With I = |A n B| and U = |A u B| = |A| + |B| - I: Dice = 2I / (U + I) and
# IoU = I / U, so Dice = 2 IoU / (1 + IoU), an increasing function of IoU: the two always order
# two predictions the same way (averaged over images or classes they can differ, since the map
# is not linear).
def dice(a, b):
    total = a.sum() + b.sum()
    return 2 * np.sum(a & b) / total if total else np.nan


for i in range(8):
    for c in range(1, 4):
        a, b = seg_val.masks[i] == c, seg_pred[i] == c
        if a.any() or b.any():
            iou_c = np.sum(a & b) / np.sum(a | b)
            assert np.isclose(dice(a, b), 2 * iou_c / (1 + iou_c))
print("Dice = 2 IoU / (1 + IoU) holds on every image and class checked")
