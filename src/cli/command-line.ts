// The subcommands' common start: parse the options (plus -h/--help), print the usage on a mistake (exit 2) or
// when asked (exit 0), else hand back the values and positionals.
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
const help = { help: { type: 'boolean', short: 'h' } } as const;

export function parseCommandLine<const O extends Options>(
  argv: string[],
  options: O,
  usage: string,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
) {
  const config = { args: argv, allowPositionals: true, options: { ...options, ...help } } as const;
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (e) {
    err.write(`${(e as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    out.write(usage + '\n');
    return 0;
  }
  return parsed;
}
