import { describe, expect, it } from 'vitest';
import { formatDuration } from './queue-format';

describe(formatDuration.name, () => {
  it('writes minutes and seconds, hours when there are some, and a dash when unknown', () => {
    expect(formatDuration(2)).toBe('0:02');
    expect(formatDuration(723.4)).toBe('12:03');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(null)).toBe('—');
  });
});
