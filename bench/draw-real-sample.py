#!/usr/bin/env python3
"""Draw the real-archive evaluation set the README's figures are measured on.

ARCHIVE holds the unpacked archive (the folder with wxvuln/ in it, as the questions' "file"
fields name it). OUT gets the articles the questions are about, then articles drawn at random
(random.Random(seed).sample over the sorted remaining paths) up to --size, the crawl, and the
first article (corpus/*), as the files come.
"""
import argparse, json, os, random, shutil, sys

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('archive')
    parser.add_argument('questions')
    parser.add_argument('crawl')
    parser.add_argument('out')
    parser.add_argument('--seed', type=int, default=11)
    parser.add_argument('--size', type=int, default=800)
    args = parser.parse_args()
    with open(args.questions, encoding='utf-8') as lines:
        asked = sorted({q['file'] for q in map(json.loads, filter(str.strip, lines)) if q.get('file')})
    every = sorted(os.path.relpath(os.path.join(root, f), args.archive)
                   for root, _, files in os.walk(os.path.join(args.archive, 'wxvuln')) for f in files if f.endswith('.md'))
    known, asked_set = set(every), set(asked)
    missing = [f for f in asked if f not in known]
    if missing:
        sys.exit(f'not in the archive: {missing[:3]}')
    rest = [f for f in every if f not in asked_set]
    picked = asked + random.Random(args.seed).sample(rest, args.size - len(asked))
    for f in picked:
        os.makedirs(os.path.dirname(os.path.join(args.out, f)), exist_ok=True)
        shutil.copy(os.path.join(args.archive, f), os.path.join(args.out, f))
    shutil.copytree(args.crawl, os.path.join(args.out, 'crawl'), dirs_exist_ok=True)
    first = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'corpus')
    for f in os.listdir(first):
        shutil.copy(os.path.join(first, f), args.out)
    print(f'{args.out}: {len(picked)} wxvuln articles ({len(asked)} asked about, seed {args.seed}), the crawl, the first article')

main()
