// TypeDoc plugin for `npm run docs` (scripts/docs.ts): members a class inherits from a class
// outside this package (cdk8s `Construct`, Pulumi `ComponentResource`) are dropped from the
// reference; their documentation belongs to those packages. The `Extends` line still names the
// base class.
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const owner of context.project.getReflectionsByKind(ReflectionKind.Class)) {
      for (const member of [...(owner.children ?? [])]) {
        const from = member.inheritedFrom;
        if (from && !from.reflection) context.project.removeReflection(member);
      }
    }
  });
}
