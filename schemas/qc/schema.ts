// Structure of a dataset's `qc` block. The strict QARTOD rules (test names, parameters, spans)
// are applied by ./check.ts, which reports each problem at its line.
import { z } from 'zod';

export const QcBlockSchema = z.record(z.string(), z.unknown());
export type QcBlockInput = z.output<typeof QcBlockSchema>;
