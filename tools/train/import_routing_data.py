#!/usr/bin/python3
"""Copies what eval-routing and train_difficulty.py need of ../shared/data/routing into
data/routing/ (one JSON object per line, decontaminated as RouteLLM's protocol says):

  {"set": "gsm8k"|"mmlu"|"mt_bench"|"alpacaeval", "prompt": "...", "weak": q, "strong": q,
   "group": "..."}   # group: MMLU subject, MT-Bench category, AlpacaEval source set

q is the quality of each model's answer: 1/0 correctness (GSM8K, MMLU), the mean of both
turns' GPT-4 judge scores 1-10 (MT-Bench, routed on turn 1), or for AlpacaEval the
probability that Mixtral-8x7B-Instruct (concise) beats gpt-4-1106-preview (weak) against
0.5 for gpt-4-1106-preview itself (strong). Run once; the output is committed.

gsm8k_weak_answers.jsonl: {"prompt": "...", "weak_answer": "..."} for the same GSM8K rows,
the weak model's response only, for the cascade's verifier (eval-routing): never the strong
model's response or either correctness column.

Usage: tools/train/import_routing_data.py [--shared ../shared/data/routing] [--out data/routing]
"""
import argparse, csv, glob, json, os, shutil

WEAK, STRONG = 'mistralai/Mixtral-8x7B-Instruct-v0.1', 'gpt-4-1106-preview'
ALPACA_WEAK = 'Mixtral-8x7B-Instruct-v0.1_concise'


def contaminated(root, bench):
    with open(f'{root}/routellm-evals/{bench}/contaminated_prompts.jsonl', encoding='utf-8') as f:
        return {json.loads(line)['eval_prompt'] for line in f}


def binary_rows(root, bench):
    bad = contaminated(root, bench)
    if bench == 'gsm8k':
        files = [f'{root}/routellm-evals/gsm8k/gsm8k_responses.csv']
    else:
        files = sorted(glob.glob(f'{root}/routellm-evals/mmlu/responses/*.csv'))
    for path in files:
        group = os.path.basename(path)[:-4].removeprefix('mmlu_') if bench == 'mmlu' else ''
        with open(path, encoding='utf-8', newline='') as f:
            for r in csv.DictReader(f):
                if r['prompt'] in bad:
                    continue
                yield {'set': bench, 'prompt': r['prompt'], 'weak': int(r[WEAK] == 'True'),
                       'strong': int(r[STRONG] == 'True'), 'group': group}


def gsm8k_weak_answers(root):
    bad = contaminated(root, 'gsm8k')
    with open(f'{root}/routellm-evals/gsm8k/gsm8k_responses.csv', encoding='utf-8', newline='') as f:
        for r in csv.DictReader(f):
            if r['prompt'] not in bad:
                yield {'prompt': r['prompt'], 'weak_answer': r[f'{WEAK}_response']}


def mt_bench_rows(root):
    bad = contaminated(root, 'mt_bench')
    scores = {}
    with open(f'{root}/routellm-evals/mt_bench/judgements.jsonl', encoding='utf-8') as f:
        for line in f:
            j = json.loads(line)
            scores.setdefault((j['question_id'], j['model']), []).append(j['score'])
    with open(f'{root}/routellm-evals/mt_bench/question.jsonl', encoding='utf-8') as f:
        for line in f:
            q = json.loads(line)
            if q['turns'][0] in bad or q['turns'][1] in bad:
                continue
            quality = lambda model: sum(scores[(q['question_id'], model)]) / 2
            yield {'set': 'mt_bench', 'prompt': q['turns'][0], 'weak': quality(WEAK),
                   'strong': quality(STRONG), 'group': q['category']}


def alpaca_rows(root):
    path = f'{root}/alpacaeval-prefs/alpacaeval2_prefs_vs_gpt4turbo.csv'
    with open(path, encoding='utf-8', newline='') as f:
        for r in csv.DictReader(f):
            yield {'set': 'alpacaeval', 'prompt': r['instruction'], 'weak': float(r[ALPACA_WEAK]),
                   'strong': 0.5, 'group': r['dataset']}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    project = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--shared', default=os.path.join(project, '..', 'shared', 'data', 'routing'))
    p.add_argument('--out', default=os.path.join(project, 'data', 'routing'))
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    sets = {'gsm8k': binary_rows(args.shared, 'gsm8k'), 'mmlu': binary_rows(args.shared, 'mmlu'),
            'mt_bench': mt_bench_rows(args.shared), 'alpacaeval': alpaca_rows(args.shared),
            'gsm8k_weak_answers': gsm8k_weak_answers(args.shared)}
    for name, rows in sets.items():
        n = 0
        with open(os.path.join(args.out, f'{name}.jsonl'), 'w', encoding='utf-8') as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + '\n')
                n += 1
        print(f'{name}: {n} rows')


if __name__ == '__main__':
    main()
