// `npm run try-azure` (or `npm run sample -- --azure`): every Azure feature of the extension on a machine with no
// Azure account. Builds what is stale, starts the local test bed — the HTTPS fake ARM (its CA trusted by the
// extension host through NODE_EXTRA_CA_CERTS) and Azurite holding its storage account — and opens the digits
// sample in VS Code (code-server, in your browser) with the extension and the test-only sign-in provider
// installed and the settings that point sign-in and ARM at the fake. Runs until Ctrl-C, then stops VS Code, the
// fake and Azurite. Usage: npm run try-azure [-- --jobs N] [--page-size N]   (PORT=8081 by default)
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { build, ensureSampleData, root } from './python-env.mjs';

const args = process.argv.slice(2);
const numberArg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} needs a whole number, e.g. npm run try-azure -- --${name} ${fallback}`);
    process.exit(2);
  }
  return n;
};
// More jobs than fit on a page, so the Jobs folder shows "Load more…".
const pageSize = numberArg('page-size', 25);
const jobs = numberArg('jobs', 57);

ensureSampleData('digits');
if (stale()) {
  console.log('Building (TypeScript to out/ for the fakes, bundles to dist/)…');
  build();
}

const { fakeAuthProvider, startTestBed } = await import('../test/fakes/testbed.mjs');
const { openInVsCode } = await import('./vscode-host/open.mjs');
const bed = await startTestBed({ azurite: true, world: 'rich', jobs, pageSize, runJobs: true });
const stopBed = async () => {
  await bed.stop();
  console.log('Stopped the fake ARM and Azurite.');
};
try {
  await openInVsCode(path.join(root, 'samples', 'digits'), {
    // The tests (test/ui/try-azure.mjs) use a scratch profile, not yours.
    profile: process.env.PARALLEL_RUN_TRY_AZURE_PROFILE || 'try-azure',
    defaultPort: 8081,
    install: [fakeAuthProvider],
    settings: bed.settings,
    env: bed.env,
    onStop: stopBed,
    command: 'npm run try-azure',
    instructions: ({ url, logFile }) => `
A LOCAL TEST BED, NOT AZURE: fake Azure Resource Manager on ${bed.endpoint} (subscription "${bed.world.testSubscription.displayName}",
workspace ${bed.world.testResourceGroup}/${bed.world.testWorkspace}), Azurite blob storage on ${bed.blobEndpoint}. Nothing leaves this machine.

VS Code is serving the digits sample with the Azure ML Parallel Run extension. Open it in a browser:

    ${url}

Then:
  1. Click "Yes, I trust the authors" if asked.
  2. Open the Parallel Run view (its icon in the activity bar, left), and in "Azure ML" click "Sign in to Azure…";
     VS Code asks to sign in with "Microsoft Sovereign Cloud (fake, tests only)": click Allow.
  3. Expand "${bed.world.testSubscription.displayName}" → ${bed.world.testWorkspace} → Compute, Datastores, Data, Models, Environments, Jobs
     (${jobs + 3} jobs, ${pageSize} a page: "Load more…" at the end; a pipeline job expands to its step).
     "Local MFA tenant: Sign in to this tenant…" is the multi-factor sign-in of a second tenant.
  4. Submit a job: open src/digit_identification.py (or pipeline.yml), click "Submit…" above run(), pick
     cpu-cluster, Submit. The test bed runs it with the local engine: the panel follows it to Completed with its
     log, progress and the result rows; "Resubmit with…" there changes data or parameters.
  5. Faults on purpose: curl -X POST ${bed.control}/inject -d '{"route":"computes.list","fault":{"status":503}}'
     then Refresh the Compute folder (an error row), and click it to Retry.

Logs: ${logFile}. Press Ctrl-C to stop everything.`,
  });
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  await stopBed();
  process.exit(1);
}

/** True when out/ or dist/ is missing or older than a source file they are built from. */
function stale() {
  const built = ['dist/extension.js', 'dist/azure.js', 'out/test/fakes/arm/server.js', 'out/test/fakes/azurite.js'].map((f) =>
    mtime(path.join(root, f)),
  );
  if (built.some((t) => t === 0)) return true;
  const sources = Math.max(
    newest(path.join(root, 'src')),
    newest(path.join(root, 'test', 'fakes')),
    mtime(path.join(root, 'package.json')),
  );
  return sources > Math.min(...built);
}

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && /\.(ts|tsx|css|json)$/.test(entry.name))
      t = Math.max(t, mtime(path.join(entry.parentPath ?? entry.path, entry.name)));
  }
  return t;
}
