import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { readDotenv } from "./read-dotenv.js";

describe("readDotenv", () => {
  let directory = "";
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "cogpt-dotenv-"));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it("parses .env in the given directory", () => {
    writeFileSync(
      join(directory, ".env"),
      [
        "# a comment",
        "PORT=9000",
        'SHARE_TOKEN="share-a:ghu_x"',
        "export LOG_LEVEL=debug",
        "EMPTY=",
        "",
      ].join("\n"),
    );
    expect(readDotenv(directory)).toEqual({
      PORT: "9000",
      SHARE_TOKEN: "share-a:ghu_x",
      LOG_LEVEL: "debug",
      EMPTY: "",
    });
  });

  it("gives an empty set when there is no .env", () => {
    expect(readDotenv(directory)).toEqual({});
  });

  it("fails clearly when .env cannot be read", () => {
    mkdirSync(join(directory, ".env"));
    let caught: unknown;
    try {
      readDotenv(directory);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught instanceof Error ? caught.message : "").toBe(
      `.env: cannot read "${join(directory, ".env")}": EISDIR: illegal operation on a directory, read`,
    );
  });
});
