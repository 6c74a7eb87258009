/**
 * Source-code syntaxes: Python, JavaScript, TypeScript, Go, Java, Ruby, PHP and shell. Each one says how a
 * value is assigned in it, how a multi-line value is written, what ordinary code surrounds them, and how a
 * file is laid out.
 */
import { capitalize, identifier, NOUNS, nameIn, SERVICES, setting } from './vocab.mjs';

function literal(value, quote, { trueWord = 'true', falseWord = 'false' } = {}) {
  if (typeof value === 'boolean') return value ? trueWord : falseWord;
  if (typeof value === 'number') return String(value);
  return `${quote}${value}${quote}`;
}

function servicePath(rng, dir, name) {
  return `services/${rng.pick(SERVICES)}/${dir}/${name}`;
}

const python = {
  name: 'py',
  path: (rng) =>
    rng.pick([
      () => servicePath(rng, rng.pick(['app', 'src', 'settings']), rng.pick(['settings.py', 'config.py'])),
      () => servicePath(rng, 'app/clients', `${rng.pick(NOUNS)}_client.py`),
      () => `scripts/${identifier(rng, 'snake')}.py`,
      () => `tests/${rng.pick(['integration', 'e2e'])}/test_${rng.pick(NOUNS)}.py`,
    ])(),
  assign(words, v, ctx) {
    if (ctx.form === 'kwarg') return [`    ${nameIn('snake', words)}="${v}",`];
    if (ctx.form === 'dict') return [`    "${nameIn('upper', words)}": "${v}",`];
    return ctx.rng.chance(0.5)
      ? [`${nameIn('upper', words)} = "${v}"`]
      : [`${nameIn('snake', words)} = '${v}'`];
  },
  block: (words, lines) => [
    `${nameIn('upper', words)} = """${lines[0]}`,
    ...lines.slice(1, -1),
    `${lines.at(-1)}"""`,
  ],
  filler(rng, ctx) {
    const [words, value] = setting(rng, ctx.used);
    const lit = literal(value, '"', { trueWord: 'True', falseWord: 'False' });
    if (ctx.form === 'kwarg') return [`    ${nameIn('snake', words)}=${lit},`];
    if (ctx.form === 'dict') return [`    "${nameIn('upper', words)}": ${lit},`];
    if (rng.chance(0.6)) return [`${nameIn('upper', words)} = ${lit}`];
    const fn = identifier(rng, 'snake');
    const noun = rng.pick(NOUNS);
    return [
      '',
      `def ${fn}(${noun}_id: str, *, timeout: float = 5.0) -> dict:`,
      `    """${capitalize(fn.replace('_', ' '))} through the ${rng.pick(SERVICES)} API."""`,
      `    response = session.get(f"{BASE_URL}/${noun}s/{${noun}_id}", timeout=timeout)`,
      '    response.raise_for_status()',
      `    return response.json()${rng.chance(0.5) ? `["${noun}"]` : ''}`,
      '',
    ];
  },
  write(doc, items) {
    const { rng } = doc;
    doc.push(`"""${capitalize(rng.pick(SERVICES))} service settings."""`, 'import os', 'import requests', '');
    doc.push(
      'session = requests.Session()',
      `BASE_URL = os.environ.get("BASE_URL", "http://localhost:8000")`,
    );
    const simple = items.filter((i) => i.simple);
    const grouped = rng.chance(0.5) ? simple.slice(0, rng.range(1, simple.length)) : [];
    doc.weave(
      items.filter((i) => !grouped.includes(i)),
      {},
    );
    if (grouped.length > 0) {
      const form = rng.pick(['kwarg', 'dict']);
      doc.push('', form === 'kwarg' ? 'client = ApiClient(' : 'SETTINGS = {');
      doc.weave(grouped, { form }, [0, 2]);
      doc.push(form === 'kwarg' ? ')' : '}');
    }
  },
};

function jsLike(name, typed) {
  const ann = typed ? ': string' : '';
  return {
    name,
    path: (rng) =>
      rng.pick([
        () => servicePath(rng, 'src', `config.${name}`),
        () => servicePath(rng, 'src/clients', `${rng.pick(NOUNS)}-client.${name}`),
        () => `packages/${rng.pick(SERVICES)}/src/${identifier(rng, 'kebab')}.${name}`,
        () => `web/src/lib/${rng.pick(NOUNS)}.${name}`,
      ])(),
    assign(words, v, ctx) {
      if (ctx.form === 'object') return [`  ${nameIn('camel', words)}: '${v}',`];
      return ctx.rng.chance(0.5)
        ? [`export const ${nameIn('upper', words)}${ann} = '${v}';`]
        : [`const ${nameIn('camel', words)} = "${v}";`];
    },
    block: (words, lines) => [
      `export const ${nameIn('camel', words)}${ann} = \`${lines[0]}`,
      ...lines.slice(1, -1),
      `${lines.at(-1)}\`;`,
    ],
    filler(rng, ctx) {
      const [words, value] = setting(rng, ctx.used);
      if (ctx.form === 'object') return [`  ${nameIn('camel', words)}: ${literal(value, "'")},`];
      if (rng.chance(0.55)) return [`export const ${nameIn('upper', words)} = ${literal(value, "'")};`];
      const fn = identifier(rng);
      const noun = rng.pick(NOUNS);
      const sig = typed
        ? `(id: string, init: RequestInit = {}): Promise<${capitalize(noun)}>`
        : '(id, init = {})';
      return [
        '',
        `export async function ${fn}${sig} {`,
        `  const response = await fetch(\`\${BASE_URL}/${noun}s/\${encodeURIComponent(id)}\`, init);`,
        `  if (!response.ok) throw new Error(\`${fn} failed: \${response.status}\`);`,
        `  return response.json();`,
        '}',
        '',
      ];
    },
    write(doc, items) {
      const { rng } = doc;
      doc.push(`import { ${rng.pick(['readFile', 'readFileSync'])} } from 'node:fs';`);
      doc.push(`const BASE_URL = process.env.BASE_URL ?? 'http://localhost:3000';`, '');
      const simple = items.filter((i) => i.simple);
      const grouped = rng.chance(0.5) ? simple.slice(0, rng.range(1, simple.length)) : [];
      doc.weave(items.filter((i) => !grouped.includes(i)));
      if (grouped.length > 0) {
        doc.push('', `export const ${rng.pick(NOUNS)}Config = {`);
        doc.weave(grouped, { form: 'object' }, [0, 2]);
        doc.push('};');
      }
    },
  };
}

const go = {
  name: 'go',
  path: (rng) =>
    rng.pick([
      () => `internal/${rng.pick(SERVICES)}/config.go`,
      () => `cmd/${rng.pick(SERVICES)}/main.go`,
      () => `pkg/${rng.pick(NOUNS)}/client.go`,
    ])(),
  assign(words, v, ctx) {
    if (ctx.form === 'struct') return [`\t${nameIn('pascal', words)}: "${v}",`];
    return ctx.rng.chance(0.5)
      ? [`const ${nameIn('camel', words)} = "${v}"`]
      : [`var ${nameIn('pascal', words)} = "${v}"`];
  },
  block: (words, lines) => [
    `const ${nameIn('camel', words)} = \`${lines[0]}`,
    ...lines.slice(1, -1),
    `${lines.at(-1)}\``,
  ],
  filler(rng, ctx) {
    const [words, value] = setting(rng, ctx.used);
    if (ctx.form === 'struct') return [`\t${nameIn('pascal', words)}: ${literal(value, '"')},`];
    if (rng.chance(0.5)) return [`const ${nameIn('camel', words)} = ${literal(value, '"')}`];
    const noun = rng.pick(NOUNS);
    return [
      '',
      `func ${nameIn('pascal', [rng.pick(['load', 'fetch', 'sync']), noun])}(ctx context.Context, id string) (*${capitalize(noun)}, error) {`,
      `\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/${noun}s/"+id, nil)`,
      '\tif err != nil {',
      `\t\treturn nil, fmt.Errorf("build request: %w", err)`,
      '\t}',
      `\tvar out ${capitalize(noun)}`,
      '\treturn &out, doJSON(req, &out)',
      '}',
    ];
  },
  write(doc, items) {
    const { rng } = doc;
    doc.push(
      `package ${rng.pick(SERVICES)}`,
      '',
      'import (',
      '\t"context"',
      '\t"fmt"',
      '\t"net/http"',
      ')',
      '',
    );
    doc.push('var baseURL = "http://localhost:8080"');
    const simple = items.filter((i) => i.simple);
    const grouped = rng.chance(0.4) ? simple.slice(0, rng.range(1, simple.length)) : [];
    doc.weave(items.filter((i) => !grouped.includes(i)));
    if (grouped.length > 0) {
      doc.push('', 'var defaultConfig = Config{');
      doc.weave(grouped, { form: 'struct' }, [0, 2]);
      doc.push('}');
    }
  },
};

const java = {
  name: 'java',
  path: (rng) =>
    `services/${rng.pick(SERVICES)}/src/main/java/com/example/${rng.pick(SERVICES)}/${capitalize(rng.pick(NOUNS))}${rng.pick(['Config', 'Client', 'Settings'])}.java`,
  assign: (words, v) => [`    private static final String ${nameIn('upper', words)} = "${v}";`],
  block: (words, lines) => [
    `    private static final String ${nameIn('upper', words)} = """`,
    ...lines.map((l) => `        ${l}`),
    '        """;',
  ],
  filler(rng, ctx) {
    const [words, value] = setting(rng, ctx.used);
    if (rng.chance(0.55)) {
      const type = typeof value === 'number' ? 'int' : typeof value === 'boolean' ? 'boolean' : 'String';
      return [`    private static final ${type} ${nameIn('upper', words)} = ${literal(value, '"')};`];
    }
    const noun = rng.pick(NOUNS);
    const type = capitalize(noun);
    return [
      '',
      `    public ${type} ${identifier(rng)}(String id) throws IOException {`,
      `        var request = HttpRequest.newBuilder(URI.create(BASE_URL + "/${noun}s/" + id)).GET().build();`,
      '        var response = client.send(request, HttpResponse.BodyHandlers.ofString());',
      `        return mapper.readValue(response.body(), ${type}.class);`,
      '    }',
    ];
  },
  write(doc, items) {
    const service = doc.rng.pick(SERVICES);
    doc.push(`package com.example.${service};`, '', 'import java.io.IOException;', 'import java.net.URI;');
    doc.push('import java.net.http.HttpClient;', 'import java.net.http.HttpRequest;', '');
    doc.push(`public final class ${capitalize(service)}Settings {`);
    doc.push('    private static final String BASE_URL = System.getenv("BASE_URL");');
    doc.weave(items);
    doc.push('}');
  },
};

const ruby = {
  name: 'rb',
  path: (rng) =>
    rng.pick([
      () => `config/initializers/${rng.pick(NOUNS)}.rb`,
      () => `config/environments/${rng.pick(['production', 'staging'])}.rb`,
      () => `lib/${rng.pick(SERVICES)}/${rng.pick(NOUNS)}_client.rb`,
    ])(),
  assign(words, v, ctx) {
    if (ctx.form === 'configure') return [`  config.${nameIn('snake', words)} = '${v}'`];
    return [`  ${nameIn('upper', words)} = '${v}'`];
  },
  block: (words, lines) => [`  ${nameIn('upper', words)} = <<~PEM`, ...lines.map((l) => `    ${l}`), '  PEM'],
  filler(rng, ctx) {
    const [words, value] = setting(rng, ctx.used);
    if (ctx.form === 'configure') return [`  config.${nameIn('snake', words)} = ${literal(value, "'")}`];
    if (rng.chance(0.6)) return [`  ${nameIn('upper', words)} = ${literal(value, "'")}`];
    const noun = rng.pick(NOUNS);
    return [
      '',
      `  def self.${identifier(rng, 'snake')}(id)`,
      `    response = connection.get("/${noun}s/#{id}")`,
      `    raise Error, "unexpected #{response.status}" unless response.success?`,
      `    JSON.parse(response.body).fetch('${noun}')`,
      '  end',
    ];
  },
  write(doc, items) {
    const { rng } = doc;
    doc.push('# frozen_string_literal: true', '');
    const configured = rng.chance(0.4) ? items.filter((i) => i.simple) : [];
    if (configured.length > 0) {
      doc.push('Rails.application.configure do |config|');
      doc.weave(configured, { form: 'configure' });
      doc.push('end', '');
    }
    doc.push(`module ${capitalize(rng.pick(SERVICES))}`);
    doc.weave(items.filter((i) => !configured.includes(i)));
    doc.push('end');
  },
};

const php = {
  name: 'php',
  path: (rng) =>
    rng.pick([
      () => `config/${rng.pick(['database', 'services', 'mail', 'queue', 'filesystems'])}.php`,
      () => `app/Services/${capitalize(rng.pick(NOUNS))}Client.php`,
    ])(),
  assign: (words, v) => [`    '${nameIn('snake', words)}' => '${v}',`],
  block: (words, lines) => [`    '${nameIn('snake', words)}' => <<<'PEM'`, ...lines, 'PEM,'],
  filler(rng, ctx) {
    const [words, value] = setting(rng, ctx.used);
    if (rng.chance(0.8)) return [`    '${nameIn('snake', words)}' => ${literal(value, "'")},`];
    return [
      `    '${rng.pick(NOUNS)}' => [`,
      `        'driver' => '${rng.pick(['redis', 'database', 'sqs', 's3'])}',`,
      `        'url' => env('${rng.pick(NOUNS).toUpperCase()}_URL'),`,
      '    ],',
    ];
  },
  write(doc, items) {
    doc.push('<?php', '', 'return [');
    doc.weave(items);
    doc.push('];');
  },
};

const shell = {
  name: 'sh',
  path: (rng) =>
    rng.pick([
      () =>
        `scripts/${rng.pick(['deploy', 'bootstrap', 'migrate', 'backup', 'seed', 'release'])}${rng.pick(['', '-prod', '-db'])}.sh`,
      () => `ops/${rng.pick(SERVICES)}/${rng.pick(['run', 'restore', 'rotate'])}.sh`,
    ])(),
  assign(words, v, ctx) {
    return ctx.rng.chance(0.6)
      ? [`export ${nameIn('upper', words)}='${v}'`]
      : [`${nameIn('upper', words)}="${v}"`];
  },
  block: (words, lines) => [
    `${nameIn('upper', words)}='${lines[0]}`,
    ...lines.slice(1, -1),
    `${lines.at(-1)}'`,
  ],
  filler(rng, ctx) {
    return rng.pick([
      () => [`echo "==> ${rng.pick(['deploying', 'migrating', 'checking'])} ${rng.pick(SERVICES)}"`],
      () => [`curl -fsS "https://${rng.pick(SERVICES)}.example.com/healthz" > /dev/null`],
      () => [`docker build -t registry.example.com/${rng.pick(SERVICES)}:"\${VERSION}" .`],
      () => [`kubectl -n ${rng.pick(SERVICES)} rollout status deploy/${rng.pick(SERVICES)} --timeout=120s`],
      () => ['if [[ -z "${CI:-}" ]]; then', `  echo "running locally"`, 'fi'],
      () => [`for f in migrations/*.sql; do psql -v ON_ERROR_STOP=1 -f "$f"; done`],
      () => [`export ${nameIn('upper', setting(rng, ctx.used)[0])}=${rng.int(100)}`],
    ])();
  },
  write(doc, items) {
    doc.push('#!/usr/bin/env bash', 'set -euo pipefail', '');
    doc.weave(items);
  },
};

export const CODE_SYNTAXES = [python, jsLike('js', false), jsLike('ts', true), go, java, ruby, php, shell];
