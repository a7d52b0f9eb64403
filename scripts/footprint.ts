/**
 * `npm run footprint`: what the package costs its users. Packs the package as `npm pack` publishes
 * it, then installs the tarball into a scratch cdk8s project (cdk8s + constructs already installed,
 * at this repository's locked versions) and prints the tarball size and what the install added to
 * node_modules, per package. Sizes are apparent file sizes (kB = 1000 bytes), as npm reports them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { installProject, lockedSpec, pack, run, check, scratchDir, sizeOf, listFiles } from '../test/packaging/harness';

/** Every installed package under `nodeModules` (nested ones too), with its own size. */
function packages(nodeModules: string, out = new Map<string, { name: string; version: string; size: number }>()): Map<string, { name: string; version: string; size: number }> {
  if (!fs.existsSync(nodeModules)) return out;
  for (const entry of fs.readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    const dirs = entry.startsWith('@')
      ? fs.readdirSync(path.join(nodeModules, entry)).map((n) => path.join(nodeModules, entry, n))
      : [path.join(nodeModules, entry)];
    for (const dir of dirs) {
      const manifest = path.join(dir, 'package.json');
      if (!fs.existsSync(manifest)) continue;
      const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
      const nested = path.join(dir, 'node_modules');
      const size = sizeOf(dir) - (fs.existsSync(nested) ? sizeOf(nested) : 0);
      out.set(dir, { name: pkg.name, version: pkg.version, size });
      packages(nested, out);
    }
  }
  return out;
}

function kB(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

async function main(): Promise<void> {
  const tmp = scratchDir('footprint');
  try {
    const tarball = await pack(tmp);
    const project = path.join(tmp, 'cdk8s-project');
    await installProject(project, [lockedSpec('cdk8s'), lockedSpec('constructs')]);
    const before = packages(path.join(project, 'node_modules'));
    check(await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], project, 600_000));
    const after = packages(path.join(project, 'node_modules'));

    const added = [...after].filter(([dir, p]) => before.get(dir)?.version !== p.version).map(([, p]) => p)
      .sort((a, b) => b.size - a.size || a.name.localeCompare(b.name));
    const total = added.reduce((sum, p) => sum + p.size, 0);
    const self = added.find((p) => p.name === 'istio-constructs');
    const files = listFiles(path.join(project, 'node_modules', 'istio-constructs')).length;

    console.log(`tarball: ${path.basename(tarball)}, ${kB(fs.statSync(tarball).size)} packed, ${kB(self?.size ?? 0)} unpacked, ${files} files`);
    console.log(`npm install istio-constructs in a cdk8s project (cdk8s and constructs already installed) adds ${added.length} packages, ${kB(total)}:`);
    for (const p of added) console.log(`  ${kB(p.size).padStart(9)}  ${p.name}@${p.version}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
