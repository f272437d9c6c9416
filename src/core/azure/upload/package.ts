// What a local folder or file becomes in a datastore: its files (after .amlignore/.gitignore), their content
// hash, and the `LocalUpload/<hash>/<name>` folder it is uploaded to, as azure-ai-ml does.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { IgnoreStack } from './ignore';

export interface PackageFile {
  /** Path inside the package, `/`-separated (`src/score.py`). */
  rel: string;
  abs: string;
  size: number;
}

export interface LocalPackage {
  /** The folder or file packaged (absolute). */
  source: string;
  kind: 'folder' | 'file';
  /** Its base name: the last segment of the upload path (`LocalUpload/<hash>/<name>`). */
  name: string;
  /** 32 hex characters of SHA-256 over every kept file's path and content: unchanged files, same hash. */
  hash: string;
  files: PackageFile[];
  bytes: number;
  /** Folder of the blobs: `LocalUpload/<hash>/<name>` (a file: the blob itself). */
  blobPath: string;
}

/** Blob name of a package's file. */
export function blobNameOf(pkg: LocalPackage, f: PackageFile): string {
  return pkg.kind === 'file' ? pkg.blobPath : `${pkg.blobPath}/${f.rel}`;
}

async function walk(dir: string, rel: string, ignore: IgnoreStack, out: PackageFile[]): Promise<void> {
  const here = ignore.enter(dir);
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const abs = path.join(dir, e.name);
    const r = rel ? `${rel}/${e.name}` : e.name;
    let stat;
    try {
      stat = await fs.stat(abs); // follows links, as uploads read the target
    } catch {
      throw new Error(
        `${abs} is a broken link: its target does not exist. Remove the link, or add "${r}" to ${path.join(dir, '.amlignore')}.`,
      );
    }
    if (stat.isDirectory()) {
      if (e.name === '.git' || here.ignores(abs, true)) continue;
      await walk(abs, r, here, out);
    } else if (stat.isFile()) {
      if (here.ignores(abs, false)) continue;
      out.push({ rel: r, abs, size: stat.size });
    }
  }
}

function fileDigest(file: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest()));
  });
}

/** Lists a folder's (or one file's) files after its ignore files and hashes them; nothing is uploaded. */
export async function packageLocalPath(source: string): Promise<LocalPackage> {
  const abs = path.resolve(source);
  let stat;
  try {
    stat = await fs.stat(abs);
  } catch {
    throw new Error(`${abs} does not exist: fix the path in the spec, or create the folder.`);
  }
  const name = path.basename(abs);
  const files: PackageFile[] = [];
  let kind: 'folder' | 'file';
  if (stat.isDirectory()) {
    kind = 'folder';
    await walk(abs, '', IgnoreStack.root(), files);
    if (files.length === 0) {
      throw new Error(
        `${abs} has no file to upload (empty, or every file is excluded by .amlignore/.gitignore). Add the files, or un-ignore them.`,
      );
    }
  } else {
    kind = 'file';
    files.push({ rel: name, abs, size: stat.size });
  }
  const h = createHash('sha256');
  h.update(`${kind}\0${name}\0`);
  // Hash files a few at a time: many small files are bounded by open handles, not CPU.
  const digests: Buffer[] = new Array(files.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(8, files.length) }, async () => {
      while (next < files.length) {
        const i = next++;
        digests[i] = await fileDigest(files[i].abs);
      }
    }),
  );
  files.forEach((f, i) => {
    h.update(`${f.rel}\0${f.size}\0`);
    h.update(digests[i]);
  });
  const hash = h.digest('hex').slice(0, 32);
  return { source: abs, kind, name, hash, files, bytes: files.reduce((s, f) => s + f.size, 0), blobPath: `LocalUpload/${hash}/${name}` };
}
