import { describe, expect, it } from 'vitest';
import { cronProblems, expandHashedCron } from '../../core/cron.js';

describe('cron schedules', () => {
  it.each([
    '*/5 * * * *', '0 0 * * *', '15,45 6-18 * * MON-FRI', '0 12 1 JAN,JUL *', 'H * * * *', 'H/6 * * * *', 'H(0-29) H(2-5) * * *',
    '@hourly', '@daily', '0 0 ? * 0', '0 0 * * 7', '30 2 L * *'.replace('L', '28'),
  ])('accepts %s', (schedule) => expect(cronProblems(schedule)).toEqual([]));

  it.each([
    ['61 * * * *', /minute/], ['* 24 * * *', /hour/], ['* * 0 * *', /day of month/], ['* * * 13 *', /month/], ['* * * * 8', /day of week/],
    ['0 */5 * * * *', /5 fields/], ['every hour', /5 fields/], ['*/0 * * * *', /step/], ['5-1 * * * *', /after/], ['@every 5m', /macro/],
    ['TZ=UTC 0 * * * *', /time_zone/], ['H(5) * * * *', /range/], [',5 * * * *', /empty/],
  ])('rejects %s', (schedule, message) => {
    const problems = cronProblems(schedule);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(message);
  });

  it('leaves plain cron unchanged', () => {
    expect(expandHashedCron('*/6 * * * *', 'a')).toBe('*/6 * * * *');
    expect(expandHashedCron('@hourly', 'a')).toBe('@hourly');
  });

  it('spreads H/6 over the six minutes, stably', () => {
    const minutes = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const expanded = expandHashedCron('H/6 * * * *', `dataset_${i}`);
      expect(cronProblems(expanded), expanded).toEqual([]);
      expect(expandHashedCron('H/6 * * * *', `dataset_${i}`)).toBe(expanded);
      minutes.add(expanded.split(' ')[0].split('-')[0]);
    }
    expect(minutes.size).toBe(6);
  });

  it('keeps H(a-b) inside its range and bare H in every field valid', () => {
    for (let i = 0; i < 200; i++) {
      const [minute, hour, day, month, weekday] = expandHashedCron('H(10-19) H H H H', `d${i}`).split(' ').map(Number);
      expect(minute).toBeGreaterThanOrEqual(10);
      expect(minute).toBeLessThanOrEqual(19);
      expect(hour).toBeLessThanOrEqual(23);
      expect(day).toBeGreaterThanOrEqual(1);
      expect(day).toBeLessThanOrEqual(28);
      expect(month).toBeGreaterThanOrEqual(1);
      expect(month).toBeLessThanOrEqual(12);
      expect(weekday).toBeLessThanOrEqual(6);
    }
  });
});
