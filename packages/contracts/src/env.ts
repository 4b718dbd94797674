import type { z } from 'zod';

export class ConfigError extends Error {}

/**
 * Parses an app's environment once at start-up against its schema; throws a ConfigError that lists
 * every bad variable at once (not just the first), so an operator fixes them in one go.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment variables:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Loads config or exits with EX_CONFIG (78) and the list of problems: what both apps' main.ts do first. */
export function loadConfigOrExit<T>(load: (env: Record<string, string | undefined>) => T, env: Record<string, string | undefined>): T {
  try {
    return load(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}
