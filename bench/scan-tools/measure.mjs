/**
 * Running one scan as a child process: wall time from spawn to exit, and peak memory. Peak memory is the
 * RSS high-water mark that GNU time reports (`/usr/bin/time -v`, "Maximum resident set size": the largest
 * single process of the child's tree); without GNU time, VmHWM of the direct child, polled from /proc.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

/** Whether GNU time is there; installs Debian's `time` package once if not. `notes` gets what happened. */
export function ensureGnuTime(notes) {
  const works = () =>
    existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-v', 'true'], { stdio: 'ignore' }).status === 0;
  if (works()) return true;
  spawnSync('apt-get', ['install', '-y', '-q', 'time'], { stdio: 'ignore' });
  if (works()) {
    notes.push('installed Debian package time for /usr/bin/time -v');
    return true;
  }
  notes.push('GNU time is unavailable: peak memory is the direct child’s VmHWM, polled from /proc');
  return false;
}

function vmHwmKb(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The direct children of a process (Linux 3.5+ exposes them per thread). */
function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Sends a signal to a process (or, with a negative id, a process group) that may already be gone. */
function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // Already exited: nothing to end.
  }
}

/**
 * Runs `command args` with stdout and stderr to files in `dir` (named by `label`). Resolves to `{ status,
 * wallMs, peakKb, timedOut, stdout, stderr }`; a run over `timeoutMs` has its process group killed.
 */
export function runMeasured({ command, args, cwd, env }, { dir, label, timeoutMs, gnuTime }) {
  const stdout = join(dir, `${label}.stdout`);
  const stderr = join(dir, `${label}.stderr`);
  const timing = join(dir, `${label}.time`);
  const out = openSync(stdout, 'w');
  const err = openSync(stderr, 'w');
  const [file, argv] = gnuTime ? [GNU_TIME, ['-v', '-o', timing, command, ...args]] : [command, args];
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    // Its own process group, so a time-out can end the scanner and everything it started, and only those.
    const child = spawn(file, argv, { cwd, env, stdio: ['ignore', out, err], detached: true });
    let peakKb = 0;
    let timedOut = false;
    const poll = gnuTime ? null : setInterval(() => (peakKb = Math.max(peakKb, vmHwmKb(child.pid))), 25);
    const timer = setTimeout(() => {
      timedOut = true;
      // Under GNU time, end the scanner first so time still reports its peak; then the rest of the group.
      for (const pid of gnuTime ? childPids(child.pid) : []) signal(pid, 'SIGKILL');
      setTimeout(() => signal(-child.pid, 'SIGKILL'), gnuTime ? 2000 : 0).unref();
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      closeSync(out);
      closeSync(err);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      closeSync(out);
      closeSync(err);
      let status = code ?? (signal ? 128 : 1);
      if (gnuTime && existsSync(timing)) {
        const report = readFileSync(timing, 'utf8');
        peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1] ?? 0);
        // GNU time exits with the command's status, and says so when the command was killed by a signal.
        if (/Command terminated by signal/.test(report)) status = 128;
      }
      resolvePromise({ status, wallMs, peakKb, timedOut, stdout, stderr });
    });
  });
}
