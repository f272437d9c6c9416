"""Make the data and the model for the digits sample.

Everything comes from scikit-learn's bundled `load_digits` (1,797 8x8 images of handwritten digits), so
nothing is downloaded. The script

1. splits the images into a training set and a held-out set of 100 (fixed seed, stratified by digit);
2. renders every image as a 28x28 grayscale PNG like an MNIST image (white digit on black, 0-255);
3. trains a tiny neural network (64 -> 32 ReLU -> 10 softmax) on the training images *as the entry
   script will see them* (rendered to 28x28, then shrunk back to 8x8), and saves its weights as plain
   numpy arrays in model/digits_model.npz (no pickle, so any numpy version can load them);
4. writes the same network as an ONNX model, model/digits.onnx (make_onnx.py: needs python3-onnx);
5. writes the held-out PNGs to data/images/ (digit_<index>_label<digit>.png) and their labels to
   data/labels.csv, so the predictions in mnist_outputs.txt can be checked.

Run it again at any time: it deletes data/ and model/ and writes the same files again.

    python make_data.py
"""

import csv
import os
import shutil
import warnings

import numpy as np
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.join(HERE, "data")
IMAGE_DIR = os.path.join(DATA_DIR, "images")
MODEL_DIR = os.path.join(HERE, "model")
MODEL_FILE = os.path.join(MODEL_DIR, "digits_model.npz")

SEED = 0
HELD_OUT = 100  # with mini_batch_size 5 this makes 20 mini-batches
IMAGE_SIZE = 28  # MNIST's size
MODEL_INPUT = 8  # load_digits' size: the model reads 8x8 pixels
DIGITS_MAX = 16.0  # load_digits pixels run from 0 (background) to 16 (ink)


def render(digit_8x8):
    """An 8x8 load_digits image as a 28x28 8-bit grayscale image, ink white on black like MNIST."""
    pixels = np.round(digit_8x8 / DIGITS_MAX * 255).astype(np.uint8)
    # Bicubic interpolation gives the soft strokes of a scanned digit rather than 3.5-pixel blocks.
    return Image.fromarray(pixels, mode="L").resize((IMAGE_SIZE, IMAGE_SIZE), Image.Resampling.BICUBIC)


def features(image):
    """What the entry script computes from a PNG: shrink to 8x8 by averaging, scale to 0..1.

    digit_identification.py does exactly this, so the model is trained on the same numbers it will see.
    """
    small = image.convert("L").resize((MODEL_INPUT, MODEL_INPUT), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float64).ravel() / 255.0


def main():
    for folder in (DATA_DIR, MODEL_DIR):
        shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(IMAGE_DIR)
    os.makedirs(MODEL_DIR)

    digits = load_digits()
    indices = np.arange(len(digits.target))
    train_idx, test_idx = train_test_split(
        indices, test_size=HELD_OUT, stratify=digits.target, random_state=SEED
    )

    rendered = {int(i): render(digits.images[i]) for i in indices}
    x_train = np.array([features(rendered[int(i)]) for i in train_idx])
    y_train = digits.target[train_idx]

    model = MLPClassifier(hidden_layer_sizes=(32,), activation="relu", alpha=1e-3, max_iter=2000, random_state=SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x_train, y_train)

    # Plain arrays only: the entry script runs the network with numpy and needs no scikit-learn.
    np.savez(
        MODEL_FILE,
        format_version=np.array(1),
        W1=model.coefs_[0],
        b1=model.intercepts_[0],
        W2=model.coefs_[1],
        b2=model.intercepts_[1],
        activation=np.array("relu"),
        classes=model.classes_.astype(np.int64),
        input_shape=np.array([MODEL_INPUT, MODEL_INPUT]),
        image_shape=np.array([IMAGE_SIZE, IMAGE_SIZE]),
        pixel_max=np.array(255.0),
    )

    import make_onnx  # beside this script

    make_onnx.main()

    with open(os.path.join(DATA_DIR, "labels.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["file", "label"])
        for i in sorted(int(i) for i in test_idx):
            label = int(digits.target[i])
            name = f"digit_{i:04d}_label{label}.png"
            rendered[i].save(os.path.join(IMAGE_DIR, name))
            writer.writerow([name, label])

    x_test = np.array([features(rendered[int(i)]) for i in test_idx])
    accuracy = model.score(x_test, digits.target[test_idx])
    print(f"trained on {len(train_idx)} images; accuracy on the {len(test_idx)} held-out images: {accuracy:.2%}")
    print(f"wrote {len(test_idx)} images ({IMAGE_SIZE}x{IMAGE_SIZE} PNG) to {IMAGE_DIR}")
    print(f"wrote labels to {os.path.join(DATA_DIR, 'labels.csv')}")
    print(f"wrote model to {MODEL_FILE}")


if __name__ == "__main__":
    main()
