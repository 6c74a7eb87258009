/** Codes of the YAML layer, for YAML that has no code of its own (a secret stored as YAML). */
import { type Catalog, defineErrors } from '../errors.ts';

const codes = {
  YAML_SYNTAX: {
    outcome: 'invalid',
    meaning:
      'A YAML document is not valid YAML: a syntax error, a repeated key, an alias with no anchor, or more than one document where one belongs.',
    hint: 'Fix the YAML at the position given; it is where the parser stopped understanding the file.',
  },
  YAML_ALIAS_LIMIT: {
    outcome: 'failed',
    meaning:
      'Aliases in a YAML document expand it by more than 100,000 values or 16 MiB of text, or an alias is inside the node it names: a document built to exhaust memory (a "billion laughs").',
    hint: 'Write the repeated values out, or reuse fewer of them; aliases nested in aliases multiply.',
  },
} as const;

export const YamlCodes: Catalog<keyof typeof codes> = defineErrors('yaml', codes);
