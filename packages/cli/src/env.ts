/** The only module of the CLI that reads the environment. */
export interface TCliEnv {
  MERIDIAN_URL?: string;
  MERIDIAN_TOKEN?: string;
  /** Path of the config file written by `meridian login`. */
  MERIDIAN_CONFIG?: string;
  XDG_CONFIG_HOME?: string;
  HOME?: string;
}

export function cliEnv(source: Record<string, string | undefined> = process.env): TCliEnv {
  return {
    MERIDIAN_URL: source.MERIDIAN_URL,
    MERIDIAN_TOKEN: source.MERIDIAN_TOKEN,
    MERIDIAN_CONFIG: source.MERIDIAN_CONFIG,
    XDG_CONFIG_HOME: source.XDG_CONFIG_HOME,
    HOME: source.HOME,
  };
}
