"""Write the digits sample's network as an ONNX model: model/digits.onnx.

make_data.py calls this after training; run it alone to rebuild the ONNX file from model/digits_model.npz.
The graph is built with onnx.helper from the trained numpy weights (Debian's python3-onnx; nothing is
downloaded), so the same weights always give the same bytes:

    pixels [batch, 64] float32 -> Gemm(W1, b1) -> Relu -> Gemm(W2, b2) -> Softmax -> probabilities [batch, 10]

`batch` is a symbolic dimension: one session call scores a whole mini-batch. The pixels are the 8x8
grayscale image, rows first, scaled to 0..1 — what digit_identification.py's preprocess() computes.
"""

import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.join(HERE, "model")
NPZ_FILE = os.path.join(MODEL_DIR, "digits_model.npz")
ONNX_FILE = os.path.join(MODEL_DIR, "digits.onnx")
OPSET = 13


def build(weights):
    """The ONNX ModelProto of the network whose numpy weights are in `weights`."""
    from onnx import TensorProto, helper, numpy_helper

    def init(name, array):
        return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)

    n_in, n_hidden = weights["W1"].shape
    n_classes = weights["W2"].shape[1]
    graph = helper.make_graph(
        nodes=[
            helper.make_node("Gemm", ["pixels", "W1", "b1"], ["hidden_linear"], name="hidden"),
            helper.make_node("Relu", ["hidden_linear"], ["hidden_relu"], name="relu"),
            helper.make_node("Gemm", ["hidden_relu", "W2", "b2"], ["scores"], name="output"),
            helper.make_node("Softmax", ["scores"], ["probabilities"], name="softmax", axis=-1),
        ],
        name="digits_mlp",
        inputs=[helper.make_tensor_value_info("pixels", TensorProto.FLOAT, ["batch", int(n_in)])],
        outputs=[helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", int(n_classes)])],
        initializer=[init("W1", weights["W1"]), init("b1", weights["b1"]), init("W2", weights["W2"]), init("b2", weights["b2"])],
    )
    model = helper.make_model(
        graph,
        producer_name="parallel-run digits sample",
        opset_imports=[helper.make_opsetid("", OPSET)],
        doc_string="Handwritten digits 0-9 from 8x8 grayscale pixels scaled to 0..1 (scikit-learn load_digits).",
    )
    # ir_version 8 is what onnxruntime 1.10 and later read; helper's default follows the onnx package.
    model.ir_version = 8
    return model


def main():
    try:
        import onnx
    except ImportError:
        sys.exit("make_onnx.py needs the onnx package: apt-get install python3-onnx (or pip install onnx)")
    with np.load(NPZ_FILE, allow_pickle=False) as npz:
        weights = {name: npz[name] for name in npz.files}
    model = build(weights)
    onnx.checker.check_model(model)
    onnx.save(model, ONNX_FILE)
    print(f"wrote ONNX model to {ONNX_FILE}")


if __name__ == "__main__":
    main()
