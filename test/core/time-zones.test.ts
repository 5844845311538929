// Time zone names are checked against ICU's, canonical names and aliases alike.
import { describe, expect, it } from 'vitest';
import { isIanaTimeZone } from '../../core/normalize.js';

describe('isIanaTimeZone', () => {
  it('accepts canonical names and the aliases ICU knows', () => {
    for (const zone of ['UTC', 'America/New_York', 'Pacific/Honolulu', 'Etc/GMT+5', 'Etc/UTC', 'US/Eastern', 'Asia/Calcutta', 'EST5EDT']) expect(isIanaTimeZone(zone), zone).toBe(true);
  });

  it('rejects what is no zone', () => {
    for (const zone of ['Mars/Olympus_Mons', 'EST5EDT/Nowhere', 'America/', '', 'UTC+5', '../etc/passwd', 'america new york']) expect(isIanaTimeZone(zone), zone).toBe(false);
  });
});
