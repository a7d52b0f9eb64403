import { assertPeersInstalled } from '../src/core/peers';

/** A resolver that knows only `installed`, failing like Node's for everything else. */
function resolver(installed: string[]): (id: string) => string {
  return (id) => {
    if (installed.includes(id)) return `/node_modules/${id}/index.js`;
    const e = new Error(`Cannot find module '${id}'`) as NodeJS.ErrnoException;
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  };
}

describe('assertPeersInstalled', () => {
  test('passes when every peer resolves', () => {
    expect(() => assertPeersInstalled('istio-constructs/cdk8s', ['cdk8s', 'constructs'], resolver(['cdk8s', 'constructs']))).not.toThrow();
  });

  test('names the entry point, the missing peer and the install command', () => {
    let error: any;
    try {
      assertPeersInstalled('istio-constructs/pulumi', ['@pulumi/pulumi', '@pulumi/kubernetes'], resolver(['@pulumi/pulumi']));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ISTIO_CONSTRUCTS_MISSING_PEER');
    expect(error.message).toBe('istio-constructs/pulumi needs @pulumi/kubernetes, which is not installed. '
      + 'Install it next to istio-constructs: npm install @pulumi/kubernetes');
    expect(error.cause.code).toBe('MODULE_NOT_FOUND');
  });

  test('lists every missing peer in one install command', () => {
    expect(() => assertPeersInstalled('istio-constructs/pulumi', ['@pulumi/pulumi', '@pulumi/kubernetes'], resolver([])))
      .toThrow('npm install @pulumi/pulumi @pulumi/kubernetes');
  });

  test('rethrows resolution errors other than a missing package', () => {
    const resolve = () => {
      const e = new Error('Package subpath is not defined by "exports"') as NodeJS.ErrnoException;
      e.code = 'ERR_PACKAGE_PATH_NOT_EXPORTED';
      throw e;
    };
    expect(() => assertPeersInstalled('istio-constructs/cdk8s', ['cdk8s'], resolve)).toThrow('Package subpath is not defined');
  });
});
