import { CanaryService } from '../../src/pulumi';
import { wordpressCanary } from './props';

/** The S13 canary program. */
export function program(): void {
  new CanaryService('wordpress', wordpressCanary);
}
