#!/usr/bin/env python3
"""Draw the real-archive evaluation set the README's figures are measured on.

usage: python3 bench/draw-real-sample.py WXVULN_PARENT QUESTIONS.jsonl CRAWL_DIR OUT_DIR [--seed 11] [--size 800]

WXVULN_PARENT holds the unpacked archive (the folder with wxvuln/ in it, as the questions'
"file" fields name it). OUT_DIR gets the articles the questions are about, then articles
drawn at random (random.Random(seed).sample over the sorted remaining paths) up to --size,
the crawl, and the first article (corpus/*), as the files come.
"""
import json, os, random, shutil, sys

def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    opts = dict(zip(sys.argv[1:], sys.argv[2:]))
    if len(args) < 4:
        sys.exit(__doc__)
    archive, questions, crawl, out = args[:4]
    seed, size = int(opts.get('--seed', 11)), int(opts.get('--size', 800))
    asked = sorted({q['file'] for q in map(json.loads, open(questions, encoding='utf-8')) if q.get('file')})
    every = sorted(os.path.relpath(os.path.join(root, f), archive)
                   for root, _, files in os.walk(os.path.join(archive, 'wxvuln')) for f in files if f.endswith('.md'))
    missing = [f for f in asked if f not in set(every)]
    if missing:
        sys.exit(f'not in the archive: {missing[:3]}')
    rest = [f for f in every if f not in set(asked)]
    picked = asked + random.Random(seed).sample(rest, size - len(asked))
    for f in picked:
        os.makedirs(os.path.dirname(os.path.join(out, f)), exist_ok=True)
        shutil.copy(os.path.join(archive, f), os.path.join(out, f))
    shutil.copytree(crawl, os.path.join(out, 'crawl'), dirs_exist_ok=True)
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'corpus')
    for f in os.listdir(here):
        shutil.copy(os.path.join(here, f), out)
    print(f'{out}: {len(picked)} wxvuln articles ({len(asked)} asked about, seed {seed}), the crawl, the first article')

main()
