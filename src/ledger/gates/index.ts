/**
 * The gates an environment declares, evaluated for one artifact at one moment: one module per kind, each
 * given the options stagecraft.yaml declared for it, typed and checked when the file loaded.
 */
import type { Gate, GateKind, GateOf } from '@stagecraft/config/workspace';
import { approvalsGate } from './approvals.ts';
import type { EvaluateGate, GateContext, GateFailure } from './gate.ts';
import { soakGate } from './soak.ts';
import { testsGate } from './tests.ts';
import { windowGate } from './window.ts';

export type { GateContext, GateFailure } from './gate.ts';

const GATES: { readonly [K in GateKind]: EvaluateGate<K> } = {
  tests: testsGate,
  soak: soakGate,
  approvals: approvalsGate,
  window: windowGate,
};

export function evaluateGate<K extends GateKind>(
  gate: GateOf<K>,
  context: GateContext,
): Promise<GateFailure | undefined> | GateFailure | undefined {
  const evaluate: EvaluateGate<K> = GATES[gate.kind];
  return evaluate(gate.options, context);
}

/** Every gate of the environment that the artifact does not pass now, in declared order. */
export async function failingGates(gates: readonly Gate[], context: GateContext): Promise<GateFailure[]> {
  const failures: GateFailure[] = [];
  for (const gate of gates) {
    const failure = await evaluateGate(gate, context);
    if (failure) failures.push(failure);
  }
  return failures;
}
