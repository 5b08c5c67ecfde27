export {
  CONFIG_DIR,
  ConfigError,
  ENV_KEYS,
  type LoadConfigOptions,
  loadConfig,
  loadConfigOrExit,
} from './load.ts';
export { type Config, configSchema } from './schema.ts';
