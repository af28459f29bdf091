#!/usr/bin/python3
"""Trains Lanewise's difficulty model with one command:

    tools/train/train_difficulty.py --lanewise build/src/app/lanewise

Reads data/routing/*.jsonl (TRAIN split only: the first byte of SHA-256 over the prompt's
UTF-8 bytes is even), asks the C++ binary for the features of every prompt
(`lanewise difficulty-features`), so the features are exactly the ones scored at run time,
and fits an L2-regularised logistic regression (numpy, full-batch Adam) to a soft label:
how much the strong model's answer is better than the weak one's. Writes

    data/difficulty/weights.txt       the model (read by inspect::DifficultyModel)
    data/difficulty/calibration.txt   training-score quantiles and objective shares
    data/difficulty/ood/...           the same, trained on MMLU-train and AlpacaEval-train
                                      only (eval-routing's out-of-domain setting)

Deterministic: the same data and binary give the same files.
"""
import argparse, hashlib, json, os, subprocess, sys
import numpy as np

SETS = ('gsm8k', 'mmlu', 'mt_bench', 'alpacaeval')
# Weight of one row of each set in the loss: MT-Bench is small but is the open-ended
# chat the gateway mostly sees.
# These and L2 were chosen by 3-fold cross-validation on the TRAIN split (mean APGR of
# GSM8K, MMLU and MT-Bench out of fold), never on the test split.
SET_WEIGHT = {'gsm8k': 6.0, 'mmlu': 1.0, 'mt_bench': 15.0, 'alpacaeval': 1.0}
# Objective -> share of the weak-to-strong quality gap it must recover on the training data.
OBJECTIVE_RECOVERY = {'quality': 0.90, 'balanced': 0.60, 'cost': 0.30, 'privacy-first': 0.10}
L2 = 3e-4
# The TRAIN split is cut in FOLDS parts by the second byte of the prompt's SHA-256: the
# model is fitted on all but the last, whose rows (never seen by the model) give the score
# quantiles and objective shares. In-sample scores would be overconfident, and scores of
# other models (cross-validation) are spread differently from the shipped model's.
FOLDS = 3
CALIBRATION_FOLD = FOLDS - 1
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


def label(row):
    """Soft label in [0, 1]: 0.5 when both models are as good, 1 when only strong is."""
    gain = row['strong'] - row['weak']
    if row['set'] == 'mt_bench':
        gain /= 3.0  # judge scores 1-10: a 3-point gain counts as a full one
    elif row['set'] == 'alpacaeval':
        gain *= 2.0  # preference 0..1 against strong's 0.5
    return min(1.0, max(0.0, 0.5 + gain / 2))


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


def cpt(scores, weak, strong, recovery):
    order = sorted(scores); n = len(scores); points = []
    for i in range(11):
        t = quantile(order, i / 10)
        chosen = scores > t if i == 10 else scores >= t
        points.append((100.0 * chosen.sum() / n, np.where(chosen, strong, weak).mean()))
    points.sort()
    xs = [p[0] for p in points]; ys = [p[1] for p in points]
    target = weak.mean() + recovery * (strong.mean() - weak.mean())
    return interp(target, ys, xs) / 100.0


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


def train(lanewise, rows, sets, out_dir, note):
    train_rows = [r for r in rows if r['set'] in sets and is_train(r['prompt'])]
    chosen = [r for r in train_rows if fold_of(r['prompt']) != CALIBRATION_FOLD]
    held = [r for r in train_rows if fold_of(r['prompt']) == CALIBRATION_FOLD]
    lines = features(lanewise, [r['prompt'] for r in chosen])
    x = sparse(lines); n = len(chosen)
    y = np.array([label(r) for r in chosen])
    sw = np.array([SET_WEIGHT[r['set']] for r in chosen])
    w, bias = fit(x, n, FEATURE_COUNT, y, sw)
    scores = sigmoid(margins(sparse(features(lanewise, [r['prompt'] for r in held])), len(held), w, bias))
    # Objective shares: the mean, over the routed benchmarks with enough held-out rows, of
    # the strong share that recovers the objective's part of the quality gap.
    shares = {}
    for objective, recovery in OBJECTIVE_RECOVERY.items():
        per_set = []
        for s in ('gsm8k', 'mmlu', 'mt_bench'):
            mask = np.array([r['set'] == s for r in held])
            if s not in sets or mask.sum() < 30: continue
            weak = np.array([r['weak'] for r in held])[mask]
            strong = np.array([r['strong'] for r in held])[mask]
            per_set.append(cpt(scores[mask], weak, strong, recovery))
        shares[objective] = min(0.98, max(0.02, float(np.mean(per_set)))) if per_set else recovery
    write_model(out_dir, w, bias, scores, shares, note)
    print(f'{out_dir}: {n} training rows, {len(held)} calibration rows ({", ".join(sets)}), '
          f'{int((w != 0).sum())} weights, objective shares {shares}')


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    project = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--lanewise', default=os.path.join(project, 'build', 'src', 'app', 'lanewise'),
                   help='the lanewise binary whose features are trained on')
    p.add_argument('--data', default=os.path.join(project, 'data', 'routing'))
    p.add_argument('--out', default=os.path.join(project, 'data', 'difficulty'))
    args = p.parse_args()
    global FEATURE_VERSION, FEATURE_COUNT
    FEATURE_VERSION, FEATURE_COUNT = describe(args.lanewise)
    rows = load_rows(args.data)
    train(args.lanewise, rows, SETS, args.out, 'trained on the TRAIN split of GSM8K, MMLU, MT-Bench, AlpacaEval')
    train(args.lanewise, rows, ('mmlu', 'alpacaeval'), os.path.join(args.out, 'ood'),
          'out-of-domain: trained on the TRAIN split of MMLU and AlpacaEval only')


if __name__ == '__main__':
    sys.exit(main())
