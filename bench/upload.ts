/**
 * P6, the package upload, against Azurite behind a proxy that adds 20 ms to every request (a stand-in for the
 * round trip to Azure; on loopback alone the machine's cores decide the ratio):
 *   P6a  first upload of 2,000 small files with uploadPackage (16 in flight) vs a sequential per-file loop
 *        with the same client and the same per-file request: target ≥ 5×
 *   P6b  uploading the unchanged folder again: target 0 bytes (one request, the marker)
 * Run: `npx tsc -b . && node out/bench/upload.js [--quick]` (not yet wired into bench/index.ts, to keep merges clean).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { blobNameOf, packageLocalPath } from '../src/core/azure/upload/package';
import { uploadPackage } from '../src/core/azure/upload/upload';
import { Azurite } from '../test/fakes/azurite';

export async function benchUpload(
  report: (id: string, figure: string, target: string, met: boolean) => void,
  quick = false,
): Promise<void> {
  const files = quick ? 300 : 2000;
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'prs-bench-upload-')), 'code');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < files; i++) writeFileSync(path.join(dir, `f${String(i).padStart(5, '0')}.py`), `x = ${i}\n`);
  const pkg = await packageLocalPath(dir);
  const azurite = await new Azurite().start();
  try {
    azurite.latencyMs = 20;
    let n = 0;
    const fresh = () => azurite.container(`bench-${n++}`);
    // Baseline: what a hand-written loop does, one file after another.
    const seqContainer = await fresh();
    let t = performance.now();
    for (const f of pkg.files) {
      const data = await readFile(f.abs);
      await seqContainer.getBlockBlobClient(blobNameOf(pkg, f)).upload(data, data.length);
    }
    const sequential = (performance.now() - t) / 1000;
    const parallel: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await fresh();
      t = performance.now();
      await uploadPackage(c, pkg);
      parallel.push((performance.now() - t) / 1000);
    }
    parallel.sort((a, b) => a - b);
    const median = parallel[1];
    const ratio = sequential / median;
    report(
      'P6a upload',
      `${files} files: sequential ${sequential.toFixed(1)} s, parallel median ${median.toFixed(2)} s (${parallel.map((p) => p.toFixed(2)).join('–')}), ${ratio.toFixed(1)}×`,
      '≥ 5×',
      ratio >= 5,
    );
    const c = await fresh();
    await uploadPackage(c, pkg);
    azurite.resetCounts();
    const again = await uploadPackage(c, pkg);
    report(
      'P6b unchanged',
      `${again.uploadedBytes} bytes, ${azurite.requests.length} request(s)`,
      '0 bytes',
      again.uploadedBytes === 0 && again.skipped,
    );
  } finally {
    await azurite.stop();
  }
}

if (require.main === module) {
  benchUpload(
    (id, figure, target, met) => console.log(`${id}: ${figure}  (target ${target}: ${met ? 'met' : 'NOT met'})`),
    process.argv.includes('--quick'),
  ).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
