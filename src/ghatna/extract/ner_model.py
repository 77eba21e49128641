"""Which tokens of a sentence are a person, an organisation or a place, by a statistical model:
a linear-chain CRF over word, affix, shape, context (three words either side, and a bag of the next
four: an organisation's head noun) and name-list features (a place by its kind: country, region,
city by size; titles by what they announce).

The model is trained by scripts/train_ner.py (CRFsuite) on IL-NER Hindi (Bahad et al., NAACL
SRW 2024, CC-BY-4.0) and committed as langs/<code>/ner/model.bin (a numpy archive): the weight of every feature
string that survived L1 pruning, per label, and the label transition weights. Tagging does not
need CRFsuite: a token's score is the sum of its features' weights, and every feature depends
on one word only (the token itself or one neighbour at a fixed offset), on a pair of adjacent
words, or on the name-list tag of a neighbour. So the weights of a word's features are summed
once per word and cached, a document's scores are a handful of array gathers, and Viterbi and
forward-backward run over all sentences of a document at once (numpy).

`features` lists the same feature strings for training, so training and tagging cannot drift;
scripts/train_ner.py checks that this tagger and CRFsuite's agree on every dev sentence.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import regex

from ..langs import LanguagePack
from .known_names import KnownNames, fold

LABELS = ("PER", "LOC", "ORG")
_LATIN = regex.compile(r"^\p{Latin}")
_DEVANAGARI = regex.compile(r"^\p{Devanagari}")
_NUKTA_OR_FOREIGN = regex.compile(r"[\u093c\u0911\u0949\u0945\u095b\u095e]")
BOS, EOS = "<s>", "</s>"
# name-list tags (KnownNames.scan) as small integers, for the vectorised lookup
KNOWN_TAGS = ("", *(p + k for k in ("LOC.country", "LOC.region", "LOC.city1m", "LOC.city100k", "LOC.city",
                                  "ORG") for p in ("B-", "I-")), "T.person", "T.place", "T", BOS, EOS)
# words whose scores are cached (448 bytes each): emptied when full, so a long run or a 50 MB
# file, whose numbers and names keep adding words, stays in bounded memory (~10 MB)
_CACHE_MAX_WORDS = 20_000


def _shape(w: str) -> str:
    if w in (BOS, EOS):
        return w
    if w[0].isdigit():
        return "num"
    if _DEVANAGARI.match(w):
        return "deva"
    if _LATIN.match(w):
        if w.isupper() and len(w) > 1:
            return "LAT"
        return "Lat" if w[0].isupper() else "lat"
    return "punct" if len(w) == 1 else "other"


# Devanagari spellings of Latin letter names run together: सीआईआई, ईबीआरडी, पीएम (an acronym)
_DEVA_ACRONYM = regex.compile(
    "^(?:ए|बी|सी|डी|ई|एफ|जी|एच|आई|जे|के|एल|एम|एन|ओ|पी|क्यू|आर|एस|टी|यू|वी|डब्ल्यू|डब्लू|एक्स|वाई|जेड){2,}$")

# Each template lists the features one word contributes from one position relative to the token
# being labelled. Words are folded (known_names.fold) and `raw` is the word as written.

def own_features(w: str, raw: str) -> list[str]:
    sh = _shape(raw)
    f = ["w=" + w, "s1=" + w[-1:], "s2=" + w[-2:], "s3=" + w[-3:], "s4=" + w[-4:],
         "p1=" + w[:1], "p2=" + w[:2], "p3=" + w[:3], "sh=" + sh, "len=" + str(min(len(w), 10))]
    if sh == "deva" and _NUKTA_OR_FOREIGN.search(raw):
        f.append("foreign")  # nukta, ऑ, ॅ: sounds of loanwords and foreign names
    if sh == "deva" and _DEVA_ACRONYM.match(w):
        f.append("acronym")
    return f


def left1_features(w: str, raw: str) -> list[str]:
    if w == BOS:
        return ["w-1=" + BOS]
    return ["w-1=" + w, "s2-1=" + w[-2:], "s3-1=" + w[-3:], "sh-1=" + _shape(raw)]


def right1_features(w: str, raw: str) -> list[str]:
    if w == EOS:
        return ["w+1=" + EOS]
    f = ["w+1=" + w, "s2+1=" + w[-2:], "s3+1=" + w[-3:], "sh+1=" + _shape(raw)]
    if _DEVA_ACRONYM.match(w) and _shape(raw) == "deva":
        f.append("acronym+1")
    return f


def left2_features(w: str, raw: str) -> list[str]:
    return ["w-2=" + w]


def right2_features(w: str, raw: str) -> list[str]:
    return ["w+2=" + w]


def left3_features(w: str, raw: str) -> list[str]:
    return ["w-3=" + w]


def right3_features(w: str, raw: str) -> list[str]:
    return ["w+3=" + w]


def right_bag_features(w: str, raw: str) -> list[str]:
    """A word somewhere in the next four (an organisation's head noun: `... विकास निगम`)."""
    return [] if w in (BOS, EOS) else ["r=" + w]


# name -> (the features a word contributes, the offsets it contributes them from); a model file
# lists the names it was trained with (scripts/train_ner.py --templates), and the tagger sums those
WORD_TEMPLATES = {
    "own": (own_features, (0,)), "left1": (left1_features, (-1,)), "right1": (right1_features, (1,)),
    "left2": (left2_features, (-2,)), "right2": (right2_features, (2,)),
    "left3": (left3_features, (-3,)), "right3": (right3_features, (3,)),
    "right_bag": (right_bag_features, (1, 2, 3, 4)),
}
DEFAULT_TEMPLATES = tuple(WORD_TEMPLATES)
PAD = 4


# Two adjacent words (x, y) as one feature, seen from y, from x, from the word before x and from
# the word after y: the prefix, and where the pair starts relative to the token labelled.
PAIR_TEMPLATES = ("w-1w=", "ww+1=", "w+1w+2=", "w-2w-1=")
PAIR_OFFSETS = (-1, 0, 1, -2)


def pair_features(x: str, y: str) -> list[str]:
    return [prefix + x + "|" + y for prefix in PAIR_TEMPLATES]


def known_features(k: str, k_prev: str, k_next: str) -> list[str]:
    return ["k=" + k, "k-1=" + k_prev, "k+1=" + k_next]


def _padded(words: list[str], folded: list[str]) -> tuple[list[str], list[str]]:
    return [BOS] * PAD + folded + [EOS] * PAD, [BOS] * PAD + words + [EOS] * PAD


def features(words: list[str], names: KnownNames, templates=DEFAULT_TEMPLATES) -> list[dict[str, float]]:
    """The CRF features of every token of one sentence, each with how often it fires (training;
    the tagger sums the same weights)."""
    folded = [fold(w) for w in words]
    known = [BOS, *names.scan(folded, detailed=True), EOS]
    fw, rw = _padded(words, folded)
    out = []
    for i in range(len(words)):
        c = i + PAD
        f = ["b"]
        for name in templates:
            template, offsets = WORD_TEMPLATES[name]
            for off in offsets:
                f += template(fw[c + off], rw[c + off])
        f += [prefix + fw[c + off] + "|" + fw[c + off + 1] for prefix, off in zip(PAIR_TEMPLATES, PAIR_OFFSETS)]
        f += known_features(known[i + 1], known[i], known[i + 2])
        if i == 0:
            f.append("BOS")
        if i + 1 == len(words):
            f.append("EOS")
        counts: dict[str, float] = {}
        for x in f:
            counts[x] = counts.get(x, 0.0) + 1.0
        out.append(counts)
    return out


def spans_of(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first token, end token, label) of each BIO span; a stray I- starts a span."""
    spans, start, label = [], None, None
    for i, t in enumerate([*tags, "O"]):
        if t == "O" and start is None:
            continue  # most tokens
        if t.startswith("I-") and label == t[2:]:
            continue
        if start is not None:
            spans.append((start, i, label))
            start, label = None, None
        if t.startswith(("B-", "I-")):
            start, label = i, t[2:]
    return spans


class Tagged:
    """The model's reading of the sentences of one document: best tags; the probability of a tag
    at a token (forward-backward, per sentence, when first asked); and the cheaper local odds of
    a tag from the token's own state scores alone (softmax over labels, all tokens at once)."""

    def __init__(self, model: NerModel, tags: list[list[str]], padded: np.ndarray, lens: np.ndarray) -> None:
        self.model = model
        self.tags = tags
        self._padded = padded
        self._lens = lens
        self._marginals: dict[int, np.ndarray] = {}
        self._softmax: np.ndarray | None = None
        self._local: dict[str, list[list[float]]] = {}

    def marginal(self, sentence: int, label: str, token: int) -> float:
        m = self._marginals.get(sentence)
        if m is None:
            m = self._marginals[sentence] = self.model.marginals(
                self._padded[sentence:sentence + 1], self._lens[sentence:sentence + 1])[0]
        return float(m[token, self.model.label_index[label]])

    def local(self, sentence: int, label: str, token: int) -> float:
        return self.local_odds(sentence, label)[token]

    def local_odds(self, sentence: int, label: str) -> list[float]:
        """`local` for every token of one sentence."""
        odds = self._local.get(label)
        if odds is None:  # asked for every token: one array pass, then plain list lookups
            if self._softmax is None:
                e = np.exp(self._padded - self._padded.max(axis=2, keepdims=True))
                self._softmax = e / e.sum(axis=2, keepdims=True)
            odds = self._local[label] = self._softmax[:, :, self.model.label_index[label]].tolist()
        return odds[sentence]


class NerModel:
    def __init__(self, path, names: KnownNames) -> None:
        with np.load(path) as data:
            attributes = bytes(data["attributes"]).decode("utf-8").split("\n")
            weights = data["weights"].astype(np.float64)
            self.transitions = data["transitions"].astype(np.float64)  # [from, to]
            self.labels = bytes(data["labels"]).decode("utf-8").split("\n")
            self.templates = tuple(bytes(data["templates"]).decode("utf-8").split("\n"))
        self._template_fns = [WORD_TEMPLATES[t][0] for t in self.templates]
        # (template column, offset) of every word-feature group summed into a token's score
        self._uses = [(k, off) for k, t in enumerate(self.templates) for off in WORD_TEMPLATES[t][1]]
        self.index = dict(zip(attributes, range(len(attributes))))
        # one extra all-zero row: the weight of every feature the model does not know
        self.weights = np.vstack([weights, np.zeros((1, weights.shape[1]))])
        self.missing = len(attributes)
        self.label_index = {lab: i for i, lab in enumerate(self.labels)}
        self.names = names
        n_labels = len(self.labels)
        self._exp_transitions = np.exp(self.transitions)
        self._base = self._sum(["b"])
        self._bos, self._eos = self._sum(["BOS"]), self._sum(["EOS"])
        n_known = len(KNOWN_TAGS)
        self._known = np.zeros((3, n_known, n_labels))
        for j, k in enumerate(KNOWN_TAGS):
            for pos, name in enumerate(("k=", "k-1=", "k+1=")):
                self._known[pos, j] = self._sum([name + k])
        self._known_code = {k: j for j, k in enumerate(KNOWN_TAGS)}
        # per word: the summed weights of its features from each of the template positions
        self._word_row: dict[str, int] = {}
        self._word_scores = np.zeros((1024, len(self.templates), n_labels))
        # per adjacent pair of words the model has weights for: its four pair features; row 0 = none
        self._pair_row, self._pair_scores = self._pair_table(attributes)

    def _sum(self, feats: list[str]) -> np.ndarray:
        get, missing = self.index.get, self.missing
        return self.weights[[get(f, missing) for f in feats]].sum(axis=0)

    def _pair_table(self, attributes: list[str]) -> tuple[dict[tuple[str, str], int], np.ndarray]:
        """Every pair of words some pair feature of the model names, with the weights of its four
        pair features; any other pair has none, so it needs no lookup beyond this dict. A feature
        `w-1w=x|y` is read as every split of `x|y` at a `|` (a `|` token makes the split ambiguous;
        each split names exactly this feature string, so each is right)."""
        pairs: dict[tuple[str, str], int] = {}
        prefixes = frozenset(PAIR_TEMPLATES)
        for a in attributes:
            prefix, _, body = a.partition("=")
            if prefix + "=" not in prefixes:
                continue
            k = body.find("|", 1)
            while 0 < k < len(body) - 1:
                pairs.setdefault((body[:k], body[k + 1:]), len(pairs) + 1)
                k = body.find("|", k + 1)
        get, missing = self.index.get, self.missing
        index = np.full((len(pairs) + 1, len(PAIR_TEMPLATES)), missing, dtype=np.intp)
        for (x, y), r in pairs.items():
            index[r] = [get(f, missing) for f in pair_features(x, y)]
        return pairs, self.weights[index]

    def _rows(self, folded: list[str], words: list[str]) -> list[int]:
        """Per word, its row in the word-score cache; words not seen before are scored first."""
        rows = self._word_row
        if len(rows) > _CACHE_MAX_WORDS:
            rows.clear()
        out = [rows.get(raw) for raw in words]
        if None in out:
            new = []
            for k, r in enumerate(out):
                if r is None:
                    raw = words[k]
                    r = rows.get(raw)
                    if r is None:  # first time in this call too
                        r = rows[raw] = len(rows)
                        new.append((r, folded[k], raw))
                    out[k] = r
            self._score_words(new, len(rows))
        return out

    def _score_words(self, new: list[tuple[int, str, str]], need: int) -> None:
        """Fill the cache rows of new words: per template, the sum of its features' weights
        (added in feature order, as a row-wise sum would: the same floating-point result), all
        words of a document in one numpy call rather than one per word and template."""
        if need > self._word_scores.shape[0]:
            size = max(need, min(2 * self._word_scores.shape[0], _CACHE_MAX_WORDS + 1024))
            grown = np.zeros((size,) + self._word_scores.shape[1:])
            grown[:self._word_scores.shape[0]] = self._word_scores
            self._word_scores = grown
        n_templates = len(self._template_fns)
        cells: list[int] = []  # row * n_templates + template, once per feature
        names: list[str] = []
        for r, w, raw in new:
            cell = r * n_templates
            for template in self._template_fns:
                fs = template(w, raw)
                cells += [cell] * len(fs)
                names += fs
                cell += 1
        flat = self._word_scores.reshape(-1, self._word_scores.shape[2])
        flat[new[0][0] * n_templates:(new[-1][0] + 1) * n_templates] = 0.0  # new rows are consecutive
        get = self.index.get
        feats = [get(f, -1) for f in names]
        known = [k for k, f in enumerate(feats) if f >= 0]  # the model knows few of them
        np.add.at(flat, np.asarray(cells, dtype=np.intp)[known], self.weights[np.asarray(feats, dtype=np.intp)[known]])

    def scores(self, sentences: list[list[str]], folded: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """(sentences x longest x labels) state scores, zero-padded, and the sentence lengths."""
        fw: list[str] = []
        rw: list[str] = []
        kc: list[int] = []
        centre: list[int] = []
        code = self._known_code
        lens = np.array([len(w) for w in sentences], dtype=np.intp)
        for words, fold_words in zip(sentences, folded):
            known = self.names.scan(fold_words, detailed=True)
            base = len(fw)
            fw += [BOS] * PAD + fold_words + [EOS] * PAD
            rw += [BOS] * PAD + words + [EOS] * PAD
            kc += [code[BOS]] * PAD + [code[k] for k in known] + [code[EOS]] * PAD
            centre += range(base + PAD, base + PAD + len(words))
        n_labels = len(self.labels)
        longest = int(lens.max()) if len(lens) else 0
        padded = np.zeros((len(sentences), longest, n_labels))
        if not centre:
            return padded, lens
        rows = np.asarray(self._rows(fw, rw))
        get = self._pair_row.get
        pairs = np.asarray([get(p, 0) for p in zip(fw, fw[1:])])
        c = np.asarray(centre)
        ws, ps = self._word_scores, self._pair_scores
        kc_arr = np.asarray(kc)
        s = (self._base + sum(ws[rows[c + off], k] for k, off in self._uses)
             + sum(ps[pairs[c + off], k] for k, off in enumerate(PAIR_OFFSETS))
             + self._known[0, kc_arr[c]] + self._known[1, kc_arr[c - 1]] + self._known[2, kc_arr[c + 1]])
        sent = np.repeat(np.arange(len(sentences)), lens)
        pos = np.arange(len(c)) - np.repeat(np.cumsum(lens) - lens, lens)
        padded[sent, pos] = s
        nonempty = np.flatnonzero(lens)
        padded[nonempty, 0] += self._bos
        padded[nonempty, lens[nonempty] - 1] += self._eos
        return padded, lens

    def viterbi(self, padded: np.ndarray, lens: np.ndarray) -> list[list[str]]:
        """The best tag sequence of every sentence, all sentences stepped through together:
        longest first, so the sentences still running at a step are a prefix of the batch (no
        masking of finished ones)."""
        n_sent, longest, n_labels = padded.shape
        if longest == 0:
            return [[] for _ in range(n_sent)]
        order = np.argsort(-lens, kind="stable")
        scores = padded[order]
        running = np.searchsorted(-lens[order], -np.arange(longest), side="left").tolist()  # sentences longer than t
        delta = scores[:, 0].copy()
        back = np.empty((longest, n_sent, n_labels), dtype=np.intp)
        trans = self.transitions[None]
        for t in range(1, longest):
            k = running[t]
            cand = delta[:k, :, None] + trans
            back[t, :k] = cand.argmax(axis=1)
            delta[:k] = cand.max(axis=1) + scores[:k, t]
        path = np.empty((n_sent, longest), dtype=np.intp)
        last = delta.argmax(axis=1)
        path[:, longest - 1] = last
        every = np.arange(n_sent)
        for t in range(longest - 1, 0, -1):
            k = running[t]
            last[:k] = back[t, every[:k], last[:k]]
            path[:, t - 1] = last
        labels = self.labels
        best = [None] * n_sent
        for b, row, n in zip(order.tolist(), path.tolist(), lens[order].tolist()):
            best[b] = [labels[k] for k in row[:n]]
        return best

    def marginals(self, padded: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """(sentences x tokens x labels) probability of each label at each token (scaled
        forward-backward, all sentences together; padding positions carry no information)."""
        n_sent, longest, _ = padded.shape
        live = (np.arange(longest)[None, :] < lens[:, None])[:, :, None]
        e = np.where(live, np.exp(padded - padded.max(axis=2, keepdims=True)), 1.0)
        et = self._exp_transitions
        alpha = np.empty_like(e)
        beta = np.empty_like(e)
        a = e[:, 0]
        alpha[:, 0] = a / a.sum(axis=1, keepdims=True)
        for t in range(1, longest):
            a = (alpha[:, t - 1] @ et) * e[:, t]
            alpha[:, t] = np.where(live[:, t], a / a.sum(axis=1, keepdims=True), alpha[:, t - 1])
        beta[:, longest - 1] = 1.0
        for t in range(longest - 2, -1, -1):
            b = (e[:, t + 1] * beta[:, t + 1]) @ et.T
            beta[:, t] = np.where(live[:, t + 1], b / b.sum(axis=1, keepdims=True), 1.0)
        m = alpha * beta
        return m / m.sum(axis=2, keepdims=True)

    def tag_sentences(self, sentences: list[list[str]], folded: list[list[str]] | None = None) -> Tagged:
        """Tag the sentences (lists of words) of one document; `folded`: the same words folded."""
        if folded is None:
            folded = [[fold(w) for w in words] for words in sentences]
        padded, lens = self.scores(sentences, folded)
        return Tagged(self, self.viterbi(padded, lens), padded, lens)

    def tag(self, words: list[str]) -> list[str]:
        return self.tag_sentences([words]).tags[0] if words else []


def model_path(pack: LanguagePack):
    return resources.files("ghatna.langs").joinpath(pack.code, "ner", "model.bin")


@cache
def ner_model(pack: LanguagePack) -> NerModel | None:
    """The pack's trained model, or None for a pack that has none."""
    from .known_names import known_names

    path = model_path(pack)
    if not path.is_file():
        return None
    return NerModel(str(path), known_names(pack))
