import { describe, expect, it } from 'vitest';
import { formText } from './form-text';

describe('formText', () => {
  it("reads a text field, '' for a missing field, and never a file's default string", () => {
    const form = new FormData();
    form.append('name', '  Movie night ');
    form.append('upload', new Blob(['x']), 'x.mp4');
    expect(formText(form, 'name')).toBe('  Movie night ');
    expect(formText(form, 'pin')).toBe('');
    expect(formText(form, 'upload')).toBe('');
  });
});
