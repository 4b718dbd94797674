import { z } from 'zod';

/*
 * Text that people type, checked once here for every field of every schema (REST bodies and socket
 * events alike). Why: a NUL byte reached PostgreSQL (which refuses it in text columns) and came back as
 * a 500 with an error log line; zero-width and bidirectional controls let a guest appear as someone else
 * ("Alice (host)" built from invisible and reordered characters). Refused here, they are a 400 with a
 * sentence, before any service sees them.
 */

// C0 controls (U+0000-U+001F), DEL and the C1 block (U+0080-U+009F).
// eslint-disable-next-line no-control-regex -- finding control characters is what this does
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// The same, but tab, line feed and carriage return are ordinary in a multi-line chat message.
// eslint-disable-next-line no-control-regex -- finding control characters is what this does
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/**
 * Invisible and direction-changing characters that have no place in a name: zero-width space, joiners
 * and non-joiner, word joiner, the BOM, soft hyphen, the Arabic letter mark, the bidi marks, embeddings,
 * overrides and isolates, and the invisible operators (U+2061-U+2064).
 */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

export const CONTROL_MESSAGE = 'must not contain control characters';
export const INVISIBLE_MESSAGE = 'must not contain invisible or text-direction characters';

/** True when the text holds a control character (multi-line text may hold tabs and line breaks). */
export const hasControl = (s: string, multiline = false): boolean => (multiline ? CONTROL_MULTILINE : CONTROL).test(s);
/** True when the text holds a zero-width or bidirectional control character. */
export const hasInvisible = (s: string): boolean => INVISIBLE.test(s);

/** A single-line text field (email, PIN, password): no control characters at all. */
export const plainText = () => z.string().refine((s) => !hasControl(s), CONTROL_MESSAGE);

/** Multi-line text (chat): tabs and line breaks allowed, other control characters refused. */
export const multilineText = () => z.string().refine((s) => !hasControl(s, true), CONTROL_MESSAGE);

/**
 * A name people see (display names, room names): no control characters, no invisible or direction
 * characters, normalised to NFC (so two spellings of "é" are one name) and trimmed, `min`-`max` long.
 */
export const nameText = (max: number) =>
  z
    .string()
    .refine((s) => !hasControl(s), CONTROL_MESSAGE)
    .refine((s) => !hasInvisible(s), INVISIBLE_MESSAGE)
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));
