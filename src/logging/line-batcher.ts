/** Where a batcher writes: a Node stream (a Writable, process.stderr) or anything shaped like one. */
export interface LineSink {
  /** Returns false when the sink wants no more until it emits "drain". */
  write(chunk: string): boolean;
  once(event: "drain", listener: () => void): unknown;
}

export interface LineBatcherOptions {
  readonly sink: LineSink;
  /**
   * Characters held while the sink is not draining (a stuck pipe). Beyond them, new lines are
   * dropped until it drains; then one line from `describeDropped` says how many.
   */
  readonly maxPendingChars?: number;
  /** The line written in place of `count` dropped lines. */
  readonly describeDropped: (count: number) => string;
  /** Runs the turn's write later (default: setImmediate, after this turn's I/O callbacks). */
  readonly schedule?: (write: () => void) => void;
}

export interface LineBatcher {
  /** Queues whole lines; they are written after everything queued before them. */
  push(lines: string): void;
}

/** 1 Mi characters: a few thousand request lines, a few MB at most. */
export const DEFAULT_MAX_PENDING_CHARS = 1 << 20;
/** A turn that logs more than this writes it at once, so one turn cannot hold much either. */
const WRITE_AT_CHARS = 1 << 16;

/** The batchers holding lines, each with the function that writes them out when the process exits. */
const unwritten = new Set<() => void>();
let exitHookInstalled = false;

/**
 * Writes lines in one chunk per event-loop turn instead of one write per line: a file or pipe
 * on stderr costs one write syscall per chunk. The lines of a turn are written when the process
 * exits too (normally, by process.exit, or by an uncaught error: Node emits "exit" before it
 * prints the error), so nothing is lost then; a signal without a handler still loses that turn.
 */
export function createLineBatcher(options: LineBatcherOptions): LineBatcher {
  const { sink, describeDropped } = options;
  const maxPendingChars = options.maxPendingChars ?? DEFAULT_MAX_PENDING_CHARS;
  const schedule = options.schedule ?? setImmediate;
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", writeUnwrittenLines);
  }
  let pending = "";
  let dropped = 0;
  let scheduled = false;
  let waitingForDrain = false;

  const writePending = () => {
    let chunk = pending;
    if (dropped > 0) chunk += describeDropped(dropped);
    pending = "";
    dropped = 0;
    unwritten.delete(writeOnExit);
    if (chunk !== "" && !sink.write(chunk) && !waitingForDrain) {
      waitingForDrain = true;
      sink.once("drain", onDrain);
    }
  };
  const writeScheduled = () => {
    scheduled = false;
    if (!waitingForDrain) writePending();
  };
  const onDrain = () => {
    waitingForDrain = false;
    writePending();
  };
  // At exit there is no later: hand the sink everything even if it asked to wait.
  const writeOnExit = () => writePending();

  return {
    push(lines) {
      if (waitingForDrain && (dropped > 0 || pending.length + lines.length > maxPendingChars)) {
        // Once dropping, keep dropping until the drain, so the notice stands where the gap is.
        dropped += 1;
        unwritten.add(writeOnExit);
        return;
      }
      pending += lines;
      unwritten.add(writeOnExit);
      if (waitingForDrain) return;
      if (pending.length >= WRITE_AT_CHARS) writePending();
      else if (!scheduled) {
        scheduled = true;
        schedule(writeScheduled);
      }
    },
  };
}

/** What the process does on "exit"; exported for tests, which cannot end their own process. */
export function writeUnwrittenLines(): void {
  for (const write of unwritten) {
    try {
      write();
    } catch (error) {
      // The last resort: the process is ending, there is no log left to tell.
      process.stderr.write(`cogpt: the last log lines could not be written: ${String(error)}\n`);
    }
  }
}
