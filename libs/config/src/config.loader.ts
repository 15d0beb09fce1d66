import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** A configuration problem, phrased for one line of output: it names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type ConfigClass<T> = new () => T;

/**
 * Builds a config object from environment variables and validates it. Properties of the class
 * are named exactly like the variables (`PORT`, `KAFKA_BROKERS` …) so an error names the variable.
 */
export function loadConfig<T extends object>(configClass: ConfigClass<T>, env: NodeJS.ProcessEnv = process.env): T {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(configClass, { ...new configClass(), ...defined }, { enableImplicitConversion: false });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(describe(errors[0]!, env));
  return config;
}

function describe(error: ValidationError, env: NodeJS.ProcessEnv): string {
  const reason = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
  const raw = env[error.property];
  const shown = raw === undefined || raw === '' ? 'it is not set' : `got "${truncate(raw)}"`;
  return `Invalid configuration: ${error.property} ${reason.replace(new RegExp(`^${error.property} `), '')} (${shown})`;
}

function truncate(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}

/**
 * Loads config for a process entry point; on a bad value prints one JSON line to stderr and exits,
 * so an operator sees which variable to fix instead of a stack trace.
 */
export function loadConfigOrExit<T extends object>(configClass: ConfigClass<T>, env: NodeJS.ProcessEnv = process.env): T {
  try {
    return loadConfig(configClass, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      // One JSON line like every other line of the process (pino's fatal level), naming the variable.
      process.stderr.write(`${JSON.stringify({ level: 60, time: new Date().toISOString(), config: configClass.name, msg: error.message })}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
