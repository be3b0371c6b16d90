/** An invalid configuration value. The message is one line: `OPTION: why`, never a secret. */
export class ConfigError extends Error {
  /** The option's env name (`PORT`, `SHARE_TOKEN`, `PROXY`, …). */
  readonly option: string;

  constructor(option: string, reason: string) {
    super(`${option}: ${reason}`);
    this.name = "ConfigError";
    this.option = option;
  }
}
