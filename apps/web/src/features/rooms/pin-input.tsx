/**
 * The one PIN input: digits only, masked, 4-12 long (contracts' pinSchema). Setting a PIN (create,
 * settings) wants the pattern and a new-password hint to the browser; entering one (join) does not
 * constrain the pattern, so a wrong PIN gets the server's answer rather than a browser tooltip.
 */
export function PinInput({
  id,
  mode,
  placeholder,
  required,
  describedBy,
  defaultValue,
}: {
  id: string;
  mode: 'set' | 'enter';
  placeholder?: string;
  required?: boolean;
  describedBy?: string;
  /** A PIN that came with an invite link (`#pin=`). */
  defaultValue?: string;
}) {
  return (
    <input
      id={id}
      name="pin"
      type="password"
      inputMode="numeric"
      autoComplete={mode === 'set' ? 'new-password' : 'off'}
      pattern={mode === 'set' ? '\\d{4,12}' : undefined}
      maxLength={12}
      placeholder={placeholder}
      required={required}
      aria-describedby={describedBy}
      defaultValue={defaultValue}
    />
  );
}
