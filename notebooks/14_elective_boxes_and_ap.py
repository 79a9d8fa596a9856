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
# # 14 · Elective: boxes, IoU and average precision
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/14_elective_boxes_and_ap.ipynb)
# · source: [`14_elective_boxes_and_ap.py`](14_elective_boxes_and_ap.py) (the `.ipynb` is generated from it with jupytext)
#
# **What you will learn here**
# * how to describe a box (corners, centre and size, normalised), and how a classifier grows a
#   second head that regresses one;
# * intersection over union (IoU), written by you for two boxes, then vectorised; why IoU-based
#   losses exist; non-maximum suppression (NMS);
# * precision, recall and average precision (AP) by hand on a worked example, then mAP at IoU
#   0.5 and the COCO average over IoU 0.5:0.95.
#
# This elective leaves the resizer aside. Detection asks *where* each object is, and is judged
# by metrics that learners often meet half-explained. Every tool here is written in the lesson
# itself, in NumPy, on generated scenes whose answers are known exactly.

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

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np

from resizer_lib.dense.scenes import make_scenes
from resizer_lib.viz import show_table

EAGER = PROFILE.name == "smoke"  # a handful of steps: building a graph would take longer
PLAN = PROFILE.pick(smoke=dict(train=32, epochs=1), quick=dict(train=768, epochs=15),
                    colab=dict(train=2048, epochs=20), full=dict(train=4096, epochs=30))


def draw_boxes(ax, boxes, colour="red"):
    """Outline corner boxes (x1, y1, x2, y2) on an image axis (pixel edges at half-integers)."""
    for x1, y1, x2, y2 in np.asarray(boxes).reshape(-1, 4):
        ax.add_patch(plt.Rectangle((x1 - 0.5, y1 - 0.5), x2 - x1, y2 - y1, fill=False, color=colour, lw=1.5))


# %% [markdown]
# ## 1 · Three ways to write a box
# `make_scenes` draws shapes and knows the exact **box** and **label** of each. Its convention
# is **corners**, $(x_1, y_1, x_2, y_2)$ in pixels, with continuous coordinates. A box covering
# pixel columns $c_0 \dots c_1 - 1$ has $x_1 = c_0$ and $x_2 = c_1$, so its width is
# $x_2 - x_1$ (COCO's convention). A network usually predicts something else:
#
# * **centre and size** $(c_x, c_y, w, h)$: the centre moves when the object moves, the size
#   when it grows, so each output has one job;
# * **normalised**: $x$ divided by the image width, $y$ by its height. Every number of a box
#   inside the image then lies in $[0, 1]$, whatever the image size. A sigmoid output fits.

# %%
def corners_to_centre(b):
    b = np.asarray(b, float)
    return np.concatenate([(b[..., :2] + b[..., 2:]) / 2, b[..., 2:] - b[..., :2]], axis=-1)


def centre_to_corners(c):
    c = np.asarray(c, float)
    return np.concatenate([c[..., :2] - c[..., 2:] / 2, c[..., :2] + c[..., 2:] / 2], axis=-1)


demo = make_scenes(1, 64, objects=3, sizes=(8, 22), seed=0)
box = demo.boxes[0][0]
print("corners", box, "-> centre/size", corners_to_centre(box), "-> normalised", corners_to_centre(box) / 64)
assert np.allclose(centre_to_corners(corners_to_centre(box)), box)  # your two functions invert each other

# %% [markdown]
# ## 2 · Localisation: a classifier with a second head
# A small CNN with two outputs on one trunk. The **class head** is the usual softmax after
# global average pooling. The **box head** has 4 sigmoid outputs, the normalised
# $(c_x, c_y, w, h)$. Global pooling would throw away *where* things are, so this head reads
# the flattened $8 \times 8$ map instead. The loss adds the cross-entropy and a **Huber** loss
# on the 4 box numbers: quadratic for small errors, linear for large ones. Training data:
# scenes with exactly one shape each.

# %%
loc_train = make_scenes(PLAN["train"], 64, objects=1, sizes=(10, 26), seed=10)
loc_val = make_scenes(256, 64, objects=1, sizes=(10, 26), seed=11)


def build_localiser(num_classes=3):
    inputs = keras.Input((64, 64, 3))
    x = keras.layers.Rescaling(1 / 255)(inputs)
    for width in (16, 32, 64):  # 64 -> 32 -> 16 -> 8
        x = keras.layers.Conv2D(width, 3, padding="same", activation="relu")(x)
        x = keras.layers.MaxPooling2D(2)(x)
    what = keras.layers.GlobalAveragePooling2D()(x)  # the class needs no position
    where = keras.layers.Dense(64, activation="relu")(keras.layers.Flatten()(x))
    outputs = {"label": keras.layers.Dense(num_classes, activation="softmax", name="label")(what),
               "box": keras.layers.Dense(4, activation="sigmoid", name="box")(where)}
    return keras.Model(inputs, outputs, name="localiser")


keras.utils.set_random_seed(0)
localiser = build_localiser()
localiser.compile(optimizer=keras.optimizers.Adam(2e-3),
                  loss={"label": "sparse_categorical_crossentropy", "box": keras.losses.Huber(delta=0.1)},
                  loss_weights={"label": 1.0, "box": 10.0}, run_eagerly=EAGER)
targets = {"label": np.concatenate(loc_train.labels),
           "box": (corners_to_centre(np.concatenate(loc_train.boxes)) / 64).astype("float32")}
history = localiser.fit(loc_train.images, targets, batch_size=32, epochs=PLAN["epochs"], verbose=0)
print("training loss per epoch:", np.round(history.history["loss"], 3))

# %% [markdown]
# ## 3 · Intersection over union, by hand
# $$ \mathrm{IoU}(A, B) = \frac{|A \cap B|}{|A \cup B|} = \frac{|A \cap B|}{|A| + |B| - |A \cap B|}. $$
# The intersection of two axis-aligned boxes is again a box. It runs from the larger of the two
# left edges to the smaller of the two right edges, and the same vertically. If that is
# negative, the boxes do not overlap. Write it for two boxes first:

# %%
def iou_by_hand(a, b):
    """IoU of two corner boxes (x1, y1, x2, y2), plain Python."""
    inter = max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


assert iou_by_hand([0, 0, 10, 10], [5, 0, 15, 10]) == 50 / 150  # a 5 x 10 overlap
assert iou_by_hand([0, 0, 2, 2], [2, 0, 4, 2]) == 0.0  # touching is not overlapping

# %% [markdown]
# A detector compares hundreds of boxes with dozens. Broadcasting computes every pair at
# once: boxes `(N, 1, 4)` against `(1, M, 4)` give an `(N, M)` matrix. A zero-area box gets
# IoU 0 with everything.

# %%
def iou_matrix(a, b):
    """(N, M) IoUs of corner boxes a (N, 4) and b (M, 4)."""
    a, b = np.asarray(a, float).reshape(-1, 1, 4), np.asarray(b, float).reshape(1, -1, 4)
    inter = np.prod(np.clip(np.minimum(a[..., 2:], b[..., 2:]) - np.maximum(a[..., :2], b[..., :2]), 0, None), -1)
    union = np.prod(a[..., 2:] - a[..., :2], -1) + np.prod(b[..., 2:] - b[..., :2], -1) - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


out = localiser.predict(loc_val.images, batch_size=64, verbose=0)
probs, pred_boxes = (keras.ops.convert_to_numpy(out[k]) for k in ("label", "box"))
pred_corners = centre_to_corners(pred_boxes * 64)
true_corners = np.concatenate(loc_val.boxes)
ious = np.diag(iou_matrix(pred_corners, true_corners))
assert all(np.isclose(iou_by_hand(p, t), i) for p, t, i in zip(pred_corners[:20], true_corners, ious, strict=False))
print(f"validation: class accuracy {np.mean(probs.argmax(-1) == np.concatenate(loc_val.labels)):.1%}, "
      f"mean IoU {ious.mean():.3f}, IoU >= 0.5 for {np.mean(ious >= 0.5):.1%} of the scenes")

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
# slip for a 40-pixel box and a miss for an 8-pixel one, yet L1 scores both the same. IoU is
# **scale-invariant**: it depends on the error relative to the box. Hence losses built on it.
# $1 - \mathrm{IoU}$ optimises the metric directly, but it is flat once the boxes stop
# overlapping. The **generalised IoU** (Rezatofighi et al., CVPR 2019) subtracts the share of
# the smallest enclosing box that the two do not cover. So it keeps falling as disjoint boxes
# move apart.

# %%
def generalised_iou(a, b):
    """GIoU of pairs of corner boxes: IoU - (enclosing - union) / enclosing."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    inter = np.prod(np.clip(np.minimum(a[..., 2:], b[..., 2:]) - np.maximum(a[..., :2], b[..., :2]), 0, None), -1)
    union = np.prod(a[..., 2:] - a[..., :2], -1) + np.prod(b[..., 2:] - b[..., :2], -1) - inter
    hull = np.prod(np.maximum(a[..., 2:], b[..., 2:]) - np.minimum(a[..., :2], b[..., :2]), -1)
    return inter / union - (hull - union) / hull


shifts = np.linspace(0, 48, 97)
fig, axes = plt.subplots(1, 3, figsize=(14, 3.6))
for side in (8, 16, 40):
    truth = np.array([0, 0, side, side], float)
    moved = np.stack([truth + [d, 0, d, 0] for d in shifts])
    axes[0].plot(shifts, np.abs(moved - truth).sum(axis=1), label=f"{side} px box")
    axes[1].plot(shifts, iou_matrix(moved, truth)[:, 0], label=f"{side} px box")
    axes[2].plot(shifts, generalised_iou(moved, truth), label=f"{side} px box")
for ax, title in zip(axes, ["L1 error of the corners (pixels)", "IoU", "generalised IoU"], strict=True):
    ax.set_title(title)
    ax.set_xlabel("horizontal shift (pixels)")
    ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# ### Non-maximum suppression
# A detector proposes many overlapping boxes around each object. **NMS** keeps the best. Sort
# by score and keep the top box. Drop every remaining box whose IoU with it exceeds a
# threshold. Repeat with what is left. Below, 30 noisy proposals around the three shapes of a
# scene.

# %%
def nms(boxes, scores, iou_threshold=0.5):
    """Indices of the boxes kept, best first."""
    order, kept = list(np.argsort(-np.asarray(scores), kind="stable")), []
    while order:
        best, order = order[0], order[1:]
        kept.append(best)
        order = [i for i in order if iou_matrix(boxes[best], boxes[i])[0, 0] <= iou_threshold]
    return np.array(kept)


truth = demo.boxes[0]
rng = np.random.default_rng(1)
src = rng.integers(0, len(truth), 30)
proposals = truth[src] + rng.normal(0, 1.5, (30, 4))
proposals[:, 2:] = np.maximum(proposals[:, 2:], proposals[:, :2] + 1)  # keep x2 > x1, y2 > y1
scores = np.clip(np.diag(iou_matrix(proposals, truth[src])) + rng.normal(0, 0.05, 30), 0, 1)
kept = nms(proposals, scores)
fig, axes = plt.subplots(1, 2, figsize=(7, 3.6))
for ax, boxes, title in [(axes[0], proposals, "30 proposals"), (axes[1], proposals[kept], f"after NMS: {len(kept)}")]:
    ax.imshow(demo.images[0])
    draw_boxes(ax, boxes)
    ax.set_title(title)
    ax.set_axis_off()
plt.show()

# %% [markdown]
# ## 4 · Precision, recall and average precision
# A detector outputs boxes with scores. Sort all detections of one class, over all images, by
# score. Walk down the list. A detection is a **true positive** (TP) when it overlaps a
# not-yet-matched ground-truth box of its class in its image with IoU $\ge 0.5$. Otherwise it
# is a **false positive** (FP); a second detection of a found object is a FP too. After the
# top $k$ detections, with $G$ ground-truth boxes in all:
# $$ \text{precision}_k = \frac{\mathrm{TP}_k}{k}, \qquad \text{recall}_k = \frac{\mathrm{TP}_k}{G}. $$
#
# **A worked example.** Two images, four ground-truth boxes (g1, g2 in image A; g3, g4 in B),
# five detections. Fill the table yourself before you run the cell:
#
# | rank | score | where | TP/FP | precision | recall |
# |---|---|---|---|---|---|
# | d1 | 0.9 | exactly on g1 | TP | 1/1 | 1/4 |
# | d2 | 0.8 | exactly on g3 | TP | 2/2 | 2/4 |
# | d3 | 0.7 | on g1 again | FP | 2/3 | 2/4 |
# | d4 | 0.6 | IoU 0.68 with g2 | TP | 3/4 | 3/4 |
# | d5 | 0.5 | background | FP | 3/5 | 3/4 |
#
# g4 is never found. Precision zig-zags, so AP first replaces each precision by the
# **interpolated** precision: the best precision at the same or a higher recall. That gives
# $1, 1, 1, 3/4, 3/4$. d3 shares its recall of 2/4 with d2, whose precision is 1. d5 shares
# 3/4 with d4. Then:
#
# * **all-point AP** (PASCAL VOC since 2010): the area under that envelope, summed where the
#   recall grows: $\tfrac14 \cdot 1 + \tfrac14 \cdot 1 + \tfrac14 \cdot \tfrac34 = \tfrac{11}{16}$;
# * **COCO's 101-point AP**: the mean of the envelope at recalls $0, 0.01, \dots, 1$. Levels
#   up to 0.5 (51 of them) read 1, the 25 up to 0.75 read $3/4$, the 25 above read 0:
#   $69.75 / 101 \approx 0.691$.
#
# **A trap.** The PASCAL VOC code builds its envelope as the best precision at the same or a
# *later rank*: $1, 1, 3/4, 3/4, 3/5$. That differs from the definition at d3 and d5. It
# differs only within a run of equal recalls, where the area gains nothing, so AP comes out the
# same. Compare a hand-drawn curve with the code's and you will see the difference.

# %%
is_tp = np.array([1, 1, 0, 1, 0])  # d1..d5, sorted by score
G = 4
precision = np.cumsum(is_tp) / np.arange(1, 6)
recall = np.cumsum(is_tp) / G
by_definition = np.array([precision[recall >= r].max() for r in recall])
by_later_rank = np.maximum.accumulate(precision[::-1])[::-1]  # what the VOC code computes
print("interpolated, by definition:", by_definition, " by later rank:", by_later_rank)
steps = np.diff(np.concatenate([[0], recall]))
ap_hand = np.sum(steps * by_definition)
assert ap_hand == np.sum(steps * by_later_rank) == 11 / 16  # the same area either way

plt.figure(figsize=(4.5, 3.5))
plt.plot(recall, precision, "o-", label="precision")
plt.step(np.concatenate([[0], recall]), np.concatenate([[1], by_definition]), where="post",
         label=f"interpolated: AP = {ap_hand:.4f}")
plt.xlabel("recall")
plt.ylabel("precision")
plt.xlim(0, 1.02)
plt.ylim(0, 1.05)
plt.legend(fontsize=8)
plt.show()

# %% [markdown]
# ### mAP, at one threshold and COCO-style
# The cell below does the matching and the AP for any detections. **mAP** is the mean of the
# per-class APs. PASCAL VOC reports it at IoU 0.5 ("mAP@0.5"). COCO averages the 101-point mAP
# again over ten IoU thresholds $0.5, 0.55, \dots, 0.95$ ("AP@[.5:.95]"). That rewards tight
# boxes: d4 above, at IoU 0.68, counts as found only at the four thresholds up to 0.65. A class
# with no ground truth at all has no recall, so it is left out of the mean, as COCO does.

# %%
def class_ap(detections, truths, label, iou_threshold=0.5, points=None):
    """AP of one class. points=None: all points; else the mean envelope at those recalls."""
    scores, hits, G = [], [], 0
    for det, gt in zip(detections, truths, strict=True):
        gt_boxes = gt["boxes"][gt["labels"] == label]
        G += len(gt_boxes)
        mine = det["labels"] == label
        order = np.argsort(-det["scores"][mine], kind="stable")
        boxes, taken = det["boxes"][mine][order], np.zeros(len(gt_boxes), bool)
        for b, s in zip(boxes, det["scores"][mine][order], strict=True):
            iou = np.where(taken, -1.0, iou_matrix(b, gt_boxes)[0]) if len(gt_boxes) else np.array([-1.0])
            hit = iou.max() >= iou_threshold
            if hit:
                taken[iou.argmax()] = True
            scores.append(s)
            hits.append(hit)
    if G == 0:
        return np.nan
    tp = np.array(hits, float)[np.argsort(-np.array(scores), kind="stable")]
    prec, rec = np.cumsum(tp) / np.arange(1, len(tp) + 1), np.cumsum(tp) / G
    env = np.array([prec[rec >= r].max() for r in rec])
    if points is None:
        return float(np.sum(np.diff(np.concatenate([[0], rec])) * env))
    return float(np.mean([prec[rec >= t - 1e-12].max() if (rec >= t - 1e-12).any() else 0 for t in points]))


def mean_ap(detections, truths, labels, thresholds=(0.5,), points=None):
    return float(np.mean([np.nanmean([class_ap(detections, truths, c, t, points) for c in labels])
                          for t in thresholds]))


g1, g2, g3, g4 = [0, 0, 10, 10], [20, 20, 30, 30], [0, 0, 10, 10], [40, 40, 50, 50]
worked = [{"boxes": np.array([g1, g1, [20, 20, 30, 26.8], [60, 60, 70, 70]], float),
           "scores": np.array([0.9, 0.7, 0.6, 0.5]), "labels": np.zeros(4, int)},
          {"boxes": np.array([g3], float), "scores": np.array([0.8]), "labels": np.zeros(1, int)}]
worked_gt = [{"boxes": np.array([g1, g2], float), "labels": np.zeros(2, int)},
             {"boxes": np.array([g3, g4], float), "labels": np.zeros(2, int)}]
COCO = np.linspace(0, 1, 101)
assert class_ap(worked, worked_gt, 0) == 11 / 16  # the table you filled
assert np.isclose(class_ap(worked, worked_gt, 0, points=COCO), 69.75 / 101)

detections = [{"boxes": pred_corners[i:i + 1], "scores": probs[i].max(keepdims=True),
               "labels": probs[i].argmax(keepdims=True)} for i in range(len(probs))]
truths = loc_val.ground_truths()
classes = range(len(loc_val.classes))
show_table([{"class": loc_val.classes[c], "AP@0.5 (all points)": class_ap(detections, truths, c)} for c in classes]
           + [{"class": "**mAP@0.5**", "AP@0.5 (all points)": mean_ap(detections, truths, classes)}], floatfmt=".3f");
coco = {name: mean_ap(detections, truths, classes, t, COCO)
        for name, t in [("AP@[.5:.95]", np.linspace(0.5, 0.95, 10)), ("AP@.5", (0.5,)), ("AP@.75", (0.75,))]}
print("COCO-style:", {k: round(v, 3) for k, v in coco.items()})

# %% [markdown]
# If AP@.75 and the COCO average sit well below AP@.5, the network finds the shapes but its
# boxes are loose. Read your own numbers that way.

# %% [markdown]
# ## Exercises
# 1. **IoU in centre format.** Write `iou_centre(a, b)` for two boxes given as
#    $(c_x, c_y, w, h)$ *without* converting them to corners first.
# 2. **The 11-point AP.** PASCAL VOC 2007 averaged the interpolated precision at the 11
#    recalls $0, 0.1, \dots, 1$. Compute it by hand for the worked example (a fraction), then
#    with `class_ap(..., points=np.linspace(0, 1, 11))`.

# %% tags=["exercise"]
# Exercise 1: your code here
iou_centre = None  # a function of two (cx, cy, w, h) boxes

from resizer_lib.course.exercise_checks import check_iou_centre

check_iou_centre(iou_centre)

# %% tags=["exercise"]
# Exercise 2: your code here
ap11_by_hand = None  # the 11-point AP of the worked example, as a fraction

# %% [markdown] tags=["solution"]
# ## Solutions
#
# One cell per exercise. Try first.

# %% tags=["solution"] jupyter={"source_hidden": true}
# 1. The overlap along x is the sum of the half-widths minus the distance between the centres,
# clipped to [0, min(w)]; the same along y.
def iou_centre(a, b):
    ox = np.clip((a[2] + b[2]) / 2 - abs(a[0] - b[0]), 0, min(a[2], b[2]))
    oy = np.clip((a[3] + b[3]) / 2 - abs(a[1] - b[1]), 0, min(a[3], b[3]))
    inter = ox * oy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


assert check_iou_centre(iou_centre)

# %% tags=["solution"] jupyter={"source_hidden": true}
# 2. The recalls reached are 1/4, 2/4, 3/4 with interpolated precision 1, 1, 3/4: t = 0..0.5
# (six levels) read 1, t = 0.6, 0.7 read 3/4, t = 0.8, 0.9, 1 read 0. AP = (6 + 1.5) / 11.
from fractions import Fraction

ap11_by_hand = (6 + Fraction(3, 4) * 2) / 11
assert ap11_by_hand == Fraction(15, 22)
assert np.isclose(class_ap(worked, worked_gt, 0, points=np.linspace(0, 1, 11)), float(ap11_by_hand))
print("11-point AP:", ap11_by_hand, "=", float(ap11_by_hand), "(all points: 11/16 =", 11 / 16, ")")

# %% [markdown]
# ## Summary
# * A box is corners, or centre and size; normalised, its numbers lie in $[0, 1]$. A second
#   head on a classifier can regress it.
# * IoU compares boxes relative to their size. GIoU keeps a gradient when boxes do not overlap.
#   NMS keeps the best of overlapping proposals.
# * AP is the area under the interpolated precision-recall curve. Interpolate by recall, as
#   the definition says; the VOC code's by-rank envelope gives the same area.
# * COCO averages a 101-point AP over ten IoU thresholds, which rewards tight boxes.
#
# ## Further reading
# * M. Everingham et al., "The PASCAL Visual Object Classes (VOC) Challenge", IJCV 88, 2010.
# * T.-Y. Lin et al., "Microsoft COCO: Common Objects in Context", ECCV 2014, and the COCO
#   detection evaluation page (cocodataset.org/#detection-eval).
# * H. Rezatofighi et al., "Generalized Intersection over Union", CVPR 2019.
# * A. Zhang, Z. Lipton, M. Li and A. Smola, *Dive into Deep Learning*, chapter "Computer
#   Vision" (bounding boxes, anchor boxes, non-maximum suppression).
# * A. Géron, *Hands-On Machine Learning*, 3rd ed., chapter 14 (object detection and mAP).
