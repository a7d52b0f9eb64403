import { ComponentResource } from '@pulumi/pulumi';
import { CanaryService, Gateway, HttpRoute } from '../../src/pulumi';
import { Stage, bookinfoGateway, bookinfoRoute, detailsV1, gatewayApi, productpageV1, ratingsV1, reviewsStages } from './props';

/**
 * The props with the program's routing target. (A stack sets it once instead with
 * `pulumi config set istio-constructs:routingApi gateway-api`; the examples run in one process
 * with the Istio API ones, so each construct names it.)
 */
const onGatewayApi = <P extends object>(props: P): P => ({ ...props, target: gatewayApi });

/** The S10 Gateway API program at one stage. */
export function program(stage: Stage = 'bookinfo'): ComponentResource[] {
  const reviews = new CanaryService('reviews', onGatewayApi(reviewsStages[stage]));
  if (stage !== 'bookinfo') return [reviews];
  const gateway = new Gateway('bookinfo-gateway', onGatewayApi(bookinfoGateway));
  return [
    gateway,
    new HttpRoute('bookinfo', onGatewayApi(bookinfoRoute(gateway.ref)), { dependsOn: [gateway] }),
    new CanaryService('productpage', onGatewayApi(productpageV1)),
    new CanaryService('details', onGatewayApi(detailsV1)),
    new CanaryService('ratings', onGatewayApi(ratingsV1)),
    reviews,
  ];
}
