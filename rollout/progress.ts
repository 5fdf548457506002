/**
 * Progress while a rollout runs. On a terminal: a line per stack with its state and the time its
 * `pulumi up` has taken, and the time left in the grace window, redrawn every second. Elsewhere
 * (CI logs, pipes): a plain line per change. Both go to a stream of their own (stderr), so stdout
 * keeps only the report.
 */
import { duration, graceLeft, type Clock } from "./clock";
import type { ProgressEvent } from "./rollout";

/** Where progress is written. */
export interface ProgressStream {
  /** Writes text as it is. */
  write(text: string): unknown;
  /** True on a terminal: progress is then redrawn in place. */
  readonly isTTY?: boolean;
}

/** Receives the rollout's events; `stop` ends any redrawing and draws the last state. */
export interface ProgressDisplay {
  /** Hand this to the rollout (`RolloutDeps.onProgress`). */
  readonly onProgress: (event: ProgressEvent) => void;
  /** Ends the display, drawing the last state. */
  stop(): Promise<void>;
}

interface Row {
  state: string;
  startedAt?: number;
  endedAt?: number;
}

/** The rows and grace window shared by both displays. */
class Board {
  readonly rows = new Map<string, Row>();
  expiresAt: string | null = null;

  constructor(private readonly clock: Clock) {}

  /** Applies an event; returns the row it changed and whether that ended a running update. */
  apply(event: ProgressEvent): { stack: string; row: Row; ended: boolean } | undefined {
    if (event.kind === "grace") {
      this.expiresAt = event.expiresAt;
      return undefined;
    }
    const now = this.clock.now();
    const row = this.rows.get(event.stack) ?? { state: "" };
    const wasRunning = row.startedAt !== undefined && row.endedAt === undefined;
    row.state = event.state;
    if (event.running) Object.assign(row, { startedAt: now, endedAt: undefined });
    else if (wasRunning) row.endedAt = now;
    this.rows.set(event.stack, row);
    return { stack: event.stack, row, ended: wasRunning && !event.running };
  }

  elapsed(row: Row): string {
    return row.startedAt === undefined ? "" : duration((row.endedAt ?? this.clock.now()) - row.startedAt);
  }

  grace(): string | undefined {
    const left = graceLeft(this.expiresAt, this.clock.now());
    return left && `grace window: ${left} (the previous secret is accepted until ${this.expiresAt})`;
  }
}

/** A plain line per change: for logs. */
export function plainProgress(stream: ProgressStream, clock: Clock): ProgressDisplay {
  const board = new Board(clock);
  return {
    onProgress(event) {
      const changed = board.apply(event);
      if (!changed) {
        const grace = board.grace();
        if (grace) stream.write(`${grace}\n`);
        return;
      }
      const { stack, row, ended } = changed;
      stream.write(`${stack}: ${row.state}${ended ? ` (${board.elapsed(row)})` : ""}\n`);
    },
    stop: async () => undefined,
  };
}

/** A table redrawn in place every `intervalMs`: for a terminal. */
export function terminalProgress(stream: ProgressStream, clock: Clock, intervalMs = 1000): ProgressDisplay {
  const board = new Board(clock);
  let drawn = 0;
  let stopped = false;
  let wake: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => (wake = resolve));
  const draw = () => {
    const width = Math.max(0, ...[...board.rows.keys()].map((stack) => stack.length));
    const lines = [...board.rows].map(([stack, row]) => `${stack.padEnd(width)}  ${row.state.padEnd(22)} ${board.elapsed(row)}`.trimEnd());
    const grace = board.grace();
    if (grace) lines.push(grace);
    // Up to the first line drawn, clear to the end of the screen, draw again.
    stream.write(`${drawn > 0 ? `\x1b[${drawn}F\x1b[J` : ""}${lines.map((line) => `${line}\n`).join("")}`);
    drawn = lines.length;
  };
  const ticking = (async () => {
    while (!stopped) {
      draw();
      await Promise.race([clock.sleep(intervalMs), stopping]);
    }
  })();
  return {
    onProgress(event) {
      board.apply(event);
    },
    async stop() {
      stopped = true;
      wake();
      await ticking;
      draw();
    },
  };
}

/** The display that suits the stream: redrawn on a terminal, plain lines otherwise. */
export function progressFor(stream: ProgressStream, clock: Clock): ProgressDisplay {
  return stream.isTTY ? terminalProgress(stream, clock) : plainProgress(stream, clock);
}
