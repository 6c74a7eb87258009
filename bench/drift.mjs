/**
 * Drift at scale: N desired objects (default 10,000: Deployments with sidecars, Services, ConfigMaps,
 * Secrets, HPAs as rendered YAML) against the live objects a cluster would return for them (one
 * `kubectl get -o json` List: server metadata, managedFields, status, defaulted fields), with a few planted
 * changes made by hand.
 *
 *   npm run build && node bench/drift.mjs [--objects 10000] [--commits 20000] [--runs 3] [--only hotfix]
 *
 * Measured: parsing both inputs and the comparison itself in this process (median of --runs), and the whole
 * `stagecraft drift kubernetes` command as a child process (median of --runs of wall time and peak RSS from
 * /usr/bin/time), at half and full size to show that memory grows linearly. The desired YAML is also parsed
 * by stagecraft's reader and, as peers in the same run, by yaml alone and by js-yaml (see timeYamlPeers).
 * `drift hotfix` is timed on a generated history of --commits commits against git log alone over the same
 * range (bench/_hotfix-history.mjs).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureHotfix } from './_hotfix-history.mjs';
import {
  generateManifests,
  median,
  parseSizeArgs,
  timeCommand,
  timeYamlPeers,
  yamlPeersTable,
} from './_manifests.mjs';
import { formatTable } from './_table.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const { loadManifests } = await import(join(REPO, 'dist/kubernetes/manifests.js'));
const { compareKubernetes } = await import(join(REPO, 'dist/drift/kubernetes.js'));

/** The object as an API server returns it: server metadata, status and the fields it defaults. */
function asLive(object, index) {
  const live = structuredClone(object);
  Object.assign(live.metadata, {
    uid: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    resourceVersion: String(1000 + index),
    creationTimestamp: '2026-11-20T09:00:00Z',
    managedFields: [
      {
        manager: 'argocd-controller',
        operation: 'Apply',
        time: '2026-11-20T09:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': {} },
      },
    ],
  });
  if (live.kind === 'Deployment') {
    Object.assign(live.spec, {
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    });
    live.spec.template.metadata.creationTimestamp = null;
    Object.assign(live.spec.template.spec, {
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
    });
    for (const container of live.spec.template.spec.containers) {
      Object.assign(container, {
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      });
      container.resources ??= {};
      for (const port of container.ports ?? []) port.protocol = 'TCP';
      if (container.readinessProbe)
        Object.assign(
          container.readinessProbe,
          { timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
          { httpGet: { ...container.readinessProbe.httpGet, scheme: 'HTTP' } },
        );
    }
    live.status = { replicas: live.spec.replicas, readyReplicas: live.spec.replicas };
    // A planted change by hand: an image set with kubectl.
    if (index % 997 === 0) live.spec.template.spec.containers[0].image += '0';
  }
  if (live.kind === 'Service') {
    Object.assign(live.spec, {
      clusterIP: '10.0.0.1',
      clusterIPs: ['10.0.0.1'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      type: 'ClusterIP',
    });
    for (const port of live.spec.ports) port.protocol = 'TCP';
  }
  if (live.kind === 'Secret') live.type = 'Opaque';
  if (live.kind === 'HorizontalPodAutoscaler') {
    live.spec.behavior = {
      scaleDown: {
        policies: [{ periodSeconds: 15, type: 'Percent', value: 100 }],
        selectPolicy: 'Max',
        stabilizationWindowSeconds: 300,
      },
      scaleUp: {
        policies: [
          { periodSeconds: 15, type: 'Pods', value: 4 },
          { periodSeconds: 15, type: 'Percent', value: 100 },
        ],
        selectPolicy: 'Max',
        stabilizationWindowSeconds: 0,
      },
    };
  }
  return live;
}

async function measure(objects, runs, work) {
  const desiredDir = join(work, `${objects}`, 'desired');
  const yamlBytes = generateManifests(desiredDir, 'production', objects, true);
  const desiredObjects = loadManifests(desiredDir).objects.map((entry) => entry.object);
  const liveFile = join(work, `${objects}`, 'live.json');
  mkdirSync(join(work, `${objects}`), { recursive: true });
  const liveText = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: desiredObjects.map(asLive) });
  writeFileSync(liveFile, liveText);
  const parse = [];
  const compare = [];
  let result;
  for (let run = 0; run < runs; run++) {
    let start = performance.now();
    const desired = loadManifests(desiredDir).objects.map((entry) => entry.object);
    const live = loadManifests(liveFile).objects.map((entry) => entry.object);
    parse.push(performance.now() - start);
    start = performance.now();
    result = compareKubernetes(desired, live, { ignore: [], iacOnly: false });
    compare.push(performance.now() - start);
  }
  const cli = join(REPO, 'dist/cli/main.js');
  const { commandS, rssMb } = timeCommand(
    [cli, 'drift', 'kubernetes', '--desired', desiredDir, '--live', liveFile, '--format', 'json'],
    runs,
  );
  return {
    objects: desiredObjects.length,
    bytes: yamlBytes + liveText.length,
    parseMs: median(parse),
    compareMs: median(compare),
    commandS,
    rssMb,
    yaml: await timeYamlPeers(REPO, [desiredDir], runs),
    items: result.items.length,
  };
}

/** --commits N and --only kubernetes|hotfix, taken out before the shared size options are read. */
function hotfixArgs(argv) {
  const rest = [];
  const options = { commits: 20_000, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--commits') options.commits = Number(argv[++i]);
    else if (argv[i] === '--only') options.only = argv[++i];
    else rest.push(argv[i]);
  }
  if (
    !Number.isInteger(options.commits) ||
    options.commits < 2000 ||
    !['kubernetes', 'hotfix', undefined].includes(options.only)
  ) {
    console.error(
      'usage: node bench/drift.mjs [--objects N] [--commits N (at least 2000)] [--runs N] [--only kubernetes|hotfix]',
    );
    process.exit(1);
  }
  return { ...options, rest };
}

const selection = hotfixArgs(process.argv.slice(2));
const options = parseSizeArgs(selection.rest, 'bench/drift.mjs');
const work = mkdtempSync(join(tmpdir(), 'stagecraft-drift-bench-'));
try {
  if (selection.only !== 'kubernetes')
    reportHotfix(measureHotfix(REPO, work, selection.commits, options.runs), options.runs);
  if (selection.only === 'hotfix') process.exit(0);
  const rows = [];
  for (const n of [Math.ceil(options.objects / 2), options.objects])
    rows.push(await measure(n, options.runs, work));
  console.log(
    `drift benchmark: node ${process.version}, median of ${options.runs} run(s); desired YAML against a live JSON List\n`,
  );
  console.log(
    formatTable(
      ['objects/side', 'input MB', 'parse ms', 'compare ms', 'whole command s', 'peak RSS MB', 'drift items'],
      rows.map((r) => [
        String(r.objects),
        (r.bytes / 1e6).toFixed(1),
        r.parseMs.toFixed(0),
        r.compareMs.toFixed(0),
        r.commandS.toFixed(2),
        r.rssMb.toFixed(0),
        String(r.items),
      ]),
      [false, true, true, true, true, true, true],
    ),
  );
  console.log(
    `\nDesired YAML, parsed by stagecraft and by its peers in this run:\n\n${yamlPeersTable(rows)}`,
  );
  const [half, full] = rows;
  console.log(
    `\nmemory growth from ${half.objects} to ${full.objects} objects: ${(full.rssMb / half.rssMb).toFixed(2)}× peak RSS for ${(full.bytes / half.bytes).toFixed(2)}× input`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

function reportHotfix(r, runs) {
  console.log(
    `drift hotfix benchmark: node ${process.version}, median of ${runs} run(s); ${r.commits} commits (generated by git fast-import in ${(r.generateMs / 1000).toFixed(1)} s), a hotfix of 5 fixes off the 1,000th, 2 cherry-picked to main\n`,
  );
  console.log(
    formatTable(
      ['what', 'ms'],
      [
        ['stagecraft drift hotfix --deployed-commit (whole command)', r.driftMs.toFixed(0)],
        [`git log main...hotfix (${r.rangeCommits} commits listed)`, r.logMs.toFixed(0)],
        ['git log -p main...hotfix (the same commits with patches)', r.logPatchMs.toFixed(0)],
      ],
      [false, true],
    ),
  );
  console.log(
    `\nverdict ${r.verdict}: ${r.missing} missing, ${r.equivalent} cherry-picked; drift hotfix takes ${(r.driftMs / r.logMs).toFixed(2)}× git log alone, ${(r.driftMs / r.logPatchMs).toFixed(2)}× git log -p\n`,
  );
}
