// Ports and addresses of this machine for the host specs.
import { networkInterfaces } from 'node:os';

export { freePort } from '../../test/helpers/free-port.js';

/** An IPv4 address of this machine other than loopback, or null when it has none. */
export function nonLoopbackIPv4(): string | null {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal && !address.address.startsWith('127.')) return address.address;
    }
  }
  return null;
}
