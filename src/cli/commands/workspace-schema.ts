import { workspaceJsonSchema } from '@stagecraft/config/workspace';
import type { CommandContext } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';

/** The JSON Schema is itself the output, whatever --format says: editors and CI consume it as JSON. */
export async function run(ctx: CommandContext): Promise<number> {
  const schema = workspaceJsonSchema();
  ctx.output.report({
    data: schema,
    text: () => JSON.stringify(schema, null, 2),
    markdown: () => `\`\`\`json\n${JSON.stringify(schema, null, 2)}\n\`\`\``,
  });
  return ExitCode.Clean;
}
