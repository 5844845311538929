// Preloaded into a measured Node child (`--import`) when /usr/bin/time is not available: at exit
// the child writes its own CPU time and peak RSS where bench/measure.ts reads them.
import { writeFileSync } from 'node:fs';

const target = process.env.STELLER_BENCH_USAGE_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ userSeconds: usage.userCPUTime / 1e6, systemSeconds: usage.systemCPUTime / 1e6, maxRssKiB: usage.maxRSS }));
  });
}
