// CPU time of the processes a load run involves, read from /proc (Linux), so that a run reports
// what each request cost the server, PostgreSQL and the load generator, and how busy the machine
// was with everything else: on a shared machine a rate alone says little.
import { readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function statFields(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** Milliseconds of CPU of one process (user + system); with `reaped`, of its exited children too. */
export function processCpuMs(pid, reaped = false) {
  try {
    const f = statFields(pid); // f[0] is field 3 (state): utime is field 14, so f[11]
    const own = Number(f[11]) + Number(f[12]);
    return (reaped ? own + Number(f[13]) + Number(f[14]) : own) * TICK_MS;
  } catch {
    return NaN;
  }
}

/** The parent of a process, or undefined (another machine, or gone). */
export function parentPid(pid) {
  try {
    return Number(statFields(pid)[1]);
  } catch {
    return undefined;
  }
}

/**
 * A PostgreSQL server's CPU: the postmaster with every backend and worker that exited, plus those
 * still running (the pool's connections, autovacuum, the WAL writer, the checkpointer).
 */
export function clusterCpuMs(postmasterPid) {
  let ms = processCpuMs(postmasterPid, true);
  let children = [];
  try {
    children = readFileSync(`/proc/${postmasterPid}/task/${postmasterPid}/children`, 'utf8').trim().split(/\s+/);
  } catch {
    return NaN;
  }
  for (const child of children.filter(Boolean)) ms += processCpuMs(child) || 0;
  return ms;
}

/** The whole machine: busy and idle milliseconds summed over its cores. */
export function machineCpuMs() {
  const f = /^cpu\s+(.*)$/m.exec(readFileSync('/proc/stat', 'utf8'))[1].split(/\s+/).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
  return { busy: (user + nice + system + irq + softirq + steal) * TICK_MS, idle: (idle + iowait) * TICK_MS };
}

export function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

/** Snapshot now; `.since()` gives what each part used in between (ms), NaN where unknown. */
export function cpuSnapshot({ serverPid, postmasterPid, otherPids = [] }) {
  const take = () => ({
    server: serverPid ? processCpuMs(serverPid) : NaN,
    others: otherPids.reduce((a, pid) => a + (processCpuMs(pid) || 0), 0),
    postgres: postmasterPid ? clusterCpuMs(postmasterPid) : NaN,
    self: processCpuMs(process.pid, true), // with the children it ran (the autocannon CLI)
    machine: machineCpuMs(),
    load: loadAverage(),
  });
  const before = take();
  return {
    since() {
      const after = take();
      return {
        serverMs: after.server - before.server,
        postgresMs: after.postgres - before.postgres,
        loadGeneratorMs: after.self - before.self,
        // the systems not under load (and the benchmark's parent), which should be idle
        othersMs: after.others - before.others,
        machineBusyMs: after.machine.busy - before.machine.busy,
        machineIdleMs: after.machine.idle - before.machine.idle,
        loadAverage: before.load,
      };
    },
  };
}
