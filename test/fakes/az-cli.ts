// A fake `az` on PATH that answers `az account get-access-token` with unsigned JWTs: it drives the real
// @azure/identity AzureCliCredential against the fakes without an Azure account.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface FakeAz {
  dir: string;
  /** Argument lists of every `az` call, in order. */
  calls(): string[][];
  /** Restores PATH and removes the script. */
  remove(): void;
}

export function installFakeAz(tenantId: string): FakeAz {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-az-'));
  const log = path.join(dir, 'calls.jsonl');
  const tokenModule = path.join(__dirname, 'arm', 'token.js');
  const script = `#!${process.execPath}
const args = process.argv.slice(2);
require('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n');
if (args[0] !== 'account' || args[1] !== 'get-access-token') { process.stderr.write('fake az: only "account get-access-token"'); process.exit(2); }
const at = (k) => { const i = args.indexOf(k); return i < 0 ? undefined : args[i + 1]; };
const resource = (at('--resource') || at('--scope') || '').replace(/\\/\\.default$/, '').replace(/\\/$/, '');
const tenant = at('--tenant') || ${JSON.stringify(tenantId)};
const { unsignedJwt } = require(${JSON.stringify(tokenModule)});
const exp = Math.floor(Date.now() / 1000) + 3600;
process.stdout.write(JSON.stringify({ accessToken: unsignedJwt({ aud: resource, tenantId: tenant }), expiresOn: new Date(exp * 1000).toISOString(), expires_on: exp, tokenType: 'Bearer', tenant }));
`;
  writeFileSync(path.join(dir, 'az'), script);
  chmodSync(path.join(dir, 'az'), 0o755);
  const oldPath = process.env.PATH;
  process.env.PATH = `${dir}${path.delimiter}${oldPath ?? ''}`;
  return {
    dir,
    calls: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as string[])
        : [],
    remove: () => {
      process.env.PATH = oldPath;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
