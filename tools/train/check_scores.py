#!/usr/bin/python3
"""Checks that Python (the trainer's arithmetic) and C++ (inspect::DifficultyModel) give
the same difficulty scores: the C++ binary dumps each prompt's features, Python scores them
with the weights file exactly as train_difficulty.py does, and the binary scores the same
prompts itself. Exits non-zero when any score differs by more than 1e-6.

    tools/train/check_scores.py --lanewise build/src/app/lanewise [--count 300]
"""
import argparse, json, os, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_difficulty as trainer  # noqa: E402


def read_weights(path, dimension):
    w = np.zeros(dimension); bias = None
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts or parts[0].startswith('#') or parts[0] in ('format', 'features'):
                continue
            if parts[0] == 'bias':
                bias = float(parts[1])
            else:
                w[int(parts[0])] = float(parts[1])
    return w, bias


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    project = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--lanewise', required=True)
    p.add_argument('--data', default=os.path.join(project, 'data', 'routing'))
    p.add_argument('--model', default=os.path.join(project, 'data', 'difficulty'))
    p.add_argument('--count', type=int, default=300)
    args = p.parse_args()
    _, dimension = trainer.describe(args.lanewise)
    rows = trainer.load_rows(args.data)
    step = max(1, len(rows) // args.count)
    prompts = [r['prompt'] for r in rows[::step]][:args.count]
    prompts += ['', 'Hi', 'Ünïcödé prompt — 日本語のテキスト？ 12/5 = 2.4', '```\nint main() { return 0; }\n```']
    weights = os.path.join(args.model, 'weights.txt')
    w, bias = read_weights(weights, dimension)
    lines = trainer.features(args.lanewise, prompts)
    python_scores = trainer.sigmoid(trainer.margins(trainer.sparse(lines), len(prompts), w, bias))
    cpp_scores = np.array([float(s) for s in trainer.features(args.lanewise, prompts, weights)])
    worst = float(np.max(np.abs(python_scores - cpp_scores)))
    print(f'{len(prompts)} prompts: largest |python - c++| score difference {worst:.3g}')
    return 0 if worst <= 1e-6 else 1


if __name__ == '__main__':
    sys.exit(main())
