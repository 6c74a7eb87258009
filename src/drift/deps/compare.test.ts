/** Two lockfile graphs compared: what differs, grouped under the direct dependency that pulls it in. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakingKey, compareGraphs } from './compare.ts';
import { type LockGraph, LockGraphBuilder } from './lock-graph.ts';

function graph(
  direct: string[],
  packages: Record<string, string | string[]>,
  edges: Record<string, string[]> = {},
): LockGraph {
  const builder = new LockGraphBuilder('npm', 'f');
  for (const name of direct) builder.direct(name);
  for (const [name, versions] of Object.entries(packages)) {
    for (const version of [versions].flat()) builder.add(name, version);
  }
  for (const [from, targets] of Object.entries(edges)) for (const to of targets) builder.depend(from, to);
  return builder.build();
}

test('a transitive package is listed under the first direct dependency that pulls it in, the others named', () => {
  const edges = { express: ['body-parser', 'qs'], 'body-parser': ['qs'], koa: ['qs'] };
  const left = graph(
    ['express', 'koa'],
    { express: '4.18.2', koa: '2.14.0', 'body-parser': '1.20.1', qs: '6.11.0' },
    edges,
  );
  const right = graph(
    ['express', 'koa'],
    { express: '4.18.2', koa: '2.14.0', 'body-parser': '1.20.2', qs: '6.13.0' },
    edges,
  );
  const found = compareGraphs(left, right);
  assert.deepEqual(found.direct, []);
  assert.deepEqual(found.transitive, [
    {
      via: 'express',
      changes: [
        { name: 'body-parser', change: 'changed', left: ['1.20.1'], right: ['1.20.2'], majorChange: false },
        // Pulled in by koa too, and by express through body-parser.
        {
          name: 'qs',
          change: 'changed',
          left: ['6.11.0'],
          right: ['6.13.0'],
          majorChange: false,
          alsoVia: ['koa'],
        },
      ],
    },
  ]);
});

test('direct changes come first; packages no direct dependency reaches are unattributed', () => {
  const left = graph(['react'], { react: '17.0.2', 'left-pad': '1.3.0' });
  const right = graph(['react', 'zod'], { react: '18.2.0', zod: '3.22.4' });
  const found = compareGraphs(left, right);
  assert.deepEqual(
    found.direct.map((c) => [c.name, c.change, c.majorChange]),
    [
      ['react', 'changed', true],
      ['zod', 'added', false],
    ],
  );
  assert.deepEqual(
    found.unattributed.map((c) => [c.name, c.change, c.left, c.right]),
    [['left-pad', 'removed', ['1.3.0'], []]],
  );
});

test('a package resolved to several versions differs when any of them does', () => {
  const left = graph(['a'], { a: '1.0.0', b: ['1.2.0', '2.0.0'] }, { a: ['b'] });
  const same = graph(['a'], { a: '1.0.0', b: ['2.0.0', '1.2.0'] }, { a: ['b'] });
  assert.deepEqual(compareGraphs(left, same), { direct: [], transitive: [], unattributed: [] });
  const right = graph(['a'], { a: '1.0.0', b: ['1.2.1', '2.0.0'] }, { a: ['b'] });
  assert.deepEqual(compareGraphs(left, right).transitive[0]?.changes[0], {
    name: 'b',
    change: 'changed',
    left: ['1.2.0', '2.0.0'],
    right: ['1.2.1', '2.0.0'],
    majorChange: false,
  });
});

test('major differences follow semver: another major, or another minor below 1.0.0; not-semver never', () => {
  assert.equal(breakingKey('4.18.2'), '4');
  assert.equal(breakingKey('0.27.2'), '0.27');
  assert.equal(breakingKey('0.0.3'), '0.0.3');
  assert.equal(breakingKey('github:user/repo#abc'), undefined);
  const cases: [string, string, boolean][] = [
    ['4.18.2', '4.19.0', false],
    ['4.18.2', '5.0.0', true],
    ['0.27.2', '0.28.0', true],
    ['0.27.2', '0.27.9', false],
    ['1.0.0-beta.1', '1.0.0', false],
    ['git+https://example.com/a.git#1', 'git+https://example.com/a.git#2', false],
  ];
  for (const [before, after, major] of cases) {
    const change = compareGraphs(graph(['a'], { a: before }), graph(['a'], { a: after })).direct[0];
    assert.equal(change?.majorChange, major, `${before} → ${after}`);
  }
});
