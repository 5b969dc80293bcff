"""Build real Argos Translate packages offline, for tests and benchmarks.

Real models cannot be downloaded here, so this module builds a genuine ``.argosmodel``
package from scratch, deterministically from ``seed``:

* ``sentencepiece.model``: a SentencePiece unigram model trained in memory on generated
  English-like text (common English words mixed with pronounceable pseudo-words).
* ``model/``: a CTranslate2 Transformer (pre-norm, ReLU, like Argos' OpenNMT-py models)
  written from numpy weights with ``ctranslate2.specs.TransformerSpec``, int8-quantized,
  with a shared source/target vocabulary (``shared_vocabulary.json``).
* ``minisbd/<from_code>.onnx``: a tiny rule-based sentence splitter in the format of
  MiniSBD, the sentence boundary detector argostranslate >= 1.10 uses when a package has
  no ``stanza/`` folder (without it argostranslate would try to download one).  It splits
  after ``. ! ? …`` followed by a space; everything else is one sentence.
* ``metadata.json`` and ``README.md``.

The model "translates" with a deterministic substitution cipher on word pieces, decoded
for real by CTranslate2 (beam search, scores, ``replace_unknowns`` all apply): every
cross-attention head attends from target step t to source position t (dedicated
alignment channels), decoder layer 0 copies the source embedding found there, and the
output projection maps it to a target piece with a large logit margin (median token
log-prob about -0.1 for "base", ~0 for "tiny").  The target piece depends on the source
piece *and on the parity of t*, so, as with a real model, translating two sentences
separately differs from translating them as one line.  The source gets ``</s>``
appended (``add_source_eos`` in config.json), which maps to ``</s>``: decoding stops
after exactly as many tokens as the input has pieces (nothing for an empty input).
Word boundaries, digits and punctuation are kept; letter pieces are garbled.  All other
weights (self-attention, feed-forward, deeper cross-attention values) are random with
small gains.  Outputs are deterministic and differ for different inputs, and padded
batches give the same outputs as one-by-one translation.  (A fully random model would
not: CTranslate2's int8 path gives slightly different scores for a sentence in a padded
batch than alone, and a random model's near-ties flip -- about 0.2% of lines for a
random "tiny" model and 10-15% for a random "base" model.)

Public functions: ``build_argos_package``, ``install_package`` (unzip into an
``ARGOS_PACKAGES_DIR``), ``argos_translate_like`` (argostranslate 1.11's
``translate()`` re-implemented on CTranslate2 + SentencePiece, to compare an engine with
it without installing argostranslate), ``split_sentences_like_package`` (the packaged
splitter's rule), ``generate_corpus`` and ``package_folder_name``.
"""

from __future__ import annotations

import io
import json
import math
import random
import re
import shutil
import string
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "ARGOS_TRANSLATE_BATCH_OPTIONS",
    "SIZES",
    "argos_translate_like",
    "build_argos_package",
    "generate_corpus",
    "install_package",
    "package_folder_name",
    "split_sentences_like_package",
]

# ---------------------------------------------------------------------------------------
# Sizes


@dataclass(frozen=True)
class ModelSize:
    d_model: int
    num_heads: int
    ffn_dim: int
    encoder_layers: int
    decoder_layers: int
    sp_vocab_size: int  # SentencePiece vocabulary
    vocab_size: int  # CTranslate2 vocabulary (padded with never-emitted tokens if larger)
    corpus_lines: int  # generated training sentences for SentencePiece
    pseudo_words: int  # distinct pseudo-words in the generated text
    quantization: str = "int8"


SIZES: dict[str, ModelSize] = {
    "tiny": ModelSize(
        d_model=64,
        num_heads=4,
        ffn_dim=256,
        encoder_layers=2,
        decoder_layers=2,
        sp_vocab_size=400,
        vocab_size=400,
        corpus_lines=400,
        pseudo_words=600,
    ),
    "base": ModelSize(
        d_model=512,
        num_heads=8,
        ffn_dim=2048,
        encoder_layers=6,
        decoder_layers=6,
        sp_vocab_size=32000,
        vocab_size=32000,
        corpus_lines=30000,
        pseudo_words=90000,
    ),
}

_MAX_POSITIONS = 2048  # rows of the position tables (sources are truncated to 1024 by default)
# Periods of the alignment code: sum_i cos(2 pi (t - s) / T_i) is 6 at t == s and at most
# 4.13 for 1 <= |t - s| <= 1023, so attention on it picks the source position t sharply.
_ALIGN_PERIODS = (3.476, 5.023, 23.354, 32.251, 71.299, 266.968)
_ALIGN_MIN_GAP = 1.87
_ALIGN_SHARPNESS = 20.0  # attention-logit lead of the aligned source position
_ALIGN_AMPLITUDE = 1.0
_PE_AMPLITUDE = 0.5  # sinusoids on the other channels, as in an ordinary Transformer
_SUBLAYER_VARIANCE = 0.4  # total variance all random sublayers of a stack add per channel
_COPY_GAIN = 4.0  # copied source embedding vs. the decoder's own input embedding
_LOGIT_MARGIN = 14.0  # logit lead of the cipher token (base: median token log-prob ~ -0.1)
_PARITY_AMPLITUDE = 1.0
_PARITY_MARGIN = 6.0  # targets of the wrong parity lose 2x this many logits
_NEG = -1.0e4  # bias of tokens that must never be emitted

LANGUAGE_NAMES = {
    "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fr": "French",
    "hi": "Hindi", "it": "Italian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch",
    "pl": "Polish", "pt": "Portuguese", "ru": "Russian", "sv": "Swedish", "tr": "Turkish",
    "uk": "Ukrainian", "zh": "Chinese",
}  # fmt: skip

# ---------------------------------------------------------------------------------------
# Generated English-like text

_COMMON_WORDS = """
the be to of and a in that have I it for not on with he as you do at this but his by
from they we say her she or an will my one all would there their what so up out if about
who get which go me when make can like time no just him know take people into year your
good some could them see other than then now look only come its over think also back
after use two how our work first well way even new want because any these give day most
us is are was were been has had did said going got made went came here where why yes
yeah okay oh hey hello please thank thanks sorry right left man woman men women child
children friend friends father mother dad mom brother sister family house home room door
car road city night morning tonight today tomorrow yesterday never always something
nothing everything anything someone everyone nobody very really much many more little
big small old young long great last next bad better best sure maybe still again away
down off too ever once each life world hand hands eye eyes head face heart love money
water food name place thing things part school book story word words job police doctor
gun war king help stop wait listen tell talk call ask need feel try leave put keep let
mean seem turn start show hear play run move live believe hold bring happen stand lose
pay meet sit speak read kill die find open close watch follow learn change understand
remember love hate kind sir miss mister captain boss kid guy guys girl boy baby dead
fine happy afraid ready late early fast slow hard easy free real true wrong dark light
black white red blue green what's that's it's I'm you're don't can't won't didn't
isn't I'll we'll let's there's he's she's they're I've you've
"""

_ONSETS = ("", "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "qu", "r", "s",
           "t", "v", "w", "y", "z", "br", "cr", "dr", "fl", "gr", "pl", "pr", "sh", "sl",
           "sp", "st", "str", "th", "tr", "ch", "wh", "sc", "bl", "cl", "gl")  # fmt: skip
_NUCLEI = ("a", "e", "i", "o", "u", "ai", "ea", "ee", "oo", "ou", "ie", "oa", "y")
_CODAS = ("", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ng", "ck", "rt", "ll", "ss",
          "nt", "sh", "th", "x", "ght")  # fmt: skip

# Characters SentencePiece must know even if the generated text lacks them, so that real
# subtitle text does not turn into <unk> pieces.
_REQUIRED_CHARS = (
    "".join(c for c in string.printable if not c.isspace())
    + "áéíóúñüçàèìòùâêîôûäëïöœæß¿¡«»…–—‘’“”€£°"
)


def _pseudo_word(rng: random.Random) -> str:
    syllables = rng.choice((1, 1, 2, 2, 2, 3))
    return "".join(
        rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS) for _ in range(syllables)
    )


def generate_corpus(seed: int, lines: int, pseudo_words: int) -> list[str]:
    """Deterministic English-like sentences (common words mixed with pseudo-words)."""
    rng = random.Random(f"argos-factory-corpus-{seed}")
    common = _COMMON_WORDS.split()
    pseudo = list(dict.fromkeys(_pseudo_word(rng) for _ in range(pseudo_words)))
    out = []
    for _ in range(lines):
        words = []
        for _ in range(rng.randint(2, 14)):
            r = rng.random()
            if r < 0.5:
                words.append(rng.choice(common))
            elif r < 0.95:
                word = rng.choice(pseudo)
                words.append(word.capitalize() if rng.random() < 0.08 else word)
            else:
                words.append(str(rng.randint(0, 2000)))
            if rng.random() < 0.06:
                words[-1] += ","
        words[0] = words[0][:1].upper() + words[0][1:]
        sentence = " ".join(words) + rng.choice("....?!")
        if rng.random() < 0.05:
            sentence = "- " + sentence
        elif rng.random() < 0.04:
            sentence = '"' + sentence + '"'
        out.append(sentence)
    return out


def _train_sentencepiece(seed: int, size: ModelSize) -> bytes:
    import sentencepiece as spm

    corpus = generate_corpus(seed, size.corpus_lines, size.pseudo_words)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_writer=model,
        vocab_size=size.sp_vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        required_chars=_REQUIRED_CHARS,
        num_threads=2,
        minloglevel=2,
    )
    return model.getvalue()


# ---------------------------------------------------------------------------------------
# CTranslate2 model


def _sinusoids(positions: int, depth: int) -> np.ndarray:
    # Same layout as OpenNMT-py / CTranslate2 defaults (sin half, cos half).
    half = depth // 2
    scale = math.log(10000.0) / max(half - 1, 1)
    inv = np.exp(np.arange(half, dtype=np.float64) * -scale)
    t = np.arange(positions, dtype=np.float64)[:, None] * inv[None, :]
    out = np.zeros((positions, depth), dtype=np.float32)
    out[:, :half] = np.sin(t)
    out[:, half : 2 * half] = np.cos(t)
    return out


def _alignment_code(positions: int) -> np.ndarray:
    t = np.arange(positions, dtype=np.float64)[:, None]
    angles = 2.0 * math.pi * t / np.asarray(_ALIGN_PERIODS)[None, :]
    code = np.empty((positions, 2 * len(_ALIGN_PERIODS)), dtype=np.float64)
    code[:, 0::2] = np.cos(angles)
    code[:, 1::2] = np.sin(angles)
    return (_ALIGN_AMPLITUDE * code).astype(np.float32)


class _Weights:
    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)

    def linear(self, out_dim: int, in_dim: int, gain: float = 1.0) -> np.ndarray:
        std = gain / math.sqrt(in_dim)
        out: np.ndarray = self.rng.standard_normal((out_dim, in_dim), dtype=np.float32)
        out *= np.float32(std)
        return out

    def bias(self, dim: int, std: float = 0.02) -> np.ndarray:
        out: np.ndarray = self.rng.standard_normal(dim, dtype=np.float32)
        out *= np.float32(std)
        return out


def _set_layer_norm(spec: Any, depth: int) -> None:
    spec.gamma = np.ones(depth, dtype=np.float32)
    spec.beta = np.zeros(depth, dtype=np.float32)


def _set_linear(
    spec: Any, weight: np.ndarray, bias: np.ndarray, protect: Sequence[int] = ()
) -> None:
    """Assign a linear layer; it never writes the ``protect`` channels."""
    if len(protect):
        weight[list(protect), :] = 0.0
        bias[list(protect)] = 0.0
    spec.weight = weight
    spec.bias = bias


def _set_self_attention(
    spec: Any, w: _Weights, d: int, gain: float, protect: Sequence[int]
) -> None:
    _set_layer_norm(spec.layer_norm, d)
    _set_linear(spec.linear[0], w.linear(3 * d, d), w.bias(3 * d))  # fused q, k, v
    _set_linear(spec.linear[1], w.linear(d, d, gain), w.bias(d), protect)


def _set_ffn(spec: Any, w: _Weights, d: int, ffn: int, gain: float, protect: Sequence[int]) -> None:
    _set_layer_norm(spec.layer_norm, d)
    _set_linear(spec.linear_0, w.linear(ffn, d, math.sqrt(2.0)), w.bias(ffn))
    _set_linear(spec.linear_1, w.linear(d, ffn, gain), w.bias(d), protect)


def _cipher(tokens: list[str], sp_size: int, seed: int) -> list[tuple[list[int], int]]:
    """For each target token: the source tokens it translates, and its position parity.

    Pieces with letters translate into pieces of the same kind (word-initial ``▁`` or
    not), so outputs keep the input's word boundaries, and the choice depends on the
    parity of the target position (sign +1: even steps, -1: odd steps): every target
    piece of a kind stands for two source pieces at one parity, so each source piece has
    one translation at even and one at odd steps.  The parity makes outputs depend on
    context the way a real model's do: translating two sentences separately is not the
    same as translating them together.  Digits, punctuation and specials translate to
    themselves at both parities (sign 0), as a real model copies numbers.
    """
    rng = random.Random(f"argos-factory-cipher-{seed}")
    rows: list[tuple[list[int], int]] = [([i], 0) for i in range(len(tokens))]
    for initial in (True, False):
        group = [
            i
            for i in range(3, sp_size)
            if any(c.isalpha() for c in tokens[i]) and tokens[i].startswith("▁") == initial
        ]
        if len(group) % 2:
            group.pop()  # keeps its identity row
        targets = group[:]
        rng.shuffle(targets)
        half = len(group) // 2
        for sign, row_ids in ((1, targets[:half]), (-1, targets[half:])):
            sources = group[:]
            rng.shuffle(sources)
            for n, row in enumerate(row_ids):
                rows[row] = (sources[2 * n : 2 * n + 2], sign)
    return rows


def _build_ct2_model(model_dir: Path, tokens: list[str], size: ModelSize, seed: int) -> None:
    """A Transformer that "translates" by a token substitution cipher, monotonically.

    Decoder step t attends (every cross-attention head of every layer) to source
    position t through dedicated alignment channels; decoder layer 0 copies the source
    embedding found there into the residual stream and the output projection maps it
    to its cipher token with a large logit margin.  The source gets ``</s>`` appended
    (``add_source_eos``), which maps to ``</s>``, so decoding stops after exactly
    ``len(source pieces)`` tokens.  Every other weight is random, with small gains.
    Large margins keep beam search stable against int8 rounding noise, like a trained
    model (a fully random model flips decisions between batched and single runs).
    """
    from ctranslate2.specs import common_spec, transformer_spec

    d, heads, vocab = size.d_model, size.num_heads, len(tokens)
    head_dim = d // heads
    n_code = 2 * len(_ALIGN_PERIODS)
    if n_code > head_dim:
        raise ValueError(f"head dimension {head_dim} < {n_code} alignment channels")
    code_ch = list(range(n_code))  # alignment code (position)
    zero_ch = n_code  # always 0 before layer norm: reference that cancels the LN mean
    parity_ch = n_code + 1  # decoder: +A on even steps, -A on odd steps
    reserved = [*code_ch, zero_ch, parity_ch]
    free = np.arange(n_code + 2, d)  # token content
    w = _Weights(seed)

    spec = transformer_spec.TransformerSpec.from_config(
        (size.encoder_layers, size.decoder_layers),
        heads,
        pre_norm=True,
        activation=common_spec.Activation.RELU,
    )
    spec.config.decoder_start_token = "<s>"
    spec.config.add_source_eos = True

    # Shared embeddings (multiplied by sqrt(d) at run time): unit-norm rows on the free
    # channels, so that every token copies with the same strength.
    embeddings = np.zeros((vocab, d), dtype=np.float32)
    rows = w.rng.standard_normal((vocab, len(free)), dtype=np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    embeddings[:, free] = rows

    code = _alignment_code(_MAX_POSITIONS)
    pe = np.zeros((_MAX_POSITIONS, d), dtype=np.float32)
    pe[:, free] = _PE_AMPLITUDE * _sinusoids(_MAX_POSITIONS, len(free))
    pe[:, code_ch] = code
    dec_pe = pe.copy()
    dec_pe[:, parity_ch] = _PARITY_AMPLITUDE * (1 - 2 * (np.arange(_MAX_POSITIONS) % 2))

    # Rough residual-stream scales (per channel), used to size the fixed weights.
    n_free = len(free)
    emb_rms = math.sqrt(d / n_free)  # sqrt(d) * unit row spread over n_free channels
    # Each random sublayer adds ~gain^2 per channel; a stack adds _SUBLAYER_VARIANCE.
    enc_gain = math.sqrt(_SUBLAYER_VARIANCE / (2 * size.encoder_layers))
    dec_gain = math.sqrt(_SUBLAYER_VARIANCE / (3 * size.decoder_layers - 1))
    noise = _SUBLAYER_VARIANCE * n_free / d
    sigma_enc = math.sqrt((n_free * (emb_rms**2 + _PE_AMPLITUDE**2 / 2) + n_code * 0.5) / d + noise)
    copy = _COPY_GAIN * sigma_enc  # out-projection gain of the copied (LN'd) embedding
    sigma_dec = math.sqrt(
        (n_free * ((1 + _COPY_GAIN**2) * emb_rms**2 + _PE_AMPLITUDE**2 / 2) + n_code * 0.5 + 1) / d
        + noise * (1 + _COPY_GAIN**2)
    )
    # q.k / sqrt(head_dim) = beta * A^2 / (sigma_dec * sigma_enc * sqrt(hd)) * sum cos(...)
    beta = (
        _ALIGN_SHARPNESS * math.sqrt(head_dim) * sigma_dec * sigma_enc
        / (_ALIGN_AMPLITUDE**2 * _ALIGN_MIN_GAP)
    )  # fmt: skip

    # Encoder
    enc = spec.encoder
    enc.embeddings[0].weight = embeddings
    enc.position_encodings.encodings = pe
    _set_layer_norm(enc.layer_norm, d)
    for layer in enc.layer:
        _set_self_attention(layer.self_attention, w, d, enc_gain, reserved)
        _set_ffn(layer.ffn, w, d, size.ffn_dim, enc_gain, reserved)

    # Decoder
    dec = spec.decoder
    dec.embeddings.weight = embeddings
    dec.position_encodings.encodings = dec_pe
    _set_layer_norm(dec.layer_norm, d)
    for i, layer in enumerate(dec.layer):
        _set_self_attention(layer.self_attention, w, d, dec_gain, reserved)
        att = layer.attention
        _set_layer_norm(att.layer_norm, d)
        q_w, q_b = np.zeros((d, d), np.float32), np.zeros(d, np.float32)
        kv_w, kv_b = np.zeros((2 * d, d), np.float32), np.zeros(2 * d, np.float32)
        for h in range(heads):
            for j, ch in enumerate(code_ch):
                q_w[h * head_dim + j, ch] = beta
                q_w[h * head_dim + j, zero_ch] = -beta
                kv_w[h * head_dim + j, ch] = 1.0
                kv_w[h * head_dim + j, zero_ch] = -1.0
        if i == 0:
            # values: the source's free channels; output: added back, amplified
            kv_w[d + np.arange(n_free), free] = 1.0
            o_w = np.zeros((d, d), np.float32)
            o_w[free, np.arange(n_free)] = copy
            o_b = np.zeros(d, np.float32)
        else:
            kv_w[d:] = w.linear(d, d)
            kv_b[d:] = w.bias(d)
            o_w, o_b = w.linear(d, d, dec_gain), w.bias(d)
        _set_linear(att.linear[0], q_w, q_b)
        _set_linear(att.linear[1], kv_w, kv_b)
        _set_linear(att.linear[2], o_w, o_b, reserved)
        _set_ffn(layer.ffn, w, d, size.ffn_dim, dec_gain, reserved)

    # Output projection: the row of a target token is alpha * (sum of the embeddings of
    # its source tokens) + its parity sign * beta * (PARITY - ZERO).
    # logit(translation of src) ~ alpha * sqrt(d) * COPY / sigma_dec; the best other token
    # is ~ z * sqrt(2 / n_free) of that (z ~ 3.5..4.5 for the largest of `vocab` normals).
    z = math.sqrt(2.0 * math.log(vocab))
    alpha = (
        _LOGIT_MARGIN
        * sigma_dec
        / (math.sqrt(d) * _COPY_GAIN * (1.0 - z * math.sqrt(2.0 / n_free)))
    )
    beta_parity = _PARITY_MARGIN * sigma_dec / _PARITY_AMPLITUDE
    proj_w = np.zeros((vocab, d), dtype=np.float32)
    proj_b = w.bias(vocab, 0.1)
    for row, (sources, sign) in enumerate(_cipher(tokens, size.sp_vocab_size, seed)):
        proj_w[row] = alpha * embeddings[sources].sum(axis=0)
        proj_w[row, parity_ch] = sign * beta_parity
        proj_w[row, zero_ch] = -sign * beta_parity
        # the right parity then just breaks even, so </s> and copied tokens keep their lead
        proj_b[row] -= abs(sign) * _PARITY_MARGIN
    proj_b[tokens.index("<s>")] = _NEG
    if vocab > size.sp_vocab_size:  # padding tokens: random rows, never emitted
        extra = vocab - size.sp_vocab_size
        proj_w[size.sp_vocab_size :, free] = alpha * w.linear(extra, n_free)
        proj_b[size.sp_vocab_size :] = _NEG
    dec.projection.weight = proj_w
    dec.projection.bias = proj_b

    spec.register_source_vocabulary(tokens)
    spec.register_target_vocabulary(tokens)
    spec.validate()
    spec.optimize(quantization=size.quantization)
    spec.save(str(model_dir))


# ---------------------------------------------------------------------------------------
# MiniSBD sentence splitter (a hand-written ONNX graph; no onnx package needed)


def _pb_varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _pb_int(field: int, value: int) -> bytes:
    return _pb_varint(field << 3) + _pb_varint(value)


def _pb_bytes(field: int, value: bytes | str) -> bytes:
    if isinstance(value, str):
        value = value.encode("utf-8")
    return _pb_varint((field << 3) | 2) + _pb_varint(len(value)) + value


_ONNX_FLOAT, _ONNX_INT64 = 1, 7


def _onnx_tensor(name: str, array: np.ndarray) -> bytes:
    elem = {np.dtype(np.float32): _ONNX_FLOAT, np.dtype(np.int64): _ONNX_INT64}[array.dtype]
    out = b"".join(_pb_int(1, dim) for dim in array.shape)
    out += _pb_int(2, elem) + _pb_bytes(8, name)
    return out + _pb_bytes(
        9, np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
    )


def _onnx_value_info(name: str, elem: int, dims: Sequence[int | str]) -> bytes:
    shape = b"".join(
        _pb_bytes(1, _pb_bytes(2, dim) if isinstance(dim, str) else _pb_int(1, dim)) for dim in dims
    )
    tensor_type = _pb_int(1, elem) + _pb_bytes(2, shape)
    return _pb_bytes(1, name) + _pb_bytes(2, _pb_bytes(1, tensor_type))


def _onnx_node(op: str, inputs: Sequence[str], outputs: Sequence[str], **int_attrs: int) -> bytes:
    out = b"".join(_pb_bytes(1, x) for x in inputs) + b"".join(_pb_bytes(2, x) for x in outputs)
    out += _pb_bytes(3, f"{op}_{outputs[0]}") + _pb_bytes(4, op)
    for key, value in int_attrs.items():
        out += _pb_bytes(5, _pb_bytes(1, key) + _pb_int(3, value) + _pb_int(20, 2))
    return out


def _minisbd_model(lang: str) -> bytes:
    """A MiniSBD-compatible ONNX model: sentence break after [.!?…] + space or end."""
    units = ["<PAD>", "<UNK>", " ", ".", "!", "?", "…"]
    terminal = np.array([0, 0, 0, 1, 1, 1, 1], dtype=np.float32)
    space_or_end = np.array([1, 0, 1, 0, 0, 0, 0], dtype=np.float32)
    initializers = [
        _onnx_tensor("zero", np.array(0, dtype=np.int64)),
        _onnx_tensor("s0", np.array([0], dtype=np.int64)),
        _onnx_tensor("s1", np.array([1], dtype=np.int64)),
        _onnx_tensor("end", np.array([2**62], dtype=np.int64)),
        _onnx_tensor("axis1", np.array([1], dtype=np.int64)),
        _onnx_tensor("last", np.array([-1], dtype=np.int64)),
        _onnx_tensor("terminal", terminal),
        _onnx_tensor("space_or_end", space_or_end),
        # class 0 = inside a token, 2 = end of token and sentence
        _onnx_tensor("base", np.array([1, 0, 0, 0, 0], dtype=np.float32)),
        _onnx_tensor("delta", np.array([-1, 0, 2, 0, 0], dtype=np.float32)),
    ]
    nodes = [
        _onnx_node("Slice", ["units", "s0", "s1", "axis1"], ["first"]),
        _onnx_node("Mul", ["first", "zero"], ["pad_col"]),  # <PAD> has id 0
        _onnx_node("Slice", ["units", "s1", "end", "axis1"], ["rest"]),
        _onnx_node("Concat", ["rest", "pad_col"], ["next_units"], axis=1),
        _onnx_node("Gather", ["terminal", "units"], ["is_terminal"], axis=0),
        _onnx_node("Gather", ["space_or_end", "next_units"], ["next_is_space"], axis=0),
        _onnx_node("Mul", ["is_terminal", "next_is_space"], ["is_break"]),
        _onnx_node("Unsqueeze", ["is_break", "last"], ["is_break3"]),
        _onnx_node("Mul", ["is_break3", "delta"], ["shift"]),
        _onnx_node("Add", ["shift", "base"], ["logits"]),
    ]
    graph = b"".join(_pb_bytes(1, n) for n in nodes) + _pb_bytes(2, "minisbd_rules")
    graph += b"".join(_pb_bytes(5, t) for t in initializers)
    graph += _pb_bytes(11, _onnx_value_info("units", _ONNX_INT64, ["batch", "time"]))
    graph += _pb_bytes(11, _onnx_value_info("features", _ONNX_FLOAT, ["batch", "time", "feats"]))
    graph += _pb_bytes(12, _onnx_value_info("logits", _ONNX_FLOAT, ["batch", "time", 5]))
    vocab = {
        "lang": lang,
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_unit2id": {u: i for i, u in enumerate(units)},
        "_id2unit": units,
    }
    config = {"feat_funcs": [], "max_seqlen": 1000, "batch_size": 1, "use_dictionary": False}
    metadata = {"lang_code": lang, "config": json.dumps(config), "vocab": json.dumps(vocab)}
    model = _pb_int(1, 7) + _pb_bytes(2, "subloc-argos-factory")  # IR version 7
    model += _pb_bytes(7, graph) + _pb_bytes(8, _pb_bytes(1, "") + _pb_int(2, 13))
    for key, value in metadata.items():
        model += _pb_bytes(14, _pb_bytes(1, key) + _pb_bytes(2, value))
    return model


# ---------------------------------------------------------------------------------------
# Package


def package_folder_name(from_code: str, to_code: str, version: str) -> str:
    return f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"


def _zip_dir(src: Path, top: str, dest: Path) -> None:
    entries = sorted(p for p in src.rglob("*"))
    with zipfile.ZipFile(dest, "w") as zf:
        info = zipfile.ZipInfo(f"{top}/", date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = 0o40755 << 16
        zf.writestr(info, b"")
        for path in entries:
            name = f"{top}/{path.relative_to(src).as_posix()}"
            info = zipfile.ZipInfo(name + ("/" if path.is_dir() else ""), (1980, 1, 1, 0, 0, 0))
            if path.is_dir():
                info.external_attr = 0o40755 << 16
                zf.writestr(info, b"")
                continue
            info.external_attr = 0o644 << 16
            big = path.stat().st_size > 1 << 20
            info.compress_type = zipfile.ZIP_STORED if big else zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())


def build_argos_package(
    dest_dir: Path,
    *,
    from_code: str = "en",
    to_code: str = "es",
    size: str = "tiny",
    seed: int = 0,
    version: str = "1.0",
) -> Path:
    """Return the path of a `.argosmodel` zip written into dest_dir.

    The zip holds one folder ``translate-<from>_<to>-<version with _>/`` with
    ``metadata.json``, ``model/`` (CTranslate2), ``sentencepiece.model``,
    ``minisbd/<from>.onnx`` and ``README.md``.  Same arguments -> same bytes.
    """
    if size not in SIZES:
        raise ValueError(f"size must be one of {sorted(SIZES)}, not {size!r}")
    spec = SIZES[size]
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    folder = package_folder_name(from_code, to_code, version)
    out = dest_dir / f"{folder}.argosmodel"

    import sentencepiece as spm

    with tempfile.TemporaryDirectory(prefix="argos-factory-") as tmp:
        root = Path(tmp) / folder
        (root / "model").mkdir(parents=True)
        sp_bytes = _train_sentencepiece(seed, spec)
        (root / "sentencepiece.model").write_bytes(sp_bytes)
        sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
        tokens = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
        if tokens[:3] != ["<unk>", "<s>", "</s>"]:
            raise RuntimeError(f"unexpected SentencePiece specials: {tokens[:3]}")
        width = len(str(spec.vocab_size))
        tokens += [f"<pad{i:0{width}d}>" for i in range(len(tokens), spec.vocab_size)]
        _build_ct2_model(root / "model", tokens, spec, seed)

        (root / "minisbd").mkdir()
        (root / "minisbd" / f"{from_code}.onnx").write_bytes(_minisbd_model(from_code))
        metadata = {
            "package_version": version,
            "argos_version": "1.9",
            "from_code": from_code,
            "from_name": LANGUAGE_NAMES.get(from_code, from_code),
            "to_code": to_code,
            "to_name": LANGUAGE_NAMES.get(to_code, to_code),
            "type": "translate",
            "links": [],
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
        (root / "README.md").write_text(
            f"# Test package {from_code} -> {to_code} ({size}, seed {seed})\n\n"
            "Built by subloc's tests/argos_factory.py. Not a translation model: it\n"
            "garbles word pieces with a fixed cipher (decoding is real CTranslate2).\n\n"
            f"- Transformer {spec.encoder_layers}+{spec.decoder_layers} layers, d_model "
            f"{spec.d_model}, {spec.num_heads} heads, ffn {spec.ffn_dim}, "
            f"{spec.quantization}\n"
            f"- vocabulary {spec.vocab_size} ({spec.sp_vocab_size} SentencePiece pieces)\n"
        )
        tmp_zip = Path(tmp) / "package.zip"
        _zip_dir(root, folder, tmp_zip)
        shutil.move(str(tmp_zip), out)
    return out


def install_package(argosmodel: Path, packages_dir: Path) -> Path:
    """Unzip ``argosmodel`` into an ``ARGOS_PACKAGES_DIR``-style directory.

    Mirrors ``argostranslate.package.install_from_path`` (which extracts the zip into
    the packages directory); returns ``packages_dir/<package folder>``.
    """
    packages_dir = Path(packages_dir)
    packages_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(argosmodel) as zf:
        tops = {name.split("/", 1)[0] for name in zf.namelist()}
        if len(tops) != 1:
            raise ValueError(f"{argosmodel}: expected one top-level folder, got {sorted(tops)}")
        zf.extractall(packages_dir)
    package_dir = packages_dir / tops.pop()
    if not (package_dir / "metadata.json").is_file():
        raise ValueError(f"{argosmodel}: no metadata.json in {package_dir.name}/")
    return package_dir


# ---------------------------------------------------------------------------------------
# Reference: what argostranslate 1.11 does

# Options argostranslate.translate.apply_packaged_translation passes to
# Translator.translate_batch for ``translate(text, from, to)`` (num_hypotheses=1,
# settings defaults ARGOS_BEAM_SIZE=4, ARGOS_BATCH_SIZE=32).
ARGOS_TRANSLATE_BATCH_OPTIONS = dict(
    replace_unknowns=True,
    max_batch_size=32,
    batch_type="tokens",
    beam_size=4,
    num_hypotheses=1,
    length_penalty=0.2,
    return_scores=True,
)


_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+")


def split_sentences_like_package(paragraph: str) -> list[str]:
    """The sentences the packaged ``minisbd/*.onnx`` splitter finds in one paragraph.

    A break after ``. ! ? …`` followed by whitespace; sentences are stripped; an empty
    or blank paragraph has no sentences.  (Checked against MiniSBD 0.9.5 running the
    packaged model.)
    """
    paragraph = paragraph.strip()
    return _SENTENCE_BREAK.split(paragraph) if paragraph else []


def argos_translate_like(
    translator: Any,
    sp_processor: Any,
    texts: Sequence[str],
    split_sentences: Callable[[str], list[str]] | None = split_sentences_like_package,
) -> list[str]:
    """Translate each text exactly as ``argostranslate.translate.translate`` (1.11) does.

    ``translator`` is a ``ctranslate2.Translator``, ``sp_processor`` the package's
    ``sentencepiece.SentencePieceProcessor``.  Per text: split into paragraphs on
    ``"\n"``; per paragraph: split into sentences (``split_sentences``; ``None`` = the
    whole stripped paragraph is one sentence), SentencePiece-encode them, translate all
    sentences of the paragraph in ONE ``translate_batch`` call with
    ``ARGOS_TRANSLATE_BATCH_OPTIONS``, concatenate the best hypotheses' pieces, decode
    them with ``decode_pieces``, replace "▁" and "_" by spaces and drop one leading
    space; join the paragraphs with "\n" and strip leading newlines.  (Packages built
    here have no ``target_prefix``.)
    """
    results = []
    for text in texts:
        joined = ""
        for paragraph in text.split("\n"):
            if split_sentences is None:
                sentences = [paragraph.strip()] if paragraph.strip() else []
            else:
                sentences = split_sentences(paragraph)
            tokenized = [sp_processor.encode(sentence, out_type=str) for sentence in sentences]
            batch = (
                translator.translate_batch(
                    tokenized, target_prefix=None, **ARGOS_TRANSLATE_BATCH_OPTIONS
                )
                if tokenized
                else []
            )
            pieces = [piece for result in batch for piece in result.hypotheses[0]]
            value = sp_processor.decode_pieces(pieces).replace("▁", " ").replace("_", " ")
            if value[:1] == " ":
                value = value[1:]
            joined = "\n".join([joined, value])
        results.append(joined.lstrip("\n"))
    return results
