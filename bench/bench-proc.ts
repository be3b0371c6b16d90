import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism, cpus, release } from "node:os";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime. */
const CLOCK_TICKS_PER_SECOND = readClockTicks();

function readClockTicks(): number {
  try {
    const value = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100; // the Linux default (USER_HZ)
  }
}

/** CPU time (user + system, every thread) a process has used so far, ms. */
export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) is in parentheses and may contain spaces: count after it.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU time (user + system) of every live thread of a process, ms, summed from the nanosecond
 * run times in /proc/<pid>/task/<tid>/schedstat: finer than readCpuMs's clock ticks (10 ms each,
 * a few percent of a one-second round). A thread that exits between two readings is missed (the
 * gateway's threads live as long as it does). Undefined where the kernel keeps no schedstat.
 */
export function readThreadsCpuMs(pid: number): number | undefined {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let sumNs = 0;
  let read = 0;
  for (const tid of tids) {
    let schedstat: string;
    try {
      schedstat = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8");
    } catch {
      continue; // exited meanwhile, or no schedstat at all
    }
    sumNs += Number(schedstat.split(" ")[0]);
    read++;
  }
  return read === 0 ? undefined : sumNs / 1e6;
}

/** The resolution of readCpuMs, ms. */
export const CPU_TICK_MS = 1000 / CLOCK_TICKS_PER_SECOND;

export interface ProcessMemory {
  /** Resident set size now, and its peak over the process's life (VmHWM), MB. */
  readonly rssMb: number;
  readonly hwmMb: number;
}

export function readMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const readKb = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    if (match === null) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]);
  };
  return { rssMb: readKb("VmRSS") / 1024, hwmMb: readKb("VmHWM") / 1024 };
}

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly kernel: string;
}

export function readMachineInfo(): MachineInfo {
  let cpuModel = cpus()[0]?.model ?? "unknown";
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (match?.[1] !== undefined) cpuModel = match[1].trim();
  } catch {
    // os.cpus() is good enough where /proc/cpuinfo is missing.
  }
  return { cpus: availableParallelism(), cpuModel, node: process.version, kernel: release() };
}

/**
 * CPU time so far of every user-space process except `excluded`, by pid, ms. Summing per-process
 * times (not /proc/stat) counts everyone the same way as the benchmark's own processes; a process
 * that exits between two readings is missed, so the difference is a lower bound.
 */
export function readOtherProcessesCpuMs(excluded: readonly number[]): Map<number, number> {
  const times = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || excluded.includes(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Kernel threads (children of kthreadd, pid 2) do work for everyone, the benchmark included.
    if (pid === 2 || fields[1] === "2") continue;
    times.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND);
  }
  return times;
}

/** CPU time used between two readings of readOtherProcessesCpuMs, ms. */
export function sumCpuMsSince(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): number {
  let sum = 0;
  for (const [pid, cpuMs] of after) sum += cpuMs - (before.get(pid) ?? 0);
  return sum;
}
