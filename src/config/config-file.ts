/** The config file `inferbench run` reads when --config is not given. */
export const DEFAULT_CONFIG_FILE = 'inferbench.config.json';
