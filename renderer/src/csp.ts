/**
 * Imported first by main.ts. zod probes `new Function` when it builds object
 * schemas (to compile fast parsers); under `script-src 'self'` that probe is a
 * CSP violation. Telling zod to stay eval-free must happen before any schema
 * module (shared/protocol) is evaluated, hence this side-effect module.
 */
import { z } from 'zod';

z.config({ jitless: true });
