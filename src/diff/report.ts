/**
 * The report of `stagecraft diff LEFT RIGHT` and of the dashboard's diff view: one object per section, each
 * with its status (`same`, `differs`, `error` when it could not be evaluated, `skipped` when stagecraft.yaml
 * gives it nothing to compare) and its data. Built once here, printed by the CLI and served by the API.
 */
import { type ArtifactsData, artifactsSection, type Running, runningSides } from './artifacts.ts';
import { type ConfigData, configSections, type SecretsData } from './config-values.ts';
import { type DependenciesData, dependenciesSection } from './dependencies.ts';
import { type ParityData, paritySection } from './parity.ts';
import { type DiffInputs, failed, type Section, type SectionStatus } from './section.ts';

export type { DiffInputs, DiffLedger, Section, SectionError, SectionStatus } from './section.ts';

export interface DiffSections {
  artifacts: Section<ArtifactsData>;
  config: Section<ConfigData>;
  secrets: Section<SecretsData>;
  parity: Section<ParityData>;
  dependencies: Section<DependenciesData>;
}

export type SectionName = keyof DiffSections;

/** The order sections are shown in. */
export const SECTION_NAMES: readonly SectionName[] = [
  'artifacts',
  'config',
  'secrets',
  'parity',
  'dependencies',
];

export interface DiffReport {
  left: string;
  right: string;
  /** `identical`: every section the same or skipped; `incomplete`: some section could not be evaluated. */
  verdict: 'identical' | 'differs' | 'incomplete';
  counts: Record<SectionStatus, number>;
  sections: DiffSections;
}

async function guarded<T>(
  section: string,
  work: () => Promise<Section<T>> | Section<T>,
): Promise<Section<T>> {
  try {
    return await work();
  } catch (error) {
    return failed(error, section);
  }
}

/** Everything that differs between two environments, section by section; a section's failure hides no other. */
export async function buildDiff(inputs: DiffInputs): Promise<DiffReport> {
  const running: Running | Error = await runningSides(inputs).catch((error: unknown) =>
    error instanceof Error ? error : new Error(String(error)),
  );
  const artifacts = await guarded('artifacts', () => artifactsSection(inputs, running));
  const { config, secrets } = configSections(inputs);
  const parity = await guarded('parity', () => paritySection(inputs));
  const dependencies = await guarded('dependencies', () => dependenciesSection(inputs, running));
  const sections: DiffSections = { artifacts, config, secrets, parity, dependencies };
  const counts: Record<SectionStatus, number> = { same: 0, differs: 0, error: 0, skipped: 0 };
  for (const name of SECTION_NAMES) counts[sections[name].status]++;
  return {
    left: inputs.left,
    right: inputs.right,
    verdict: counts.error ? 'incomplete' : counts.differs ? 'differs' : 'identical',
    counts,
    sections,
  };
}
