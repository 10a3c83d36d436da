/**
 * The deployment environment of a resource: `deployment.environment.name` (semantic conventions 1.27+), else the
 * older `deployment.environment`. Services of the same name in two environments are two nodes to faultline.
 */
import type { Attributes } from '../span.js';

export function environmentOf(resource: Attributes): string {
  return resource['deployment.environment.name'] || resource['deployment.environment'] || '';
}
