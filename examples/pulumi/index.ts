/**
 * Pulumi entry point of the examples:
 *   pulumi config set example s9-provider-canary
 *   pulumi config set stage split-90-10
 *   pulumi up
 */
import * as pulumi from '@pulumi/pulumi';
import { examples } from '../index';

const config = new pulumi.Config();
const name = config.require('example');
const example = examples.find((e) => e.name === name);
if (!example) throw new Error(`unknown example ${name}; one of ${examples.map((e) => e.name).join(', ')}`);
example.pulumi(config.get('stage') ?? example.stages[example.stages.length - 1]);
