/**
 * Property tests of the plain routes: strictly valid random props give admission-valid output that
 * keeps their meaning (one destination, the bound gateways, the hosts); a corruption is always an
 * IstioConstructError; junk in a field is refused with IstioConstructError or yields valid output.
 */
import * as fc from 'fast-check';
import { refusedOrValid } from './helpers';
import {
  IstioConstructError, RouteOutput, buildHttpRoute, buildTcpRoute, buildTlsRoute, manifestsOf, validateManifests,
} from '../src';
import {
  corruptHttpRoute, corruptTcpRoute, corruptTlsRoute, validHttpRouteProps, validTcpRouteProps, validTlsRouteProps,
} from './arbitraries/routes';

/** What every route keeps: its destination, its gateways (`namespace/name`, then `mesh`), the destination host with the mesh. */
function keepsBinding(props: any, out: RouteOutput): void {
  expect(validateManifests(manifestsOf(out))).toEqual([]);
  expect(out.objects.map((o) => o.role)).toEqual(['virtual-service']);
  const spec = out.virtualService!.spec;
  const mesh = props.mesh ?? !props.gateways;
  if (props.gateways) {
    expect(spec.gateways).toEqual([...props.gateways.map((g: any) => `${g.namespace}/${g.name}`), ...(mesh ? ['mesh'] : [])]);
  } else {
    expect(spec.gateways).toBeUndefined();
  }
  if (mesh) expect(spec.hosts).toContain(props.destination.fqdn);
  else expect(spec.hosts).not.toContain('mesh');
  const routes = [...(spec.http ?? []), ...(spec.tcp ?? []), ...(spec.tls ?? [])].flatMap((r: any) => r.route ?? []);
  for (const r of routes) {
    expect(r.destination.host).toBe(props.destination.fqdn);
    expect(r.destination.subset).toBeUndefined();
    expect(r.weight).toBeUndefined();
  }
}

describe('HttpRoute properties', () => {
  test('valid props give admission-valid output with the rules in order, scoped to bound gateways', () => {
    fc.assert(fc.property(validHttpRouteProps, (props) => {
      const out = buildHttpRoute(props);
      keepsBinding(props, out);
      const http = out.virtualService!.spec.http!;
      const rules = props.rules ?? [];
      expect(http).toHaveLength(rules.length + (props.routeUnmatched === false ? 0 : 1));
      rules.forEach((r, i) => {
        expect(http[i].name).toBe(r.name);
        expect(http[i].match).toHaveLength(r.match!.length);
        // redirect and directResponse rules carry no route
        expect(http[i].route === undefined).toBe(r.redirect !== undefined || r.directResponse !== undefined);
      });
      // every match.gateways entry is a gateway of the VirtualService (or mesh, when bound to it)
      const bound = out.virtualService!.spec.gateways ?? ['mesh'];
      for (const r of http) for (const m of r.match ?? []) for (const g of m.gateways ?? []) expect(bound).toContain(g);
      // with the mesh, every gateway-facing host is kept; the destination host comes last
      if (props.hosts) expect(out.virtualService!.spec.hosts!.slice(0, props.hosts.length)).toEqual(props.hosts);
    }), { numRuns: 200 });
  });

  test('invalid props throw IstioConstructError, never anything else', () => {
    fc.assert(fc.property(validHttpRouteProps, corruptHttpRoute, (props, corrupt) => {
      expect(() => buildHttpRoute(corrupt(props))).toThrow(IstioConstructError);
    }), { numRuns: 300 });
  });

  test('junk in any top-level field is refused with IstioConstructError or yields valid output', () => {
    const keys = ['name', 'namespace', 'destination', 'gateways', 'mesh', 'hosts', 'port', 'rules', 'routeUnmatched', 'timeout', 'cors', 'rewrite'];
    fc.assert(fc.property(validHttpRouteProps, fc.constantFrom(...keys), fc.anything(), (props, key, junk) => refusedOrValid(() => buildHttpRoute({ ...props, [key]: junk } as any))), { numRuns: 500 });
  });
});

describe('TcpRoute properties', () => {
  test('valid props give admission-valid output with one tcp rule on the port', () => {
    fc.assert(fc.property(validTcpRouteProps, (props) => {
      const out = buildTcpRoute(props);
      keepsBinding(props, out);
      const tcp = out.virtualService!.spec.tcp!;
      expect(tcp).toHaveLength(1);
      expect(tcp[0].match).toEqual([{ port: props.port, ...(props.sourceLabels ? { sourceLabels: props.sourceLabels } : {}) }]);
      expect(props.destination.ports.map((p) => p.port)).toContain(tcp[0].route![0].destination.port!.number);
    }), { numRuns: 200 });
  });

  test('invalid props throw IstioConstructError, never anything else', () => {
    fc.assert(fc.property(validTcpRouteProps, corruptTcpRoute, (props, corrupt) => {
      expect(() => buildTcpRoute(corrupt(props))).toThrow(IstioConstructError);
    }), { numRuns: 200 });
  });

  test('junk in any top-level field is refused with IstioConstructError or yields valid output', () => {
    const keys = ['name', 'destination', 'gateways', 'mesh', 'hosts', 'port', 'destinationPort', 'sourceLabels'];
    fc.assert(fc.property(validTcpRouteProps, fc.constantFrom(...keys), fc.anything(), (props, key, junk) => refusedOrValid(() => buildTcpRoute({ ...props, [key]: junk } as any))), { numRuns: 300 });
  });
});

describe('TlsRoute properties', () => {
  test('valid props give admission-valid output routing the SNI hosts', () => {
    fc.assert(fc.property(validTlsRouteProps, (props) => {
      const out = buildTlsRoute(props);
      keepsBinding(props, out);
      const tls = out.virtualService!.spec.tls!;
      expect(tls).toHaveLength(1);
      expect(tls[0].match[0].sniHosts).toEqual(props.sniHosts);
      for (const s of props.sniHosts) expect(out.virtualService!.spec.hosts).toContain(s);
    }), { numRuns: 200 });
  });

  test('invalid props throw IstioConstructError, never anything else', () => {
    fc.assert(fc.property(validTlsRouteProps, corruptTlsRoute, (props, corrupt) => {
      expect(() => buildTlsRoute(corrupt(props))).toThrow(IstioConstructError);
    }), { numRuns: 200 });
  });

  test('junk in any top-level field is refused with IstioConstructError or yields valid output', () => {
    const keys = ['name', 'destination', 'gateways', 'mesh', 'hosts', 'sniHosts', 'port', 'destinationPort', 'sourceLabels', 'allowWildcardHosts'];
    fc.assert(fc.property(validTlsRouteProps, fc.constantFrom(...keys), fc.anything(), (props, key, junk) => refusedOrValid(() => buildTlsRoute({ ...props, [key]: junk } as any))), { numRuns: 300 });
  });
});
