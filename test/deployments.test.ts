import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { NODE_VERSION } from "../scripts/release/node-runtimes.js";

// Checks the deployment files without a Docker engine, systemd, launchd or Windows: their
// structure by small parsers, and the tools' own checks where this machine has the tool.

const root = fileURLToPath(new URL("../", import.meta.url));
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");

/** Flattens the block-style YAML that docker-compose.yml uses into `a.b[0].c` → scalar. */
function flattenYaml(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const open: { indent: number; path: string }[] = [];
  const nextIndex = new Map<string, number>();
  for (const line of text.split("\n")) {
    const code = line.replace(/(^|\s)#.*$/, "");
    if (code.trim() === "") continue;
    let indent = code.search(/\S/);
    let content = code.trim();
    while (open.length > 0 && open[open.length - 1]!.indent >= indent) open.pop();
    let parent = open[open.length - 1]?.path ?? "";
    if (content.startsWith("- ")) {
      const index = nextIndex.get(parent) ?? 0;
      nextIndex.set(parent, index + 1);
      parent = `${parent}[${index}]`;
      indent += 2;
      content = content.slice(2);
      open.push({ indent: indent - 1, path: parent });
    }
    const pair = /^([\w.-]+):(?:\s+(.*))?$/.exec(content);
    if (pair === null) {
      values[parent] = unquote(content);
      continue;
    }
    const path = parent === "" ? pair[1]! : `${parent}.${pair[1]!}`;
    if (pair[2] === undefined) open.push({ indent, path });
    else values[path] = unquote(pair[2]);
  }
  return values;
}

function unquote(scalar: string): string {
  return /^(["']).*\1$/.test(scalar) ? scalar.slice(1, -1) : scalar;
}

/** Dockerfile instructions (continuation lines joined, comments dropped), with their stage. */
function readDockerfile(text: string): { stage: number; instruction: string }[] {
  let stage = -1;
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim().replace(/\s+/g, " "))
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((instruction) => {
      if (instruction.startsWith("FROM ")) stage++;
      return { stage, instruction };
    });
}

/** A systemd unit as section → key → values (a key may repeat). */
function readUnit(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let section: Record<string, string[]> = {};
  for (const line of text.split("\n").map((each) => each.trim())) {
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header !== null) {
      section = sections[header[1]!] = {};
      continue;
    }
    const [key, ...rest] = line.split("=");
    (section[key!] ??= []).push(rest.join("="));
  }
  return sections;
}

/** The property-list subset launchd files use; throws on anything malformed. */
function parsePlist(text: string): unknown {
  const body = text.replace(/^<\?xml[^>]*\?>\s*<!DOCTYPE[^>]*>/, "");
  for (const comment of body.match(/<!--[\s\S]*?-->/g) ?? []) {
    if (comment.slice(4, -3).includes("--")) throw new Error(`"--" inside a comment: ${comment}`);
  }
  const tokens = (body.replace(/<!--[\s\S]*?-->/g, "").match(/<[^>]+>|[^<]+/g) ?? [])
    .map((token) => token.trim())
    .filter((token) => token !== "");
  let position = 0;
  const next = (): string => {
    const token = tokens[position++];
    if (token === undefined) throw new Error("unexpected end of the plist");
    return token;
  };
  const readText = (close: string): string => {
    const token = next();
    if (token === close) return "";
    if (next() !== close) throw new Error(`expected ${close} after ${token}`);
    return token.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  };
  const readValue = (open: string): unknown => {
    if (open === "<true/>" || open === "<false/>") return open === "<true/>";
    if (open === "<string>") return readText("</string>");
    if (open === "<integer>") return Number(readText("</integer>"));
    if (open === "<array>") {
      const array: unknown[] = [];
      for (let token = next(); token !== "</array>"; token = next()) array.push(readValue(token));
      return array;
    }
    if (open === "<dict>") {
      const dict: Record<string, unknown> = {};
      for (let token = next(); token !== "</dict>"; token = next()) {
        if (token !== "<key>") throw new Error(`expected <key>, got ${token}`);
        const key = readText("</key>");
        dict[key] = readValue(next());
      }
      return dict;
    }
    throw new Error(`unexpected ${open}`);
  };
  if (next() !== '<plist version="1.0">') throw new Error("no <plist> root");
  const value = readValue(next());
  if (next() !== "</plist>" || position !== tokens.length)
    throw new Error("content after </plist>");
  return value;
}

describe("docker-compose.yml", () => {
  it("runs the cogpt-api service with the db and log volumes and an optional .env", () => {
    expect(flattenYaml(read("docker-compose.yml"))).toEqual({
      "services.cogpt-api.build": ".",
      "services.cogpt-api.container_name": "cogpt-api",
      "services.cogpt-api.ports[0]": "8080:8080",
      "services.cogpt-api.volumes[0]": "./db:/app/db",
      "services.cogpt-api.volumes[1]": "./log:/app/log",
      "services.cogpt-api.env_file[0].path": ".env",
      "services.cogpt-api.env_file[0].required": "false",
      "services.cogpt-api.environment.HOST": "0.0.0.0",
      "services.cogpt-api.environment.PORT": "8080",
      "services.cogpt-api.restart": "unless-stopped",
      "services.cogpt-api.stop_grace_period": "15s",
    });
  });

  const compose = spawnSync("docker", ["compose", "version"], { timeout: 10_000 });
  it.skipIf(compose.status !== 0)("is accepted by `docker compose config`", () => {
    const result = spawnSync("docker", ["compose", "config", "--quiet"], {
      cwd: root,
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

describe("Dockerfile", () => {
  const instructions = readDockerfile(read("Dockerfile"));
  const stage = (index: number) =>
    instructions.filter((each) => each.stage === index).map((each) => each.instruction);

  it("bundles in a build stage, without install scripts, and copies only the bundle", () => {
    expect(stage(0)[0]).toBe("FROM node:${NODE_VERSION}-alpine AS build");
    expect(stage(0)).toEqual([
      "FROM node:${NODE_VERSION}-alpine AS build",
      "WORKDIR /app",
      "COPY package.json package-lock.json tsconfig.json vite.ui.config.ts ./",
      "RUN npm ci --ignore-scripts --no-audit --no-fund",
      "COPY src ./src",
      "RUN npm run bundle && npx vite build --config vite.ui.config.ts",
    ]);
    expect(stage(1).filter((line) => line.startsWith("COPY"))).toEqual([
      "COPY --from=build /app/package.json ./",
      "COPY --from=build /app/dist/bundle/cogpt.mjs ./lib/cogpt.mjs",
      "COPY --from=build /app/dist/ui ./ui",
    ]);
  });

  it("builds the bundle the release archives ship: `npm run bundle`, on the archives' Node", () => {
    const manifest = JSON.parse(read("package.json")) as { scripts: Record<string, string> };
    // The same esbuild command writes dist/bundle/cogpt.mjs for both (build-release reads it).
    expect(manifest.scripts.bundle).toContain("--outfile=dist/bundle/cogpt.mjs");
    expect(manifest.scripts.release).toContain("npm run bundle");
    expect(instructions[0]!.instruction).toBe(`ARG NODE_VERSION=${NODE_VERSION}`);
  });

  it("runs the bundle as a non-root user in /app on 0.0.0.0 with volumes and a health check", () => {
    const runtime = stage(1);
    expect(runtime[0]).toBe("FROM node:${NODE_VERSION}-alpine");
    expect(runtime).toContain(
      "ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 COGPT_CONFIG_DIR=/app/db",
    );
    expect(runtime).toContain("WORKDIR /app");
    expect(runtime).toContain("USER node");
    expect(runtime).toContain('VOLUME ["/app/db", "/app/log"]');
    expect(runtime.filter((line) => line.startsWith("HEALTHCHECK"))).toEqual([
      `HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["node", "-e", "${healthScript}"]`,
    ]);
    expect(runtime.slice(-2)).toEqual([
      'ENTRYPOINT ["node", "--disable-warning=ExperimentalWarning", "lib/cogpt.mjs"]',
      'CMD ["serve"]',
    ]);
    expect(runtime.indexOf("USER node")).toBeGreaterThan(
      runtime.indexOf("RUN mkdir -p db log && chown node:node db log"),
    );
  });

  it("health check command exits 0 only while /healthz answers 2xx", async () => {
    let status = 200;
    const server = createServer((request, response) => {
      response.writeHead(request.url === "/healthz" ? status : 404).end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await runHealthCheck(port)).toBe(0);
      status = 503;
      expect(await runHealthCheck(port)).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await runHealthCheck(port)).toBe(1);
  });

  it("context holds only what the build stage copies (.dockerignore)", () => {
    expect(
      read(".dockerignore")
        .split("\n")
        .filter((line) => line !== "" && !line.startsWith("#")),
    ).toEqual([
      "**",
      "!package.json",
      "!package-lock.json",
      "!tsconfig.json",
      "!vite.ui.config.ts",
      "!src",
      "src/**/*.test.ts",
      "src/**/*.test-helper.ts",
      "src/**/__fixtures__",
    ]);
  });
});

const healthScript =
  "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))";

function runHealthCheck(port: number): Promise<number | null> {
  const child = spawn(process.execPath, ["-e", healthScript], {
    env: { ...process.env, PORT: String(port) },
    stdio: "ignore",
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("examples/cogpt-api.service", () => {
  const text = read("examples/cogpt-api.service");
  const unit = readUnit(text);

  it("runs the archive's cogpt-api in /opt/cogpt with an environment file and restarts on failure", () => {
    expect(unit.Service).toMatchObject({
      ExecStart: ["/opt/cogpt/cogpt-api"],
      WorkingDirectory: ["/var/lib/cogpt-api"],
      EnvironmentFile: ["-/etc/cogpt-api/cogpt-api.env"],
      Restart: ["on-failure"],
      KillSignal: ["SIGTERM"],
      TimeoutStopSec: ["20s"],
      StateDirectory: ["cogpt-api"],
      LogsDirectory: ["cogpt-api"],
    });
    expect(unit.Unit?.After).toEqual(["network-online.target"]);
    expect(unit.Install?.WantedBy).toEqual(["multi-user.target"]);
  });

  it("is sandboxed, without MemoryDenyWriteExecute (V8 needs it off)", () => {
    expect(unit.Service).toMatchObject({
      DynamicUser: ["yes"],
      NoNewPrivileges: ["yes"],
      CapabilityBoundingSet: [""],
      PrivateTmp: ["yes"],
      PrivateDevices: ["yes"],
      ProtectSystem: ["strict"],
      ProtectHome: ["yes"],
      ProtectKernelTunables: ["yes"],
      ProtectControlGroups: ["yes"],
      RestrictAddressFamilies: ["AF_INET AF_INET6 AF_UNIX"],
      SystemCallFilter: ["@system-service", "~@privileged"],
    });
    expect(unit.Service?.MemoryDenyWriteExecute).toBeUndefined();
  });

  it("says which line to change for a global npm install", () => {
    expect(text).toContain("ExecStart=/usr/local/bin/cogpt-api");
  });

  const verifiable = spawnSync("systemd-analyze", ["--version"], { timeout: 10_000 }).status === 0;
  it.skipIf(!verifiable)("passes `systemd-analyze verify`", () => {
    // verify wants ExecStart's program to exist: this machine's Node stands in for the launcher.
    const dir = mkdtempSync(join(tmpdir(), "cogpt-unit-"));
    writeFileSync(
      join(dir, "cogpt-api.service"),
      text.replace("ExecStart=/opt/cogpt/cogpt-api", `ExecStart=${process.execPath} --version`),
    );
    const result = spawnSync("systemd-analyze", ["verify", join(dir, "cogpt-api.service")], {
      cwd: root,
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

describe("examples/com.cogpt-api.plist", () => {
  it("parses as a launchd job that runs the archive's cogpt-api in /opt/cogpt, restarted on failure", () => {
    expect(parsePlist(read("examples/com.cogpt-api.plist"))).toEqual({
      Label: "com.cogpt-api",
      ProgramArguments: ["/opt/cogpt/cogpt-api"],
      WorkingDirectory: "/opt/cogpt",
      // A global npm install's cogpt-api is `#!/usr/bin/env node`: launchd's own PATH has no Node.
      EnvironmentVariables: {
        NODE_ENV: "production",
        PATH: "/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin",
      },
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 10,
      ExitTimeOut: 20,
      StandardOutPath: "/opt/cogpt/log/launchd.log",
      StandardErrorPath: "/opt/cogpt/log/launchd.log",
    });
  });
});

describe("examples/cogpt-api-service.ps1", () => {
  const text = read("examples/cogpt-api-service.ps1");

  it("accepts the six verbs (and the task's own `run`) and handles each", () => {
    const verbs = ["enable", "disable", "start", "stop", "restart", "status", "run"];
    const accepted = /\[ValidateSet\(([^)]*)\)\]/.exec(text)?.[1] ?? "";
    expect(accepted.split(",").map((verb) => verb.trim().replace(/'/g, ""))).toEqual(verbs);
    const handled = [...text.matchAll(/^ {2}'(\w+)' \{/gm)].map((match) => match[1]);
    expect(handled).toEqual(verbs);
  });

  it("registers a startup task that runs the archive's node.exe or the npm package's script", () => {
    for (const fragment of [
      "New-ScheduledTaskTrigger -AtStartup",
      "-WorkingDirectory $DataDir",
      "$Bundle = Join-Path $InstallDir 'lib\\cogpt.mjs'",
      "$BundledNode = Join-Path $InstallDir 'runtime\\node.exe'",
      "$MainScript = Join-Path $InstallDir 'dist\\src\\main.js'",
      "if (Test-Path -LiteralPath $BundledNode) { return $BundledNode }",
      "Set-Location -LiteralPath $DataDir",
      "Register-ScheduledTask -TaskName $TaskName",
      "-RestartCount 3 -RestartInterval (New-TimeSpan -Minutes 1)",
      "-ExecutionTimeLimit ([TimeSpan]::Zero)",
      "Get-ScheduledTaskInfo",
      "Unregister-ScheduledTask -TaskName $TaskName -Confirm:$false",
      "& $nodePath $MainScript serve",
    ]) {
      expect(text).toContain(fragment);
    }
  });

  it("is plain printable ASCII (Windows PowerShell 5.1 reads a file without BOM as ANSI)", () => {
    expect(/[^\t\n\r\x20-\x7e]/.test(text)).toBe(false);
  });
});

it("README's Deployment section covers each file", () => {
  const readme = read("README.md");
  const section = /\n## Deployment\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
  for (const name of [
    "docker compose up -d --build",
    "examples/cogpt-api.service",
    "examples/com.cogpt-api.plist",
    "examples\\cogpt-api-service.ps1",
    "API_KEYS",
  ]) {
    expect(section).toContain(name);
  }
});
