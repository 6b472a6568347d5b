/** Where the sandbox tenants' registry lives (the same format production registries use). */
import { resolve } from 'node:path';

export const SANDBOX_REGISTRY_PATH = resolve(__dirname, 'sandbox.tenants.json');
