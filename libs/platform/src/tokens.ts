/** Injection tokens for what the platform provides to every app. */
export const READ_MODEL = Symbol('READ_MODEL');
export const APP_CONFIG = Symbol('APP_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const CHECKPOINTS = Symbol('CHECKPOINTS');
