/**
 * A text field of a submitted form: its value, or '' when the form has no such field. A file input of
 * that name (never one of ours) also reads as '', rather than as "[object File]".
 */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
