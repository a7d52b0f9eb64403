/**
 * What the installation examples share: the Istio version, where the charts are read from, and
 * the helm binary cdk8s renders them with.
 *
 * Charts: `../shared/istio/charts` beside the repository (a copy of istio/istio's `manifests/charts`),
 * so `npm run synth` and the tests render offline. A user leaves `chartSource` unset to read
 * Istio's Helm repository at `version` (`ChartSource.istioRepository()`), or points it at a local
 * copy for air-gapped CI as here.
 *
 * Version: `1.32.0`. The shared charts are istio/istio master just after the 1.31 branch cut (its
 * VERSION file says 1.32, the images are `registry.istio.io/testing:latest`): they carry 1.32's
 * templates and values, so the version the model checks mesh-config fields and compatibility
 * versions against is 1.32. The canary example goes from 1.31.0 to 1.32.0; with a local
 * directory both revisions are rendered from the same charts (a repository would serve each
 * revision its own chart version).
 */
import * as path from 'path';
import { ChartSource } from '../../src';
import { helmBinary } from '../../scripts/helm';

/** The repository root (examples/installation/ → ../..). */
const ROOT = path.resolve(__dirname, '..', '..');

/** The Istio version of the examples (see above). */
export const ISTIO_VERSION = '1.32.0';
/** The version before it, for the canary upgrade. */
export const PREVIOUS_ISTIO_VERSION = '1.31.0';

/** `<repo>/../shared/istio/charts`, absolute. */
export const ISTIO_CHARTS_DIR = path.resolve(ROOT, '..', 'shared', 'istio', 'charts');
/** Istio's add-on manifests (`samples/addons`). */
export const ISTIO_ADDONS_DIR = path.resolve(ROOT, '..', 'shared', 'istio', 'samples', 'addons');
/** The Kiali operator chart. */
export const KIALI_OPERATOR_CHART_DIR = path.resolve(ROOT, '..', 'shared', 'kiali', 'kiali-operator');

/** The local chart source of the examples. */
export const chartSource = (): ChartSource => ChartSource.fromDirectory(ISTIO_CHARTS_DIR);

/** The helm binary cdk8s renders with (unpacked from a dev dependency; see scripts/helm.ts). */
export const helmExecutable = (): string => helmBinary();
