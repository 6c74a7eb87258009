/** Durations (`90s`, `1h30m`) and byte sizes (`512MiB`), parsed and formatted the same way everywhere. */
export * from './byte-size.ts';
export * from './duration.ts';
export * from './parse-result.ts';
