#!/usr/bin/python3
"""Trains Lanewise's difficulty model with one command:

    tools/train/train_difficulty.py --lanewise build/src/app/lanewise

Reads data/routing/*.jsonl (TRAIN split only: the first byte of SHA-256 over the prompt's
UTF-8 bytes is even), asks the C++ binary for the features of every prompt
(`lanewise difficulty-features`), so the features are exactly the ones scored at run time,
and fits an L2-regularised logistic regression (numpy, full-batch Adam) to a soft label:
how much the strong model's answer is better than the weak one's, half the row's own and
half its group's (MMLU subject, MT-Bench category). Writes

    data/difficulty/weights.txt       the model (read by inspect::DifficultyModel)
    data/difficulty/calibration.txt   training-score quantiles and objective shares
    data/difficulty/ood/...           the same, trained on MMLU-train and AlpacaEval-train
                                      only (eval-routing's out-of-domain setting)

Deterministic: the same data and binary give the same files.
"""
import argparse, hashlib, json, os, subprocess, sys
import numpy as np

SETS = ('gsm8k', 'mmlu', 'mt_bench', 'alpacaeval')
# The shipped model learns from these; AlpacaEval's rows only join its score quantiles.
# AlpacaEval's label (a GPT-4-turbo judge's preference between Mixtral's and GPT-4's answers)
# runs against the capability gap the routed benchmarks measure: on its TRAIN rows the gain
# is LOWER with numbers, code words, lists and line breaks and higher for writing and
# role-play, the opposite of MT-Bench's TRAIN rows, and both share the open-prompt weights.
MAIN_SETS = ('gsm8k', 'mmlu', 'mt_bench')
# Weight of one row of each set in the loss: MT-Bench is small but is the open-ended
# chat the gateway mostly sees.
# These and L2 (from an earlier 3-fold search), re-checked, and the labels and the features
# were chosen by 5-fold cross-validation on the TRAIN split (--cv: APGR of GSM8K, MMLU and
# MT-Bench out of fold), never on the test split. GSM8K 12 or MT-Bench 30, L2 1e-3 or 1e-4
# did no better; re-checked with features v5: MT-Bench 10 or 25, ROW_SHARE 0.25, MMLU's
# GROUP_PRIOR 5, L2 1.5e-4, 2^18 hash buckets (features v4) did no better either.
SET_WEIGHT = {'gsm8k': 6.0, 'mmlu': 1.0, 'mt_bench': 15.0, 'alpacaeval': 1.0}
# Objective -> share of the weak-to-strong quality gap it must recover on the training data.
OBJECTIVE_RECOVERY = {'quality': 0.90, 'balanced': 0.60, 'cost': 0.30, 'privacy-first': 0.10}
L2 = 3e-4
# Labels (see labels()): the share of a row's own gain, the rest its group's mean gain;
# pseudo-rows of the set's mean gain in each group's mean. Chosen by the same
# cross-validation as SET_WEIGHT and L2.
ROW_SHARE = 0.5
GROUP_PRIOR = {'mmlu': 20.0, 'mt_bench': 2.0}
# The model is fitted on the whole TRAIN split. Its score quantiles and objective shares
# come from out-of-fold scores: the TRAIN split is cut in FOLDS parts by the second byte of
# the prompt's SHA-256, and each part is scored by a model fitted on the other parts with
# the same settings. In-sample scores would be overconfident.
FOLDS = 5
ITERATIONS = 400
LEARNING_RATE = 0.025
QUANTILES = 1001


def is_train(prompt):
    return hashlib.sha256(prompt.encode('utf-8')).digest()[0] % 2 == 0


def load_rows(data_dir):
    rows = []
    for name in SETS:
        with open(os.path.join(data_dir, f'{name}.jsonl'), encoding='utf-8') as f:
            rows += [json.loads(line) for line in f]
    return rows


def gain(row):
    """How much better the strong model's answer is, on one scale for all sets."""
    g = row['strong'] - row['weak']
    if row['set'] == 'mt_bench':
        g /= 3.0  # judge scores 1-10: a 3-point gain counts as a full one
    elif row['set'] == 'alpacaeval':
        g *= 2.0  # preference 0..1 against strong's 0.5
    return g


def labels(rows):
    """Soft labels in [0, 1]: 0.5 when both models are as good, 1 when only strong is.

    One row's outcome is a noisy draw (a right or wrong answer, one judge score), so on the
    sets with groups (MMLU subjects, MT-Bench categories) the label is half the row's own
    gain and half its group's mean gain over the given (training) rows, shrunk towards the
    set's mean by GROUP_PRIOR pseudo-rows. GSM8K and AlpacaEval keep the row's gain."""
    g = np.array([gain(r) for r in rows])
    out = g.copy()
    for s, prior in GROUP_PRIOR.items():
        in_set = np.array([r['set'] == s for r in rows])
        if not in_set.any():
            continue
        set_mean = g[in_set].mean()
        groups = np.array([r['group'] for r in rows])
        for group in sorted(set(groups[in_set])):
            mask = in_set & (groups == group)
            group_mean = (g[mask].sum() + prior * set_mean) / (mask.sum() + prior)
            out[mask] = ROW_SHARE * g[mask] + (1 - ROW_SHARE) * group_mean
    return np.clip(0.5 + out / 2, 0.0, 1.0)


def features(lanewise, prompts, weights=None):
    """Feature lines (or, with weights, scores) from the C++ binary."""
    cmd = [lanewise, 'difficulty-features'] + (['--weights', weights] if weights else [])
    stdin = ''.join(json.dumps({'prompt': p}, ensure_ascii=False) + '\n' for p in prompts)
    out = subprocess.run(cmd, input=stdin.encode('utf-8'), capture_output=True, check=True)
    return out.stdout.decode('utf-8').splitlines()


def sparse(lines):
    """(row, index, value) arrays of the feature lines."""
    row, idx, val = [], [], []
    for i, line in enumerate(lines):
        for item in line.split():
            k, v = item.split(':')
            row.append(i); idx.append(int(k)); val.append(float(v))
    return np.array(row, dtype=np.int64), np.array(idx, dtype=np.int64), np.array(val)


def describe(lanewise):
    """(feature version, feature count) of the binary's feature extractor."""
    out = subprocess.run([lanewise, 'difficulty-features', '--describe'], capture_output=True,
                         check=True).stdout.decode().split()
    return out[0], int(out[1])


def margins(x, n, w, bias):
    row, idx, val = x
    return bias + np.bincount(row, weights=val * w[idx], minlength=n)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def fit(x, n, dim, y, sample_weight):
    row, idx, val = x
    w = np.zeros(dim); bias = 0.0
    m = np.zeros(dim); v = np.zeros(dim); mb = vb = 0.0
    total = sample_weight.sum()
    for t in range(1, ITERATIONS + 1):
        g = (sigmoid(margins(x, n, w, bias)) - y) * sample_weight / total
        grad = np.bincount(idx, weights=val * g[row], minlength=dim) + L2 * w
        gb = g.sum()
        m = 0.9 * m + 0.1 * grad; v = 0.999 * v + 0.001 * grad * grad
        mb = 0.9 * mb + 0.1 * gb; vb = 0.999 * vb + 0.001 * gb * gb
        c1, c2 = 1 - 0.9 ** t, 1 - 0.999 ** t
        w -= LEARNING_RATE * (m / c1) / (np.sqrt(v / c2) + 1e-8)
        bias -= LEARNING_RATE * (mb / c1) / (np.sqrt(vb / c2) + 1e-8)
    return w, bias


# RouteLLM's protocol, as ../shared/tools/routellm_metrics.py and src/inspect/difficulty/
# routing_metrics.cpp compute it: 11 thresholds at the score quantiles.
def quantile(sorted_xs, q):
    pos = (len(sorted_xs) - 1) * q; lo = int(pos); hi = min(lo + 1, len(sorted_xs) - 1)
    return sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * (pos - lo)


def curve(scores, weak, strong):
    order = sorted(scores); n = len(scores); points = []
    for i in range(11):
        t = quantile(order, i / 10)
        chosen = scores > t if i == 10 else scores >= t
        points.append((100.0 * chosen.sum() / n, np.where(chosen, strong, weak).mean()))
    points.sort()
    return [p[0] for p in points], [p[1] for p in points]


def cpt(scores, weak, strong, recovery):
    xs, ys = curve(scores, weak, strong)
    target = weak.mean() + recovery * (strong.mean() - weak.mean())
    return interp(target, ys, xs) / 100.0


def apgr(scores, weak, strong):
    xs, ys = curve(scores, weak, strong)
    auc = sum((xs[i + 1] - xs[i]) / 100 * (ys[i + 1] + ys[i]) / 2 for i in range(len(xs) - 1))
    span = (xs[-1] - xs[0]) / 100
    return (auc - weak.mean() * span) / ((strong.mean() - weak.mean()) * span)


def interp(x, xp, fp):
    """np.interp for increasing xp, read segment by segment like routellm_metrics.py."""
    if x <= xp[0]: return fp[0]
    if x >= xp[-1]: return fp[-1]
    for i in range(len(xp) - 1):
        if xp[i] <= x <= xp[i + 1]:
            return fp[i] if xp[i + 1] == xp[i] else fp[i] + (fp[i + 1] - fp[i]) * (x - xp[i]) / (xp[i + 1] - xp[i])
    return fp[-1]


def write_model(out_dir, w, bias, train_scores, objective_shares, note):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, 'weights.txt'), 'w') as f:
        f.write(f'# Lanewise difficulty model: logistic regression, {note}\n')
        f.write('# Written by tools/train/train_difficulty.py; see data/difficulty/SOURCE.txt.\n')
        f.write('format lanewise-difficulty-weights 1\n')
        f.write(f'features {FEATURE_VERSION}\n')
        f.write(f'bias {bias:.9g}\n')
        for i in np.nonzero(w)[0]:
            f.write(f'{i} {w[i]:.9g}\n')
    order = np.sort(train_scores)
    qs = [quantile(order, i / (QUANTILES - 1)) for i in range(QUANTILES)]
    with open(os.path.join(out_dir, 'calibration.txt'), 'w') as f:
        f.write(f'# Training-score quantiles and objective shares, {note}\n')
        f.write('format lanewise-difficulty-calibration 1\n')
        f.write(f'features {FEATURE_VERSION}\n')
        for name, share in objective_shares.items():
            f.write(f'objective {name} {share:.4f}\n')
        f.write('quantiles ' + ' '.join(f'{q:.9g}' for q in qs) + '\n')


def fold_of(prompt):
    return hashlib.sha256(prompt.encode('utf-8')).digest()[1] % FOLDS


FEATURE_VERSION, FEATURE_COUNT = None, None


def fit_rows(x, rows):
    return fit(x, len(rows), FEATURE_COUNT, labels(rows),
               np.array([SET_WEIGHT[r['set']] for r in rows]))


def take(x, keep):
    """The rows `keep` (a boolean mask) of sparse features x, renumbered."""
    row, idx, val = x
    renumber = np.cumsum(keep) - 1
    mask = keep[row]
    return renumber[row[mask]], idx[mask], val[mask]


def train(lanewise, rows, sets, out_dir, note, unlabelled=()):
    """Fits on the TRAIN rows of `sets`; the TRAIN rows of `unlabelled` only join the
    score quantiles (scored by the fitted model, which never saw them)."""
    train_rows = [r for r in rows if r['set'] in sets and is_train(r['prompt'])]
    x = sparse(features(lanewise, [r['prompt'] for r in train_rows]))
    n = len(train_rows)
    w, bias = fit_rows(x, train_rows)
    folds = np.array([fold_of(r['prompt']) for r in train_rows])
    scores = np.zeros(n)
    for k in range(FOLDS):
        held = folds == k
        fitted = [r for r, h in zip(train_rows, held) if not h]
        wk, bk = fit_rows(take(x, ~held), fitted)
        scores[held] = sigmoid(margins(take(x, held), int(held.sum()), wk, bk))
    # Objective shares: the mean, over the routed benchmarks with enough rows, of the strong
    # share that recovers the objective's part of the quality gap (out-of-fold scores).
    shares = {}
    for objective, recovery in OBJECTIVE_RECOVERY.items():
        per_set = []
        for s in ('gsm8k', 'mmlu', 'mt_bench'):
            mask = np.array([r['set'] == s for r in train_rows])
            if s not in sets or mask.sum() < 100: continue  # MT-Bench's 38 rows: too few
            weak = np.array([r['weak'] for r in train_rows])[mask]
            strong = np.array([r['strong'] for r in train_rows])[mask]
            per_set.append(cpt(scores[mask], weak, strong, recovery))
        shares[objective] = min(0.98, max(0.02, float(np.mean(per_set)))) if per_set else recovery
    extra = [r['prompt'] for r in rows if r['set'] in unlabelled and is_train(r['prompt'])]
    if extra:
        scores = np.concatenate(
            [scores, sigmoid(margins(sparse(features(lanewise, extra)), len(extra), w, bias))])
    write_model(out_dir, w, bias, scores, shares, note)
    print(f'{out_dir}: {n} training rows ({", ".join(sets)}), {FOLDS}-fold out-of-fold '
          f'calibration (+{len(extra)} unlabelled rows), {int((w != 0).sum())} weights, '
          f'objective shares {shares}')


# Model selection (--cv): 5-fold cross-validation inside the TRAIN split, folds by the
# second byte of the prompt's SHA-256 mod 5; each set's APGR over its pooled out-of-fold
# scores. The test split is never read.
CV_FOLDS = FOLDS


def cross_validate(lanewise, rows, sets):
    train_rows = [r for r in rows if r['set'] in sets and is_train(r['prompt'])]
    x = sparse(features(lanewise, [r['prompt'] for r in train_rows]))
    folds = np.array([hashlib.sha256(r['prompt'].encode('utf-8')).digest()[1] % CV_FOLDS
                      for r in train_rows])
    scores = np.zeros(len(train_rows))
    for k in range(CV_FOLDS):
        held = folds == k
        w, bias = fit_rows(take(x, ~held), [r for r, h in zip(train_rows, held) if not h])
        scores[held] = margins(take(x, held), int(held.sum()), w, bias)
    for s in ('gsm8k', 'mmlu', 'mt_bench'):
        mask = np.array([r['set'] == s for r in train_rows])
        weak = np.array([r['weak'] for r in train_rows])[mask]
        strong = np.array([r['strong'] for r in train_rows])[mask]
        length = np.array([len(r['prompt']) + 1e-6 * i
                           for i, r in enumerate(r for r, m in zip(train_rows, mask) if m)])
        print(f'{s}: {mask.sum()} TRAIN rows, out-of-fold APGR {apgr(scores[mask], weak, strong):.3f}'
              f' (prompt length {apgr(length, weak, strong):.3f})')


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    project = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--lanewise', default=os.path.join(project, 'build', 'src', 'app', 'lanewise'),
                   help='the lanewise binary whose features are trained on')
    p.add_argument('--data', default=os.path.join(project, 'data', 'routing'))
    p.add_argument('--out', default=os.path.join(project, 'data', 'difficulty'))
    p.add_argument('--cv', action='store_true',
                   help='print 5-fold cross-validated APGR on the TRAIN split; write nothing')
    args = p.parse_args()
    global FEATURE_VERSION, FEATURE_COUNT
    FEATURE_VERSION, FEATURE_COUNT = describe(args.lanewise)
    rows = load_rows(args.data)
    if args.cv:
        return cross_validate(args.lanewise, rows, MAIN_SETS)
    train(args.lanewise, rows, MAIN_SETS, args.out,
          'trained on the TRAIN split of GSM8K, MMLU, MT-Bench', unlabelled=('alpacaeval',))
    train(args.lanewise, rows, ('mmlu', 'alpacaeval'), os.path.join(args.out, 'ood'),
          'out-of-domain: trained on the TRAIN split of MMLU and AlpacaEval only')


if __name__ == '__main__':
    sys.exit(main())
