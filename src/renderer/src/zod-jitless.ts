// Must be main.tsx's first import: zod probes `new Function` when the first object schema is built,
// and under the strict CSP that probe is reported as a violation even though zod catches it.
import { config } from 'zod/mini';

config({ jitless: true });
