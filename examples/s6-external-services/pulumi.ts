import { ComponentResource } from '@pulumi/pulumi';
import { ExternalEgress, WorkloadEgress } from '../../src/pulumi';
import { coffee, namespaceEgress, productpageEgress, reviewsEgress, wikipedia } from './props';

/** The S6 program. */
export function program(): ComponentResource[] {
  const wiki = new ExternalEgress('wikipedia', wikipedia);
  const cafes = new ExternalEgress('coffee', coffee);
  const after = { dependsOn: [wiki, cafes] };
  return [
    wiki, cafes,
    new WorkloadEgress('default-egress', namespaceEgress([...wiki.hosts, ...cafes.hosts]), after),
    new WorkloadEgress('productpage-egress', productpageEgress(cafes.host('a-cup-of.coffee')), after),
    new WorkloadEgress('reviews-egress', reviewsEgress(cafes.host('une-tasse-de.cafe')), after),
  ];
}
