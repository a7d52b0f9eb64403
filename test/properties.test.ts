/**
 * Property tests: random valid props always give schema-valid output that keeps the props'
 * meaning; random invalid props always give an IstioConstructError, never a crash or output.
 */
import * as fc from 'fast-check';
import { refusedOrValid } from './helpers';
import {
  IstioConstructError, buildCanaryService, buildTcpIngress, manifestsOf, validateManifests,
} from '../src';
import {
  corruptCanary, corruptTcp, junkCanary, junkTcp, validCanaryProps as canaryProps, validTcpProps as tcpProps,
} from './arbitraries';

describe('CanaryService properties', () => {
  test('valid props give schema-valid objects that keep the split and the routes', () => {
    fc.assert(fc.property(canaryProps, (props) => {
      const out = buildCanaryService(props);
      expect(validateManifests(manifestsOf(out))).toEqual([]);
      const subsets = out.destinationRule!.spec.subsets!.map((s) => s.name);
      expect(subsets).toEqual(props.versions.map((v) => v.name));
      const http = out.virtualService!.spec.http!;
      // every destination names a subset of this DestinationRule
      for (const r of http) for (const d of r.route!) expect(subsets).toContain(d.destination.subset);
      // the default route carries exactly the versions with a positive weight, in proportion
      const live = props.versions.filter((v) => v.weight! > 0);
      const def = http[http.length - 1].route!;
      expect(def.map((d) => d.destination.subset)).toEqual(live.map((v) => v.name));
      if (live.length > 1) expect(def.map((d) => d.weight)).toEqual(live.map((v) => v.weight));
      expect(http).toHaveLength((props.routes?.length ?? 0) + 1);
    }), { numRuns: 150 });
  });

  test('invalid props throw IstioConstructError, never anything else', () => {
    fc.assert(fc.property(canaryProps, corruptCanary, (props, corrupt) => {
      expect(() => buildCanaryService(corrupt(props))).toThrow(IstioConstructError);
    }), { numRuns: 200 });
  });

  test('junk in any field is refused with IstioConstructError or yields valid objects', () => {
    fc.assert(fc.property(canaryProps, junkCanary, (props, junk) => refusedOrValid(() => buildCanaryService(junk(props)))), { numRuns: 1000 });
  });
});

describe('TcpIngress properties', () => {
  test('valid props give schema-valid objects routing to the backend Service port', () => {
    fc.assert(fc.property(tcpProps, (props) => {
      const out = buildTcpIngress(props);
      expect(validateManifests(manifestsOf(out))).toEqual([]);
      const routes = out.virtualService!.spec.tcp ?? out.virtualService!.spec.tls!;
      for (const d of routes[0].route!) expect(d.destination.port).toEqual({ number: 31400 });
      if (props.gateway) expect(out.virtualService!.spec.gateways).toEqual([`istio-system/${props.name}-gateway`]);
    }), { numRuns: 150 });
  });

  test('invalid props throw IstioConstructError, never anything else', () => {
    fc.assert(fc.property(tcpProps, corruptTcp, (props, corrupt) => {
      expect(() => buildTcpIngress(corrupt(props))).toThrow(IstioConstructError);
    }), { numRuns: 200 });
  });

  test('junk in any field is refused with IstioConstructError or yields valid objects', () => {
    fc.assert(fc.property(tcpProps, junkTcp, (props, junk) => refusedOrValid(() => buildTcpIngress(junk(props)))), { numRuns: 1000 });
  });
});
